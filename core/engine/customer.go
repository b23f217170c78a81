package engine

import (
	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/scenario"
	"segsim/core/strategy"
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
func (d *Dataset) Customer(r *Result, i int) Customer { return d.CustomerIn(r, i, false) }

// CustomerIn returns customer i of r with the class, segment, tier,
// stage and tag names in Chinese when zh is set (a name without a Chinese
// label stays as it is).
func (d *Dataset) CustomerIn(r *Result, i int, zh bool) Customer {
	c := d.customerIn(r, i, zh, nil)
	c.ID = d.Customers.ID(i)
	return c
}

// customerIn is CustomerIn without the id, appending the tags to tags (a
// writer of many customers reuses one slice).
func (d *Dataset) customerIn(r *Result, i int, zh bool, tags []string) Customer {
	t := d.Customers
	c := Customer{
		First: t.First[i], Last: t.Last[i], Recency: r.AsOfDay - t.Last[i],
		Orders: t.Orders[i], Days: t.Days[i], Revenue: t.Revenue[i], AOV: t.AOV(i),
		R: r.R[i], F: r.F[i], M: r.M[i],
		Class:   rfm.ClassNames[r.Class[i]],
		Segment: r.SegmentNames[r.Segment[i]],
		Tier:    tier.Names[r.Tier[i]&3],
		Stage:   lifecycle.Names[min(int(r.Stage[i]), len(lifecycle.Names)-1)],
		Tags:    tags[:0],
	}
	for k, tg := range r.TagRules {
		if r.Tags[i]&(1<<k) != 0 {
			c.Tags = append(c.Tags, or(zh, tg.Label.Zh, tg.Name))
		}
	}
	if zh {
		c.Tier, c.Stage = tier.NamesZh[r.Tier[i]&3], lifecycle.NamesZh[min(int(r.Stage[i]), len(lifecycle.NamesZh)-1)]
		if cl := int(r.Class[i]); cl < len(classLabels()) {
			c.Class = or(true, classLabels()[cl].Zh, c.Class)
		}
		if s := int(r.Segment[i]); s < len(r.SegmentLabels) {
			c.Segment = or(true, r.SegmentLabels[s].Zh, c.Segment)
		}
	}
	return c
}

// or returns s when zh is set and s is not empty, else def.
func or(zh bool, s, def string) string {
	if zh && s != "" {
		return s
	}
	return def
}

// LabelKeys maps the Chinese labels of the scenario's segments, of the
// RFM classes, tiers and stages, and of the presets' actions to their names, so that a file written
// with Chinese names (CSVOptions.Chinese) can be matched to a playbook.
func LabelKeys(s *scenario.Scenario) map[string]string {
	keys := map[string]string{}
	add := func(names []string, zh func(int) string) {
		for i, n := range names {
			if l := zh(i); l != "" && l != n {
				keys[l] = n
			}
		}
	}
	cl := classLabels()
	add(rfm.ClassNames[:], func(i int) string { return cl[i].Zh })
	add(tier.Names[:], func(i int) string { return tier.NamesZh[i] })
	add(lifecycle.Names[:], func(i int) string { return lifecycle.NamesZh[i] })
	if sc, err := s.Scheme(); err == nil && sc != nil {
		labels := sc.Labels()
		add(sc.Names(), func(i int) string { return labels[i].Zh })
	}
	for name, l := range strategy.ActionLabels() {
		if l.Zh != "" {
			keys[l.Zh] = name
		}
	}
	return keys
}
