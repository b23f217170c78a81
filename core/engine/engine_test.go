package engine

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/scenario"
	"segsim/core/tier"
	"segsim/seeds/samples"
)

func loadSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../seeds/samples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sampleDataset loads a bundled sample with the default options.
func sampleDataset(t testing.TB, name string) *Dataset {
	t.Helper()
	data, err := samples.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load(data, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func csvOf(t *testing.T, ds *Dataset, r *Result) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ds.WriteCSV(&buf, r, CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestIncrementalRunsMatchFreshRuns changes knobs one after another on one
// Dataset (which re-scores only what changed) and compares every step with
// a fresh Dataset running the same scenario from scratch.
func TestIncrementalRunsMatchFreshRuns(t *testing.T) {
	data := loadSample(t, "apparel_zh.csv")
	ds, err := Load(data, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	steps := []string{
		`{}`,
		`{"rfm":{"r":{"method":"cuts","cuts":[30,90,180,365]}}}`,
		`{"rfm":{"r":{"method":"cuts","cuts":[20,60,120,300]}}}`,
		`{"rfm":{"m":{"method":"cuts","cuts":[50,150,300,600]}}}`,
		`{"rfm":{"m":{"method":"cuts","cuts":[55,150,320,600]}}}`,  // a few customers move
		`{"rfm":{"m":{"method":"cuts","cuts":[55,150,320,2000]}}}`, // many move: all are scored
		`{"rfm":{"f":{"method":"cuts","cuts":[2,3,5,8]}}}`,
		`{"rfm":{"f":{"method":"cuts","cuts":[2,4,5,8]}}}`,
		`{"segments":{"scheme":"rfm8"}}`,
		`{"rfm":{"m":{"method":"cuts","cuts":[60,150,320,2000]}}}`,
		`{"segments":{"scheme":"rfm11"}}`,
		`{"rfm":{"r":{"method":"cuts","cuts":[25,60,120,300]}}}`,
		`{"rfm":{"f":{"method":"quantile","levels":3}}}`,
		`{"rfm":{"ties":"split"}}`, // F by rank; R and M cuts stay
		`{"rfm":{"r":{"method":"quantile","levels":5}}}`,
		`{"rfm":{"ties":"together"}}`,
		`{"rfm":{"ties":"split"}}`,
		`{"segments":{"scheme":"rfm8"}}`,
		`{"rfm":{"split_r":{"method":"median"}}}`,
		`{"rfm":{"split_m":{"method":"score","value":4}}}`,
		`{"segments":{"scheme":"custom","custom":{"name":"c","rules":[{"name":"whale","when":[{"field":"revenue","min":"p95"}]},{"name":"fresh","when":[{"field":"r_score","min":4}]}],"default":"rest"}}}`,
		`{"tiers":{"basis":"customer_share","cuts":[0.05,0.2,0.5]}}`,
		`{"lifecycle":{"churn_days":120}}`,
		`{"window":{"asof":"2026-03-01"}}`,
		`{"tags":[{"name":"hi_f","when":[{"field":"f_score","min":3}]}]}`,
		`{"rfm":{"frequency":"days","monetary":"aov"}}`,
		`{"clean":{"returns":"drop","outliers":"exclude"}}`,
		`{"window":{"start":"2025-01-01","asof":""}}`,
	}
	sc := scenario.Default()
	for i, step := range steps {
		if err := sc.Overlay([]byte(step)); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		got, err := ds.Run(sc)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		fresh, err := Load(data, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want, err := fresh.Run(sc)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(csvOf(t, ds, got), csvOf(t, fresh, want)) {
			t.Fatalf("step %d (%s): incremental run differs from a fresh run", i, step)
		}
		if got.ClassCount != want.ClassCount || !slices.Equal(got.SegmentCount, want.SegmentCount) || got.TierCount != want.TierCount ||
			got.StageCount != want.StageCount || got.TagCount != want.TagCount || got.Revenue != want.Revenue {
			t.Fatalf("step %d (%s): counts differ", i, step)
		}
	}
}

func TestSchemes(t *testing.T) {
	ds, err := Load(loadSample(t, "grocery_en.csv"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sc := scenario.Default()
	sc.Segments.Scheme = "rfm8"
	r, err := ds.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Segment, r.Class) || r.Check != nil {
		t.Error("rfm8: segments differ from classes")
	}
	sc.Segments.Scheme = "rfm11"
	r, err = ds.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, g := range ds.Table(r, "segment") {
		total += g.Customers
	}
	if total != r.Len() || len(r.SegmentNames) != 12 || r.Check == nil || r.Check.Gaps != 0 {
		t.Errorf("rfm11: %d of %d customers, names %v", total, r.Len(), r.SegmentNames)
	}
	rep := ds.Report(r)
	if rep.Load.RowsRead != rep.Load.RowsKept+rep.Load.RowsSkipped || rep.Load.RowsSkipped == 0 {
		t.Errorf("load report %+v", rep.Load)
	}
}

func TestChineseCSV(t *testing.T) {
	ds, err := Load(loadSample(t, "livestream_zh.csv"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := ds.Run(scenario.Default())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ds.WriteCSV(&buf, r, CSVOptions{BOM: true, Chinese: true}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff客户ID,首次购买日期")) {
		t.Errorf("head %q", buf.Bytes()[:40])
	}
	// The values are Chinese too, row for row the English file's.
	var en bytes.Buffer
	if err := ds.WriteCSV(&en, r, CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	zh, _ := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	eng, _ := csv.NewReader(&en).ReadAll()
	classZh := map[string]string{}
	for i, l := range classLabels() {
		classZh[rfm.ClassNames[i]] = l.Zh
	}
	for i := 1; i < len(eng); i++ {
		e, z := eng[i], zh[i]
		if z[0] != e[0] || z[10] != classZh[e[10]] || z[11] != tier.NamesZh[slices.Index(tier.Names[:], e[11])] ||
			z[12] != lifecycle.NamesZh[slices.Index(lifecycle.Names[:], e[12])] || z[14] == e[14] {
			t.Fatalf("row %d: %v\n english %v", i, z, e)
		}
	}
}

func TestPredictionsInResult(t *testing.T) {
	ds, err := Load(loadSample(t, "cdnow.csv"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sc := scenario.Default()
	plain, err := ds.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	atRiskBefore := plain.StageCount[4]
	sc.Predict.Enabled = true
	r, err := ds.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	if r.Pred == nil || len(r.Pred.PAlive) != r.Len() {
		t.Fatal("no predictions")
	}
	for i, p := range r.Pred.PAlive {
		if !(p >= 0 && p <= 1) || r.Pred.Expected[i] < 0 || r.Pred.CLV[i] < 0 {
			t.Fatalf("customer %d: p_alive %v expected %v clv %v", i, p, r.Pred.Expected[i], r.Pred.CLV[i])
		}
	}
	if r.StageCount[4] <= atRiskBefore {
		t.Errorf("P(alive) < 0.5 should add at-risk customers: %d → %d", atRiskBefore, r.StageCount[4])
	}
	out := csvOf(t, ds, r)
	if !bytes.Contains(out[:220], []byte(",aov,p_alive,expected_purchases,expected_spend,clv\n")) {
		t.Errorf("csv head %q", out[:220])
	}
	// expected_spend is Gamma-Gamma's conditional expectation of each
	// customer's spend per order, from the fitted model and the summary.
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f := r.Pred.Model
	for i, row := range rows[1:] {
		x, m := f.Summary.Frequency[i], max(f.Summary.Monetary[i], 0)
		if x > 0 && m == 0 {
			x = 0
		}
		want := strconv.FormatFloat(f.GammaGamma.ConditionalExpectedValue(x, m), 'f', 2, 64)
		if got := row[len(row)-2]; got != want {
			t.Fatalf("customer %s: expected_spend %s, want %s", row[0], got, want)
		}
	}
}

func TestPlanColumns(t *testing.T) {
	ds, err := Load(loadSample(t, "apparel_zh.csv"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sc := scenario.Default()
	r, err := ds.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	sc.Plan.Budget = 20000
	plan, err := ds.Plan(r, sc.Plan)
	if err != nil {
		t.Fatal(err)
	}
	contacted, held := 0, 0
	for i, a := range r.Assigned.Action {
		if a >= 0 {
			contacted++
		}
		if r.Assigned.Holdout[i] {
			held++
		}
	}
	if contacted == 0 || held == 0 || plan.Total.Cost > 20000 {
		t.Errorf("contacted %d held out %d cost %v", contacted, held, plan.Total.Cost)
	}
	out := csvOf(t, ds, r)
	if !bytes.Contains(out[:300], []byte(",aov,action,holdout\n")) {
		t.Errorf("header %q", out[:200])
	}
	if _, err := ds.Run(sc); err != nil || r.Assigned != nil {
		t.Error("a new run must drop the old plan")
	}
}

// TestWriteJSONEscapes writes ids holding control characters, quotes,
// backslashes, U+2028, invalid UTF-8 and Chinese, and a carried column,
// and reads them back with encoding/json.
func TestWriteJSONEscapes(t *testing.T) {
	ids := []string{"a\x01b", `q"uote`, `back\slash`, "line\u2028sep", "客户<1>&", "tab\there"}
	in := []byte("customer_id,order_date,amount,note\n")
	for i, id := range ids {
		cell := `"` + strings.ReplaceAll(id, `"`, `""`) + `"`
		in = fmt.Appendf(in, "%s,2024-01-%02d,%d,n\x02%d\n", cell, i+1, 10+i, i)
	}
	ds, err := Load(in, ingest.Options{Carry: []string{"note"}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := ds.Run(scenario.Default())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ds.WriteJSON(&buf, r, Filter{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Customers []struct {
			ID    string            `json:"customer_id"`
			Carry map[string]string `json:"carry"`
		} `json:"customers"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, buf.Bytes())
	}
	var got []string
	for _, c := range doc.Customers {
		got = append(got, c.ID)
		if !strings.HasPrefix(c.Carry["note"], "n\x02") {
			t.Errorf("%q: carried note %q", c.ID, c.Carry["note"])
		}
	}
	slices.Sort(got)
	want := slices.Clone(ids)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("ids %q, want %q", got, want)
	}
}

// TestResultsCoexist keeps one scenario's result (cloned) while another
// runs on the same dataset, and checks both against fresh runs.
func TestResultsCoexist(t *testing.T) {
	ds := sampleDataset(t, "grocery_en.csv")
	a := scenario.Default()
	b := scenario.Default()
	b.Segments.Scheme = "rfm8"
	b.RFM.R.Method, b.RFM.R.Cuts = "cuts", []float64{10, 20, 40, 80}
	ra, err := ds.Run(a)
	if err != nil {
		t.Fatal(err)
	}
	keep := ra.Clone()
	want := csvOf(t, ds, ra)
	rb, err := ds.Run(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := csvOf(t, ds, keep); !bytes.Equal(got, want) {
		t.Error("the kept result changed when another scenario ran")
	}
	fresh := sampleDataset(t, "grocery_en.csv")
	wb, err := fresh.Run(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(csvOf(t, ds, rb), csvOf(t, fresh, wb)) {
		t.Error("B differs from a fresh run")
	}
}

// TestPredictionsAuto asks for the model chosen on the data: all three are
// scored on the last quarter, the kept one is the best, and a span too
// short to hold a quarter out is refused with the reason.
func TestPredictionsAuto(t *testing.T) {
	ds := sampleDataset(t, "cdnow.csv")
	sc := scenario.Default()
	sc.Predict.Enabled = true
	sc.Predict.Model = "auto"
	r, err := ds.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	f := r.Pred.Model
	if len(f.Comparison) != 3 || f.ModelName != f.Comparison[0].Model || f.ChosenBy == "" {
		t.Fatalf("model %s, comparison %+v, %q", f.ModelName, f.Comparison, f.ChosenBy)
	}
	for i := 1; i < 3; i++ {
		if f.Comparison[i].Err == "" && f.Comparison[i].BucketError < f.Comparison[0].BucketError {
			t.Errorf("kept %s but %s scored better: %+v", f.ModelName, f.Comparison[i].Model, f.Comparison)
		}
	}
	sc.Window.AsOf = "1997-02-15" // six weeks of data
	if _, err := ds.Run(sc); err == nil || !strings.Contains(err.Error(), "16 weeks") {
		t.Errorf("a short span: %v", err)
	}
}

// TestLean checks that a lean dataset scores, segments and tags every
// customer as a full one does, and leaves out only the buyer split and
// series and the texts of the split edges.
func TestLean(t *testing.T) {
	for _, name := range []string{"grocery_en.csv", "apparel_zh.csv"} {
		full, lean := sampleDataset(t, name), sampleDataset(t, name)
		lean.Lean = true
		s := scenario.Default()
		want, err := full.Run(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := lean.Run(s)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Segment, want.Segment) || !slices.Equal(got.Class, want.Class) || !slices.Equal(got.Tags, want.Tags) ||
			!slices.Equal(got.Tier, want.Tier) || !slices.Equal(got.Stage, want.Stage) || !slices.Equal(got.SegmentCount, want.SegmentCount) {
			t.Errorf("%s: lean labels differ", name)
		}
		if want.Buyers.NewBuyers == 0 || len(want.BuyerSeries) == 0 || want.Split[0].Text == "" {
			t.Fatalf("%s: the full run has no buyer split, series or split texts", name)
		}
		if got.Buyers != (lifecycle.Split{}) || got.BuyerSeries != nil {
			t.Errorf("%s: lean run has a buyer split or series", name)
		}
		for i := range got.Split {
			if got.Split[i].Text != "" || got.Split[i].Value != want.Split[i].Value || got.Split[i].Dim != want.Split[i].Dim {
				t.Errorf("%s: split %d: %+v, full %+v", name, i, got.Split[i], want.Split[i])
			}
		}
	}
}

// TestDayRange: the first and last day of a file of several blocks of
// rows, the extremes at a block's edges, one of them before 1970; and
// LastDay, which counts from day 0.
func TestDayRange(t *testing.T) {
	for _, late := range []string{"2030-06-30", "1966-01-01"} {
		var b strings.Builder
		b.WriteString("customer_id,order_date,amount\n")
		for i := range 2*dayBlock + 5 {
			date := "1967-05-05"
			switch i {
			case dayBlock - 1:
				date = "1965-03-01"
			case dayBlock:
				date = late
			}
			fmt.Fprintf(&b, "c%d,%s,10\n", i%100, date)
		}
		d, err := Load([]byte(b.String()), ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		first, last, ok := d.DayRange()
		wantLast, _ := calendar.Parse(max(late, "1967-05-05"))
		wantFirst, _ := calendar.Parse("1965-03-01")
		if !ok || first != wantFirst || last != wantLast || d.LastDay != max(0, wantLast) {
			t.Errorf("late %s: DayRange %d..%d %v, LastDay %d; want %d..%d, LastDay %d", late, first, last, ok, d.LastDay, wantFirst, wantLast, max(0, wantLast))
		}
	}
}
