// Package wire writes and reads the messages two instances of the core
// exchange on one machine (a page's second processor core reads part of a
// file, see ingest.ReadPart): numbers as 8 bytes, texts
// and lists after their length, and columns of numbers as their memory,
// in the machine's byte order and aligned, so that the reader can use
// them where they stand. A message never goes to a file or another
// machine.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unsafe"
)

// Number is an element type of a column.
type Number interface {
	~int32 | ~uint32 | ~int64 | ~uint64 | ~float32 | ~float64 | ~uint8
}

// Writer appends values to a message.
type Writer struct{ B []byte }

// U64 writes a number.
func (w *Writer) U64(v uint64) { w.B = binary.LittleEndian.AppendUint64(w.B, v) }

// Int writes a count or a size.
func (w *Writer) Int(v int) { w.U64(uint64(v)) }

// F64 writes a float.
func (w *Writer) F64(v float64) { w.U64(math.Float64bits(v)) }

// Bool writes a flag.
func (w *Writer) Bool(v bool) {
	b := byte(0)
	if v {
		b = 1
	}
	w.B = append(w.B, b)
}

// Bytes writes bytes after their length.
func (w *Writer) Bytes(b []byte) { w.Int(len(b)); w.B = append(w.B, b...) }

// Str writes a text after its length.
func (w *Writer) Str(s string) { w.Int(len(s)); w.B = append(w.B, s...) }

// Column writes a column after its length in bytes, starting a multiple
// of 8 bytes from the message's start.
func Column[T Number](w *Writer, v []T) {
	b := AsBytes(v)
	w.Int(len(b))
	for len(w.B)%8 != 0 {
		w.B = append(w.B, 0)
	}
	w.B = append(w.B, b...)
}

// AsBytes returns the memory of a column as bytes: one move copies it,
// where an element-by-element copy costs ten times as much in
// WebAssembly.
func AsBytes[T Number](v []T) []byte {
	if len(v) == 0 {
		return nil
	}
	var zero T
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), len(v)*int(unsafe.Sizeof(zero)))
}

// Reader reads a message; the first value out of bounds sets Err, and
// every value after it is zero.
type Reader struct {
	b    []byte
	size int
	Err  error
}

// NewReader returns a reader of message b.
func NewReader(b []byte) *Reader { return &Reader{b: b, size: len(b)} }

// Fail sets Err, unless it is set.
func (r *Reader) Fail(err error) {
	if r.Err == nil {
		r.Err = err
	}
}

// Left returns how many bytes are not read.
func (r *Reader) Left() int { return len(r.b) }

func (r *Reader) take(n uint64) []byte {
	if r.Err != nil {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.Fail(errors.New("the message is cut short"))
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

// U64 reads a number.
func (r *Reader) U64() uint64 {
	v := r.take(8)
	if v == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(v)
}

// Int reads a count or a size (below 2³⁵).
func (r *Reader) Int() int {
	v := r.U64()
	if v >= 1<<35 {
		r.Fail(fmt.Errorf("the message holds a count of %d", v))
		return 0
	}
	return int(v)
}

// F64 reads a float.
func (r *Reader) F64() float64 { return math.Float64frombits(r.U64()) }

// Count reads the length of a list whose elements take at least min
// bytes each.
func (r *Reader) Count(min int) int {
	n := r.Int()
	if r.Err == nil && uint64(n)*uint64(min) > uint64(len(r.b)) {
		r.Fail(errors.New("the message is cut short"))
		return 0
	}
	return n
}

// Byte reads a byte.
func (r *Reader) Byte() byte {
	v := r.take(1)
	if v == nil {
		return 0
	}
	return v[0]
}

// Bool reads a flag.
func (r *Reader) Bool() bool { return r.Byte() == 1 }

// Bytes reads bytes written by Writer.Bytes; they alias the message.
func (r *Reader) Bytes() []byte { return r.take(uint64(r.Int())) }

// Str reads a text.
func (r *Reader) Str() string { return string(r.Bytes()) }

// GetColumn reads a column written by Column: where it stands in the
// message when that is aligned for T (the caller copies what it keeps),
// else a copy.
func GetColumn[T Number](r *Reader) []T {
	n := r.Int()
	if pad := (8 - (r.size-len(r.b))%8) % 8; pad > 0 {
		r.take(uint64(pad))
	}
	b := r.take(uint64(n))
	var zero T
	size := int(unsafe.Sizeof(zero))
	if len(b)%size != 0 {
		r.Fail(errors.New("a column of the message is cut short"))
		return nil
	}
	if len(b) == 0 {
		return nil
	}
	if uintptr(unsafe.Pointer(unsafe.SliceData(b)))%uintptr(size) == 0 {
		return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/size)
	}
	v := make([]T, len(b)/size)
	copy(AsBytes(v), b)
	return v
}
