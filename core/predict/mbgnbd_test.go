package predict

import (
	"math"
	"testing"
)

// mbgLogLikByHand evaluates the MBG/NBD log-likelihood term by term from
// the formula, with nothing of the fitting code.
func mbgLogLikByHand(m MBGNBD, s Summary) float64 {
	lbeta := func(a, b float64) float64 {
		la, _ := math.Lgamma(a)
		lb, _ := math.Lgamma(b)
		lab, _ := math.Lgamma(a + b)
		return la + lb - lab
	}
	var ll float64
	for i := range s.Len() {
		x, tx, T := s.Frequency[i], s.Recency[i], s.T[i]
		lgRX, _ := math.Lgamma(m.R + x)
		lgR, _ := math.Lgamma(m.R)
		common := lgRX - lgR + m.R*math.Log(m.Alpha)
		t1 := lbeta(m.A, m.B+x+1) - lbeta(m.A, m.B) + common - (m.R+x)*math.Log(m.Alpha+T)
		t2 := lbeta(m.A+1, m.B+x) - lbeta(m.A, m.B) + common - (m.R+x)*math.Log(m.Alpha+tx)
		ll += math.Log(math.Exp(t1) + math.Exp(t2))
	}
	return ll
}

func TestMBGNBDLikelihoodAndGradient(t *testing.T) {
	s := Summary{
		Frequency: []float64{0, 0, 1, 2, 5, 0, 3, 1, 7, 2},
		Recency:   []float64{0, 0, 4, 10, 30, 0, 12, 1, 38, 2},
		T:         []float64{10, 38, 20, 39, 39, 5, 30, 8, 39, 3},
	}
	m := MBGNBD{R: 0.6, Alpha: 3.2, A: 0.9, B: 2.4}
	got, err := m.LogLikelihood(s)
	if want := mbgLogLikByHand(m, s); err != nil || math.Abs(got-want) > 1e-9*math.Abs(want) {
		t.Fatalf("log-likelihood %v, by hand %v (%v)", got, want, err)
	}
	// The analytic gradient against central differences.
	d := newBGData(s)
	d.modified = true
	theta := []float64{math.Log(m.R), math.Log(m.Alpha), math.Log(m.A), math.Log(m.B)}
	grad := make([]float64, 4)
	d.negLogLik(grad, theta)
	for k := range theta {
		const h = 1e-6
		up, down := append([]float64(nil), theta...), append([]float64(nil), theta...)
		up[k] += h
		down[k] -= h
		g := make([]float64, 4)
		fd := (d.negLogLik(g, up) - d.negLogLik(g, down)) / (2 * h)
		if math.Abs(fd-grad[k]) > 1e-6*max(1, math.Abs(fd)) {
			t.Errorf("gradient[%d] = %v, finite differences %v", k, grad[k], fd)
		}
	}
}

// TestMBGNBDOnCDNOW fits the CDNOW sample: the fit converges, one-time
// buyers are no longer certainly alive, and the expectations agree with
// the P(alive) and cumulative formulas.
func TestMBGNBDOnCDNOW(t *testing.T) {
	_, s := cdnowSummary(t)
	m, rep, err := FitMBGNBD(s, FitOptions{})
	if err != nil || !rep.Converged {
		t.Fatalf("%v %+v", err, rep)
	}
	bg, bgRep, err := FitBGNBD(s, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Both describe the data about as well (within 1% of log-likelihood).
	if math.Abs(rep.LogLikelihood-bgRep.LogLikelihood) > 0.01*math.Abs(bgRep.LogLikelihood) {
		t.Errorf("MBG/NBD log-likelihood %v, BG/NBD %v", rep.LogLikelihood, bgRep.LogLikelihood)
	}
	if p := m.PAlive(0, 0, 39); !(p > 0 && p < 1) {
		t.Errorf("a one-time buyer's P(alive) = %v; want strictly between 0 and 1", p)
	}
	if bg.PAlive(0, 0, 39) != 1 {
		t.Error("BG/NBD's one-time buyer should be alive with certainty")
	}
	// The longer silent, the less likely alive.
	if !(m.PAlive(2, 5, 39) < m.PAlive(2, 35, 39)) {
		t.Error("P(alive) does not fall with silence")
	}
	e := m.ExpectedPurchases(52, 2, 30, 39)
	if !(e > 0) || math.Abs(e-m.shifted().cumulative(52, 2, 39)*m.PAlive(2, 30, 39)) > 1e-12 {
		t.Errorf("expected purchases %v", e)
	}
	// E[X(t)] grows with t and starts at 0.
	if m.ExpectedRepeatPurchases(0) != 0 || !(m.ExpectedRepeatPurchases(26) < m.ExpectedRepeatPurchases(52)) {
		t.Error("E[X(t)]")
	}
	t.Logf("MBG/NBD r=%.4f α=%.4f a=%.4f b=%.4f LL=%.2f (BG/NBD LL=%.2f)", m.R, m.Alpha, m.A, m.B, rep.LogLikelihood, bgRep.LogLikelihood)
}
