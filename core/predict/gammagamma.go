package predict

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// GammaGamma is a fitted Gamma-Gamma model of spend per transaction (Fader,
// Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves for Customer Base
// Analysis", Journal of Marketing Research 42(4), 415–430; Fader & Hardie
// 2013, "The Gamma-Gamma Model of Monetary Value"). A customer's transaction
// values are i.i.d. Gamma(shape P, rate ν), and ν ~ Gamma(shape Q,
// rate Gamma) across customers, independently of the purchase process.
type GammaGamma struct {
	P, Q, Gamma float64
}

// ggData is the repeat buyers of a Gamma-Gamma fit, grouped by frequency.
type ggData struct {
	xs      []float64 // distinct frequencies
	xCount  []float64 // repeat buyers per frequency
	start   []int     // customers of xs[k] are x[start[k]:start[k+1]]
	x, m    []float64 // frequency and mean spend, sorted by frequency
	sumXLnM float64   // Σ x ln m̄
	sumXLnX float64   // Σ x ln x
	sumLnM  float64   // Σ ln m̄
	n       float64
}

// negLogLik returns the mean negative log-likelihood at log parameters
// (ln p, ln q, ln γ) and writes its gradient into grad. See FitGammaGamma.
func (d *ggData) negLogLik(grad, theta []float64) float64 {
	p, q, g := math.Exp(theta[0]), math.Exp(theta[1]), math.Exp(theta[2])
	lgQ, _ := math.Lgamma(q)
	lnG := math.Log(g)
	psiQ := mathext.Digamma(q)
	ll := d.n*(q*lnG-lgQ) + p*(d.sumXLnM+d.sumXLnX) - d.sumLnM
	dp := d.sumXLnM + d.sumXLnX
	dq := d.n * (lnG - psiQ)
	dg := d.n * q / g
	for k, x := range d.xs {
		px := p * x
		lg1, _ := math.Lgamma(px + q)
		lg2, _ := math.Lgamma(px)
		psi1 := mathext.Digamma(px + q)
		c := d.xCount[k]
		ll += c * (lg1 - lg2)
		dp += c * x * (psi1 - mathext.Digamma(px))
		dq += c * psi1
		// −(px+q) ln(γ + x m̄) for each buyer of this frequency.
		var sumLn, sumInv float64
		for _, m := range d.m[d.start[k]:d.start[k+1]] {
			v := g + x*m
			sumLn += math.Log(v)
			sumInv += 1 / v
		}
		ll -= (px + q) * sumLn
		dp -= x * sumLn
		dq -= sumLn
		dg -= (px + q) * sumInv
	}
	inv := 1 / d.n
	grad[0] = -dp * p * inv
	grad[1] = -dq * q * inv
	grad[2] = -dg * g * inv
	return -ll * inv
}

// FitGammaGamma estimates the Gamma-Gamma model by maximum likelihood from
// customers' repeat-purchase frequency x and mean repeat-purchase value m̄
// (Summary.Frequency and Summary.Monetary). Customers with x = 0 carry no
// spend information and are skipped; every repeat buyer must have m̄ > 0.
//
// Given x, m̄ is Gamma(px, νx); integrating ν out gives (Fader & Hardie 2013,
// eq. 3)
//
//	f(m̄ | p, q, γ; x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q x^(px) m̄^(px−1) / (γ + x m̄)^(px+q),
//
// whose log is summed over repeat buyers and maximised over (ln p, ln q, ln γ)
// with gonum's BFGS and the analytic gradient. The start takes p from the
// inverse squared coefficient of variation of m̄, q = 4, and γ matching the
// population mean pγ/(q−1) to the mean of m̄. It needs at least
// MinCustomers repeat buyers. As with FitBGNBD, an early stop returns the
// last iterate with an error wrapping ErrNotConverged or ErrDegenerate.
//
// A converged fit's report carries the standard errors of (p, q, γ) and
// the covariance of (ln p, ln q, ln γ) from the observed information at
// the estimate, computed as for the purchase models (see stdErrors); they
// feed the intervals of CLVUncertainty.
func FitGammaGamma(freq, monetary []float64) (GammaGamma, FitReport, error) {
	d, err := newGGData(freq, monetary)
	if err != nil {
		return GammaGamma{}, FitReport{}, fmt.Errorf("fit Gamma-Gamma: %w", err)
	}
	est, rep, err := minimize(d.negLogLik, d.initial(), FitOptions{}.withDefaults())
	rep.Customers = len(d.x)
	rep.Groups = len(d.x)
	rep.LogLikelihood *= d.n
	if est == nil {
		return GammaGamma{}, rep, fmt.Errorf("fit Gamma-Gamma: %w", err)
	}
	gg := GammaGamma{P: est[0], Q: est[1], Gamma: est[2]}
	if err != nil {
		return gg, rep, fmt.Errorf("fit Gamma-Gamma: %w", err)
	}
	rep.StdErr, rep.LogCov = covariance(d.negLogLik, est, d.n)
	return gg, rep, nil
}

// newGGData validates the inputs and collects the repeat buyers sorted by
// frequency, with the parameter-free sums of the log-likelihood.
func newGGData(freq, monetary []float64) (*ggData, error) {
	if len(freq) != len(monetary) {
		return nil, fmt.Errorf("%w: %d frequencies but %d monetary values", ErrInvalidInput, len(freq), len(monetary))
	}
	type buyer struct{ x, m float64 }
	var buyers []buyer
	for i, x := range freq {
		switch {
		case !(x >= 0) || x != math.Trunc(x) || math.IsInf(x, 0):
			return nil, &CustomerError{Index: i, Field: "frequency", Value: x, Reason: "must be a non-negative integer", Err: ErrInvalidInput}
		case x == 0:
			continue
		}
		m := monetary[i]
		if !(m > 0) || math.IsInf(m, 0) {
			return nil, &CustomerError{Index: i, Field: "monetary", Value: m, Reason: "a repeat buyer's mean spend must be positive and finite", Err: ErrInvalidInput}
		}
		buyers = append(buyers, buyer{x, m})
	}
	if len(buyers) < MinCustomers {
		return nil, fmt.Errorf("%w: %d repeat buyers, need %d", ErrTooFewCustomers, len(buyers), MinCustomers)
	}
	slices.SortStableFunc(buyers, func(a, b buyer) int { return cmp.Compare(a.x, b.x) })
	d := &ggData{n: float64(len(buyers)), x: make([]float64, len(buyers)), m: make([]float64, len(buyers))}
	for i, b := range buyers {
		d.x[i], d.m[i] = b.x, b.m
		if len(d.xs) == 0 || d.xs[len(d.xs)-1] != b.x {
			d.xs = append(d.xs, b.x)
			d.xCount = append(d.xCount, 0)
			d.start = append(d.start, i)
		}
		d.xCount[len(d.xCount)-1]++
		lnM := math.Log(b.m)
		d.sumXLnM += b.x * lnM
		d.sumXLnX += b.x * math.Log(b.x)
		d.sumLnM += lnM
	}
	d.start = append(d.start, len(buyers))
	return d, nil
}

// initial returns a starting point: p from the inverse squared coefficient of
// variation of m̄ (its shape were ν common to all), q = 4, and γ matching
// the population mean pγ/(q−1) to the mean of m̄.
func (d *ggData) initial() []float64 {
	var sum, sumSq float64
	for _, m := range d.m {
		sum += m
		sumSq += m * m
	}
	mean := sum / d.n
	variance := sumSq/d.n - mean*mean
	p0 := 1.0
	if variance > 0 {
		p0 = math.Min(math.Max(mean*mean/variance, 0.1), 100)
	}
	const q0 = 4.0
	return []float64{p0, q0, mean * (q0 - 1) / p0}
}

// ConditionalExpectedValue returns the expected value of a transaction of a
// customer with x repeat purchases of mean value m̄ (Fader & Hardie 2013,
// eq. 5):
//
//	E[Z | p, q, γ; m̄, x] = p (γ + x m̄) / (p x + q − 1)
//	                     = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · m̄,
//
// a weighted average of the population mean pγ/(q−1) and the customer's own
// mean. For x = 0, m̄ is ignored and the population mean is returned. The
// expectation is infinite (+Inf) when px + q ≤ 1; invalid inputs give NaN.
func (g GammaGamma) ConditionalExpectedValue(x, mbar float64) float64 {
	if !(x >= 0) || (x > 0 && !(mbar >= 0)) {
		return math.NaN()
	}
	if x == 0 {
		mbar = 0
	}
	den := g.P*x + g.Q - 1
	if den <= 0 {
		return math.Inf(1)
	}
	return g.P * (g.Gamma + x*mbar) / den
}

// LogLikelihood returns the Gamma-Gamma log-likelihood of the repeat buyers
// among (freq, monetary) under g (see FitGammaGamma).
func (g GammaGamma) LogLikelihood(freq, monetary []float64) float64 {
	var ll float64
	lgQ, _ := math.Lgamma(g.Q)
	for i, x := range freq {
		if x == 0 {
			continue
		}
		m := monetary[i]
		px := g.P * x
		lg1, _ := math.Lgamma(px + g.Q)
		lg2, _ := math.Lgamma(px)
		ll += lg1 - lg2 - lgQ + g.Q*math.Log(g.Gamma) + px*math.Log(x) + (px-1)*math.Log(m) - (px+g.Q)*math.Log(g.Gamma+x*m)
	}
	return ll
}
