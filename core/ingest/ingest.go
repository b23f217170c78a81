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
	"unicode/utf8"

	"segsim/core/calendar"
)

// Row flags.
const (
	FlagReturnStatus uint8 = 1 << iota // the status says refunded, cancelled, closed…, or the refund column covers the amount
	FlagCInvoice                       // the order id is C followed by digits (UCI-style cancellation)
	FlagUnpaid                         // the status says the order was never paid
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
	Flags    []uint8  // FlagReturnStatus, FlagCInvoice, FlagUnpaid
	// Sub holds what each amount has beyond whole cents, in ten-thousandths
	// of a cent (0..9999), when quantity × unit price gave fractions of a
	// cent; nil otherwise. A customer's revenue is rounded once, from the
	// exact sum.
	Sub []int32

	Customers *Dict // customer ids
	Channels  *Dict // channel names

	// Carry holds the columns Options.Carry asked to carry into the
	// customer export (a phone, a name, a store).
	Carry []Carry

	// DigitOrderIDs counts rows whose order id is all digits; the C-invoice
	// cancellation rule only applies to files whose ids are numeric.
	DigitOrderIDs int
}

// Carry is an input column carried through to the customer export.
type Carry struct {
	Header string  // the column's header
	Values *Dict   // its distinct non-empty values
	Row    []int32 // the value of each row, an index into Values; -1 when empty
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
	// NoPreview leaves Report.Preview empty, for a caller that shows none.
	NoPreview bool
	// Encoding is the text encoding to read (see Encodings); "" detects it.
	Encoding string
	// KeepRejects keeps every skipped row in Report.Rejects with its raw
	// text, not only the first MaxSkipDetails in Report.Skips.
	KeepRejects bool
	// Customer, when set, is the customer of every row: no customer column
	// is needed, and one that exists is not read.
	Customer string
	// OrderSeed, when not zero, seeds the hash of order ids (else a random
	// seed does): two readers of parts of one file (ReadPart, Stream.Join)
	// must hash an order id alike.
	OrderSeed uint64
	// Carry names columns (by header or 1-based number) whose values are
	// kept for the customer export: each customer gets the last non-empty
	// value.
	Carry []string
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
	// Code names the reason for translation: empty_row, field_count,
	// no_customer, bad_date, ambiguous_date, no_date, bad_amount,
	// bad_quantity, bad_price, out_of_range, bad_discount, bad_refund,
	// orphan_line, bad_record, not_object, duplicate_field, bad_json.
	Code string `json:"code,omitempty"`
	// Raw is the row as it stood in the file (UTF-8), kept with
	// Options.KeepRejects.
	Raw string `json:"raw,omitempty"`
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

// Stats tells whether the report is of a per-customer stats file (its
// Format starts with "stats"), not an order file.
func (r *Report) Stats() bool { return r != nil && strings.HasPrefix(r.Format, "stats") }

// Count is a label with a number, kept in a stable order.
type Count struct {
	Label  string `json:"label"`
	Rows   int    `json:"rows"`
	Return bool   `json:"return,omitempty"` // a status whose orders did not stand
	Unpaid bool   `json:"unpaid,omitempty"` // a status whose orders were never paid
	Code   string `json:"code,omitempty"`   // a skip reason's Skip.Code
}

// Report says what Parse read and what it made of it.
type Report struct {
	Format   string `json:"format"`   // csv, tsv, semicolon, pipe, json, ndjson
	Encoding string `json:"encoding"` // utf-8, utf-16le, utf-16be, gb18030, windows-1252
	BOM      bool   `json:"bom"`
	Platform string `json:"platform,omitempty"` // Platforms[i].Key of a recognised export
	Sheet    string `json:"sheet,omitempty"`    // the workbook sheet read, for .xlsx input
	// StatsMissing names the optional fields a stats file lacks
	// (StatsOptional): the columns they determine are estimated.
	StatsMissing []string          `json:"stats_missing,omitempty"`
	Headers      []string          `json:"headers"`
	Roles        map[string]string `json:"roles"` // role → header
	DateFormat   string            `json:"date_format"`
	RowsRead     int               `json:"rows_read"`
	RowsKept     int               `json:"rows_kept"`
	RowsSkipped  int               `json:"rows_skipped"`
	SkipReasons  []Count           `json:"skip_reasons"`
	Skips        []Skip            `json:"skips"`
	Statuses     []Count           `json:"statuses,omitempty"`
	Customers    int               `json:"customers"`
	Warnings     []string          `json:"warnings,omitempty"`
	// LineItems counts rows that were further line items of an order
	// whose order-level fields stand on its first row only (Shopify).
	LineItems int `json:"line_items,omitempty"`
	// PartialRefunds counts orders whose refund column was netted.
	PartialRefunds int `json:"partial_refunds,omitempty"`
	// Preview is the file's first records (up to 5) as text, so that a
	// user can assign columns when the header is not recognised.
	Preview [][]string `json:"preview,omitempty"`
	// Rejects lists every skipped row with its raw text, when
	// Options.KeepRejects is set.
	Rejects []Skip `json:"rejects,omitempty"`
}

// Sentinel errors; test with errors.Is.
var (
	ErrEmpty          = errors.New("no data")
	ErrMissingColumn  = errors.New("required column not found")
	ErrNothingUsable  = errors.New("no usable rows")
	ErrAmbiguousDates = errors.New("ambiguous dates")
	ErrBadJSON        = errors.New("invalid JSON")
	ErrTooLarge       = errors.New("amounts too large")
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
	if t := inTwo(data, opt); t != nil {
		return t.finish()
	}
	return parseOne(data, opt)
}

// parseOne is Parse in one pass.
func parseOne(data []byte, opt Options) (*Orders, *Report, error) {
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
func begin(data []byte, total int, opt Options) (_ source, _ *builder, _ *Report, err error) {
	if err := kindError(Sniff(data)); err != nil {
		return nil, nil, nil, err
	}
	rep := &Report{Roles: map[string]string{}}
	data, rep.Encoding, rep.BOM, err = toUTF8(data, opt.Encoding)
	if err != nil {
		return nil, nil, rep, err
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
	if s, ok := src.(*delimitedSource); ok && s.preamble > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("the header is on line %d; the lines above it (a title or notes) were passed over", s.line-1))
	}
	rep.Headers = headers
	if !opt.NoPreview {
		src.sample(5, func(fields [][]byte) {
			row := make([]string, len(fields))
			for i, f := range fields {
				row[i] = string(f)
			}
			rep.Preview = append(rep.Preview, row)
		})
	}
	m, err := DetectRoles(headers, opt.Map)
	if err != nil {
		return nil, nil, rep, fmt.Errorf("parse: %w", err)
	}
	if m.Platform != nil {
		rep.Platform = m.Platform.Key
	}
	if opt.Customer != "" {
		m.Columns[RoleCustomer] = -1
	}
	for _, r := range Roles() {
		if c := m.Columns[r]; c >= 0 {
			rep.Roles[r.String()] = headers[c]
		}
	}
	if err := checkRequired(m, headers, opt.Customer != ""); err != nil {
		return nil, nil, rep, err
	}
	b := newBuilder(m, headers, opt, rep, src.sizeHint())
	if opt.Customer != "" {
		b.fixedCustomer = []byte(opt.Customer)
	}
	for _, name := range opt.Carry {
		c, err := findColumn(headers, name)
		if err != nil {
			return nil, nil, rep, fmt.Errorf("parse: carry: %w", err)
		}
		b.carry = append(b.carry, c)
		b.o.Carry = append(b.o.Carry, Carry{Header: headers[c], Values: NewDict(64), Row: make([]int32, 0, src.sizeHint())})
	}
	if b.format == FormatAuto {
		b.format, b.pending = sniffFormat(src, m.Columns[RoleDate])
	}
	return src, b, rep, nil
}

// MissingColumnError reports the required roles no column was found for.
type MissingColumnError struct {
	Roles   []Role   // RoleCustomer, RoleDate, RoleAmount
	Headers []string // the file's header
}

// missingHints are examples of headers each required role is found by.
var missingHints = map[Role]string{
	RoleCustomer: "customer (e.g. customer_id, user_id, 会员ID)",
	RoleDate:     "date (e.g. order_date, InvoiceDate, 下单时间)",
	RoleAmount:   "amount (e.g. amount, GMV, 实付金额; or quantity and unit price)",
}

func (e *MissingColumnError) Error() string {
	hints := make([]string, len(e.Roles))
	for i, r := range e.Roles {
		hints[i] = missingHints[r]
	}
	return fmt.Sprintf("%v: %s; the header has %s", ErrMissingColumn, strings.Join(hints, "; "), quoteList(e.Headers))
}

// Unwrap makes errors.Is(err, ErrMissingColumn) true.
func (e *MissingColumnError) Unwrap() error { return ErrMissingColumn }

func checkRequired(m Mapping, headers []string, fixedCustomer bool) error {
	var missing []Role
	if m.Columns[RoleCustomer] < 0 && !fixedCustomer {
		missing = append(missing, RoleCustomer)
	}
	if m.Columns[RoleDate] < 0 {
		missing = append(missing, RoleDate)
	}
	if m.Columns[RoleAmount] < 0 && (m.Columns[RoleQuantity] < 0 || m.Columns[RoleUnitPrice] < 0) {
		missing = append(missing, RoleAmount)
	}
	if len(missing) > 0 {
		return fmt.Errorf("parse: %w", &MissingColumnError{Roles: missing, Headers: headers})
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
	codes    map[string]string // reason → code
	order    []string          // reasons in first-seen order
	statuses *smallDict
	channels *smallDict
	statusN  []int
	statusC  []uint8 // class of each status (statusCounted…)
	seed     maphash.Seed
	idSeed   uint64 // for hashID
	need     int    // fields a record must have
	progress func(done, total int)

	// raw is the record being read as it stands in the input, for
	// Report.Rejects; set by the source when keepRejects.
	raw         []byte
	keepRejects bool

	// filled, when not negative, is how many fields of the record being
	// added have a value (a JSON record names few of many columns): the
	// builder then need not look at every field to see it is empty.
	filled int

	// absCents adds up the amounts' sizes: sums of cents stay exact in
	// int64 only while it stays below maxAbsCents.
	absCents float64

	carry         []int  // the columns of Orders.Carry
	fixedCustomer []byte // Options.Customer

	// Ids that Excel rewrote in scientific notation (2.38712E+17), which
	// lost their last digits.
	sciCustomers, sciOrders int

	// The last order read, for line items that continue it.
	lineItems bool
	last      lastOrder

	lastDate dateKey // the date part of the last YYYY-MM-DD value and its day
	lastDay  int32
	dates    *[1 << dateBits]dateEntry

	// Customer ids waiting to be resolved in one batch (see Dict.IndexAll).
	idKeys  []byte
	idEnds  []uint32
	idWords []KeyWords
}

// lastOrder is what a line item takes from the first row of its order
// (its customer is the row before's).
type lastOrder struct {
	hash    uint64 // the order id's hash
	ok      bool   // the first row was kept
	day     int32
	flags   uint8
	channel int32
}

// idBatch is how many customer ids are resolved together.
const idBatch = 512

// flushIDs resolves the waiting customer ids into the last rows of Cust.
func (b *builder) flushIDs() {
	n := len(b.idEnds)
	if n == 0 {
		return
	}
	if len(b.idWords) < n {
		b.idWords = make([]KeyWords, idBatch) // the size hint was low
	}
	b.o.Customers.IndexAll(b.idKeys, b.idEnds, b.o.Cust[len(b.o.Cust)-n:], b.idWords)
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
	b := &builder{o: o, rep: rep, cols: m, headers: headers, format: opt.DateFormat, idWords: make([]KeyWords, min(idBatch, max(hint, 16))),
		maxSkips: opt.MaxSkipDetails, keepRejects: opt.KeepRejects, reasons: map[string]int{}, channels: newSmallDict(),
		seed: maphash.MakeSeed(), idSeed: rand.Uint64(), need: len(headers), progress: opt.Progress, filled: -1}
	if b.maxSkips == 0 {
		b.maxSkips = 100
	}
	if opt.OrderSeed != 0 {
		b.idSeed = opt.OrderSeed
	}
	if m.Columns[RoleStatus] >= 0 {
		b.statuses = newSmallDict()
	}
	o.Channels = b.channels.d
	// A line item's order fields stand on its order's first row only
	// (Shopify): rows with an order id and no amount continue the order
	// above them.
	b.lineItems = m.Columns[RoleOrder] >= 0 && m.Columns[RoleAmount] >= 0
	return b
}

// skip counts a record that is not used, with the column and value at
// fault (role RoleNone for the whole record), a code (see Skip.Code) and
// the reason in words.
func (b *builder) skip(line int, role Role, value []byte, code, reason string) {
	b.rep.RowsRead++
	b.rep.RowsSkipped++
	if _, ok := b.reasons[reason]; !ok {
		b.order = append(b.order, reason)
		if b.codes == nil {
			b.codes = map[string]string{}
		}
		b.codes[reason] = code
	}
	b.reasons[reason]++
	if len(b.rep.Skips) >= b.maxSkips && !b.keepRejects {
		return
	}
	s := Skip{Line: line, Reason: reason, Code: code}
	if role != RoleNone {
		s = skipIn(line, b.headers[b.cols.Columns[role]], string(value), code, reason)
	}
	if len(b.rep.Skips) < b.maxSkips {
		b.rep.Skips = append(b.rep.Skips, s)
	}
	if b.keepRejects {
		s.Value = string(value)
		s.Raw = string(bytes.TrimRight(b.raw, "\r\n"))
		b.rep.Rejects = append(b.rep.Rejects, s)
	}
}

// skipIn describes skipped row line by its value in column, clipped as a
// load report shows it, and why (code, reason).
func skipIn(line int, column, value, code, reason string) Skip {
	return Skip{Line: line, Column: column, Value: clip(value, 80), Reason: reason, Code: code}
}

// The skip of a row whose amount does not read as a number.
const (
	badAmountCode   = "bad_amount"
	badAmountReason = "amount is not a number"
)

// AmountSkip describes skipped row line whose amount, value in column,
// does not read as a number, as a load report does.
func AmountSkip(line int, column, value string) Skip {
	return skipIn(line, column, value, badAmountCode, badAmountReason)
}

// clip shortens s to at most n bytes of whole characters, marking a cut
// with an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func (b *builder) field(fields [][]byte, r Role) []byte {
	c := b.cols.Columns[r]
	if c < 0 {
		return nil
	}
	return fields[c]
}

// IsScientific tells whether an id looks like a long number Excel wrote in
// scientific notation: a digit, a point, digits, E+ and digits; a load
// warns about such ids. Its first test is small enough to be inlined where
// every row's ids are checked.
func IsScientific(v []byte) bool { return len(v) >= 6 && v[1] == '.' && scientificTail(v) }

// IsCInvoice tells whether an order id is C and digits, the way some
// exports (UCI Online Retail) mark a cancellation; the cleaning rules may
// count such a row as a return.
func IsCInvoice(id []byte) bool {
	return len(id) > 1 && (id[0] == 'C' || id[0] == 'c') && isDigits(id[1:])
}

// scientificTail is IsScientific for an id of six bytes or more whose
// second is a point.
func scientificTail(v []byte) bool {
	if !isDigit(v[0]) {
		return false
	}
	i := 2
	for i < len(v) && isDigit(v[i]) {
		i++
	}
	return i+2 < len(v) && (v[i] == 'E' || v[i] == 'e') && v[i+1] == '+' && isDigits(v[i+2:])
}

// unprotect removes the Excel text guard ="…" that shop back-ends put
// around long numeric ids (="2387123456789").
// CustomerKey returns a customer id cell as the reader keys customers:
// without spaces and tabs around it or a spreadsheet's ="…" guard. A file
// or request that names customers of an order table (a campaign plan)
// must key them the same way.
func CustomerKey(v []byte) []byte { return unprotect(trimSpace(v)) }

func unprotect(v []byte) []byte {
	if len(v) >= 3 && v[0] == '=' && v[1] == '"' && v[len(v)-1] == '"' {
		return v[2 : len(v)-1]
	}
	return v
}

// date parses a date, reusing the last result when the date part (before
// any time of day) repeats, as it does in files sorted by time.
func (b *builder) date(raw []byte) (int32, bool) {
	if b.format != FormatYMD || len(raw) < 10 || raw[4] != '-' || raw[7] != '-' {
		return ParseDate(raw, b.format)
	}
	// The ten bytes as two words: comparing arrays calls a function per
	// row in WebAssembly.
	key := dateKey{binary.LittleEndian.Uint64(raw), binary.LittleEndian.Uint16(raw[8:])}
	if b.lastDate == key && validTime(raw[10:]) {
		return b.lastDay, true
	}
	// Files not sorted by date still repeat few dates: a small table of
	// recent ones, made once the file proves long enough to need it.
	var e *dateEntry
	if b.dates != nil {
		h := (key.k0 ^ uint64(key.k1)) * 0x9e3779b97f4a7c15
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

// dateKey is the ten bytes of a YYYY-MM-DD date; the zero key is no date.
type dateKey struct {
	k0 uint64
	k1 uint16
}

// dateEntry is a date (YYYY-MM-DD) and its day number.
type dateEntry struct {
	key dateKey
	day int32
}

// add turns one record into a row, or skips it.
func (b *builder) add(line int, fields [][]byte) {
	if len(fields) != b.need {
		if len(fields) < b.need && allEmpty(fields) {
			b.skip(line, RoleNone, nil, "empty_row", "empty row")
			return
		}
		b.skip(line, RoleNone, nil, "field_count", fmt.Sprintf("has %d fields, the header has %d", len(fields), b.need))
		return
	}
	var orderID []byte
	var h uint64
	if b.o.Order != nil {
		orderID = unprotect(trimSpace(b.field(fields, RoleOrder)))
		if IsScientific(orderID) {
			b.sciOrders++
		}
		if len(orderID) == 0 {
			// A row without an order id is an order of its own.
			h = maphash.Comparable(b.seed, line) | 1<<63
		} else {
			h = hashID(b.idSeed, orderID) &^ (1 << 63)
		}
	}
	if b.lineItems && len(orderID) > 0 && h == b.last.hash && len(trimSpace(b.field(fields, RoleAmount))) == 0 {
		b.addLineItem(line, fields)
		return
	}
	b.last = lastOrder{hash: h}
	cust := unprotect(trimSpace(b.field(fields, RoleCustomer)))
	if b.fixedCustomer != nil {
		cust = b.fixedCustomer
	}
	if IsScientific(cust) {
		b.sciCustomers++
	}
	if len(cust) == 0 {
		if b.filled == 0 || (b.filled < 0 && allEmpty(fields)) {
			b.skip(line, RoleNone, nil, "empty_row", "empty row")
			return
		}
		b.skip(line, RoleCustomer, cust, "no_customer", "customer id is empty")
		return
	}
	day, ok := b.rowDay(line, fields)
	if !ok {
		return
	}
	cents, sub, ok := b.amount(line, fields)
	if !ok {
		return
	}
	var flags uint8
	if c := b.cols.Columns[RoleRefund]; c >= 0 {
		r := trimSpace(fields[c])
		if len(r) > 0 {
			ref, ok := ParseCents(r)
			if !ok {
				b.skip(line, RoleRefund, r, "bad_refund", "refund is not a number")
				return
			}
			ref = max(ref, -ref)
			switch {
			case ref == 0 || cents <= 0:
			case ref >= cents:
				flags |= FlagReturnStatus // refunded in full
			default:
				cents -= ref
				b.rep.PartialRefunds++
			}
		}
	}
	var disc int64
	if b.o.Discount != nil {
		d := trimSpace(b.field(fields, RoleDiscount))
		if len(d) > 0 {
			var ok bool
			if disc, ok = ParseCents(d); !ok {
				b.skip(line, RoleDiscount, d, "bad_discount", "discount is not a number")
				return
			}
			disc = max(disc, -disc)
		}
	}
	if b.cols.Columns[RoleStatus] >= 0 {
		st := trimSpace(b.field(fields, RoleStatus))
		i := b.statuses.index(st)
		if int(i) == len(b.statusN) {
			b.statusN = append(b.statusN, 0)
			b.statusC = append(b.statusC, classifyStatus(st))
		}
		b.statusN[i]++
		switch b.statusC[i] {
		case statusUnpaid:
			flags |= FlagUnpaid
		case statusReturned:
			flags |= FlagReturnStatus
		}
	}
	if len(orderID) > 0 {
		if isDigits(orderID) {
			b.o.DigitOrderIDs++
		} else if IsCInvoice(orderID) {
			flags |= FlagCInvoice
		}
	}
	channel := int32(-1)
	if b.o.Channel != nil {
		channel = b.channels.index(trimSpace(b.field(fields, RoleChannel)))
	}
	b.last = lastOrder{ok: true, day: day, flags: flags, hash: h, channel: channel}
	b.appendRow(line, fields, cust, day, cents, sub, disc, flags, h, channel)
}

// addLineItem keeps a further line item of the last order: its order
// fields (day, status, amount) stand on the order's first row, so it adds
// no value of its own.
func (b *builder) addLineItem(line int, fields [][]byte) {
	if !b.last.ok {
		b.skip(line, RoleNone, nil, "orphan_line", "line item of an order whose first row was skipped")
		return
	}
	b.rep.LineItems++
	// The customer of the row before, which was this order's.
	var cust []byte
	if n := len(b.idEnds); n > 0 {
		start := uint32(0)
		if n > 1 {
			start = b.idEnds[n-2]
		}
		cust = b.idKeys[start:b.idEnds[n-1]]
	} else {
		cust = b.o.Customers.Key(b.o.Cust[len(b.o.Cust)-1])
	}
	b.appendRow(line, fields, cust, b.last.day, 0, 0, 0, b.last.flags, b.last.hash, b.last.channel)
}

// appendRow appends a kept row to the table.
func (b *builder) appendRow(line int, fields [][]byte, cust []byte, day int32, cents int64, sub int32, disc int64, flags uint8, h uint64, channel int32) {
	for k, c := range b.carry {
		v := int32(-1)
		if f := trimSpace(fields[c]); len(f) > 0 {
			v = b.o.Carry[k].Values.Index(f)
		}
		b.o.Carry[k].Row = append(b.o.Carry[k].Row, v)
	}
	if b.o.Order != nil {
		b.o.Order = append(b.o.Order, h)
	}
	if b.o.Discount != nil {
		b.o.Discount = append(b.o.Discount, disc)
	}
	if b.o.Channel != nil {
		b.o.Channel = append(b.o.Channel, channel)
	}
	if sub != 0 && b.o.Sub == nil {
		b.o.Sub = make([]int32, len(b.o.Cust), cap(b.o.Cust))
	}
	if b.o.Sub != nil {
		b.o.Sub = append(b.o.Sub, sub)
	}
	b.idKeys = append(b.idKeys, cust...)
	b.idEnds = append(b.idEnds, uint32(len(b.idKeys)))
	b.o.Cust = append(b.o.Cust, 0)
	if len(b.idEnds) == idBatch {
		b.flushIDs()
	}
	b.o.Day = append(b.o.Day, day)
	b.o.Cents = append(b.o.Cents, cents)
	b.absCents += math.Abs(float64(cents))
	b.o.Flags = append(b.o.Flags, flags)
	if b.pending {
		b.lines = append(b.lines, int32(line))
	}
	b.rep.RowsRead++
	b.rep.RowsKept++
}

// dateSpellings lists, for a reason, the date spellings ParseDate reads.
const dateSpellings = "understood: 2024-01-02, 2024/1/2, 20240102, 2024年1月2日, 02.01.2024, A/B/YYYY or A/B/YY, Excel serial numbers, each with an optional time"

// rowDay returns the row's day: its payment day when the file has a
// payment time and the row a value there, else its order date.
func (b *builder) rowDay(line int, fields [][]byte) (int32, bool) {
	role := RoleDate
	raw := trimSpace(b.field(fields, RoleDate))
	if c := b.cols.Columns[RolePaid]; c >= 0 {
		if p := trimSpace(fields[c]); len(p) > 0 {
			role, raw = RolePaid, p
		}
	}
	if len(raw) == 0 {
		b.skip(line, role, raw, "no_date", "date is empty")
		return 0, false
	}
	if b.pending {
		if a, c, y, sep, ok := parseSlash(raw); ok && sep != '.' {
			b.sniff.add(raw)
			return int32(y*10000 + a*100 + c), true
		}
		if day, ok := ParseDate(raw, FormatYMD); ok {
			return day, true
		}
		b.skip(line, role, raw, "bad_date", "date is not readable; "+dateSpellings)
		return 0, false
	}
	day, ok := b.date(raw)
	if ok {
		return day, true
	}
	if a, c, _, sep, ok := parseSlash(raw); ok && sep != '.' && a <= 12 && c <= 12 && (b.format != FormatMDY && b.format != FormatDMY) {
		b.skip(line, role, raw, "ambiguous_date", "date reads as month/day and as day/month; choose mdy or dmy")
		return 0, false
	}
	b.skip(line, role, raw, "bad_date", "date is not readable as "+b.format.String()+"; "+dateSpellings)
	return 0, false
}

// amount returns the row's amount in cents, and what quantity × unit
// price gave beyond whole cents (in ten-thousandths of a cent).
func (b *builder) amount(line int, fields [][]byte) (cents int64, sub int32, ok bool) {
	if b.cols.Columns[RoleAmount] >= 0 {
		c := b.field(fields, RoleAmount)
		// ParseCents, one call fewer per row.
		if cents, ok = plainCents(c); ok {
			return cents, 0, true
		}
		if cents, ok = decimalCents(c); !ok {
			b.skip(line, RoleAmount, c, badAmountCode, badAmountReason)
		}
		return cents, 0, ok
	}
	q := b.field(fields, RoleQuantity)
	qty, ok := parseQuantity(q)
	if !ok {
		b.skip(line, RoleQuantity, q, "bad_quantity", "quantity is not a number")
		return 0, 0, false
	}
	p := b.field(fields, RoleUnitPrice)
	price, ok := parseMicros(p)
	if !ok {
		b.skip(line, RoleUnitPrice, p, "bad_price", "unit price is not a number")
		return 0, 0, false
	}
	v := math.Round(qty * float64(price)) // millionths of the unit
	if math.Abs(v) >= 1<<62 {
		b.skip(line, RoleQuantity, q, "out_of_range", "quantity × unit price is out of range")
		return 0, 0, false
	}
	micros := int64(v)
	cents = micros / 10000
	rem := micros % 10000
	if rem < 0 {
		cents--
		rem += 10000
	}
	return cents, int32(rem), true
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
		rep.SkipReasons = append(rep.SkipReasons, Count{Label: r, Rows: b.reasons[r], Code: b.codes[r]})
	}
	sort.SliceStable(rep.SkipReasons, func(i, j int) bool { return rep.SkipReasons[i].Rows > rep.SkipReasons[j].Rows })
	for i := range b.statusN {
		rep.Statuses = append(rep.Statuses, Count{Label: string(b.statuses.d.Key(int32(i))), Rows: b.statusN[i],
			Return: b.statusC[i] == statusReturned, Unpaid: b.statusC[i] == statusUnpaid})
	}
	rep.Customers = b.o.Customers.Len()
	for _, sci := range []struct {
		n    int
		role Role
	}{{b.sciCustomers, RoleCustomer}, {b.sciOrders, RoleOrder}} {
		const why = "Excel saved them as numbers and dropped their last digits, so different ids may have merged; export the file again, or format the column as text before saving"
		switch c := b.cols.Columns[sci.role]; {
		case sci.n == 0:
		case c < 0: // the customer id given for every row (Options.Customer)
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the customer id %q is in scientific notation (such as 2.38712E+17): %s", b.fixedCustomer, why))
		default:
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%d ids in column %q are in scientific notation (such as 2.38712E+17): %s", sci.n, b.headers[c], why))
		}
	}
	if b.absCents > maxAbsCents {
		return fmt.Errorf("parse: %w: the amounts add up to %.3g (currency units); segsim sums up to %.0g exactly", ErrTooLarge, b.absCents/100, maxAbsCents/100)
	}
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
	b.raw = nil
	for i, packed := range o.Day {
		day := packed
		if packed >= packedMin {
			y, a, c := int(packed/10000), int(packed/100%100), int(packed%100)
			m, d := a, c
			if b.format == FormatDMY {
				m, d = c, a
			}
			if !calendar.Valid(y, m, d) {
				b.rep.RowsRead-- // skip counts it again
				b.rep.RowsKept--
				raw := fmt.Sprintf("%d/%d/%d", a, c, y)
				b.skip(int(b.lines[i]), RoleDate, []byte(raw), "bad_date", "date is not readable as "+b.format.String()+" (the column mixes month-first and day-first)")
				continue
			}
			day = calendar.FromCivil(y, m, d)
		}
		keep = append(keep, day)
		o.Cust[w], o.Cents[w], o.Flags[w] = o.Cust[i], o.Cents[i], o.Flags[i]
		if o.Sub != nil {
			o.Sub[w] = o.Sub[i]
		}
		for k := range o.Carry {
			o.Carry[k].Row[w] = o.Carry[k].Row[i]
		}
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
	if o.Sub != nil {
		o.Sub = o.Sub[:w]
	}
	for k := range o.Carry {
		o.Carry[k].Row = o.Carry[k].Row[:w]
	}
	b.lines = nil
}

// maxAbsCents bounds the sum of all amounts (in cents), far enough below
// the int64 limit that every sum of them is exact.
const maxAbsCents = 4e18

// packedMin is the smallest packed A/B/YYYY value (year 1900); day
// numbers of the years segsim reads are far below it.
const packedMin = calendar.MinYear * 10000
