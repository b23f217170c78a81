package strategy

import (
	"math"
	"testing"
)

// TestControlSizeTextbook checks the equal-groups sample size against
// Fleiss, Levin & Paik (2003), Statistical Methods for Rates and
// Proportions, Table A.4: p0 = 0.05, p1 = 0.10, α = 0.05 two-sided, power
// 0.80 needs 474 per group with the continuity correction. By hand:
// p̄ = 0.075, z = 1.95996 and 0.84162;
// n = (1.95996·√(2·0.075·0.925) + 0.84162·√(0.0475 + 0.09))² / 0.05²
// = (0.73006 + 0.31208)² / 0.0025 = 434.4 → 435 without the correction,
// n' = n/4·(1 + √(1 + 4/(n·0.05)))² = 473.6 → 474 with it.
// The second case, 0.65 against 0.85, gives 72.4 → 73.
func TestControlSizeTextbook(t *testing.T) {
	test := DefaultTest()
	for _, c := range []struct {
		p0, p1 float64
		cc     bool
		want   int
	}{{.05, .10, false, 435}, {.05, .10, true, 474}, {.65, .85, false, 73}, {.10, .05, false, 435}, {.2, .2, false, 0}} {
		test.Continuity = c.cc
		if got := test.ControlSize(c.p0, c.p1, 0); got != c.want {
			t.Errorf("ControlSize(%v, %v, cc %v) = %d, want %d", c.p0, c.p1, c.cc, got, c.want)
		}
	}
}

// TestControlSizeUnequal: more treated customers need a smaller control;
// 20 treated at 0.10 cannot reach the power against 0.05 however large the
// control (0.84162·√(0.09/20) = 0.0565 > 0.05).
func TestControlSizeUnequal(t *testing.T) {
	test := DefaultTest()
	eq := test.ControlSize(.05, .10, 0)
	big := test.ControlSize(.05, .10, 100000)
	if !(big > 0 && big < eq) {
		t.Errorf("control for 100000 treated %d, equal groups %d", big, eq)
	}
	if got := test.ControlSize(.05, .10, eq); math.Abs(float64(got-eq)) > 1 {
		t.Errorf("control for %d treated = %d, want about %d", eq, got, eq)
	}
	if got := test.ControlSize(.05, .10, 20); got != -1 {
		t.Errorf("control for 20 treated = %d, want -1", got)
	}
}

// TestDetectableUplift inverts the sample size: 435 per group detects
// 0.05 on a 0.05 baseline; 4 times the customers halve it, roughly.
func TestDetectableUplift(t *testing.T) {
	test := DefaultTest()
	if d := test.DetectableUplift(.05, 435, 435); math.Abs(d-.05) > 5e-4 {
		t.Errorf("detectable uplift %v, want 0.05", d)
	}
	if d := test.DetectableUplift(.05, 1740, 1740); !(d > .02 && d < .03) {
		t.Errorf("detectable uplift with 4× customers %v", d)
	}
	if d := test.DetectableUplift(.05, 0, 10); d != .95 {
		t.Errorf("no treated: %v", d)
	}
}
