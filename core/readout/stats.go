package readout

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// zQuantile returns the two-sided normal critical value of a confidence
// level (1.959964 for 0.95).
func zQuantile(level float64) float64 {
	return distuv.UnitNormal.Quantile(1 - (1-level)/2)
}

// Wilson returns the Wilson score interval of the proportion x/n with
// critical value z (Wilson 1927).
func Wilson(x, n int, z float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	fn, fx := float64(n), float64(x)
	z2 := z * z
	centre := (fx + z2/2) / (fn + z2)
	half := z * math.Sqrt(fx*(fn-fx)/fn+z2/4) / (fn + z2)
	return max(centre-half, 0), min(centre+half, 1)
}

// NewcombeHybrid returns the hybrid score interval of the difference
// x1/n1 − x0/n0 between two independent proportions with critical value z
// (Newcombe 1998, method 10): the Wilson intervals of each proportion
// combined as a square-and-add.
func NewcombeHybrid(x1, n1, x0, n0 int, z float64) (lo, hi float64) {
	p1, p0 := float64(x1)/float64(n1), float64(x0)/float64(n0)
	l1, u1 := Wilson(x1, n1, z)
	l0, u0 := Wilson(x0, n0, z)
	d := p1 - p0
	lo = d - math.Sqrt((p1-l1)*(p1-l1)+(u0-p0)*(u0-p0))
	hi = d + math.Sqrt((u1-p1)*(u1-p1)+(p0-l0)*(p0-l0))
	return lo, hi
}

// Welch returns the level interval of mean(a) − mean(b) with Welch's
// unequal-variance t and the Welch–Satterthwaite degrees of freedom; ok is
// false when either group has fewer than two values. When both variances
// are 0 the interval is the difference itself.
func Welch(a, b []float64, level float64) (lo, hi float64, ok bool) {
	if len(a) < 2 || len(b) < 2 {
		return 0, 0, false
	}
	ma, va := stat.MeanVariance(a, nil)
	mb, vb := stat.MeanVariance(b, nil)
	na, nb := float64(len(a)), float64(len(b))
	sa, sb := va/na, vb/nb
	d := ma - mb
	se := math.Sqrt(sa + sb)
	if se == 0 {
		return d, d, true
	}
	df := (sa + sb) * (sa + sb) / (sa*sa/(na-1) + sb*sb/(nb-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(1 - (1-level)/2)
	return d - t*se, d + t*se, true
}

// Power returns the power of a two-sided two-proportion z-test at level
// alpha (unpooled standard error) to tell the rates p0 (n0 held out) and
// p1 (n1 contacted) apart.
func Power(p0, p1 float64, n0, n1 int, alpha float64) float64 {
	if n0 <= 0 || n1 <= 0 {
		return 0
	}
	d := math.Abs(p1 - p0)
	se := math.Sqrt(p0*(1-p0)/float64(n0) + p1*(1-p1)/float64(n1))
	za := distuv.UnitNormal.Quantile(1 - alpha/2)
	if se == 0 {
		if d > 0 {
			return 1
		}
		return alpha
	}
	return distuv.UnitNormal.CDF(d/se-za) + distuv.UnitNormal.CDF(-d/se-za)
}
