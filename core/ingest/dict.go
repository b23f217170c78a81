package ingest

import "hash/maphash"

// Dict is a dictionary of byte strings: each distinct key gets the next
// int32 index, in order of first appearance. Keys live in one arena, and the
// open-addressing table holds only int32 indexes, so adding a key that is
// already present allocates nothing.
type Dict struct {
	arena []byte
	ends  []uint32 // ends[i] is the arena offset just past key i
	slots []int32  // index+1 per slot, 0 when empty
	mask  uint64
	seed  maphash.Seed
}

// NewDict returns a dictionary sized for about n keys.
func NewDict(n int) *Dict {
	size := 16
	for size < n*2 {
		size <<= 1
	}
	return &Dict{slots: make([]int32, size), mask: uint64(size - 1), seed: maphash.MakeSeed(), ends: make([]uint32, 0, n)}
}

// Len returns the number of keys.
func (d *Dict) Len() int { return len(d.ends) }

// Key returns key i. The slice aliases the arena: do not modify it.
func (d *Dict) Key(i int32) []byte {
	start := uint32(0)
	if i > 0 {
		start = d.ends[i-1]
	}
	return d.arena[start:d.ends[i]:d.ends[i]]
}

// Index returns the index of key, adding it when absent.
func (d *Dict) Index(key []byte) int32 {
	h := maphash.Bytes(d.seed, key)
	for i := h & d.mask; ; i = (i + 1) & d.mask {
		s := d.slots[i]
		if s == 0 {
			return d.insert(key, i)
		}
		if string(d.Key(s-1)) == string(key) {
			return s - 1
		}
	}
}

// Lookup returns the index of key, or -1 when it is absent.
func (d *Dict) Lookup(key []byte) int32 {
	h := maphash.Bytes(d.seed, key)
	for i := h & d.mask; ; i = (i + 1) & d.mask {
		s := d.slots[i]
		if s == 0 {
			return -1
		}
		if string(d.Key(s-1)) == string(key) {
			return s - 1
		}
	}
}

func (d *Dict) insert(key []byte, slot uint64) int32 {
	d.arena = append(d.arena, key...)
	d.ends = append(d.ends, uint32(len(d.arena)))
	idx := int32(len(d.ends))
	d.slots[slot] = idx
	if len(d.ends)*2 > len(d.slots) {
		d.grow()
	}
	return idx - 1
}

func (d *Dict) grow() {
	d.slots = make([]int32, len(d.slots)*2)
	d.mask = uint64(len(d.slots) - 1)
	for k := range d.ends {
		h := maphash.Bytes(d.seed, d.Key(int32(k)))
		i := h & d.mask
		for d.slots[i] != 0 {
			i = (i + 1) & d.mask
		}
		d.slots[i] = int32(k) + 1
	}
}
