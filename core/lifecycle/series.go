package lifecycle

import (
	"cmp"
	"slices"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/summary"
)

// Month is one calendar month of the buyer series. Amounts are in
// currency units.
type Month struct {
	Month string `json:"month"` // YYYY-MM
	// Days counts the month's days before the as-of date: the last month
	// may be cut short.
	Days int `json:"days"`
	// Base counts the customers whose first order came before the month:
	// those who could come back in it.
	Base            int `json:"base"`
	NewBuyers       int `json:"new_buyers"`       // first order ever in the month
	ReturningBuyers int `json:"returning_buyers"` // ordered before the month and in it
	NewOrders       int `json:"new_orders"`
	ReturningOrders int `json:"returning_orders"`
	// NewRevenue and ReturningRevenue are the month's order values;
	// NewAOV and ReturningAOV are revenue per order (0 without orders).
	NewRevenue       float64 `json:"new_revenue"`
	ReturningRevenue float64 `json:"returning_revenue"`
	NewAOV           float64 `json:"new_aov"`
	ReturningAOV     float64 `json:"returning_aov"`
}

// MonthOf returns a day's month as months since year 0 (year × 12 +
// month − 1).
func MonthOf(day int32) int {
	y, m, _ := calendar.Civil(day)
	return y*12 + m - 1
}

// MonthStart returns the first day of a month numbered as by MonthOf.
func MonthStart(month int) int32 {
	return calendar.FromCivil(month/12, month%12+1, 1)
}

// BuyerSeries splits each calendar month's buyers, from the month of the
// first order in t to the month of the day before asOf, into new buyers
// (their first order ever falls in the month) and returning buyers (they
// ordered before the month and in it), with their orders, revenue and
// AOV. It reads the sale rows of o that cleaning kept, before asOf;
// refund lines are left out, as in BuyerSplit. An order is counted once,
// in the month of its earliest line; without order ids every row is an
// order.
//
// Exports mostly list each customer's rows by date with an order's lines
// together, and one pass in file order then counts exactly; it checks
// that (months never go back, and the orders it counted per customer are
// the customer table's distinct orders) and otherwise counts again with
// each customer's rows grouped and sorted, five times slower.
func BuyerSeries(o *ingest.Orders, disp []uint8, t *summary.Customers, asOf int32) []Month {
	if t.Len() == 0 {
		return nil
	}
	lo := slices.Min(t.First)
	if lo >= asOf {
		return nil
	}
	m0 := MonthOf(lo)
	s := series{o: o, disp: disp, lo: lo, asOf: asOf, out: make([]Month, MonthOf(asOf-1)-m0+1)}
	for k := range s.out {
		start := MonthStart(m0 + k)
		y, m, _ := calendar.Civil(start)
		s.out[k].Month = calendar.Format(start)[:7]
		s.out[k].Days = min(calendar.DaysIn(y, m), int(asOf-start))
	}
	if tt := t.Totals; tt != nil && tt.Customers == t.Len() {
		// Build counted every customer of the table, and no rule left
		// any out since: its month totals are the series.
		s.cents = make([][2]int64, len(s.out))
		s.fromTotals(tt, m0)
	} else {
		s.fromRows(t, m0)
	}
	base := 0
	for k := range s.out {
		m := &s.out[k]
		m.Base = base
		base += m.NewBuyers
		m.NewRevenue, m.ReturningRevenue = float64(s.cents[k][0])/100, float64(s.cents[k][1])/100
		if m.NewOrders > 0 {
			m.NewAOV = m.NewRevenue / float64(m.NewOrders)
		}
		if m.ReturningOrders > 0 {
			m.ReturningAOV = m.ReturningRevenue / float64(m.ReturningOrders)
		}
	}
	return s.out
}

// series is BuyerSeries at work.
type series struct {
	o        *ingest.Orders
	disp     []uint8
	lo, asOf int32
	month    []int32 // by day from lo
	first    []int32 // by order-table customer
	in       []bool
	out      []Month
	cents    [][2]int64 // revenue per month: new, returning
}

// keep tells whether row i counts.
func (s *series) keep(i int) bool {
	d := s.o.Day[i]
	return s.disp[i] == summary.Sale && s.in[s.o.Cust[i]] && d >= s.lo && d < s.asOf
}

// tally counts one buyer or order (n) in month k of a customer first seen
// in month f.
func (s *series) tally(k, f int32, buyers bool) {
	m := &s.out[k]
	switch {
	case buyers && k == f:
		m.NewBuyers++
	case buyers:
		m.ReturningBuyers++
	case k == f:
		m.NewOrders++
	default:
		m.ReturningOrders++
	}
}

// inFileOrder counts revenue, and buyers and orders as the rows come,
// and tells whether that count is exact (see BuyerSeries).
func (s *series) inFileOrder(t *summary.Customers) bool {
	o := s.o
	nc := o.Customers.Len()
	s.cents = make([][2]int64, len(s.out))
	last := make([]int32, nc) // the month of the customer's last row + 1; 0 before the first
	lastOrder := make([]uint64, nc)
	orders := make([]int32, nc)
	exact := true
	for i, c := range o.Cust {
		if !s.keep(i) {
			continue
		}
		k, f := s.month[o.Day[i]-s.lo], s.first[c]
		if k == f {
			s.cents[k][0] += o.Cents[i]
		} else {
			s.cents[k][1] += o.Cents[i]
		}
		if !exact {
			continue
		}
		h := uint64(i)
		if o.Order != nil {
			h = o.Order[i]
		}
		switch {
		case k+1 < last[c]:
			exact = false
		case k+1 > last[c]:
			s.tally(k, f, true)
			s.tally(k, f, false)
			last[c], lastOrder[c] = k+1, h
			orders[c]++
		case h != lastOrder[c]:
			s.tally(k, f, false)
			lastOrder[c] = h
			orders[c]++
		}
	}
	if !exact {
		return false
	}
	for i, k := range t.Key {
		if orders[k] != t.Orders[i] {
			return false // an order's lines apart, or one over two months
		}
	}
	return true
}

// fromRows counts the series from the rows that count; m0 is its first
// month.
func (s *series) fromRows(t *summary.Customers, m0 int) {
	lo, asOf := s.lo, s.asOf
	// month[d-lo] is day d's month, counted from m0.
	s.month = make([]int32, asOf-lo)
	for k := range s.out {
		a, b := MonthStart(m0+k), MonthStart(m0+k+1)
		for d := max(a, lo); d < min(b, asOf); d++ {
			s.month[d-lo] = int32(k)
		}
	}
	nc := s.o.Customers.Len()
	s.first = make([]int32, nc) // month of the first order, by order-table customer
	s.in = make([]bool, nc)
	for i, k := range t.Key {
		s.first[k], s.in[k] = s.month[t.First[i]-lo], true
	}
	if g := t.Grouped; g != nil && g.Sorted && len(g.Start) == nc+1 {
		// Build's rows, each customer's in day order: one pass.
		s.cents = make([][2]int64, len(s.out))
		s.grouped(g, true)
	} else if !s.inFileOrder(t) {
		for k := range s.out {
			m := &s.out[k]
			m.NewBuyers, m.ReturningBuyers, m.NewOrders, m.ReturningOrders = 0, 0, 0, 0
		}
		s.grouped(s.group(), false)
	}
}

// fromTotals copies the months of tt (summary.Build's) that the series
// covers; m0 is its first month.
func (s *series) fromTotals(tt *summary.MonthTotals, m0 int) {
	for k := range s.out {
		i := m0 + k - int(tt.First)
		if i < 0 || i >= len(tt.Months) {
			continue
		}
		x, m := tt.Months[i], &s.out[k]
		m.NewBuyers, m.ReturningBuyers, m.NewOrders, m.ReturningOrders = x.NewBuyers, x.ReturningBuyers, x.NewOrders, x.ReturningOrders
		s.cents[k] = [2]int64{x.NewCents, x.ReturningCents}
	}
}

// group groups the rows that count by customer, in file order.
func (s *series) group() *summary.Grouping {
	o := s.o
	nc := o.Customers.Len()
	start := make([]int32, nc+1)
	for i, c := range o.Cust {
		if s.keep(i) {
			start[c+1]++
		}
	}
	for c := range nc {
		start[c+1] += start[c]
	}
	rows := make([]int32, start[nc])
	fill := slices.Clone(start[:nc])
	for i, c := range o.Cust {
		if s.keep(i) {
			rows[fill[c]] = int32(i)
			fill[c]++
		}
	}
	return &summary.Grouping{Start: start, Rows: rows}
}

// grouped counts buyers and orders with each customer's rows together
// (g may hold rows that do not count: they are passed over), and with
// revenue set, the revenue too. Its work per customer is a method, as in
// summary.Build, so that WebAssembly engines optimize it after the first
// customers instead of running one long loop unoptimized.
func (s *series) grouped(g *summary.Grouping, revenue bool) {
	w := seriesWalk{s: s, g: g, revenue: revenue}
	for c := range s.o.Customers.Len() {
		if g.Start[c] < g.Start[c+1] {
			w.customer(int32(c))
		}
	}
}

// seriesWalk is grouped at work: its scratch is kept between customers.
type seriesWalk struct {
	s       *series
	g       *summary.Grouping
	revenue bool
	lines   []seriesLine
	months  []int32
}

// seriesLine is one row of a customer: its month, day and order.
type seriesLine struct {
	month, day int32
	h          uint64
}

// customer counts customer c's months and orders.
func (w *seriesWalk) customer(c int32) {
	s, o := w.s, w.s.o
	f := s.first[c]
	lines, months := w.lines[:0], w.months[:0]
	for _, r := range w.g.Rows[w.g.Start[c]:w.g.Start[c+1]] {
		if !s.keep(int(r)) {
			continue
		}
		k := s.month[o.Day[r]-s.lo]
		if w.revenue && k == f {
			s.cents[k][0] += o.Cents[r]
		} else if w.revenue {
			s.cents[k][1] += o.Cents[r]
		}
		h := uint64(r)
		if o.Order != nil {
			h = o.Order[r]
		}
		lines = append(lines, seriesLine{k, o.Day[r], h})
		months = append(months, k)
	}
	w.lines, w.months = lines, months
	if !w.g.Sorted {
		slices.Sort(months)
	}
	for _, k := range slices.Compact(months) {
		s.tally(k, f, true)
	}
	// One order per id, in the month of its earliest line. Without order
	// ids every line is an order; with them, lines in day order with no
	// id twice are each an order too.
	if o.Order != nil && !(w.g.Sorted && !repeatedOrder(lines)) {
		slices.SortFunc(lines, func(a, b seriesLine) int {
			if a.h != b.h {
				return cmp.Compare(a.h, b.h)
			}
			return cmp.Compare(a.day, b.day)
		})
	}
	for i, l := range lines {
		if i == 0 || lines[i-1].h != l.h {
			s.tally(l.month, f, false)
		}
	}
}

// repeatedOrder tells whether two lines share an order.
func repeatedOrder(lines []seriesLine) bool {
	var buf [24]uint64
	hs := buf[:0]
	for _, l := range lines {
		hs = append(hs, l.h)
	}
	return summary.Repeats(hs)
}
