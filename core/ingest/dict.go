package ingest

import (
	"encoding/binary"
	"hash/maphash"
	"math/rand/v2"
	"slices"

	"segsim/core/radix"
)

// Dict is a dictionary of byte strings: each distinct key gets the next
// int32 index, in order of first appearance. Keys live in one arena; the
// open-addressing table holds, per slot, a fingerprint with the key length,
// the index, and keys of up to 16 bytes inline, so looking up a short key
// (the usual customer id) touches one cache line, and adding a key that is
// already present allocates nothing.
type Dict struct {
	arena  []byte
	bounds []uint32 // key i is arena[bounds[i]:bounds[i+1]]
	slots  []slot
	mask   uint64
	seed   maphash.Seed // for keys longer than inlineKey
	seed64 uint64       // for the others
}

type slot struct {
	fp     uint32 // hash bits; the low 5 bits hold min(len, 31)
	idx    int32  // index+1, 0 when empty
	k0, k1 uint64 // the key's first 16 bytes, zero-padded
}

const inlineKey = 16

// NewDict returns a dictionary sized for about n keys.
func NewDict(n int) *Dict {
	size := 16
	for size*3 < n*4 {
		size <<= 1
	}
	b := make([]uint32, 1, n+1)
	return &Dict{slots: make([]slot, size), mask: uint64(size - 1), seed: maphash.MakeSeed(), seed64: rand.Uint64(), bounds: b}
}

// reset empties d for about n keys, keeping its memory, or returns a new
// dictionary when d is nil.
func (d *Dict) reset(n int) *Dict {
	if d == nil {
		return NewDict(n)
	}
	clear(d.slots)
	d.arena, d.bounds = d.arena[:0], d.bounds[:1]
	d.seed, d.seed64 = maphash.MakeSeed(), rand.Uint64()
	return d
}

// Len returns the number of keys.
func (d *Dict) Len() int { return len(d.bounds) - 1 }

// Key returns key i. The slice aliases the arena: do not modify it.
func (d *Dict) Key(i int32) []byte {
	lo, hi := d.bounds[i], d.bounds[i+1]
	return d.arena[lo:hi:hi]
}

// words returns the first 16 bytes of key, zero-padded, as two words.
func words(key []byte) (k0, k1 uint64) {
	if len(key) >= inlineKey {
		return binary.LittleEndian.Uint64(key), binary.LittleEndian.Uint64(key[8:])
	}
	var buf [inlineKey]byte
	copy(buf[:], key)
	return binary.LittleEndian.Uint64(buf[:]), binary.LittleEndian.Uint64(buf[8:])
}

// wordsIn returns words(keys[start:end]), read straight from keys when
// 16 bytes follow start: copying a short key into a padded buffer calls a
// function per key in WebAssembly.
func wordsIn(keys []byte, start, end uint32) (k0, k1 uint64) {
	n := end - start
	if n >= inlineKey || int(start)+inlineKey > len(keys) {
		return words(keys[start:end])
	}
	k0 = binary.LittleEndian.Uint64(keys[start:])
	k1 = binary.LittleEndian.Uint64(keys[start+8:])
	if n < 8 {
		return k0 & (1<<(8*n) - 1), 0
	}
	return k0, k1 & (1<<(8*(n-8)) - 1)
}

// hash hashes key, whose first 16 bytes are k0 and k1 (words). A key of up
// to 16 bytes, the usual customer id, is hashed from those words by two
// rounds of the splitmix64 finalizer: maphash falls back to a much slower
// hash in WebAssembly, where the page resolves a million ids per file.
func (d *Dict) hash(key []byte, k0, k1 uint64) uint64 {
	if len(key) <= inlineKey {
		return mix64(mix64(d.seed64^k0^uint64(len(key))*0x9e3779b97f4a7c15) ^ k1)
	}
	return maphash.Bytes(d.seed, key)
}

func fingerprint(h uint64, n int) uint32 {
	return uint32(h>>32)&^31 | uint32(min(n, 31))
}

// Shrink frees the lookup table and the spare room of the key arena: a
// dictionary that is done growing then holds little more than its keys.
// The next Index, IndexAll or Lookup builds the table again.
func (d *Dict) Shrink() {
	d.slots, d.mask = nil, 0
	d.arena, d.bounds = slices.Clone(d.arena), slices.Clone(d.bounds)
}

// Append adds key at the next index without looking it up, and returns
// the index: the caller knows the key is new, or finds the keys added
// twice afterwards with Repeats. It drops the lookup table, which the next
// Index, IndexAll or Lookup builds again.
func (d *Dict) Append(key []byte) int32 {
	d.slots, d.mask = nil, 0
	d.arena = append(d.arena, key...)
	d.bounds = append(d.bounds, uint32(len(d.arena)))
	return int32(d.Len() - 1)
}

// Repeats returns, in ascending order, the indexes of the keys equal to a
// key at a lower index (keys added twice by Append). It sorts one hash
// per key instead of building the lookup table: that reads memory in
// order, where inserting millions of keys into the table waits on a
// cache miss per key.
func (d *Dict) Repeats() []int32 {
	n := d.Len()
	hashes := make([]uint64, n)
	for i := range hashes {
		key := d.Key(int32(i))
		k0, k1 := words(key)
		hashes[i] = d.hash(key, k0, k1)
	}
	radix.Sort(hashes)
	var twice map[uint64]bool
	for i := 1; i < n; i++ {
		if hashes[i] == hashes[i-1] {
			if twice == nil {
				twice = map[uint64]bool{}
			}
			twice[hashes[i]] = true
		}
	}
	if twice == nil {
		return nil
	}
	// Keys whose hash is shared: compare them.
	var out []int32
	seen := map[string]bool{}
	for i := range int32(n) {
		key := d.Key(i)
		k0, k1 := words(key)
		if !twice[d.hash(key, k0, k1)] {
			continue
		}
		if seen[string(key)] {
			out = append(out, i)
		}
		seen[string(key)] = true
	}
	return out
}

// rebuild makes the lookup table Shrink freed.
func (d *Dict) rebuild() {
	size := 16
	for size*3 < d.Len()*4+4 {
		size <<= 1
	}
	d.slots, d.mask = make([]slot, size), uint64(size-1)
	for idx := range int32(d.Len()) {
		key := d.Key(idx)
		k0, k1 := words(key)
		h := d.hash(key, k0, k1)
		i := h & d.mask
		for d.slots[i].idx != 0 {
			i = (i + 1) & d.mask
		}
		d.slots[i] = slot{fp: fingerprint(h, len(key)), idx: idx + 1, k0: k0, k1: k1}
	}
}

// find returns the slot of key, or of the empty slot where it belongs.
func (d *Dict) find(key []byte) (at uint64, fp uint32, k0, k1 uint64) {
	if d.slots == nil {
		d.rebuild()
	}
	k0, k1 = words(key)
	h := d.hash(key, k0, k1)
	fp = fingerprint(h, len(key))
	for i := h & d.mask; ; i = (i + 1) & d.mask {
		s := &d.slots[i]
		if s.idx == 0 {
			return i, fp, k0, k1
		}
		if s.fp == fp && s.k0 == k0 && s.k1 == k1 && (len(key) <= inlineKey || string(d.Key(s.idx-1)) == string(key)) {
			return i, fp, k0, k1
		}
	}
}

// Index returns the index of key, adding it when absent.
func (d *Dict) Index(key []byte) int32 {
	at, fp, k0, k1 := d.find(key)
	if s := d.slots[at]; s.idx != 0 {
		return s.idx - 1
	}
	return d.add(key, at, fp, k0, k1)
}

// Lookup returns the index of key, or -1 when it is absent.
func (d *Dict) Lookup(key []byte) int32 {
	at, _, _, _ := d.find(key)
	return d.slots[at].idx - 1
}

func (d *Dict) grow() {
	old := d.slots
	d.slots = make([]slot, len(old)*2)
	d.mask = uint64(len(d.slots) - 1)
	for _, s := range old {
		if s.idx == 0 {
			continue
		}
		i := d.hash(d.Key(s.idx-1), s.k0, s.k1) & d.mask
		for d.slots[i].idx != 0 {
			i = (i + 1) & d.mask
		}
		d.slots[i] = s
	}
}

// smallDict maps a handful of short values (channels, statuses) to
// indexes. It scans its few keys in order, which beats hashing below a
// few dozen keys, and falls back to the Dict beyond that.
type smallDict struct {
	d    *Dict
	keys []string
}

func newSmallDict() *smallDict { return &smallDict{d: NewDict(16)} }

func (s *smallDict) index(key []byte) int32 {
	for i, k := range s.keys {
		if k == string(key) {
			return int32(i)
		}
	}
	i := s.d.Index(key)
	if int(i) == len(s.keys) && len(s.keys) < 32 {
		s.keys = append(s.keys, string(key))
	}
	return i
}

// IndexAll resolves many keys at once: key k is keys[ends[k-1]:ends[k]]
// (ends[-1] = 0), and its index goes to out[k]; scratch holds at least
// one KeyWords per key. Hashing every key before probing lets the
// processor overlap the table's cache misses, which a lookup per row
// cannot.
func (d *Dict) IndexAll(keys []byte, ends []uint32, out []int32, scratch []KeyWords) {
	if d.slots == nil {
		d.rebuild()
	}
	scratch = scratch[:len(ends)]
	start := uint32(0)
	for k, end := range ends {
		w := &scratch[k]
		w.k0, w.k1 = wordsIn(keys, start, end)
		w.h = d.hash(keys[start:end], w.k0, w.k1)
		start = end
	}
	start = 0
	for k, end := range ends {
		w := scratch[k]
		key := keys[start:end]
		start = end
		fp := fingerprint(w.h, len(key))
		i := w.h & d.mask
		for {
			s := &d.slots[i]
			if s.idx == 0 {
				out[k] = d.add(key, i, fp, w.k0, w.k1)
				break
			}
			if s.fp == fp && s.k0 == w.k0 && s.k1 == w.k1 && (len(key) <= inlineKey || string(d.Key(s.idx-1)) == string(key)) {
				out[k] = s.idx - 1
				break
			}
			i = (i + 1) & d.mask
		}
	}
}

// KeyWords is the room IndexAll works in for one key: its hash and first
// 16 bytes (words), found once per key.
type KeyWords struct{ h, k0, k1 uint64 }

// add inserts key at slot at and returns its index.
func (d *Dict) add(key []byte, at uint64, fp uint32, k0, k1 uint64) int32 {
	d.arena = append(d.arena, key...)
	d.bounds = append(d.bounds, uint32(len(d.arena)))
	idx := int32(d.Len())
	d.slots[at] = slot{fp: fp, idx: idx, k0: k0, k1: k1}
	if d.Len()*4 > len(d.slots)*3 {
		d.grow()
	}
	return idx - 1
}
