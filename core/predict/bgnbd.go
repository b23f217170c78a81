package predict

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mathext"
)

// BGNBD is a fitted beta-geometric/negative binomial distribution model of
// repeat buying (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy
// Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2),
// 275–284). While active, a customer buys according to a Poisson process
// with rate λ; after each repeat purchase the customer drops out for good
// with probability p. Across customers λ ~ Gamma(shape R, rate Alpha) and
// p ~ Beta(A, B). Times are in the unit of the data the model was fitted on.
type BGNBD struct {
	R, Alpha, A, B float64
}

// bgPattern is a group of customers sharing (x, t_x, T), held as indices
// into the distinct values of bgData.
type bgPattern struct {
	xi, ti, txi int32
	n           float64 // customers in the group
}

// bgData is a Summary compressed for repeated likelihood evaluation.
type bgData struct {
	xs       []float64 // distinct frequencies
	xCount   []float64 // customers per distinct frequency
	ts       []float64 // distinct ages T
	txs      []float64 // distinct recencies t_x of repeat buyers
	patterns []bgPattern
	n        float64 // customers
	// modified selects MBG/NBD (Batislam, Denizel & Filiztekin 2007):
	// a customer may drop out at the first purchase as at any repeat one.
	modified bool

	// per-evaluation tables and partial sums, reused
	lnBx1, lnT, invT, lnTx, invTx []float64
	partial                       []bgSums
}

// newBGData groups customers with identical (x, t_x, T): the likelihood
// depends on a customer only through that triple, so each distinct pattern
// is evaluated once and weighted by its count. The gamma-function terms
// depend on x alone and the logarithms ln(α+T), ln(α+t_x) on T or t_x
// alone, so they are computed once per distinct value; with purchases on
// whole days there are only a few hundred of each.
//
// Grouping costs a hash lookup per customer. When the first customers are
// almost all distinct (continuous purchase times) it would not pay, and each
// customer becomes its own pattern. Either way indices follow the input
// order, so the summation order, and the result, depend only on the input.
func newBGData(s Summary) *bgData {
	n := s.Len()
	d := &bgData{n: float64(n)}
	// Maps are keyed by the bits of the values, which hash faster than
	// float64 keys.
	xIndex := map[uint64]int32{}
	lookup := func(m map[uint64]int32, vals *[]float64, v float64) int32 {
		b := math.Float64bits(v)
		i, ok := m[b]
		if !ok {
			i = int32(len(*vals))
			m[b] = i
			*vals = append(*vals, v)
		}
		return i
	}
	if mostlyDistinct(s) {
		d.ts = slices.Clone(s.T)
		d.patterns = make([]bgPattern, n)
		for i, x := range s.Frequency {
			p := bgPattern{xi: lookup(xIndex, &d.xs, x), ti: int32(i), n: 1}
			p.txi = int32(len(d.txs))
			d.txs = append(d.txs, s.Recency[i])
			d.patterns[i] = p
		}
	} else {
		tIndex := map[uint64]int32{}
		txIndex := map[uint64]int32{}
		patterns := make(map[bgKey]int32, min(n, 1<<16))
		for i := range n {
			k := newBGKey(s, i)
			if p, ok := patterns[k]; ok {
				d.patterns[p].n++
				continue
			}
			patterns[k] = int32(len(d.patterns))
			x := s.Frequency[i]
			p := bgPattern{xi: lookup(xIndex, &d.xs, x), ti: lookup(tIndex, &d.ts, s.T[i]), n: 1}
			p.txi = lookup(txIndex, &d.txs, s.Recency[i])
			d.patterns = append(d.patterns, p)
		}
	}
	d.xCount = make([]float64, len(d.xs))
	for _, p := range d.patterns {
		d.xCount[p.xi] += p.n
	}
	d.lnBx1 = make([]float64, len(d.xs))
	d.lnT = make([]float64, len(d.ts))
	d.invT = make([]float64, len(d.ts))
	d.lnTx = make([]float64, len(d.txs))
	d.invTx = make([]float64, len(d.txs))
	return d
}

// bgKey identifies a pattern by the bits of (x, T, t_x).
type bgKey struct{ x, T, tx uint64 }

func newBGKey(s Summary, i int) bgKey {
	return bgKey{math.Float64bits(s.Frequency[i]), math.Float64bits(s.T[i]), math.Float64bits(s.Recency[i])}
}

// mostlyDistinct reports whether more than 90% of the first 4096 customers
// have distinct (x, t_x, T).
func mostlyDistinct(s Summary) bool {
	const sample = 4096
	m := min(s.Len(), sample)
	seen := make(map[bgKey]struct{}, m)
	for i := range m {
		seen[newBGKey(s, i)] = struct{}{}
	}
	return m == sample && len(seen) > sample*9/10
}

// negLogLik returns the mean negative log-likelihood of the BG/NBD model
// at log parameters θ = (ln r, ln α, ln a, ln b) and writes its gradient
// with respect to θ into grad. See FitBGNBD for the likelihood.
func (d *bgData) negLogLik(grad, theta []float64) float64 {
	r, alpha, a, b := math.Exp(theta[0]), math.Exp(theta[1]), math.Exp(theta[2]), math.Exp(theta[3])
	lnAlpha, lnA := math.Log(alpha), math.Log(a)

	// Terms shared by all customers.
	lgR, _ := math.Lgamma(r)
	lgAB, _ := math.Lgamma(a + b)
	lgB, _ := math.Lgamma(b)
	psiAB := mathext.Digamma(a + b)
	ll := d.n * (r*lnAlpha - lgR + lgAB - lgB)
	gr := d.n * (lnAlpha - mathext.Digamma(r))
	gAlpha := d.n * r / alpha
	ga := d.n * psiAB
	gb := d.n * (psiAB - mathext.Digamma(b))

	// Terms depending on x only: ln Γ(r+x) + ln Γ(b+x') − ln Γ(a+b+x'),
	// with x' = x (BG/NBD) or x+1 (MBG/NBD, whose first branch is
	// B(a, b+x+1)/B(a, b)).
	shift := 0.0
	if d.modified {
		shift = 1
	}
	for k, x := range d.xs {
		c := d.xCount[k]
		xb := x + shift
		lg1, _ := math.Lgamma(r + x)
		lg2, _ := math.Lgamma(b + xb)
		lg3, _ := math.Lgamma(a + b + xb)
		ll += c * (lg1 + lg2 - lg3)
		psi3 := mathext.Digamma(a + b + xb)
		gr += c * mathext.Digamma(r+x)
		ga -= c * psi3
		gb += c * (mathext.Digamma(b+xb) - psi3)
		if x > 0 || d.modified {
			d.lnBx1[k] = math.Log(b + xb - 1)
		}
	}
	for k, t := range d.ts {
		d.lnT[k] = math.Log(alpha + t)
		d.invT[k] = 1 / (alpha + t)
	}
	for k, t := range d.txs {
		d.lnTx[k] = math.Log(alpha + t)
		d.invTx[k] = 1 / (alpha + t)
	}

	// Pattern terms, summed in fixed chunks (in parallel when several CPUs
	// are available) and combined in chunk order, so the result does not
	// depend on the number of workers.
	nChunks := (len(d.patterns) + bgChunk - 1) / bgChunk
	if cap(d.partial) < nChunks {
		d.partial = make([]bgSums, nChunks)
	}
	d.partial = d.partial[:nChunks]
	chunk := func(c int) {
		lo := c * bgChunk
		hi := min(lo+bgChunk, len(d.patterns))
		d.partial[c] = d.patternSums(d.patterns[lo:hi], r, a, lnA, b)
	}
	if workers := min(runtime.GOMAXPROCS(0), nChunks); workers > 1 {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for c := int(next.Add(1) - 1); c < nChunks; c = int(next.Add(1) - 1) {
					chunk(c)
				}
			})
		}
		wg.Wait()
	} else {
		for c := range nChunks {
			chunk(c)
		}
	}
	for _, p := range d.partial {
		ll += p.ll
		gr += p.gr
		gAlpha += p.gAlpha
		ga += p.ga
		gb += p.gb
	}

	// Chain rule to log parameters, negate and average.
	inv := 1 / d.n
	grad[0] = -gr * r * inv
	grad[1] = -gAlpha * alpha * inv
	grad[2] = -ga * a * inv
	grad[3] = -gb * b * inv
	return -ll * inv
}

// bgChunk is the number of patterns summed per unit of work.
const bgChunk = 1 << 14

// bgSums are partial sums of the log-likelihood and its gradient in the
// natural parameters (r, α, a, b).
type bgSums struct{ ll, gr, gAlpha, ga, gb float64 }

// patternSums adds the pattern terms ln(e^A3 + δ(x>0) e^A4) with
//
//	A3 = −(r+x) ln(α+T),  A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
//
// (for MBG/NBD every x has the second branch, with ln(b+x) in place of
// ln(b+x−1))
// and their derivatives over ps, using the tables filled by negLogLik.
func (d *bgData) patternSums(ps []bgPattern, r, a, lnA, b float64) bgSums {
	var s bgSums
	shift := 0.0
	if d.modified {
		shift = 1
	}
	for _, p := range ps {
		x := d.xs[p.xi]
		rx := r + x
		lnT := d.lnT[p.ti]
		a3 := -rx * lnT
		if x == 0 && !d.modified {
			s.ll += p.n * a3
			s.gr -= p.n * lnT
			s.gAlpha -= p.n * rx * d.invT[p.ti]
			continue
		}
		lnTx := d.lnTx[p.txi]
		a4 := lnA - d.lnBx1[p.xi] - rx*lnTx
		// w is the weight of the "dropped out after the last purchase"
		// branch: e^A4 / (e^A3 + e^A4).
		var w float64
		if a4 > a3 {
			e := math.Exp(a3 - a4)
			s.ll += p.n * (a4 + math.Log1p(e))
			w = 1 / (1 + e)
		} else {
			e := math.Exp(a4 - a3)
			s.ll += p.n * (a3 + math.Log1p(e))
			w = e / (1 + e)
		}
		v := 1 - w
		s.gr -= p.n * (v*lnT + w*lnTx)
		s.gAlpha -= p.n * rx * (v*d.invT[p.ti] + w*d.invTx[p.txi])
		s.ga += p.n * w / a
		s.gb -= p.n * w / (b + x + shift - 1)
	}
	return s
}

// FitBGNBD estimates the BG/NBD model by maximum likelihood.
//
// For a customer with x repeat purchases, the last at t_x, observed for T,
// the likelihood (Fader, Hardie & Lee 2005, eq. 6) is
//
//	L(r, α, a, b | x, t_x, T) = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
//	                          + δ(x>0) B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)),
//
// evaluated in logs with math.Lgamma. The sum of log-likelihoods is
// maximised over (ln r, ln α, ln a, ln b) with gonum's BFGS and the analytic
// gradient (digamma from gonum/mathext). Customers with identical
// (x, t_x, T) are grouped so each pattern is evaluated once.
//
// The start is r = 1, α = r·ΣT/Σx (the pooled purchase rate), a = 1, b = 3,
// unless opts.Initial is set. It needs at least MinCustomers customers,
// at least one repeat buyer (else ErrNoRepeatBuyers) and a positive total
// observation time. If the optimiser stops early the last iterate is
// returned together with an error wrapping ErrNotConverged, and an estimate
// on the boundary of the parameter space with one wrapping ErrDegenerate.
func FitBGNBD(s Summary, opts FitOptions) (BGNBD, FitReport, error) {
	est, rep, err := fitBG(s, opts, false)
	if est == nil {
		return BGNBD{}, rep, fmt.Errorf("fit BG/NBD: %w", err)
	}
	m := BGNBD{R: est[0], Alpha: est[1], A: est[2], B: est[3]}
	if err != nil {
		return m, rep, fmt.Errorf("fit BG/NBD: %w", err)
	}
	return m, rep, nil
}

// fitBG maximises the BG/NBD (or, modified, the MBG/NBD) likelihood and
// returns (r, α, a, b), or nil with the error when there is no estimate.
func fitBG(s Summary, opts FitOptions, modified bool) ([]float64, FitReport, error) {
	if err := s.Validate(); err != nil {
		return nil, FitReport{}, err
	}
	n := s.Len()
	if n < MinCustomers {
		return nil, FitReport{}, fmt.Errorf("%w: %d customers, need %d", ErrTooFewCustomers, n, MinCustomers)
	}
	var sumX, sumT float64
	for i := range n {
		sumX += s.Frequency[i]
		sumT += s.T[i]
	}
	if sumX == 0 {
		return nil, FitReport{}, fmt.Errorf("%w among %d customers", ErrNoRepeatBuyers, n)
	}
	if sumT == 0 {
		return nil, FitReport{}, fmt.Errorf("%w: every customer has T = 0", ErrInvalidInput)
	}
	opts = opts.withDefaults()
	start := opts.Initial
	if start == nil {
		start = []float64{1, sumT / sumX, 1, 3}
	} else if len(start) != 4 {
		return nil, FitReport{}, fmt.Errorf("%w: %d initial parameters, want 4", ErrInvalidInput, len(start))
	}
	d := newBGData(s)
	d.modified = modified
	est, rep, err := minimize(d.negLogLik, start, opts)
	rep.Customers = n
	rep.Groups = len(d.patterns)
	rep.LogLikelihood *= d.n
	if est != nil && err == nil {
		rep.StdErr, rep.LogCov = covariance(d.negLogLik, est, d.n)
	}
	return est, rep, err
}

// LogLikelihood returns the total BG/NBD log-likelihood of s under m
// (see FitBGNBD for the formula).
func (m BGNBD) LogLikelihood(s Summary) (float64, error) {
	if err := s.Validate(); err != nil {
		return math.NaN(), fmt.Errorf("BG/NBD log-likelihood: %w", err)
	}
	if s.Len() == 0 {
		return 0, nil
	}
	d := newBGData(s)
	grad := make([]float64, 4)
	theta := []float64{math.Log(m.R), math.Log(m.Alpha), math.Log(m.A), math.Log(m.B)}
	return -d.negLogLik(grad, theta) * d.n, nil
}

// PAlive returns the probability that a customer with x repeat purchases,
// the last at t_x, is still active at age T (Fader, Hardie & Lee 2005,
// eq. 11 and the note "Computing P(alive) Using the BG/NBD Model"):
//
//	P(alive | x, t_x, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
//
// A customer without repeat purchases is alive with probability 1 because
// dropout can only follow a repeat purchase. Invalid inputs give NaN.
func (m BGNBD) PAlive(x, tx, T float64) float64 {
	if !(x >= 0) || !(tx >= 0) || !(T >= tx) {
		return math.NaN()
	}
	if x == 0 {
		return 1
	}
	lnOdds := math.Log(m.A) - math.Log(m.B+x-1) + (m.R+x)*(math.Log(m.Alpha+T)-math.Log(m.Alpha+tx))
	return 1 / (1 + math.Exp(lnOdds))
}

// ExpectedPurchases returns the expected number of purchases in (T, T+t] of a
// customer with x repeat purchases, the last at t_x, observed up to age T
// (Fader, Hardie & Lee 2005, eq. 10):
//
//	E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1)
//	    · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
//	    · P(alive | x, t_x, T).
//
// The Gaussian hypergeometric function is gonum's mathext.Hypergeo. Its
// argument z = t/(α+T+t) lies in [0, 1), where the series converges, but
// tends to 1 for long horizons, where ₂F₁ grows like (1−z)^(c−a−b) when
// c−a−b = a−1−r−x < 0. In that case Euler's transformation
// ₂F₁(a, b; c; z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z) (Abramowitz & Stegun
// 15.3.3) is applied first, so the function evaluated stays bounded on
// [0, 1] and the power of (1−z) is combined in logs. The removable
// singularity at a = 1 is bridged by cubic interpolation in a over
// [1−2·10⁻³, 1+2·10⁻³]. Invalid inputs give NaN.
func (m BGNBD) ExpectedPurchases(t, x, tx, T float64) float64 {
	if !(t >= 0) {
		return math.NaN()
	}
	pa := m.PAlive(x, tx, T)
	if math.IsNaN(pa) {
		return pa
	}
	return m.cumulative(t, x, T) * pa
}

// ExpectedRepeatPurchases returns the expected number of repeat purchases
// of a randomly chosen customer in the first t time units after the first
// purchase (Fader, Hardie & Lee 2005, eq. 9):
//
//	E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
//
// The hypergeometric term is evaluated as in ExpectedPurchases.
func (m BGNBD) ExpectedRepeatPurchases(t float64) float64 {
	if !(t >= 0) {
		return math.NaN()
	}
	return m.cumulative(t, 0, 0)
}

// cumulative returns (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)
// ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))], the expected purchases in (T, T+t] of
// an active customer's posterior, and E[X(t)] when x = T = 0.
func (m BGNBD) cumulative(t, x, T float64) float64 {
	// At a = 1 numerator and denominator vanish together. Near it the
	// formula loses about ε/|a−1| to cancellation, so within h of 1 the
	// value is the cubic through a = 1 ± h, 1 ± 2h (interpolation error of
	// order h⁴, cancellation of order ε/h).
	const h = 1e-3
	if d := m.A - 1; math.Abs(d) < h {
		nodes := [4]float64{-2 * h, -h, h, 2 * h}
		var v float64
		for i, ni := range nodes {
			w := m.cumulativeAt(1+ni, t, x, T)
			for j, nj := range nodes {
				if j != i {
					w *= (d - nj) / (ni - nj)
				}
			}
			v += w
		}
		return v
	}
	return m.cumulativeAt(m.A, t, x, T)
}

// cumulativeAt evaluates cumulative with a in place of m.A; a must not be 1.
func (m BGNBD) cumulativeAt(aParam, t, x, T float64) float64 {
	if t == 0 {
		return 0
	}
	a, b, c := m.R+x, m.B+x, aParam+m.B+x-1
	s := m.Alpha + T + t
	z := t / s
	lnOneMinusZ := math.Log((m.Alpha + T) / s)
	// (1−z)^a ₂F₁(a, b; c; z), keeping the evaluated ₂F₁ bounded near z = 1.
	var scaled float64
	if e := c - a - b; e >= 0 {
		scaled = math.Exp(a*lnOneMinusZ) * mathext.Hypergeo(a, b, c, z)
	} else {
		scaled = math.Exp((a+e)*lnOneMinusZ) * mathext.Hypergeo(c-a, c-b, c, z)
	}
	return c / (aParam - 1) * (1 - scaled)
}

// ProbNPurchases returns P(X(t) = n), the probability that a randomly chosen
// customer makes exactly n repeat purchases in the first t time units
// (Fader, Hardie & Lee 2005, eq. 8):
//
//	P(X(t) = n) = B(a, b+n)/B(a, b) · Γ(r+n)/(Γ(r) n!) · (α/(α+t))^r (t/(α+t))^n
//	            + δ(n>0) B(a+1, b+n−1)/B(a, b) · [1 − (α/(α+t))^r Σ_{j<n} Γ(r+j)/(Γ(r) j!) (t/(α+t))^j].
//
// The bracket is the upper tail of a negative binomial distribution and is
// evaluated as the regularised incomplete beta function I_{t/(α+t)}(n, r)
// (mathext.RegIncBeta), which avoids the cancellation of the finite sum.
// Negative n or t give NaN.
func (m BGNBD) ProbNPurchases(n int, t float64) float64 {
	if n < 0 || !(t >= 0) {
		return math.NaN()
	}
	if t == 0 {
		if n == 0 {
			return 1
		}
		return 0
	}
	r, alpha, a, b := m.R, m.Alpha, m.A, m.B
	x := float64(n)
	lbAB := mathext.Lbeta(a, b)
	lnP := math.Log(alpha / (alpha + t)) // ln of the NB "success" probability
	lnQ := math.Log(t / (alpha + t))
	lgRX, _ := math.Lgamma(r + x)
	lgR, _ := math.Lgamma(r)
	lgX1, _ := math.Lgamma(x + 1)
	first := math.Exp(mathext.Lbeta(a, b+x) - lbAB + lgRX - lgR - lgX1 + r*lnP + x*lnQ)
	if n == 0 {
		return first
	}
	tail := mathext.RegIncBeta(x, r, t/(alpha+t))
	return first + math.Exp(mathext.Lbeta(a+1, b+x-1)-lbAB)*tail
}
