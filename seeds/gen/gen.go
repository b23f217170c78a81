// Package gen writes realistic, deterministic order-export CSV files for
// trying segsim on data that looks like a real shop's.
//
// Each customer follows a BG/NBD purchase process: a purchase rate
// λ ~ Gamma(r, α) and, after every repeat purchase, a dropout with
// probability p ~ Beta(a, b). Order values follow the Gamma-Gamma model
// (a per-customer mean from a Gamma, order values Gamma around it).
// Customers arrive over the whole span. Purchase and arrival intensities
// follow the calendar: month multipliers, weekday pattern, the 618 (June
// 18), Double 11 (November 11) and Double 12 (December 12) festivals, a
// dip around the Spring Festival, and an hour-of-day profile. Parameters
// differ by industry: grocery has frequent small baskets, apparel medium
// ones with many returns, education rare large course purchases with
// renewals, and livestream bursty impulse buying with the most returns.
//
// The files carry the dirt an analyst meets in real exports, at these
// rates (per industry where they differ: apparel/grocery/education/
// livestream):
//
//   - returns: 14%/2%/6%/28% of ordinary customers' orders (1.5× for
//     hunters). 55% of returns only set the status to refunded (已退款);
//     the others stay paid and are followed, 1–30 days later, by a refund
//     row with the same order id, a negative amount (25% of them partial)
//     and status refunded.
//   - zero-value orders (free gift, 0-yuan activity): 1%/2%/5%/2% of
//     orders; amount 0.00 and the gift's value as discount.
//   - coupon/reward hunters: 3%/2%/1%/5% of customers; 92% of their orders
//     carry a discount of at least half the list value (amount + discount).
//     Ordinary customers get such a discount on 1% of orders.
//   - test accounts: 2 plus one per 20,000 customers (at most 12), ids
//     like test_0001, TEST-demo-02, qa_test_03, buying tiny amounts a few
//     times a day for up to ten days.
//   - wholesale accounts: 2 or more (one per 20,000 rows), never
//     dropping out, with orders 40× the usual value; about 1.5% of rows.
//   - bad rows: about one row in 2,500 (one in Orders/6 for small files,
//     so every file has some), cycling through an unparseable date, an
//     empty customer id, a non-numeric amount and a wrong field count.
//
// Config.Orders is met approximately (within a few percent from 10,000
// rows up): the number of customers is set by first simulating 20,000
// customers to learn how many rows one adds. Memory grows only with the
// customers active at a time, so millions of rows stream through a
// bufio.Writer.
//
// Output is byte-for-byte deterministic for a given Config: all draws
// come from PCG streams seeded by Config.Seed, events are ordered by
// (time, insertion number) and money is kept in integer cents. Output is
// the same with and without fused multiply-add (GOAMD64=v1 and v3); Go
// permits fused floating-point operations, so other architectures are
// expected, not guaranteed, to match.
package gen

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
)

// DefaultSeed is the seed used when Config.Seed is zero.
const DefaultSeed uint64 = 20260630

// DefaultOrders is the order count used when Config.Orders is zero.
const DefaultOrders = 10000

// PCG stream numbers, so the sub-simulations never share random numbers.
const (
	streamMain     = 1
	streamCalendar = 2
	streamCalib    = 3
)

// calibrationCustomers is how many customers are simulated up front to
// estimate rows per customer, which sets the number of customers.
const calibrationCustomers = 20000

// Sentinel errors; test with errors.Is.
var (
	ErrIndustry = errors.New("unknown industry")
	ErrConfig   = errors.New("invalid config")
)

// Config selects what Generate writes. The zero value of every field but
// Industry means its default.
type Config struct {
	Industry string    // apparel, grocery, education or livestream
	Orders   int       // approximate number of data rows (test and wholesale accounts add ~50 rows at least); default DefaultOrders
	Seed     uint64    // default DefaultSeed
	Start    time.Time // first day (date part only); default two years before End, plus one day
	End      time.Time // last day, inclusive (date part only); default 2026-06-30
	Chinese  bool      // Chinese headers, channel and status values
}

// withDefaults fills in defaults and checks the config.
func (c Config) withDefaults() (Config, error) {
	if c.Orders == 0 {
		c.Orders = DefaultOrders
	}
	if c.Orders < 0 {
		return c, fmt.Errorf("%w: orders %d < 0", ErrConfig, c.Orders)
	}
	if c.Seed == 0 {
		c.Seed = DefaultSeed
	}
	if c.End.IsZero() {
		c.End = time.Date(2026, time.June, 30, 0, 0, 0, 0, time.UTC)
	}
	c.End = dateOnly(c.End)
	if c.Start.IsZero() {
		c.Start = c.End.AddDate(-2, 0, 1)
	}
	c.Start = dateOnly(c.Start)
	if c.End.Before(c.Start) {
		return c, fmt.Errorf("%w: end %s before start %s", ErrConfig,
			c.End.Format(time.DateOnly), c.Start.Format(time.DateOnly))
	}
	if c.End.Sub(c.Start) > 100*366*24*time.Hour {
		return c, fmt.Errorf("%w: span longer than 100 years", ErrConfig)
	}
	return c, nil
}

// dateOnly returns midnight UTC of t's calendar date.
func dateOnly(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Stats describes a generated file. Row categories count good rows only;
// damaged rows are counted in the Bad fields.
type Stats struct {
	Rows           int // data rows written (header excluded), damaged ones included
	Orders         int // good order rows (one per order id)
	Customers      int // customer ids created, including test and wholesale accounts
	RefundedStatus int // good order rows whose status is refunded
	RefundRows     int // good negative-amount refund rows referring to an earlier order
	ZeroValue      int // good order rows with amount 0
	HeavyDiscount  int // good order rows with amount > 0 and discount >= half the list value
	Hunters        int // coupon/reward hunter customers
	TestAccounts   int // test accounts
	TestRows       int // good rows of test accounts
	Wholesale      int // wholesale accounts
	WholesaleRows  int // good rows of wholesale accounts
	BadRows        int // damaged rows, the sum of the four below
	BadDates       int // rows with an unparseable order date
	BadCustomerIDs int // rows with an empty customer id
	BadAmounts     int // rows with a non-numeric amount
	BadFieldCounts int // rows with too few or too many fields
	Bytes          int64
}

// Generate writes an order export for cfg to w: a header line, then one
// row per order or refund in chronological order. It holds only the
// state of currently active customers in memory.
func Generate(w io.Writer, cfg Config) (Stats, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Stats{}, err
	}
	prof, err := lookupProfile(cfg.Industry)
	if err != nil {
		return Stats{}, err
	}
	cw := &countingWriter{w: w}
	g := newGenerator(cfg, prof, bufio.NewWriterSize(cw, 1<<16))
	if err := g.run(); err != nil {
		return g.stats, err
	}
	if err := g.w.out.Flush(); err != nil {
		return g.stats, fmt.Errorf("flush: %w", err)
	}
	g.stats.Bytes = cw.n
	return g.stats, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

// Write writes p to the underlying writer.
func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// generator is the state of one Generate call.
type generator struct {
	cfg      Config
	prof     *profile
	cal      *calendar
	s        *sampler
	q        queue
	w        rowWriter
	stats    Stats
	arrivals float64 // expected ordinary customers over the span
	nextNum  int     // next customer number
	tests    int     // test accounts named so far
	curDay   int     // day of the last order id
	daySeq   int     // order number within curDay
}

// newGenerator prepares the calendar, the customer volume and the
// special accounts.
func newGenerator(cfg Config, prof *profile, out *bufio.Writer) *generator {
	days := int(cfg.End.Sub(cfg.Start).Hours()/24) + 1
	cal := newCalendar(prof, cfg.Start, days, newSampler(prof, cfg.Seed, streamCalendar).rng)
	lang := 0
	if cfg.Chinese {
		lang = 1
	}
	g := &generator{
		cfg: cfg, prof: prof, cal: cal,
		s:      newSampler(prof, cfg.Seed, streamMain),
		w:      rowWriter{out: out, cal: cal, lang: lang, buf: make([]byte, 0, 256)},
		curDay: -1,
	}
	g.w.interval = min(2500, max(cfg.Orders/6, 20))
	g.w.nextBad = g.w.interval/2 + g.s.rng.IntN(g.w.interval)
	g.plan()
	return g
}

// plan sizes the customer base so that the expected number of rows
// matches cfg.Orders, and queues the arrivals of the special accounts.
func (g *generator) plan() {
	target := float64(g.cfg.Orders)
	days := float64(g.cal.days)
	perCustomer := calibrate(g.prof, g.cal, g.cfg.Seed)
	n0 := target / perCustomer

	nWholesale := max(2, int(math.Round(target*wholesalePerRow)))
	nTest := min(max(2+int(n0/20000), 2), 12)
	active := 1 - wholesaleArrival/2 // mean share of the span a wholesale account is present
	rate := wholesaleRowShare * target / (float64(nWholesale) * active * days)
	rate = min(max(rate, 0.02), 0.5)
	special := float64(nWholesale)*rate*active*days +
		float64(nTest)*testOrdersPerDay*(1+testMaxWindow)/2
	g.arrivals = max(target-special, 1) / perCustomer

	for range nWholesale {
		t := g.s.uniform(0, wholesaleArrival*days)
		g.q.push(event{t: t, kind: evSpecial, c: g.s.newWholesale(rate)})
	}
	for range nTest {
		t := g.s.uniform(0, days)
		g.q.push(event{t: t, kind: evSpecial, c: g.s.newTest(t)})
	}
	g.scheduleArrival(0)
}

// calibrate returns the mean number of rows an ordinary customer adds,
// by simulating calibrationCustomers of them on a separate stream.
func calibrate(prof *profile, cal *calendar, seed uint64) float64 {
	s := newSampler(prof, seed, streamCalib)
	total := 0
	for range calibrationCustomers {
		t := cal.acquire.inverse(s.rng.Float64() * cal.acquire.total())
		c := s.newCustomer()
		for !math.IsInf(t, 1) {
			c.orders++
			total++
			if s.dropsOut(c) {
				break
			}
			t = s.next(cal, c, t)
		}
	}
	refundRows := prof.returnRate * (1 - statusOnlyReturn)
	return float64(total) / calibrationCustomers * (1 + refundRows)
}

// scheduleArrival queues the next ordinary customer's arrival after t.
func (g *generator) scheduleArrival(t float64) {
	acq := g.cal.acquire
	units := g.s.rng.ExpFloat64() * acq.total() / g.arrivals
	next := acq.advance(t, units)
	if !math.IsInf(next, 1) {
		g.q.push(event{t: next, kind: evArrival})
	}
}

// run writes the header and processes events until none are left.
func (g *generator) run() error {
	if err := g.w.writeHeader(); err != nil {
		return err
	}
	for g.q.Len() > 0 {
		if err := g.handle(g.q.pop()); err != nil {
			return err
		}
	}
	return nil
}

// handle processes one event.
func (g *generator) handle(e event) error {
	switch e.kind {
	case evArrival:
		g.scheduleArrival(e.t)
		c := g.s.newCustomer()
		g.admit(c)
		return g.purchase(c, e.t)
	case evSpecial:
		g.admit(e.c)
		return g.purchase(e.c, e.t)
	case evPurchase:
		return g.purchase(e.c, e.t)
	case evRefund:
		return g.refund(e)
	}
	return fmt.Errorf("unknown event kind %d", e.kind)
}

// admit gives a new customer an id and counts it.
func (g *generator) admit(c *customer) {
	g.stats.Customers++
	switch c.kind {
	case kindTest:
		g.tests++
		g.stats.TestAccounts++
		c.id = testID(g.tests)
		return
	case kindHunter:
		g.stats.Hunters++
	case kindWholesale:
		g.stats.Wholesale++
	}
	g.nextNum++
	if g.cfg.Chinese {
		c.id = string(appendPadded([]byte{'M'}, 10000+g.nextNum, 8))
	} else {
		c.id = string(appendPadded([]byte{'C'}, g.nextNum, 6))
	}
}

// appendPadded appends n in decimal, left-padded with zeros to width.
func appendPadded(b []byte, n, width int) []byte {
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], int64(n), 10)
	for range width - len(d) {
		b = append(b, '0')
	}
	return append(b, d...)
}

// testID names the n-th test account (1-based) in one of several
// in-house styles.
func testID(n int) string {
	switch n % 3 {
	case 1:
		return fmt.Sprintf("test_%04d", n)
	case 2:
		return fmt.Sprintf("TEST-demo-%02d", n)
	}
	return fmt.Sprintf("qa_test_%02d", n)
}

// orderID returns a new order id for an order on day: O, the date, and a
// per-day running number with gaps (orders outside the export).
func (g *generator) orderID(day int) string {
	if day != g.curDay {
		g.curDay, g.daySeq = day, 0
	}
	g.daySeq += 1 + g.s.rng.IntN(3)
	b := make([]byte, 0, 16)
	b = append(b, 'O')
	b = append(b, g.cal.compact[day]...)
	return string(appendPadded(b, g.daySeq, 6))
}

// purchase writes an order of c at time t, maybe queues its refund, and
// queues c's next purchase unless c drops out.
func (g *generator) purchase(c *customer, t float64) error {
	s := g.s
	c.orders++
	day, sec := g.cal.clock(t)
	r := row{customer: c.id, order: g.orderID(day), day: day, sec: sec, channel: c.channel}
	if !s.chance(preferredChannel) {
		r.channel = s.channel()
	}
	list := s.listCents(c)
	zero := (c.kind == kindNormal || c.kind == kindHunter) && s.chance(g.prof.zeroRate)
	if zero {
		list = int64(math.Round(s.uniform(9.9, 59))) * 100
		r.discount = list
	} else {
		r.discount = s.discountCents(c, list, g.cal.promo[day])
	}
	r.amount = list - r.discount
	if !zero && s.chance(s.returnRate(c)) {
		if s.chance(statusOnlyReturn) {
			r.refunded = true
		} else {
			g.queueRefund(c, t, r)
		}
	}
	bad, err := g.w.write(r, s.rng.IntN)
	if err != nil {
		return err
	}
	g.count(c, r, bad, false)
	if s.dropsOut(c) {
		return nil
	}
	if next := s.next(g.cal, c, t); !math.IsInf(next, 1) {
		g.q.push(event{t: next, kind: evPurchase, c: c})
	}
	return nil
}

// queueRefund schedules the refund row of order r (bought at t), unless
// it would fall after the end of the span.
func (g *generator) queueRefund(c *customer, t float64, r row) {
	s := g.s
	cents := r.amount
	if s.chance(partialRefund) {
		cents = int64(math.Round(float64(cents) * s.uniform(0.3, 0.7)))
	}
	when := t + min(1+s.gamma(2, 5), 30)
	if cents <= 0 || when >= float64(g.cal.days) {
		return
	}
	g.q.push(event{t: when, kind: evRefund, c: c, orderID: r.order, cents: cents, channel: r.channel})
}

// refund writes the negative row of a refund event.
func (g *generator) refund(e event) error {
	day, sec := g.cal.clock(e.t)
	r := row{customer: e.c.id, order: e.orderID, day: day, sec: sec,
		amount: -e.cents, channel: e.channel, refunded: true}
	bad, err := g.w.write(r, g.s.rng.IntN)
	if err != nil {
		return err
	}
	g.count(e.c, r, bad, true)
	return nil
}

// count adds a written row to the statistics.
func (g *generator) count(c *customer, r row, bad badKind, refundRow bool) {
	st := &g.stats
	st.Rows++
	switch bad {
	case badDate:
		st.BadDates++
	case badCustomer:
		st.BadCustomerIDs++
	case badAmount:
		st.BadAmounts++
	case badFieldCount:
		st.BadFieldCounts++
	}
	if bad != badNone {
		st.BadRows++
		return
	}
	switch c.kind {
	case kindTest:
		st.TestRows++
	case kindWholesale:
		st.WholesaleRows++
	}
	if refundRow {
		st.RefundRows++
		return
	}
	st.Orders++
	if r.refunded {
		st.RefundedStatus++
	}
	switch {
	case r.amount == 0:
		st.ZeroValue++
	case 2*r.discount >= r.amount+r.discount:
		st.HeavyDiscount++
	}
}
