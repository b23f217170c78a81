package engine

import (
	"fmt"
	"slices"

	"segsim/core/calendar"
	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/scenario"
	"segsim/core/simulate"
)

// Migration scores the data at the scenario's as-of date minus one period
// and at the as-of date, and estimates how customers moved between classes,
// segments or stages (cfg.By). It leaves the Dataset run at the as-of date
// and returns that Result with the matrix.
func (d *Dataset) Migration(sc *scenario.Scenario, cfg simulate.Config) (*simulate.Matrix, *Result, error) {
	if err := d.OrderLevel(); err != nil {
		return nil, nil, err
	}
	w, err := d.window(sc)
	if err != nil {
		return nil, nil, err
	}
	asOf := w.AsOf
	labelsOf := func(r *Result) ([]uint8, []string) {
		switch cfg.By {
		case "stage":
			return r.Stage, lifecycle.Names[:]
		case "segment":
			return r.Segment, r.SegmentNames
		}
		return r.Class, rfm.ClassNames[:]
	}
	early := sc.Clone()
	early.Window.AsOf = calendar.Format(asOf - int32(cfg.PeriodDays))
	r0, err := d.Run(early)
	if err != nil {
		return nil, nil, fmt.Errorf("scoring at %s: %w", early.Window.AsOf, err)
	}
	l0, _ := labelsOf(r0)
	before := simulate.Snapshot{Keys: slices.Clone(d.Customers.Key), Labels: slices.Clone(l0)}
	now := sc.Clone()
	now.Window.AsOf = calendar.Format(asOf)
	r1, err := d.Run(now)
	if err != nil {
		return nil, nil, err
	}
	l1, names := labelsOf(r1)
	if err := d.rowLevel(); err != nil {
		return nil, nil, err
	}
	after := simulate.Snapshot{Keys: d.Customers.Key, Labels: l1,
		Spend: simulate.PeriodSpend(d.Orders, d.disp, d.Customers, asOf-int32(cfg.PeriodDays), asOf)}
	m, err := simulate.Migrate(names, before, after)
	if err != nil {
		return nil, nil, err
	}
	return m, r1, nil
}
