package predict

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
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
	if periods == 0 {
		return 0
	}
	var s [1]float64
	discountedPurchases(s[:], bg, x, tx, T, []int{periods}, periodLength, discountRate)
	return gg.ConditionalExpectedValue(x, mbar) * s[0]
}

// discountedPurchases writes into out, for each count n of periods, a
// customer's discounted expected purchases over the next n periods,
//
//	S(n) = Σ_{k=1}^{n} (E[Y(k·L)] − E[Y((k−1)·L)]) / (1+d)^k,
//
// evaluating E[Y] once per period up to the largest count.
func discountedPurchases(out []float64, m PurchaseModel, x, tx, T float64, periods []int, periodLength, discountRate float64) {
	last := 0
	for j, n := range periods {
		last = max(last, n)
		out[j] = 0
	}
	var sum, prev float64
	discount := 1.0
	for k := 1; k <= last; k++ {
		cum := m.ExpectedPurchases(float64(k)*periodLength, x, tx, T)
		discount /= 1 + discountRate
		sum += (cum - prev) * discount
		prev = cum
		for j, n := range periods {
			if n == k {
				out[j] = sum
			}
		}
	}
}

// Interval is an estimate with the bounds of an interval around it.
type Interval struct {
	Value, Lo, Hi float64
}

// CLVUncertainty holds what delta-method intervals of expected spend and
// CLV need: the purchase model's and Gamma-Gamma's estimates with the
// covariances of their log parameters (FitReport.LogCov of each fit).
//
// CLV = V · S factors into V = E[Z | x, m̄], a function of Gamma-Gamma's
// parameters φ = (ln p, ln q, ln γ) alone, and S, the discounted expected
// purchases (see CLV), a function of the purchase model's log parameters θ
// alone. The two models are fitted on separate likelihoods — the purchase
// model on (x, t_x, T), Gamma-Gamma on the spend given x, which the model
// holds independent of the purchase process — so the joint likelihood is
// their product and the joint covariance of (θ, φ) is block-diagonal.
// Hence
//
//	Var(ln CLV) ≈ ∇_θ ln Sᵀ Σ_θ ∇_θ ln S + ∇_φ ln Vᵀ Σ_φ ∇_φ ln V.
//
// The spend gradient is analytic (see GammaGamma's logValueGradient); the
// purchase gradient is taken by central differences of S with step
// clvStep in each log parameter, every horizon from the same evaluations.
type CLVUncertainty struct {
	// PurchasesAt returns the purchase model at natural parameters p, in
	// the order of Params (engine.Fit.ModelAt, for one).
	PurchasesAt func(p []float64) PurchaseModel
	// Params is the purchase model's estimate and LogCov the covariance
	// of its log parameters.
	Params []float64
	LogCov [][]float64
	// Spend is the Gamma-Gamma estimate and SpendLogCov the covariance of
	// (ln p, ln q, ln γ).
	Spend       GammaGamma
	SpendLogCov [][]float64
}

// clvStep is the central-difference step, in the log parameters, of the
// purchase model's part of the CLV gradient: its truncation error (of
// order h²) and rounding error (of order ε/h) are both near 10⁻¹⁰ of S.
const clvStep = 1e-5

// CLVIntervals returns a customer's CLV over each count of periods (as CLV
// computes it, with periods of periodLength model units discounted at
// discountRate per period) with its interval at level (0.9 for 90%).
//
// The interval is taken on the log scale, CLV · exp(±z·√Var(ln CLV)) with z
// the standard normal quantile and the variance as in CLVUncertainty: CLV
// is positive, the log interval stays so, and its asymmetry follows that
// of a product of positive estimates whose parameters are themselves
// estimated on the log scale. A CLV of exactly 0 has the interval [0, 0];
// ok is false, and Lo = Hi = Value, when a covariance is missing or a CLV
// is negative or not finite.
func (u CLVUncertainty) CLVIntervals(x, tx, T, mbar float64, periods []int, periodLength, discountRate, level float64) ([]Interval, bool) {
	out := make([]Interval, len(periods))
	s, gs := u.purchaseLogGradient(x, tx, T, periods, periodLength, discountRate)
	v, gv := u.Spend.logValueGradient(x, mbar)
	varV := quadForm(gv[:], u.SpendLogCov)
	ok := len(periods) > 0
	for j := range periods {
		var good bool
		out[j], good = logInterval(v*s[j], quadForm(gs[j], u.LogCov)+varV, level)
		ok = ok && good
	}
	return out, ok
}

// SpendInterval returns E[Z | x, m̄] (GammaGamma.ConditionalExpectedValue)
// with its delta-method interval at level, on the log scale as in
// CLVIntervals: V · exp(±z·√(∇ln Vᵀ Σ_φ ∇ln V)). ok is false, and
// Lo = Hi = Value, without a covariance or when V is not positive and
// finite.
func (u CLVUncertainty) SpendInterval(x, mbar, level float64) (Interval, bool) {
	v, g := u.Spend.logValueGradient(x, mbar)
	return logInterval(v, quadForm(g[:], u.SpendLogCov), level)
}

// purchaseLogGradient returns S for each count of periods under the
// purchase model at Params, and the gradient of ln S in the purchase
// model's log parameters by central differences.
func (u CLVUncertainty) purchaseLogGradient(x, tx, T float64, periods []int, periodLength, discountRate float64) ([]float64, [][]float64) {
	n := len(periods)
	s := make([]float64, n)
	if n == 0 || u.PurchasesAt == nil || slices.Min(periods) < 0 || !(periodLength > 0) || !(discountRate > -1) {
		for j := range s {
			s[j] = math.NaN()
		}
		return s, make([][]float64, n)
	}
	discountedPurchases(s, u.PurchasesAt(u.Params), x, tx, T, periods, periodLength, discountRate)
	k := len(u.Params)
	grad := make([][]float64, n)
	for j := range grad {
		grad[j] = make([]float64, k)
	}
	p := slices.Clone(u.Params)
	plus, minus := make([]float64, n), make([]float64, n)
	for i, v := range u.Params {
		p[i] = v * math.Exp(clvStep)
		discountedPurchases(plus, u.PurchasesAt(p), x, tx, T, periods, periodLength, discountRate)
		p[i] = v * math.Exp(-clvStep)
		discountedPurchases(minus, u.PurchasesAt(p), x, tx, T, periods, periodLength, discountRate)
		p[i] = v
		for j := range grad {
			grad[j][i] = (plus[j] - minus[j]) / (2 * clvStep) / s[j]
		}
	}
	return s, grad
}

// logValueGradient returns V = E[Z | x, m̄] (see ConditionalExpectedValue)
// and the gradient of ln V with respect to (ln p, ln q, ln γ): from
// ln V = ln p + ln(γ + x m̄) − ln(px + q − 1),
//
//	∂ln V/∂ln p = (q−1)/(px+q−1),  ∂ln V/∂ln q = −q/(px+q−1),  ∂ln V/∂ln γ = γ/(γ+x m̄),
//
// with m̄ ignored when x = 0, as ConditionalExpectedValue does.
func (g GammaGamma) logValueGradient(x, mbar float64) (float64, [3]float64) {
	v := g.ConditionalExpectedValue(x, mbar)
	if x == 0 {
		mbar = 0
	}
	den := g.P*x + g.Q - 1
	return v, [3]float64{(g.Q - 1) / den, -g.Q / den, g.Gamma / (g.Gamma + x*mbar)}
}

// quadForm returns gᵀ Σ g, or NaN when Σ is not a len(g) × len(g) matrix.
func quadForm(g []float64, cov [][]float64) float64 {
	if len(g) == 0 || len(cov) != len(g) {
		return math.NaN()
	}
	var v float64
	for i, row := range cov {
		if len(row) != len(g) {
			return math.NaN()
		}
		for j, c := range row {
			v += g[i] * c * g[j]
		}
	}
	return v
}

// logInterval returns value · exp(±z·√variance) at level, or, with ok
// false, value as both bounds when value is not positive and finite, the
// variance not finite and non-negative, or level not in (0, 1). A value
// of exactly 0 (a P(alive) below the smallest float) has the interval
// [0, 0].
func logInterval(value, variance, level float64) (Interval, bool) {
	iv := Interval{value, value, value}
	if value == 0 && level > 0 && level < 1 {
		return iv, true
	}
	if !(value > 0) || math.IsInf(value, 0) || !(variance >= 0) || math.IsInf(variance, 0) || !(level > 0 && level < 1) {
		return iv, false
	}
	h := distuv.UnitNormal.Quantile(1-(1-level)/2) * math.Sqrt(variance)
	iv.Lo, iv.Hi = value*math.Exp(-h), value*math.Exp(h)
	return iv, true
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
