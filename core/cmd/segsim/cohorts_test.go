package main

import (
	"encoding/json"
	"fmt"
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

// TestBuyerSeries: segsim cohorts --buyers writes the series month by
// month, the series segsim segments puts in its JSON; every customer is a
// new buyer once.
func TestBuyerSeries(t *testing.T) {
	type month struct {
		Month     string  `json:"month"`
		New       int     `json:"new_buyers"`
		Returning int     `json:"returning_buyers"`
		Revenue   float64 `json:"returning_revenue"`
	}
	var got, seg struct {
		Series []month `json:"buyer_series"`
	}
	out, errs, code := runCmd(t, "cohorts", "--quiet", "--buyers", "--format", "json", apparel)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	out, _, _ = runCmd(t, "segments", "--quiet", "--format", "json", apparel)
	if err := json.Unmarshal([]byte(out), &seg); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, m := range got.Series {
		total += m.New
	}
	if len(got.Series) != 24 || got.Series[0].Month != "2024-07" || got.Series[0].Returning != 0 || total != 3725 {
		t.Errorf("%d months from %+v, %d new buyers", len(got.Series), got.Series[0], total)
	}
	if fmt.Sprint(got.Series) != fmt.Sprint(seg.Series) {
		t.Errorf("cohorts --buyers and segments differ:\n%v\n%v", got.Series, seg.Series)
	}
	out, _, _ = runCmd(t, "cohorts", "--quiet", "--buyers", "--format", "csv", apparel)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 25 || !strings.HasPrefix(lines[0], "month,days,base,new_buyers,") || !strings.HasPrefix(lines[1], "2024-07,31,0,") {
		t.Errorf("csv:\n%s", out)
	}
	out, _, _ = runCmd(t, "segments", "--quiet", apparel)
	if !strings.Contains(out, "buyers by month") || !strings.Contains(out, "2026-06") {
		t.Errorf("segments table lacks the series:\n%s", out)
	}
}
