// Package ingest reads order exports (CSV, TSV, semicolon-separated text,
// JSON arrays and NDJSON) into a columnar Orders table. Every row it cannot
// use is counted and described by line, column, raw value and reason, so
// that rows read always equals rows kept plus rows skipped.
package ingest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
)

// Row flags.
const (
	FlagReturnStatus uint8 = 1 << iota // the status column says refunded, cancelled, returned...
	FlagCInvoice                       // the order id is C followed by digits (UCI-style cancellation)
)

// Orders is the columnar table of order rows. Row i is described by
// Cust[i], Day[i], Cents[i] and, when the column exists, Order[i],
// Discount[i], Channel[i] and Flags[i].
type Orders struct {
	Cust     []int32  // customer index into Customers
	Day      []int32  // days since 1970-01-01
	Cents    []int64  // amount in minor units; negative for refunds
	Order    []uint64 // hash of the order id; nil when there is no order id column
	Discount []int64  // discount in minor units; nil when there is no discount column
	Channel  []int32  // channel index into Channels; nil when there is no channel column
	Flags    []uint8  // FlagReturnStatus, FlagCInvoice

	Customers *Dict // customer ids
	Channels  *Dict // channel names

	// DigitOrderIDs counts rows whose order id is all digits; the C-invoice
	// cancellation rule only applies to files whose ids are numeric.
	DigitOrderIDs int
}

// Len returns the number of rows.
func (o *Orders) Len() int { return len(o.Cust) }

// CustomerID returns the id of customer index c.
func (o *Orders) CustomerID(c int32) string { return string(o.Customers.Key(c)) }

// Options controls Parse.
type Options struct {
	// Map overrides detected roles: role → header name or 1-based column number.
	Map map[Role]string
	// DateFormat is the date column's format; FormatAuto detects it.
	DateFormat DateFormat
	// MaxSkipDetails bounds how many skipped rows are described one by one
	// (all are counted). Zero means 100.
	MaxSkipDetails int
	// Progress, when set, is called now and then with bytes consumed.
	Progress func(done, total int)
	// Reuse, when set, lends its columns' memory to the new table. It is
	// cleared and must not be used afterwards. Reloading into the same
	// memory spares a browser tab (whose memory never shrinks) from
	// growing, and skips zeroing fresh pages.
	Reuse *Orders
	// ValidJSON tells that the caller has checked the input with
	// gjson.Valid (as a server does with a whole request body), so that a
	// JSON array is not checked again.
	ValidJSON bool
}

// reuse returns s emptied when it can hold n elements, else a new slice.
func reuse[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:0]
	}
	return make([]T, 0, n)
}

// Skip describes one row that was not used.
type Skip struct {
	Line   int    `json:"line"` // line (or, in a JSON array, record) number, 1-based
	Column string `json:"column,omitempty"`
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

// Error formats the skip as "line 12, column amount "x": reason".
func (s Skip) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "line %d", s.Line)
	if s.Column != "" {
		fmt.Fprintf(&b, ", column %s", s.Column)
	}
	if s.Value != "" || s.Column != "" {
		fmt.Fprintf(&b, " %q", s.Value)
	}
	b.WriteString(": ")
	b.WriteString(s.Reason)
	return b.String()
}

// Count is a label with a number, kept in a stable order.
type Count struct {
	Label  string `json:"label"`
	Rows   int    `json:"rows"`
	Return bool   `json:"return,omitempty"`
}

// Report says what Parse read and what it made of it.
type Report struct {
	Format      string            `json:"format"` // csv, tsv, semicolon, pipe, json, ndjson
	BOM         bool              `json:"bom"`
	Headers     []string          `json:"headers"`
	Roles       map[string]string `json:"roles"` // role → header
	DateFormat  string            `json:"date_format"`
	RowsRead    int               `json:"rows_read"`
	RowsKept    int               `json:"rows_kept"`
	RowsSkipped int               `json:"rows_skipped"`
	SkipReasons []Count           `json:"skip_reasons"`
	Skips       []Skip            `json:"skips"`
	Statuses    []Count           `json:"statuses,omitempty"`
	Customers   int               `json:"customers"`
	Warnings    []string          `json:"warnings,omitempty"`
}

// Sentinel errors; test with errors.Is.
var (
	ErrEmpty          = errors.New("no data")
	ErrMissingColumn  = errors.New("required column not found")
	ErrNothingUsable  = errors.New("no usable rows")
	ErrAmbiguousDates = errors.New("ambiguous dates")
	ErrBadJSON        = errors.New("invalid JSON")
)

// AmbiguousDateError reports a date column whose values all read as both
// month-first and day-first. Parse again with FormatMDY or FormatDMY.
type AmbiguousDateError struct {
	Column   string
	Examples []string
}

func (e *AmbiguousDateError) Error() string {
	return fmt.Sprintf("dates in column %q are ambiguous: every value (e.g. %s) reads as month/day and as day/month; choose mdy or dmy",
		e.Column, strings.Join(e.Examples, ", "))
}

// Unwrap makes errors.Is(err, ErrAmbiguousDates) true.
func (e *AmbiguousDateError) Unwrap() error { return ErrAmbiguousDates }

// Parse reads an order export. It returns an error when the input has no
// header, lacks a required column, has ambiguous dates (in auto mode), or
// has no usable row; the report is returned in every case but the first.
func Parse(data []byte, opt Options) (*Orders, *Report, error) {
	src, b, rep, err := begin(data, len(data), opt)
	if err != nil {
		return nil, rep, err
	}
	if err := src.each(b); err != nil {
		return nil, rep, err
	}
	if err := b.finish(); err != nil {
		return b.o, rep, err
	}
	return b.o, rep, nil
}

// begin reads the header and the first records of data, which is the
// whole input or (for a Stream) a prefix of an input of total bytes, and
// returns the source and a builder ready for the records.
func begin(data []byte, total int, opt Options) (source, *builder, *Report, error) {
	rep := &Report{Roles: map[string]string{}}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		data = data[3:]
		rep.BOM = true
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, nil, nil, fmt.Errorf("parse: %w: the input is empty", ErrEmpty)
	}
	var src source
	switch trimmed[0] {
	case '[':
		s, err := newJSONArraySource(trimmed, opt.ValidJSON)
		if err != nil {
			return nil, nil, rep, err
		}
		src, rep.Format = s, "json"
	case '{':
		src, rep.Format = newNDJSONSource(data), "ndjson"
	default:
		s := newDelimitedSource(data)
		s.total = total
		src, rep.Format = s, s.formatName()
	}
	headers, err := src.headers()
	if err != nil {
		return nil, nil, rep, err
	}
	rep.Headers = headers
	m, err := DetectRoles(headers, opt.Map)
	if err != nil {
		return nil, nil, rep, fmt.Errorf("parse: %w", err)
	}
	for _, r := range Roles() {
		if c := m.Columns[r]; c >= 0 {
			rep.Roles[r.String()] = headers[c]
		}
	}
	if err := checkRequired(m, headers); err != nil {
		return nil, nil, rep, err
	}
	b := newBuilder(m, headers, opt, rep, src.sizeHint())
	if b.format == FormatAuto {
		b.format, b.pending = sniffFormat(src, m.Columns[RoleDate])
	}
	return src, b, rep, nil
}

func checkRequired(m Mapping, headers []string) error {
	var missing []string
	if m.Columns[RoleCustomer] < 0 {
		missing = append(missing, "customer (e.g. customer_id, user_id, 会员ID)")
	}
	if m.Columns[RoleDate] < 0 {
		missing = append(missing, "date (e.g. order_date, InvoiceDate, 下单时间)")
	}
	if m.Columns[RoleAmount] < 0 && (m.Columns[RoleQuantity] < 0 || m.Columns[RoleUnitPrice] < 0) {
		missing = append(missing, "amount (e.g. amount, GMV, 实付金额; or quantity and unit price)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("parse: %w: %s; the header has %s; name columns with --map role=column",
			ErrMissingColumn, strings.Join(missing, "; "), quoteList(headers))
	}
	return nil
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// sniffFormat looks at the first date values to choose a format. pending is
// true when they are A/B/YYYY with no value above 12 yet: the whole column
// is then watched and the choice made at the end.
func sniffFormat(src source, col int) (DateFormat, bool) {
	var s dateSniffer
	src.sample(200, func(fields [][]byte) {
		if col < len(fields) {
			s.add(fields[col])
		}
	})
	f, ambiguous := s.decide()
	if f == FormatAuto {
		f = FormatYMD // nothing readable in the sample: rows will report why
	}
	return f, ambiguous
}

// builder turns records into rows of Orders.
type builder struct {
	o        *Orders
	rep      *Report
	cols     Mapping
	headers  []string
	format   DateFormat
	pending  bool // A/B/YYYY undecided: Day holds y*10000+a*100+b until finish
	sniff    dateSniffer
	lines    []int32 // line of each kept row, only while pending
	maxSkips int
	reasons  map[string]int
	order    []string // reasons in first-seen order
	statuses *smallDict
	channels *smallDict
	statusN  []int
	statusR  []bool
	seed     maphash.Seed
	idSeed   uint64 // for hashID
	need     int    // fields a record must have
	progress func(done, total int)

	lastDate [10]byte // the date part of the last YYYY-MM-DD value and its day
	lastDay  int32
	dates    *[1 << dateBits]dateEntry

	// Customer ids waiting to be resolved in one batch (see Dict.IndexAll).
	idKeys   []byte
	idEnds   []uint32
	idHashes []uint64
}

// idBatch is how many customer ids are resolved together.
const idBatch = 512

// flushIDs resolves the waiting customer ids into the last rows of Cust.
func (b *builder) flushIDs() {
	n := len(b.idEnds)
	if n == 0 {
		return
	}
	if len(b.idHashes) < n {
		b.idHashes = make([]uint64, idBatch) // the size hint was low
	}
	b.o.Customers.IndexAll(b.idKeys, b.idEnds, b.o.Cust[len(b.o.Cust)-n:], b.idHashes[:n])
	b.idKeys, b.idEnds = b.idKeys[:0], b.idEnds[:0]
}

func newBuilder(m Mapping, headers []string, opt Options, rep *Report, hint int) *builder {
	old := opt.Reuse
	if old == nil {
		old = &Orders{}
	}
	o := &Orders{
		Cust:      reuse(old.Cust, hint),
		Day:       reuse(old.Day, hint),
		Cents:     reuse(old.Cents, hint),
		Flags:     reuse(old.Flags, hint),
		Customers: old.Customers.reset(max(hint/8, 8)),
	}
	if m.Columns[RoleOrder] >= 0 {
		o.Order = reuse(old.Order, hint)
	}
	if m.Columns[RoleDiscount] >= 0 {
		o.Discount = reuse(old.Discount, hint)
	}
	if m.Columns[RoleChannel] >= 0 {
		o.Channel = reuse(old.Channel, hint)
	}
	*old = Orders{} // the old table must not be used any more
	b := &builder{o: o, rep: rep, cols: m, headers: headers, format: opt.DateFormat, idHashes: make([]uint64, min(idBatch, max(hint, 16))),
		maxSkips: opt.MaxSkipDetails, reasons: map[string]int{}, statuses: newSmallDict(), channels: newSmallDict(),
		seed: maphash.MakeSeed(), idSeed: rand.Uint64(), need: len(headers), progress: opt.Progress}
	if b.maxSkips == 0 {
		b.maxSkips = 100
	}
	o.Channels = b.channels.d
	return b
}

func (b *builder) skip(line int, role Role, value []byte, reason string) {
	b.rep.RowsRead++
	b.rep.RowsSkipped++
	if _, ok := b.reasons[reason]; !ok {
		b.order = append(b.order, reason)
	}
	b.reasons[reason]++
	if len(b.rep.Skips) < b.maxSkips {
		s := Skip{Line: line, Reason: reason}
		if role != RoleNone {
			s.Column = b.headers[b.cols.Columns[role]]
			v := string(value)
			if len(v) > 80 {
				v = v[:80] + "…"
			}
			s.Value = v
		}
		b.rep.Skips = append(b.rep.Skips, s)
	}
}

func (b *builder) field(fields [][]byte, r Role) []byte {
	c := b.cols.Columns[r]
	if c < 0 {
		return nil
	}
	return fields[c]
}

// date parses a date, reusing the last result when the date part (before
// any time of day) repeats, as it does in files sorted by time.
func (b *builder) date(raw []byte) (int32, bool) {
	if b.format != FormatYMD || len(raw) < 10 || raw[4] != '-' || raw[7] != '-' {
		return ParseDate(raw, b.format)
	}
	key := [10]byte(raw[:10])
	if b.lastDate == key && validTime(raw[10:]) {
		return b.lastDay, true
	}
	// Files not sorted by date still repeat few dates: a small table of
	// recent ones, made once the file proves long enough to need it.
	var e *dateEntry
	if b.dates != nil {
		k0 := binary.LittleEndian.Uint64(key[:8])
		h := (k0 ^ uint64(key[8])<<8 ^ uint64(key[9])) * 0x9e3779b97f4a7c15
		e = &b.dates[h>>(64-dateBits)]
		if e.key == key && validTime(raw[10:]) {
			b.lastDate, b.lastDay = key, e.day
			return e.day, true
		}
	} else if b.rep.RowsRead > 1024 {
		b.dates = new([1 << dateBits]dateEntry)
	}
	day, ok := ParseDate(raw, b.format)
	if ok {
		b.lastDate, b.lastDay = key, day
		if e != nil {
			e.key, e.day = key, day
		}
	}
	return day, ok
}

// dateBits sizes the table of recent dates.
const dateBits = 11

// dateEntry is a date (YYYY-MM-DD) and its day number.
type dateEntry struct {
	key [10]byte
	day int32
}

// add turns one record into a row, or skips it.
func (b *builder) add(line int, fields [][]byte) {
	if len(fields) != b.need {
		if len(fields) < b.need && allEmpty(fields) {
			b.skip(line, RoleNone, nil, "empty row")
			return
		}
		b.skip(line, RoleNone, nil, fmt.Sprintf("has %d fields, the header has %d", len(fields), b.need))
		return
	}
	cust := trimSpace(b.field(fields, RoleCustomer))
	if len(cust) == 0 {
		if allEmpty(fields) {
			b.skip(line, RoleNone, nil, "empty row")
			return
		}
		b.skip(line, RoleCustomer, cust, "customer id is empty")
		return
	}
	raw := b.field(fields, RoleDate)
	var day int32
	if b.pending {
		d := trimSpace(raw)
		a, c, y, ok := parseSlash(d)
		if !ok {
			b.skip(line, RoleDate, raw, "date is not readable as month/day/year or day/month/year")
			return
		}
		b.sniff.add(d)
		day = int32(y*10000 + a*100 + c)
	} else {
		var ok bool
		day, ok = b.date(raw)
		if !ok {
			b.skip(line, RoleDate, raw, "date is not readable as "+b.format.String())
			return
		}
	}
	var cents int64
	if c := b.field(fields, RoleAmount); b.cols.Columns[RoleAmount] >= 0 {
		var ok bool
		if cents, ok = ParseCents(c); !ok {
			b.skip(line, RoleAmount, c, "amount is not a number")
			return
		}
	} else {
		q := b.field(fields, RoleQuantity)
		qty, ok := parseQuantity(q)
		if !ok {
			b.skip(line, RoleQuantity, q, "quantity is not a number")
			return
		}
		p := b.field(fields, RoleUnitPrice)
		price, ok := ParseCents(p)
		if !ok {
			b.skip(line, RoleUnitPrice, p, "unit price is not a number")
			return
		}
		v := qty * float64(price)
		if math.Abs(v) > 9e17 {
			b.skip(line, RoleQuantity, q, "quantity × unit price is out of range")
			return
		}
		cents = int64(math.Round(v))
	}
	var disc int64
	if b.o.Discount != nil {
		d := trimSpace(b.field(fields, RoleDiscount))
		if len(d) > 0 {
			var ok bool
			if disc, ok = ParseCents(d); !ok {
				b.skip(line, RoleDiscount, d, "discount is not a number")
				return
			}
			if disc < 0 {
				disc = -disc
			}
		}
	}
	var flags uint8
	if b.cols.Columns[RoleStatus] >= 0 {
		st := trimSpace(b.field(fields, RoleStatus))
		i := b.statuses.index(st)
		if int(i) == len(b.statusN) {
			b.statusN = append(b.statusN, 0)
			b.statusR = append(b.statusR, isReturnStatus(st))
		}
		b.statusN[i]++
		if b.statusR[i] {
			flags |= FlagReturnStatus
		}
	}
	if b.o.Order != nil {
		id := trimSpace(b.field(fields, RoleOrder))
		var h uint64
		if len(id) == 0 {
			// A row without an order id is an order of its own.
			h = maphash.Comparable(b.seed, line) | 1<<63
		} else {
			h = hashID(b.idSeed, id) &^ (1 << 63)
			if isDigits(id) {
				b.o.DigitOrderIDs++
			} else if (id[0] == 'C' || id[0] == 'c') && len(id) > 1 && isDigits(id[1:]) {
				flags |= FlagCInvoice
			}
		}
		b.o.Order = append(b.o.Order, h)
	}
	if b.o.Discount != nil {
		b.o.Discount = append(b.o.Discount, disc)
	}
	if b.o.Channel != nil {
		b.o.Channel = append(b.o.Channel, b.channels.index(trimSpace(b.field(fields, RoleChannel))))
	}
	b.idKeys = append(b.idKeys, cust...)
	b.idEnds = append(b.idEnds, uint32(len(b.idKeys)))
	b.o.Cust = append(b.o.Cust, 0)
	if len(b.idEnds) == idBatch {
		b.flushIDs()
	}
	b.o.Day = append(b.o.Day, day)
	b.o.Cents = append(b.o.Cents, cents)
	b.o.Flags = append(b.o.Flags, flags)
	if b.pending {
		b.lines = append(b.lines, int32(line))
	}
	b.rep.RowsRead++
	b.rep.RowsKept++
}

// hashID hashes an order id: 8-byte words folded into a seeded state
// through the splitmix64 finalizer. Order ids are hashed only to tell a
// customer's orders apart, never to index a table, and maphash falls back
// to a much slower hash in WebAssembly, where this one runs most.
func hashID(seed uint64, id []byte) uint64 {
	h := seed ^ uint64(len(id))*0x9e3779b97f4a7c15
	for len(id) >= 8 {
		h = mix64(h ^ binary.LittleEndian.Uint64(id))
		id = id[8:]
	}
	var tail uint64
	for i, c := range id {
		tail |= uint64(c) << (8 * i)
	}
	return mix64(h ^ tail)
}

// mix64 is the splitmix64 finalizer.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

func allEmpty(fields [][]byte) bool {
	for _, f := range fields {
		if len(trimSpace(f)) > 0 {
			return false
		}
	}
	return true
}

// finish resolves pending dates and completes the report.
func (b *builder) finish() error {
	b.flushIDs()
	if b.pending {
		f, ambiguous := b.sniff.decide()
		if ambiguous {
			col := b.headers[b.cols.Columns[RoleDate]]
			return fmt.Errorf("parse: %w", &AmbiguousDateError{Column: col, Examples: b.sniff.examples})
		}
		b.format = f
		b.resolvePending()
	}
	rep := b.rep
	rep.DateFormat = b.format.String()
	for _, r := range b.order {
		rep.SkipReasons = append(rep.SkipReasons, Count{Label: r, Rows: b.reasons[r]})
	}
	sort.SliceStable(rep.SkipReasons, func(i, j int) bool { return rep.SkipReasons[i].Rows > rep.SkipReasons[j].Rows })
	for i := range b.statusN {
		rep.Statuses = append(rep.Statuses, Count{Label: string(b.statuses.d.Key(int32(i))), Rows: b.statusN[i], Return: b.statusR[i]})
	}
	rep.Customers = b.o.Customers.Len()
	if rep.RowsKept == 0 {
		if rep.RowsRead == 0 {
			return fmt.Errorf("parse: %w: the file has a header but no rows", ErrNothingUsable)
		}
		return fmt.Errorf("parse: %w: all %d rows were skipped; most often because %s (first: %v)",
			ErrNothingUsable, rep.RowsRead, rep.SkipReasons[0].Label, rep.Skips[0])
	}
	return nil
}

// resolvePending converts packed A/B/YYYY values to day numbers now that
// the order of month and day is known, dropping (and reporting) rows that
// do not fit it.
func (b *builder) resolvePending() {
	o := b.o
	keep := o.Day[:0]
	w := 0
	for i, packed := range o.Day {
		y, a, c := int(packed/10000), int(packed/100%100), int(packed%100)
		m, d := a, c
		if b.format == FormatDMY {
			m, d = c, a
		}
		if !validCivil(y, m, d) {
			b.rep.RowsRead-- // skip counts it again
			b.rep.RowsKept--
			raw := fmt.Sprintf("%d/%d/%d", a, c, y)
			b.skip(int(b.lines[i]), RoleDate, []byte(raw), "date is not readable as "+b.format.String()+" (the column mixes month-first and day-first)")
			continue
		}
		keep = append(keep, DaysFromCivil(y, m, d))
		o.Cust[w], o.Cents[w], o.Flags[w] = o.Cust[i], o.Cents[i], o.Flags[i]
		if o.Order != nil {
			o.Order[w] = o.Order[i]
		}
		if o.Discount != nil {
			o.Discount[w] = o.Discount[i]
		}
		if o.Channel != nil {
			o.Channel[w] = o.Channel[i]
		}
		w++
	}
	o.Day = keep
	o.Cust, o.Cents, o.Flags = o.Cust[:w], o.Cents[:w], o.Flags[:w]
	if o.Order != nil {
		o.Order = o.Order[:w]
	}
	if o.Discount != nil {
		o.Discount = o.Discount[:w]
	}
	if o.Channel != nil {
		o.Channel = o.Channel[:w]
	}
	b.lines = nil
}
