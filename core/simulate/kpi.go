package simulate

import (
	"fmt"
	"math"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/summary"
)

// KPI is the GMV tree of one period:
//
//	GMV = new buyers × new AOV + old base × repurchase rate × old AOV + reactivated GMV
//
// where the AOVs are revenue per buyer in the period, the old base is the
// old customers who were not churned at the start of the period (bought
// within ChurnDays before it), the repurchase rate is the share of that
// base who bought in the period, and reactivated GMV is the revenue of old
// customers who were churned at the start and came back. The second split
// is GMV = buyers × orders per buyer × revenue per order.
type KPI struct {
	Start string `json:"start"`
	End   string `json:"end"`

	NewBuyers      float64 `json:"new_buyers"`
	NewAOV         float64 `json:"new_aov"`
	OldBase        float64 `json:"old_base"`
	RepurchaseRate float64 `json:"repurchase_rate"`
	OldAOV         float64 `json:"old_aov"`
	Reactivated    float64 `json:"reactivated_gmv"`

	Buyers         float64 `json:"buyers"`
	OrdersPerBuyer float64 `json:"orders_per_buyer"`
	OrderValue     float64 `json:"order_value"`

	GMV float64 `json:"gmv"`
}

// Compute returns the GMV that follows from the inputs.
func (k KPI) Compute() float64 {
	return k.NewBuyers*k.NewAOV + k.OldBase*k.RepurchaseRate*k.OldAOV + k.Reactivated
}

// NewBuyersFor returns the new buyers a GMV target needs with the other
// inputs held: (target − old base × rate × old AOV − reactivated) / new AOV.
func (k KPI) NewBuyersFor(target float64) (float64, error) {
	if k.NewAOV <= 0 {
		return 0, fmt.Errorf("%w: new_aov: %v; cannot solve for new buyers", ErrInvalid, k.NewAOV)
	}
	return (target - k.OldBase*k.RepurchaseRate*k.OldAOV - k.Reactivated) / k.NewAOV, nil
}

// RepurchaseRateFor returns the repurchase rate a GMV target needs with
// the other inputs held: (target − new buyers × new AOV − reactivated) /
// (old base × old AOV). A result above 1 means the target cannot be met by
// repurchase alone.
func (k KPI) RepurchaseRateFor(target float64) (float64, error) {
	if k.OldBase*k.OldAOV <= 0 {
		return 0, fmt.Errorf("%w: old_base × old_aov is %v; cannot solve for the repurchase rate", ErrInvalid, k.OldBase*k.OldAOV)
	}
	return (target - k.NewBuyers*k.NewAOV - k.Reactivated) / (k.OldBase * k.OldAOV), nil
}

// KPISolve is the KPI tree solved for a GMV target: the new buyers it
// needs with the rest held, or the repurchase rate (nil when the tree
// cannot be solved for it, with a note why). A rate above 1 means
// repurchase alone cannot reach the target.
type KPISolve struct {
	GMV            float64  `json:"gmv"`
	NewBuyers      *float64 `json:"new_buyers,omitempty"`
	RepurchaseRate *float64 `json:"repurchase_rate,omitempty"`
	Notes          []string `json:"notes,omitempty"`
}

// DefaultTarget is the GMV target a page proposes: a tenth above the
// period's GMV, rounded.
func (k KPI) DefaultTarget() float64 { return math.Round(k.GMV * 1.1) }

// Solve solves the tree both ways for a GMV target.
func (k KPI) Solve(target float64) KPISolve {
	s := KPISolve{GMV: target}
	if nb, err := k.NewBuyersFor(target); err == nil {
		s.NewBuyers = &nb
	} else {
		s.Notes = append(s.Notes, err.Error())
	}
	if rr, err := k.RepurchaseRateFor(target); err == nil {
		s.RepurchaseRate = &rr
		if rr > 1 {
			s.Notes = append(s.Notes, "the repurchase rate needed is above 100%: repurchase alone cannot reach the target")
		}
	} else {
		s.Notes = append(s.Notes, err.Error())
	}
	return s
}

// MeasureKPI takes the KPI inputs from the period of periodDays days
// ending the day before asOf, from the order rows cleaning kept.
func MeasureKPI(o *ingest.Orders, disp []uint8, t *summary.Customers, asOf int32, periodDays, churnDays int) KPI {
	start := asOf - int32(periodDays)
	k := KPI{Start: calendar.Format(start), End: calendar.Format(asOf - 1)}
	nc := o.Customers.Len()
	first := make([]int32, nc)
	lastBefore := make([]int32, nc)
	in := make([]bool, nc)
	for i := range first {
		first[i], lastBefore[i] = math.MaxInt32, math.MinInt32
	}
	for _, key := range t.Key {
		in[key] = true
	}
	for i, c := range o.Cust {
		if disp[i] != summary.Sale || !in[c] {
			continue
		}
		d := o.Day[i]
		first[c] = min(first[c], d)
		if d < start {
			lastBefore[c] = max(lastBefore[c], d)
		}
	}
	spend := make([]float64, nc)
	bought := make([]bool, nc)
	seen := map[[2]uint64]bool{}
	var orders float64
	for i, c := range o.Cust {
		d := o.Day[i]
		if disp[i] == summary.Dropped || !in[c] || d < start || d >= asOf {
			continue
		}
		spend[c] += float64(o.Cents[i]) / 100
		if disp[i] != summary.Sale {
			continue
		}
		bought[c] = true
		key := [2]uint64{uint64(c), uint64(i)}
		if o.Order != nil {
			key[1] = o.Order[i]
		}
		if !seen[key] {
			seen[key] = true
			orders++
		}
	}
	var newRev, oldRev float64
	var oldBuyers float64
	for c := range nc {
		if !in[c] || first[c] == math.MaxInt32 {
			continue
		}
		isOld := first[c] < start
		active := isOld && start-lastBefore[c] <= int32(churnDays)
		if active {
			k.OldBase++
		}
		if !bought[c] {
			continue
		}
		k.GMV += spend[c]
		k.Buyers++
		switch {
		case !isOld:
			k.NewBuyers++
			newRev += spend[c]
		case active:
			oldBuyers++
			oldRev += spend[c]
		default:
			k.Reactivated += spend[c]
		}
	}
	if k.NewBuyers > 0 {
		k.NewAOV = newRev / k.NewBuyers
	}
	if k.OldBase > 0 {
		k.RepurchaseRate = oldBuyers / k.OldBase
	}
	if oldBuyers > 0 {
		k.OldAOV = oldRev / oldBuyers
	}
	if k.Buyers > 0 {
		k.OrdersPerBuyer = orders / k.Buyers
	}
	if orders > 0 {
		k.OrderValue = k.GMV / orders
	}
	return k
}

// PeriodSpend returns each customer of t's revenue (cents, refunds netted)
// on days start..end-1, from the order rows cleaning kept.
func PeriodSpend(o *ingest.Orders, disp []uint8, t *summary.Customers, start, end int32) []int64 {
	row := t.Rows(o.Customers.Len())
	out := make([]int64, t.Len())
	for i, c := range o.Cust {
		if d := o.Day[i]; disp[i] != summary.Dropped && row[c] >= 0 && d >= start && d < end {
			out[row[c]] += o.Cents[i]
		}
	}
	return out
}
