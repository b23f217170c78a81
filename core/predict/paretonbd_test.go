package predict

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestParetoNBDCDNOW fits Pareto/NBD to the CDNOW sample (weeks,
// calibration to 1997-09-30) and compares with the published estimates
// (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves for
// Customer Base Analysis": r = 0.553, α = 10.58, s = 0.606, β = 11.67).
func TestParetoNBDCDNOW(t *testing.T) {
	_, s := cdnowSummary(t)
	m, rep, err := FitParetoNBD(s, FitOptions{})
	if err != nil {
		t.Fatalf("fit: %v (%+v)", err, rep)
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
