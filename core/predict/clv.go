package predict

import (
	"fmt"
	"math"
)

// CLV returns the discounted expected value of a customer's purchases over
// the next periods periods of periodLength model time units each, following
// lifetimes' customer_lifetime_value:
//
//	CLV = Σ_{k=1}^{periods} E[Z | x, m̄] · (E[Y(k·L)] − E[Y((k−1)·L)]) / (1+d)^k,
//
// where E[Y(t)] = bg.ExpectedPurchases(t, x, tx, T), E[Z | x, m̄] =
// gg.ConditionalExpectedValue(x, mbar), L = periodLength and d = discountRate
// per period. Purchases expected within period k are discounted as if
// received at its end. For a model fitted in weeks, monthly periods are
// periodLength = 4.345 (lifetimes' factor) and d a monthly rate.
// Invalid arguments give NaN.
func CLV(bg PurchaseModel, gg GammaGamma, x, tx, T, mbar float64, periods int, periodLength, discountRate float64) float64 {
	if periods < 0 || !(periodLength > 0) || !(discountRate > -1) {
		return math.NaN()
	}
	value := gg.ConditionalExpectedValue(x, mbar)
	var clv, prev float64
	discount := 1.0
	for k := 1; k <= periods; k++ {
		cum := bg.ExpectedPurchases(float64(k)*periodLength, x, tx, T)
		discount /= 1 + discountRate
		clv += value * (cum - prev) * discount
		prev = cum
	}
	return clv
}

// HoldoutRow compares, for customers with one calibration frequency, the
// purchases the model expects in the holdout period with those observed
// (Fader, Hardie & Lee 2005, Figure 4 "conditional expectations").
type HoldoutRow struct {
	Frequency int     `json:"frequency"` // calibration frequency x; the last row holds x ≥ Frequency
	Open      bool    `json:"open"`      // the row is open-ended (x ≥ Frequency)
	Customers int     `json:"customers"` // customers in the row
	Actual    float64 `json:"actual"`    // mean observed holdout purchases (0 for an empty row)
	Expected  float64 `json:"expected"`  // mean of ExpectedPurchases(duration, x, t_x, T)
}

// HoldoutTable groups customers by calibration frequency 0, 1, …, top−1 and
// top or more ("7+" for top = 7, the paper's choice) and returns, per group,
// the mean holdout purchases observed (holdout, e.g. from HoldoutCounts)
// and expected by m over a holdout of duration model time units.
func HoldoutTable(m PurchaseModel, s Summary, holdout []float64, duration float64, top int) ([]HoldoutRow, error) {
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("holdout table: %w", err)
	}
	if len(holdout) != s.Len() {
		return nil, fmt.Errorf("holdout table: %w: %d customers but %d holdout counts", ErrInvalidInput, s.Len(), len(holdout))
	}
	if top < 0 || !(duration >= 0) {
		return nil, fmt.Errorf("holdout table: %w: top %d, duration %g", ErrInvalidInput, top, duration)
	}
	rows := make([]HoldoutRow, top+1)
	for k := range rows {
		rows[k].Frequency = k
	}
	rows[top].Open = true
	for i, x := range s.Frequency {
		k := min(int(x), top)
		rows[k].Customers++
		rows[k].Actual += holdout[i]
		rows[k].Expected += m.ExpectedPurchases(duration, x, s.Recency[i], s.T[i])
	}
	for k := range rows {
		if n := rows[k].Customers; n > 0 {
			rows[k].Actual /= float64(n)
			rows[k].Expected /= float64(n)
		}
	}
	return rows, nil
}
