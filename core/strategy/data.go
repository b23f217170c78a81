package strategy

import "math"

// MinMeasured is the fewest customers a group's figure is measured on;
// below it the playbook's figure stays.
const MinMeasured = 20

// GroupData is what a shop's own orders say about one group (segment,
// class or stage) for a plan. Money is in currency units.
type GroupData struct {
	// Customers are the group's customers now, Orders their orders and
	// OrderValue their revenue over their orders (0 without orders).
	Customers  int     `json:"customers"`
	Orders     int     `json:"orders"`
	OrderValue float64 `json:"order_value"`
	// Earlier counts the customers the group held one campaign window
	// before the as-of date, Buyers those of them who ordered within the
	// window; Baseline = Buyers / Earlier, the share who order in a
	// window with no campaign (-1 when it could not be measured, with
	// BaselineNote saying why: "few" customers, "short" history,
	// "stats" input without order dates).
	Earlier      int     `json:"earlier"`
	Buyers       int     `json:"buyers"`
	Baseline     float64 `json:"baseline"`
	BaselineNote string  `json:"baseline_note,omitempty"`
}

// Assumed are a playbook's figures for an action that the data replaced in
// part or in whole.
type Assumed struct {
	OrderValue float64 `json:"order_value"`
	Response   float64 `json:"response"`
	Baseline   float64 `json:"baseline"`
}

// measured records which of an action's figures come from the data.
type measured struct{ orderValue, baseline bool }

// basis names where an option's figures came from: "data" (order value
// and baseline measured; the uplift is still the playbook's), "partly"
// (one of them) or "playbook" (every figure as the playbook writes it:
// the ROI rests on its assumptions alone).
func (o option) basis() string {
	switch {
	case o.measured.orderValue && o.measured.baseline:
		return "data"
	case o.measured.orderValue || o.measured.baseline:
		return "partly"
	}
	return "playbook"
}

// UseData replaces, in every action of segment s, the order value by
// data[s].OrderValue and the baseline by data[s].Baseline where each was
// measured on at least MinMeasured customers; the response becomes the new
// baseline plus the playbook's uplift (at most 1). data has one entry per
// segment name.
func (p *Planner) UseData(data []GroupData) {
	p.data = data
	for j := range p.options {
		o := &p.options[j]
		d := data[o.seg]
		a := o.action
		if d.Customers >= MinMeasured && d.OrderValue > 0 {
			o.action.OrderValue = d.OrderValue
			o.measured.orderValue = true
		}
		if d.Earlier >= MinMeasured && d.Baseline >= 0 {
			o.action.Baseline = d.Baseline
			o.action.Response = math.Min(1, d.Baseline+max(a.Uplift(), 0))
			o.measured.baseline = true
		}
		if o.measured != (measured{}) {
			o.assumed = &Assumed{OrderValue: a.OrderValue, Response: a.Response, Baseline: a.Baseline}
		}
	}
}
