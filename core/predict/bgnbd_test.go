package predict

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mathext"
)

// paperBGNBD holds the estimates of Fader, Hardie & Lee (2005), section 5,
// for the CDNOW sample with a 39-week calibration period; paperBGNBDLL is
// the reported log-likelihood.
var paperBGNBD = BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}

const paperBGNBDLL = -9582.4

func relErr(got, want float64) float64 { return math.Abs(got-want) / math.Abs(want) }

func TestFitBGNBD_CDNOW(t *testing.T) {
	_, s := cdnowSummary(t)
	m, rep, err := FitBGNBD(s, FitOptions{})
	if err != nil {
		t.Fatalf("FitBGNBD: %v (report %+v)", err, rep)
	}
	t.Logf("fit %+v, report %+v", m, rep)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"r", m.R, paperBGNBD.R},
		{"alpha", m.Alpha, paperBGNBD.Alpha},
		{"a", m.A, paperBGNBD.A},
		{"b", m.B, paperBGNBD.B},
		{"log-likelihood", rep.LogLikelihood, paperBGNBDLL},
	} {
		if relErr(c.got, c.want) > 0.01 {
			t.Errorf("%s = %.4f, want %.4f within 1%%", c.name, c.got, c.want)
		}
	}
	if !rep.Converged || rep.Iterations == 0 || rep.Customers != 2357 || rep.Groups >= rep.Customers {
		t.Errorf("report %+v: want converged, iterations > 0, 2357 customers grouped into fewer patterns", rep)
	}
	if rep.GradNorm > 1e-6 {
		t.Errorf("gradient norm %.3g at the estimate", rep.GradNorm)
	}
}

// directBGNBDLogLik is equation 6 of Fader, Hardie & Lee (2005) written out
// with beta functions, as in the paper, for one customer.
func directBGNBDLogLik(m BGNBD, x, tx, T float64) float64 {
	lgRX, _ := math.Lgamma(m.R + x)
	lgR, _ := math.Lgamma(m.R)
	common := lgRX - lgR + m.R*math.Log(m.Alpha) - mathext.Lbeta(m.A, m.B)
	l := math.Exp(common + mathext.Lbeta(m.A, m.B+x) - (m.R+x)*math.Log(m.Alpha+T))
	if x > 0 {
		l += math.Exp(common + mathext.Lbeta(m.A+1, m.B+x-1) - (m.R+x)*math.Log(m.Alpha+tx))
	}
	return math.Log(l)
}

// TestBGNBDLogLikelihood checks the grouped likelihood against the
// per-customer formula and the paper's value at the paper's estimates.
func TestBGNBDLogLikelihood(t *testing.T) {
	_, s := cdnowSummary(t)
	for _, m := range []BGNBD{paperBGNBD, {R: 1.3, Alpha: 0.7, A: 2.2, B: 0.4}} {
		got, err := m.LogLikelihood(s)
		if err != nil {
			t.Fatal(err)
		}
		var want float64
		for i := range s.Len() {
			want += directBGNBDLogLik(m, s.Frequency[i], s.Recency[i], s.T[i])
		}
		if relErr(got, want) > 1e-12 {
			t.Errorf("%+v: LogLikelihood = %.10f, per-customer sum %.10f", m, got, want)
		}
	}
	// The paper's estimates are rounded to three decimals, which moves the
	// log-likelihood by far less than the 0.05 of its one-decimal rounding.
	if got, _ := paperBGNBD.LogLikelihood(s); math.Abs(got-paperBGNBDLL) > 0.1 {
		t.Errorf("log-likelihood at the paper's estimates = %.3f, want %.1f", got, paperBGNBDLL)
	}
}

// TestBGNBDGradient compares the analytic gradient with central differences.
func TestBGNBDGradient(t *testing.T) {
	_, s := cdnowSummary(t)
	d := newBGData(s)
	scratch := make([]float64, 4)
	f := func(theta []float64) float64 { return d.negLogLik(scratch, theta) }
	for _, m := range []BGNBD{paperBGNBD, {R: 1, Alpha: 10, A: 1, B: 3}, {R: 0.05, Alpha: 0.5, A: 5, B: 0.2}} {
		theta := []float64{math.Log(m.R), math.Log(m.Alpha), math.Log(m.A), math.Log(m.B)}
		got := make([]float64, 4)
		d.negLogLik(got, theta)
		want := fd.Gradient(nil, f, theta, &fd.Settings{Formula: fd.Central, Step: 1e-5})
		if !floats.EqualApprox(got, want, 1e-7) {
			t.Errorf("%+v: gradient %v, finite differences %v", m, got, want)
		}
	}
}

// testCustomers spans the CDNOW calibration histories: no repeats, an early
// and a late last purchase, and heavy buyers.
var testCustomers = [][3]float64{
	{0, 0, 38.86}, {0, 0, 27}, {1, 1.71, 38.86}, {1, 29.43, 32}, {2, 30.43, 38.86},
	{4, 8, 36}, {7, 29.43, 38.86}, {10, 34.14, 38.86},
}

// testModels exercise both branches of the hypergeometric evaluation
// (c−a−b = a−1−r−x negative and non-negative) and the bridge at a = 1.
var testModels = []BGNBD{
	paperBGNBD,
	{R: 0.5, Alpha: 2, A: 4, B: 6},
	{R: 2, Alpha: 15, A: 1, B: 3},
	{R: 2, Alpha: 15, A: 1 + 3e-5, B: 3},
	{R: 0.9, Alpha: 1.5, A: 1.6, B: 0.8},
}

// TestBGNBDConditionalByQuadrature checks PAlive and ExpectedPurchases
// against direct integration over the individual-level model. For given λ
// and p, a customer's history (x, t_x, T) has likelihood
//
//	L(λ, p) = (1−p)^x λ^x e^{−λT} + δ(x>0) p (1−p)^{x−1} λ^x e^{−λ t_x},
//
// whose first term is the probability of the history with the customer
// still alive at T; an alive customer then buys (1/p)(1 − e^{−λpt})
// times in expectation over (T, T+t]. Hence
//
//	P(alive) = E[(1−p)^x λ^x e^{−λT}] / E[L],
//	E[Y(t)]  = E[(1−p)^x λ^x e^{−λT} (1 − e^{−λpt})/p] / E[L],
//
// with expectations over the Gamma and Beta priors taken by quadrature.
func TestBGNBDConditionalByQuadrature(t *testing.T) {
	const tol = 1e-7
	for _, m := range testModels {
		grids := []priorGrid{newPriorGrid(m, 100, 100), newPriorGrid(m, 200, 200)}
		for _, c := range testCustomers {
			x, tx, T := c[0], c[1], c[2]
			alive := func(l, p float64) float64 { return math.Pow(1-p, x) * math.Pow(l, x) * math.Exp(-l*T) }
			lik := func(l, p float64) float64 {
				v := alive(l, p)
				if x > 0 {
					v += p * math.Pow(1-p, x-1) * math.Pow(l, x) * math.Exp(-l*tx)
				}
				return v
			}
			var norm, pAlive [2]float64
			for k, g := range grids {
				norm[k] = g.expect(lik)
				pAlive[k] = g.expect(alive) / norm[k]
			}
			if relErr(pAlive[0], pAlive[1]) > tol/10 {
				t.Fatalf("%+v %v: quadrature not converged: %v", m, c, pAlive)
			}
			if got := m.PAlive(x, tx, T); relErr(got, pAlive[1]) > tol {
				t.Errorf("%+v x=%v t_x=%v T=%v: PAlive = %.12g, quadrature %.12g", m, x, tx, T, got, pAlive[1])
			}
			for _, horizon := range []float64{0.5, 39, 520, 1e4} {
				var ey [2]float64
				for k, g := range grids {
					ey[k] = g.expect(func(l, p float64) float64 {
						return alive(l, p) * -math.Expm1(-l*p*horizon) / p
					}) / norm[k]
				}
				if relErr(ey[0], ey[1]) > tol/10 {
					t.Fatalf("%+v %v t=%v: quadrature not converged: %v", m, c, horizon, ey)
				}
				if got := m.ExpectedPurchases(horizon, x, tx, T); relErr(got, ey[1]) > tol {
					t.Errorf("%+v x=%v t_x=%v T=%v t=%v: ExpectedPurchases = %.12g, quadrature %.12g", m, x, tx, T, horizon, got, ey[1])
				}
			}
		}
	}
}

// TestBGNBDExpectedRepeatPurchases checks E[X(t)] against quadrature of the
// individual-level mean (1 − e^{−λpt})/p (Fader, Hardie & Lee 2005, eq. 7)
// over the priors, and against simulated customers.
func TestBGNBDExpectedRepeatPurchases(t *testing.T) {
	const tol = 1e-7
	for _, m := range testModels {
		grids := []priorGrid{newPriorGrid(m, 100, 100), newPriorGrid(m, 200, 200)}
		for _, horizon := range []float64{0, 0.1, 1, 39, 78, 1000, 1e5} {
			var ref [2]float64
			for k, g := range grids {
				ref[k] = g.expect(func(l, p float64) float64 { return -math.Expm1(-l*p*horizon) / p })
			}
			if horizon > 0 && relErr(ref[0], ref[1]) > tol/10 {
				t.Fatalf("%+v t=%v: quadrature not converged: %v", m, horizon, ref)
			}
			got := m.ExpectedRepeatPurchases(horizon)
			if horizon == 0 && got != 0 || horizon > 0 && relErr(got, ref[1]) > tol {
				t.Errorf("%+v: ExpectedRepeatPurchases(%v) = %.12g, quadrature %.12g", m, horizon, got, ref[1])
			}
		}
	}

	// Simulation: the mean count of 200,000 simulated customers lies within
	// four standard errors of E[X(t)].
	const n = 200000
	const horizon = 39.0
	rng := rand.New(rand.NewPCG(7, 11))
	sim := simulateBGNBD(rng, paperBGNBD, constantT(n, horizon))
	var sum, sumSq float64
	for _, x := range sim.Frequency {
		sum += x
		sumSq += x * x
	}
	mean := sum / n
	se := math.Sqrt((sumSq/n - mean*mean) / n)
	if want := paperBGNBD.ExpectedRepeatPurchases(horizon); math.Abs(mean-want) > 4*se {
		t.Errorf("simulated mean %.4f ± %.4f, E[X(%v)] = %.4f", mean, se, horizon, want)
	}
}

// TestBGNBDProbNPurchases checks that P(X(t) = n) is a distribution whose
// mean is E[X(t)], and that it matches simulated frequencies.
func TestBGNBDProbNPurchases(t *testing.T) {
	for _, m := range testModels {
		for _, horizon := range []float64{1, 39, 200} {
			var total, mean float64
			for k := range 2000 {
				p := m.ProbNPurchases(k, horizon)
				if !(p >= 0 && p <= 1) {
					t.Fatalf("%+v: P(X(%v) = %d) = %v", m, horizon, k, p)
				}
				total += p
				mean += float64(k) * p
			}
			if math.Abs(total-1) > 1e-9 {
				t.Errorf("%+v t=%v: probabilities sum to %.12f", m, horizon, total)
			}
			if want := m.ExpectedRepeatPurchases(horizon); relErr(mean, want) > 1e-8 {
				t.Errorf("%+v t=%v: Σ n P(n) = %.10f, E[X(t)] = %.10f", m, horizon, mean, want)
			}
		}
	}
	if p := paperBGNBD.ProbNPurchases(0, 0); p != 1 {
		t.Errorf("P(X(0) = 0) = %v, want 1", p)
	}

	const n = 200000
	const horizon = 39.0
	rng := rand.New(rand.NewPCG(3, 5))
	sim := simulateBGNBD(rng, paperBGNBD, constantT(n, horizon))
	counts := make([]float64, 4)
	for _, x := range sim.Frequency {
		if int(x) < len(counts) {
			counts[int(x)]++
		}
	}
	for k, c := range counts {
		p := paperBGNBD.ProbNPurchases(k, horizon)
		se := math.Sqrt(p * (1 - p) / n)
		if math.Abs(c/n-p) > 4*se {
			t.Errorf("P(X(%v) = %d) = %.4f, simulated %.4f ± %.4f", horizon, k, p, c/n, se)
		}
	}
}

func TestBGNBDInvalidArguments(t *testing.T) {
	m := paperBGNBD
	for name, v := range map[string]float64{
		"PAlive recency > T":      m.PAlive(1, 5, 4),
		"PAlive negative x":       m.PAlive(-1, 0, 4),
		"ExpectedPurchases t < 0": m.ExpectedPurchases(-1, 1, 2, 4),
		"ExpectedRepeat t < 0":    m.ExpectedRepeatPurchases(-1),
		"ProbNPurchases n < 0":    m.ProbNPurchases(-1, 3),
	} {
		if !math.IsNaN(v) {
			t.Errorf("%s = %v, want NaN", name, v)
		}
	}
	if got := m.ExpectedPurchases(0, 3, 2, 4); got != 0 {
		t.Errorf("ExpectedPurchases(0, …) = %v, want 0", got)
	}
}

func TestFitBGNBDErrors(t *testing.T) {
	many := func(x float64) Summary {
		s := Summary{}
		for range 50 {
			s.Frequency = append(s.Frequency, x)
			s.Recency = append(s.Recency, x)
			s.T = append(s.T, 10)
		}
		return s
	}
	tiny := Summary{Frequency: []float64{1, 0}, Recency: []float64{1, 0}, T: []float64{3, 3}}
	toyDays := [][]int32{
		{0, 10, 40, 90}, {3}, {5, 70}, {8}, {12, 13, 50, 120, 180},
		{14}, {20, 100}, {21}, {25, 26}, {30}, {33, 150}, {40},
	}
	toy, err := SummaryFromDays(toyDays, nil, 196, Week)
	if err != nil {
		t.Fatal(err)
	}
	bad := many(1)
	bad.Recency[3] = 20
	tests := []struct {
		name string
		s    Summary
		opts FitOptions
		want error
	}{
		{"too few customers", tiny, FitOptions{}, ErrTooFewCustomers},
		{"no repeat buyers", many(0), FitOptions{}, ErrNoRepeatBuyers},
		{"invalid summary", bad, FitOptions{}, ErrInvalidInput},
		{"bad initial", many(1), FitOptions{Initial: []float64{1, 2}}, ErrInvalidInput},
		{"non-positive initial", many(1), FitOptions{Initial: []float64{1, 2, -1, 1}}, ErrInvalidInput},
		{"iteration limit", many(1), FitOptions{MaxIterations: 1}, ErrNotConverged},
		// Every repeat buyer active to the end, every one-off buyer silent
		// for weeks: the likelihood grows as a, b → 0 (dropout probability
		// 0 or 1 for everyone). The fit must stop and say so.
		{"degenerate", toy, FitOptions{}, ErrDegenerate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := FitBGNBD(tt.s, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestHoldoutTable builds the calibration/holdout comparison of Fader,
// Hardie & Lee (2005, Figure 4) on the CDNOW sample: customers grouped by
// calibration frequency 0–6 and 7+, mean purchases in the 39-week holdout.
// How well the model predicts is a property of the data, not of this code,
// so the test checks the table's bookkeeping and logs the comparison.
func TestHoldoutTable(t *testing.T) {
	data, s := cdnowSummary(t)
	holdout, err := HoldoutCounts(data.days, cdnowCalibrationEnd, cdnowHoldoutEnd)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := FitBGNBD(s, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	duration := float64(cdnowHoldoutEnd-cdnowCalibrationEnd) / float64(Week)
	if duration != 39 {
		t.Fatalf("holdout duration %v weeks, want 39", duration)
	}
	rows, err := HoldoutTable(m, s, holdout, duration, 7)
	if err != nil {
		t.Fatal(err)
	}
	var customers int
	var actual, expected float64
	for _, r := range rows {
		t.Logf("x=%d%s n=%4d actual %.3f expected %.3f", r.Frequency, map[bool]string{true: "+"}[r.Open], r.Customers, r.Actual, r.Expected)
		customers += r.Customers
		actual += r.Actual * float64(r.Customers)
		expected += r.Expected * float64(r.Customers)
	}
	if len(rows) != 8 || !rows[7].Open || customers != s.Len() {
		t.Fatalf("rows %+v: want 8 rows covering %d customers, last open", rows, s.Len())
	}
	var holdoutTotal float64
	for _, h := range holdout {
		holdoutTotal += h
	}
	if math.Abs(actual-holdoutTotal) > 1e-9 {
		t.Errorf("actual total %v, holdout counts sum to %v", actual, holdoutTotal)
	}
	// Each row averages the per-customer conditional expectations of its
	// frequency band, and expectations rise with calibration frequency.
	sums := make([]float64, len(rows))
	for i, x := range s.Frequency {
		sums[min(int(x), 7)] += m.ExpectedPurchases(duration, x, s.Recency[i], s.T[i])
	}
	for k, r := range rows {
		if want := sums[k] / float64(r.Customers); relErr(r.Expected, want) > 1e-12 {
			t.Errorf("row %d: expected %v, want %v", k, r.Expected, want)
		}
		if k > 0 && r.Expected <= rows[k-1].Expected {
			t.Errorf("expected holdout purchases not increasing at x=%d: %v", k, r.Expected)
		}
	}
	t.Logf("holdout purchases: expected %.1f, actual %.0f", expected, actual)
}

// TestBGNBDLikelihoodDeterministic checks that the chunked, possibly
// parallel likelihood gives bit-identical results whatever the number of
// CPUs.
func TestBGNBDLikelihoodDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	T := make([]float64, 5*bgChunk)
	for i := range T {
		T[i] = 10 + 30*rng.Float64()
	}
	d := newBGData(simulateBGNBD(rng, paperBGNBD, T))
	if len(d.patterns) <= 2*bgChunk {
		t.Fatalf("%d patterns, want several chunks", len(d.patterns))
	}
	theta := []float64{math.Log(0.3), math.Log(5), math.Log(0.7), math.Log(2)}
	eval := func(procs int) ([]float64, float64) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		g := make([]float64, 4)
		return g, d.negLogLik(g, theta)
	}
	g1, f1 := eval(1)
	g4, f4 := eval(4)
	if f1 != f4 || !slices.Equal(g1, g4) {
		t.Errorf("GOMAXPROCS=1: %v %v; GOMAXPROCS=4: %v %v", f1, g1, f4, g4)
	}
}
