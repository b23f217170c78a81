package simulate

import (
	"fmt"
	"time"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/summary"
)

// Cohort is the customers whose first purchase falls in one period.
type Cohort struct {
	Start string `json:"start"` // first day of the period, YYYY-MM-DD
	Size  int    `json:"size"`
	// Active[k] counts cohort customers who bought in the k-th period after
	// the first (Active[0] = Size), Retention[k] = Active[k] / Size, and
	// Revenue[k] is their revenue in that period (currency units, refunds
	// netted).
	Active    []int     `json:"active"`
	Retention []float64 `json:"retention"`
	Revenue   []float64 `json:"revenue"`
}

// CohortTable is the acquisition cohort retention and revenue table.
type CohortTable struct {
	Unit    string   `json:"unit"` // month or week
	Cohorts []Cohort `json:"cohorts"`
}

// periodOf returns a day's period number: months since year 0 or ISO weeks
// (Monday first) since 1970-01-05.
func periodOf(unit string, day int32) int32 {
	if unit == "week" {
		d := day - 4
		if d < 0 {
			return (d - 6) / 7
		}
		return d / 7
	}
	t := time.Unix(int64(day)*86400, 0).UTC()
	return int32(t.Year()*12 + int(t.Month()) - 1)
}

// periodStart returns the first day of a period.
func periodStart(unit string, p int32) string {
	if unit == "week" {
		return calendar.Format(p*7 + 4)
	}
	return time.Date(int(p/12), time.Month(p%12+1), 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
}

// Cohorts groups the customers of t by the period of their first purchase
// and counts, per later period, who bought and for how much, reading the
// order rows that cleaning kept (disp is Dataset.Disposition()).
func Cohorts(o *ingest.Orders, disp []uint8, t *summary.Customers, unit string) (*CohortTable, error) {
	if unit != "month" && unit != "week" {
		return nil, fmt.Errorf("%w: cohort: %q is not month or week", ErrInvalid, unit)
	}
	if len(disp) != o.Len() {
		return nil, fmt.Errorf("%w: %d dispositions for %d rows", ErrInvalid, len(disp), o.Len())
	}
	if t.Len() == 0 {
		return &CohortTable{Unit: unit}, nil
	}
	row := t.Rows(o.Customers.Len()) // order-table customer → row of t, -1
	lo, hi := int32(1<<30), int32(-1<<30)
	first := make([]int32, t.Len())
	for i := range t.Key {
		first[i] = periodOf(unit, t.First[i])
		lo, hi = min(lo, first[i]), max(hi, first[i])
	}
	last := hi
	for i, d := range o.Day {
		if disp[i] != summary.Dropped && row[o.Cust[i]] >= 0 {
			last = max(last, periodOf(unit, d))
		}
	}
	tab := &CohortTable{Unit: unit, Cohorts: make([]Cohort, hi-lo+1)}
	for c := range tab.Cohorts {
		n := int(last - lo - int32(c) + 1)
		tab.Cohorts[c] = Cohort{Start: periodStart(unit, lo+int32(c)), Active: make([]int, n), Retention: make([]float64, n), Revenue: make([]float64, n)}
	}
	for i := range t.Key {
		tab.Cohorts[first[i]-lo].Size++
	}
	// seen[r] is the last offset+1 counted for customer row r per offset:
	// a customer is counted once per (cohort, offset) with a bitmap keyed
	// by offset, grown as needed.
	width := int(last-lo) + 1
	seen := make([]uint64, (t.Len()*width+63)/64)
	for i, c := range o.Cust {
		r := row[c]
		if r < 0 || disp[i] == summary.Dropped {
			continue
		}
		off := periodOf(unit, o.Day[i]) - first[r]
		if off < 0 {
			continue // a refund line dated before the first purchase
		}
		co := &tab.Cohorts[first[r]-lo]
		co.Revenue[off] += float64(o.Cents[i]) / 100
		if disp[i] != summary.Sale {
			continue
		}
		bit := int(r)*width + int(off)
		if seen[bit/64]&(1<<(bit%64)) == 0 {
			seen[bit/64] |= 1 << (bit % 64)
			co.Active[off]++
		}
	}
	for c := range tab.Cohorts {
		co := &tab.Cohorts[c]
		for k, a := range co.Active {
			if co.Size > 0 {
				co.Retention[k] = float64(a) / float64(co.Size)
			}
		}
	}
	return tab, nil
}
