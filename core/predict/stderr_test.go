package predict

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestStdErrCoverage checks the standard errors by simulation: 200
// datasets of 4,000 customers drawn from known BG/NBD parameters, each
// fitted; the 90% Wald intervals (on the log scale, exp(log θ ± 1.645 ·
// se/θ)) must cover the true value in 85–95% of them for every parameter.
func TestStdErrCoverage(t *testing.T) {
	truth := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	want := []float64{truth.R, truth.Alpha, truth.A, truth.B}
	names := []string{"r", "alpha", "a", "b"}
	rng := rand.New(rand.NewPCG(16, 92))
	const sets = 200
	covered := make([]int, 4)
	T := make([]float64, 4000)
	for set := range sets {
		for i := range T {
			T[i] = 27 + 12*rng.Float64() // first purchases spread over 12 weeks, as in CDNOW
		}
		s := simulateBGNBD(rng, truth, T)
		m, rep, err := FitBGNBD(s, FitOptions{})
		if err != nil || len(rep.StdErr) != 4 {
			t.Fatalf("set %d: %v, standard errors %v", set, err, rep.StdErr)
		}
		est := []float64{m.R, m.Alpha, m.A, m.B}
		for i := range 4 {
			h := 1.645 * rep.StdErr[i] / est[i]
			if lo, hi := math.Log(est[i])-h, math.Log(est[i])+h; math.Log(want[i]) >= lo && math.Log(want[i]) <= hi {
				covered[i]++
			}
		}
	}
	for i, c := range covered {
		share := float64(c) / sets
		t.Logf("%s: the 90%% interval covers the truth in %.1f%% of %d datasets", names[i], 100*share, sets)
		if share < 0.85 || share > 0.95 {
			t.Errorf("%s: coverage %.3f, want 0.85–0.95", names[i], share)
		}
	}
}

// TestStdErrCDNOW checks the standard errors of the CDNOW fit against
// those the lifetimes package's documentation prints for the same fit
// (its quickstart's summary, to two decimals: 0.01, 0.38, 0.19, 0.71),
// computed there from the Hessian of its own likelihood.
func TestStdErrCDNOW(t *testing.T) {
	_, s := cdnowSummary(t)
	_, rep, err := FitBGNBD(s, FitOptions{})
	if err != nil || len(rep.StdErr) != 4 {
		t.Fatalf("%v, standard errors %v", err, rep.StdErr)
	}
	for i, want := range []float64{0.01, 0.38, 0.19, 0.71} {
		if got := math.Round(rep.StdErr[i]*100) / 100; got != want {
			t.Errorf("standard error %d = %.4f, want %.2f", i, rep.StdErr[i], want)
		}
	}
}
