package engine

import (
	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/tier"
)

// Customer describes customer i of a result in the values every export
// shares (the CSV and JSON files, the page's customer table, the edge
// worker's answers); each formats them its own way.
type Customer struct {
	ID          string
	First, Last int32 // day numbers of the first and last purchase
	Recency     int32 // days from the last purchase to the as-of date
	Orders      int32 // frequency: distinct orders
	Days        int32 // distinct purchase days
	Revenue     int64 // cents, net of refunds
	AOV         int64 // cents: revenue over orders
	R, F, M     uint8
	Class       string // rfm.ClassNames
	Segment     string // the scheme's segment name
	Tier        string // tier.Names
	Stage       string // lifecycle.Names
	// Tags lists the names of the tags that apply, in the order of the
	// scenario's tag rules.
	Tags []string
}

// Customer returns customer i of r (index i of d.Customers).
func (d *Dataset) Customer(r *Result, i int) Customer {
	t := d.Customers
	c := Customer{
		ID: t.ID(i), First: t.First[i], Last: t.Last[i], Recency: r.AsOfDay - t.Last[i],
		Orders: t.Orders[i], Days: t.Days[i], Revenue: t.Revenue[i], AOV: t.AOV(i),
		R: r.R[i], F: r.F[i], M: r.M[i],
		Class:   rfm.ClassNames[r.Class[i]],
		Segment: r.SegmentNames[r.Segment[i]],
		Tier:    tier.Names[r.Tier[i]&3],
		Stage:   lifecycle.Names[min(int(r.Stage[i]), len(lifecycle.Names)-1)],
	}
	for k, tg := range r.TagRules {
		if r.Tags[i]&(1<<k) != 0 {
			c.Tags = append(c.Tags, tg.Name)
		}
	}
	return c
}
