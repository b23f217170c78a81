package ingest

import (
	"bytes"
	"errors"
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
func (r *recordReader) next() (fields [][]byte, line int, err error, ok bool) {
	for r.pos < len(r.data) {
		line = r.line
		end := bytes.IndexByte(r.data[r.pos:], '\n')
		var rec []byte
		next := 0
		if end < 0 {
			rec = r.data[r.pos:]
			next = len(r.data)
		} else {
			rec = r.data[r.pos : r.pos+end]
			next = r.pos + end + 1
		}
		if len(rec) > 0 && rec[len(rec)-1] == '\r' {
			rec = rec[:len(rec)-1]
		}
		if len(rec) == 0 {
			r.pos = next
			r.line++
			continue
		}
		if bytes.IndexByte(rec, '"') < 0 {
			r.pos = next
			r.line++
			r.fields = splitFields(r.fields[:0], rec, r.delim)
			return r.fields, line, nil, true
		}
		err = r.readQuoted()
		return r.fields, line, err, true
	}
	return nil, 0, nil, false
}

func splitFields(dst [][]byte, rec []byte, delim byte) [][]byte {
	for {
		i := bytes.IndexByte(rec, delim)
		if i < 0 {
			return append(dst, rec)
		}
		dst = append(dst, rec[:i])
		rec = rec[i+1:]
	}
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
