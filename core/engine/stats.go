package engine

import (
	"errors"
	"fmt"
	"strconv"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/segment"
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
	Revenue int64 // net revenue in minor units (cents), not negative
}

// ErrBadStats is wrapped by every StatsError; test with errors.Is.
var ErrBadStats = errors.New("invalid customer stats")

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
	case s.Revenue < 0:
		return bad("revenue", string(AppendMoney(nil, s.Revenue)), "is negative")
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
	rows, rep, err := ingest.ParseStats(data, opt)
	if err != nil {
		if rep != nil {
			return &Dataset{Load: rep}, err
		}
		return nil, err
	}
	stats := make([]Stats, 0, len(rows))
	seen := make(map[string]bool, len(rows))
	impossible := 0
	for i, r := range rows {
		s := Stats{ID: r.ID, First: r.First, Last: r.Last, Orders: r.Orders, Days: r.Days, Revenue: r.Cents}
		if s.Days == 0 {
			s.Days = s.DefaultDays()
		}
		reason := ""
		if err := s.Validate(i); err != nil {
			var se *StatsError
			errors.As(err, &se)
			reason = se.Field + " " + se.Value + " " + se.Reason
		} else if seen[s.ID] {
			reason = "customer_id " + strconv.Quote(s.ID) + " appears twice"
		}
		if reason != "" {
			rep.RowsKept--
			rep.RowsSkipped++
			rep.Skips = append(rep.Skips, ingest.Skip{Line: r.Line, Reason: reason, Code: "bad_stats"})
			impossible++
			continue
		}
		seen[s.ID] = true
		stats = append(stats, s)
	}
	if impossible > 0 {
		rep.SkipReasons = append(rep.SkipReasons, ingest.Count{Label: "the stats do not describe a possible purchase history", Rows: impossible, Code: "bad_stats"})
	}
	if len(stats) == 0 {
		return &Dataset{Load: rep}, fmt.Errorf("parse: %w: no stats row describes a possible history", ingest.ErrNothingUsable)
	}
	d, err := FromStats(stats)
	if err != nil {
		return &Dataset{Load: rep}, err
	}
	rep.Customers = len(stats)
	d.Load = rep
	return d, nil
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
func FromStats(stats []Stats) (*Dataset, error) {
	var rows int64
	seen := make(map[string]struct{}, len(stats))
	for i, s := range stats {
		if err := s.Validate(i); err != nil {
			return nil, err
		}
		if _, dup := seen[s.ID]; dup {
			return nil, &StatsError{Index: i, Field: "customer_id", Value: strconv.Quote(s.ID), Reason: "appears twice"}
		}
		seen[s.ID] = struct{}{}
		rows += int64(s.Orders)
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
		Customers: ingest.NewDict(len(stats)),
		Channels:  ingest.NewDict(0),
	}
	d := &Dataset{Orders: o, schemes: map[string]*segment.Compiled{}}
	for _, s := range stats {
		c := o.Customers.Index([]byte(s.ID))
		span, days, orders := int64(s.Last-s.First), int64(s.Days), int64(s.Orders)
		part, rest := s.Revenue/orders, s.Revenue%orders
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
		d.LastDay = max(d.LastDay, s.Last)
	}
	d.Load = &ingest.Report{
		Format: "stats", Roles: map[string]string{}, DateFormat: "ymd",
		RowsRead: len(stats), RowsKept: len(stats), Customers: len(stats),
	}
	return d, nil
}
