package ingest

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// TestDict checks Index, IndexAll, Lookup and Key against a map, before
// and after Shrink, with keys
// of every length around the 16 bytes kept inline, keys that differ only
// after those 16 bytes, and keys that differ only by trailing zero bytes
// (which the inline words pad with).
func TestDict(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var keys [][]byte
	for i := range 20000 {
		n := rng.IntN(41)
		k := make([]byte, n)
		for j := range k {
			k[j] = "ab\x00"[rng.IntN(3)]
		}
		if i%7 == 0 && n > 16 {
			k[n-1] = byte(i) // same first 16 bytes, different tail
		}
		keys = append(keys, k)
	}
	keys = append(keys, []byte("a"), []byte("a\x00"), []byte("a\x00\x00"), []byte{}, []byte("0123456789abcdef"), []byte("0123456789abcdef\x00"))
	// Round 2 shrinks the dictionary halfway and again before the
	// lookups: the table it builds again must find every key.
	for round := range 3 {
		var d *Dict
		if round == 0 {
			d = NewDict(4) // grows many times
		} else {
			d = NewDict(len(keys)).reset(len(keys))
		}
		want := map[string]int32{}
		index := func(k []byte) int32 { // indexes go by first insertion
			if _, ok := want[string(k)]; !ok {
				want[string(k)] = int32(len(want))
			}
			return want[string(k)]
		}
		var batch []byte
		var ends []uint32
		var inBatch [][]byte
		for i, k := range keys {
			if round == 2 && i == len(keys)/2 {
				d.Shrink()
			}
			if i%2 == 0 {
				index(k)
				if got := d.Index(k); got != want[string(k)] {
					t.Fatalf("round %d: Index(%q) = %d, want %d", round, k, got, want[string(k)])
				}
				continue
			}
			// Odd keys go through IndexAll in batches of 64, which must
			// give the same indexes as one at a time.
			batch = append(batch, k...)
			ends = append(ends, uint32(len(batch)))
			inBatch = append(inBatch, k)
			if len(ends) == 64 || i >= len(keys)-2 {
				out := make([]int32, len(ends))
				d.IndexAll(batch, ends, out, make([]KeyWords, len(ends)))
				for j, k := range inBatch {
					if w := index(k); out[j] != w {
						t.Fatalf("round %d: IndexAll(%q) = %d, want %d", round, k, out[j], w)
					}
				}
				batch, ends, inBatch = batch[:0], ends[:0], inBatch[:0]
			}
		}
		if d.Len() != len(want) {
			t.Fatalf("round %d: %d keys, want %d", round, d.Len(), len(want))
		}
		if round == 2 {
			d.Shrink()
		}
		for k, i := range want {
			if got := d.Lookup([]byte(k)); got != i {
				t.Fatalf("round %d: Lookup(%q) = %d, want %d", round, k, got, i)
			}
			if !bytes.Equal(d.Key(i), []byte(k)) {
				t.Fatalf("round %d: Key(%d) = %q, want %q", round, i, d.Key(i), k)
			}
		}
		if got := d.Lookup([]byte("absent, longer than sixteen bytes")); got != -1 {
			t.Fatalf("round %d: Lookup of an absent key = %d", round, got)
		}
	}
}

// TestRepeats checks Append and Repeats against a map, on enough keys
// for the radix sort, with hash-equal candidates compared by bytes.
func TestRepeats(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	d := NewDict(0)
	seen := map[string]bool{}
	var want []int32
	for i := range 30000 {
		k := []byte(strconv.Itoa(rng.IntN(25000)))
		if i%1000 == 0 {
			k = append(k, "-a key longer than sixteen bytes"...)
		}
		if got := d.Append(k); got != int32(i) {
			t.Fatalf("Append = %d, want %d", got, i)
		}
		if seen[string(k)] {
			want = append(want, int32(i))
		}
		seen[string(k)] = true
	}
	if got := d.Repeats(); !slices.Equal(got, want) {
		t.Fatalf("Repeats: %d indexes, want %d", len(got), len(want))
	}
	// The lookup table Append dropped is built again on use.
	for i := range int32(200) {
		at := d.Lookup(d.Key(i))
		if !bytes.Equal(d.Key(at), d.Key(i)) || (at == i) == slices.Contains(want, i) {
			t.Fatalf("Lookup(Key(%d)) = %d after Append", i, at)
		}
	}
}
