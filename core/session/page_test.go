package session

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/scenario"
)

// TestPageTablesMatchTable checks that the page's tables, computed without
// sorting, give the numbers of engine.Dataset.Table for every grouping.
func TestPageTablesMatchTable(t *testing.T) {
	for _, name := range []string{"cdnow.csv", "apparel_zh.csv"} {
		d := sampleDataset(t, name)
		p := NewPage(d) // one page across runs: its caches must follow the labels
		for _, scheme := range []string{"rfm11", "rfm8", "rfm11"} {
			s := scenario.Default()
			s.Segments.Scheme = scheme
			r, err := d.Run(s)
			if err != nil {
				t.Fatal(err)
			}
			v := p.View(r, RunConfig{Frequency: s.RFM.Frequency, Monetary: s.RFM.Monetary}, 5)
			for _, c := range []struct {
				by  string
				got []engine.Group
			}{{"class", v.Classes}, {"segment", v.Segments}, {"tier", v.TierTable}, {"stage", v.Stages}} {
				want := d.Table(r, c.by)
				if len(want) != len(c.got) {
					t.Fatalf("%s %s %s: %d groups, want %d", name, scheme, c.by, len(c.got), len(want))
				}
				for k := range want {
					g, w := c.got[k], want[k]
					if g.Name != w.Name || g.Customers != w.Customers || g.Orders != w.Orders ||
						g.MedianRecency != w.MedianRecency || math.Abs(g.Revenue-w.Revenue) > 0.01 {
						t.Errorf("%s %s %s[%d]: got %+v, want %+v", name, scheme, c.by, k, g, w)
					}
				}
			}
			total := 0
			for _, cell := range v.Grid {
				total += cell.Customers
			}
			if total != r.Len() {
				t.Errorf("%s: grid holds %d customers, want %d", name, total, r.Len())
			}
			rows, n := p.Rows(r, -1, 10, 5)
			if len(rows) != 5 || n != r.Len() {
				t.Errorf("%s: rows %d of %d, want 5 of %d", name, len(rows), n, r.Len())
			}
		}
	}
}

// TestPageNear checks the customers listed below each tier threshold
// against a sort of all customers.
func TestPageNear(t *testing.T) {
	d := sampleDataset(t, "cdnow.csv")
	r, err := d.Run(scenario.Default())
	if err != nil {
		t.Fatal(err)
	}
	p := NewPage(d)
	got := p.near(r, 5)
	order := p.sortedByRevenue()
	c := d.Customers
	k := 0
	for tierIdx, th := range r.TierThresholds {
		var want []string
		for _, i := range order {
			if c.Revenue[i] < th && len(want) < 5 {
				want = append(want, c.ID(int(i)))
			}
		}
		for _, id := range want {
			if k >= len(got) || got[k].ID != id {
				t.Fatalf("tier %d: near customer %d is %+v, want %s", tierIdx, k, got[min(k, len(got)-1)], id)
			}
			k++
		}
	}
}

// TestPageRows checks each page of the customer table, for every segment
// and for all customers, against a filter of the revenue order, and that
// the totals match a count.
func TestPageRows(t *testing.T) {
	d := sampleDataset(t, "apparel_zh.csv")
	p := NewPage(d)
	for _, scheme := range []string{"rfm11", "rfm8"} {
		s := scenario.Default()
		s.Segments.Scheme = scheme
		r, err := d.Run(s)
		if err != nil {
			t.Fatal(err)
		}
		label := r.Segment
		if scheme == "rfm8" {
			label = r.Class
		}
		for seg := -1; seg < len(r.SegmentNames)+1; seg++ {
			var want []int32
			for _, c := range p.sortedByRevenue() {
				if seg < 0 || int(label[c]) == seg {
					want = append(want, c)
				}
			}
			for _, pg := range [][2]int{{0, 20}, {20, 20}, {len(want) - 3, 20}, {len(want) + 5, 20}, {0, 0}} {
				rows, total := p.Rows(r, seg, pg[0], pg[1])
				if total != len(want) {
					t.Fatalf("%s segment %d: total %d, want %d", scheme, seg, total, len(want))
				}
				lo, hi := min(max(pg[0], 0), len(want)), min(max(pg[0], 0)+pg[1], len(want))
				if len(rows) != hi-lo {
					t.Fatalf("%s segment %d page %v: %d rows, want %d", scheme, seg, pg, len(rows), hi-lo)
				}
				for i, row := range rows {
					if c := want[lo+i]; row.ID != d.Customers.ID(int(c)) {
						t.Fatalf("%s segment %d page %v row %d: %s, want %s", scheme, seg, pg, i, row.ID, d.Customers.ID(int(c)))
					}
				}
			}
		}
	}
}

// TestIncrementalViewsMatchFresh changes knobs one after another on one
// Page (which keeps its caches) and compares each view with the view a
// fresh dataset and page give.
func TestIncrementalViewsMatchFresh(t *testing.T) {
	data := sample(t, "apparel_zh.csv")
	ds, err := engine.Load(data, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	steps := []string{
		`{}`,
		`{"rfm":{"r":{"method":"cuts","cuts":[30,90,180,365]}}}`,
		`{"rfm":{"m":{"method":"cuts","cuts":[55,150,320,600]}}}`,
		`{"rfm":{"f":{"method":"cuts","cuts":[2,4,5,8]}}}`,
		`{"segments":{"scheme":"rfm8"}}`,
		`{"tiers":{"basis":"customer_share","cuts":[0.05,0.2,0.5]}}`,
		`{"lifecycle":{"churn_days":120}}`,
		`{"window":{"asof":"2026-03-01"}}`,
		`{"rfm":{"frequency":"days","monetary":"aov"}}`,
		`{"clean":{"returns":"drop","outliers":"exclude"}}`,
	}
	sc := scenario.Default()
	page := NewPage(ds)
	for i, step := range steps {
		if err := sc.Overlay([]byte(step)); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		got := mustRun(t, ds, sc)
		fresh, err := engine.Load(data, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := mustRun(t, fresh, sc)
		cfg := RunConfig{Frequency: sc.RFM.Frequency, Monetary: sc.RFM.Monetary}
		gv, err := json.Marshal(page.View(got, cfg, 8))
		if err != nil {
			t.Fatal(err)
		}
		wv, _ := json.Marshal(NewPage(fresh).View(want, cfg, 8))
		if !bytes.Equal(gv, wv) {
			t.Fatalf("step %d (%s): page view differs from a fresh one:\n%.300s\n%.300s", i, step, gv, wv)
		}
	}
}
