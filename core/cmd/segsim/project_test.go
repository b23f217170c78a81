package main

import (
	"encoding/json"
	"math"
	"segsim/core/simulate"
	"strings"
	"testing"
)

func TestProjectTable(t *testing.T) {
	out, errs, code := runCmd(t, "project", "--periods", "3", "--quiet", "--gmv-target", "600000",
		"--shift", "general_retain:general_develop:0.05", apparel)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"migration by class over 30 days", "projection: 3 periods", "shift general_retain→general_develop", "KPI tree", "target GMV 600,000.00 needs"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestProjectJSON(t *testing.T) {
	out, errs, code := runCmd(t, "project", "--periods", "24", "--by", "stage", "--quiet", "--format", "json", apparel)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Migration struct {
			States []string    `json:"states"`
			Prob   [][]float64 `json:"prob"`
		} `json:"migration"`
		Projection struct {
			Periods []struct{ GMV float64 } `json:"periods"`
		} `json:"projection"`
		KPI struct {
			GMV float64 `json:"gmv"`
		} `json:"kpi"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Migration.States) != 6 || len(got.Projection.Periods) != 24 || got.KPI.GMV <= 0 {
		t.Errorf("states %v, %d periods, GMV %v", got.Migration.States, len(got.Projection.Periods), got.KPI.GMV)
	}
	for i, row := range got.Migration.Prob {
		s := 0.0
		for _, p := range row {
			s += p
		}
		if s < 0.999999 || s > 1.000001 {
			t.Errorf("row %d sums to %v", i, s)
		}
	}
}

func TestProjectErrors(t *testing.T) {
	if _, errs, code := runCmd(t, "project", "--shift", "a:b", apparel); code != 2 || !strings.Contains(errs, "from:to:delta") {
		t.Errorf("bad shift: exit %d %q", code, errs)
	}
	if _, errs, code := runCmd(t, "project", "--quiet", "--shift", "nobody:general_retain:0.1", apparel); code != 1 || !strings.Contains(errs, `"nobody"`) {
		t.Errorf("unknown state: exit %d %q", code, errs)
	}
	if _, errs, code := runCmd(t, "project", "--periods", "1000", apparel); code != 1 || !strings.Contains(errs, "simulate.periods") {
		t.Errorf("too many periods: exit %d %q", code, errs)
	}
}

// runProjection runs segsim project on the apparel sample.
func runProjection(t *testing.T, args ...string) simulate.Projection {
	t.Helper()
	out, errs, code := runCmd(t, append([]string{"project", "--quiet", "--format", "json"}, append(args, apparel)...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Projection simulate.Projection `json:"projection"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	return got.Projection
}

// TestProjectCalendar: the apparel sample covers 24 complete months, so
// the projection follows the calendar. The first period, 2026-07-01 for
// 30 days, brings 30/31 of the mean new customers of July 2024 and July
// 2025 (from the buyer series); its factor is July's index of
// repurchase over June's, each the share of the base who came back over
// its 12-month block's mean, averaged over the two blocks. As of
// 2025-03-01 the data covers 8 months: the inflow is the last period's,
// flat, and the answer says so. A number set is held.
func TestProjectCalendar(t *testing.T) {
	p := runProjection(t)
	if p.InflowBasis != "calendar" || p.Months != 24 || !p.Seasonal || len(p.Notes) != 2 || p.Notes[0].Code != "inflow_calendar" || p.Notes[1].Code != "activity_calendar" {
		t.Fatalf("projection %+v", p)
	}
	out, _, _ := runCmd(t, "cohorts", "--quiet", "--buyers", "--format", "json", apparel)
	var bs struct {
		Series []struct {
			New       int `json:"new_buyers"`
			Returning int `json:"returning_buyers"`
			Base      int `json:"base"`
		} `json:"buyer_series"`
	}
	if err := json.Unmarshal([]byte(out), &bs); err != nil || len(bs.Series) != 24 {
		t.Fatalf("%v, %d months", err, len(bs.Series))
	}
	// The series starts in July 2024: July is month 0 and 12, June 11 and 23.
	s := bs.Series
	if want := 30.0 / 31 * float64(s[0].New+s[12].New) / 2; p.Periods[0].Start != "2026-07-01" || math.Abs(p.Periods[0].Inflow-want) > 1e-9 {
		t.Errorf("period 1 from %s: inflow %v, want %v", p.Periods[0].Start, p.Periods[0].Inflow, want)
	}
	index := func(k int) float64 { // month k's index in its block
		lo := k / 12 * 12
		sum, n := 0.0, 0
		for _, m := range s[lo : lo+12] {
			if m.Base > 0 {
				sum += float64(m.Returning) / float64(m.Base)
				n++
			}
		}
		return float64(s[k].Returning) / float64(s[k].Base) / (sum / float64(n))
	}
	july := index(12) // July 2024 has no base
	june := (index(11) + index(23)) / 2
	if math.Abs(p.Periods[0].Factor-july/june) > 1e-9 {
		t.Errorf("period 1 factor %v, want %v", p.Periods[0].Factor, july/june)
	}

	short := runProjection(t, "--asof", "2025-03-01")
	if short.InflowBasis != "last_period" || short.Seasonal || short.Months != 8 || len(short.Notes) != 2 || short.Notes[1].Code != "short_history" || short.Notes[1].N != 8 {
		t.Fatalf("short projection %+v", short)
	}
	for _, per := range short.Periods {
		if per.Inflow != short.Periods[0].Inflow || per.Factor != 1 {
			t.Fatalf("short projection period %+v", per)
		}
	}

	set := runProjection(t, "--inflow", "100")
	if set.InflowBasis != "set" || set.Notes[0].Code != "inflow_set" || set.Periods[5].Inflow != 100 || set.Periods[5].Factor != p.Periods[5].Factor {
		t.Errorf("set inflow %+v", set)
	}
	out, _, _ = runCmd(t, "project", "--quiet", "--asof", "2025-03-01", apparel)
	if !strings.Contains(out, "note: the data covers 8 complete months, less than a year") {
		t.Errorf("the table does not say the history is short:\n%s", out)
	}
}
