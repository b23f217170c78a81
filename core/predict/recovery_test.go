package predict

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// standardErrors returns the asymptotic standard errors of maximum
// likelihood estimates in log parameters: the square roots of the diagonal
// of the inverse observed information, n times the Hessian of the mean
// negative log-likelihood, which is obtained by central differences of the
// analytic gradient.
func standardErrors(t *testing.T, eval objective, n float64, logParams []float64) []float64 {
	t.Helper()
	k := len(logParams)
	hess := mat.NewDense(k, k, nil)
	fd.Jacobian(hess, func(y, x []float64) { eval(y, x) }, logParams, &fd.JacobianSettings{Formula: fd.Central})
	info := mat.NewDense(k, k, nil)
	// Symmetrise away the differencing noise, scale to the total.
	for i := range k {
		for j := range k {
			info.Set(i, j, n*(hess.At(i, j)+hess.At(j, i))/2)
		}
	}
	var cov mat.Dense
	if err := cov.Inverse(info); err != nil {
		t.Fatalf("observed information not invertible: %v", err)
	}
	se := make([]float64, k)
	for i := range se {
		if se[i] = math.Sqrt(cov.At(i, i)); !(se[i] > 0) {
			t.Fatalf("non-positive variance %v for parameter %d", cov.At(i, i), i)
		}
	}
	return se
}

// checkRecovery accepts an estimate when every log parameter lies within
// four asymptotic standard errors of the truth. Under the normal
// approximation a single comparison fails by chance with probability
// 6·10⁻⁵; the seed is fixed, so the test is deterministic. It also requires
// the standard errors to be below maxSE, so the test has power: with
// maxSE = 0.05, a 20% error in any parameter is caught.
func checkRecovery(t *testing.T, names []string, truth, est, se []float64, maxSE float64) {
	t.Helper()
	for i, name := range names {
		z := (math.Log(est[i]) - math.Log(truth[i])) / se[i]
		t.Logf("%s: true %.4g, estimate %.4g, SE(log) %.4f, z = %+.2f", name, truth[i], est[i], se[i], z)
		if math.Abs(z) > 4 {
			t.Errorf("%s = %.4g, true %.4g: %.1f standard errors away", name, est[i], truth[i], z)
		}
		if se[i] > maxSE {
			t.Errorf("%s: standard error %.3f of log estimate exceeds %.3f; sample too small to test recovery", name, se[i], maxSE)
		}
	}
}

// TestBGNBDRecovery simulates 100,000 customers from a known BG/NBD model
// with CDNOW-like parameters and ages between 26 and 52 weeks, fits, and
// checks the estimates against the truth.
func TestBGNBDRecovery(t *testing.T) {
	truth := BGNBD{R: 0.25, Alpha: 4, A: 0.8, B: 2.5}
	rng := rand.New(rand.NewPCG(20050101, 2))
	T := make([]float64, 100000)
	for i := range T {
		T[i] = 26 + 26*rng.Float64()
	}
	s := simulateBGNBD(rng, truth, T)
	m, rep, err := FitBGNBD(s, FitOptions{})
	if err != nil {
		t.Fatalf("FitBGNBD: %v (report %+v)", err, rep)
	}
	est := []float64{m.R, m.Alpha, m.A, m.B}
	theta := []float64{math.Log(m.R), math.Log(m.Alpha), math.Log(m.A), math.Log(m.B)}
	d := newBGData(s)
	se := standardErrors(t, d.negLogLik, d.n, theta)
	checkRecovery(t, []string{"r", "alpha", "a", "b"}, []float64{truth.R, truth.Alpha, truth.A, truth.B}, est, se, 0.05)
}

// TestGammaGammaRecovery simulates spend for 100,000 repeat buyers with x
// from 1 to 10 (see simulateSpend), fits, checks the estimates against the
// truth and the reported standard errors against the observed information.
func TestGammaGammaRecovery(t *testing.T) {
	truth := GammaGamma{P: 6, Q: 4, Gamma: 15}
	rng := rand.New(rand.NewPCG(20050102, 3))
	const n = 100000
	freq := make([]float64, n)
	for i := range n {
		freq[i] = float64(1 + rng.IntN(10))
	}
	mon := simulateSpend(rng, truth, freq)
	g, rep, err := FitGammaGamma(freq, mon)
	if err != nil {
		t.Fatalf("FitGammaGamma: %v (report %+v)", err, rep)
	}
	d, err := newGGData(freq, mon)
	if err != nil {
		t.Fatal(err)
	}
	se := standardErrors(t, d.negLogLik, d.n, []float64{math.Log(g.P), math.Log(g.Q), math.Log(g.Gamma)})
	est := []float64{g.P, g.Q, g.Gamma}
	checkRecovery(t, []string{"p", "q", "gamma"}, []float64{truth.P, truth.Q, truth.Gamma}, est, se, 0.05)
	// The fit reports the same standard errors, on the natural scale.
	for i, v := range est {
		if len(rep.StdErr) != 3 || relErr(rep.StdErr[i], v*se[i]) > 1e-4 {
			t.Errorf("reported standard errors %v, want %v × %v", rep.StdErr, est, se)
			break
		}
	}
}
