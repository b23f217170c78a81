// Package tier assigns value tiers (the pyramid: core, important, ordinary,
// tail) by revenue, and describes the Pareto curve and the customers near
// each tier boundary.
package tier

import (
	"fmt"
	"math"
	"slices"

	"segsim/core/knob"
)

// Tier is a value tier; lower is more valuable.
type Tier uint8

// The tiers.
const (
	Core Tier = iota
	Important
	Ordinary
	Tail
	NumTiers
)

// Names are the snake_case tier names, in Tier order.
var Names = [NumTiers]string{"core", "important", "ordinary", "tail"}

// NamesZh are the tiers' Chinese names, in Tier order.
var NamesZh = [NumTiers]string{"核心", "重要", "普通", "长尾"}

// Config holds the tier knobs. Cuts are three boundaries, core first:
//   - basis "revenue_share": cumulative revenue shares (default 0.5, 0.8,
//     0.95): core is the smallest set of top customers making 50% of revenue;
//   - basis "customer_share": cumulative customer shares (e.g. 0.05, 0.2, 0.5);
//   - basis "spend": minimum revenue in currency units, descending.
type Config struct {
	Basis string     `json:"basis"`
	Cuts  [3]float64 `json:"cuts"`
}

// Default returns the 50/80/95% revenue pyramid.
func Default() Config { return Config{Basis: "revenue_share", Cuts: [3]float64{0.5, 0.8, 0.95}} }

// Validate reports the first bad knob.
func (c Config) Validate() error {
	switch c.Basis {
	case "revenue_share", "customer_share":
		for i, v := range c.Cuts {
			if !(v > 0 && v <= 1) {
				return knob.Bad(fmt.Sprintf("tiers.cuts[%d]", i), v, "is not a share in (0, 1]")
			}
			if i > 0 && v < c.Cuts[i-1] {
				return knob.Bad(fmt.Sprintf("tiers.cuts[%d]", i), v, "is below the previous cut %v; shares must ascend", c.Cuts[i-1])
			}
		}
	case "spend":
		for i, v := range c.Cuts {
			if !(v >= 0) || math.IsInf(v, 0) {
				return knob.Bad(fmt.Sprintf("tiers.cuts[%d]", i), v, "is not a non-negative amount")
			}
			if i > 0 && v > c.Cuts[i-1] {
				return knob.Bad(fmt.Sprintf("tiers.cuts[%d]", i), v, "is above the previous cut %v; spend cuts must descend", c.Cuts[i-1])
			}
		}
	default:
		return knob.Bad("tiers.basis", c.Basis, "is not revenue_share, customer_share or spend")
	}
	return nil
}

// Ranking is revenue sorted with running sums from the top, built once
// per load.
type Ranking struct {
	asc    []int64 // revenue, ascending (the caller's slice, not changed)
	Prefix []int64 // Prefix[i] = the i+1 largest revenues, summed
}

// Rank builds the ranking from revenue (in cents) sorted ascending. It
// keeps ascending, which the caller must not change afterwards.
func Rank(ascending []int64) *Ranking {
	n := len(ascending)
	p := make([]int64, n)
	var s int64
	for i := range p {
		s += ascending[n-1-i]
		p[i] = s
	}
	return &Ranking{asc: ascending, Prefix: p}
}

// desc returns the i-th largest revenue (0 = the largest).
func (r *Ranking) desc(i int) int64 { return r.asc[len(r.asc)-1-i] }

// countAtLeast returns the number of revenues of at least v.
func (r *Ranking) countAtLeast(v int64) int {
	i, _ := slices.BinarySearch(r.asc, v) // first i with asc[i] >= v
	return len(r.asc) - i
}

// Thresholds returns the minimum revenue (cents) of core, important and
// ordinary. Customers with equal revenue always share a tier.
func (r *Ranking) Thresholds(c Config) [3]int64 {
	var t [3]int64
	n := len(r.asc)
	for k, cut := range c.Cuts {
		if n == 0 {
			t[k] = math.MaxInt64
			continue
		}
		i := 0
		switch c.Basis {
		case "revenue_share":
			total := r.Prefix[n-1]
			target := int64(math.Ceil(cut * float64(total)))
			i, _ = slices.BinarySearch(r.Prefix, target) // first i with Prefix[i] >= target
			if total <= 0 {
				i = 0
			}
		case "customer_share":
			i = int(math.Ceil(cut*float64(n))) - 1
		case "spend":
			t[k] = int64(math.Ceil(math.Round(cut*1e6) / 1e4))
			continue
		}
		t[k] = r.desc(max(0, min(i, n-1)))
	}
	return t
}

// Assign writes each customer's tier.
func Assign(revenue []int64, t [3]int64, out []uint8) {
	t0, t1, t2 := t[0], t[1], t[2]
	for i, v := range revenue {
		out[i] = 3 - b2u(v >= t0) - b2u(v >= t1) - b2u(v >= t2)
	}
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// Point is one point of the Pareto curve.
type Point struct {
	Customers float64 `json:"customers"` // share of customers, top first
	Revenue   float64 `json:"revenue"`   // share of revenue they make
}

// Pareto samples the cumulative revenue curve at up to n points.
func (r *Ranking) Pareto(n int) []Point {
	total := len(r.asc)
	if total == 0 {
		return nil
	}
	sum := float64(r.Prefix[total-1])
	out := []Point{{0, 0}}
	for k := 1; k <= n; k++ {
		i := (k*total + n - 1) / n
		out = append(out, Point{Customers: float64(i) / float64(total), Revenue: float64(r.Prefix[i-1]) / sum})
	}
	return out
}

// Boundary describes the customers just below a tier's threshold: the
// cheapest to move up.
type Boundary struct {
	Tier      string  `json:"tier"`
	Threshold float64 `json:"threshold"` // minimum revenue, currency
	Count     int     `json:"count"`     // customers at or above
	Near      int     `json:"near"`      // customers below it by less than Within
	Within    float64 `json:"within"`    // the band, as a share of the threshold
}

// Boundaries counts, for each threshold, the customers within a share
// within (e.g. 0.1) below it.
func (r *Ranking) Boundaries(t [3]int64, within float64) []Boundary {
	var out []Boundary
	for k, th := range t {
		b := Boundary{Tier: Names[k], Threshold: float64(th) / 100, Within: within}
		if th == math.MaxInt64 {
			out = append(out, b)
			continue
		}
		lo := int64(math.Floor(float64(th) * (1 - within)))
		// Count values >= th, and values in [lo, th).
		b.Count = r.countAtLeast(th)
		b.Near = r.countAtLeast(lo) - b.Count
		out = append(out, b)
	}
	return out
}
