package ingest

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"segsim/core/jsoncheck"
)

// source yields records as fields positioned by column.
type source interface {
	headers() ([]string, error)
	// sample calls fn for up to n records after the header.
	sample(n int, fn func(fields [][]byte))
	// each feeds every record to b.
	each(b *builder) error
	// sizeHint estimates the number of records.
	sizeHint() int
}

// progressEvery is how many bytes pass between progress calls.
const progressEvery = 1 << 20

// delimitedSource reads CSV, TSV, semicolon- and pipe-separated text.
type delimitedSource struct {
	data  []byte
	total int // bytes of the whole input, when data is a prefix of it (Stream)
	delim byte
	body  int // offset of the first record after the header
	line  int // line number of the first record after the header
	hdr   []string
	// sepLine is set when the file starts with Excel's "sep=;" line,
	// which names the delimiter and stands before the header.
	sepLine bool
	// preamble counts the lines above the header that were passed over.
	preamble int
}

func newDelimitedSource(data []byte) *delimitedSource {
	d, sep := delimiterOf(data)
	return &delimitedSource{data: data, delim: d, sepLine: sep}
}

// delimiterOf returns the delimiter of delimited text: the one Excel's
// "sep=X" first line names, or the one that splits the header line into
// the most fields.
func delimiterOf(data []byte) (delim byte, sepLine bool) {
	first := bytes.TrimRight(firstLine(data), "\r")
	if len(first) == 5 && bytes.EqualFold(first[:4], []byte("sep=")) {
		return first[4], true
	}
	return sniffDelimiter(first), false
}

func (s *delimitedSource) formatName() string {
	switch s.delim {
	case '\t':
		return "tsv"
	case ';':
		return "semicolon"
	case '|':
		return "pipe"
	}
	return "csv"
}

func (s *delimitedSource) headers() ([]string, error) {
	r := newRecordReader(s.data, s.delim)
	if s.sepLine {
		r.next()
	}
	fields, _, err, ok := r.next()
	if !ok {
		return nil, fmt.Errorf("parse: %w: no header line", ErrEmpty)
	}
	if err != nil {
		return nil, fmt.Errorf("parse: header: %w", err)
	}
	hdr := trimFields(fields)
	pos, line := r.pos, r.line
	if !looksLikeHeader(hdr) {
		// A title or a few notes may stand above the header (some
		// back-ends write the report's name and period first): take the
		// first of the next lines that names the columns segsim needs.
		for i := 0; i < maxPreamble; i++ {
			f, _, err, ok := r.next()
			if !ok || err != nil {
				break
			}
			if h := trimFields(f); looksLikeHeader(h) {
				s.preamble = i + 1
				hdr, pos, line = h, r.pos, r.line
				break
			}
		}
	}
	s.hdr = hdr
	s.body = pos
	s.line = line
	return s.hdr, nil
}

// maxPreamble is how many lines above the header are looked through.
const maxPreamble = 10

// looksLikeHeader tells whether a header names a customer, a date and an
// amount (or a quantity and a unit price) as DetectRoles sees them.
func looksLikeHeader(h []string) bool {
	m, err := DetectRoles(h, nil)
	return err == nil && m.Columns[RoleCustomer] >= 0 && m.Columns[RoleDate] >= 0 &&
		(m.Columns[RoleAmount] >= 0 || (m.Columns[RoleQuantity] >= 0 && m.Columns[RoleUnitPrice] >= 0))
}

func trimFields(fields [][]byte) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = strings.TrimSpace(string(f))
	}
	return out
}

func (s *delimitedSource) reader() *recordReader {
	r := newRecordReader(s.data, s.delim)
	r.pos, r.line = s.body, s.line
	return r
}

func (s *delimitedSource) sample(n int, fn func([][]byte)) {
	r := s.reader()
	for i := 0; i < n; i++ {
		fields, _, err, ok := r.next()
		if !ok {
			return
		}
		if err == nil {
			fn(fields)
		}
	}
}

func (s *delimitedSource) each(b *builder) error {
	s.feed(b, s.reader(), true)
	return nil
}

// feed gives the records of r to b, reporting progress. Unless final, r's
// data is a prefix of the input, and a record that reaches its end may be
// cut short: feed then stops before it, at the end of a record.
func (s *delimitedSource) feed(b *builder, r *recordReader, final bool) {
	s.feedUntil(b, r, final, false)
}

// feedUntil is feed; with cut, r's data is a prefix that should end at the
// end of a record, and a record that ends with its newline at the end of
// the prefix is read (one that fails to end there is left).
func (s *delimitedSource) feedUntil(b *builder, r *recordReader, final, cut bool) {
	total := max(len(s.data), s.total)
	nextReport := r.pos + progressEvery
	for {
		pos, at := r.pos, r.line
		fields, line, err, ok := r.next()
		if !ok {
			// Only blank lines were left, or a lone "\r" whose "\n" has not
			// arrived: unless they end the input (or, with cut, end with a
			// newline), they are read again with what follows.
			if !final && !(cut && r.pos > 0 && r.data[r.pos-1] == '\n') {
				r.pos, r.line = pos, at
			}
			break
		}
		if !final && r.pos >= len(r.data) && !(cut && err == nil && r.data[r.pos-1] == '\n') {
			r.pos, r.line = pos, at
			return
		}
		if b.keepRejects {
			b.raw = r.data[pos:r.pos]
		}
		if err != nil {
			b.skip(line, RoleNone, nil, "bad_record", err.Error())
			continue
		}
		b.add(line, fields)
		if b.progress != nil && r.pos >= nextReport {
			b.progress(r.pos, total)
			nextReport = r.pos + progressEvery
		}
	}
	if b.progress != nil && final {
		b.progress(total, total)
	}
}

func (s *delimitedSource) sizeHint() int {
	sample := s.data[s.body:min(len(s.data), s.body+64<<10)]
	lines := bytes.Count(sample, []byte{'\n'})
	if lines == 0 {
		return 16
	}
	return int(float64(max(len(s.data), s.total)-s.body)/float64(len(sample))*float64(lines)*1.05) + 16
}

// jsonSource reads a JSON array of objects or NDJSON (one object a line).
// Columns are the keys in order of first appearance in the first records;
// keys first seen later are ignored and reported.
type jsonSource struct {
	text    string // the input, copied once: gjson reads strings
	ndjson  bool
	hdr     []string
	index   map[string]int
	fields  [][]byte
	touched []int  // the fields the last record filled
	dup     string // a field the last record named twice
	scratch []byte
	unknown map[string]bool
}

func newJSONArraySource(data []byte, valid bool) (*jsonSource, error) {
	if !valid {
		if err := jsoncheck.Check(data); err != nil {
			return nil, fmt.Errorf("parse: %w: the input starts with '[' but is not a JSON array segsim reads: %v", ErrBadJSON, err)
		}
	}
	return &jsonSource{text: string(data)}, nil
}

func newNDJSONSource(data []byte) *jsonSource {
	return &jsonSource{text: string(data), ndjson: true}
}

// records calls fn for each record with its line (NDJSON) or 1-based index
// (array). It stops when fn returns false.
func (s *jsonSource) records(fn func(n int, rec gjson.Result, raw string) bool) {
	if !s.ndjson {
		n := 0
		gjson.Parse(s.text).ForEach(func(_, v gjson.Result) bool {
			n++
			return fn(n, v, "")
		})
		return
	}
	line := 0
	data := s.text
	for len(data) > 0 {
		line++
		i := strings.IndexByte(data, '\n')
		var l string
		if i < 0 {
			l, data = data, ""
		} else {
			l, data = data[:i], data[i+1:]
		}
		l = strings.TrimSpace(l)
		if len(l) == 0 {
			continue
		}
		if !fn(line, gjson.Parse(l), l) {
			return
		}
	}
}

func (s *jsonSource) headers() ([]string, error) {
	s.index = map[string]int{}
	s.unknown = map[string]bool{}
	s.records(func(n int, rec gjson.Result, _ string) bool {
		if rec.IsObject() {
			rec.ForEach(func(k, _ gjson.Result) bool {
				if _, ok := s.index[k.Str]; !ok {
					s.index[k.Str] = len(s.hdr)
					s.hdr = append(s.hdr, k.Str)
				}
				return true
			})
		}
		return n < 50
	})
	if len(s.hdr) == 0 {
		return nil, fmt.Errorf("parse: %w: no JSON objects with fields found", ErrEmpty)
	}
	return s.hdr, nil
}

// fill lays the object's values out by column. Strings are unescaped;
// numbers, booleans and null keep their JSON text (null becomes empty).
// It returns whether rec is an object and how many fields it filled; only
// the fields the last record filled are cleared, so a record costs its
// own size, however many columns the header has. A field named twice in
// one record is s.dup (the record is then not used: JSON leaves open which
// of the two a reader takes).
func (s *jsonSource) fill(rec gjson.Result) (bool, int) {
	s.dup = ""
	if !rec.IsObject() {
		return false, 0
	}
	if len(s.fields) != len(s.hdr) {
		s.fields = make([][]byte, len(s.hdr))
	}
	for _, i := range s.touched {
		s.fields[i] = nil
	}
	s.touched = s.touched[:0]
	if s.scratch == nil {
		s.scratch = make([]byte, 0, 256) // a null field is empty, not absent
	}
	s.scratch = s.scratch[:0]
	pos, filled := 0, 0
	rec.ForEach(func(k, v gjson.Result) bool {
		// Records usually list their keys in the header's order.
		i := pos
		if i >= len(s.hdr) || s.hdr[i] != k.Str {
			var ok bool
			if i, ok = s.index[k.Str]; !ok {
				s.unknown[k.Str] = true
				return true
			}
		}
		pos = i + 1
		if s.fields[i] != nil && s.dup == "" {
			s.dup = k.Str
		}
		from := len(s.scratch)
		switch v.Type {
		case gjson.String:
			s.scratch = append(s.scratch, v.Str...)
		case gjson.Null:
		default:
			s.scratch = append(s.scratch, v.Raw...)
		}
		s.fields[i] = s.scratch[from:len(s.scratch):len(s.scratch)]
		s.touched = append(s.touched, i)
		if len(trimSpace(s.fields[i])) > 0 {
			filled++
		}
		return true
	})
	return true, filled
}

func (s *jsonSource) sample(n int, fn func([][]byte)) {
	s.records(func(k int, rec gjson.Result, _ string) bool {
		if ok, _ := s.fill(rec); ok {
			fn(s.fields)
		}
		return k < n
	})
}

func (s *jsonSource) each(b *builder) error {
	total := len(s.text)
	nextReport := progressEvery
	consumed := 0
	s.records(func(n int, rec gjson.Result, raw string) bool {
		if s.ndjson {
			consumed += len(raw) + 1
			if b.keepRejects {
				b.raw = []byte(raw)
			}
			if !jsoncheck.ValidString(raw) {
				b.skip(n, RoleNone, nil, "bad_json", "line is not valid JSON")
				return true
			}
		} else if b.keepRejects {
			b.raw = []byte(rec.Raw)
		}
		ok, filled := s.fill(rec)
		if !ok {
			b.skip(n, RoleNone, nil, "not_object", "record is not a JSON object")
			return true
		}
		if s.dup != "" {
			b.skip(n, RoleNone, nil, "duplicate_field", fmt.Sprintf("field %q appears twice in the record", s.dup))
			return true
		}
		b.filled = filled
		b.add(n, s.fields)
		if b.progress != nil && consumed >= nextReport {
			b.progress(consumed, total)
			nextReport = consumed + progressEvery
		}
		return true
	})
	if b.progress != nil {
		b.progress(total, total)
	}
	var late []string
	if len(s.unknown) > 0 {
		late = slices.Sorted(maps.Keys(s.unknown))
	}
	for i, k := range late {
		if i == maxLateFields {
			b.rep.Warnings = append(b.rep.Warnings, fmt.Sprintf("%d more fields appear only after the first 50 records and were ignored", len(late)-i))
			break
		}
		b.rep.Warnings = append(b.rep.Warnings, fmt.Sprintf("field %q appears only after the first 50 records and was ignored", k))
	}
	return nil
}

// maxLateFields is how many late fields are named one by one.
const maxLateFields = 20

func (s *jsonSource) sizeHint() int {
	return len(s.text)/80 + 16
}
