package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"segsim/core/scenario"
	"segsim/core/simulate"
	"segsim/core/strategy"
)

const apparel = "../../../seeds/samples/apparel_zh.csv"

func runCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errw bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errw)
	return out.String(), errw.String(), code
}

func TestPlanTable(t *testing.T) {
	out, errs, code := runCmd(t, "plan", "--budget", "20,000", "--quiet", "--curve", "4", apparel)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"plan: ecommerce playbook over segments (rfm11), budget 20,000.00 CNY", "champions", "vip_early_access", "total", "unspent:", "profit versus budget"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestPlanJSONAndCustomers(t *testing.T) {
	dir := t.TempDir()
	cust := filepath.Join(dir, "customers.csv")
	out, errs, code := runCmd(t, "plan", "--budget", "5000", "--quiet", "--format", "json", "--by", "class",
		"--playbook", "fmcg", "--points", "--customers", cust, apparel)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Plan struct {
			Budget float64 `json:"budget"`
			By     string  `json:"by"`
			Total  struct {
				Contacted int
				Cost      float64
			}
			Segment []any `json:"segments"`
		} `json:"plan"`
		Curve      []map[string]float64 `json:"curve"`
		Points     []map[string]any     `json:"points"`
		PointsKeep struct {
			Basis string  `json:"basis"`
			Days  int     `json:"days"`
			Mean  float64 `json:"mean"`
		} `json:"points_keep"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// Customers weighted by the observed repurchase rate: fewer than half
	// reach even a quarter of the threshold (84.5% at their own pace).
	if k := got.PointsKeep; k.Basis != "repurchase" || k.Days != 365 || k.Mean <= 0 || k.Mean >= .5 || got.Points[0]["reach_share"].(float64) >= .5 {
		t.Errorf("points weighted %+v, %v reach a quarter of the threshold", k, got.Points[0]["reach_share"])
	}
	if got.Plan.Budget != 5000 || got.Plan.By != "class" || len(got.Plan.Segment) != 8 || got.Plan.Total.Cost > 5000 || len(got.Curve) != 11 || len(got.Points) != 5 {
		t.Errorf("plan %+v, %d curve points, %d points rows", got.Plan, len(got.Curve), len(got.Points))
	}
	b, err := os.ReadFile(cust)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "customer_id,action,holdout" || len(lines) != 3726 {
		t.Fatalf("customers file: %q…, %d lines", lines[0], len(lines))
	}
	var contacted, held int
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if f[1] != "" {
			contacted++
		}
		if f[2] == "true" {
			held++
		}
	}
	if contacted != got.Plan.Total.Contacted || held == 0 {
		t.Errorf("customers file: %d contacted (plan %d), %d held out", contacted, got.Plan.Total.Contacted, held)
	}
}

func TestPlanScenarioKnobs(t *testing.T) {
	dir := t.TempDir()
	sc := filepath.Join(dir, "s.json")
	os.WriteFile(sc, []byte(`{"segments":{"scheme":"rfm8"},"plan":{"budget":3000,"by":"stage","holdout":{"enabled":false}}}`), 0o644)
	out, errs, code := runCmd(t, "plan", "--scenario", sc, "--quiet", "--curve", "0", apparel)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "over lifecycle stages, budget 3,000.00") || strings.Contains(out, "hold-out:") {
		t.Errorf("scenario knobs not applied:\n%s", out)
	}
	os.WriteFile(sc, []byte(`{"plan":{"budget":"lots"}}`), 0o644)
	if _, errs, code := runCmd(t, "plan", "--scenario", sc, "--quiet", apparel); code != 1 || !strings.Contains(errs, "plan.budget") {
		t.Errorf("bad knob: exit %d, %s", code, errs)
	}
}

func TestPlanErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"plan", "--budget", "-5", apparel}, 1, "--budget"},
		{[]string{"plan", "--playbook", "bakery", apparel}, 1, `"bakery"`},
		{[]string{"plan", "--channel-cap", "fax=10", "--quiet", apparel}, 1, `"fax"`},
		{[]string{"plan", "--format", "xml", apparel}, 2, "--format"},
		{[]string{"plan"}, 2, "want one input FILE"},
	} {
		_, errs, code := runCmd(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
}

func TestPlanRankPredicted(t *testing.T) {
	out, errs, code := runCmd(t, "plan", "--budget", "5000", "--rank", "predicted", "--quiet", "--curve", "0", apparel)
	if code != 0 || !strings.Contains(out, "customers ranked by predicted") {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
}

func TestPlanCompare(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.json")
	b := filepath.Join(dir, "b.json")
	os.WriteFile(a, []byte(`{"plan":{"budget":4000}}`), 0o644)
	os.WriteFile(b, []byte(`{"plan":{"budget":8000}}`), 0o644)
	out, errs, code := runCmd(t, "plan", "--scenario", a, "--compare", b, "--quiet", "--curve", "0", apparel)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, table, _ := strings.Cut(out, "A/B: A = "+a+", B = "+b)
	found := false
	for _, line := range strings.Split(table, "\n") {
		if strings.Join(strings.Fields(line), " ") == "budget 4,000.00 8,000.00 4,000.00" {
			found = true
		}
	}
	if !found {
		t.Errorf("compare output:\n%s", out)
	}
}

// TestKnobsRoundTrip: the plan and simulate knobs written as JSON read back
// identically with the scenario decoder, as they will inside a scenario.
func TestKnobsRoundTrip(t *testing.T) {
	cfg := strategy.Default()
	cfg.ChannelCaps = []strategy.ChannelCap{{Channel: "sms", Budget: 100}}
	pb, err := strategy.PresetPlaybook("fmcg")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Custom = pb
	sim := simulate.DefaultConfig()
	sim.Shifts = []simulate.Shift{{From: "a", To: "b", Delta: .1}}
	for _, v := range []any{&cfg, &sim} {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		back := reflect.New(reflect.TypeOf(v).Elem()).Interface()
		if err := scenario.DecodeInto(raw, back, "knobs"); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(v, back) {
			t.Errorf("round trip changed %T:\n%+v\n%+v", v, v, back)
		}
	}
}
