// Package radix sorts 64-bit integers by their digits: passes that read
// memory in order and compare nothing, where a comparison sort of a
// column of customers' values is one of the larger costs of a run in
// WebAssembly.
package radix

import "slices"

// small is the length below which Sort compares instead.
const small = 1 << 10

// Sort sorts v ascending, 16 bits a pass. A pass over bits every value
// shares (the high bits of amounts in cents, say) is left out, so a
// column spanning less than 2³² takes two passes.
func Sort[T ~int64 | ~uint64](v []T) {
	if len(v) < small {
		slices.Sort(v)
		return
	}
	// flip maps signed values to unsigned ones in the same order.
	var flip uint64
	if T(0)-1 < 0 {
		flip = 1 << 63
	}
	var differ uint64
	first := uint64(v[0])
	for _, x := range v {
		differ |= uint64(x) ^ first
	}
	var count [1 << 16]int
	src, tmp := v, []T(nil)
	for shift := 0; shift < 64; shift += 16 {
		if differ>>shift&0xffff == 0 {
			continue
		}
		if tmp == nil {
			tmp = make([]T, len(v))
		}
		clear(count[:])
		for _, x := range src {
			count[(uint64(x)^flip)>>shift&0xffff]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, x := range src {
			k := (uint64(x) ^ flip) >> shift & 0xffff
			tmp[count[k]] = x
			count[k]++
		}
		src, tmp = tmp, src
	}
	if &src[0] != &v[0] {
		copy(v, src)
	}
}
