package predict

import (
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// priorGrid is a tensor-product Gauss–Legendre rule for expectations over
// the BG/NBD mixing distributions λ ~ Gamma(r, α) and p ~ Beta(a, b), taken
// in probability coordinates so that the singular densities (r < 1, a < 1)
// need no special handling:
//
//	E[h(λ, p)] = ∫₀¹ ∫₀¹ h(F⁻¹(u), G⁻¹(v)) du dv.
//
// It integrates the individual-level model directly, without the gamma and
// beta integrals that lead to the closed forms under test, so it is an
// independent reference.
type priorGrid struct {
	lambda, wl, p, wp []float64
}

func newPriorGrid(m BGNBD, nl, np int) priorGrid {
	g := priorGrid{
		lambda: make([]float64, nl), wl: make([]float64, nl),
		p: make([]float64, np), wp: make([]float64, np),
	}
	gradedLegendre(g.lambda, g.wl)
	gradedLegendre(g.p, g.wp)
	gam := distuv.Gamma{Alpha: m.R, Beta: m.Alpha}
	bet := distuv.Beta{Alpha: m.A, Beta: m.B}
	for i, u := range g.lambda {
		g.lambda[i] = gam.Quantile(u)
	}
	for j, v := range g.p {
		g.p[j] = bet.Quantile(v)
	}
	return g
}

// gradedLegendre fills x and w with a Gauss–Legendre rule on [0, 1] after
// the change of variable v = s³/(s³ + (1−s)³). The quantile functions of
// Gamma(r<1) and Beta(a<1, b) have power-law singularities at 0 and 1; the
// map flattens them so the rule converges quickly.
func gradedLegendre(x, w []float64) {
	quad.Legendre{}.FixedLocations(x, w, 0, 1)
	for i, s := range x {
		a, b := s*s*s, (1-s)*(1-s)*(1-s)
		d := a + b
		x[i] = a / d
		w[i] *= 3 * s * s * (1 - s) * (1 - s) / (d * d)
	}
}

// expect returns E[h(λ, p)] under the grid's prior.
func (g priorGrid) expect(h func(lambda, p float64) float64) float64 {
	var s float64
	for i, l := range g.lambda {
		var inner float64
		for j, p := range g.p {
			inner += g.wp[j] * h(l, p)
		}
		s += g.wl[i] * inner
	}
	return s
}
