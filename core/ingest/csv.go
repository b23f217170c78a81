package ingest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/bits"
)

// errUnterminated is returned for a quoted field that never closes.
var errUnterminated = errors.New("quoted field is not closed before the end of the file")

// recordReader splits delimited text (RFC 4180 style) into records without
// copying: fields alias the input unless a quoted field holds an escaped
// quote, in which case it is unescaped into a scratch buffer that lives
// until the next call. A bare quote inside an unquoted field is kept as
// text.
type recordReader struct {
	data    []byte
	pos     int
	line    int // line number of the next record, 1-based
	delim   byte
	fields  [][]byte
	scratch []byte
}

func newRecordReader(data []byte, delim byte) *recordReader {
	return &recordReader{data: data, line: 1, delim: delim}
}

// next returns the next record and the line it starts on. It returns
// ok == false at the end of the input. Blank lines are passed over.
//
// Records without quotes, the usual case, are split eight bytes at a time:
// a word's delimiters, newlines and quotes are found with bit arithmetic
// (SWAR), and only those bytes are looked at one by one.
func (r *recordReader) next() (fields [][]byte, line int, err error, ok bool) {
	d := r.data
	delim := uint64(r.delim) * lsb
outer:
	for r.pos < len(d) {
		line = r.line
		fields = r.fields[:0]
		start := r.pos
		fstart := start
		for pos := start; pos < len(d); pos += 8 {
			var mask uint64
			if pos+8 <= len(d) {
				x := binary.LittleEndian.Uint64(d[pos:])
				mask = zeroBytes(x^delim) | zeroBytes(x^newlines) | zeroBytes(x^quotes)
			} else {
				for k := pos; k < len(d); k++ {
					if c := d[k]; c == r.delim || c == '\n' || c == '"' {
						mask |= 0x80 << (8 * (k - pos))
					}
				}
			}
			for mask != 0 {
				k := pos + bits.TrailingZeros64(mask)>>3
				mask &= mask - 1
				switch d[k] {
				case '\n':
					f := d[fstart:k]
					if len(f) > 0 && f[len(f)-1] == '\r' {
						f = f[:len(f)-1]
					}
					r.pos = k + 1
					r.line++
					if len(fields) == 0 && len(f) == 0 {
						continue outer // blank line
					}
					r.fields = append(fields, f)
					return r.fields, line, nil, true
				case '"':
					r.pos = start
					err = r.readQuoted()
					return r.fields, line, err, true
				default:
					fields = append(fields, d[fstart:k])
					fstart = k + 1
				}
			}
		}
		// The last record has no newline.
		f := d[fstart:]
		if len(f) > 0 && f[len(f)-1] == '\r' {
			f = f[:len(f)-1]
		}
		r.pos = len(d)
		r.line++
		if len(fields) == 0 && len(f) == 0 {
			break
		}
		r.fields = append(fields, f)
		return r.fields, line, nil, true
	}
	return nil, 0, nil, false
}

const (
	lsb      = 0x0101010101010101
	low7     = 0x7f7f7f7f7f7f7f7f
	newlines = '\n' * lsb
	quotes   = '"' * lsb
)

// zeroBytes returns a word with the high bit set in exactly the bytes of y
// that are zero.
func zeroBytes(y uint64) uint64 {
	t := (y & low7) + low7
	return ^(t | y | low7)
}

// readQuoted reads one record that contains a quote, byte by byte, from
// r.pos. Quoted fields may span lines.
func (r *recordReader) readQuoted() error {
	r.fields = r.fields[:0]
	r.scratch = r.scratch[:0]
	d := r.data
	i := r.pos
	for {
		// Start of a field.
		if i < len(d) && d[i] == '"' {
			i++
			start := i
			escaped := false
			for {
				j := bytes.IndexByte(d[i:], '"')
				if j < 0 {
					r.line += bytes.Count(d[start:], []byte{'\n'})
					r.pos = len(d)
					return errUnterminated
				}
				i += j
				if i+1 < len(d) && d[i+1] == '"' {
					escaped = true
					i += 2
					continue
				}
				break
			}
			raw := d[start:i]
			r.line += bytes.Count(raw, []byte{'\n'})
			if escaped {
				from := len(r.scratch)
				for k := 0; k < len(raw); k++ {
					r.scratch = append(r.scratch, raw[k])
					if raw[k] == '"' {
						k++
					}
				}
				raw = r.scratch[from:]
			}
			i++ // closing quote
			// Text after the closing quote up to the delimiter is kept (lenient).
			for i < len(d) && d[i] != r.delim && d[i] != '\n' {
				if d[i] != '\r' && d[i] != ' ' {
					from := len(r.scratch)
					r.scratch = append(r.scratch, raw...)
					for i < len(d) && d[i] != r.delim && d[i] != '\n' {
						r.scratch = append(r.scratch, d[i])
						i++
					}
					raw = bytes.TrimRight(r.scratch[from:], "\r")
					break
				}
				i++
			}
			r.fields = append(r.fields, raw)
		} else {
			start := i
			for i < len(d) && d[i] != r.delim && d[i] != '\n' {
				i++
			}
			f := d[start:i]
			if i < len(d) && d[i] == '\n' || i == len(d) {
				f = bytes.TrimRight(f, "\r")
			}
			r.fields = append(r.fields, f)
		}
		if i >= len(d) {
			r.pos = i
			r.line++
			return nil
		}
		if d[i] == '\n' {
			r.pos = i + 1
			r.line++
			return nil
		}
		i++ // delimiter
	}
}

// sniffDelimiter picks the delimiter that splits the header line into the
// most fields: comma, tab, semicolon or pipe.
func sniffDelimiter(header []byte) byte {
	best, bestN := byte(','), 0
	for _, c := range []byte{',', '\t', ';', '|'} {
		n := 0
		inQuote := false
		for _, b := range header {
			if b == '"' {
				inQuote = !inQuote
			} else if b == c && !inQuote {
				n++
			}
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	return best
}
