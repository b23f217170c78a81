package summary

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/seeds/samples"
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

// TestMonthTotalsUnsorted: month totals of customers whose rows Build
// cannot place in day order (the days span too many years for its
// counting sort) equal those of the same rows written in day order.
func TestMonthTotalsUnsorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	type line struct {
		day  int32
		text string
	}
	var lines []line
	for i := range 400 {
		d := day("2010-01-01") + rng.Int32N(20*365)
		lines = append(lines, line{d, fmt.Sprintf("c%d,o%d,%s,%d\n", rng.IntN(40), i, calendar.Format(d), 1+rng.IntN(90))})
	}
	totals := func(ls []line) (*MonthTotals, bool) {
		var b strings.Builder
		b.WriteString("customer_id,order_id,order_date,amount\n")
		for _, l := range ls {
			b.WriteString(l.text)
		}
		o, _, err := ingest.Parse([]byte(b.String()), ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		tb := Build(o, make([]uint8, o.Len()), 0.5)
		return tb.Totals, tb.Grouped.Sorted
	}
	shuffled, sorted := totals(lines)
	slices.SortStableFunc(lines, func(a, b line) int { return int(a.day - b.day) })
	inOrder, _ := totals(lines)
	if sorted || shuffled == nil || !reflect.DeepEqual(shuffled, inOrder) {
		t.Fatalf("placed in day order: %v; month totals of the shuffled rows differ from those in day order:\n%+v\n%+v", sorted, shuffled, inOrder)
	}
}

func day(s string) int32 {
	d, err := calendar.Parse(s)
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
	return calendar.FromCivil(y, m, d)
}

// TestBuildWideDays checks that a file whose days span far more values than
// it has rows (no counting sort by day) gives the same customers.
func TestBuildWideDays(t *testing.T) {
	base := "customer_id,order_id,order_date,amount\n" +
		"x,o3,2024-01-20,5\nx,o1,2024-01-01,10\ny,p1,2024-01-06,7\nx,o1,2024-01-01,2\nx,o2,2024-01-06,8\n"
	wide := base + "z,q1,1971-01-01,3\nz,q2,2030-01-01,4\n"
	var tabs [2]*Customers
	for k, in := range []string{base, wide} {
		o, _, err := ingest.Parse([]byte(in), ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		disp := make([]uint8, o.Len())
		if seq, _ := dayOrder(o.Day, o.Cust, disp, keptDays(o.Day, disp)); (seq == nil) != (k == 1) {
			t.Fatalf("input %d: day order %v", k, seq)
		}
		tabs[k] = Build(o, disp, 0.5)
	}
	a, b := tabs[0], tabs[1]
	if !a.Grouped.Sorted || b.Grouped.Sorted {
		t.Fatalf("groupings sorted: %v and %v; want the wide one's in file order", a.Grouped.Sorted, b.Grouped.Sorted)
	}
	if b.Len() != 3 || b.ID(2) != "z" || b.Orders[2] != 2 {
		t.Fatalf("wide: %d customers", b.Len())
	}
	for i := range a.Len() {
		if a.First[i] != b.First[i] || a.Last[i] != b.Last[i] || a.Orders[i] != b.Orders[i] || a.Days[i] != b.Days[i] ||
			a.Revenue[i] != b.Revenue[i] || a.MedianGap[i] != b.MedianGap[i] || a.LastGap[i] != b.LastGap[i] {
			t.Errorf("customer %s differs", a.ID(i))
		}
	}
}

func TestDayOrder(t *testing.T) {
	day := []int32{5, 3, 5, 4, 3, 9}
	disp := []uint8{0, 0, 0, 0, Dropped, 0}
	cust := []int32{50, 31, 52, 43, 34, 95}
	got, custs := dayOrder(day, cust, disp, keptDays(day, disp))
	want := []int32{1, 3, 0, 2, 5} // day 3 (row 1), 4, 5 (rows 0, 2), 9; row 4 dropped
	if !slices.Equal(got, want) || !slices.Equal(custs, []int32{31, 43, 50, 52, 95}) {
		t.Errorf("dayOrder = %v, customers %v; want %v", got, custs, want)
	}
}

func TestRows(t *testing.T) {
	c := &Customers{Key: []int32{3, 0, 2}}
	if got := c.Rows(5); !slices.Equal(got, []int32{1, -1, 2, 0, -1}) {
		t.Fatalf("rows %v", got)
	}
}

// TestSelect checks Select against sorting, on random values, on many
// equal ones and on sorted and reversed input, for every k of small
// inputs and spread k of large ones.
func TestSelect(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 9))
	for trial := range 300 {
		n := 1 + rng.IntN(60)
		if trial%10 == 0 {
			n = 5000 + rng.IntN(5000)
		}
		v := make([]int64, n)
		for i := range v {
			switch trial % 4 {
			case 0:
				v[i] = rng.Int64N(1000) - 500
			case 1:
				v[i] = rng.Int64N(3)
			case 2:
				v[i] = int64(i)
			default:
				v[i] = int64(n - i)
			}
		}
		sorted := slices.Clone(v)
		slices.Sort(sorted)
		for k := 0; k < n; k += 1 + n/40 {
			if got := Select(slices.Clone(v), k); got != sorted[k] {
				t.Fatalf("trial %d: Select(k=%d) = %d, want %d", trial, k, got, sorted[k])
			}
		}
	}
}

// TestBuildHalves: Build's two halves at once give the table one pass
// gives, column for column, in the same order.
func TestBuildHalves(t *testing.T) {
	defer func(n int) { parallelCustomers = n }(parallelCustomers)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	data, err := samples.FS.ReadFile("grocery_en.csv")
	if err != nil {
		t.Fatal(err)
	}
	o, _, err := ingest.Parse(data, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	disp := make([]uint8, o.Len())
	for i, c := range o.Cents {
		if c < 0 {
			disp[i] = Adjustment
		}
	}
	parallelCustomers = 1 << 30
	one := Build(o, disp, 0.5)
	parallelCustomers = 1
	two := Build(o, disp, 0.5)
	if one.Len() < 100 || !reflect.DeepEqual(one, two) {
		t.Fatalf("%d customers in one pass, %d in two halves; tables equal: %v", one.Len(), two.Len(), reflect.DeepEqual(one, two))
	}
}

// TestRepeatsSmallAndLarge checks Repeats on both sides of its pairwise
// bound, with the repeat first, last and absent.
func TestRepeatsSmallAndLarge(t *testing.T) {
	for _, n := range []int{0, 1, 2, repeatsQuadratic, repeatsQuadratic + 1, 300} {
		hs := make([]uint64, n)
		for i := range hs {
			hs[i] = uint64(i)*0x9e3779b97f4a7c15 + 7
		}
		if Repeats(slices.Clone(hs)) {
			t.Errorf("%d distinct values: a repeat", n)
		}
		if n < 2 {
			continue
		}
		first, last := slices.Clone(hs), slices.Clone(hs)
		first[1], last[n-1] = first[0], last[0]
		if !Repeats(first) || !Repeats(last) {
			t.Errorf("%d values with a repeat: none found", n)
		}
	}
}

// TestRepeatsMatchesSet compares Repeats with a map on random values
// drawn from small ranges (so that repeats happen), zero among them, on
// both sides of its pairwise bound.
func TestRepeatsMatchesSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 3000 {
		n := rng.IntN(3 * repeatsQuadratic)
		hs := make([]uint64, n)
		span := uint64(1 + rng.IntN(4*n+1))
		for i := range hs {
			hs[i] = rng.Uint64N(span)
			if trial%3 == 0 {
				hs[i] <<= 40 // values alike in their low bits
			}
		}
		seen, want := map[uint64]bool{}, false
		for _, h := range hs {
			want = want || seen[h]
			seen[h] = true
		}
		if got := Repeats(slices.Clone(hs)); got != want {
			t.Fatalf("Repeats(%v) = %v, want %v", hs, got, want)
		}
	}
}

// TestHasRepeatsReusesSet checks hasRepeats with one set for customer
// after customer, as Build uses it, larger and smaller in turn, against a
// map.
func TestHasRepeatsReusesSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	var set idSet
	for trial := range 2000 {
		n := rng.IntN(200)
		if trial%2 == 1 {
			n = rng.IntN(2 * repeatsQuadratic)
		}
		lines := make([]order, n)
		span := uint64(1 + rng.IntN(8*n+1))
		seen, want := map[uint64]bool{}, false
		for i := range lines {
			lines[i].h = rng.Uint64N(span) << (trial % 60)
			want = want || seen[lines[i].h]
			seen[lines[i].h] = true
		}
		if got := hasRepeats(lines, &set); got != want {
			t.Fatalf("trial %d: hasRepeats of %d lines = %v, want %v", trial, n, got, want)
		}
	}
}

// TestMedianOf compares medianOf with Median of the sorted values, for
// counts on both sides of selectMin, odd and even, with ties.
func TestMedianOf(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 2000 {
		v := make([]int32, 1+rng.IntN(4*selectMin))
		for i := range v {
			v[i] = rng.Int32N(int32(1 + trial%50))
		}
		sorted := slices.Clone(v)
		slices.Sort(sorted)
		if got, want := medianOf(v), Median(sorted); got != want {
			t.Fatalf("medianOf(%v) = %v, want %v", sorted, got, want)
		}
	}
}

// TestAppenderReset: an Appender reset builds the same table as a new one.
func TestAppenderReset(t *testing.T) {
	build := func(a *Appender, days ...int32) *Customers {
		for k, d := range days {
			a.Sale(d, int64(100*(k+1)))
			a.Sale(d+7, 250)
			a.Adjust(-30)
			a.End(int32(k))
		}
		return a.Table()
	}
	a := NewAppender(nil, nil, 4, 0.5)
	build(a, 20000, 20100, 20200)
	a.Reset(0.3)
	got := build(a, 20300)
	want := build(NewAppender(nil, nil, 1, 0.3), 20300)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after Reset:\n%+v\nwant\n%+v", got, want)
	}
	if got.Len() != 1 || got.Refunds[0] != 1 || got.Revenue[0] != 100+250-30 {
		t.Errorf("table %+v", got)
	}
}

// TestAppenderOrder: rows of one order id are one order, dated by its
// first row, as Build makes them from an order table with an id column.
func TestAppenderOrder(t *testing.T) {
	a := NewAppender(nil, nil, 1, 0.5)
	a.Order(20000, 500, 7)
	a.Order(20003, 250, 9)
	a.Order(20001, 300, 7) // a later line of order 7
	a.Adjust(-100)
	a.End(0)
	got := a.Table()
	if got.Len() != 1 || got.Orders[0] != 2 || got.Days[0] != 2 || got.Revenue[0] != 950 || got.MaxOrder[0] != 800 ||
		got.First[0] != 20000 || got.Last[0] != 20003 || got.LastGap[0] != 3 {
		t.Errorf("table %+v", got)
	}
	a.Reset(0.5)
	a.Sale(20000, 500)
	a.Sale(20000, 300)
	a.End(0)
	if got := a.Table(); got.Orders[0] != 2 || got.MaxOrder[0] != 500 {
		t.Errorf("after Order, Sale rows were merged: %+v", got)
	}
}

// TestBuildBlocks: Build gives each customer their own rows, in day order
// when the days allow it and in file order when not, and each row reaches
// its customer's features: over many blocks of gathered rows, a customer
// with more rows than a block, files in day order or not, and both halves
// at once.
func TestBuildBlocks(t *testing.T) {
	defer func(n int) { parallelCustomers = n }(parallelCustomers)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	rng := rand.New(rand.NewPCG(3, 5))
	for trial := range 6 {
		n := 5*block + 123
		o := &ingest.Orders{Customers: ingest.NewDict(1 << 12)}
		for c := range 3000 {
			o.Customers.Index(fmt.Appendf(nil, "c%d", c))
		}
		for i := range n {
			c := rng.Int32N(3000)
			if i%3 == 0 {
				c = 7 // more rows than a block
			}
			o.Cust = append(o.Cust, c)
			o.Day = append(o.Day, 19000+rng.Int32N(700))
			o.Cents = append(o.Cents, int64(rng.IntN(5000))-300)
			o.Order = append(o.Order, rng.Uint64())
		}
		if trial%3 == 0 { // a file in day order
			slices.Sort(o.Day)
		}
		if trial%3 == 2 { // days too far apart for the counting sort
			o.Day[n/2] = -300000
		}
		disp := make([]uint8, n)
		for i, cents := range o.Cents {
			switch {
			case i%11 == 0:
				disp[i] = Dropped
			case cents < 0:
				disp[i] = Adjustment
			}
		}
		parallelCustomers = 1 << 30
		if trial >= 3 {
			parallelCustomers = 1
		}
		tb := Build(o, disp, 0.5)
		g := tb.Grouped
		if g.Sorted != (trial%3 != 2) {
			t.Fatalf("trial %d: sorted %v", trial, g.Sorted)
		}
		// Each customer's kept rows, by day when sorted, else as in the file.
		var want []int32
		for i := range n {
			if disp[i] != Dropped {
				want = append(want, int32(i))
			}
		}
		slices.SortStableFunc(want, func(a, b int32) int {
			if c := int(o.Cust[a]) - int(o.Cust[b]); c != 0 || !g.Sorted {
				return c
			}
			return int(o.Day[a]) - int(o.Day[b])
		})
		if !slices.Equal(g.Rows, want) {
			t.Fatalf("trial %d: grouped rows differ from the customers' rows in order", trial)
		}
		// Every customer's lines reached their features.
		for i := range tb.Len() {
			c := tb.Key[i]
			var revenue int64
			var orders int32
			first, last := int32(1<<30), int32(-1<<30)
			for _, r := range g.Rows[g.Start[c]:g.Start[c+1]] {
				revenue += o.Cents[r]
				if disp[r] == Sale {
					orders++
					first, last = min(first, o.Day[r]), max(last, o.Day[r])
				}
			}
			if tb.Revenue[i] != revenue || tb.Orders[i] != orders || tb.First[i] != first || tb.Last[i] != last {
				t.Fatalf("trial %d, customer %d: revenue %d orders %d days %d–%d; want %d, %d, %d–%d",
					trial, c, tb.Revenue[i], tb.Orders[i], tb.First[i], tb.Last[i], revenue, orders, first, last)
			}
		}
		if tb.Len() < 2900 || tb.Orders[slices.Index(tb.Key, 7)] < block {
			t.Fatalf("trial %d: %d customers; the test needs a customer with more rows than a block", trial, tb.Len())
		}
	}
}
