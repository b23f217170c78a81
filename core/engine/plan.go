package engine

import (
	"math"

	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/strategy"
)

// Assignment is a plan's per-customer output.
type Assignment struct {
	Plan    *strategy.Plan
	Planner *strategy.Planner // kept to re-plan a new budget cheaply
	Names   []string          // action names, indexed by Action
	Action  []int16           // index into Names; -1 when not contacted
	Holdout []bool
}

// Plan plans cfg over the result's segments, classes or stages (cfg.By),
// ranking customers by cfg.Rank ("predicted" needs predictions on), and
// records each customer's action and hold-out flag in r.Assigned. With
// cfg.Values "data", each group's order value and baseline are measured
// from the orders (see groupData) in place of the playbook's.
func (d *Dataset) Plan(r *Result, cfg strategy.Config) (*strategy.Plan, error) {
	pb, err := cfg.Resolve()
	if err != nil {
		return nil, err
	}
	labels, names := r.Segment, r.SegmentNames
	switch cfg.By {
	case "class":
		labels, names = r.Class, rfm.ClassNames[:]
	case "stage":
		labels, names = r.Stage, lifecycle.Names[:]
	}
	var clv []float64
	if r.Pred != nil {
		clv = r.Pred.CLV
	}
	keys, err := strategy.RankKeys(cfg.Rank, d.Customers, r.R, r.F, r.M, clv)
	if err != nil {
		return nil, err
	}
	pl, err := strategy.NewPlanner(pb, cfg.By, names, labels, keys)
	if err != nil {
		return nil, err
	}
	if cfg.Values == "data" {
		data, err := d.groupData(r, cfg.By, labels, names, cfg.WindowDays)
		if err != nil {
			return nil, err
		}
		pl.UseData(data)
	}
	plan, err := pl.PlanConfig(cfg)
	if err != nil {
		return nil, err
	}
	n := r.Len()
	a := &Assignment{Plan: plan, Planner: pl, Names: plan.ActionNames(), Action: make([]int16, n), Holdout: make([]bool, n)}
	pl.Assign(plan, a.Action, a.Holdout)
	r.Assigned = a
	return plan, nil
}

// Keep returns each customer's probability of going on buying over the
// next months, for a points what-if on r: P(alive) from r's predictions
// when the scenario predicts, else the observed repurchase rate of
// customers of similar recency (strategy.ObservedKeep). Per-customer
// stats have no order history to observe it in: without predictions
// everyone keeps their pace (basis "no_history").
func (d *Dataset) Keep(r *Result, months int) strategy.Keep {
	if r.Pred != nil && r.Pred.PAlive != nil {
		model := ""
		if r.Pred.Model != nil {
			model = r.Pred.Model.ModelName
		}
		return strategy.AliveKeep(r.Pred.PAlive, model)
	}
	if d.OrderLevel() != nil {
		return strategy.Keep{Basis: "no_history", Mean: 1}
	}
	if d.rowLevel() != nil {
		return strategy.Keep{Basis: "no_history", Mean: 1}
	}
	return strategy.ObservedKeep(d.Orders, d.disp, d.Customers, r.AsOfDay, int(math.Round(float64(months)*strategy.MonthDays)))
}
