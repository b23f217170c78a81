package engine

import (
	"errors"
	"math"

	"segsim/core/calendar"
	"segsim/core/strategy"
	"segsim/core/summary"
)

// groupData measures, for a plan over names with customer labels, each
// group's customers, orders and order value in r, and its baseline: the
// scenario of r is run again with the as-of date window days earlier,
// and of the customers each group held then, the share who ordered within
// the window (rows that count under the current cleaning, dated from the
// earlier as-of date to before r's). The earlier run keeps its own
// Dataset, so that a slider move re-scores it incrementally too.
func (d *Dataset) groupData(r *Result, by string, labels []uint8, names []string, window int) ([]strategy.GroupData, error) {
	out := make([]strategy.GroupData, len(names))
	rev := make([]int64, len(names))
	t := d.Customers
	for i, l := range labels {
		out[l].Customers++
		out[l].Orders += int(t.Orders[i])
		rev[l] += t.Revenue[i]
	}
	for g := range out {
		out[g].Baseline = -1
		if out[g].Orders > 0 {
			out[g].OrderValue = math.Round(float64(rev[g])/float64(out[g].Orders)) / 100
		}
	}
	note := func(code string) []strategy.GroupData {
		for g := range out {
			out[g].BaselineNote = code
		}
		return out
	}
	if d.OrderLevel() != nil {
		return note("stats"), nil
	}
	from := r.AsOfDay - int32(window)
	sc := r.scenario
	sc.Window.AsOf = calendar.Format(from)
	sc.Plan = strategy.Default()
	// Predictions change only the stages (at risk by P(alive)).
	sc.Predict.Enabled = sc.Predict.Enabled && by == "stage"
	if d.earlier == nil || d.earlier.Orders != d.Orders {
		d.earlier = NewDataset(d.Orders, d.Load)
	}
	er, err := d.earlier.Run(&sc)
	if err != nil && sc.Predict.Enabled && errors.Is(err, ErrPrediction) {
		sc.Predict.Enabled = false
		er, err = d.earlier.Run(&sc)
	}
	if err != nil {
		// No customer before the earlier date: the history is shorter
		// than one window.
		return note("short"), nil
	}
	if key := [3]int{int(r.AsOfDay), window, d.cleanGen}; key != d.boughtKey || d.bought == nil {
		d.bought = make([]bool, d.Orders.Customers.Len())
		for j, c := range d.Orders.Cust {
			if day := d.Orders.Day[j]; d.disp[j] == summary.Sale && day >= from && day < r.AsOfDay {
				d.bought[c] = true
			}
		}
		d.boughtKey = key
	}
	var then []uint8
	switch by {
	case "class":
		then = er.Class
	case "stage":
		then = er.Stage
	default:
		then = er.Segment
	}
	for i, l := range then {
		if int(l) >= len(out) {
			continue
		}
		out[l].Earlier++
		if d.bought[d.earlier.Customers.Key[i]] {
			out[l].Buyers++
		}
	}
	for g := range out {
		if out[g].Earlier >= strategy.MinMeasured {
			out[g].Baseline = math.Round(float64(out[g].Buyers)/float64(out[g].Earlier)*1e4) / 1e4
		} else {
			out[g].BaselineNote = "few"
		}
	}
	return out, nil
}
