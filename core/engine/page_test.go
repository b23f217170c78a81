package engine

import (
	"math"
	"testing"

	"segsim/core/ingest"
	"segsim/core/scenario"
	"segsim/seeds/samples"
)

// TestPageTablesMatchTable checks that the page's tables, computed without
// sorting, give the numbers of Dataset.Table for every grouping.
func TestPageTablesMatchTable(t *testing.T) {
	for _, name := range []string{"cdnow.csv", "apparel_zh.csv"} {
		data, err := samples.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Load(data, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
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
				got []Group
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
	data, err := samples.FS.ReadFile("cdnow.csv")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load(data, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
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
