package predict

import (
	"fmt"
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
		checkCoverage(t, names[i], c, sets)
	}
}

// checkCoverage logs in what share of sets datasets a 90% interval of
// what covered the truth, and fails the test outside 85–95%.
func checkCoverage(t *testing.T, what string, covered, sets int) {
	t.Helper()
	share := float64(covered) / float64(sets)
	t.Logf("%s: the 90%% interval covers the truth in %.1f%% of %d datasets", what, 100*share, sets)
	if share < 0.85 || share > 0.95 {
		t.Errorf("%s: coverage %.3f, want 0.85–0.95", what, share)
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

// TestDeltaIntervalCoverage checks the delta-method intervals by
// simulation: 200 datasets of 4,000 customers from known BG/NBD
// parameters, each fitted; the 90% intervals of P(alive) and of the
// expected purchases over 52 weeks, for three customer patterns, must
// cover the value under the true parameters in 85–95% of them.
func TestDeltaIntervalCoverage(t *testing.T) {
	truth := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	patterns := [][3]float64{{1, 5, 39}, {3, 30, 39}, {6, 38, 39}}
	rng := rand.New(rand.NewPCG(3, 17))
	const sets = 200
	covered := make([][2]int, len(patterns))
	T := make([]float64, 4000)
	for set := range sets {
		for i := range T {
			T[i] = 27 + 12*rng.Float64()
		}
		m, rep, err := FitBGNBD(simulateBGNBD(rng, truth, T), FitOptions{})
		if err != nil || rep.LogCov == nil {
			t.Fatalf("set %d: %v", set, err)
		}
		est := []float64{m.R, m.Alpha, m.A, m.B}
		model := func(p []float64) BGNBD { return BGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3]} }
		for k, pt := range patterns {
			x, tx, T := pt[0], pt[1], pt[2]
			for q, g := range []func(p []float64) float64{
				func(p []float64) float64 { return model(p).PAlive(x, tx, T) },
				func(p []float64) float64 { return model(p).ExpectedPurchases(52, x, tx, T) },
			} {
				lo, hi, ok := DeltaInterval(g, est, rep.LogCov, 0.90)
				if v := g([]float64{truth.R, truth.Alpha, truth.A, truth.B}); ok && lo <= v && v <= hi {
					covered[k][q]++
				}
			}
		}
	}
	for k, c := range covered {
		for q, name := range []string{"P(alive)", "E[Y(52)]"} {
			checkCoverage(t, fmt.Sprintf("%s at %v", name, patterns[k]), c[q], sets)
		}
	}
}
