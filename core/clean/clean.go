// Package clean holds the named, switchable cleaning rules applied between
// ingest and summary: returns, zero-value orders, test accounts and the
// analysis window work on rows; reward hunters and outliers work on
// customers. Every rule reports how many rows and customers it touched.
package clean

import (
	"bytes"
	"fmt"
	"math"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"segsim/core/ingest"
	"segsim/core/knob"
	"segsim/core/summary"
)

// Rules are the cleaning knobs. The zero value is not useful: start from
// Default.
type Rules struct {
	// Returns is "net" (refund lines reduce revenue; refunded or cancelled
	// orders do not count) or "drop" (all return lines are left out).
	Returns string `json:"returns"`
	// ZeroValue is "keep" (the default: a zero-priced promotional purchase
	// still makes a customer) or "drop" (0-value orders such as free gifts
	// and 0-yuan activity orders are left out, and customers with nothing
	// else go with them).
	ZeroValue string `json:"zero_value"`
	// TestAccounts is "drop" or "keep"; TestPatterns are case-insensitive
	// shell patterns (*, ?) matched against the whole customer id.
	TestAccounts string   `json:"test_accounts"`
	TestPatterns []string `json:"test_patterns"`
	// RewardHunters is "flag", "exclude" or "off": customers with at least
	// HunterMinOrders orders of which at least HunterShare carried a
	// discount of at least HunterDiscount of the list value.
	RewardHunters   string  `json:"reward_hunters"`
	HunterMinOrders int     `json:"hunter_min_orders"`
	HunterShare     float64 `json:"hunter_share"`
	HunterDiscount  float64 `json:"hunter_discount"`
	// Outliers is "flag", "cap", "exclude" or "off": customers whose revenue
	// is above the OutlierPercentile (e.g. 99.9) of all customers.
	Outliers          string  `json:"outliers"`
	OutlierPercentile float64 `json:"outlier_percentile"`
}

// Default returns the rules segsim starts with.
func Default() Rules {
	return Rules{
		Returns:           "net",
		ZeroValue:         "keep",
		TestAccounts:      "drop",
		TestPatterns:      []string{"test*", "*test", "demo*", "*_demo"},
		RewardHunters:     "flag",
		HunterMinOrders:   2,
		HunterShare:       0.8,
		HunterDiscount:    0.5,
		Outliers:          "flag",
		OutlierPercentile: 99.9,
	}
}

// Validate reports the first knob with a value outside its domain, naming
// the field (as in the scenario JSON) and the value.
func (r Rules) Validate() error {
	check := func(field, v string, allowed ...string) error {
		for _, a := range allowed {
			if v == a {
				return nil
			}
		}
		return knob.Bad(fmt.Sprintf("clean.%s", field), v, "is not one of %s", strings.Join(allowed, ", "))
	}
	for _, err := range []error{
		check("returns", r.Returns, "net", "drop"),
		check("zero_value", r.ZeroValue, "drop", "keep"),
		check("test_accounts", r.TestAccounts, "drop", "keep"),
		check("reward_hunters", r.RewardHunters, "flag", "exclude", "off"),
		check("outliers", r.Outliers, "flag", "cap", "exclude", "off"),
	} {
		if err != nil {
			return err
		}
	}
	if len(r.TestPatterns) > MaxTestPatterns {
		return knob.Bad("clean.test_patterns", len(r.TestPatterns), "patterns; at most %d", MaxTestPatterns)
	}
	for i, p := range r.TestPatterns {
		if len(p) > MaxPatternLen {
			return knob.Bad(fmt.Sprintf("clean.test_patterns[%d]", i), clipText(p), "is longer than %d bytes", MaxPatternLen)
		}
		if _, err := path.Match(strings.ToLower(p), ""); err != nil {
			return &knob.Error{Path: "clean.test_patterns", Value: fmt.Sprintf("%q:", p), Reason: err.Error(), Err: err}
		}
	}
	switch {
	case r.HunterMinOrders < 1:
		return knob.Bad("clean.hunter_min_orders", r.HunterMinOrders, "must be at least 1")
	case r.HunterShare <= 0 || r.HunterShare > 1:
		return knob.Bad("clean.hunter_share", r.HunterShare, "must be in (0, 1]")
	case r.HunterDiscount <= 0 || r.HunterDiscount > 1:
		return knob.Bad("clean.hunter_discount", r.HunterDiscount, "must be in (0, 1]")
	case r.OutlierPercentile <= 0 || r.OutlierPercentile >= 100:
		return knob.Bad("clean.outlier_percentile", r.OutlierPercentile, "must be in (0, 100)")
	}
	return nil
}

// Bounds of the test account patterns: every customer id is matched
// against each, so their number and length bound the work.
const (
	MaxTestPatterns = 100
	MaxPatternLen   = 100
)

func clipText(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// RuleCount says what one rule did.
type RuleCount struct {
	Rule      string `json:"rule"`
	Action    string `json:"action"`
	Rows      int    `json:"rows"`
	Customers int    `json:"customers"`
	Note      string `json:"note,omitempty"`
}

// Window bounds the analysis: rows before Start or after End, and rows on
// or after AsOf, are left out. Zero Start or End means open.
type Window struct {
	Start, End int32 // day numbers, inclusive; 0 = open
	AsOf       int32 // day number
}

// days returns the first and last day the window keeps (from > to when
// it keeps none).
func (w Window) days() (from, to int32) {
	from, to = math.MinInt32, w.AsOf
	if w.Start != 0 {
		from = w.Start
	}
	if w.End != 0 && w.End < to {
		return from, w.End
	}
	if to == math.MinInt32 {
		return 0, -1
	}
	return from, to - 1
}

// Rule indexes for per-customer bookkeeping.
const (
	ruleWindow = iota
	ruleTest
	ruleUnpaid
	ruleReturns
	ruleZero
	numRowRules
)

// Rows decides the disposition of each row: summary.Sale,
// summary.Adjustment or summary.Dropped.
func Rows(o *ingest.Orders, r Rules, w Window) ([]uint8, []RuleCount) {
	n := o.Len()
	disp := make([]uint8, n)
	test := testAccounts(o, r)
	useC := o.Order != nil && o.DigitOrderIDs*2 >= n
	p := rowPass{o: o, r: rowRulesOf(r, w), test: test, useC: useC, disp: disp, touched: make([]uint8, o.Customers.Len())}
	if runtime.GOMAXPROCS(0) < 2 || n < 4*block {
		p.blocks(0, n)
	} else {
		// Two halves at once (the command line; the page's WebAssembly
		// has one thread), the second with counts of its own.
		q := p
		q.touched, q.counts = make([]uint8, len(p.touched)), [numRowRules]int{}
		var wg sync.WaitGroup
		wg.Go(func() { q.blocks(n/2, n) })
		p.blocks(0, n/2)
		wg.Wait()
		for k := range p.counts {
			p.counts[k] += q.counts[k]
		}
		for c, t := range q.touched {
			p.touched[c] |= t
		}
	}
	var cust [numRowRules]int
	for _, t := range p.touched {
		countTouched(&cust, t)
	}
	return disp, rowCounts(r, p.counts, cust, useC)
}

// block is how many rows a call of rowPass.rows decides: WebAssembly
// engines optimize a function when it is called again, so a long loop is
// cut into calls.
const block = 1 << 14

// rowPass is Rows at work.
type rowPass struct {
	o       *ingest.Orders
	r       rowRules
	test    []bool
	useC    bool
	disp    []uint8
	touched []uint8 // bit per rule, by customer
	counts  [numRowRules]int
}

// blocks decides rows lo to hi, a block a call.
func (p *rowPass) blocks(lo, hi int) {
	for ; lo < hi; lo += block {
		p.rows(lo, min(hi, lo+block))
	}
}

// rows decides rows lo to hi.
func (p *rowPass) rows(lo, hi int) {
	// The columns are read through locals: in WebAssembly a field read
	// in the loop is read again on every row.
	cust, day, cents, flags := p.o.Cust[lo:hi], p.o.Day[lo:hi], p.o.Cents[lo:hi], p.o.Flags[lo:hi]
	disp, test, touched, r, useC := p.disp[lo:hi], p.test, p.touched, p.r, p.useC
	// Most rows are plain sales inside the window, which no rule touches:
	// they are told apart here, without the call decide costs per row.
	from, to := r.from, r.to
	odd := ingest.FlagUnpaid | ingest.FlagReturnStatus
	if useC {
		odd |= ingest.FlagCInvoice
	}
	for i, c := range cust {
		if d := day[i]; d >= from && d <= to && flags[i]&odd == 0 && cents[i] > 0 && (test == nil || !test[c]) {
			disp[i] = summary.Sale
			continue
		}
		d, rule := decide(day[i], cents[i], flags[i], test != nil && test[c], useC, r)
		disp[i] = d
		if rule >= 0 {
			p.counts[rule]++
			touched[c] |= 1 << rule
		}
	}
}

// rowRules are the choices of Rules that decide a row, and the days from
// and to that the window keeps.
type rowRules struct {
	netReturns, dropZero bool
	from, to             int32
}

func rowRulesOf(r Rules, w Window) rowRules {
	from, to := w.days()
	return rowRules{netReturns: r.Returns == "net", dropZero: r.ZeroValue == "drop", from: from, to: to}
}

// decide returns one row's disposition and the rule that decided it (-1
// for a sale no rule touched); a refund line that nets revenue is an
// Adjustment counted under the returns rule.
func decide(day int32, cents int64, flags uint8, test, useC bool, r rowRules) (uint8, int) {
	switch {
	case day < r.from || day > r.to:
		return summary.Dropped, ruleWindow
	case test:
		return summary.Dropped, ruleTest
	case flags&ingest.FlagUnpaid != 0:
		return summary.Dropped, ruleUnpaid
	}
	isReturn := flags&ingest.FlagReturnStatus != 0 || (useC && flags&ingest.FlagCInvoice != 0) || cents < 0
	switch {
	case isReturn && r.netReturns && cents < 0:
		return summary.Adjustment, ruleReturns
	case isReturn:
		return summary.Dropped, ruleReturns
	case cents == 0 && r.dropZero:
		return summary.Dropped, ruleZero
	}
	return summary.Sale, -1
}

// rowCounts says what each row rule did, from the rows and customers it
// touched.
func rowCounts(r Rules, rows, cust [numRowRules]int, useC bool) []RuleCount {
	returnsAction := "refund lines net revenue; refunded or cancelled orders left out"
	if r.Returns == "drop" {
		returnsAction = "all return lines left out"
	}
	note := ""
	if useC {
		note = "order ids starting with C count as cancellations"
	}
	testAction := "left out"
	var patNote string
	if last := lastCompiled(r.TestPatterns); last != nil {
		patNote = last.note
	} else {
		patNote = patternNote(r.TestPatterns)
	}
	if r.TestAccounts == "keep" {
		testAction = "kept"
	}
	zeroAction := "left out"
	if r.ZeroValue == "keep" {
		zeroAction = "kept"
	}
	return []RuleCount{
		{Rule: "window", Action: "outside the analysis window or on/after the as-of date: left out", Rows: rows[ruleWindow], Customers: cust[ruleWindow]},
		{Rule: "test_accounts", Action: testAction, Rows: rows[ruleTest], Customers: cust[ruleTest], Note: patNote},
		{Rule: "unpaid", Action: "orders never paid (pending, 待付款…) left out", Rows: rows[ruleUnpaid], Customers: cust[ruleUnpaid]},
		{Rule: "returns", Action: returnsAction, Rows: rows[ruleReturns], Customers: cust[ruleReturns], Note: note},
		{Rule: "zero_value", Action: zeroAction, Rows: rows[ruleZero], Customers: cust[ruleZero]},
	}
}

// Tally applies the row rules customer by customer, for a caller that
// makes each customer's rows on the fly instead of holding an order table
// (a per-customer stats file): it decides and counts exactly as Rows does
// for the same rows. Rows carry no flags and no order ids.
type Tally struct {
	r          Rules
	rr         rowRules
	test       *patterns // nil when the test-account rule is off
	rows, cust [numRowRules]int
	touched    uint8
}

// NewTally returns a Tally for rules r and window w.
func NewTally(r Rules, w Window) *Tally {
	return &Tally{r: r, rr: rowRulesOf(r, w), test: testPatterns(r)}
}

// Test tells whether a customer id matches a test-account pattern the
// rules leave out.
func (t *Tally) Test(id []byte) bool { return t.test.match(id) }

// Row decides one row of the current customer (test: the customer is a
// test account) and counts it.
func (t *Tally) Row(day int32, cents int64, test bool) uint8 {
	d, rule := decide(day, cents, 0, test, false, t.rr)
	if rule >= 0 {
		t.rows[rule]++
		t.touched |= 1 << rule
	}
	return d
}

// Next ends the current customer: the next Row is another customer's.
func (t *Tally) Next() {
	countTouched(&t.cust, t.touched)
	t.touched = 0
}

// countTouched counts a customer under each rule whose bit touched has.
func countTouched(cust *[numRowRules]int, touched uint8) {
	for k := 0; k < numRowRules; k++ {
		if touched&(1<<k) != 0 {
			cust[k]++
		}
	}
}

// Counts says what each row rule did, as Rows does.
func (t *Tally) Counts() []RuleCount { return rowCounts(t.r, t.rows, t.cust, false) }

// testAccounts marks the customers whose id matches a test pattern, or
// returns nil when the rule is off or matches no one.
func testAccounts(o *ingest.Orders, r Rules) []bool {
	pats := testPatterns(r)
	if pats == nil {
		return nil
	}
	var out []bool
	for c := 0; c < o.Customers.Len(); c++ {
		if pats.match(o.Customers.Key(int32(c))) {
			if out == nil {
				out = make([]bool, o.Customers.Len())
			}
			out[c] = true
		}
	}
	return out
}

// patterns are the test-account patterns in force, with a test of an
// id's first and last bytes that turns down most ids without matching
// each pattern.
type patterns struct {
	list []pattern
	// first and last hold the bytes a prefix, exact or suffix pattern
	// lets an id begin or end with; open is set when some pattern lets
	// any id through that test.
	first, last [256]bool
	open        bool
}

// newPatterns compiles list.
func newPatterns(list []string) *patterns {
	ps := &patterns{list: make([]pattern, len(list))}
	for i, src := range list {
		p := compilePattern(src)
		ps.list[i] = p
		n := len(p.lit)
		switch {
		case n > 0 && (p.kind == '=' || p.kind == '<'):
			for a := range 256 {
				ps.first[a] = ps.first[a] || mayFold(byte(a), p.lit[0])
			}
		case n > 0 && p.kind == '>':
			for a := range 256 {
				ps.last[a] = ps.last[a] || mayFold(byte(a), p.lit[n-1])
			}
		default: // contains, glob, or an empty pattern
			ps.open = true
		}
	}
	return ps
}

// testPatterns compiles the test-account patterns, or returns nil when
// the rule is off or has none.
func testPatterns(r Rules) *patterns {
	if r.TestAccounts != "drop" || len(r.TestPatterns) == 0 {
		return nil
	}
	if last := lastCompiled(r.TestPatterns); last != nil {
		return last.pats
	}
	pats := newPatterns(r.TestPatterns)
	src := slices.Clone(r.TestPatterns)
	lastPatterns.Store(&compiledPatterns{src: src, pats: pats, note: patternNote(src)})
	return pats
}

// patternNote is the test-account rule's note for the patterns list.
func patternNote(list []string) string { return "patterns " + strings.Join(list, " ") }

// lastCompiled returns the patterns compiled last when they came from
// list, else nil.
func lastCompiled(list []string) *compiledPatterns {
	if last := lastPatterns.Load(); last != nil && slices.Equal(last.src, list) {
		return last
	}
	return nil
}

// compiledPatterns are test patterns compiled, with the list they came
// from and the note rowCounts writes for it.
type compiledPatterns struct {
	src  []string
	pats *patterns
	note string
}

// lastPatterns holds the list of test patterns compiled last: the worker
// compiles the same list for every request, and a match does not change
// a compiled pattern.
var lastPatterns atomic.Pointer[compiledPatterns]

// match tells whether any pattern matches id (none when ps is nil).
func (ps *patterns) match(id []byte) bool {
	if ps == nil || len(id) == 0 && !ps.open {
		return false
	}
	if !ps.open && !ps.first[id[0]] && !ps.last[id[len(id)-1]] {
		return false
	}
	for _, p := range ps.list {
		if p.match(id) {
			return true
		}
	}
	return false
}

// pattern is a case-insensitive shell pattern with fast paths for the
// common forms: "abc", "abc*", "*abc" and "*abc*".
type pattern struct {
	kind byte // '=' exact, '<' prefix, '>' suffix, '~' contains, 'g' glob
	lit  []byte
	glob string
}

func compilePattern(p string) pattern {
	lower := strings.ToLower(p)
	body := strings.Trim(lower, "*")
	if strings.ContainsAny(body, "*?[\\") {
		return pattern{kind: 'g', glob: lower}
	}
	pre, suf := strings.HasPrefix(lower, "*"), strings.HasSuffix(lower, "*")
	k := byte('=')
	switch {
	case pre && suf:
		k = '~'
	case suf:
		k = '<'
	case pre:
		k = '>'
	}
	return pattern{kind: k, lit: []byte(body)}
}

// mayFold tells whether byte a may fold to b (a byte of a lower-cased
// pattern): most ids differ from a pattern in their first or last byte,
// and this turns them down without EqualFold. Bytes of multi-byte
// characters are left to EqualFold.
func mayFold(a, b byte) bool { return a == b || a|0x20 == b || a >= 0x80 || b >= 0x80 }

func (p pattern) match(id []byte) bool {
	n := len(p.lit)
	switch p.kind {
	case '=':
		return (n == 0 || len(id) == 0 || mayFold(id[0], p.lit[0])) && bytes.EqualFold(id, p.lit)
	case '<':
		return len(id) >= n && (n == 0 || mayFold(id[0], p.lit[0])) && bytes.EqualFold(id[:n], p.lit)
	case '>':
		return len(id) >= n && (n == 0 || mayFold(id[len(id)-1], p.lit[n-1])) && bytes.EqualFold(id[len(id)-n:], p.lit)
	case '~':
		for i := 0; i+n <= len(id); i++ {
			if (n == 0 || mayFold(id[i], p.lit[0])) && bytes.EqualFold(id[i:i+n], p.lit) {
				return true
			}
		}
		return false
	}
	ok, _ := path.Match(p.glob, strings.ToLower(string(id)))
	return ok
}
