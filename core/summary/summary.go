// Package summary builds the columnar Customers table from cleaned order
// rows: one pass groups rows by customer, then each customer's orders are
// reduced to the features every later step reads.
package summary

import (
	"cmp"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"

	"segsim/core/calendar"
	"segsim/core/ingest"
)

// Row dispositions, as decided by the cleaning rules.
const (
	Sale       uint8 = iota // an order line that counts
	Adjustment              // a refund line: nets revenue, is not an order
	Dropped                 // left out by a rule
)

// Customer flags.
const (
	FlagOutlier      uint8 = 1 << iota // revenue above the outlier percentile
	FlagRewardHunter                   // almost every order heavily discounted
	FlagCapped                         // revenue capped at the outlier threshold
)

// Customers is the per-customer feature table. Customer i is described by
// the i-th element of every column. Money is in minor units (cents), days
// are day numbers (days since 1970-01-01).
type Customers struct {
	Key      []int32 // index into the order table's customer dictionary
	First    []int32 // day of first purchase
	Last     []int32 // day of last purchase
	Orders   []int32 // distinct orders (rows when there is no order id)
	Days     []int32 // distinct purchase days
	Revenue  []int64 // sum of order values, net of refund lines
	MaxOrder []int64 // largest order value
	// MedianGap and LastGap are the median gap between consecutive purchase
	// days and the gap before the last purchase day; -1 with one purchase day.
	MedianGap []float32
	LastGap   []int32
	Discount  []int64 // discount given, summed
	// DiscountOrders counts orders with any discount, HeavyOrders those whose
	// discount was at least Heavy of the list value (paid + discount).
	DiscountOrders []int32
	HeavyOrders    []int32
	WeekendOrders  []int32
	Refunds        []int32 // refund lines netted into revenue
	FirstChannel   []int32 // channel index of the first order, -1 when unknown
	Flags          []uint8

	// Grouped holds, for a table Build made, the rows it read (sales and
	// refund lines) customer by customer, in day order when the days
	// allowed a counting sort (Sorted); nil for a table made otherwise.
	Grouped *Grouping
	// Totals holds, for a table Build made, its customers' buyers, orders
	// and sales by calendar month (the buyer series reads them); nil for a
	// table made otherwise, or when the days read span centuries.
	Totals *MonthTotals

	IDs      *ingest.Dict // customer ids (shared with the order table)
	Channels *ingest.Dict
	// HasDiscount and HasChannel tell whether those columns existed.
	HasDiscount, HasChannel bool
	// Heavy is the discount share that makes an order heavily discounted.
	Heavy float64
}

// Grouping is an order table's kept rows grouped by customer: customer c
// of the order table (a Key value) has rows Rows[Start[c]:Start[c+1]].
type Grouping struct {
	Start, Rows []int32
	Sorted      bool // each customer's rows are in day order, then file order
}

// MonthTotals are the buyers, orders and sale lines of Customers
// customers by calendar month: Months[k] is month First+k (months since
// year 0, year × 12 + month − 1). A customer is new in the month of their
// first sale and returning in later ones; an order counts in the month of
// its earliest line, a line's value in its own month.
type MonthTotals struct {
	First     int32
	Months    []MonthTotal
	Customers int // the customers counted: the table's before customer rules left any out
}

// MonthTotal is one month of MonthTotals.
type MonthTotal struct {
	NewBuyers, ReturningBuyers, NewOrders, ReturningOrders int
	NewCents, ReturningCents                               int64
}

// add adds u's months and customers to m (both over the same months).
func (m *MonthTotals) add(u *MonthTotals) {
	for k, x := range u.Months {
		y := &m.Months[k]
		y.NewBuyers += x.NewBuyers
		y.ReturningBuyers += x.ReturningBuyers
		y.NewOrders += x.NewOrders
		y.ReturningOrders += x.ReturningOrders
		y.NewCents += x.NewCents
		y.ReturningCents += x.ReturningCents
	}
	m.Customers += u.Customers
}

// Len returns the number of customers.
func (c *Customers) Len() int { return len(c.Key) }

// ID returns customer i's id.
func (c *Customers) ID(i int) string { return string(c.IDs.Key(c.Key[i])) }

// Rows returns, for each of the n customers of the order table's
// dictionary (Key's range), their index in c, or -1 for those c leaves
// out.
func (c *Customers) Rows(n int) []int32 {
	rows := make([]int32, n)
	for i := range rows {
		rows[i] = -1
	}
	for i, k := range c.Key {
		rows[k] = int32(i)
	}
	return rows
}

// AOV returns customer i's average order value in cents: revenue over
// orders, truncated.
func (c *Customers) AOV(i int) int64 { return c.Revenue[i] / int64(max(c.Orders[i], 1)) }

// order is one order while a customer's rows are reduced.
type order struct {
	h       uint64
	cents   int64
	disc    int64
	day     int32
	channel int32
	row     int32
	adjust  bool // an adjustment line (a refund), not a sale
}

// Build groups rows with disposition Sale or Adjustment by customer and
// computes each customer's features. Customers with no Sale row are left
// out. heavy is the discount share (e.g. 0.5) that makes an order heavily
// discounted.
func Build(o *ingest.Orders, disp []uint8, heavy float64) *Customers {
	nc := o.Customers.Len()
	start := make([]int32, nc+1)
	sales := make([]int32, nc)
	for lo := 0; lo < len(o.Cust); lo += block {
		hi := min(len(o.Cust), lo+block)
		countRows(o.Cust[lo:hi], disp[lo:hi], start, sales)
	}
	active := 0
	for c := 0; c < nc; c++ {
		if sales[c] > 0 {
			active++
		}
		start[c+1] += start[c]
	}
	// Each customer's rows, in day order when the days allow a counting
	// sort: the orders then arrive sorted and mergeLines need not sort.
	rows := make([]int32, start[nc])
	fill := slices.Clone(start[:nc])
	kept := keptDays(o.Day, disp)
	seq, seqCust := dayOrder(o.Day, o.Cust, disp, kept)
	sorted := seq != nil
	if !sorted {
		seq = make([]int32, 0, start[nc])
		for i, d := range disp {
			if d != Dropped {
				seq = append(seq, int32(i))
			}
		}
		for lo := 0; lo < len(seq); lo += block {
			place(seq[lo:min(len(seq), lo+block)], o.Cust, rows, fill)
		}
	} else {
		for lo := 0; lo < len(seq); lo += block {
			hi := min(len(seq), lo+block)
			placeBy(seq[lo:hi], seqCust[lo:hi], rows, fill)
		}
	}
	seq, seqCust = nil, nil
	fill = nil
	t := newCustomers(active)
	t.Grouped = &Grouping{Start: start, Rows: rows, Sorted: sorted}
	t.IDs, t.Channels = o.Customers, o.Channels
	t.HasDiscount, t.HasChannel = o.Discount != nil, o.Channel != nil
	t.Heavy = heavy
	months := newMonths(kept.lo, kept.hi)
	g := grouper{o: o, disp: disp, t: t, rows: rows, start: start, months: months, sorted: sorted}
	if runtime.GOMAXPROCS(0) < 2 || active < parallelCustomers {
		g.customers(0, nc, sales)
		t.Totals = g.totals()
		return t
	}
	// Two halves of the customers at once (the command line; the page's
	// WebAssembly has one thread), the second into a table of its own
	// appended after the first: the same table in the same order.
	// The halves hold as many rows each (the first customers of a file
	// tend to have more).
	mid, _ := slices.BinarySearch(start, start[nc]/2)
	mid = min(mid, nc)
	seen := 0
	for _, n := range sales[:mid] {
		if n > 0 {
			seen++
		}
	}
	t2 := newCustomers(active - seen)
	t2.Heavy = heavy
	g2 := grouper{o: o, disp: disp, t: t2, rows: rows, start: start, months: months, sorted: sorted}
	var wg sync.WaitGroup
	wg.Go(func() { g2.customers(mid, nc, sales) })
	g.customers(0, mid, sales)
	wg.Wait()
	t.append(t2)
	if t.Totals = g.totals(); t.Totals != nil {
		t.Totals.add(g2.totals())
	}
	return t
}

// parallelCustomers is the fewest customers Build splits between two
// goroutines (a variable for the tests).
var parallelCustomers = 20000

// customers appends the customers from lo to hi (order-table indexes)
// who have a sale.
func (g *grouper) customers(lo, hi int, sales []int32) {
	start := g.start
	for c := lo; c < hi; {
		// The rows of the next customers, up to block rows (or one
		// customer's, if more), are gathered first, column by column:
		// their values lie at scattered rows, and a loop of such reads
		// alone keeps many of them under way at once.
		e := c + 1
		for e < hi && start[e+1]-start[c] <= block {
			e++
		}
		g.gather(start[c], start[e])
		for ; c < e; c++ {
			if sales[c] > 0 {
				g.customer(int32(c))
			}
		}
	}
}

// gather reads the rows from grouped position lo to hi into g.lines.
func (g *grouper) gather(lo, hi int32) {
	o, disp := g.o, g.disp
	day, cents, ids, disc, channel := o.Day, o.Cents, o.Order, o.Discount, o.Channel
	rows := g.rows[lo:hi]
	lines := slices.Grow(g.lines[:0], len(rows))[:len(rows)]
	g.lines, g.linesFrom = lines, lo
	for k, r := range rows {
		lines[k] = order{h: uint64(r), channel: -1, row: r, adjust: disp[r] == Adjustment}
	}
	for k, r := range rows {
		lines[k].day = day[r]
	}
	for k, r := range rows {
		lines[k].cents = cents[r]
	}
	if ids != nil {
		for k, r := range rows {
			lines[k].h = ids[r]
		}
	}
	if disc != nil {
		for k, r := range rows {
			lines[k].disc = disc[r]
		}
	}
	if channel != nil {
		for k, r := range rows {
			lines[k].channel = channel[r]
		}
	}
}

// block is how many rows the loops over every row take per call:
// WebAssembly engines optimize a function when it is called again, and a
// loop inside a function called once runs unoptimized to the end.
const block = 1 << 14

// countRows counts, per customer, the rows kept (start, shifted by one)
// and the sales among them.
func countRows(cust []int32, disp []uint8, start, sales []int32) {
	for i, c := range cust {
		if disp[i] != Dropped {
			start[c+1]++
			if disp[i] == Sale {
				sales[c]++
			}
		}
	}
}

// placeBy puts rows seq, of customers cust (one per row), at their
// customer's next place: the rows of a day order are scattered over the
// file, and reading their customers from it would wait on memory per row.
func placeBy(seq, cust, rows, fill []int32) {
	for k, i := range seq {
		c := cust[k]
		rows[fill[c]] = i
		fill[c]++
	}
}

// place puts rows seq at their customer's next place.
func place(seq, cust, rows, fill []int32) {
	for _, i := range seq {
		c := cust[i]
		rows[fill[c]] = i
		fill[c]++
	}
}

// grouper turns each customer's rows into orders and features. Its work
// per customer is a method, not the body of one long loop, because
// WebAssembly engines optimize a function when it is called again: a loop
// inside a function called once runs unoptimized to the end.
type grouper struct {
	o           *ingest.Orders
	disp        []uint8
	t           *Customers
	rows, start []int32
	lines       []order // rows gathered from row linesFrom (gather)
	linesFrom   int32
	days, gaps  []int32
	// months gives each day's month; tot counts by month (nil without a
	// month table); seen is scratch for a customer's months.
	months *monthTable
	tot    []MonthTotal
	count  int
	seen   []int32
	ids    idSet // order ids of a customer with many lines (hasRepeats)
	sorted bool  // each customer's rows are in day order (Grouping.Sorted)
}

// monthTable holds the month (months since year 0) of each day from lo.
type monthTable struct {
	lo    int32
	first int32 // the month of day lo
	of    []int32
}

// newMonths returns the months of the days from lo to hi, or nil when
// they span more than 2¹⁷ days.
func newMonths(lo, hi int32) *monthTable {
	if hi < lo || int64(hi)-int64(lo) >= 1<<17 {
		return nil
	}
	t := &monthTable{lo: lo, of: make([]int32, hi-lo+1)}
	y, m, _ := calendar.Civil(lo)
	t.first = int32(y*12 + m - 1)
	for d := lo; d <= hi; {
		end := calendar.FromCivil(y, m, 1) + int32(calendar.DaysIn(y, m))
		for ; d < end && d <= hi; d++ {
			t.of[d-lo] = int32(y*12 + m - 1)
		}
		if m++; m > 12 {
			y, m = y+1, 1
		}
	}
	return t
}

// totals returns what the grouper counted.
func (g *grouper) totals() *MonthTotals {
	if g.months == nil {
		return nil
	}
	if g.tot == nil { // no customer
		g.tot = make([]MonthTotal, g.months.count())
	}
	return &MonthTotals{First: g.months.first, Months: g.tot, Customers: g.count}
}

// count returns the number of months the table covers.
func (t *monthTable) count() int {
	if len(t.of) == 0 {
		return 0
	}
	return int(t.of[len(t.of)-1]-t.first) + 1
}

// countMonths counts one customer's sale lines (before they are merged
// into orders) by month, and returns the month of the first (from the
// table's first month), for countOrders.
func (g *grouper) countMonths(lines []order) int32 {
	mt := g.months
	if mt == nil {
		return 0
	}
	if g.tot == nil {
		g.tot = make([]MonthTotal, mt.count())
	}
	// Lines Build placed in day order need no look for the first.
	first, inOrder := lines[0].day, true
	for i := 1; i < len(lines) && !g.sorted; i++ {
		inOrder = inOrder && lines[i].day >= lines[i-1].day
		first = min(first, lines[i].day)
	}
	fm := mt.of[first-mt.lo] - mt.first
	// Lines in day order (as Build places them when it can) have their
	// months in order: a new month is one unlike the line before's.
	seen, prev := g.seen[:0], int32(-1)
	for _, l := range lines {
		k := mt.of[l.day-mt.lo] - mt.first
		if k == fm {
			g.tot[k].NewCents += l.cents
		} else {
			g.tot[k].ReturningCents += l.cents
		}
		fresh := k != prev
		if !inOrder {
			if fresh = !slices.Contains(seen, k); fresh {
				seen = append(seen, k)
			}
		}
		prev = k
		if fresh {
			if k == fm {
				g.tot[k].NewBuyers++
			} else {
				g.tot[k].ReturningBuyers++
			}
		}
	}
	g.seen = seen
	g.count++
	return fm
}

// countOrders counts one customer's orders (merged) by the month of their
// earliest line; fm is the month of the customer's first (countMonths).
func (g *grouper) countOrders(orders []order, fm int32) {
	mt := g.months
	if mt == nil {
		return
	}
	for _, od := range orders {
		if k := mt.of[od.day-mt.lo] - mt.first; k == fm {
			g.tot[k].NewOrders++
		} else {
			g.tot[k].ReturningOrders++
		}
	}
}

// customer appends customer c, who has at least one sale, to the table.
func (g *grouper) customer(c int32) {
	o, t := g.o, g.t
	subs := o.Sub
	// The customer's gathered lines (gather) become its orders in place.
	lines := g.lines[g.start[c]-g.linesFrom : g.start[c+1]-g.linesFrom]
	n := 0
	var adjust, sub int64
	var refunds int32
	for k := range lines {
		l := lines[k]
		if subs != nil {
			sub += int64(subs[l.row])
		}
		if l.adjust {
			adjust += l.cents
			refunds++
			continue
		}
		lines[n] = l
		n++
	}
	fm := g.countMonths(lines[:n])
	orders := mergeLines(lines[:n], o.Order != nil, &g.ids)
	g.countOrders(orders, fm)
	g.days, g.gaps = reduce(t, orders, g.days, g.gaps)
	t.Key = append(t.Key, c)
	t.Revenue[len(t.Key)-1] = RoundSub(t.Revenue[len(t.Key)-1]+adjust, sub)
	t.Refunds = append(t.Refunds, refunds)
}

// Median returns the median of sorted values: the middle one, or the
// mean of the two middle ones; 0 for none.
func Median[T ~int32 | ~int64](sorted []T) float64 {
	n := len(sorted)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return float64(sorted[n/2])
	}
	return (float64(sorted[n/2-1]) + float64(sorted[n/2])) / 2
}

// medianOf returns Median of v, reordering v: a few values are sorted, more
// are selected (see Select), which a loyal customer's hundreds of gaps
// make worth it.
func medianOf(v []int32) float64 {
	n := len(v)
	if n <= selectMin {
		slices.Sort(v)
		return Median(v)
	}
	hi := Select(v, n/2) // and v[:n/2] hold the smaller values
	if n%2 == 1 {
		return float64(hi)
	}
	return (float64(slices.Max(v[:n/2])) + float64(hi)) / 2
}

// selectMin is the most values medianOf sorts.
const selectMin = 12

// RoundSub returns cents + sub/10000 cents (sub ≥ 0, the fractions of a
// cent that quantity × unit price left) rounded half away from zero to
// whole cents: a customer's revenue is rounded once, from the exact sum.
func RoundSub(cents, sub int64) int64 {
	q := cents + sub/10000
	r := sub % 10000
	switch {
	case r == 0:
		return q
	case q >= 0:
		if r >= 5000 {
			q++
		}
		return q
	}
	// q + r/10000 < 0: its magnitude is (-q-1) + (10000-r)/10000.
	if 10000-r >= 5000 {
		return q
	}
	return q + 1
}

// dayOrder returns the rows that are not dropped sorted by day and then by
// row (a counting sort), with the customer of each, or nils when the days
// span far more values than there are rows; kept is keptDays(day, disp).
func dayOrder(day, cust []int32, disp []uint8, kept span) (rows, custs []int32) {
	lo, hi, n := kept.lo, kept.hi, kept.n
	if n == 0 || int64(hi)-int64(lo) > 4*int64(n)+4096 {
		return nil, nil
	}
	next := make([]int32, int(hi-lo)+1)
	for a := 0; a < len(day); a += block {
		b := min(len(day), a+block)
		countDays(day[a:b], disp[a:b], next, lo)
	}
	var sum int32
	for k, c := range next {
		next[k] = sum
		sum += c
	}
	rows, custs = make([]int32, n), make([]int32, n)
	for a := 0; a < len(day); a += block {
		b := min(len(day), a+block)
		placeDays(a, day[a:b], cust[a:b], disp[a:b], next, rows, custs, lo)
	}
	return rows, custs
}

// span is the first and last day of the rows kept, and how many there are.
type span struct {
	lo, hi int32
	n      int
}

// keptDays returns the span of the rows kept.
func keptDays(day []int32, disp []uint8) span {
	k := span{lo: math.MaxInt32, hi: math.MinInt32}
	for a := 0; a < len(day); a += block {
		b := min(len(day), a+block)
		l, h, n := dayRange(day[a:b], disp[a:b])
		k.lo, k.hi, k.n = min(k.lo, l), max(k.hi, h), k.n+n
	}
	return k
}

// dayRange returns the first and last day of the rows kept, and how many.
func dayRange(day []int32, disp []uint8) (lo, hi int32, n int) {
	lo, hi = math.MaxInt32, math.MinInt32
	for i, d := range day {
		if disp[i] != Dropped {
			lo, hi = min(lo, d), max(hi, d)
			n++
		}
	}
	return lo, hi, n
}

// countDays counts the rows kept per day (from lo).
func countDays(day []int32, disp []uint8, count []int32, lo int32) {
	for i, d := range day {
		if disp[i] != Dropped {
			count[d-lo]++
		}
	}
}

// placeDays puts the rows kept (numbered from base), and their customers,
// at their day's next place.
func placeDays(base int, day, cust []int32, disp []uint8, next, out, custs []int32, lo int32) {
	for i, d := range day {
		if disp[i] != Dropped {
			at := next[d-lo]
			out[at], custs[at] = int32(base+i), cust[i]
			next[d-lo]++
		}
	}
}

func newCustomers(n int) *Customers {
	return &Customers{
		Key:            make([]int32, 0, n),
		First:          make([]int32, 0, n),
		Last:           make([]int32, 0, n),
		Orders:         make([]int32, 0, n),
		Days:           make([]int32, 0, n),
		Revenue:        make([]int64, 0, n),
		MaxOrder:       make([]int64, 0, n),
		MedianGap:      make([]float32, 0, n),
		LastGap:        make([]int32, 0, n),
		Discount:       make([]int64, 0, n),
		DiscountOrders: make([]int32, 0, n),
		HeavyOrders:    make([]int32, 0, n),
		WeekendOrders:  make([]int32, 0, n),
		Refunds:        make([]int32, 0, n),
		FirstChannel:   make([]int32, 0, n),
		Flags:          make([]uint8, 0, n),
	}
}

// mergeLines folds order lines with the same order id into one order
// (dated by its first line) and sorts the orders by day, then file order.
// Most customers' lines are distinct orders: that is checked without
// sorting, and only customers with repeated ids are sorted by id.
func mergeLines(orders []order, byID bool, set *idSet) []order {
	if byID && len(orders) > 1 && hasRepeats(orders, set) {
		slices.SortStableFunc(orders, func(a, b order) int {
			switch {
			case a.h < b.h:
				return -1
			case a.h > b.h:
				return 1
			}
			return 0
		})
		w := 0
		for i := 0; i < len(orders); i++ {
			if w > 0 && orders[w-1].h == orders[i].h {
				m := &orders[w-1]
				m.cents += orders[i].cents
				m.disc += orders[i].disc
				if orders[i].day < m.day || (orders[i].day == m.day && orders[i].row < m.row) {
					m.day, m.row, m.channel = orders[i].day, orders[i].row, orders[i].channel
				}
				continue
			}
			orders[w] = orders[i]
			w++
		}
		orders = orders[:w]
	}
	for i := 1; i < len(orders); i++ {
		if orders[i].day < orders[i-1].day || (orders[i].day == orders[i-1].day && orders[i].row < orders[i-1].row) {
			slices.SortFunc(orders, func(a, b order) int {
				if a.day != b.day {
					return int(a.day - b.day)
				}
				return int(a.row - b.row)
			})
			break
		}
	}
	return orders
}

// hasRepeats tells whether two lines share an order id. set (nil for a
// new one) holds the ids of a customer with many lines.
func hasRepeats(orders []order, set *idSet) bool {
	if len(orders) <= repeatsQuadratic {
		for i := 1; i < len(orders); i++ {
			for j := 0; j < i; j++ {
				if orders[i].h == orders[j].h {
					return true
				}
			}
		}
		return false
	}
	if set == nil {
		set = new(idSet)
	}
	set.reset(len(orders))
	for _, o := range orders {
		if set.add(o.h) {
			return true
		}
	}
	return false
}

// repeatsQuadratic is the most values Repeats compares pair by pair.
const repeatsQuadratic = 24

// Repeats tells whether two of hs are equal (order-id hashes, usually a
// customer's few): a few are compared pair by pair, more go into a hash
// set.
func Repeats(hs []uint64) bool {
	if len(hs) <= repeatsQuadratic {
		for i := 1; i < len(hs); i++ {
			for j := 0; j < i; j++ {
				if hs[i] == hs[j] {
					return true
				}
			}
		}
		return false
	}
	var set idSet
	set.reset(len(hs))
	for _, h := range hs {
		if set.add(h) {
			return true
		}
	}
	return false
}

// idSet is a set of 64-bit ids by open addressing, whose memory is used
// again from customer to customer. 0 marks an empty slot; a zero id is
// noted apart.
type idSet struct {
	table []uint64
	shift uint
	zero  bool
}

// reset empties the set for up to n ids.
func (s *idSet) reset(n int) {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	if cap(s.table) < size {
		s.table = make([]uint64, size)
	} else {
		s.table = s.table[:size]
		clear(s.table)
	}
	s.shift = uint(64 - bits.Len(uint(size-1)))
	s.zero = false
}

// add adds id and tells whether it was there already.
func (s *idSet) add(id uint64) bool {
	if id == 0 {
		was := s.zero
		s.zero = true
		return was
	}
	mask := uint64(len(s.table) - 1)
	for i := (id * 0x9e3779b97f4a7c15) >> s.shift; ; i = (i + 1) & mask {
		switch s.table[i] {
		case 0:
			s.table[i] = id
			return false
		case id:
			return true
		}
	}
}

// reduce appends one customer's features from its orders, sorted by day.
func reduce(t *Customers, orders []order, days, gaps []int32) ([]int32, []int32) {
	days = days[:0]
	var rev, maxOrder, disc int64
	var discN, heavyN, weekend int32
	for i, od := range orders {
		rev += od.cents
		maxOrder = max(maxOrder, od.cents)
		disc += od.disc
		if od.disc > 0 {
			discN++
			if list := od.cents + od.disc; list > 0 && float64(od.disc) >= t.Heavy*float64(list) {
				heavyN++
			}
		}
		if wd := Weekday(od.day); wd == 0 || wd == 6 {
			weekend++
		}
		if i == 0 || od.day != orders[i-1].day {
			days = append(days, od.day)
		}
	}
	gaps = gaps[:0]
	for i := 1; i < len(days); i++ {
		gaps = append(gaps, days[i]-days[i-1])
	}
	median := float32(-1)
	lastGap := int32(-1)
	if len(gaps) > 0 {
		lastGap = gaps[len(gaps)-1]
		median = float32(medianOf(gaps))
	}
	t.add(row{first: orders[0].day, last: orders[len(orders)-1].day, orders: int32(len(orders)), days: int32(len(days)),
		revenue: rev, maxOrder: maxOrder, median: median, lastGap: lastGap, discount: disc,
		discountOrders: discN, heavyOrders: heavyN, weekend: weekend, channel: orders[0].channel})
	return days, gaps
}

// row is one customer's features but the key and refunds.
type row struct {
	first, last, orders, days            int32
	revenue, maxOrder, discount          int64
	median                               float32
	lastGap, discountOrders, heavyOrders int32
	weekend, channel                     int32
}

// add appends a customer's features but the key and refunds.
func (t *Customers) add(r row) {
	t.First = append(t.First, r.first)
	t.Last = append(t.Last, r.last)
	t.Orders = append(t.Orders, r.orders)
	t.Days = append(t.Days, r.days)
	t.Revenue = append(t.Revenue, r.revenue)
	t.MaxOrder = append(t.MaxOrder, r.maxOrder)
	t.MedianGap = append(t.MedianGap, r.median)
	t.LastGap = append(t.LastGap, r.lastGap)
	t.Discount = append(t.Discount, r.discount)
	t.DiscountOrders = append(t.DiscountOrders, r.discountOrders)
	t.HeavyOrders = append(t.HeavyOrders, r.heavyOrders)
	t.WeekendOrders = append(t.WeekendOrders, r.weekend)
	t.FirstChannel = append(t.FirstChannel, r.channel)
	t.Flags = append(t.Flags, 0)
}

// Weekday returns the day of the week of a day number, 0 = Sunday.
func Weekday(day int32) int {
	return int(((day % 7) + 7 + 4) % 7) // 1970-01-01 was a Thursday
}

// append appends the customers of u, a table of the same order table.
func (c *Customers) append(u *Customers) {
	c.Key, c.First, c.Last, c.Orders, c.Days = append(c.Key, u.Key...), append(c.First, u.First...), append(c.Last, u.Last...), append(c.Orders, u.Orders...), append(c.Days, u.Days...)
	c.Revenue, c.MaxOrder, c.MedianGap, c.LastGap = append(c.Revenue, u.Revenue...), append(c.MaxOrder, u.MaxOrder...), append(c.MedianGap, u.MedianGap...), append(c.LastGap, u.LastGap...)
	c.Discount, c.DiscountOrders, c.HeavyOrders, c.WeekendOrders = append(c.Discount, u.Discount...), append(c.DiscountOrders, u.DiscountOrders...), append(c.HeavyOrders, u.HeavyOrders...), append(c.WeekendOrders, u.WeekendOrders...)
	c.Refunds, c.FirstChannel, c.Flags = append(c.Refunds, u.Refunds...), append(c.FirstChannel, u.FirstChannel...), append(c.Flags, u.Flags...)
}

// Filter keeps the customers for which keep is true, in order.
func (c *Customers) Filter(keep []bool) {
	w := 0
	for i, k := range keep {
		if !k {
			continue
		}
		c.Key[w], c.First[w], c.Last[w], c.Orders[w], c.Days[w] = c.Key[i], c.First[i], c.Last[i], c.Orders[i], c.Days[i]
		c.Revenue[w], c.MaxOrder[w], c.MedianGap[w], c.LastGap[w] = c.Revenue[i], c.MaxOrder[i], c.MedianGap[i], c.LastGap[i]
		c.Discount[w], c.DiscountOrders[w], c.HeavyOrders[w], c.WeekendOrders[w] = c.Discount[i], c.DiscountOrders[i], c.HeavyOrders[i], c.WeekendOrders[i]
		c.Refunds[w], c.FirstChannel[w], c.Flags[w] = c.Refunds[i], c.FirstChannel[i], c.Flags[i]
		w++
	}
	c.truncate(w)
}

// truncate keeps the first n customers.
func (c *Customers) truncate(n int) {
	c.Key, c.First, c.Last, c.Orders, c.Days = c.Key[:n], c.First[:n], c.Last[:n], c.Orders[:n], c.Days[:n]
	c.Revenue, c.MaxOrder, c.MedianGap, c.LastGap = c.Revenue[:n], c.MaxOrder[:n], c.MedianGap[:n], c.LastGap[:n]
	c.Discount, c.DiscountOrders, c.HeavyOrders, c.WeekendOrders = c.Discount[:n], c.DiscountOrders[:n], c.HeavyOrders[:n], c.WeekendOrders[:n]
	c.Refunds, c.FirstChannel, c.Flags = c.Refunds[:n], c.FirstChannel[:n], c.Flags[:n]
}

// Appender builds a Customers table one customer at a time from rows made
// on the fly, for a caller with no order table (a per-customer stats
// file, a request for one customer). Rows have no discount or channel;
// each sale row is an order, or a line of one (Order). A customer's
// features are those Build computes from the same rows.
type Appender struct {
	t          *Customers
	orders     []order
	days, gaps []int32
	adjust     int64
	refunds    int32
	row        int32
	byID       bool // the current customer's rows came through Order
}

// NewAppender returns an Appender for about n customers whose ids are in
// ids (keys index it); heavy is as in Build.
func NewAppender(ids, channels *ingest.Dict, n int, heavy float64) *Appender {
	t := newCustomers(n)
	t.IDs, t.Channels, t.Heavy = ids, channels, heavy
	return &Appender{t: t}
}

// Sale adds a sale row of the current customer. Rows come in day order.
func (a *Appender) Sale(day int32, cents int64) {
	a.orders = append(a.orders, order{day: day, cents: cents, channel: -1, row: a.row, h: uint64(a.row)})
	a.row++
}

// Order adds a sale row of the current customer that belongs to the
// order with id: rows of one order are summed into one, dated by its
// first row, as Build does with an order id column. A customer's sale
// rows all come through Sale or all through Order.
func (a *Appender) Order(day int32, cents int64, id uint64) {
	a.orders = append(a.orders, order{day: day, cents: cents, channel: -1, row: a.row, h: id})
	a.row++
	a.byID = true
}

// Adjust adds a refund line of the current customer: it nets revenue.
func (a *Appender) Adjust(cents int64) {
	a.adjust += cents
	a.refunds++
	a.row++
}

// End appends the current customer under key when it had a sale, and
// starts the next one.
func (a *Appender) End(key int32) {
	if len(a.orders) > 0 {
		t := a.t
		a.orders = mergeLines(a.orders, a.byID, nil)
		a.days, a.gaps = reduce(t, a.orders, a.days, a.gaps)
		t.Key = append(t.Key, key)
		t.Revenue[len(t.Key)-1] = RoundSub(t.Revenue[len(t.Key)-1]+a.adjust, 0)
		t.Refunds = append(t.Refunds, a.refunds)
	}
	a.orders, a.adjust, a.refunds, a.byID = a.orders[:0], 0, 0, false
}

// Whole appends a customer whose features the caller worked out, as
// reduce would from its sale rows (no discount, channel or refund), and
// starts the next one.
func (a *Appender) Whole(key, first, last, orders, days int32, revenue, maxOrder int64, medianGap float32, lastGap, weekend int32) {
	t := a.t
	t.Key = append(t.Key, key)
	t.add(row{first: first, last: last, orders: orders, days: days, revenue: revenue, maxOrder: maxOrder,
		median: medianGap, lastGap: lastGap, weekend: weekend, channel: -1})
	t.Refunds = append(t.Refunds, 0)
	a.orders, a.adjust, a.refunds = a.orders[:0], 0, 0
}

// Table returns the table built.
func (a *Appender) Table() *Customers { return a.t }

// Reset empties the table for customers whose ids are in the same
// dictionaries, keeping its memory; heavy is as in NewAppender. The table
// Table returned before is emptied too.
func (a *Appender) Reset(heavy float64) {
	a.t.truncate(0)
	a.t.Heavy = heavy
	a.orders, a.adjust, a.refunds, a.row, a.byID = a.orders[:0], 0, 0, 0, false
}

// Percentile returns the value at percentile p (0..100) of v by the
// nearest-rank method, the smallest value with at least p% of values at or
// below it, reordering v (see Select). v must not be empty.
func Percentile[T cmp.Ordered](v []T, p float64) T {
	k := int(math.Ceil(p/100*float64(len(v)))) - 1
	return Select(v, max(0, min(k, len(v)-1)))
}

// Select returns the k-th smallest value of v (0-based), reordering v: a
// percentile in linear time, where sorting a copy of millions of values
// takes a large part of a run. It falls back to sorting when partitions
// go badly (many equal or adversarial values).
func Select[T cmp.Ordered](v []T, k int) T {
	lo, hi := 0, len(v)-1
	for budget := 2 * bits.Len(uint(len(v))); lo < hi; budget-- {
		if budget == 0 {
			slices.Sort(v[lo : hi+1])
			break
		}
		// Median of three as the pivot, then Hoare's partition.
		mid := lo + (hi-lo)/2
		if v[mid] < v[lo] {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if v[hi] < v[lo] {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if v[hi] < v[mid] {
			v[hi], v[mid] = v[mid], v[hi]
		}
		p := v[mid]
		i, j := lo, hi
		for i <= j {
			for v[i] < p {
				i++
			}
			for p < v[j] {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k] // between the two parts: equal to the pivot
		}
	}
	return v[k]
}
