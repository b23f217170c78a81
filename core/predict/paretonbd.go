package predict

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mathext"
)

// ParetoNBD is the Pareto/NBD model of Schmittlein, Morrison & Colombo
// (1987): while active, a customer buys as a Poisson process with rate
// λ ~ Gamma(R, Alpha); the active lifetime is exponential with rate
// μ ~ Gamma(S, Beta), so a customer may drop out at any moment, not only
// after a purchase as under BG/NBD.
type ParetoNBD struct {
	R, Alpha, S, Beta float64
}

// pnbdLogLik returns one customer's log-likelihood, in the form of Fader,
// Hardie & Lee's note "A Note on Deriving the Pareto/NBD Model and Related
// Expressions" (2005, eq. 18–22):
//
//	L = Γ(r+x) α^r β^s / Γ(r) · [1/((α+T)^(r+x) (β+T)^s) + s/(r+s+x) · A₀]
//
// with, for α ≥ β,
//
//	A₀ = ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+t_x)) / (α+t_x)^(r+s+x)
//	   − ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+T)) / (α+T)^(r+s+x)
//
// and, for α < β, the same with ₂F₁(r+s+x, r+x; r+s+x+1; (β−α)/(β+·))
// over (β+·)^(r+s+x). The terms are combined in logarithms, since the
// powers underflow for frequent buyers (see pnbdTerm and pnbdMix). It
// also returns ln A₀ and the log of the first bracket term, which
// P(alive) needs.
func (m ParetoNBD) pnbdLogLik(x, tx, T float64) (ll, lnA0, lnFirst float64) {
	r, s := m.R, m.S
	lgRX, _ := math.Lgamma(r + x)
	lgR, _ := math.Lgamma(r)
	head := lgRX - lgR + r*math.Log(m.Alpha) + s*math.Log(m.Beta)
	atT := m.at(T)
	lnFirst = -(r+x)*atT.lnA - s*atT.lnB
	l1 := m.pnbdTerm(x, m.at(tx), nil)
	l2 := m.pnbdTerm(x, atT, nil)
	mix, lnA0, _, _, _ := pnbdMix(lnFirst, math.Log(s/(r+s+x)), l1, l2)
	return head + mix, lnA0, lnFirst
}

// pnbdAt holds ln(α+t), ln(β+t), 1/(α+t) and 1/(β+t) at one age t.
type pnbdAt struct {
	t, lnA, lnB, invA, invB float64
}

// at returns the logarithms and reciprocals of α+t and β+t under m.
func (m ParetoNBD) at(t float64) pnbdAt {
	return pnbdAt{t: t, lnA: math.Log(m.Alpha + t), lnB: math.Log(m.Beta + t), invA: 1 / (m.Alpha + t), invB: 1 / (m.Beta + t)}
}

// pnbdTerm returns one of the two terms of A₀ in logarithms,
//
//	l(t) = ln ₂F₁(r+s+x, b; r+s+x+1; z) − (r+s+x) ln(big+t),  z = (big−small)/(big+t),
//
// with big = α, small = β and b = s+1 when α ≥ β, else big = β, small = α
// and b = r+x. When g is non-nil it receives the partial derivatives of
// l with respect to (r, α, s, β).
//
// With c = a+1, Euler's transformation (Abramowitz & Stegun 15.3.3)
// gives ₂F₁(a, b; a+1; z) = (1−z)^(1−b) ₂F₁(1, a+1−b; a+1; z), and
// 1−z = (small+t)/(big+t), so
//
//	l(t) = (1−b)(ln(small+t) − ln(big+t)) + ln G − (r+s+x) ln(big+t),
//	G = ₂F₁(1, p; q; z),  p = a+1−b,  q = a+1,
//
// whose series (see lnHyp1) has terms falling at least as fast as zⁿ,
// whatever b. Where it does not converge quickly (z > hypSeriesMaxZ), l
// is evaluated with mathext.Hypergeo and its gradient by central
// differences (pnbdTermFallback).
func (m ParetoNBD) pnbdTerm(x float64, at pnbdAt, g *[4]float64) float64 {
	r, s := m.R, m.S
	rsx := r + s + x
	alphaBig := m.Alpha >= m.Beta
	lnBig, lnSmall, invBig, invSmall := at.lnA, at.lnB, at.invA, at.invB
	b, p := s+1, r+x
	if !alphaBig {
		lnBig, lnSmall, invBig, invSmall = at.lnB, at.lnA, at.invB, at.invA
		b, p = r+x, s+1
	}
	z := math.Abs(m.Alpha-m.Beta) * invBig
	lnG, dp, dq, dz, ok := lnHyp1(p, rsx+1, z)
	if !ok {
		return m.pnbdTermFallback(x, at.t, g)
	}
	ln1z := lnSmall - lnBig // ln(1−z)
	l := (1-b)*ln1z + lnG - rsx*lnBig
	if g == nil {
		return l
	}
	// q depends on r and s; p on r (α ≥ β) or s; b on the other one.
	common := dq - lnBig
	dBig := ((b - 1) + dz*(1-z) - rsx) * invBig
	dSmall := (1-b)*invSmall - dz*invBig
	if alphaBig {
		*g = [4]float64{common + dp, dBig, common - ln1z, dSmall}
	} else {
		*g = [4]float64{common - ln1z, dSmall, common + dp, dBig}
	}
	return l
}

// pnbdTermFallback is pnbdTerm with ₂F₁ from mathext.Hypergeo and, when g
// is non-nil, the gradient by central differences in the log parameters.
func (m ParetoNBD) pnbdTermFallback(x, t float64, g *[4]float64) float64 {
	term := func(m ParetoNBD) float64 {
		rsx := m.R + m.S + x
		big, b := m.Alpha, m.S+1
		if m.Alpha < m.Beta {
			big, b = m.Beta, m.R+x
		}
		z := math.Abs(m.Alpha-m.Beta) / (big + t)
		return math.Log(mathext.Hypergeo(rsx, b, rsx+1, z)) - rsx*math.Log(big+t)
	}
	if g != nil {
		theta := []float64{math.Log(m.R), math.Log(m.Alpha), math.Log(m.S), math.Log(m.Beta)}
		var grad [4]float64
		fd.Gradient(grad[:], func(th []float64) float64 {
			return term(ParetoNBD{R: math.Exp(th[0]), Alpha: math.Exp(th[1]), S: math.Exp(th[2]), Beta: math.Exp(th[3])})
		}, theta, &fd.Settings{Formula: fd.Central, Step: 1e-5})
		for i, v := range []float64{m.R, m.Alpha, m.S, m.Beta} {
			grad[i] /= v
		}
		*g = grad
	}
	return term(m)
}

// hypSeriesMaxZ is the largest argument at which lnHyp1 sums its series;
// there at most about 400 terms are needed.
const hypSeriesMaxZ = 0.9

// hypMaxTerms caps the terms lnHyp1 sums before giving up.
const hypMaxTerms = 1000

// lnHyp1 returns ln G for G = ₂F₁(1, p; q; z) = Σₙ (p)ₙ/(q)ₙ zⁿ, with
// 0 < p < q and 0 ≤ z ≤ hypSeriesMaxZ, and the partial derivatives of
// ln G with respect to p, q and z, summed in one loop from the term
// gₙ = gₙ₋₁ (p+n−1)/(q+n−1) z:
//
//	∂gₙ/∂p = gₙ Σ_{k<n} 1/(p+k),  ∂gₙ/∂q = −gₙ Σ_{k<n} 1/(q+k),  ∂gₙ/∂z = n gₙ/z.
//
// The ratio of successive terms is below z, so once
// (n+1)·gₙ·(1 + Σ 1/(p+k) + Σ 1/(q+k)) < 10⁻¹⁷ the tails of all four sums
// are below 10⁻¹⁵ (G ≥ 1). ok is false outside the domain or without
// convergence in hypMaxTerms terms.
func lnHyp1(p, q, z float64) (lnG, dp, dq, dz float64, ok bool) {
	if !(z >= 0 && z <= hypSeriesMaxZ && p > 0 && q > p) {
		return 0, 0, 0, 0, false
	}
	var sum, sp, sq, sz float64 // Σ_{n≥1} of gₙ, ∂gₙ/∂p, ∂gₙ/∂q, ∂gₙ/∂z
	var hp, hq float64
	g := 1.0
	for n := 1; n <= hypMaxTerms; n++ {
		k := float64(n - 1)
		ip, iq := 1/(p+k), 1/(q+k)
		ratio := (p + k) * iq
		sz += float64(n) * g * ratio // n gₙ / z, finite at z = 0
		g *= ratio * z
		hp += ip
		hq += iq
		sum += g
		sp += g * hp
		sq -= g * hq
		if float64(n+1)*g*(1+hp+hq) < 1e-17 {
			G := 1 + sum
			return math.Log1p(sum), sp / G, sq / G, sz / G, true
		}
	}
	return 0, 0, 0, 0, false
}

// pnbdMix returns ln(e^lnFirst + e^lnK · A₀) with A₀ = e^l1 − e^l2
// (l1 ≥ l2 since t_x ≤ T), ln A₀, and the weights of the chain rule,
//
//	∂mix = ∂lnFirst + w·(∂lnK + u1·∂l1 − u2·∂l2 − ∂lnFirst),
//
// w being the share of the second term and ∂ln A₀ = u1·∂l1 − u2·∂l2.
// A₀ = 0 (t_x = T) gives w = 0.
func pnbdMix(lnFirst, lnK, l1, l2 float64) (mix, lnA0, w, u1, u2 float64) {
	if !(l2 < l1) {
		return lnFirst, math.Inf(-1), 0, 0, 0
	}
	em := -math.Expm1(l2 - l1) // 1 − e^(l2−l1)
	lnA0 = l1 + math.Log(em)
	u1 = 1 / em
	u2 = u1 - 1
	d := lnK + lnA0 - lnFirst
	if d > 0 {
		e := math.Exp(-d)
		return lnFirst + d + math.Log1p(e), lnA0, 1 / (1 + e), u1, u2
	}
	e := math.Exp(d)
	return lnFirst + math.Log1p(e), lnA0, e / (1 + e), u1, u2
}

// LogLikelihood returns the total Pareto/NBD log-likelihood of s under m.
func (m ParetoNBD) LogLikelihood(s Summary) (float64, error) {
	if err := s.Validate(); err != nil {
		return math.NaN(), fmt.Errorf("Pareto/NBD log-likelihood: %w", err)
	}
	var ll float64
	for i := range s.Len() {
		l, _, _ := m.pnbdLogLik(s.Frequency[i], s.Recency[i], s.T[i])
		ll += l
	}
	return ll, nil
}

// pnbdPattern is a group of customers sharing (x, t_x, T): x, T and the
// two A₀ terms as indices into the tables of pnbdData.
type pnbdPattern struct {
	xi, ti int32 // x and T
	l1, l2 int32 // terms at (x, t_x) and (x, T)
	n      float64
}

// pnbdData is a Summary compressed for repeated likelihood evaluation.
// The likelihood depends on a customer only through (x, t_x, T); the
// gamma-function terms depend on x alone, the logarithms of α+t and β+t
// on t alone, and the A₀ terms, which cost a ₂F₁ each, on (x, t) alone,
// so each is computed once per distinct value per evaluation. Customers
// without repeat purchases have t_x = 0, so their first term is shared.
type pnbdData struct {
	xs       []float64  // distinct frequencies
	xCount   []float64  // customers per distinct frequency
	ts       []float64  // distinct ages, T and t_x alike
	terms    [][2]int32 // distinct (x, t) index pairs of the A₀ terms
	patterns []pnbdPattern
	n        float64

	// per-evaluation tables, reused
	at        []pnbdAt
	lnK, invK []float64 // ln(s/(r+s+x)) and 1/(r+s+x) per x
	l         []float64
	lg        [][4]float64
}

func newPNBDData(s Summary) *pnbdData {
	d := &pnbdData{n: float64(s.Len())}
	index := func(m map[float64]int32, vals *[]float64, v float64) int32 {
		i, ok := m[v]
		if !ok {
			i = int32(len(*vals))
			m[v] = i
			*vals = append(*vals, v)
		}
		return i
	}
	xIndex, tIndex := map[float64]int32{}, map[float64]int32{}
	termIndex := map[[2]int32]int32{}
	term := func(xi, ti int32) int32 {
		k := [2]int32{xi, ti}
		i, ok := termIndex[k]
		if !ok {
			i = int32(len(d.terms))
			termIndex[k] = i
			d.terms = append(d.terms, k)
		}
		return i
	}
	patterns := map[[3]float64]int32{}
	for i := range s.Len() {
		k := [3]float64{s.Frequency[i], s.Recency[i], s.T[i]}
		if j, ok := patterns[k]; ok {
			d.patterns[j].n++
			continue
		}
		patterns[k] = int32(len(d.patterns))
		xi := index(xIndex, &d.xs, k[0])
		txi, ti := index(tIndex, &d.ts, k[1]), index(tIndex, &d.ts, k[2])
		d.patterns = append(d.patterns, pnbdPattern{xi: xi, ti: ti, l1: term(xi, txi), l2: term(xi, ti), n: 1})
	}
	d.xCount = make([]float64, len(d.xs))
	for _, p := range d.patterns {
		d.xCount[p.xi] += p.n
	}
	d.at = make([]pnbdAt, len(d.ts))
	d.lnK, d.invK = make([]float64, len(d.xs)), make([]float64, len(d.xs))
	d.l, d.lg = make([]float64, len(d.terms)), make([][4]float64, len(d.terms))
	return d
}

// objective returns the mean negative log-likelihood at log parameters
// θ = (ln r, ln α, ln s, ln β) and writes its gradient with respect to θ
// into grad. The gradient is analytic: digamma for the gamma-function
// terms, and for the ₂F₁ terms the derivatives of their series with
// respect to its parameters and argument, summed in the same loop as the
// function (pnbdTerm, lnHyp1), chained through A₀ and the log-sum-exp
// (pnbdMix); only where the series is not used (z > hypSeriesMaxZ) is a
// term differentiated numerically. TestParetoNBDGradient checks it against
// central differences on both sides of α = β, where the two forms of A₀
// meet smoothly.
func (d *pnbdData) objective(grad, theta []float64) float64 {
	for _, v := range theta {
		if math.Abs(v) > maxLogParam {
			for i := range grad {
				grad[i] = 0
			}
			return math.Inf(1)
		}
	}
	m := ParetoNBD{R: math.Exp(theta[0]), Alpha: math.Exp(theta[1]), S: math.Exp(theta[2]), Beta: math.Exp(theta[3])}
	r, alpha, s, beta := m.R, m.Alpha, m.S, m.Beta
	lnAlpha, lnBeta := math.Log(alpha), math.Log(beta)

	// Head terms ln Γ(r+x) − ln Γ(r) + r ln α + s ln β.
	lgR, _ := math.Lgamma(r)
	ll := d.n * (r*lnAlpha + s*lnBeta - lgR)
	var g [4]float64 // gradient in (r, α, s, β)
	g[0] = d.n * (lnAlpha - mathext.Digamma(r))
	g[1] = d.n * r / alpha
	g[2] = d.n * lnBeta
	g[3] = d.n * s / beta
	lnS := math.Log(s)
	for k, x := range d.xs {
		lg, _ := math.Lgamma(r + x)
		ll += d.xCount[k] * lg
		g[0] += d.xCount[k] * mathext.Digamma(r+x)
		d.lnK[k] = lnS - math.Log(r+s+x)
		d.invK[k] = 1 / (r + s + x)
	}
	for k, t := range d.ts {
		d.at[k] = m.at(t)
	}
	for k, tm := range d.terms {
		d.l[k] = m.pnbdTerm(d.xs[tm[0]], d.at[tm[1]], &d.lg[k])
	}

	for _, p := range d.patterns {
		x, at := d.xs[p.xi], d.at[p.ti]
		lnFirst := -(r+x)*at.lnA - s*at.lnB
		mix, _, w, u1, u2 := pnbdMix(lnFirst, d.lnK[p.xi], d.l[p.l1], d.l[p.l2])
		ll += p.n * mix
		// ∂lnFirst and ∂ln K in (r, α, s, β).
		f := [4]float64{-at.lnA, -(r + x) * at.invA, -at.lnB, -s * at.invB}
		ik := d.invK[p.xi]
		kk := [4]float64{-ik, 0, 1/s - ik, 0}
		g1, g2 := &d.lg[p.l1], &d.lg[p.l2]
		for i := range g {
			g[i] += p.n * (f[i] + w*(kk[i]+u1*g1[i]-u2*g2[i]-f[i]))
		}
	}
	if math.IsNaN(ll) {
		return math.Inf(1)
	}
	// Chain rule to log parameters, negate and average.
	for i, v := range []float64{r, alpha, s, beta} {
		grad[i] = -g[i] * v / d.n
	}
	return -ll / d.n
}

// FitParetoNBD estimates the Pareto/NBD model by maximum likelihood with
// the optimiser FitBGNBD uses and an analytic gradient (see
// pnbdData.objective), in log parameters (r, α, s, β), from r = s = 1,
// α = mean T / mean x, β = mean T. Errors are those of FitBGNBD.
func FitParetoNBD(s Summary, opts FitOptions) (ParetoNBD, FitReport, error) {
	if err := s.Validate(); err != nil {
		return ParetoNBD{}, FitReport{}, fmt.Errorf("fit Pareto/NBD: %w", err)
	}
	n := s.Len()
	if n < MinCustomers {
		return ParetoNBD{}, FitReport{}, fmt.Errorf("fit Pareto/NBD: %w: %d customers, need %d", ErrTooFewCustomers, n, MinCustomers)
	}
	var sumX, sumT float64
	for i := range n {
		sumX += s.Frequency[i]
		sumT += s.T[i]
	}
	if sumX == 0 {
		return ParetoNBD{}, FitReport{}, fmt.Errorf("fit Pareto/NBD: %w among %d customers", ErrNoRepeatBuyers, n)
	}
	if sumT == 0 {
		return ParetoNBD{}, FitReport{}, fmt.Errorf("fit Pareto/NBD: %w: every customer has T = 0", ErrInvalidInput)
	}
	opts = opts.withDefaults()
	start := opts.Initial
	if start == nil {
		start = []float64{1, sumT / sumX, 1, sumT / float64(n)}
	} else if len(start) != 4 {
		return ParetoNBD{}, FitReport{}, fmt.Errorf("fit Pareto/NBD: %w: %d initial parameters, want 4", ErrInvalidInput, len(start))
	}
	d := newPNBDData(s)
	est, rep, err := minimize(d.objective, start, opts)
	rep.Customers = n
	rep.Groups = len(d.patterns)
	rep.LogLikelihood *= d.n
	if est == nil {
		return ParetoNBD{}, rep, fmt.Errorf("fit Pareto/NBD: %w", err)
	}
	m := ParetoNBD{R: est[0], Alpha: est[1], S: est[2], Beta: est[3]}
	if err != nil {
		return m, rep, fmt.Errorf("fit Pareto/NBD: %w", err)
	}
	rep.StdErr, rep.LogCov = covariance(d.objective, est, d.n)
	return m, rep, nil
}

// PAlive returns the probability that a customer with x repeat purchases,
// the last at t_x, is still active at age T (Fader, Hardie & Lee's note,
// eq. 24):
//
//	P(alive) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀).
//
// Invalid inputs give NaN.
func (m ParetoNBD) PAlive(x, tx, T float64) float64 {
	if !(x >= 0) || !(tx >= 0) || !(T >= tx) {
		return math.NaN()
	}
	_, lnA0, lnFirst := m.pnbdLogLik(x, tx, T)
	lnOdds := math.Log(m.S/(m.R+m.S+x)) + lnA0 - lnFirst
	return 1 / (1 + math.Exp(lnOdds))
}

// ExpectedPurchases returns the expected number of purchases in (T, T+t] of
// a customer with x repeat purchases, the last at t_x, observed up to age
// T (Schmittlein, Morrison & Colombo 1987; Fader, Hardie & Lee's note,
// eq. 27):
//
//	E[Y(t) | x, t_x, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive),
//
// whose bracket over (s−1) tends to ln((β+T+t)/(β+T)) as s → 1.
func (m ParetoNBD) ExpectedPurchases(t, x, tx, T float64) float64 {
	if !(t >= 0) {
		return math.NaN()
	}
	return (m.R + x) * (m.Beta + T) / (m.Alpha + T) * powerTerm(m.S-1, (m.Beta+T+t)/(m.Beta+T)) * m.PAlive(x, tx, T)
}

// ExpectedRepeatPurchases returns the expected purchases of a randomly
// chosen customer in a period of length t from the start:
//
//	E[X(t)] = rβ / (α(s−1)) · [1 − (β/(β+t))^(s−1)].
func (m ParetoNBD) ExpectedRepeatPurchases(t float64) float64 {
	if !(t >= 0) {
		return math.NaN()
	}
	return m.R * m.Beta / m.Alpha * powerTerm(m.S-1, (m.Beta+t)/m.Beta)
}

// powerTerm returns (1 − q^(−k)) / k for q ≥ 1, and its limit ln q at
// k = 0, without cancellation near it.
func powerTerm(k, q float64) float64 {
	lq := math.Log(q)
	if math.Abs(k*lq) < 1e-8 {
		return lq
	}
	return -math.Expm1(-k*lq) / k
}
