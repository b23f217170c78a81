package engine

import (
	"math"

	"segsim/core/strategy"
)

// Numbers are the results an A/B comparison of two scenarios follows:
// customers and revenue in all, per RFM class and per segment, customers
// per tier and per stage, and the plan's totals when there is a plan.
type Numbers struct {
	Customers int                     `json:"customers"`
	Revenue   float64                 `json:"revenue"`
	Classes   map[string]GroupNumbers `json:"classes"`
	Segments  map[string]GroupNumbers `json:"segments"`
	Tiers     map[string]int          `json:"tiers"`
	Stages    map[string]int          `json:"stages"`
	Plan      *PlanNumbers            `json:"plan"`
}

// GroupNumbers are one group's customers and revenue.
type GroupNumbers struct {
	Customers int     `json:"customers"`
	Revenue   float64 `json:"revenue"`
}

// PlanNumbers are a plan's totals.
type PlanNumbers struct {
	Contacted          int     `json:"contacted"`
	Cost               float64 `json:"cost"`
	ExpectedOrders     float64 `json:"expected_orders"`
	IncrementalRevenue float64 `json:"incremental_revenue"`
	Profit             float64 `json:"profit"`
	ROI                float64 `json:"roi"`
}

// NumbersOf takes the compared numbers from a report's tables (as
// Dataset.Report or a view writes them) and a plan (nil for none).
func NumbersOf(rep *Report, plan *strategy.Plan) Numbers {
	n := Numbers{Customers: rep.Customers, Revenue: rep.Revenue,
		Classes: groupNumbers(rep.Classes), Segments: groupNumbers(rep.Segments),
		Tiers: groupCounts(rep.TierTable), Stages: groupCounts(rep.Stages)}
	if plan != nil {
		t := plan.Total
		n.Plan = &PlanNumbers{Contacted: t.Contacted, Cost: t.Cost, ExpectedOrders: t.ExpectedOrders,
			IncrementalRevenue: t.IncrementalRevenue, Profit: t.Profit, ROI: t.ROI}
	}
	return n
}

func groupNumbers(gs []Group) map[string]GroupNumbers {
	m := make(map[string]GroupNumbers, len(gs))
	for _, g := range gs {
		m[g.Name] = GroupNumbers{Customers: g.Customers, Revenue: g.Revenue}
	}
	return m
}

func groupCounts(gs []Group) map[string]int {
	m := make(map[string]int, len(gs))
	for _, g := range gs {
		m[g.Name] = g.Customers
	}
	return m
}

// Diff is B − A, and that as a share of |A| (nil when A is 0).
type Diff struct {
	Abs float64  `json:"abs"`
	Pct *float64 `json:"pct"`
}

func diff(a, b float64) Diff {
	d := Diff{Abs: b - a}
	if a != 0 {
		p := (b - a) / math.Abs(a)
		d.Pct = &p
	}
	return d
}

// GroupDelta is B − A of one group's customers and revenue.
type GroupDelta struct {
	Customers Diff `json:"customers"`
	Revenue   Diff `json:"revenue"`
}

// Delta is B − A of every number; a group one side lacks counts as 0
// there, and plans are compared only when both sides have one.
type Delta struct {
	Customers Diff                  `json:"customers"`
	Revenue   Diff                  `json:"revenue"`
	Classes   map[string]GroupDelta `json:"classes"`
	Segments  map[string]GroupDelta `json:"segments"`
	Tiers     map[string]Diff       `json:"tiers"`
	Stages    map[string]Diff       `json:"stages"`
	Plan      map[string]Diff       `json:"plan"`
}

// Compare returns B − A.
func Compare(a, b Numbers) Delta {
	d := Delta{
		Customers: diff(float64(a.Customers), float64(b.Customers)),
		Revenue:   diff(a.Revenue, b.Revenue),
		Classes:   groupDeltas(a.Classes, b.Classes),
		Segments:  groupDeltas(a.Segments, b.Segments),
		Tiers:     countDeltas(a.Tiers, b.Tiers),
		Stages:    countDeltas(a.Stages, b.Stages),
	}
	if a.Plan != nil && b.Plan != nil {
		x, y := a.Plan, b.Plan
		d.Plan = map[string]Diff{
			"contacted":           diff(float64(x.Contacted), float64(y.Contacted)),
			"cost":                diff(x.Cost, y.Cost),
			"expected_orders":     diff(x.ExpectedOrders, y.ExpectedOrders),
			"incremental_revenue": diff(x.IncrementalRevenue, y.IncrementalRevenue),
			"profit":              diff(x.Profit, y.Profit),
			"roi":                 diff(x.ROI, y.ROI),
		}
	}
	return d
}

func groupDeltas(a, b map[string]GroupNumbers) map[string]GroupDelta {
	m := map[string]GroupDelta{}
	for _, side := range []map[string]GroupNumbers{a, b} {
		for k := range side {
			x, y := a[k], b[k]
			m[k] = GroupDelta{Customers: diff(float64(x.Customers), float64(y.Customers)), Revenue: diff(x.Revenue, y.Revenue)}
		}
	}
	return m
}

func countDeltas(a, b map[string]int) map[string]Diff {
	m := map[string]Diff{}
	for _, side := range []map[string]int{a, b} {
		for k := range side {
			m[k] = diff(float64(a[k]), float64(b[k]))
		}
	}
	return m
}
