package engine

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"segsim/core/calendar"
	"segsim/core/clean"
	"segsim/core/ingest"
	"segsim/core/lifecycle"
	"segsim/core/segment"
	"segsim/core/summary"
)

// Stats is one customer's purchase summary, as a warehouse query produces
// it (one row per customer: id, first and last purchase day, orders,
// distinct purchase days, revenue).
type Stats struct {
	ID      string
	First   int32 // day number of the first purchase
	Last    int32 // day number of the last purchase
	Orders  int32 // distinct orders, at least 1
	Days    int32 // distinct purchase days, 1..Orders
	Revenue int64 // net revenue in minor units (cents); below 0 when refunds exceed the sales kept
	// Extra holds the optional fields of a stats file; Dataset.StatsFields
	// names those present.
	Extra ingest.StatsExtra
}

// ErrBadStats is wrapped by every StatsError; test with errors.Is.
var ErrBadStats = errors.New("invalid customer stats")

// ErrNeedsOrders is returned by what needs each order's date (cohorts,
// migration between periods, the buyer split per period) on a dataset
// read from per-customer stats.
var ErrNeedsOrders = errors.New("needs the order history: a stats file has one row per customer, not each order's date")

// OrderLevel returns ErrNeedsOrders for a dataset read from stats, nil for
// one read from orders.
func (d *Dataset) OrderLevel() error {
	if d.Load.Stats() {
		return ErrNeedsOrders
	}
	return nil
}

// StatsError names the stats record (0-based Index), the field, its value
// and what is wrong with it.
type StatsError struct {
	Index  int
	Field  string // customer_id, first_date, last_date, orders, purchase_days or revenue
	Value  string
	Reason string
}

func (e *StatsError) Error() string {
	return fmt.Sprintf("stats[%d].%s: %s %s", e.Index, e.Field, e.Value, e.Reason)
}

// Unwrap makes errors.Is(err, ErrBadStats) true.
func (e *StatsError) Unwrap() error { return ErrBadStats }

// Validate checks that the stats describe a possible purchase history; i is
// the record's index, used in the error.
func (s Stats) Validate(i int) error {
	if s.ID == "" {
		return &StatsError{Index: i, Field: "customer_id", Value: `""`, Reason: "is empty"}
	}
	return s.check(i)
}

// check is Validate without the id.
func (s Stats) check(i int) error {
	bad := func(field, value, reason string) error {
		return &StatsError{Index: i, Field: field, Value: value, Reason: reason}
	}
	itoa := func(v int32) string { return strconv.Itoa(int(v)) }
	switch {
	case s.Last < s.First:
		return bad("last_date", calendar.Format(s.Last), "is before first_date "+calendar.Format(s.First))
	case s.Orders < 1:
		return bad("orders", itoa(s.Orders), "is not at least 1")
	case s.Days < 1:
		return bad("purchase_days", itoa(s.Days), "is not at least 1")
	case s.Days > s.Orders:
		return bad("purchase_days", itoa(s.Days), "is more than orders "+itoa(s.Orders))
	case s.Days == 1 && s.First != s.Last:
		return bad("purchase_days", "1", "but first_date and last_date differ: a history over two dates has at least 2 purchase days")
	case s.Days > 1 && int64(s.Last-s.First) < int64(s.Days-1):
		return bad("purchase_days", itoa(s.Days), fmt.Sprintf("do not fit in the %d days from first_date to last_date", s.Last-s.First+1))
	}
	return s.validateExtra(bad)
}

// validateExtra checks the optional fields that can be checked against the
// basic ones (absent fields are zero, gaps -1).
func (s Stats) validateExtra(bad func(field, value, reason string) error) error {
	e := s.Extra
	itoa := func(v int32) string { return strconv.Itoa(int(v)) }
	for _, c := range []struct {
		field string
		v     int32
	}{{"discount_orders", e.DiscountOrders}, {"heavy_orders", e.HeavyOrders}, {"weekend_orders", e.WeekendOrders}} {
		if c.v > s.Orders {
			return bad(c.field, itoa(c.v), "is more than orders "+itoa(s.Orders))
		}
	}
	span := s.Last - s.First
	switch {
	case e.HeavyOrders > e.DiscountOrders && e.DiscountOrders > 0:
		return bad("heavy_orders", itoa(e.HeavyOrders), "is more than discount_orders "+itoa(e.DiscountOrders))
	case s.Days == 1 && (e.LastGap > 0 || e.MedianGap > 0):
		return bad("last_gap", itoa(e.LastGap), "with one purchase day there is no gap")
	case e.LastGap > span:
		return bad("last_gap", itoa(e.LastGap), fmt.Sprintf("is longer than the %d days from first_date to last_date", span))
	case float64(e.MedianGap) > float64(span):
		return bad("median_gap", strconv.FormatFloat(float64(e.MedianGap), 'g', -1, 32), fmt.Sprintf("is longer than the %d days from first_date to last_date", span))
	}
	return nil
}

// DefaultDays is the purchase days a record without them is taken to
// have: one for a single date, else as many as fit, at least two.
func (s Stats) DefaultDays() int32 {
	if s.First == s.Last || s.Last < s.First {
		return min(1, s.Orders)
	}
	return max(2, min(s.Orders, s.Last-s.First+1))
}

// LoadStats reads a per-customer stats file (ingest.IsStats) into a
// Dataset, as FromStats builds it. A row whose numbers do not describe a
// possible history (a last date before the first, more purchase days than
// orders…) is skipped and reported like a row that cannot be read. The
// rows are kept in columns as they are read: the file is the largest
// thing in memory.
func LoadStats(data []byte, opt ingest.Options) (*Dataset, error) {
	n := bytes.Count(data, []byte{'\n'}) + 1 // rows, about
	// ids holds the kept customers' ids in order and becomes the
	// dataset's customer dictionary; an id kept twice is found after
	// reading (Repeats), which is faster than a lookup per row.
	ids := ingest.NewDict(0)
	st := newStatsTable(n)
	lines := make([]int32, 0, n)
	var extra []ingest.StatsExtra
	carry, rep, err := ingest.ReadStats(data, opt, func(r *ingest.StatsRow) string {
		s := Stats{First: r.First, Last: r.Last, Orders: r.Orders, Days: r.Days, Revenue: r.Cents, Extra: r.Extra}
		if s.Days == 0 {
			s.Days = s.DefaultDays()
		}
		if err := s.check(st.len()); err != nil {
			var se *StatsError
			errors.As(err, &se)
			return se.Field + " " + se.Value + " " + se.Reason
		}
		ids.Append(r.ID)
		st.add(s)
		lines = append(lines, int32(r.Line))
		if r.HasExtra {
			extra = append(extra, s.Extra)
		}
		return ""
	})
	if err != nil {
		if rep != nil {
			return &Dataset{Load: rep}, err
		}
		return nil, err
	}
	if twice := ids.Repeats(); len(twice) > 0 {
		for _, i := range twice {
			id := ids.Key(i)
			rep.Reject(ingest.Skip{Line: int(lines[i]), Column: rep.Roles["customer_id"], Value: string(id), Code: "bad_stats",
				Reason: "customer_id " + strconv.Quote(string(id)) + " appears twice"}, ingest.ImpossibleStats, opt)
		}
		ids, extra, carry = st.drop(twice, ids, extra, carry)
	}
	lines = nil
	ids.Shrink() // looked up again only on demand
	st.clip()
	d := newStatsDataset(st, ids, extra, carry)
	d.Load = rep
	rep.Customers = st.len()
	for _, f := range ingest.StatsOptional {
		if _, ok := rep.Roles[f]; ok {
			d.statsFields = append(d.statsFields, f)
		}
	}
	return d, nil
}

// drop removes the customers at indexes out (ascending) from the table,
// their ids, optional fields and carried values.
func (st *statsTable) drop(out []int32, ids *ingest.Dict, extra []ingest.StatsExtra, carry []ingest.Carry) (*ingest.Dict, []ingest.StatsExtra, []ingest.Carry) {
	kept := ingest.NewDict(0)
	w, o := 0, 0
	for i := range st.len() {
		if o < len(out) && int(out[o]) == i {
			o++
			continue
		}
		kept.Append(ids.Key(int32(i)))
		st.first[w], st.last[w], st.orders[w], st.days[w], st.revenue[w] = st.first[i], st.last[i], st.orders[i], st.days[i], st.revenue[i]
		if extra != nil {
			extra[w] = extra[i]
		}
		for k := range carry {
			carry[k].Row[w] = carry[k].Row[i]
		}
		w++
	}
	st.first, st.last, st.orders, st.days, st.revenue = st.first[:w], st.last[:w], st.orders[:w], st.days[:w], st.revenue[:w]
	if extra != nil {
		extra = extra[:w]
	}
	for k := range carry {
		carry[k].Row = carry[k].Row[:w]
	}
	return kept, extra, carry
}

// statsTable holds a stats file's customers in columns, indexed by key
// (the order table's customer index).
type statsTable struct {
	first, last, orders, days []int32
	revenue                   []int64
}

// newStatsTable returns a table with room for n customers.
func newStatsTable(n int) *statsTable {
	return &statsTable{first: make([]int32, 0, n), last: make([]int32, 0, n), orders: make([]int32, 0, n),
		days: make([]int32, 0, n), revenue: make([]int64, 0, n)}
}

// clip gives back the room left over when far fewer rows were kept than
// the capacity guessed.
func (st *statsTable) clip() {
	if cap(st.first) > st.len()+st.len()/8+1024 {
		st.first, st.last, st.orders = slices.Clone(st.first), slices.Clone(st.last), slices.Clone(st.orders)
		st.days, st.revenue = slices.Clone(st.days), slices.Clone(st.revenue)
	}
}

func (st *statsTable) len() int { return len(st.first) }

// add appends one customer.
func (st *statsTable) add(s Stats) {
	st.first = append(st.first, s.First)
	st.last = append(st.last, s.Last)
	st.orders = append(st.orders, s.Orders)
	st.days = append(st.days, s.Days)
	st.revenue = append(st.revenue, s.Revenue)
}

// rows returns the number of order rows spread makes.
func (st *statsTable) rows() int64 {
	var n int64
	for c, o := range st.orders {
		n += int64(o)
		if st.revenue[c] < 0 {
			n++
		}
	}
	return n
}

// spread calls fn with each order row customer c stands for, in day
// order: its purchase days spread evenly from first to last, its orders
// over those days in turn, the revenue in equal parts (the remainder, in
// cents, on the first orders); a negative revenue becomes free sales and
// one refund line on the last day that nets it.
func (st *statsTable) spread(c int32, fn func(day int32, cents int64)) {
	first, revenue := st.first[c], st.revenue[c]
	span, days, orders := int64(st.last[c]-first), int64(st.days[c]), int64(st.orders[c])
	part, rest := max(revenue, 0)/orders, max(revenue, 0)%orders
	for j := int64(0); j < orders; j++ {
		day := purchaseDay(first, j*days/orders, span, days)
		cents := part
		if j < rest {
			cents++
		}
		fn(day, cents)
	}
	if revenue < 0 {
		// Refunds beyond what the kept sales paid (a sale row the
		// export lost, its refund kept): as the orders would net them.
		fn(st.last[c], revenue)
	}
}

// purchaseDay returns purchase day k of days spread evenly over the span
// days from first.
func purchaseDay(first int32, k, span, days int64) int32 {
	if days <= 1 {
		return first
	}
	return first + int32(k*span/(days-1))
}

// allSales tells whether every row customer c stands for is a sale that
// no rule touches under window w, for a customer who is no test account:
// no window cuts its history, and none is free (each order has at least
// a cent).
func (st *statsTable) allSales(c int32, w clean.Window) bool {
	return w.Start == 0 && w.End == 0 && st.last[c] < w.AsOf && st.revenue[c] >= int64(st.orders[c])
}

// newStatsDataset returns the dataset of a stats table whose customers'
// ids are ids (by index); extra, when not nil, holds their optional
// fields and carry their carried values, by customer.
func newStatsDataset(st *statsTable, ids *ingest.Dict, extra []ingest.StatsExtra, carry []ingest.Carry) *Dataset {
	d := &Dataset{
		Orders:     &ingest.Orders{Customers: ids, Channels: ingest.NewDict(0), Carry: carry},
		stats:      st,
		statsExtra: extra,
		schemes:    map[string]*segment.Compiled{},
	}
	d.LastDay = slices.Max(st.last)
	d.Load = &ingest.Report{
		Format: "stats", Roles: map[string]string{}, DateFormat: "ymd",
		RowsRead: st.len(), RowsKept: st.len(), Customers: st.len(),
	}
	return d
}

// fill gives o the order rows of every customer (spread), in customer
// order.
func (st *statsTable) fill(o *ingest.Orders) {
	n := int(st.rows())
	o.Cust, o.Day, o.Cents, o.Flags = make([]int32, 0, n), make([]int32, 0, n), make([]int64, 0, n), make([]uint8, n)
	for c := range st.len() {
		st.spread(int32(c), func(day int32, cents int64) {
			o.Cust = append(o.Cust, int32(c))
			o.Day = append(o.Day, day)
			o.Cents = append(o.Cents, cents)
		})
	}
}

// statsCustomers builds the customer table of a stats dataset for
// cleaning rules r and window w, customer by customer from the rows
// spread makes, exactly as clean.Rows and summary.Build would from the
// order table holding them, with no order table.
func (d *Dataset) statsCustomers(r clean.Rules, w clean.Window) (*summary.Customers, []clean.RuleCount) {
	st := d.stats
	tally := clean.NewTally(r, w)
	app := summary.NewAppender(d.Orders.Customers, d.Orders.Channels, st.len(), r.HunterDiscount)
	var gaps []int32
	for c := range int32(st.len()) {
		test := tally.Test(d.Orders.Customers.Key(c))
		if !test && st.allSales(c, w) {
			// The features follow from the spread directly.
			gaps = st.whole(c, app, gaps)
			continue
		}
		st.spread(c, func(day int32, cents int64) {
			switch tally.Row(day, cents, test) {
			case summary.Sale:
				app.Sale(day, cents)
			case summary.Adjustment:
				app.Adjust(cents)
			}
		})
		tally.Next()
		app.End(c)
	}
	return app.Table(), tally.Counts()
}

// whole appends customer c, all of whose rows are sales, to app with the
// features summary.Build computes from the rows spread makes: the largest
// order takes the remainder's cent, the purchase days are spread's, the
// weekend orders counted over its days. gaps is scratch.
func (st *statsTable) whole(c int32, app *summary.Appender, gaps []int32) []int32 {
	first, last, revenue := st.first[c], st.last[c], st.revenue[c]
	span, days, orders := int64(last-first), int64(st.days[c]), int64(st.orders[c])
	maxOrder := revenue / orders
	if revenue%orders > 0 {
		maxOrder++
	}
	// Order j falls on purchase day j × days / orders: day k holds the
	// orders from ⌈k × orders / days⌉ to before ⌈(k+1) × orders / days⌉.
	// Counting by day keeps a row that claims a billion orders cheap.
	var weekend int64
	gaps = gaps[:0]
	for k := int64(0); k < days; k++ {
		day := purchaseDay(first, k, span, days)
		if wd := summary.Weekday(day); wd == 0 || wd == 6 {
			weekend += ((k+1)*orders+days-1)/days - (k*orders+days-1)/days
		}
		if k > 0 {
			gaps = append(gaps, day-purchaseDay(first, k-1, span, days))
		}
	}
	median, lastGap := float32(-1), int32(-1)
	if days > 1 {
		lastGap = gaps[len(gaps)-1]
		slices.Sort(gaps)
		median = float32(summary.Median(gaps))
	}
	app.Whole(c, first, last, int32(orders), int32(days), revenue, maxOrder, median, lastGap, int32(weekend))
	return gaps
}

// share makes the table read its columns from t, the customer table
// cleaning built from it, when they hold the same values (no rule left
// anyone or anything out, as usual): the table's own copies are then
// freed. The customer table is not changed after cleaning.
func (st *statsTable) share(t *summary.Customers) {
	if t.Len() != st.len() || !slices.Equal(t.First, st.first) || !slices.Equal(t.Last, st.last) ||
		!slices.Equal(t.Orders, st.orders) || !slices.Equal(t.Days, st.days) || !slices.Equal(t.Revenue, st.revenue) {
		return
	}
	for i, k := range t.Key {
		if int(k) != i {
			return
		}
	}
	st.first, st.last, st.orders, st.days, st.revenue = t.First, t.Last, t.Orders, t.Days, t.Revenue
}

// statsBuyers is lifecycle.BuyerSplit on the rows of a stats dataset.
func (d *Dataset) statsBuyers(t *summary.Customers, asOf int32, days int) lifecycle.Split {
	tally := clean.NewTally(d.cleanRules, d.cleanWin)
	sp := lifecycle.NewSplitter(asOf, days)
	start, st := asOf-int32(days), d.stats
	for i, c := range t.Key {
		sp.Customer(t.First[i])
		if st.last[c] < start {
			continue // every row before the period
		}
		if st.allSales(c, d.cleanWin) {
			sp.Sales(st.since(c, start)) // every row a sale, as in whole
			continue
		}
		st.spread(c, func(day int32, cents int64) {
			if tally.Row(day, cents, false) == summary.Sale {
				sp.Sale(day, cents)
			}
		})
	}
	return sp.Split()
}

// since returns how many of customer c's orders (as spread makes them) fall
// on or after day start, and their value, without going over each order.
func (st *statsTable) since(c, start int32) (n, cents int64) {
	first, revenue := st.first[c], st.revenue[c]
	span, days, orders := int64(st.last[c]-first), int64(st.days[c]), int64(st.orders[c])
	// k0 is the first purchase day on or after start: purchase day k is
	// first + ⌊k × span / (days − 1)⌋.
	var k0 int64
	switch d0 := int64(start) - int64(first); {
	case d0 <= 0:
	case days == 1:
		k0 = days // the only purchase day is before start
	default:
		k0 = min(days, (d0*(days-1)+span-1)/span)
	}
	j0 := (k0*orders + days - 1) / days // its first order
	part, rest := max(revenue, 0)/orders, max(revenue, 0)%orders
	n = orders - j0
	return n, n*part + max(0, rest-j0)
}

// statsLast returns the last day of a stats dataset's rows inside the
// window from start to end (0 = open), or false for none.
func (d *Dataset) statsLast(start, end int32) (int32, bool) {
	last, ok := int32(0), false
	for c := range int32(d.stats.len()) {
		d.stats.spread(c, func(day int32, _ int64) {
			if (start == 0 || day >= start) && (end == 0 || day <= end) && (!ok || day > last) {
				last, ok = day, true
			}
		})
	}
	return last, ok
}

// rowLevel makes sure the order table has its rows and d.disp their
// dispositions under the cleaning knobs of the last Run: a dataset read
// from stats makes them (spread) on first use, for what reads order rows
// (predictions, migration, the points what-if, the GMV tree).
//
// A stats file may stand for far more orders than fit in memory (a row
// claims a billion orders): beyond MaxStatsRows rows none are made and
// rowLevel says so.
func (d *Dataset) rowLevel() error {
	if d.stats == nil || d.disp != nil {
		return nil
	}
	if len(d.Orders.Cust) == 0 {
		if n := d.stats.rows(); n > MaxStatsRows {
			return fmt.Errorf("%w: the stats stand for %d orders; what reads each order (predictions, migration, the GMV tree) takes at most %d", ErrTooManyOrders, n, MaxStatsRows)
		}
		d.stats.fill(d.Orders)
	}
	d.disp, _ = clean.Rows(d.Orders, d.cleanRules, d.cleanWin)
	return nil
}

// MaxStatsRows is the most order rows a stats dataset makes for what
// reads each order (about 2.3 GB of rows).
const MaxStatsRows = 1 << 27

// ErrTooManyOrders is wrapped by what needs a stats file's order rows when
// the file stands for more than MaxStatsRows orders.
var ErrTooManyOrders = errors.New("too many orders")

// StatsFields names the optional stats fields the dataset was read with
// (nil for an order file). Without them, the columns they determine are
// estimated from even spacing (see FromStats).
func (d *Dataset) StatsFields() []string { return d.statsFields }

// hasStats tells whether the stats file had optional field f.
func (d *Dataset) hasStats(f string) bool { return slices.Contains(d.statsFields, f) }

// repeatSpend makes the amounts of each customer's purchase days after
// the first carry repeat_revenue, in equal whole cents, when the stats
// file gives it: the rows FromStats spread hold net revenue, refunds
// included, where the predictions read the repeat purchases alone.
func (d *Dataset) repeatSpend(t *summary.Customers, amounts [][]float64) {
	if !d.hasStats("repeat_revenue") {
		return
	}
	for i, a := range amounts {
		later := int64(len(a) - 1)
		if later < 1 {
			continue
		}
		r := d.statsExtra[t.Key[i]].Repeat
		for k := range a[1:] {
			c := r / later
			if int64(k) < r%later {
				c++
			}
			a[k+1] = float64(c) / 100
		}
	}
}

// applyStats writes the optional stats fields present over the estimates
// summary.Build made from the evenly spaced rows (customers are matched
// by key).
func (d *Dataset) applyStats(t *summary.Customers) {
	if len(d.statsFields) == 0 {
		return
	}
	for i, key := range t.Key {
		e := &d.statsExtra[key]
		for _, f := range d.statsFields {
			switch f {
			case "max_order":
				t.MaxOrder[i] = e.MaxOrder
			case "median_gap":
				t.MedianGap[i] = e.MedianGap
			case "last_gap":
				t.LastGap[i] = e.LastGap
			case "discount":
				t.Discount[i] = e.Discount
			case "discount_orders":
				t.DiscountOrders[i] = e.DiscountOrders
			case "heavy_orders":
				t.HeavyOrders[i] = e.HeavyOrders
			case "weekend_orders":
				t.WeekendOrders[i] = e.WeekendOrders
			case "refund_lines":
				t.Refunds[i] = e.Refunds
			case "first_channel":
				t.FirstChannel[i] = -1
				if e.FirstChannel != "" {
					t.FirstChannel[i] = d.Orders.Channels.Index([]byte(e.FirstChannel))
				}
			}
		}
	}
	t.HasDiscount = t.HasDiscount || d.hasStats("discount")
	t.HasChannel = t.HasChannel || d.hasStats("first_channel")
	t.Channels = d.Orders.Channels
}

// FromStats builds a Dataset from per-customer stats, so that a scenario
// runs on them exactly as on an order file. Each customer stands for
// Orders order rows with no order id: the purchase days are spread evenly
// from First to Last, the orders over those days in turn, and the revenue
// in equal parts (the remainder, in cents, on the first orders). Features
// the stats do not carry are therefore estimates: gaps between purchases
// are even, and there are no discounts, channels or refunds. The rows are
// made only when something reads them (predictions, migration); scoring
// works from the stats themselves.
//
// fields names the optional fields (ingest.StatsOptional) every record's
// Extra holds; the others are estimated as above.
func FromStats(stats []Stats, fields ...string) (*Dataset, error) {
	for _, f := range fields {
		if !slices.Contains(ingest.StatsOptional, f) {
			return nil, fmt.Errorf("stats: %w: %q is not an optional stats field (%s)", ErrBadStats, f, strings.Join(ingest.StatsOptional, ", "))
		}
	}
	if len(stats) == 0 {
		return nil, fmt.Errorf("stats: %w: no customers", ErrBadStats)
	}
	ids := ingest.NewDict(len(stats))
	st := newStatsTable(len(stats))
	var extra []ingest.StatsExtra
	for i, s := range stats {
		if err := s.Validate(i); err != nil {
			return nil, err
		}
		if int(ids.Index([]byte(s.ID))) != i {
			return nil, &StatsError{Index: i, Field: "customer_id", Value: strconv.Quote(s.ID), Reason: "appears twice"}
		}
		st.add(s)
		if len(fields) > 0 {
			extra = append(extra, s.Extra)
		}
	}
	if n := st.rows(); n > 1<<31-1 {
		return nil, fmt.Errorf("stats: %w: %d orders in all; too many", ErrBadStats, n)
	}
	d := newStatsDataset(st, ids, extra, nil)
	d.statsFields = slices.Clone(fields)
	return d, nil
}
