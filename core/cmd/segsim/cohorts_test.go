package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCohorts(t *testing.T) {
	out, errs, code := runCmd(t, "cohorts", "--quiet", apparel)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "acquisition cohorts by month") || !strings.Contains(out, "2024-07-01") {
		t.Errorf("output:\n%s", out)
	}
	out, _, code = runCmd(t, "cohorts", "--quiet", "--unit", "week", "--format", "json", apparel)
	var tab struct {
		Unit    string `json:"unit"`
		Cohorts []struct {
			Size   int   `json:"size"`
			Active []int `json:"active"`
		} `json:"cohorts"`
	}
	if err := json.Unmarshal([]byte(out), &tab); err != nil || code != 0 {
		t.Fatalf("exit %d, %v", code, err)
	}
	total := 0
	for _, c := range tab.Cohorts {
		total += c.Size
		if c.Size > 0 && c.Active[0] != c.Size {
			t.Errorf("cohort of %d has %d active in its first week", c.Size, c.Active[0])
		}
	}
	if tab.Unit != "week" || total != 3725 {
		t.Errorf("unit %s, %d customers", tab.Unit, total)
	}
	if _, errs, code := runCmd(t, "cohorts", "--quiet", "--unit", "year", apparel); code != 1 || !strings.Contains(errs, `"year"`) {
		t.Errorf("bad unit: exit %d %q", code, errs)
	}
}
