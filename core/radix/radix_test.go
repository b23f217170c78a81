package radix

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSort compares Sort with slices.Sort on values that differ in every
// digit, in some, or in none, signed and unsigned, short and long.
func TestSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for _, n := range []int{0, 1, 5, small - 1, small, 50000} {
		u := make([]uint64, n)
		s := make([]int64, n)
		for i := range u {
			u[i] = rng.Uint64() >> (i % 64)
			s[i] = int64(rng.Uint64()) >> (i % 64)
		}
		check(t, u)
		check(t, s)
		// Cents: one or two passes of digits, negative refunds among them.
		for i := range s {
			s[i] = rng.Int64N(10_000_000) - 1_000
		}
		check(t, s)
		// Values alike in the low byte of every digit.
		for i := range u {
			u[i] = rng.Uint64() & 0xff00ff00ff00ff00
		}
		check(t, u)
		for i := range u {
			u[i] = 42
		}
		check(t, u) // no pass at all
	}
}

func check[T ~int64 | ~uint64](t *testing.T, v []T) {
	t.Helper()
	got, want := slices.Clone(v), slices.Clone(v)
	Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("Sort of %d values differs from slices.Sort", len(v))
	}
}

// BenchmarkSort sorts 200,000 amounts in cents, a column of a run, with
// Sort and with the comparison sort it replaces.
func BenchmarkSort(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	v := make([]int64, 200_000)
	for i := range v {
		v[i] = rng.Int64N(5_000_000)
	}
	w := make([]int64, len(v))
	for _, bc := range []struct {
		name string
		sort func([]int64)
	}{{"radix", Sort[int64]}, {"slices", slices.Sort[[]int64]}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				copy(w, v)
				bc.sort(w)
			}
		})
	}
}
