package predict

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestParetoNBDCDNOW fits Pareto/NBD to the CDNOW sample (weeks,
// calibration to 1997-09-30) and compares with the published estimates
// (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves for
// Customer Base Analysis": r = 0.553, α = 10.58, s = 0.606, β = 11.67),
// and the maximised log-likelihood with −9595.0.
func TestParetoNBDCDNOW(t *testing.T) {
	_, s := cdnowSummary(t)
	m, rep, err := FitParetoNBD(s, FitOptions{})
	if err != nil || !rep.Converged {
		t.Fatalf("fit: %v (%+v)", err, rep)
	}
	if math.Abs(rep.LogLikelihood+9595.0) > 0.1 {
		t.Errorf("log-likelihood %.2f, want -9595.0", rep.LogLikelihood)
	}
	if ll, err := m.LogLikelihood(s); err != nil || math.Abs(ll-rep.LogLikelihood) > 1e-8*math.Abs(ll) {
		t.Errorf("LogLikelihood = %.6f, %v; the fit reports %.6f", ll, err, rep.LogLikelihood)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"r", m.R, 0.553}, {"alpha", m.Alpha, 10.58}, {"s", m.S, 0.606}, {"beta", m.Beta, 11.67}} {
		if math.Abs(c.got-c.want)/c.want > 0.01 {
			t.Errorf("%s = %.4f, published %.4g", c.name, c.got, c.want)
		}
	}
	t.Logf("Pareto/NBD on CDNOW: r %.4f α %.3f s %.4f β %.3f, LL %.1f, %d iterations, %v", m.R, m.Alpha, m.S, m.Beta, rep.LogLikelihood, rep.Iterations, rep.Runtime)
	if len(rep.StdErr) != 4 {
		t.Errorf("standard errors %v", rep.StdErr)
	}
}

// TestParetoNBDAgainstQuadrature checks P(alive) and the conditional
// expected purchases against the individual-level model integrated over
// λ ~ Gamma(r, α) and μ ~ Gamma(s, β) numerically: with
// L(λ, μ) = λ^x e^{−(λ+μ)T} + λ^x μ/(λ+μ) (e^{−(λ+μ)t_x} − e^{−(λ+μ)T}),
// P(alive) = E[λ^x e^{−(λ+μ)T}] / E[L] and
// E[Y(t)] = E[λ^x e^{−(λ+μ)T} · λ/μ (1 − e^{−μt})] / E[L].
func TestParetoNBDAgainstQuadrature(t *testing.T) {
	m := ParetoNBD{R: 0.553, Alpha: 10.58, S: 0.606, Beta: 11.67}
	const n = 400
	lam, wl := make([]float64, n), make([]float64, n)
	mu, wm := make([]float64, n), make([]float64, n)
	gradedLegendre(lam, wl)
	gradedLegendre(mu, wm)
	gl := distuv.Gamma{Alpha: m.R, Beta: m.Alpha}
	gm := distuv.Gamma{Alpha: m.S, Beta: m.Beta}
	for i := range lam {
		lam[i], mu[i] = gl.Quantile(lam[i]), gm.Quantile(mu[i])
	}
	for _, c := range []struct{ x, tx, T, t float64 }{
		{0, 0, 38.86, 39}, {1, 2, 38.86, 39}, {2, 30.43, 38.86, 52}, {5, 35, 38.86, 39}, {10, 20, 39, 26}, {1, 30, 32, 39},
	} {
		var num, den, ey float64
		for i, l := range lam {
			for j, u := range mu {
				w := wl[i] * wm[j]
				// Scaled by λ^x·e^{−λ·0}: divide every term by a common
				// factor to keep the products in range.
				alive := math.Pow(l, c.x) * math.Exp(-(l+u)*c.T)
				dead := math.Pow(l, c.x) * u / (l + u) * (math.Exp(-(l+u)*c.tx) - math.Exp(-(l+u)*c.T))
				num += w * alive
				den += w * (alive + dead)
				ey += w * alive * l / u * -math.Expm1(-u*c.t)
			}
		}
		if p, q := m.PAlive(c.x, c.tx, c.T), num/den; math.Abs(p-q) > 2e-3 {
			t.Errorf("P(alive | %v) = %.5f, quadrature %.5f", c, p, q)
		}
		if e, q := m.ExpectedPurchases(c.t, c.x, c.tx, c.T), ey/den; math.Abs(e-q) > 2e-3*math.Max(1, q) {
			t.Errorf("E[Y(%v) | %v] = %.5f, quadrature %.5f", c.t, c, e, q)
		}
	}
}

// TestParetoNBDGradient checks the analytic gradient of the Pareto/NBD
// objective against central differences of its value on the CDNOW
// sample, at points with α > β, α < β, α = β and α ≫ β (where the
// ₂F₁ argument exceeds hypSeriesMaxZ and the terms fall back to
// mathext.Hypergeo).
func TestParetoNBDGradient(t *testing.T) {
	_, s := cdnowSummary(t)
	d := newPNBDData(s)
	value := func(theta []float64) float64 { return d.objective(make([]float64, 4), theta) }
	var worst float64
	for _, p := range [][4]float64{
		{0.553, 10.58, 0.606, 11.67}, // the estimate, α < β
		{0.553, 11.67, 0.606, 10.58}, // α > β
		{0.553, 11, 0.606, 11},       // α = β
		{0.553, 11, 0.606, 11 * (1 + 1e-9)},
		{1, 30, 1, 32},     // the start
		{2.5, 4, 0.2, 40},  // far apart, α < β
		{0.1, 60, 3, 1.5},  // z up to 0.975 at t = 0: fallback
		{0.05, 2, 8, 0.5},  // α > β, large s
		{5, 200, 0.05, 90}, // large α, β
	} {
		theta := []float64{math.Log(p[0]), math.Log(p[1]), math.Log(p[2]), math.Log(p[3])}
		grad := make([]float64, 4)
		d.objective(grad, theta)
		want := make([]float64, 4)
		fd.Gradient(want, value, theta, &fd.Settings{Formula: fd.Central, Step: 1e-5})
		for i := range grad {
			e := math.Abs(grad[i]-want[i]) / math.Max(math.Abs(want[i]), 1e-2)
			worst = math.Max(worst, e)
			if e > 1e-5 {
				t.Errorf("at %v: ∂/∂θ%d = %.10g, central differences %.10g", p, i, grad[i], want[i])
			}
		}
	}
	t.Logf("largest relative difference %.2g", worst)
}

// TestParetoNBDStdErr checks the standard errors of the CDNOW fit, which
// difference the analytic gradient, against those from the Hessian of
// the log-likelihood by second differences of its value.
func TestParetoNBDStdErr(t *testing.T) {
	_, s := cdnowSummary(t)
	m, rep, err := FitParetoNBD(s, FitOptions{})
	if err != nil || len(rep.StdErr) != 4 {
		t.Fatalf("%v, standard errors %v", err, rep.StdErr)
	}
	d := newPNBDData(s)
	est := []float64{m.R, m.Alpha, m.S, m.Beta}
	theta := make([]float64, 4)
	for i, v := range est {
		theta[i] = math.Log(v)
	}
	hess := mat.NewSymDense(4, nil)
	fd.Hessian(hess, func(th []float64) float64 { return d.objective(make([]float64, 4), th) }, theta, &fd.Settings{Formula: fd.Central, Step: 1e-3})
	hess.ScaleSym(d.n, hess)
	var chol mat.Cholesky
	var cov mat.SymDense
	if !chol.Factorize(hess) || chol.InverseTo(&cov) != nil {
		t.Fatal("observed information not positive definite")
	}
	for i, v := range est {
		want := v * math.Sqrt(cov.At(i, i))
		if math.Abs(rep.StdErr[i]-want) > 1e-3*want {
			t.Errorf("standard error %d = %.5g, from second differences %.5g", i, rep.StdErr[i], want)
		}
	}
	t.Logf("standard errors %.4g", rep.StdErr)
}

// TestParetoNBDTermSeries compares the A₀ terms from lnHyp1's series
// with those from mathext.Hypergeo, values and gradients, over
// frequencies up to 200 and both orders of α and β.
func TestParetoNBDTermSeries(t *testing.T) {
	var worst, worstGrad float64
	for _, m := range []ParetoNBD{
		{R: 0.553, Alpha: 10.58, S: 0.606, Beta: 11.67},
		{R: 0.553, Alpha: 11.67, S: 0.606, Beta: 10.58},
		{R: 3, Alpha: 1, S: 0.1, Beta: 9},
		{R: 0.02, Alpha: 9, S: 5, Beta: 1},
		{R: 1, Alpha: 7, S: 1, Beta: 7},
	} {
		for _, x := range []float64{0, 1, 2, 7, 30, 200} {
			for _, tt := range []float64{0, 0.5, 3, 39, 300} {
				at := m.at(tt)
				var g, want [4]float64
				got := m.pnbdTerm(x, at, &g)
				ref := m.pnbdTermFallback(x, tt, &want)
				if e := math.Abs(got-ref) / math.Max(1, math.Abs(ref)); e > worst {
					worst = e
				}
				if e := math.Abs(got-ref) / math.Max(1, math.Abs(ref)); e > 1e-12 {
					t.Errorf("%+v x %g t %g: term %.15g, Hypergeo %.15g", m, x, tt, got, ref)
				}
				for i := range g {
					e := math.Abs(g[i]-want[i]) / math.Max(1, math.Abs(want[i]))
					worstGrad = math.Max(worstGrad, e)
					if e > 1e-6 {
						t.Errorf("%+v x %g t %g: ∂%d = %.10g, central differences %.10g", m, x, tt, i, g[i], want[i])
					}
				}
			}
		}
	}
	t.Logf("largest relative difference: value %.2g, gradient %.2g", worst, worstGrad)
}
