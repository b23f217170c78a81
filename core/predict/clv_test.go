package predict

import (
	"math"
	"testing"
)

// TestCLV checks the discounted sum against an independent evaluation of
// each period's expected purchases: for an alive customer with rates (λ, p)
// the expected purchases in ((k−1)L, kL] after T are
// (e^{−λp(k−1)L} − e^{−λpkL})/p, which is averaged over the posterior of
// (λ, p) by quadrature (see TestBGNBDConditionalByQuadrature).
func TestCLV(t *testing.T) {
	bg := paperBGNBD
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	grid := newPriorGrid(bg, 200, 200)
	const (
		periods = 12
		length  = 4.345 // weeks per month, lifetimes' factor
		rate    = 0.01
	)
	for _, c := range [][4]float64{{0, 0, 38.86, 0}, {2, 30.43, 38.86, 22.35}, {7, 29.43, 38.86, 73.74}, {1, 1.71, 38.86, 11.77}} {
		x, tx, T, mbar := c[0], c[1], c[2], c[3]
		alive := func(l, p float64) float64 { return math.Pow(1-p, x) * math.Pow(l, x) * math.Exp(-l*T) }
		norm := grid.expect(func(l, p float64) float64 {
			v := alive(l, p)
			if x > 0 {
				v += p * math.Pow(1-p, x-1) * math.Pow(l, x) * math.Exp(-l*tx)
			}
			return v
		})
		value := gg.ConditionalExpectedValue(x, mbar)
		var want float64
		for k := 1; k <= periods; k++ {
			t0, t1 := float64(k-1)*length, float64(k)*length
			purchases := grid.expect(func(l, p float64) float64 {
				return alive(l, p) * (math.Exp(-l*p*t0) - math.Exp(-l*p*t1)) / p
			}) / norm
			want += value * purchases / math.Pow(1+rate, float64(k))
		}
		got := CLV(bg, gg, x, tx, T, mbar, periods, length, rate)
		if relErr(got, want) > 1e-7 {
			t.Errorf("x=%v t_x=%v: CLV = %.8f, quadrature %.8f", x, tx, got, want)
		}
		// Without discounting the sum telescopes to the total expectation.
		undiscounted := CLV(bg, gg, x, tx, T, mbar, periods, length, 0)
		if total := value * bg.ExpectedPurchases(periods*length, x, tx, T); relErr(undiscounted, total) > 1e-12 {
			t.Errorf("x=%v: undiscounted CLV %.10f, value × E[Y] %.10f", x, undiscounted, total)
		}
	}
	for name, v := range map[string]float64{
		"negative periods": CLV(bg, gg, 1, 1, 2, 10, -1, 1, 0),
		"zero length":      CLV(bg, gg, 1, 1, 2, 10, 3, 0, 0),
		"rate ≤ −1":        CLV(bg, gg, 1, 1, 2, 10, 3, 1, -1),
	} {
		if !math.IsNaN(v) {
			t.Errorf("%s: CLV = %v, want NaN", name, v)
		}
	}
	if v := CLV(bg, gg, 1, 1, 2, 10, 0, 1, 0); v != 0 {
		t.Errorf("zero periods: CLV = %v, want 0", v)
	}
}
