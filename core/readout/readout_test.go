package readout

import (
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"segsim/core/calendar"
	"segsim/core/clean"
	"segsim/core/ingest"
	"segsim/core/strategy"
)

// TestNewcombePublished checks the hybrid score interval against
// Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10.
func TestNewcombePublished(t *testing.T) {
	z := zQuantile(0.95)
	for _, c := range []struct {
		x1, n1, x0, n0 int
		lo, hi         float64
	}{
		{56, 70, 48, 80, 0.0524, 0.3339},
		{9, 10, 3, 10, 0.1705, 0.8090},
		{6, 7, 2, 7, 0.0582, 0.8062},
		{5, 56, 0, 29, -0.0381, 0.1926},
		{0, 10, 0, 20, -0.1611, 0.2775},
		{0, 10, 0, 10, -0.2775, 0.2775},
		{10, 10, 0, 20, 0.6791, 1.0000},
		{10, 10, 0, 10, 0.6075, 1.0000},
	} {
		lo, hi := NewcombeHybrid(c.x1, c.n1, c.x0, c.n0, z)
		if math.Abs(lo-c.lo) > 5e-5 || math.Abs(hi-c.hi) > 5e-5 {
			t.Errorf("%d/%d − %d/%d: (%.4f, %.4f), want (%.4f, %.4f)", c.x1, c.n1, c.x0, c.n0, lo, hi, c.lo, c.hi)
		}
	}
}

// testPlaybook prices the generated campaign's actions (as
// testdata/reference.py does).
func testPlaybook() *strategy.Playbook {
	a := func(name string, cost, margin, resp, base float64) strategy.Action {
		return strategy.Action{Name: name, Channel: "sms", Cost: cost, Margin: margin, Response: resp, Baseline: base, OrderValue: 50}
	}
	coupon, sms, edm := a("coupon_20", 8, 0.4, 0.20, 0.08), a("sms", 0.5, 0.5, 0.10, 0.08), a("edm", 0.1, 0.5, 0.09, 0.08)
	return &strategy.Playbook{Name: "test", Entries: []strategy.Entry{
		{Segment: "a", Actions: []strategy.Action{coupon}},
		{Segment: "b", Actions: []strategy.Action{sms}},
		{Segment: "c", Actions: []strategy.Action{edm}},
		{Segment: "d", Actions: []strategy.Action{coupon, sms}},
	}}
}

// readCampaign reads the generated campaign out.
func readCampaign(t *testing.T) *Report {
	t.Helper()
	planData, err := os.ReadFile("testdata/campaign_plan.csv")
	if err != nil {
		t.Fatal(err)
	}
	orderData, err := os.ReadFile("testdata/campaign_orders.csv")
	if err != nil {
		t.Fatal(err)
	}
	plan, _, err := ingest.ParsePlan(planData, ingest.Options{}, ingest.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o, _, err := ingest.Parse(orderData, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	start, _ := calendar.Parse("2025-03-01")
	end, _ := calendar.Parse("2025-03-14")
	r, err := Run(plan, o, Options{Start: start, End: end, Clean: clean.Default(), Playbook: testPlaybook()})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestCampaignReference compares the readout of a generated campaign with
// testdata/reference.json, computed by statsmodels and scipy from the same
// files: counts exact, rates to 1e-6, money to the cent, intervals within
// 0.002 (rates) or a cent (money).
func TestCampaignReference(t *testing.T) {
	r := readCampaign(t)
	ref, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	doc := gjson.ParseBytes(ref)
	check := func(name string, g *Group, want gjson.Result) {
		t.Helper()
		if !want.Exists() {
			t.Fatalf("%s: not in the reference", name)
		}
		ints := map[string]int{"contacted": g.Contacted, "holdout": g.Holdout, "contacted_buyers": g.ContactedBuyers, "holdout_buyers": g.HoldoutBuyers}
		for k, v := range ints {
			if int64(v) != want.Get(k).Int() {
				t.Errorf("%s %s = %d, want %d", name, k, v, want.Get(k).Int())
			}
		}
		near := func(k string, got *float64, tol float64) {
			t.Helper()
			w := want.Get(k).Float()
			if got == nil || math.Abs(*got-w) > tol {
				t.Errorf("%s %s = %v, want %.6f", name, k, show(got), w)
			}
		}
		near("contacted_rate", g.ContactedRate, 1e-6)
		near("holdout_rate", g.HoldoutRate, 1e-6)
		near("uplift", g.Uplift, 1e-6)
		near("incremental_buyers", g.IncrementalBuyers, 0.01)
		near("contacted_revenue", &g.ContactedRevenue, 0.005)
		near("holdout_revenue", &g.HoldoutRevenue, 0.005)
		near("revenue_per_contacted", g.RevenuePerContacted, 0.005)
		near("revenue_per_holdout", g.RevenuePerHoldout, 0.005)
		near("incremental_revenue", g.IncrementalRevenue, 0.005)
		near("cost", &g.Cost, 0.005)
		near("profit", g.Profit, 0.005)
		near("roi", g.ROI, 1e-4)
		near("power", g.Power, 1e-4)
		for i, k := range []string{"uplift_ci", "incremental_revenue_ci"} {
			got := [][]float64{g.UpliftCI, g.IncrementalRevenueCI}[i]
			tol := []float64{0.002, 0.01}[i]
			w := want.Get(k).Array()
			if len(got) != 2 || math.Abs(got[0]-w[0].Float()) > tol || math.Abs(got[1]-w[1].Float()) > tol {
				t.Errorf("%s %s = %v, want [%v %v]", name, k, got, w[0], w[1])
			}
		}
	}
	if len(r.Actions) != 3 || len(r.Segments) != 4 { // e, left out of the campaign, is not a line
		t.Fatalf("%d actions, %d segments; want 3 and 4", len(r.Actions), len(r.Segments))
	}
	if len(r.Actions) != 3 {
		t.Fatalf("%d actions, want 3", len(r.Actions))
	}
	for i := range r.Actions {
		g := &r.Actions[i]
		check("action "+g.Action, g, doc.Get("actions."+g.Action))
		if g.Control != "segment" {
			t.Errorf("action %s control %q, want segment", g.Action, g.Control)
		}
	}
	for i := range r.Segments {
		g := &r.Segments[i]
		check("segment "+g.Segment, g, doc.Get("segments."+g.Segment))
	}
	check("total", &r.Total, doc.Get("total"))

	// The clear uplift is found; the null one is not.
	verdicts := map[string]string{}
	for _, g := range r.Actions {
		verdicts[g.Action] = g.Verdict
	}
	if verdicts["coupon_20"] != Worked || verdicts["edm"] == Worked || verdicts["edm"] == Harmed {
		t.Errorf("verdicts %v: want coupon_20 worked, edm neither worked nor harmed", verdicts)
	}
	if r.Outcomes.NotInPlan != 0 || r.Outcomes.Untouched != 300 || r.Notes[0].Code != "control_segment" {
		t.Errorf("outcomes %+v notes %+v", r.Outcomes, r.Notes)
	}
}

func show(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// TestCoverage simulates campaigns with known rates and skewed revenue and
// checks that the 95% intervals cover the truth about 95% of the time.
func TestCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const runs = 4000
	const n1, n0 = 1200, 400
	const p1, p0 = 0.15, 0.10
	const meanRev = 40.0 // revenue of a buyer: exponential with this mean
	z := zQuantile(0.95)
	var upliftHits, revHits int
	r1, r0 := make([]float64, n1), make([]float64, n0)
	for range runs {
		draw := func(r []float64, p float64) int {
			x := 0
			for i := range r {
				r[i] = 0
				if rng.Float64() < p {
					x++
					r[i] = rng.ExpFloat64() * meanRev
				}
			}
			return x
		}
		x1, x0 := draw(r1, p1), draw(r0, p0)
		if lo, hi := NewcombeHybrid(x1, n1, x0, n0, z); lo <= p1-p0 && p1-p0 <= hi {
			upliftHits++
		}
		if lo, hi, ok := Welch(r1, r0, 0.95); ok && lo <= (p1-p0)*meanRev && (p1-p0)*meanRev <= hi {
			revHits++
		}
	}
	for name, hits := range map[string]int{"uplift (Newcombe)": upliftHits, "revenue (Welch)": revHits} {
		if cov := float64(hits) / runs; cov < 0.938 || cov > 0.962 {
			t.Errorf("%s coverage %.3f, want 0.95 ± 0.012", name, cov)
		} else {
			t.Logf("%s coverage %.3f", name, cov)
		}
	}
}

// TestEdges: no hold-out, a window with no orders, a bad window.
func TestEdges(t *testing.T) {
	plan := []ingest.PlanRow{{ID: "a", Action: "sms"}, {ID: "b", Action: "sms"}, {ID: "c"}}
	day, _ := calendar.Parse("2025-03-01")
	r, err := Run(plan, nil, Options{Start: day, End: day})
	if err != nil {
		t.Fatal(err)
	}
	g := r.Actions[0]
	if g.Contacted != 2 || g.Holdout != 0 || g.Verdict != TooFew || !strings.Contains(g.VerdictText, "no one was held out") || g.Uplift != nil || g.UpliftCI != nil || g.CostUnknown != 2 || g.ROI != nil {
		t.Errorf("no hold-out: %+v", g)
	}
	codes := []string{}
	for _, n := range r.Notes {
		codes = append(codes, n.Code)
	}
	if strings.Join(codes, " ") != "control_all cost_unknown no_orders" {
		t.Errorf("notes %v", codes)
	}
	if _, err := Run(plan, nil, Options{Start: day + 1, End: day}); err == nil || !strings.Contains(err.Error(), "ends (2025-03-01) before it starts (2025-03-02)") {
		t.Errorf("bad window: %v", err)
	}
	if _, err := Run(nil, nil, Options{Start: day, End: day}); err == nil {
		t.Error("empty plan: no error")
	}
}

// TestMeasured feeds the generated campaign's readout back into its
// playbook: every entry using a measured action takes the measured rates,
// the playbook stays valid, and a plan on it no longer contacts for edm,
// whose measured uplift is below 0.
func TestMeasured(t *testing.T) {
	r := readCampaign(t)
	pb := testPlaybook()
	m, changes := Measured(pb, r)
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(changes) != 3 {
		t.Fatalf("changes %+v", changes)
	}
	rates := map[string][2]float64{}
	for _, g := range r.Actions {
		rates[g.Action] = [2]float64{*g.ContactedRate, *g.HoldoutRate}
	}
	for _, e := range m.Entries {
		for _, a := range e.Actions {
			if got, want := [2]float64{a.Response, a.Baseline}, rates[a.Name]; got != want {
				t.Errorf("%s/%s: response, baseline %v, want %v", e.Segment, a.Name, got, want)
			}
		}
	}
	for _, c := range changes {
		if c.Action == "coupon_20" && (c.Entries != 2 || c.WasResponse != 0.20 || c.WasBaseline != 0.08) {
			t.Errorf("coupon_20 change %+v", c)
		}
		if c.ResponseCI[0] > c.Response || c.ResponseCI[1] < c.Response || c.BaselineCI[0] > c.Baseline || c.BaselineCI[1] < c.Baseline {
			t.Errorf("%s intervals %v %v do not hold the rates", c.Action, c.ResponseCI, c.BaselineCI)
		}
	}
	if pb.Entries[0].Actions[0].Response != 0.20 {
		t.Error("Measured changed the playbook it was given")
	}
	if !strings.Contains(m.Name, "(measured 2025-03-01 – 2025-03-14)") || !strings.Contains(m.Notes, "coupon_20, sms, edm") {
		t.Errorf("name %q notes %q", m.Name, m.Notes)
	}
	again, _ := Measured(m, r)
	if strings.Count(again.Name, "measured") != 1 {
		t.Errorf("measured twice: %q", again.Name)
	}
	// Plan segment c (edm) on the measured playbook: edm does not pay.
	labels := make([]uint8, 10)
	rank := make([]float64, 10)
	for i := range labels {
		labels[i] = 2
	}
	contacted := func(pb *strategy.Playbook) int {
		pl, err := strategy.NewPlanner(pb, "segment", []string{"a", "b", "c"}, labels, rank)
		if err != nil {
			t.Fatal(err)
		}
		p, err := pl.Plan(1000, nil, strategy.Holdout{})
		if err != nil {
			t.Fatal(err)
		}
		return p.Total.Contacted
	}
	if before, after := contacted(pb), contacted(m); before != 10 || after != 0 {
		t.Errorf("edm contacts %d with the assumed rates (want 10) and %d with the measured ones (want 0)", before, after)
	}
}
