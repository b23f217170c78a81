package engine

import (
	"errors"
	"testing"

	"segsim/core/calendar"
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
	ok := Stats{ID: "a", First: 100, Last: 110, Orders: 3, Days: 2, Revenue: 500}
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
		{"negative revenue", func(s *Stats) { s.Revenue = -1 }, "revenue"},
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
