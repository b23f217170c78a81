package exports

import (
	"math/rand/v2"
	"strings"
)

// rng draws every random number of one file from a PCG stream, so that a
// file's bytes depend only on its seed.
type rng struct {
	*rand.Rand
}

// newRNG returns the stream for seed.
func newRNG(seed uint64) rng {
	return rng{rand.New(rand.NewPCG(seed, 0x5e9d_e4e0_7a11_2025))}
}

// between returns an int in [lo, hi].
func (r rng) between(lo, hi int) int {
	return lo + r.IntN(hi-lo+1)
}

// between64 returns an int64 in [lo, hi].
func (r rng) between64(lo, hi int64) int64 {
	return lo + r.Int64N(hi-lo+1)
}

// chance is true with probability p.
func (r rng) chance(p float64) bool {
	return r.Float64() < p
}

// pick returns one element of s.
func pick[T any](r rng, s []T) T {
	return s[r.IntN(len(s))]
}

// weighted returns index i with probability w[i] / sum(w).
func (r rng) weighted(w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := r.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

// digits returns n random decimal digits, the first one not zero.
func (r rng) digits(n int) string {
	var b strings.Builder
	b.WriteByte(byte('1' + r.IntN(9)))
	for i := 1; i < n; i++ {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// hex returns n random lower-case hexadecimal digits.
func (r rng) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[r.IntN(16)]
	}
	return string(b)
}

// unique draws ids with next until one is not in seen, and records it.
func unique(seen map[string]bool, next func() string) string {
	for {
		id := next()
		if !seen[id] {
			seen[id] = true
			return id
		}
	}
}
