package tier

import (
	"slices"
	"testing"
)

func TestThresholds(t *testing.T) {
	// Revenue 50, 20, 10, 10, 5, 5 (total 100).
	asc := []int64{5, 5, 10, 10, 20, 50}
	r := Rank(asc)
	// 50% of revenue: the top customer alone makes 50 → core ≥ 50.
	// 80%: 50+20 = 70 < 80, +10 = 80 → threshold 10, which includes the
	// other 10 too (equal revenue shares a tier). 95%: 90 < 95, +5 = 95 → 5.
	got := r.Thresholds(Default())
	if got != [3]int64{50, 10, 5} {
		t.Fatalf("thresholds %v", got)
	}
	out := make([]uint8, 6)
	rev := []int64{50, 20, 10, 10, 5, 5}
	Assign(rev, got, out)
	if !slices.Equal(out, []uint8{0, 1, 1, 1, 2, 2}) {
		t.Errorf("tiers %v", out)
	}
	// Customer shares: top 1/6 → 50; top 50% → 3 customers → 10.
	cs := r.Thresholds(Config{Basis: "customer_share", Cuts: [3]float64{0.16, 0.5, 1}})
	if cs != [3]int64{50, 10, 5} {
		t.Errorf("customer share thresholds %v", cs)
	}
	sp := r.Thresholds(Config{Basis: "spend", Cuts: [3]float64{0.4, 0.1, 0.05}})
	if sp != [3]int64{40, 10, 5} {
		t.Errorf("spend thresholds %v", sp)
	}
	b := r.Boundaries(got, 0.5)
	// Below 50 within 50%: revenue in [25, 50) → none; below 10 within 50%: [5,10) → 2.
	if b[0].Count != 1 || b[0].Near != 0 || b[1].Count != 4 || b[1].Near != 2 {
		t.Errorf("boundaries %+v", b)
	}
	p := r.Pareto(3)
	if len(p) != 4 || p[1].Revenue != 0.7 || p[3].Revenue != 1 {
		t.Errorf("pareto %+v", p)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []Config{
		{Basis: "revenue_share", Cuts: [3]float64{0.5, 0.4, 0.9}},
		{Basis: "spend", Cuts: [3]float64{1, 2, 3}},
		{Basis: "share", Cuts: [3]float64{0.1, 0.2, 0.3}},
		{Basis: "customer_share", Cuts: [3]float64{0, 0.2, 0.3}},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil", c)
		}
	}
}
