package summary

import (
	"testing"

	"segsim/core/ingest"
)

func TestBuild(t *testing.T) {
	in := "customer_id,order_id,order_date,amount,discount,channel\n" +
		"x,o3,2024-01-20,5,0,app\n" + // out of order in the file
		"x,o1,2024-01-01,10,5,web\n" +
		"y,p1,2024-01-06,7,0,app\n" +
		"x,o1,2024-01-01,2,0,web\n" + // second line of o1, not adjacent
		"x,o2,2024-01-06,8,0,app\n" + // a Saturday
		"x,o4,2024-01-20,1,0,app\n" // same day as o3
	o, _, err := ingest.Parse([]byte(in), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tb := Build(o, make([]uint8, o.Len()), 0.5)
	if tb.Len() != 2 || tb.ID(0) != "x" {
		t.Fatalf("customers %d", tb.Len())
	}
	// x: orders o1 (12, Jan 1), o2 (8, Jan 6), o3 (5), o4 (1) on Jan 20.
	// Purchase days Jan 1, 6, 20: gaps 5 and 14, median 9.5, last gap 14.
	checks := []struct {
		name      string
		got, want int64
	}{
		{"orders", int64(tb.Orders[0]), 4}, {"days", int64(tb.Days[0]), 3}, {"revenue", tb.Revenue[0], 2600},
		{"max order", tb.MaxOrder[0], 1200}, {"last gap", int64(tb.LastGap[0]), 14},
		{"discount", tb.Discount[0], 500}, {"discount orders", int64(tb.DiscountOrders[0]), 1},
		{"weekend orders", int64(tb.WeekendOrders[0]), 3}, // Jan 6 and Jan 20 2024 are Saturdays
		{"first", int64(tb.First[0]), int64(day("2024-01-01"))}, {"last", int64(tb.Last[0]), int64(day("2024-01-20"))},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	if tb.MedianGap[0] != 9.5 || tb.MedianGap[1] != -1 {
		t.Errorf("median gaps %v", tb.MedianGap)
	}
	if ch := string(tb.Channels.Key(tb.FirstChannel[0])); ch != "web" {
		t.Errorf("first channel %q", ch)
	}
}

func day(s string) int32 {
	d, err := ingest.ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestWeekday(t *testing.T) {
	for s, want := range map[string]int{"1970-01-01": 4, "2024-01-06": 6, "2024-01-07": 0, "1969-12-31": 3} {
		if got := Weekday(day2(s)); got != want {
			t.Errorf("Weekday(%s) = %d, want %d", s, got, want)
		}
	}
}

func day2(s string) int32 {
	var y, m, d int
	for i, p := range []*int{&y, &m, &d} {
		start := []int{0, 5, 8}[i]
		n := []int{4, 2, 2}[i]
		for _, c := range s[start : start+n] {
			*p = *p*10 + int(c-'0')
		}
	}
	return ingest.DaysFromCivil(y, m, d)
}
