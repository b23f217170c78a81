package main

import (
	"encoding/json"
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
