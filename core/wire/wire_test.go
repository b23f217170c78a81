package wire

import (
	"slices"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	var w Writer
	w.Str("héllo")
	w.Bool(true)
	Column(&w, []int64{-1, 2, 1 << 40})
	w.Bytes([]byte{7}) // leaves the next column unaligned before its padding
	Column(&w, []int32{5, -6})
	Column(&w, []float32{0.5})
	w.F64(-2.25)
	w.Int(3)
	r := NewReader(w.B)
	if s, b := r.Str(), r.Bool(); s != "héllo" || !b {
		t.Fatalf("%q %v", s, b)
	}
	if c := GetColumn[int64](r); !slices.Equal(c, []int64{-1, 2, 1 << 40}) {
		t.Fatalf("int64 column %v", c)
	}
	if b := r.Bytes(); len(b) != 1 || b[0] != 7 {
		t.Fatalf("bytes %v", b)
	}
	if c := GetColumn[int32](r); !slices.Equal(c, []int32{5, -6}) {
		t.Fatalf("int32 column %v", c)
	}
	if c := GetColumn[float32](r); !slices.Equal(c, []float32{0.5}) {
		t.Fatalf("float32 column %v", c)
	}
	if f, n := r.F64(), r.Int(); f != -2.25 || n != 3 || r.Err != nil || r.Left() != 0 {
		t.Fatalf("%v %v %v %d", f, n, r.Err, r.Left())
	}
	// A message read from an odd address gets its columns copied.
	odd := append([]byte{0}, w.B...)[1:]
	r = NewReader(odd)
	r.Str()
	r.Bool()
	if c := GetColumn[int64](r); !slices.Equal(c, []int64{-1, 2, 1 << 40}) {
		t.Fatalf("unaligned column %v", c)
	}
	// Every cut is an error, never a panic.
	for n := range len(w.B) {
		r := NewReader(w.B[:n])
		r.Str()
		r.Bool()
		GetColumn[int64](r)
		r.Bytes()
		GetColumn[int32](r)
		GetColumn[float32](r)
		r.F64()
		r.Int()
		if r.Err == nil {
			t.Fatalf("cut to %d bytes: no error", n)
		}
	}
}
