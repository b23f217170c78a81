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
func BuyerSeries(o *ingest.Orders, disp []uint8, t *summary.Customers, asOf int32) []Month {
	if t.Len() == 0 {
		return nil
	}
	lo := slices.Min(t.First)
	if lo >= asOf {
		return nil
	}
	m0 := MonthOf(lo)
	out := make([]Month, MonthOf(asOf-1)-m0+1)
	for k := range out {
		start := MonthStart(m0 + k)
		y, m, _ := calendar.Civil(start)
		out[k].Month = calendar.Format(start)[:7]
		out[k].Days = min(calendar.DaysIn(y, m), int(asOf-start))
	}
	// month[d-lo] is day d's month, counted from m0.
	month := make([]int32, asOf-lo)
	for k := range out {
		s, e := MonthStart(m0+k), MonthStart(m0+k+1)
		for d := max(s, lo); d < min(e, asOf); d++ {
			month[d-lo] = int32(k)
		}
	}
	nc := o.Customers.Len()
	first := make([]int32, nc) // month of the first order, counted from m0, by order-table customer
	in := make([]bool, nc)
	for i, k := range t.Key {
		first[k], in[k] = month[t.First[i]-lo], true
	}
	// The sale rows grouped by customer (a counting sort).
	start := make([]int32, nc+1)
	keep := func(i int) bool {
		d := o.Day[i]
		return disp[i] == summary.Sale && in[o.Cust[i]] && d >= lo && d < asOf
	}
	for i, c := range o.Cust {
		if keep(i) {
			start[c+1]++
		}
	}
	for c := range nc {
		start[c+1] += start[c]
	}
	rows := make([]int32, start[nc])
	fill := slices.Clone(start[:nc])
	for i, c := range o.Cust {
		if keep(i) {
			rows[fill[c]] = int32(i)
			fill[c]++
		}
	}
	type line struct {
		month int32
		day   int32
		h     uint64
	}
	var lines []line
	var months []int32
	rev := make([][2]int64, len(out)) // cents: new, returning
	for c := range nc {
		rs := rows[start[c]:start[c+1]]
		if len(rs) == 0 {
			continue
		}
		f := first[c]
		lines, months = lines[:0], months[:0]
		for _, r := range rs {
			k := month[o.Day[r]-lo]
			h := uint64(r)
			if o.Order != nil {
				h = o.Order[r]
			}
			lines = append(lines, line{k, o.Day[r], h})
			months = append(months, k)
			if k == f {
				rev[k][0] += o.Cents[r]
			} else {
				rev[k][1] += o.Cents[r]
			}
		}
		slices.Sort(months)
		for _, k := range slices.Compact(months) {
			if k == f {
				out[k].NewBuyers++
			} else {
				out[k].ReturningBuyers++
			}
		}
		// One order per id, in the month of its earliest line.
		slices.SortFunc(lines, func(a, b line) int {
			if a.h != b.h {
				return cmp.Compare(a.h, b.h)
			}
			return cmp.Compare(a.day, b.day)
		})
		for i, l := range lines {
			if i > 0 && lines[i-1].h == l.h {
				continue
			}
			if l.month == f {
				out[l.month].NewOrders++
			} else {
				out[l.month].ReturningOrders++
			}
		}
	}
	base := 0
	for k := range out {
		m := &out[k]
		m.Base = base
		base += m.NewBuyers
		m.NewRevenue, m.ReturningRevenue = float64(rev[k][0])/100, float64(rev[k][1])/100
		if m.NewOrders > 0 {
			m.NewAOV = m.NewRevenue / float64(m.NewOrders)
		}
		if m.ReturningOrders > 0 {
			m.ReturningAOV = m.ReturningRevenue / float64(m.ReturningOrders)
		}
	}
	return out
}
