package strategy

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"segsim/core/knob"
)

// Test holds the settings of a two-sided two-proportion z-test.
type Test struct {
	Alpha float64 `json:"alpha"` // significance level, two-sided (default 0.05)
	Power float64 `json:"power"` // 1 − β (default 0.8)
	// Continuity applies Fleiss' continuity correction to sample sizes.
	Continuity bool `json:"continuity"`
}

// DefaultTest returns α = 0.05, power = 0.8, no continuity correction.
func DefaultTest() Test { return Test{Alpha: 0.05, Power: 0.8} }

// Validate reports a bad level or power.
func (t Test) Validate(path string) error {
	if !(t.Alpha > 0 && t.Alpha < 1) {
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("%s.alpha", path), t.Alpha, "must lie in (0, 1)"))
	}
	if !(t.Power > 0 && t.Power < 1) {
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("%s.power", path), t.Power, "must lie in (0, 1)"))
	}
	return nil
}

func (t Test) z() (za, zb float64) {
	return distuv.UnitNormal.Quantile(1 - t.Alpha/2), distuv.UnitNormal.Quantile(t.Power)
}

// ControlSize returns the control (hold-out) group size that detects the
// difference between the baseline rate p0 and the treated rate p1 when
// treated customers are contacted, with ratio k = treated/control:
//
//	m = (z_{1−α/2}·√(p̄(1−p̄)(1+1/k)) + z_{1−β}·√(p0(1−p0) + p1(1−p1)/k))² / (p1−p0)²
//
// with p̄ = (p0 + k·p1)/(1 + k) (Fleiss, Levin & Paik 2003, §4.4, unequal
// groups). treated = 0 means equal groups (k = 1), the usual per-group
// sample size. Because m depends on k it is found by fixed-point
// iteration. It returns 0 when p1 = p0 cannot be told apart (no uplift)
// and -1 when no control group is large enough for that many treated.
func (t Test) ControlSize(p0, p1 float64, treated int) int {
	d := math.Abs(p1 - p0)
	if d == 0 || p0 < 0 || p1 < 0 || p0 > 1 || p1 > 1 {
		return 0
	}
	za, zb := t.z()
	size := func(k float64) float64 {
		pb := (p0 + k*p1) / (1 + k)
		a := za*math.Sqrt(pb*(1-pb)*(1+1/k)) + zb*math.Sqrt(p0*(1-p0)+p1*(1-p1)/k)
		m := a * a / (d * d)
		if t.Continuity {
			// Fleiss' correction for unequal groups.
			m = m / 4 * math.Pow(1+math.Sqrt(1+2*(k+1)/(k*m*d)), 2)
		}
		return m
	}
	if treated <= 0 {
		return int(math.Ceil(size(1) - 1e-9))
	}
	// m(k) with k = treated/m: iterate m ← size(treated/m).
	n := float64(treated)
	m := size(1)
	for range 200 {
		next := size(n / m)
		if math.IsInf(next, 0) || math.IsNaN(next) || next > 1e12 {
			return -1
		}
		if math.Abs(next-m) < 1e-6 {
			m = next
			break
		}
		m = next
	}
	// The treated group alone cannot reach the power when even an infinite
	// control leaves the variance of p1 too large.
	if zb*math.Sqrt(p1*(1-p1)/n) >= d || m > 1e12 {
		return -1
	}
	return int(math.Ceil(m - 1e-9))
}

// DetectableUplift returns the smallest uplift p1 − p0 > 0 that the test
// detects with the given treated and control sizes (the minimum detectable
// effect), found by bisection on the power; 1 − p0 when none is.
func (t Test) DetectableUplift(p0 float64, treated, control int) float64 {
	if treated <= 0 || control <= 0 {
		return 1 - p0
	}
	za, zb := t.z()
	n, m := float64(treated), float64(control)
	// detects reports whether the uplift d reaches the power:
	// |d| ≥ z_{1−α/2}·√(p̄q̄(1/n+1/m)) + z_{1−β}·√(p1q1/n + p0q0/m).
	detects := func(d float64) bool {
		p1 := p0 + d
		pb := (n*p1 + m*p0) / (n + m)
		need := za*math.Sqrt(pb*(1-pb)*(1/n+1/m)) + zb*math.Sqrt(p1*(1-p1)/n+p0*(1-p0)/m)
		return d >= need
	}
	lo, hi := 0.0, 1-p0
	if !detects(hi) {
		return hi
	}
	for range 60 {
		mid := (lo + hi) / 2
		if detects(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}
