package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"segsim/seeds/exports"
)

// TestExports scores every file of the export corpus (seeds/exports) with
// no flags and compares each customer's dates, frequency and monetary
// with the answer the generator computed from its ground truth.
func TestExports(t *testing.T) {
	files, err := exports.Corpus()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		t.Run(f.Name, func(t *testing.T) {
			path := filepath.Join(dir, f.Name)
			if err := os.WriteFile(path, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errs := runCLI(t, "", "score", path, "--quiet")
			if code != 0 {
				t.Fatalf("segsim score %s: exit %d: %s", f.Name, code, strings.TrimSpace(errs))
			}
			got, err := readScores(out)
			if err != nil {
				t.Fatalf("read output: %v\n%.500s", err, out)
			}
			if diff := compareScores(f.Expected, got); diff != "" {
				t.Errorf("%s (%s):\n%s", f.Name, f.Shape, diff)
			}
		})
	}
}

// customerScore is the part of an output row the corpus checks.
type customerScore struct {
	first, last, frequency, monetary string
}

// String writes s as first..last ×frequency monetary.
func (s customerScore) String() string {
	return fmt.Sprintf("%s..%s ×%s %s", s.first, s.last, s.frequency, s.monetary)
}

// readScores reads segsim score's CSV into customer id → score.
func readScores(out string) (map[string]customerScore, error) {
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("no header")
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, h := range []string{"customer_id", "first_date", "last_date", "frequency", "monetary"} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("no column %s in %q", h, recs[0])
		}
	}
	got := map[string]customerScore{}
	for _, r := range recs[1:] {
		id := r[col["customer_id"]]
		if _, dup := got[id]; dup {
			return nil, fmt.Errorf("customer %q twice", id)
		}
		got[id] = customerScore{r[col["first_date"]], r[col["last_date"]], r[col["frequency"]], r[col["monetary"]]}
	}
	return got, nil
}

// compareScores describes every difference between want and got: a count
// of missing, unexpected and differing customers and the first few of
// them, expected vs got; "" when they agree.
func compareScores(want []exports.Result, got map[string]customerScore) string {
	const show = 5
	var missing, differ, lines []string
	wantIDs := map[string]bool{}
	for _, w := range want {
		wantIDs[w.CustomerID] = true
		ws := customerScore{w.First, w.Last, strconv.Itoa(w.Frequency), w.Monetary()}
		g, ok := got[w.CustomerID]
		switch {
		case !ok:
			missing = append(missing, w.CustomerID)
			lines = append(lines, fmt.Sprintf("  %q: want %v, missing", w.CustomerID, ws))
		case g != ws:
			differ = append(differ, w.CustomerID)
			lines = append(lines, fmt.Sprintf("  %q: want %v, got %v", w.CustomerID, ws, g))
		}
	}
	var extra []string
	for id := range got {
		if !wantIDs[id] {
			extra = append(extra, id)
		}
	}
	slices.Sort(extra)
	for _, id := range extra {
		lines = append(lines, fmt.Sprintf("  %q: not expected, got %v", id, got[id]))
	}
	if len(lines) == 0 {
		return ""
	}
	head := fmt.Sprintf("%d customers expected, %d written: %d missing, %d unexpected, %d differ; first %d:",
		len(want), len(got), len(missing), len(extra), len(differ), min(show, len(lines)))
	return head + "\n" + strings.Join(lines[:min(show, len(lines))], "\n")
}

func TestCompareScores(t *testing.T) {
	want := []exports.Result{
		{CustomerID: "a", First: "2024-01-02", Last: "2024-03-04", Frequency: 2, Cents: 12050},
		{CustomerID: "b", First: "2024-01-02", Last: "2024-01-02", Frequency: 1, Cents: 999},
	}
	same := map[string]customerScore{"a": {"2024-01-02", "2024-03-04", "2", "120.50"}, "b": {"2024-01-02", "2024-01-02", "1", "9.99"}}
	if d := compareScores(want, same); d != "" {
		t.Errorf("equal answers differ:\n%s", d)
	}
	off := map[string]customerScore{"a": {"2024-01-02", "2024-03-04", "2", "120.49"}, "c": {"2024-01-02", "2024-01-02", "1", "1.00"}}
	d := compareScores(want, off)
	for _, s := range []string{"1 missing, 1 unexpected, 1 differ", `"a": want 2024-01-02..2024-03-04 ×2 120.50, got 2024-01-02..2024-03-04 ×2 120.49`,
		`"b": want 2024-01-02..2024-01-02 ×1 9.99, missing`, `"c": not expected`} {
		if !strings.Contains(d, s) {
			t.Errorf("report lacks %q:\n%s", s, d)
		}
	}
}
