package main

import (
	"net/http"
	"slices"

	"github.com/tidwall/gjson"

	"segsim/core/strategy"
)

// planFields are the fields a plan request may carry: a score request's,
// plus the budget and the playbook (the scenario's "plan" section holds
// every other plan knob).
var planFields = append(slices.Clone(scoreFields), "budget", "playbook")

// planAnswer is the answer of POST /v1/plan: the allocation per segment and
// in total, and each customer's action and hold-out flag.
type planAnswer struct {
	API       string          `json:"api"`
	Scenario  string          `json:"scenario"`
	AsOf      string          `json:"asof"`
	Plan      *strategy.Plan  `json:"plan"`
	Customers []plannedPerson `json:"customers"`
}

// plannedPerson is one customer's part of a plan.
type plannedPerson struct {
	CustomerID string  `json:"customer_id"`
	Segment    string  `json:"segment"`
	Action     *string `json:"action"` // null when not contacted
	Holdout    bool    `json:"holdout"`
}

// sizeHint is the buffer the plan answer is written into.
func (a *planAnswer) sizeHint() int { return 4096 + 80*len(a.Customers) }

// Plan scores the request's customers like Score, then allocates the budget
// over their segments with the playbook.
func (h *Handler) Plan(body []byte) (*planAnswer, *apiError) {
	ans, d, res, run, req, ae := h.run(body, planFields, false)
	if ae != nil {
		return nil, ae
	}
	cfg := run.Plan
	if v := req.Get("budget"); v.Exists() {
		if v.Type != gjson.Number || !(v.Num >= 0) {
			return nil, errorf(http.StatusUnprocessableEntity, "invalid_field", "budget", "budget: %s is not an amount ≥ 0", short(v.Raw))
		}
		if v.Num > strategy.MaxBudget {
			return nil, errorf(http.StatusUnprocessableEntity, "invalid_field", "budget", "budget: %s is above %g, the largest budget segsim plans", short(v.Raw), strategy.MaxBudget)
		}
		cfg.Budget, cfg.BudgetAuto = v.Num, false
	}
	if ae := choosePlaybook(req.Get("playbook"), &cfg); ae != nil {
		return nil, ae
	}
	if err := cfg.Validate(); err != nil {
		return nil, errorf(http.StatusUnprocessableEntity, "invalid_plan", "scenario.plan", "%v", err)
	}
	h.pause(len(body))
	p, err := d.Plan(res, cfg)
	if err != nil {
		return nil, errorf(http.StatusUnprocessableEntity, "cannot_plan", "scenario.plan", "%v", err)
	}
	out := &planAnswer{API: APIVersion, Scenario: ans.Scenario, AsOf: ans.AsOf, Plan: p, Customers: make([]plannedPerson, res.Len())}
	a := res.Assigned
	for i := range out.Customers {
		c := plannedPerson{CustomerID: d.Customers.ID(i), Segment: res.SegmentNames[res.Segment[i]], Holdout: a.Holdout[i]}
		if k := a.Action[i]; k >= 0 {
			c.Action = &a.Names[k]
		}
		out.Customers[i] = c
	}
	return out, nil
}

// choosePlaybook sets cfg's playbook to the preset the request names in v,
// if any.
func choosePlaybook(v gjson.Result, cfg *strategy.Config) *apiError {
	if !v.Exists() {
		return nil
	}
	if v.Type != gjson.String {
		return errorf(http.StatusUnprocessableEntity, "invalid_field", "playbook", "playbook: %s is not a preset name", short(v.Raw))
	}
	if !slices.Contains(strategy.PresetPlaybooks(), v.Str) {
		return errorf(http.StatusUnprocessableEntity, "unknown_preset", "playbook", "playbook %q is not a preset (have %v)", v.Str, strategy.PresetPlaybooks())
	}
	cfg.Playbook, cfg.Custom = v.Str, nil
	return nil
}
