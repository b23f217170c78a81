package engine

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/scenario"
)

// cdnowPath is the CDNOW master file, bundled as a sample.
const cdnowPath = "../../seeds/samples/cdnow.csv"

// independent holds one customer's numbers computed the slow, obvious way.
type independent struct {
	first, last time.Time
	rows        int
	days        map[string]bool
	cents       int64
}

// cdnowByHand reads the CDNOW file with encoding/csv, time.Parse and maps:
// nothing of the engine's ingest or summary code is used.
func cdnowByHand(t *testing.T) (map[string]*independent, time.Time) {
	t.Helper()
	f, err := os.Open(cdnowPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*independent{}
	var lastAll time.Time
	for _, r := range recs[1:] {
		d, err := time.Parse("20060102", r[1])
		if err != nil {
			t.Fatal(err)
		}
		amt, err := strconv.ParseFloat(r[3], 64)
		if err != nil {
			t.Fatal(err)
		}
		c := out[r[0]]
		if c == nil {
			c = &independent{first: d, last: d, days: map[string]bool{}}
			out[r[0]] = c
		}
		if d.Before(c.first) {
			c.first = d
		}
		if d.After(c.last) {
			c.last = d
		}
		if d.After(lastAll) {
			lastAll = d
		}
		c.rows++
		c.days[r[1]] = true
		c.cents += int64(math.Round(amt * 100))
	}
	return out, lastAll.AddDate(0, 0, 1)
}

// TestCDNOWAgainstIndependentComputation checks every customer's row of the
// CSV export against numbers computed by hand from the raw file, and the
// quantile scores and mean-split classes against a sort-based computation
// of the definitions.
func TestCDNOWAgainstIndependentComputation(t *testing.T) {
	want, asOf := cdnowByHand(t)
	data, err := os.ReadFile(cdnowPath)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Load(data, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ds.Run(scenario.Default())
	if err != nil {
		t.Fatal(err)
	}
	if got := calendar.Format(res.AsOfDay); got != "1998-07-01" || asOf.Format("2006-01-02") != got {
		t.Fatalf("as-of %s, by hand %s, want 1998-07-01", got, asOf.Format("2006-01-02"))
	}
	var buf bytes.Buffer
	if err := ds.WriteCSV(&buf, res, CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0][:14], []string{"customer_id", "first_date", "last_date", "recency_days", "frequency", "purchase_days", "monetary", "r_score", "f_score", "m_score", "rfm_class", "tier", "stage", "tags"}) {
		t.Fatalf("header = %v", recs[0])
	}
	rows := recs[1:]
	if len(rows) != 23570 || len(want) != 23570 {
		t.Fatalf("customers: export %d, by hand %d, want 23570", len(rows), len(want))
	}
	for _, r := range rows {
		c := want[r[0]]
		if c == nil {
			t.Fatalf("customer %s not in the file", r[0])
		}
		rec := int(asOf.Sub(c.last).Hours() / 24)
		exp := []string{r[0], c.first.Format("2006-01-02"), c.last.Format("2006-01-02"), strconv.Itoa(rec),
			strconv.Itoa(c.rows), strconv.Itoa(len(c.days)), strconv.FormatFloat(float64(c.cents)/100, 'f', 2, 64)}
		if !slices.Equal(r[:7], exp) {
			t.Fatalf("customer %s: export %v, by hand %v", r[0], r[:7], exp)
		}
		if r[0] == "00001" && (r[3] != "546" || r[4] != "1" || r[6] != "11.77") {
			t.Fatalf("customer 00001: %v; want recency 546, frequency 1, monetary 11.77", r)
		}
	}

	// Quantile scores by definition: score = 1 + floor(5 × (number of
	// customers with a strictly worse value) / n).
	n := len(rows)
	type kv struct {
		id  string
		key float64
	}
	for dim, col := range map[string]func(c *independent) float64{
		"r": func(c *independent) float64 { return -asOf.Sub(c.last).Hours() },
		"f": func(c *independent) float64 { return float64(c.rows) },
		"m": func(c *independent) float64 { return float64(c.cents) },
	} {
		vals := make([]float64, 0, n)
		for _, c := range want {
			vals = append(vals, col(c))
		}
		sort.Float64s(vals)
		scoreCol := map[string]int{"r": 7, "f": 8, "m": 9}[dim]
		for _, r := range rows {
			v := col(want[r[0]])
			worse := sort.SearchFloat64s(vals, v)
			exp := 1 + 5*worse/n
			if r[scoreCol] != strconv.Itoa(exp) {
				t.Fatalf("customer %s %s score %s, by definition %d", r[0], dim, r[scoreCol], exp)
			}
		}
	}

	// Classes: high/low at the mean of each raw dimension.
	var sumRec, sumF, sumM float64
	for _, c := range want {
		sumRec += asOf.Sub(c.last).Hours() / 24
		sumF += float64(c.rows)
		sumM += float64(c.cents) / 100
	}
	meanRec, meanF, meanM := sumRec/float64(n), sumF/float64(n), sumM/float64(n)
	names := map[[3]bool]string{
		{true, true, true}: "important_value", {false, true, true}: "important_keep",
		{true, false, true}: "important_develop", {false, false, true}: "important_retain",
		{true, true, false}: "general_value", {false, true, false}: "general_keep",
		{true, false, false}: "general_develop", {false, false, false}: "general_retain",
	}
	for _, r := range rows {
		c := want[r[0]]
		k := [3]bool{asOf.Sub(c.last).Hours()/24 < meanRec, float64(c.rows) > meanF, float64(c.cents)/100 > meanM}
		if r[10] != names[k] {
			t.Fatalf("customer %s class %s, by definition %s", r[0], r[10], names[k])
		}
	}

	// Tiers: rank by revenue; core makes the first 50% of revenue, etc.
	type cr struct {
		id    string
		cents int64
	}
	var ranked []cr
	var total int64
	for id, c := range want {
		ranked = append(ranked, cr{id, c.cents})
		total += c.cents
	}
	sort.Slice(ranked, func(i, j int) bool { return ranked[i].cents > ranked[j].cents })
	tierOf := map[string]string{}
	thresholds := []int64{}
	var run int64
	cuts := []float64{0.5, 0.8, 0.95}
	for _, x := range ranked {
		run += x.cents
		for len(thresholds) < 3 && float64(run) >= cuts[len(thresholds)]*float64(total) {
			thresholds = append(thresholds, x.cents)
		}
	}
	for _, x := range ranked {
		switch {
		case x.cents >= thresholds[0]:
			tierOf[x.id] = "core"
		case x.cents >= thresholds[1]:
			tierOf[x.id] = "important"
		case x.cents >= thresholds[2]:
			tierOf[x.id] = "ordinary"
		default:
			tierOf[x.id] = "tail"
		}
	}
	for _, r := range rows {
		if r[11] != tierOf[r[0]] {
			t.Fatalf("customer %s tier %s, by definition %s", r[0], r[11], tierOf[r[0]])
		}
	}
}
