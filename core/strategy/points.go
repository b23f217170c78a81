package strategy

import (
	"fmt"
	"math"
	"slices"

	"segsim/core/knob"
	"segsim/core/summary"
)

// Points holds the knobs of a points programme what-if.
type Points struct {
	PerYuan  float64 `json:"per_yuan"`  // points earned per currency unit spent
	PerOrder float64 `json:"per_order"` // points earned per order (per action)
	// Threshold is the balance needed for one redemption.
	Threshold float64 `json:"threshold"`
	// ExpiryMonths: points expire this many months after they are earned;
	// 0 means never.
	ExpiryMonths int `json:"expiry_months"`
	// PointValue is the cost of one redeemed point in currency units.
	PointValue float64 `json:"point_value"`
	Months     int     `json:"months"` // horizon of the what-if
}

// DefaultPoints returns the articles' example: 10 points per order, 1
// point per yuan, 500 points to redeem a 5-yuan reward (0.01 per point),
// points expiring after 12 months, over a 12-month horizon.
func DefaultPoints() Points {
	return Points{PerYuan: 1, PerOrder: 10, Threshold: 500, ExpiryMonths: 12, PointValue: 0.01, Months: 12}
}

// Validate reports the first bad knob.
func (p Points) Validate() error {
	switch {
	case !(p.PerYuan >= 0) || math.IsInf(p.PerYuan, 0):
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("plan.points.per_yuan", p.PerYuan, "must be ≥ 0"))
	case !(p.PerOrder >= 0) || math.IsInf(p.PerOrder, 0):
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("plan.points.per_order", p.PerOrder, "must be ≥ 0"))
	case !(p.Threshold > 0) || math.IsInf(p.Threshold, 0):
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("plan.points.threshold", p.Threshold, "must be above 0"))
	case p.ExpiryMonths < 0 || p.ExpiryMonths > 120:
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("plan.points.expiry_months", p.ExpiryMonths, "must lie in 0..120"))
	case !(p.PointValue >= 0) || math.IsInf(p.PointValue, 0):
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("plan.points.point_value", p.PointValue, "must be ≥ 0"))
	case p.Months < 1 || p.Months > 120:
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("plan.points.months", p.Months, "must lie in 1..120"))
	}
	return nil
}

// MonthDays is the length of a month in days used to turn rates per day
// into rates per month.
const MonthDays = 30.4375

// Behaviour returns each customer's orders per month and average order
// value: orders over the months from the first purchase to the as-of date
// (at least one month), and revenue over orders.
func Behaviour(t *summary.Customers, asOf int32) (perMonth, aov []float64) {
	perMonth, aov = make([]float64, t.Len()), make([]float64, t.Len())
	for i := range perMonth {
		months := max(float64(asOf-t.First[i])/MonthDays, 1)
		perMonth[i] = float64(t.Orders[i]) / months
		if t.Orders[i] > 0 {
			aov[i] = float64(t.Revenue[i]) / 100 / float64(t.Orders[i])
		}
	}
	return perMonth, aov
}

// PointsResult is the outcome of a points what-if over the horizon.
// Counts and points are expected values: each customer counts with the
// probability that they keep buying (see Simulate).
type PointsResult struct {
	Threshold float64 `json:"threshold"`
	Customers int     `json:"customers"`
	// Reach is the expected number of customers who redeem at least once
	// within the horizon; MedianMonths is the median month of their first
	// redemption.
	Reach        float64 `json:"reach"`
	ReachShare   float64 `json:"reach_share"`
	MedianMonths float64 `json:"median_months"`
	// Points issued, redeemed, expired and outstanding at the end.
	Issued      float64 `json:"issued"`
	Redeemed    float64 `json:"redeemed"`
	Expired     float64 `json:"expired"`
	Outstanding float64 `json:"outstanding"`
	// RedemptionCost = Redeemed × PointValue; Liability = Outstanding ×
	// PointValue, what the outstanding points would cost if redeemed.
	RedemptionCost float64 `json:"redemption_cost"`
	Liability      float64 `json:"liability"`
}

// Simulate runs the points programme forward month by month. Customer i
// either keeps their observed behaviour, with probability keep[i], or
// stops buying at the start (keep nil: everyone keeps it). One who keeps
// it earns e = perMonth[i] × (PerOrder + PerYuan × aov[i]) points at the
// end of every month, redeems one reward (Threshold points, oldest points
// first) whenever the balance reaches the threshold, and loses points
// older than ExpiryMonths; one who stops earns nothing. The result sums
// each customer's outcome weighted by keep[i]: expected counts and
// points.
func (p Points) Simulate(perMonth, aov, keep []float64) PointsResult {
	r := PointsResult{Threshold: p.Threshold, Customers: len(perMonth)}
	exp := p.ExpiryMonths
	if exp == 0 || exp > p.Months {
		exp = p.Months + 1
	}
	batch := make([]float64, exp) // batch[m % exp]: points earned in month m
	var firsts []weighted
	for i, rate := range perMonth {
		e := rate * (p.PerOrder + p.PerYuan*aov[i])
		w := 1.0
		if keep != nil {
			w = keep[i]
		}
		if e <= 0 || w <= 0 {
			continue
		}
		clear(batch)
		first := 0
		bal := 0.0
		var issued, redeemed, expired float64
		for m := 0; m < p.Months; m++ {
			slot := m % exp
			if old := batch[slot]; old > 0 && m >= exp {
				expired += old
				bal -= old
			}
			batch[slot] = e
			bal += e
			issued += e
			if bal+1e-9 < p.Threshold {
				continue
			}
			n := math.Floor((bal + 1e-9) / p.Threshold)
			use := n * p.Threshold
			redeemed += use
			bal -= use
			if first == 0 {
				first = m + 1
			}
			// Consume the oldest batches first.
			for k := 1; k <= exp && use > 0; k++ {
				s := (m + k) % exp
				take := min(batch[s], use)
				batch[s] -= take
				use -= take
			}
		}
		r.Issued += w * issued
		r.Redeemed += w * redeemed
		r.Expired += w * expired
		r.Outstanding += w * max(bal, 0)
		if first > 0 {
			r.Reach += w
			firsts = append(firsts, weighted{first, w})
		}
	}
	if r.Customers > 0 {
		r.ReachShare = r.Reach / float64(r.Customers)
	}
	r.MedianMonths = weightedMedian(firsts)
	r.RedemptionCost = r.Redeemed * p.PointValue
	r.Liability = r.Outstanding * p.PointValue
	return r
}

// weighted is a month with a weight.
type weighted struct {
	month int
	w     float64
}

// weightedMedian returns the month by which half the weight is reached:
// the first month whose cumulative weight passes half the total, or the
// mean of it and the next when it reaches half exactly (with equal
// weights, the usual median); 0 for none.
func weightedMedian(xs []weighted) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.SortFunc(xs, func(a, b weighted) int { return a.month - b.month })
	total := 0.0
	for _, x := range xs {
		total += x.w
	}
	half, cum := total/2, 0.0
	for i, x := range xs {
		cum += x.w
		switch {
		case cum > half+1e-9*total:
			return float64(x.month)
		case cum >= half-1e-9*total && i+1 < len(xs):
			return float64(x.month+xs[i+1].month) / 2
		}
	}
	return float64(xs[len(xs)-1].month)
}

// Sweep runs Simulate at the given thresholds, to show what changes when
// the redemption threshold moves.
func (p Points) Sweep(perMonth, aov, keep []float64, thresholds []float64) []PointsResult {
	out := make([]PointsResult, 0, len(thresholds))
	for _, t := range thresholds {
		q := p
		q.Threshold = t
		out = append(out, q.Simulate(perMonth, aov, keep))
	}
	return out
}

// SweepFactors are the multiples of the threshold a points what-if looks
// at: a quarter, half, the threshold itself, double and four times.
var SweepFactors = []float64{0.25, 0.5, 1, 2, 4}

// PointsWhatIf runs the points programme p on customers t as of a day,
// each weighted by the probability that they keep buying (keep.Prob, nil
// for none): the result at p's threshold and at each of SweepFactors
// times it.
func PointsWhatIf(p Points, t *summary.Customers, asOf int32, keep Keep) (PointsResult, []PointsResult) {
	perMonth, aov := Behaviour(t, asOf)
	thresholds := make([]float64, len(SweepFactors))
	for i, f := range SweepFactors {
		thresholds[i] = f * p.Threshold
	}
	return p.Simulate(perMonth, aov, keep.Prob), p.Sweep(perMonth, aov, keep.Prob, thresholds)
}
