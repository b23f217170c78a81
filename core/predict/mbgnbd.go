package predict

import (
	"fmt"
	"math"
)

// PurchaseModel is what BG/NBD and MBG/NBD both answer for a customer
// with x repeat purchases, the last at t_x, observed up to age T.
type PurchaseModel interface {
	PAlive(x, tx, T float64) float64
	ExpectedPurchases(t, x, tx, T float64) float64
	ExpectedRepeatPurchases(t float64) float64
}

// MBGNBD is the modified BG/NBD model of Batislam, Denizel & Filiztekin
// (2007). It differs from BG/NBD in one assumption: a customer may drop
// out at any purchase, the first one included, so a customer who bought
// once and was never seen again is not certainly alive (under BG/NBD such
// a customer has P(alive) = 1). Purchases while active follow a Poisson
// process with rate λ ~ Gamma(R, Alpha); the dropout probability after
// each purchase is p ~ Beta(A, B).
type MBGNBD struct {
	R, Alpha, A, B float64
}

// FitMBGNBD estimates the MBG/NBD model by maximum likelihood. For a
// customer with x repeat purchases, the last at t_x, observed for T,
//
//	L(r, α, a, b | x, t_x, T) = B(a, b+x+1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
//	                          + B(a+1, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)),
//
// the BG/NBD likelihood with the second branch open to every customer. It
// is maximised as FitBGNBD does (same start, optimiser, analytic gradient
// and errors).
func FitMBGNBD(s Summary, opts FitOptions) (MBGNBD, FitReport, error) {
	est, rep, err := fitBG(s, opts, true)
	if est == nil {
		return MBGNBD{}, rep, fmt.Errorf("fit MBG/NBD: %w", err)
	}
	m := MBGNBD{R: est[0], Alpha: est[1], A: est[2], B: est[3]}
	if err != nil {
		return m, rep, fmt.Errorf("fit MBG/NBD: %w", err)
	}
	return m, rep, nil
}

// LogLikelihood returns the total MBG/NBD log-likelihood of s under m.
func (m MBGNBD) LogLikelihood(s Summary) (float64, error) {
	if err := s.Validate(); err != nil {
		return math.NaN(), fmt.Errorf("MBG/NBD log-likelihood: %w", err)
	}
	if s.Len() == 0 {
		return 0, nil
	}
	d := newBGData(s)
	d.modified = true
	grad := make([]float64, 4)
	theta := []float64{math.Log(m.R), math.Log(m.Alpha), math.Log(m.A), math.Log(m.B)}
	return -d.negLogLik(grad, theta) * d.n, nil
}

// PAlive returns the probability that a customer with x repeat purchases,
// the last at t_x, is still active at age T:
//
//	P(alive | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)).
//
// Invalid inputs give NaN.
func (m MBGNBD) PAlive(x, tx, T float64) float64 {
	if !(x >= 0) || !(tx >= 0) || !(T >= tx) {
		return math.NaN()
	}
	lnOdds := math.Log(m.A) - math.Log(m.B+x) + (m.R+x)*(math.Log(m.Alpha+T)-math.Log(m.Alpha+tx))
	return 1 / (1 + math.Exp(lnOdds))
}

// ExpectedPurchases returns the expected purchases in (T, T+t] of a
// customer with x repeat purchases, the last at t_x, observed up to T:
//
//	E[Y(t) | x, t_x, T] = (a+b+x)/(a−1)
//	    · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))]
//	    · P(alive | x, t_x, T),
//
// BG/NBD's expression with b+1 in place of b, evaluated as BGNBD's is.
func (m MBGNBD) ExpectedPurchases(t, x, tx, T float64) float64 {
	if !(t >= 0) {
		return math.NaN()
	}
	pa := m.PAlive(x, tx, T)
	if math.IsNaN(pa) {
		return pa
	}
	return m.shifted().cumulative(t, x, T) * pa
}

// ExpectedRepeatPurchases returns the expected repeat purchases of a
// randomly chosen new customer in the first t time units:
//
//	E[X(t)] = b/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))],
//
// that is b/(a+b), the chance of not dropping out at the first purchase,
// times the expected purchases of one who did not.
func (m MBGNBD) ExpectedRepeatPurchases(t float64) float64 {
	if !(t >= 0) {
		return math.NaN()
	}
	return m.B / (m.A + m.B) * m.shifted().cumulative(t, 0, 0)
}

// shifted is the BG/NBD model whose expectations, with b+1 for b, are the
// MBG/NBD ones of an active customer.
func (m MBGNBD) shifted() BGNBD { return BGNBD{R: m.R, Alpha: m.Alpha, A: m.A, B: m.B + 1} }
