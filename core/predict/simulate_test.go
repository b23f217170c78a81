package predict

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// constantT returns n copies of T.
func constantT(n int, T float64) []float64 {
	ts := make([]float64, n)
	for i := range ts {
		ts[i] = T
	}
	return ts
}

// simulateBGNBD draws one customer per entry of T from the BG/NBD story of
// Fader, Hardie & Lee (2005, section 2): λ ~ Gamma(r, α), p ~ Beta(a, b);
// while active the customer buys with exponential gaps of rate λ and after
// each repeat purchase drops out with probability p. Times are continuous.
func simulateBGNBD(rng *rand.Rand, m BGNBD, T []float64) Summary {
	gam := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: rng}
	bet := distuv.Beta{Alpha: m.A, Beta: m.B, Src: rng}
	n := len(T)
	s := Summary{Frequency: make([]float64, n), Recency: make([]float64, n), T: append([]float64(nil), T...)}
	for i, end := range T {
		lambda, p := gam.Rand(), bet.Rand()
		var t float64
		for {
			t += rng.ExpFloat64() / lambda
			if t > end {
				break
			}
			s.Frequency[i]++
			s.Recency[i] = t
			if rng.Float64() < p {
				break
			}
		}
	}
	return s
}

// simulateSpend draws the mean repeat-transaction value m̄ of each customer
// with freq[i] > 0 repeat purchases from the Gamma-Gamma story (Fader &
// Hardie 2013): ν ~ Gamma(q, γ) per customer, transactions i.i.d.
// Gamma(p, ν), so the mean of x of them is Gamma(px, νx). Customers
// without repeat purchases get m̄ = 0.
func simulateSpend(rng *rand.Rand, g GammaGamma, freq []float64) []float64 {
	prior := distuv.Gamma{Alpha: g.Q, Beta: g.Gamma, Src: rng}
	m := make([]float64, len(freq))
	for i, x := range freq {
		if x > 0 {
			m[i] = distuv.Gamma{Alpha: g.P * x, Beta: prior.Rand() * x, Src: rng}.Rand()
		}
	}
	return m
}
