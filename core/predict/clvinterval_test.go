package predict

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

// cdnowGG is the Gamma-Gamma fit to the CDNOW sample's repeat buyers
// (Fader & Hardie 2013).
var cdnowGG = GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}

// purchaseModels names a purchase model at natural parameters, for each of
// the three models, with CDNOW-like parameters.
var purchaseModels = []struct {
	name   string
	at     func(p []float64) PurchaseModel
	params []float64
}{
	{"BG/NBD", func(p []float64) PurchaseModel { return BGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3]} }, []float64{0.243, 4.414, 0.793, 2.426}},
	{"MBG/NBD", func(p []float64) PurchaseModel { return MBGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3]} }, []float64{0.525, 6.183, 0.891, 1.614}},
	{"Pareto/NBD", func(p []float64) PurchaseModel { return ParetoNBD{R: p[0], Alpha: p[1], S: p[2], Beta: p[3]} }, []float64{0.553, 10.58, 0.606, 11.67}},
}

// fivePoint is the fourth-order central difference of the first
// derivative, with a step a hundred times the one of purchaseLogGradient,
// so the check shares neither its formula nor its step.
var fivePoint = &fd.Settings{Formula: fd.Formula{
	Stencil:    []fd.Point{{Loc: -2, Coeff: 1.0 / 12}, {Loc: -1, Coeff: -2.0 / 3}, {Loc: 1, Coeff: 2.0 / 3}, {Loc: 2, Coeff: -1.0 / 12}},
	Derivative: 1,
	Step:       1e-3,
}}

// TestCLVGradient checks the gradient of ln CLV behind CLVIntervals — the
// purchase model's part by central differences of the discounted
// purchases, Gamma-Gamma's analytic — against fourth-order differences of
// ln CLV itself in all seven log parameters, for the three purchase
// models, four customers and three horizons (weekly periods, 10% a year).
func TestCLVGradient(t *testing.T) {
	periods := []int{13, 26, 52}
	rate := math.Pow(1.1, 7/365.25) - 1
	var worst float64 // largest discrepancy, relative to max(1, |∂|)
	for _, pm := range purchaseModels {
		u := CLVUncertainty{PurchasesAt: pm.at, Params: pm.params, Spend: cdnowGG}
		for _, c := range [][4]float64{{0, 0, 38.86, 0}, {2, 30.43, 38.86, 22.35}, {7, 29.43, 38.86, 73.74}, {1, 1.71, 32, 11.77}} {
			x, tx, T, mbar := c[0], c[1], c[2], c[3]
			s, gs := u.purchaseLogGradient(x, tx, T, periods, 1, rate)
			v, gv := cdnowGG.logValueGradient(x, mbar)
			for j, n := range periods {
				lnCLV := func(phi []float64) float64 {
					p := make([]float64, 7)
					for i, l := range phi {
						p[i] = math.Exp(l)
					}
					return math.Log(CLV(pm.at(p[:4]), GammaGamma{P: p[4], Q: p[5], Gamma: p[6]}, x, tx, T, mbar, n, 1, rate))
				}
				phi := make([]float64, 7)
				for i, p := range append(append([]float64(nil), pm.params...), cdnowGG.P, cdnowGG.Q, cdnowGG.Gamma) {
					phi[i] = math.Log(p)
				}
				want := fd.Gradient(nil, lnCLV, phi, fivePoint)
				got := append(append([]float64(nil), gs[j]...), gv[:]...)
				for i := range got {
					worst = math.Max(worst, math.Abs(got[i]-want[i])/math.Max(1, math.Abs(want[i])))
					if math.Abs(got[i]-want[i]) > 1e-7*math.Max(1, math.Abs(want[i])) {
						t.Errorf("%s x=%v t_x=%v %d periods: ∂ln CLV/∂φ%d = %.10f, differences %.10f", pm.name, x, tx, n, i, got[i], want[i])
					}
				}
				if clv := CLV(pm.at(pm.params), cdnowGG, x, tx, T, mbar, n, 1, rate); relErr(v*s[j], clv) > 1e-12 {
					t.Errorf("%s x=%v %d periods: V·S = %.10f, CLV %.10f", pm.name, x, n, v*s[j], clv)
				}
			}
		}
	}
	t.Logf("largest discrepancy %.2g", worst)
}

// TestCLVIntervalsAgainstDeltaInterval checks how CLVIntervals assembles
// the variance: with the CDNOW fits' covariances it must give the interval
// DeltaInterval gives for ln CLV over the seven parameters stacked, with
// the two covariances on the diagonal of a block matrix, exponentiated.
// The spend interval is checked the same way on Gamma-Gamma's three.
func TestCLVIntervalsAgainstDeltaInterval(t *testing.T) {
	_, s := cdnowSummary(t)
	bg, rep, err := FitBGNBD(s, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gg, ggRep, err := FitGammaGamma(s.Frequency, s.Monetary)
	if err != nil || len(ggRep.StdErr) != 3 || ggRep.LogCov == nil {
		t.Fatalf("Gamma-Gamma: %v, standard errors %v", err, ggRep.StdErr)
	}
	t.Logf("Gamma-Gamma p = %.4f ± %.4f, q = %.4f ± %.4f, γ = %.4f ± %.4f", gg.P, ggRep.StdErr[0], gg.Q, ggRep.StdErr[1], gg.Gamma, ggRep.StdErr[2])
	at := purchaseModels[0].at
	est := []float64{bg.R, bg.Alpha, bg.A, bg.B, gg.P, gg.Q, gg.Gamma}
	cov := make([][]float64, 7)
	for i := range cov {
		cov[i] = make([]float64, 7)
	}
	for i := range 4 {
		copy(cov[i][:4], rep.LogCov[i])
	}
	for i := range 3 {
		copy(cov[4+i][4:], ggRep.LogCov[i])
	}
	u := CLVUncertainty{PurchasesAt: at, Params: est[:4], LogCov: rep.LogCov, Spend: gg, SpendLogCov: ggRep.LogCov}
	periods := []int{13, 52}
	rate := math.Pow(1.1, 7/365.25) - 1
	for _, c := range [][4]float64{{0, 0, 38.86, 0}, {2, 30.43, 38.86, 22.35}, {7, 29.43, 38.86, 73.74}} {
		x, tx, T, mbar := c[0], c[1], c[2], c[3]
		ivs, ok := u.CLVIntervals(x, tx, T, mbar, periods, 1, rate, 0.9)
		if !ok {
			t.Fatalf("x=%v: no interval", x)
		}
		for j, n := range periods {
			lnCLV := func(p []float64) float64 {
				return math.Log(CLV(at(p[:4]), GammaGamma{P: p[4], Q: p[5], Gamma: p[6]}, x, tx, T, mbar, n, 1, rate))
			}
			lo, hi, ok := DeltaInterval(lnCLV, est, cov, 0.9)
			iv := ivs[j]
			if !ok || relErr(iv.Lo, math.Exp(lo)) > 1e-7 || relErr(iv.Hi, math.Exp(hi)) > 1e-7 || !(iv.Lo < iv.Value && iv.Value < iv.Hi) {
				t.Errorf("x=%v %d periods: CLV %.4f in [%.6f, %.6f], stacked delta method [%.6f, %.6f]", x, n, iv.Value, iv.Lo, iv.Hi, math.Exp(lo), math.Exp(hi))
			}
		}
		sp, ok := u.SpendInterval(x, mbar, 0.9)
		lnV := func(p []float64) float64 {
			return math.Log(GammaGamma{P: p[0], Q: p[1], Gamma: p[2]}.ConditionalExpectedValue(x, mbar))
		}
		lo, hi, _ := DeltaInterval(lnV, est[4:], ggRep.LogCov, 0.9)
		if !ok || relErr(sp.Lo, math.Exp(lo)) > 1e-7 || relErr(sp.Hi, math.Exp(hi)) > 1e-7 {
			t.Errorf("x=%v: spend %.4f in [%.6f, %.6f], delta method [%.6f, %.6f]", x, sp.Value, sp.Lo, sp.Hi, math.Exp(lo), math.Exp(hi))
		}
	}
	// No periods, no value and no uncertainty; a negative count is invalid.
	if ivs, ok := u.CLVIntervals(2, 30, 39, 20, []int{0}, 1, rate, 0.9); !ok || ivs[0] != (Interval{}) {
		t.Errorf("zero periods: %v, ok %v", ivs, ok)
	}
	if ivs, ok := u.CLVIntervals(2, 30, 39, 20, []int{-1}, 1, rate, 0.9); ok || !math.IsNaN(ivs[0].Value) {
		t.Errorf("negative periods: %v, ok %v", ivs, ok)
	}
	// Without Gamma-Gamma's covariance there is no interval.
	u.SpendLogCov = nil
	if ivs, ok := u.CLVIntervals(2, 30, 39, 20, periods, 1, rate, 0.9); ok || ivs[0].Lo != ivs[0].Value {
		t.Errorf("no spend covariance: %v, ok %v", ivs, ok)
	}
}

// TestCLVIntervalCoverage checks the CLV intervals by simulation: 300
// datasets of 4,000 customers drawn from known BG/NBD and Gamma-Gamma
// parameters (CDNOW's), each fitted with both models; the 90% intervals
// of the 52-week CLV (10% a year, discounted weekly) and of the expected
// spend, for three customer profiles, must cover the value under the true
// parameters in 85–95% of them.
func TestCLVIntervalCoverage(t *testing.T) {
	truthBG, truthGG := paperBGNBD, cdnowGG
	profiles := [][4]float64{{0, 0, 39, 0}, {2, 30, 39, 35}, {6, 38, 39, 50}} // x, t_x, T, m̄
	periods := []int{52}
	rate := math.Pow(1.1, 7/365.25) - 1
	rng := rand.New(rand.NewPCG(2013, 52))
	const sets = 300
	covered := make([][2]int, len(profiles))
	T := make([]float64, 4000)
	at := purchaseModels[0].at
	for set := range sets {
		for i := range T {
			T[i] = 27 + 12*rng.Float64()
		}
		s := simulateBGNBD(rng, truthBG, T)
		s.Monetary = simulateSpend(rng, truthGG, s.Frequency)
		bg, rep, err := FitBGNBD(s, FitOptions{})
		if err != nil || rep.LogCov == nil {
			t.Fatalf("set %d: BG/NBD %v", set, err)
		}
		gg, ggRep, err := FitGammaGamma(s.Frequency, s.Monetary)
		if err != nil || ggRep.LogCov == nil {
			t.Fatalf("set %d: Gamma-Gamma %v", set, err)
		}
		u := CLVUncertainty{PurchasesAt: at, Params: []float64{bg.R, bg.Alpha, bg.A, bg.B}, LogCov: rep.LogCov, Spend: gg, SpendLogCov: ggRep.LogCov}
		for k, p := range profiles {
			x, tx, T, mbar := p[0], p[1], p[2], p[3]
			ivs, ok := u.CLVIntervals(x, tx, T, mbar, periods, 1, rate, 0.9)
			if v := CLV(truthBG, truthGG, x, tx, T, mbar, periods[0], 1, rate); ok && ivs[0].Lo <= v && v <= ivs[0].Hi {
				covered[k][0]++
			}
			sp, ok := u.SpendInterval(x, mbar, 0.9)
			if v := truthGG.ConditionalExpectedValue(x, mbar); ok && sp.Lo <= v && v <= sp.Hi {
				covered[k][1]++
			}
		}
	}
	for k, c := range covered {
		for q, name := range []string{"CLV(52)", "E[Z]"} {
			checkCoverage(t, fmt.Sprintf("%s at %v", name, profiles[k]), c[q], sets)
		}
	}
}
