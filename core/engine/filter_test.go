package engine

import (
	"bytes"
	"encoding/csv"
	"errors"
	"regexp"
	"strings"
	"testing"

	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/scenario"
	"segsim/core/tier"
)

// TestFilter writes the grocery sample's customer CSV one group at a time
// and checks each against the result's own counts, in English and by the
// Chinese label.
func TestFilter(t *testing.T) {
	ds, r := plannedGrocery(t)
	rows := func(f Filter, zh bool) int {
		t.Helper()
		var b bytes.Buffer
		if err := ds.WriteCSV(&b, r, CSVOptions{Only: f, Chinese: zh}); err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		return strings.Count(b.String(), "\n") - 1
	}
	if n := rows(Filter{}, false); n != r.Len() {
		t.Fatalf("no filter: %d rows of %d", n, r.Len())
	}
	total := 0
	for i, n := range r.SegmentNames {
		got := rows(Filter{Kind: "segment", Name: n}, false)
		if got != r.SegmentCount[i] {
			t.Errorf("segment %s: %d rows, counted %d", n, got, r.SegmentCount[i])
		}
		if zh := r.SegmentLabels[i].Zh; zh != "" && rows(Filter{Kind: "segment", Name: zh}, true) != got {
			t.Errorf("segment %s by its label %s differs", n, zh)
		}
		total += got
	}
	if total != r.Len() {
		t.Errorf("segments hold %d customers of %d", total, r.Len())
	}
	for i, n := range rfm.ClassNames {
		if got := rows(Filter{Kind: "class", Name: n}, false); got != r.ClassCount[i] {
			t.Errorf("class %s: %d rows, counted %d", n, got, r.ClassCount[i])
		}
	}
	for i, n := range tier.Names {
		if got := rows(Filter{Kind: "tier", Name: tier.NamesZh[i]}, true); got != r.TierCount[i] {
			t.Errorf("tier %s: %d rows, counted %d", n, got, r.TierCount[i])
		}
	}
	for i, n := range lifecycle.Names {
		if got := rows(Filter{Kind: "stage", Name: n}, false); got != r.StageCount[i] {
			t.Errorf("stage %s: %d rows, counted %d", n, got, r.StageCount[i])
		}
	}
	held, none := 0, 0
	for i := range r.Assigned.Holdout {
		switch {
		case r.Assigned.Holdout[i]:
			held++
		case r.Assigned.Action[i] < 0:
			none++
		}
	}
	acted := 0
	seen := map[string]bool{}
	for _, n := range r.Assigned.Names {
		if !seen[n] {
			seen[n] = true
			acted += rows(Filter{Kind: "action", Name: n}, false)
		}
	}
	if h, o := rows(Filter{Kind: "action", Name: "holdout"}, false), rows(Filter{Kind: "action", Name: "none"}, false); h != held || o != none || held == 0 || acted+h+o != r.Len() {
		t.Errorf("actions: %d acted, %d held out (want %d), %d none (want %d), of %d", acted, h, held, o, none, r.Len())
	}
	for _, f := range []Filter{{Kind: "segment", Name: "nope"}, {Kind: "colour", Name: "red"}, {Kind: "action", Name: "teleport"}} {
		if _, err := r.Selector(f); !errors.Is(err, ErrFilter) {
			t.Errorf("%+v: %v", f, err)
		}
	}
	if f, err := ParseFilter("tier=core"); err != nil || f != (Filter{Kind: "tier", Name: "core"}) {
		t.Errorf("ParseFilter: %+v %v", f, err)
	}
	if _, err := ParseFilter("core"); !errors.Is(err, ErrFilter) {
		t.Errorf("ParseFilter(core): %v", err)
	}
}

// plannedGrocery scores and plans the grocery sample with the defaults.
func plannedGrocery(t *testing.T) (*Dataset, *Result) {
	t.Helper()
	ds := sampleDataset(t, "grocery_en.csv")
	sc := scenario.Default()
	r, err := ds.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ds.Plan(r, sc.Plan); err != nil {
		t.Fatal(err)
	}
	return ds, r
}

// TestChineseCSVValues writes the Chinese customer CSV with predictions
// and a plan: the class, tier, stage, segment, tag and action columns and
// the hold-out flag hold no Latin letters.
func TestChineseCSVValues(t *testing.T) {
	ds, r := plannedGrocery(t)
	var b bytes.Buffer
	if err := ds.WriteCSV(&b, r, CSVOptions{Chinese: true}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string]bool{"RFM分类": true, "价值层级": true, "生命周期阶段": true, "标签": true, "细分": true, "运营动作": true, "对照组": true}
	latin := regexp.MustCompile(`[A-Za-z]`)
	actions := 0
	for _, rec := range recs[1:] {
		for j, v := range rec {
			if cols[recs[0][j]] && latin.MatchString(v) {
				t.Fatalf("%s holds %q", recs[0][j], v)
			}
			if recs[0][j] == "运营动作" && v != "" {
				actions++
			}
		}
	}
	if actions == 0 {
		t.Fatal("no customer has an action: the test shows nothing")
	}
}
