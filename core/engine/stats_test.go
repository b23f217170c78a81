package engine

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/scenario"
)

func day(t *testing.T, s string) int32 {
	t.Helper()
	d, err := calendar.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFromStatsRoundTrip(t *testing.T) {
	stats := []Stats{
		{ID: "a", First: day(t, "2026-01-01"), Last: day(t, "2026-10-01"), Orders: 7, Days: 5, Revenue: 123457},
		{ID: "b", First: day(t, "2026-09-30"), Last: day(t, "2026-09-30"), Orders: 3, Days: 1, Revenue: 1000},
		{ID: "c", First: day(t, "2026-03-01"), Last: day(t, "2026-03-04"), Orders: 4, Days: 4, Revenue: 0},
	}
	d, err := FromStats(stats)
	if err != nil {
		t.Fatal(err)
	}
	s := scenario.Default()
	s.Window.AsOf = "2026-11-01"
	if _, err := d.Run(s); err != nil {
		t.Fatal(err)
	}
	c := d.Customers
	if c.Len() != len(stats) {
		t.Fatalf("customers = %d; want %d", c.Len(), len(stats))
	}
	for i := 0; i < c.Len(); i++ {
		want := stats[i]
		got := Stats{ID: c.ID(i), First: c.First[i], Last: c.Last[i], Orders: c.Orders[i], Days: c.Days[i], Revenue: c.Revenue[i]}
		if got != want {
			t.Errorf("customer %d = %+v; want %+v", i, got, want)
		}
	}
}

func TestFromStatsErrors(t *testing.T) {
	ok := Stats{ID: "a", First: 100, Last: 110, Orders: 3, Days: 2, Revenue: 500, Extra: ingest.StatsExtra{MedianGap: 10, LastGap: 10}}
	for _, tc := range []struct {
		name  string
		edit  func(*Stats)
		field string
	}{
		{"empty id", func(s *Stats) { s.ID = "" }, "customer_id"},
		{"last before first", func(s *Stats) { s.Last = 90 }, "last_date"},
		{"no orders", func(s *Stats) { s.Orders = 0 }, "orders"},
		{"no days", func(s *Stats) { s.Days = 0 }, "purchase_days"},
		{"days above orders", func(s *Stats) { s.Days = 4 }, "purchase_days"},
		{"one day over a span", func(s *Stats) { s.Days = 1 }, "purchase_days"},
		{"days do not fit", func(s *Stats) { s.Orders, s.Days = 20, 12 }, "purchase_days"},
		{"weekend orders above orders", func(s *Stats) { s.Extra.WeekendOrders = 4 }, "weekend_orders"},
		{"heavy above discount orders", func(s *Stats) { s.Extra.DiscountOrders, s.Extra.HeavyOrders = 1, 2 }, "heavy_orders"},
		{"last gap beyond the span", func(s *Stats) { s.Extra.LastGap = 11 }, "last_gap"},
		{"median gap beyond the span", func(s *Stats) { s.Extra.MedianGap = 10.5 }, "median_gap"},
		{"a gap with one purchase day", func(s *Stats) { s.Last, s.Days, s.Extra.LastGap = 100, 1, 3 }, "last_gap"},
	} {
		s := ok
		tc.edit(&s)
		_, err := FromStats([]Stats{ok, s})
		var se *StatsError
		if !errors.As(err, &se) || !errors.Is(err, ErrBadStats) {
			t.Errorf("%s: err = %v; want a StatsError", tc.name, err)
			continue
		}
		if se.Index != 1 || se.Field != tc.field {
			t.Errorf("%s: index %d field %q; want 1 %q (%v)", tc.name, se.Index, se.Field, tc.field, err)
		}
	}
	if _, err := FromStats([]Stats{ok, ok}); err == nil {
		t.Error("duplicate ids accepted")
	}
	if _, err := FromStats(nil); !errors.Is(err, ErrBadStats) {
		t.Errorf("no stats: err = %v", err)
	}
}

// TestLoadStatsOptionalErrors: an optional field that cannot be read, or
// does not fit the basic ones, skips its row with the line, column and
// reason, and the rest load.
func TestLoadStatsOptionalErrors(t *testing.T) {
	data := []byte("customer_id,first_date,last_date,orders,purchase_days,revenue,max_order,weekend_orders,last_gap\n" +
		"a,2024-01-01,2024-01-11,3,2,50.00,30.00,1,10\n" +
		"b,2024-01-01,2024-01-11,3,2,50.00,x,1,10\n" +
		"c,2024-01-01,2024-01-11,3,2,50.00,30.00,5,10\n" +
		"d,2024-01-01,2024-01-11,3,2,50.00,30.00,0,\n")
	d, err := Load(data, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep := d.Load
	if rep.RowsRead != 4 || rep.RowsKept != 2 || rep.RowsSkipped != 2 || len(rep.Skips) != 2 {
		t.Fatalf("read %d kept %d skipped %d: %+v", rep.RowsRead, rep.RowsKept, rep.RowsSkipped, rep.Skips)
	}
	if s := rep.Skips[0]; s.Line != 3 || s.Column != "max_order" || !strings.Contains(s.Reason, "max_order") {
		t.Errorf("first skip %+v", s)
	}
	if s := rep.Skips[1]; s.Line != 4 || !strings.Contains(s.Reason, "weekend_orders") {
		t.Errorf("second skip %+v", s)
	}
	if got := d.StatsFields(); !slices.Equal(got, []string{"max_order", "last_gap", "weekend_orders"}) {
		t.Errorf("fields %v", got)
	}
	if !slices.Contains(rep.StatsMissing, "repeat_revenue") || slices.Contains(rep.StatsMissing, "max_order") {
		t.Errorf("missing %v", rep.StatsMissing)
	}
}

// TestLoadStatsDuplicate: a customer listed twice keeps its first row; the
// second is skipped with its line and the reason.
func TestLoadStatsDuplicate(t *testing.T) {
	data := []byte("customer_id,first_date,last_date,orders,revenue\n" +
		"a,2024-01-01,2024-02-01,2,50.00\n" +
		"b,2024-01-05,2024-01-05,1,20.00\n" +
		"a,2024-03-01,2024-03-01,1,10.00\n")
	d, err := Load(data, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Customers != nil || d.Load.RowsKept != 2 || len(d.Load.Skips) != 1 || d.Load.Skips[0].Line != 4 || !strings.Contains(d.Load.Skips[0].Reason, `"a" appears twice`) {
		t.Fatalf("kept %d, skips %+v", d.Load.RowsKept, d.Load.Skips)
	}
	r, err := d.Run(scenario.Default())
	if err != nil {
		t.Fatal(err)
	}
	if r.Len() != 2 || d.Customers.ID(0) != "a" || d.Customers.Revenue[0] != 5000 {
		t.Fatalf("%d customers, first %s with %d", r.Len(), d.Customers.ID(0), d.Customers.Revenue[0])
	}
}
