package ingest

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// StatsRow is one customer's purchase summary as a warehouse query writes
// it: id, first and last purchase day, orders, distinct purchase days (0
// when the file has no such column) and net revenue in cents.
type StatsRow struct {
	Line        int    // the row's line in the file
	ID          []byte // good only while the row is read
	First, Last int32
	Orders      int32
	Days        int32
	Cents       int64
	// Extra holds the optional fields (StatsOptional) the file has; the
	// report's Roles name the ones present, and HasExtra is set when
	// there is any.
	Extra    StatsExtra
	HasExtra bool
}

// StatsExtra are the optional stats fields that make every customer
// column exact (see summary.Customers for their meaning). Money is in
// cents; gaps are -1 with one purchase day; FirstChannel is "" when
// unknown.
type StatsExtra struct {
	MaxOrder                                            int64
	MedianGap                                           float32
	LastGap                                             int32
	Discount                                            int64
	DiscountOrders, HeavyOrders, WeekendOrders, Refunds int32
	FirstChannel                                        string
	// Repeat is the value bought on purchase days after the first,
	// refund lines not netted: Gamma-Gamma's repeat spend is Repeat /
	// (purchase days − 1).
	Repeat int64
}

// StatsOptional lists the optional stats fields, in the order `segsim
// sql` writes them.
var StatsOptional = []string{"max_order", "median_gap", "last_gap", "discount", "discount_orders", "heavy_orders",
	"weekend_orders", "refund_lines", "first_channel", "repeat_revenue"}

// statsColumns are the normalised headers of the stats fields, best
// first; the customer is found by the usual aliases.
var statsColumns = map[string][]string{
	"first_date":    {"firstdate", "firstorderdate", "firstpurchase", "firstpurchasedate", "首次购买日期", "首单日期"},
	"last_date":     {"lastdate", "lastorderdate", "lastpurchase", "lastpurchasedate", "最近购买日期", "末次购买日期"},
	"orders":        {"orders", "ordercount", "frequency", "购买次数", "订单数"},
	"purchase_days": {"purchasedays", "购买天数"},
	"revenue":       {"revenue", "monetary", "totalrevenue", "消费金额", "累计消费"},

	"max_order":       {"maxorder", "largestorder", "最大订单金额"},
	"median_gap":      {"mediangap", "mediangapdays", "购买间隔中位数"},
	"last_gap":        {"lastgap", "lastgapdays", "最近购买间隔"},
	"discount":        {"discount", "discounttotal", "优惠金额"},
	"discount_orders": {"discountorders", "优惠订单数"},
	"heavy_orders":    {"heavyorders", "heavydiscountorders", "大额优惠订单数"},
	"weekend_orders":  {"weekendorders", "周末订单数"},
	"refund_lines":    {"refundlines", "退款笔数"},
	"first_channel":   {"firstchannel", "首单渠道"},
	"repeat_revenue":  {"repeatrevenue", "复购金额"},
}

// IsStats tells whether data is a per-customer stats file (CSV, TSV…): its
// header names a customer, first and last purchase dates, orders and
// revenue, as `segsim sql` and the README's query write it.
func IsStats(data []byte) bool {
	// JSON (orders as an array or lines of objects) is not a stats file;
	// the same test is made below on the text decoded from UTF-16.
	if startsJSON(data) {
		return false
	}
	if Sniff(data) != "text" {
		return false
	}
	text, _, _, err := toUTF8(data[:min(len(data), 64<<10)], "")
	if err != nil {
		return false
	}
	// JSON (orders as an array or lines of objects) is not a stats file.
	if startsJSON(text) {
		return false
	}
	s := newDelimitedSource(text)
	h, err := s.headers()
	return err == nil && statsMapping(h) != nil
}

// startsJSON tells whether text, after spaces and byte order marks, opens
// a JSON array or object.
func startsJSON(text []byte) bool {
	t := bytes.TrimLeft(text, " \t\r\n\ufeff")
	return len(t) > 0 && (t[0] == '[' || t[0] == '{')
}

// statsMapping returns each stats field's column (and "customer_id"), or
// nil when a required one is missing.
func statsMapping(headers []string) map[string]int {
	norm := make([]string, len(headers))
	for i, h := range headers {
		norm[i] = normalizeHeader(h)
	}
	m := map[string]int{}
	for field, names := range statsColumns {
		for _, n := range names {
			if i := indexOf(norm, n); i >= 0 {
				m[field] = i
				break
			}
		}
	}
	roles, err := DetectRoles(headers, nil)
	if err != nil || roles.Columns[RoleCustomer] < 0 {
		return nil
	}
	m["customer_id"] = roles.Columns[RoleCustomer]
	for _, f := range []string{"first_date", "last_date", "orders", "revenue"} {
		if _, ok := m[f]; !ok {
			return nil
		}
	}
	return m
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// ReadStats reads a per-customer stats file (see IsStats) in any encoding
// Parse reads, calling keep with each row it can read. keep returns "" to
// keep the row, or why its numbers do not describe a possible purchase
// history: the row is then skipped and reported under code bad_stats. A
// row that cannot be read is skipped and reported as Parse does; rows
// read always equal rows kept plus rows skipped. Dates may be any
// spelling Parse reads. The row keep sees, and its ID, are only good
// during the call. The columns opt.Carry names come back as carry
// columns, one value per row kept.
func ReadStats(data []byte, opt Options, keep func(*StatsRow) string) ([]Carry, *Report, error) {
	if err := kindError(Sniff(data)); err != nil {
		return nil, nil, err
	}
	rep := &Report{Roles: map[string]string{}, DateFormat: "ymd"}
	text, enc, bom, err := toUTF8(data, opt.Encoding)
	if err != nil {
		return nil, rep, err
	}
	rep.Encoding, rep.BOM = enc, bom
	src := newDelimitedSource(text)
	rep.Format = "stats " + src.formatName()
	headers, err := src.headers()
	if err != nil {
		return nil, rep, err
	}
	rep.Headers = headers
	m := statsMapping(headers)
	if m == nil {
		return nil, rep, fmt.Errorf("parse: %w: a stats file needs customer_id, first_date, last_date, orders and revenue columns; the header has %s",
			ErrMissingColumn, quoteList(headers))
	}
	for f, c := range m {
		rep.Roles[f] = headers[c]
	}
	for _, f := range StatsOptional {
		if _, ok := m[f]; !ok {
			rep.StatsMissing = append(rep.StatsMissing, f)
		}
	}
	b := recordBuilder(rep, headers, opt)
	cols := indexStats(m)
	var carry []Carry
	var carryCols []int
	for _, name := range opt.Carry {
		c, err := findColumn(headers, name)
		if err != nil {
			return nil, rep, fmt.Errorf("parse: carry: %w", err)
		}
		carryCols = append(carryCols, c)
		carry = append(carry, Carry{Header: headers[c], Values: NewDict(64), Row: make([]int32, 0, 1024)})
	}
	var row StatsRow
	b.eachRecord(src, func(fields [][]byte, line int) {
		field, reason := statsRow(fields, cols, &row)
		row.Line = line
		if field != "" {
			b.skipColumn(line, headers[m[field]], fields[m[field]], statsCodes[field], reason)
			return
		}
		if why := keep(&row); why != "" {
			b.skipDetail(line, "bad_stats", ImpossibleStats, why)
			return
		}
		for k, c := range carryCols {
			v := int32(-1)
			if f := trimSpace(fields[c]); len(f) > 0 {
				v = carry[k].Values.Index(f)
			}
			carry[k].Row = append(carry[k].Row, v)
		}
		rep.RowsRead++
		rep.RowsKept++
	})
	rep.Customers = rep.RowsKept
	if rep.RowsKept == 0 {
		return nil, rep, fmt.Errorf("parse: %w: no stats row describes a possible history", ErrNothingUsable)
	}
	return carry, rep, nil
}

// Reject moves a kept row to the skipped ones, for a caller that finds
// it bad after reading (a customer id that also appears on an earlier
// line): it is counted under reason and described by s (line, column,
// value, its own reason and code), within the details opt allows.
func (r *Report) Reject(s Skip, reason string, opt Options) {
	r.RowsKept--
	r.RowsSkipped++
	i := slices.IndexFunc(r.SkipReasons, func(c Count) bool { return c.Label == reason })
	if i < 0 {
		r.SkipReasons = append(r.SkipReasons, Count{Label: reason, Code: s.Code})
		i = len(r.SkipReasons) - 1
	}
	r.SkipReasons[i].Rows++
	limit := 100
	if opt.MaxSkipDetails > 0 {
		limit = opt.MaxSkipDetails
	}
	at, _ := slices.BinarySearchFunc(r.Skips, s.Line, func(k Skip, line int) int { return k.Line - line })
	if at < limit {
		r.Skips = slices.Insert(r.Skips, at, s)
		r.Skips = r.Skips[:min(len(r.Skips), limit)]
	}
	if opt.KeepRejects {
		at, _ := slices.BinarySearchFunc(r.Rejects, s.Line, func(k Skip, line int) int { return k.Line - line })
		r.Rejects = slices.Insert(r.Rejects, at, s)
	}
}

// ImpossibleStats is the skip reason (code bad_stats) counted for the
// stats rows whose numbers do not describe a possible purchase history;
// each skip's own reason says what is wrong.
const ImpossibleStats = "the stats do not describe a possible purchase history"

// statsCodes are the skip codes (Skip.Code) of a stats field that cannot
// be read.
var statsCodes = map[string]string{"customer_id": "no_customer", "first_date": "bad_date", "last_date": "bad_date",
	"orders": "bad_count", "purchase_days": "bad_count", "revenue": "bad_amount",
	"max_order": "bad_amount", "median_gap": "bad_count", "last_gap": "bad_count", "discount": "bad_amount",
	"discount_orders": "bad_count", "heavy_orders": "bad_count", "weekend_orders": "bad_count", "refund_lines": "bad_count",
	"repeat_revenue": "bad_amount"}

// statsCols are the columns of a stats file's fields: the mapping, and
// the basic fields' columns looked up once (days is -1 when absent).
type statsCols struct {
	m                                      map[string]int
	id, first, last, orders, days, revenue int
	extra                                  bool // any optional field
}

// indexStats returns the columns of mapping m.
func indexStats(m map[string]int) statsCols {
	c := statsCols{m: m, id: m["customer_id"], first: m["first_date"], last: m["last_date"], orders: m["orders"], revenue: m["revenue"], days: -1}
	if d, ok := m["purchase_days"]; ok {
		c.days = d
	}
	for _, f := range StatsOptional {
		if _, ok := m[f]; ok {
			c.extra = true
		}
	}
	return c
}

// statsRow reads one record into row, or names the field it cannot read
// and why.
func statsRow(fields [][]byte, c statsCols, row *StatsRow) (field, reason string) {
	*row = StatsRow{HasExtra: c.extra}
	row.ID = unprotect(trimSpace(fields[c.id]))
	if len(row.ID) == 0 {
		return "customer_id", "customer id is empty"
	}
	var ok bool
	if row.First, ok = ParseDate(fields[c.first], FormatYMD); !ok {
		return "first_date", "date is not readable; " + dateSpellings
	}
	if row.Last, ok = ParseDate(fields[c.last], FormatYMD); !ok {
		return "last_date", "date is not readable; " + dateSpellings
	}
	n, ok := wholeNumber(fields[c.orders])
	if !ok || n < 1 {
		return "orders", "orders is not a whole number of at least 1"
	}
	row.Orders = n
	if c.days >= 0 && len(trimSpace(fields[c.days])) > 0 {
		if row.Days, ok = wholeNumber(fields[c.days]); !ok || row.Days < 1 {
			return "purchase_days", "purchase days is not a whole number of at least 1"
		}
	}
	if row.Cents, ok = ParseCents(fields[c.revenue]); !ok {
		return "revenue", "revenue is not a number"
	}
	if !c.extra {
		row.Extra.MedianGap, row.Extra.LastGap = -1, -1
		return "", ""
	}
	return statsExtra(fields, c.m, row)
}

// statsExtra reads the optional fields present in m into row.Extra.
func statsExtra(fields [][]byte, m map[string]int, row *StatsRow) (string, string) {
	e := &row.Extra
	e.MedianGap, e.LastGap = -1, -1
	money := func(f string, dst *int64) bool {
		c, has := m[f]
		if !has || len(trimSpace(fields[c])) == 0 {
			return true
		}
		v, ok := ParseCents(fields[c])
		*dst = v
		return ok
	}
	count := func(f string, dst *int32) bool {
		c, has := m[f]
		if !has || len(trimSpace(fields[c])) == 0 {
			return true
		}
		v, ok := wholeNumber(fields[c])
		*dst = v
		return ok
	}
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"max_order", &e.MaxOrder}, {"discount", &e.Discount}, {"repeat_revenue", &e.Repeat}} {
		if !money(f.name, f.dst) {
			return f.name, f.name + " is not a number"
		}
	}
	for _, f := range []struct {
		name string
		dst  *int32
	}{{"last_gap", &e.LastGap}, {"discount_orders", &e.DiscountOrders}, {"heavy_orders", &e.HeavyOrders},
		{"weekend_orders", &e.WeekendOrders}, {"refund_lines", &e.Refunds}} {
		if !count(f.name, f.dst) {
			return f.name, f.name + " is not a whole number ≥ 0"
		}
	}
	if c, has := m["median_gap"]; has && len(trimSpace(fields[c])) > 0 {
		v, err := strconv.ParseFloat(string(trimSpace(fields[c])), 32)
		if err != nil || !(v >= 0) || math.IsInf(v, 0) {
			return "median_gap", "median_gap is not a number of days ≥ 0"
		}
		e.MedianGap = float32(v)
	}
	if c, has := m["first_channel"]; has {
		e.FirstChannel = string(trimSpace(fields[c]))
	}
	return "", ""
}

// wholeNumber reads a whole number below 2³¹ ("12" or "12.0").
func wholeNumber(b []byte) (int32, bool) {
	s := trimSpace(b)
	s = bytes.TrimSuffix(bytes.TrimSuffix(s, []byte(".0")), []byte(".00"))
	v, n, i := digits(s, 0)
	if n == 0 || n > 9 || i != len(s) {
		return 0, false
	}
	return int32(v), true
}

// recordBuilder returns the builder that reports the skipped rows of a
// per-customer file (stats or plan).
func recordBuilder(rep *Report, headers []string, opt Options) *builder {
	b := &builder{rep: rep, headers: headers, maxSkips: 100, keepRejects: opt.KeepRejects, reasons: map[string]int{}}
	if opt.MaxSkipDetails > 0 {
		b.maxSkips = opt.MaxSkipDetails
	}
	return b
}

// eachRecord calls fn with each record of a per-customer file (stats or
// plan) that has as many fields as the header, skipping and reporting the
// others, then sums up the skip reasons in the report.
func (b *builder) eachRecord(src *delimitedSource, fn func(fields [][]byte, line int)) {
	r := src.reader()
	for {
		pos := r.pos
		fields, line, rerr, ok := r.next()
		if !ok {
			break
		}
		b.raw = r.data[pos:r.pos]
		switch {
		case rerr != nil:
			b.skip(line, RoleNone, nil, "bad_record", rerr.Error())
		case len(fields) == len(b.headers):
			fn(fields, line)
		case allEmpty(fields):
			b.skip(line, RoleNone, nil, "empty_row", "empty row")
		default:
			b.skip(line, RoleNone, nil, "field_count", fmt.Sprintf("has %d fields, the header has %d", len(fields), len(b.headers)))
		}
	}
	for _, reason := range b.order {
		b.rep.SkipReasons = append(b.rep.SkipReasons, Count{Label: reason, Rows: b.reasons[reason], Code: b.codes[reason]})
	}
}

// skipColumn counts a skipped row whose fault is in the column named by
// its header (for readers without column roles).
// skipDetail skips a row, counted under reason (one count for many
// rows) and reported with its own detail.
func (b *builder) skipDetail(line int, code, reason, detail string) {
	b.skip(line, RoleNone, nil, code, reason)
	if n := len(b.rep.Skips); n > 0 && b.rep.Skips[n-1].Line == line {
		b.rep.Skips[n-1].Reason = detail
	}
	if n := len(b.rep.Rejects); n > 0 && b.rep.Rejects[n-1].Line == line {
		b.rep.Rejects[n-1].Reason = detail
	}
}

func (b *builder) skipColumn(line int, header string, value []byte, code, reason string) {
	b.skip(line, RoleNone, nil, code, reason)
	if n := len(b.rep.Skips); n > 0 && b.rep.Skips[n-1].Line == line {
		b.rep.Skips[n-1].Column, b.rep.Skips[n-1].Value = header, clip(string(value), 80)
	}
	if n := len(b.rep.Rejects); n > 0 && b.rep.Rejects[n-1].Line == line {
		b.rep.Rejects[n-1].Column, b.rep.Rejects[n-1].Value = header, string(value)
	}
}
