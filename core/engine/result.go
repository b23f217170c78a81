package engine

import (
	"segsim/core/scenario"
	"slices"

	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/segment"
	"segsim/core/summary"
	"segsim/core/tier"
)

// SplitEdge is the high/low boundary of one dimension for the 8 classes.
type SplitEdge struct {
	Dim     string  `json:"dim"`
	OnScore bool    `json:"on_score,omitempty"`
	Value   float64 `json:"value"`
	Text    string  `json:"text"`
}

// Result holds per-customer labels (index i is customer i of the
// Dataset's Customers) and counts per class, segment, tier and stage.
type Result struct {
	AsOfDay int32

	R, F, M []uint8  // scores, 1-based
	Class   []uint8  // rfm.Class
	Segment []uint8  // index into SegmentNames
	Tier    []uint8  // tier.Tier
	Stage   []uint8  // lifecycle.Stage
	Tags    []uint32 // bit k = TagRules[k]
	scratch []bool

	Bins         [3]rfm.Bins
	Split        [3]SplitEdge
	Scheme       string
	SegmentNames []string
	// SegmentLabels are the segments' display names, in the order of
	// SegmentNames.
	SegmentLabels  []segment.Label
	Check          *segment.Check
	TierThresholds [3]int64
	TagRules       []segment.Rule
	Buyers         lifecycle.Split
	// BuyerSeries is the new and returning buyers month by month
	// (lifecycle.BuyerSeries); it is not rewritten in place. It is nil for
	// a dataset read from per-customer stats, which has no order dates.
	BuyerSeries []lifecycle.Month
	// Pred holds the predictions when the scenario turns them on.
	Pred *Prediction
	// Assigned holds each customer's planned action and hold-out flag
	// after Dataset.Plan; nil before.
	Assigned *Assignment
	// scenario is the scenario of the Run (a shallow copy), which a plan
	// measuring baselines runs again one window earlier.
	scenario scenario.Scenario

	// Counts and revenue (cents) per label.
	ClassCount, TierCount, StageCount [8]int
	ClassRev, TierRev, StageRev       [8]int64
	SegmentCount                      []int   // per segment, in the order of SegmentNames
	SegmentRev                        []int64 // per segment
	TagCount                          [32]int
	Revenue                           int64

	// labels counts the Runs that rewrote Class, Segment, Tier and Stage
	// (by the label* indexes), so that views can tell a grouping changed
	// without reading it.
	labels [4]uint64
}

// The groupings of a Result, for LabelColumn and LabelGen.
const (
	LabelClass = iota
	LabelSegment
	LabelTier
	LabelStage
)

// LabelColumn returns each customer's label in grouping kind (LabelClass,
// LabelSegment, LabelTier or LabelStage).
func (r *Result) LabelColumn(kind int) []uint8 {
	return [...][]uint8{LabelClass: r.Class, LabelSegment: r.Segment, LabelTier: r.Tier, LabelStage: r.Stage}[kind]
}

// LabelGen counts the Runs that rewrote grouping kind's labels: a view
// that saw the same count need not read them again.
func (r *Result) LabelGen(kind int) uint64 { return r.labels[kind] }

func newResult(n int) *Result {
	return &Result{
		R: make([]uint8, n), F: make([]uint8, n), M: make([]uint8, n),
		Class: make([]uint8, n), Segment: make([]uint8, n), Tier: make([]uint8, n), Stage: make([]uint8, n),
		Tags: make([]uint32, n), scratch: make([]bool, n),
	}
}

// Len returns the number of customers.
func (r *Result) Len() int { return len(r.R) }

// EmptySegments names the scheme's segments without customers, leaving out
// "others" (a catch-all that is best empty).
func (r *Result) EmptySegments() []string {
	var out []string
	for s, name := range r.SegmentNames {
		if r.SegmentCount[s] == 0 && name != "others" {
			out = append(out, name)
		}
	}
	return out
}

// Clone returns a copy of r that the next Dataset.Run does not change:
// Run re-scores into the Result it returned last, so a host that keeps
// one scenario's result beside another's (an A/B comparison) clones it.
// Predictions and plan assignments, which Run replaces rather than
// rewrites, are shared.
func (r *Result) Clone() *Result {
	c := *r
	c.R, c.F, c.M = slices.Clone(r.R), slices.Clone(r.F), slices.Clone(r.M)
	c.Class, c.Segment, c.Tier, c.Stage = slices.Clone(r.Class), slices.Clone(r.Segment), slices.Clone(r.Tier), slices.Clone(r.Stage)
	c.Tags, c.scratch = slices.Clone(r.Tags), make([]bool, len(r.scratch))
	c.SegmentNames, c.TagRules = slices.Clone(r.SegmentNames), slices.Clone(r.TagRules)
	c.SegmentCount, c.SegmentRev = slices.Clone(r.SegmentCount), slices.Clone(r.SegmentRev)
	return &c
}

// countSegments counts customers and revenue per class and per segment in
// one pass.
func (r *Result) countSegments(t *summary.Customers, segments []uint8) {
	var cn [8]int
	var cr [8]int64
	n := max(len(r.SegmentNames), 8)
	r.SegmentCount = append(r.SegmentCount[:0], make([]int, n)...)
	r.SegmentRev = append(r.SegmentRev[:0], make([]int64, n)...)
	var total int64
	class := r.Class[:len(t.Revenue)]
	segments = segments[:len(t.Revenue)]
	for i, v := range t.Revenue {
		c, s := class[i]&7, segments[i]
		cn[c]++
		cr[c] += v
		r.SegmentCount[s]++
		r.SegmentRev[s] += v
		total += v
	}
	r.ClassCount, r.ClassRev, r.Revenue = cn, cr, total
}

// reassign gives the moved customers the segments of their scores under a
// score-only scheme and updates the segment counts; it reports whether any
// customer changed segment.
func (r *Result) reassign(t *summary.Customers, comp *segment.Compiled, moved []int32) bool {
	changed := false
	for _, i := range moved {
		old, s := r.Segment[i], comp.Lookup(r.R[i], r.F[i], r.M[i])
		if s == old {
			continue
		}
		v := t.Revenue[i]
		r.SegmentCount[old]--
		r.SegmentRev[old] -= v
		r.SegmentCount[s]++
		r.SegmentRev[s] += v
		r.Segment[i] = s
		changed = true
	}
	return changed
}

// countBy counts customers and revenue per label (labels below 8).
func countBy(t *summary.Customers, labels []uint8) (n [8]int, rev [8]int64) {
	for i, v := range t.Revenue {
		l := labels[i] & 7
		n[l]++
		rev[l] += v
	}
	return n, rev
}

// countTags counts the customers carrying each tag.
func (r *Result) countTags() {
	clear(r.TagCount[:])
	for _, bits := range r.Tags {
		for bits != 0 {
			k := trailingZeros(bits)
			r.TagCount[k]++
			bits &= bits - 1
		}
	}
}

func trailingZeros(x uint32) int {
	n := 0
	for x&1 == 0 {
		x >>= 1
		n++
	}
	return n
}

// Group is the business view of one segment: who and how much.
type Group struct {
	Name          string  `json:"name"`
	Customers     int     `json:"customers"`
	CustomerShare float64 `json:"customer_share"`
	Orders        int64   `json:"orders"`
	Revenue       float64 `json:"revenue"`
	RevenueShare  float64 `json:"revenue_share"`
	AOV           float64 `json:"aov"`
	MedianRecency float64 `json:"median_recency"`
	AvgFrequency  float64 `json:"avg_frequency"`
}

// Derive fills the shares and averages of a group with customers from its
// counts, given all customers and all revenue.
func (g *Group) Derive(customers, revenue float64) {
	g.CustomerShare = float64(g.Customers) / customers
	if revenue != 0 {
		g.RevenueShare = g.Revenue / revenue
	}
	g.AOV = g.Revenue / float64(max(g.Orders, 1))
	g.AvgFrequency = float64(g.Orders) / float64(g.Customers)
}

// Table returns the business numbers per label of one grouping: "class",
// "segment", "tier" or "stage".
func (d *Dataset) Table(r *Result, by string) []Group {
	var labels []uint8
	var names []string
	switch by {
	case "class":
		labels, names = r.Class, rfm.ClassNames[:]
	case "tier":
		labels, names = r.Tier, tier.Names[:]
	case "stage":
		labels, names = r.Stage, lifecycle.Names[:]
	default:
		labels, names = r.Segment, r.SegmentNames
	}
	t := d.Customers
	groups := make([]Group, len(names))
	recency := make([][]int32, len(names))
	for i, l := range labels {
		g := &groups[l]
		g.Customers++
		g.Orders += int64(t.Orders[i])
		g.Revenue += float64(t.Revenue[i]) / 100
		recency[l] = append(recency[l], r.AsOfDay-t.Last[i])
	}
	n := float64(t.Len())
	total := float64(r.Revenue) / 100
	for k := range groups {
		g := &groups[k]
		g.Name = names[k]
		if g.Customers == 0 {
			continue
		}
		g.Derive(n, total)
		rc := recency[k]
		slices.Sort(rc)
		m := len(rc) / 2
		if len(rc)%2 == 1 {
			g.MedianRecency = float64(rc[m])
		} else {
			g.MedianRecency = float64(rc[m-1]+rc[m]) / 2
		}
	}
	return groups
}
