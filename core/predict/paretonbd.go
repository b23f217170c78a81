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
// powers underflow for frequent buyers. It also returns ln A₀ and the log
// of the first bracket term, which P(alive) needs.
func (m ParetoNBD) pnbdLogLik(x, tx, T float64) (ll, lnA0, lnFirst float64) {
	r, a, s, b := m.R, m.Alpha, m.S, m.Beta
	rsx := r + s + x
	lgRX, _ := math.Lgamma(r + x)
	lgR, _ := math.Lgamma(r)
	head := lgRX - lgR + r*math.Log(a) + s*math.Log(b)
	lnFirst = -(r+x)*math.Log(a+T) - s*math.Log(b+T)
	big, second := a, s+1
	if a < b {
		big, second = b, r+x
	}
	term := func(t float64) float64 {
		z := math.Abs(a-b) / (big + t)
		return math.Log(mathext.Hypergeo(rsx, second, rsx+1, z)) - rsx*math.Log(big+t)
	}
	l1, l2 := term(tx), term(T)
	// A₀ = e^l1 − e^l2 with l1 ≥ l2 (t_x ≤ T).
	lnA0 = l1 + math.Log1p(-math.Exp(l2-l1))
	if l2 >= l1 {
		lnA0 = math.Inf(-1)
	}
	lc := math.Log(s/rsx) + lnA0
	hi := math.Max(lnFirst, lc)
	ll = head + hi + math.Log(math.Exp(lnFirst-hi)+math.Exp(lc-hi))
	return ll, lnA0, lnFirst
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

// pnbdData groups customers with identical (x, t_x, T): the likelihood
// depends on a customer only through that triple.
type pnbdData struct {
	x, tx, T, w []float64
	n           float64
}

func newPNBDData(s Summary) *pnbdData {
	d := &pnbdData{n: float64(s.Len())}
	index := map[[3]float64]int{}
	for i := range s.Len() {
		k := [3]float64{s.Frequency[i], s.Recency[i], s.T[i]}
		j, ok := index[k]
		if !ok {
			j = len(d.x)
			index[k] = j
			d.x, d.tx, d.T, d.w = append(d.x, k[0]), append(d.tx, k[1]), append(d.T, k[2]), append(d.w, 0)
		}
		d.w[j]++
	}
	return d
}

// negLogLik is the mean negative log-likelihood at log parameters theta.
func (d *pnbdData) negLogLik(theta []float64) float64 {
	for _, v := range theta {
		if math.Abs(v) > maxLogParam {
			return math.Inf(1)
		}
	}
	m := ParetoNBD{R: math.Exp(theta[0]), Alpha: math.Exp(theta[1]), S: math.Exp(theta[2]), Beta: math.Exp(theta[3])}
	var ll float64
	for j := range d.x {
		l, _, _ := m.pnbdLogLik(d.x[j], d.tx[j], d.T[j])
		ll += d.w[j] * l
	}
	if math.IsNaN(ll) {
		return math.Inf(1)
	}
	return -ll / d.n
}

// objective is negLogLik with its gradient by central differences (the
// hypergeometric terms make an analytic gradient long; the test checks
// the estimate against the published one).
func (d *pnbdData) objective(grad, theta []float64) float64 {
	f := d.negLogLik(theta)
	if math.IsInf(f, 0) {
		for i := range grad {
			grad[i] = 0
		}
		return f
	}
	fd.Gradient(grad, d.negLogLik, theta, &fd.Settings{Formula: fd.Central, Step: 1e-6})
	return f
}

// FitParetoNBD estimates the Pareto/NBD model by maximum likelihood with
// the optimiser FitBGNBD uses, in log parameters (r, α, s, β), from
// r = s = 1, α = mean T / mean x, β = mean T. Errors are those of
// FitBGNBD.
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
	rep.Groups = len(d.x)
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
