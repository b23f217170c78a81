package predict

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestFitGammaGamma_CDNOW compares with the estimates published for the 946
// repeat buyers of the CDNOW sample's 39-week calibration period, with m̄
// the mean repeat-transaction value: p = 6.25, q = 3.74, γ = 15.44 (Fader &
// Hardie 2013, "The Gamma-Gamma Model of Monetary Value"; lifetimes'
// documentation reports the same fit on the same summary, v = 15.45).
func TestFitGammaGamma_CDNOW(t *testing.T) {
	_, s := cdnowSummary(t)
	g, rep, err := FitGammaGamma(s.Frequency, s.Monetary)
	if err != nil {
		t.Fatalf("FitGammaGamma: %v (report %+v)", err, rep)
	}
	t.Logf("fit %+v, report %+v", g, rep)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"p", g.P, 6.25}, {"q", g.Q, 3.74}, {"gamma", g.Gamma, 15.44}} {
		if relErr(c.got, c.want) > 0.01 {
			t.Errorf("%s = %.4f, want %.2f within 1%%", c.name, c.got, c.want)
		}
	}
	if !rep.Converged || rep.Customers != 946 {
		t.Errorf("report %+v: want converged on 946 repeat buyers", rep)
	}
	if ll := g.LogLikelihood(s.Frequency, s.Monetary); relErr(rep.LogLikelihood, ll) > 1e-12 {
		t.Errorf("report log-likelihood %.10f, LogLikelihood %.10f", rep.LogLikelihood, ll)
	}
}

func TestGammaGammaGradient(t *testing.T) {
	_, s := cdnowSummary(t)
	g, _, err := FitGammaGamma(s.Frequency, s.Monetary)
	if err != nil {
		t.Fatal(err)
	}
	// Rebuild the fit's internal data through a second fit's inputs.
	d := newGGDataForTest(s.Frequency, s.Monetary)
	scratch := make([]float64, 3)
	f := func(theta []float64) float64 { return d.negLogLik(scratch, theta) }
	for _, m := range []GammaGamma{g, {P: 1, Q: 2, Gamma: 100}, {P: 20, Q: 0.5, Gamma: 3}} {
		theta := []float64{math.Log(m.P), math.Log(m.Q), math.Log(m.Gamma)}
		got := make([]float64, 3)
		v := d.negLogLik(got, theta)
		want := fd.Gradient(nil, f, theta, &fd.Settings{Formula: fd.Central, Step: 1e-5})
		if !floats.EqualApprox(got, want, 1e-7) {
			t.Errorf("%+v: gradient %v, finite differences %v", m, got, want)
		}
		if ll := m.LogLikelihood(s.Frequency, s.Monetary); relErr(-v*d.n, ll) > 1e-12 {
			t.Errorf("%+v: grouped log-likelihood %.10f, per-customer %.10f", m, -v*d.n, ll)
		}
	}
}

// newGGDataForTest returns the likelihood data FitGammaGamma builds.
func newGGDataForTest(freq, monetary []float64) *ggData {
	d, err := newGGData(freq, monetary)
	if err != nil {
		panic(err)
	}
	return d
}

// TestGammaGammaConditionalByQuadrature checks E[Z | x, m̄] against direct
// integration over the customer's rate ν: given ν, m̄ ~ Gamma(px, νx) and
// E[Z | ν] = p/ν, so E[Z | x, m̄] = E[(p/ν) f(m̄|ν)] / E[f(m̄|ν)] with ν drawn
// from its Gamma(q, γ) prior.
func TestGammaGammaConditionalByQuadrature(t *testing.T) {
	for _, g := range []GammaGamma{{P: 6.25, Q: 3.74, Gamma: 15.44}, {P: 1.5, Q: 2.2, Gamma: 40}} {
		prior := distuv.Gamma{Alpha: g.Q, Beta: g.Gamma}
		nu := make([]float64, 400)
		w := make([]float64, len(nu))
		gradedLegendre(nu, w)
		for i, u := range nu {
			nu[i] = prior.Quantile(u)
		}
		for _, c := range [][2]float64{{1, 11.77}, {2, 22.35}, {7, 73.74}, {20, 30}} {
			x, mbar := c[0], c[1]
			var num, den float64
			for i, v := range nu {
				f := math.Exp(distuv.Gamma{Alpha: g.P * x, Beta: v * x}.LogProb(mbar))
				num += w[i] * g.P / v * f
				den += w[i] * f
			}
			if got, want := g.ConditionalExpectedValue(x, mbar), num/den; relErr(got, want) > 1e-8 {
				t.Errorf("%+v x=%v m̄=%v: ConditionalExpectedValue = %.10f, quadrature %.10f", g, x, mbar, got, want)
			}
		}
		// Without repeat purchases the answer is the prior mean E[p/ν].
		var mean float64
		for i, v := range nu {
			mean += w[i] * g.P / v
		}
		if got := g.ConditionalExpectedValue(0, 123); relErr(got, mean) > 1e-8 {
			t.Errorf("%+v x=0: ConditionalExpectedValue = %.10f, prior mean %.10f", g, got, mean)
		}
	}
	if v := (GammaGamma{P: 1, Q: 0.5, Gamma: 1}).ConditionalExpectedValue(0, 0); !math.IsInf(v, 1) {
		t.Errorf("q < 1, x = 0: got %v, want +Inf", v)
	}
	if v := (GammaGamma{P: 1, Q: 2, Gamma: 1}).ConditionalExpectedValue(-1, 3); !math.IsNaN(v) {
		t.Errorf("negative x: got %v, want NaN", v)
	}
}

func TestFitGammaGammaErrors(t *testing.T) {
	freq := []float64{1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 0}
	mon := []float64{10, 20, 30, 12, 22, 32, 14, 24, 34, 16, 26, 0}
	if _, _, err := FitGammaGamma(freq[:5], mon[:5]); !errors.Is(err, ErrTooFewCustomers) {
		t.Errorf("five buyers: err = %v, want ErrTooFewCustomers", err)
	}
	bad := append([]float64(nil), mon...)
	bad[4] = 0
	var ce *CustomerError
	if _, _, err := FitGammaGamma(freq, bad); !errors.Is(err, ErrInvalidInput) || !errors.As(err, &ce) || ce.Index != 4 {
		t.Errorf("zero spend: err = %v, want CustomerError at 4", err)
	}
	if _, _, err := FitGammaGamma(freq, mon[:3]); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("length mismatch: err = %v, want ErrInvalidInput", err)
	}
	// Spend that rises exactly with x leaves no room for heterogeneity in ν:
	// the likelihood increases as q, γ → ∞.
	if _, _, err := FitGammaGamma(freq, mon); !errors.Is(err, ErrDegenerate) {
		t.Errorf("homogeneous spend: err = %v, want ErrDegenerate", err)
	}
}
