package engine

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"segsim/core/calendar"
	"segsim/core/ingest"
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
	bad := func(field, value, reason string) error {
		return &StatsError{Index: i, Field: field, Value: value, Reason: reason}
	}
	itoa := func(v int32) string { return strconv.Itoa(int(v)) }
	switch {
	case s.ID == "":
		return bad("customer_id", `""`, "is empty")
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
// orders…) is skipped and reported like a row that cannot be read.
func LoadStats(data []byte, opt ingest.Options) (*Dataset, error) {
	rows, carry, rep, err := ingest.ParseStats(data, opt)
	if err != nil {
		if rep != nil {
			return &Dataset{Load: rep}, err
		}
		return nil, err
	}
	stats := make([]Stats, 0, len(rows))
	// ids holds the kept customers' ids in order: it finds a repeated id
	// and becomes the dataset's customer dictionary.
	ids := ingest.NewDict(len(rows))
	impossible := 0
	for i, r := range rows {
		s := Stats{ID: r.ID, First: r.First, Last: r.Last, Orders: r.Orders, Days: r.Days, Revenue: r.Cents, Extra: r.Extra}
		if s.Days == 0 {
			s.Days = s.DefaultDays()
		}
		reason := ""
		if err := s.Validate(i); err != nil {
			var se *StatsError
			errors.As(err, &se)
			reason = se.Field + " " + se.Value + " " + se.Reason
		} else if int(ids.Index([]byte(s.ID))) != len(stats) {
			// Index added the id when it was new, at the next index.
			reason = "customer_id " + strconv.Quote(s.ID) + " appears twice"
		}
		if reason != "" {
			rep.RowsKept--
			rep.RowsSkipped++
			rep.Skips = append(rep.Skips, ingest.Skip{Line: r.Line, Reason: reason, Code: "bad_stats"})
			impossible++
			continue
		}
		for k := range carry {
			carry[k].Row[len(stats)] = carry[k].Row[i] // kept rows only, in place
		}
		stats = append(stats, s)
	}
	for k := range carry {
		carry[k].Row = carry[k].Row[:len(stats)]
	}
	if impossible > 0 {
		rep.SkipReasons = append(rep.SkipReasons, ingest.Count{Label: "the stats do not describe a possible purchase history", Rows: impossible, Code: "bad_stats"})
	}
	if len(stats) == 0 {
		return &Dataset{Load: rep}, fmt.Errorf("parse: %w: no stats row describes a possible history", ingest.ErrNothingUsable)
	}
	rows = nil // the rows are copied: let them go before the order table grows
	d, err := fromStats(stats, ids, len(rep.StatsMissing) < len(ingest.StatsOptional))
	if err != nil {
		return &Dataset{Load: rep}, err
	}
	d.Orders.Carry = spreadCarry(stats, carry)
	rep.Customers = len(stats)
	d.Load = rep
	for _, f := range ingest.StatsOptional {
		if _, ok := rep.Roles[f]; ok {
			d.statsFields = append(d.statsFields, f)
		}
	}
	return d, nil
}

// spreadCarry gives each of a customer's order rows (fromStats: Orders
// rows, one more with negative revenue) the customer's carried values.
func spreadCarry(stats []Stats, carry []ingest.Carry) []ingest.Carry {
	for k := range carry {
		perRow := make([]int32, 0, len(stats)*2)
		for i, s := range stats {
			n := int(s.Orders)
			if s.Revenue < 0 {
				n++
			}
			for range n {
				perRow = append(perRow, carry[k].Row[i])
			}
		}
		carry[k].Row = perRow
	}
	return carry
}

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
// runs on them exactly as on an order file. Each customer becomes Orders
// order rows with no order id: the purchase days are spread evenly from
// First to Last, the orders over those days in turn, and the revenue in
// equal parts (the remainder, in cents, on the first orders). Features the
// stats do not carry are therefore estimates: gaps between purchases are
// even, and there are no discounts, channels or refunds.
//
// The table has one row per order: callers bound the sum of Orders.
//
// fields names the optional fields (ingest.StatsOptional) every record's
// Extra holds; the others are estimated as above.
func FromStats(stats []Stats, fields ...string) (*Dataset, error) {
	for _, f := range fields {
		if !slices.Contains(ingest.StatsOptional, f) {
			return nil, fmt.Errorf("stats: %w: %q is not an optional stats field (%s)", ErrBadStats, f, strings.Join(ingest.StatsOptional, ", "))
		}
	}
	seen := make(map[string]struct{}, len(stats))
	for i, s := range stats {
		if err := s.Validate(i); err != nil {
			return nil, err
		}
		if _, dup := seen[s.ID]; dup {
			return nil, &StatsError{Index: i, Field: "customer_id", Value: strconv.Quote(s.ID), Reason: "appears twice"}
		}
		seen[s.ID] = struct{}{}
	}
	d, err := fromStats(stats, nil, len(fields) > 0)
	if err == nil {
		d.statsFields = slices.Clone(fields)
	}
	return d, err
}

// fromStats is FromStats on stats already validated, with distinct ids;
// ids, when not nil, already holds stats[i].ID at index i. extra keeps the
// records' optional fields (for applyStats).
func fromStats(stats []Stats, ids *ingest.Dict, extra bool) (*Dataset, error) {
	var rows int64
	for _, s := range stats {
		rows += int64(s.Orders)
		if s.Revenue < 0 {
			rows++ // the refund line below
		}
	}
	if len(stats) == 0 {
		return nil, fmt.Errorf("stats: %w: no customers", ErrBadStats)
	}
	if rows > 1<<31-1 {
		return nil, fmt.Errorf("stats: %w: %d orders in all; too many", ErrBadStats, rows)
	}
	n := int(rows)
	o := &ingest.Orders{
		Cust:      make([]int32, 0, n),
		Day:       make([]int32, 0, n),
		Cents:     make([]int64, 0, n),
		Flags:     make([]uint8, n),
		Customers: ids,
		Channels:  ingest.NewDict(0),
	}
	if ids == nil {
		o.Customers = ingest.NewDict(len(stats))
	}
	d := &Dataset{Orders: o, schemes: map[string]*segment.Compiled{}}
	if extra {
		d.statsExtra = make([]ingest.StatsExtra, 0, len(stats))
	}
	for i, s := range stats {
		c := int32(i)
		if ids == nil {
			c = o.Customers.Index([]byte(s.ID))
		}
		if extra {
			d.statsExtra = append(d.statsExtra, s.Extra) // at index c: ids are distinct
		}
		span, days, orders := int64(s.Last-s.First), int64(s.Days), int64(s.Orders)
		part, rest := max(s.Revenue, 0)/orders, max(s.Revenue, 0)%orders
		for j := int64(0); j < orders; j++ {
			day := s.First
			if days > 1 {
				day += int32(j * days / orders * span / (days - 1))
			}
			cents := part
			if j < rest {
				cents++
			}
			o.Cust = append(o.Cust, c)
			o.Day = append(o.Day, day)
			o.Cents = append(o.Cents, cents)
		}
		if s.Revenue < 0 {
			// Refunds beyond what the kept sales paid (a sale row the
			// export lost, its refund kept): free sales and one refund
			// line that nets the revenue, as the orders would.
			o.Cust = append(o.Cust, c)
			o.Day = append(o.Day, s.Last)
			o.Cents = append(o.Cents, s.Revenue)
		}
		d.LastDay = max(d.LastDay, s.Last)
	}
	d.Load = &ingest.Report{
		Format: "stats", Roles: map[string]string{}, DateFormat: "ymd",
		RowsRead: len(stats), RowsKept: len(stats), Customers: len(stats),
	}
	return d, nil
}
