package lifecycle

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"segsim/core/calendar"
	"segsim/core/clean"
	"segsim/core/ingest"
	"segsim/core/summary"
	"segsim/seeds/samples"
)

// TestBuyerSeriesByHand: as of 2024-04-10.
//
//	January:  A (order 1, 100) and B (orders 3 and 4, 80 + 20) are new:
//	          2 new buyers, 3 orders, 200, AOV 66.67.
//	February: C is new (order 5, 60; order 13's first line, 5): 1 buyer,
//	          2 orders, 65. A comes back with order 2 in two lines
//	          (50 + 10): 1 returning buyer, 1 order, 60. Base 2.
//	March:    C (order 6, 40; order 13's second line, 5, no new order)
//	          and B (order 7, 30) come back: 2 buyers, 2 orders, 75,
//	          AOV 37.5. A's refund line and X's dropped row count for
//	          nothing. Base 3.
//	April:    D is new (order 9, 70), 9 days before the as-of date; E's
//	          order on the as-of date is left out. Base 3.
//
// Order 13 over two months makes the series count with each customer's
// rows grouped; the file without order ids is counted in one pass.
func TestBuyerSeriesByHand(t *testing.T) {
	in := "customer_id,order_id,order_date,amount\n" +
		"A,1,2024-01-05,100\nA,2,2024-02-10,50\nA,2,2024-02-11,10\n" +
		"B,3,2024-01-20,80\nB,4,2024-01-25,20\n" +
		"C,5,2024-02-03,60\nC,13,2024-02-28,5\nC,6,2024-03-01,40\nC,13,2024-03-02,5\n" +
		"B,7,2024-03-25,30\nA,11,2024-03-15,-25\nX,12,2024-03-16,999\n" +
		"D,9,2024-04-02,70\nE,10,2024-04-10,500\n"
	o, _, err := ingest.Parse([]byte(in), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	asOf, _ := calendar.Parse("2024-04-10")
	disp := make([]uint8, o.Len())
	for i := range disp {
		switch {
		case o.Cents[i] < 0:
			disp[i] = summary.Adjustment
		case string(o.Customers.Key(o.Cust[i])) == "X" || o.Day[i] >= asOf:
			disp[i] = summary.Dropped
		}
	}
	tb := summary.Build(o, disp, 0.5)
	got := BuyerSeries(o, disp, tb, asOf)
	sameFromRows(t, o, disp, tb, asOf, got)
	want := []Month{
		{Month: "2024-01", Days: 31, Base: 0, NewBuyers: 2, NewOrders: 3, NewRevenue: 200, NewAOV: 200.0 / 3},
		{Month: "2024-02", Days: 29, Base: 2, NewBuyers: 1, NewOrders: 2, NewRevenue: 65, NewAOV: 32.5, ReturningBuyers: 1, ReturningOrders: 1, ReturningRevenue: 60, ReturningAOV: 60},
		{Month: "2024-03", Days: 31, Base: 3, ReturningBuyers: 2, ReturningOrders: 2, ReturningRevenue: 75, ReturningAOV: 37.5},
		{Month: "2024-04", Days: 9, Base: 3, NewBuyers: 1, NewOrders: 1, NewRevenue: 70, NewAOV: 70},
	}
	if len(got) != len(want) {
		t.Fatalf("%d months, want %d: %+v", len(got), len(want), got)
	}
	for k := range want {
		g, w := got[k], want[k]
		if math.Abs(g.NewAOV-w.NewAOV) < 1e-9 {
			g.NewAOV = w.NewAOV
		}
		if g != w {
			t.Errorf("month %d:\n got %+v\nwant %+v", k, g, w)
		}
	}

	// Without order ids every row is an order: A's two lines in February
	// are two orders.
	in = "customer_id,order_date,amount\nA,2024-01-05,100\nA,2024-02-10,50\nA,2024-02-11,10\nB,2024-02-20,8\n"
	if o, _, err = ingest.Parse([]byte(in), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	disp = make([]uint8, o.Len())
	asOf, _ = calendar.Parse("2024-03-01")
	got = BuyerSeries(o, disp, summary.Build(o, disp, 0.5), asOf)
	if len(got) != 2 || got[1].ReturningOrders != 2 || got[1].ReturningBuyers != 1 || got[1].ReturningAOV != 30 || got[1].NewBuyers != 1 || got[1].Days != 29 {
		t.Errorf("without order ids: %+v", got)
	}

	// Rows decades apart, out of order: Build cannot place each
	// customer's rows in day order, and counts their months as they come.
	in = "customer_id,order_id,order_date,amount\nA,1,2024-01-05,100\nA,2,1990-02-10,50\nA,3,2024-01-06,7\n" +
		"B,4,2024-02-20,8\nB,5,1990-02-11,9\nA,6,1990-02-12,10\nA,7,2001-05-01,3\n"
	if o, _, err = ingest.Parse([]byte(in), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	disp = make([]uint8, o.Len())
	asOf, _ = calendar.Parse("2024-03-01")
	tb = summary.Build(o, disp, 0.5)
	if tb.Grouped.Sorted {
		t.Fatal("rows decades apart were placed in day order")
	}
	got = BuyerSeries(o, disp, tb, asOf)
	sameFromRows(t, o, disp, tb, asOf, got)
	if got[0].Month != "1990-02" || got[0].NewBuyers != 2 || got[0].NewOrders != 3 || got[len(got)-1].ReturningBuyers != 1 {
		t.Errorf("rows decades apart: first month %+v, last %+v", got[0], got[len(got)-1])
	}
}

// TestBuyerSeriesSample checks the series of the apparel sample against
// an independent count with maps over the cleaned rows: every customer is
// a new buyer in exactly one month (so the new buyers add up to the
// customers), and each month's buyers, orders and revenue equal the
// distinct customers, distinct (customer, order id) pairs and sale
// amounts of that month. The file lists rows by date, which one pass
// counts; shuffled, the rows are counted grouped by customer.
func TestBuyerSeriesSample(t *testing.T) {
	b, err := samples.FS.ReadFile("apparel_zh.csv")
	if err != nil {
		t.Fatal(err)
	}
	o, _, err := ingest.Parse(b, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var last int32
	for _, d := range o.Day {
		last = max(last, d)
	}
	asOf := last - 40 // the last month cut short
	disp, _ := clean.Rows(o, clean.Default(), clean.Window{AsOf: asOf})
	tb := summary.Build(o, disp, 0.5)
	got := BuyerSeries(o, disp, tb, asOf)
	sameFromRows(t, o, disp, tb, asOf, got)

	type custMonth struct {
		c int32
		m string
	}
	type custOrder struct {
		c int32
		h uint64
	}
	firstMonth := map[int32]string{}
	for i, k := range tb.Key {
		firstMonth[k] = calendar.Format(tb.First[i])[:7]
	}
	buyers := map[custMonth]bool{}
	orderMonth := map[custOrder]string{}
	orderDay := map[custOrder]int32{}
	revenue := map[string]int64{}
	for i, c := range o.Cust {
		if disp[i] != summary.Sale {
			continue
		}
		m := calendar.Format(o.Day[i])[:7]
		buyers[custMonth{c, m}] = true
		revenue[m] += o.Cents[i]
		k := custOrder{c, o.Order[i]}
		if d, ok := orderDay[k]; !ok || o.Day[i] < d {
			orderDay[k], orderMonth[k] = o.Day[i], m
		}
	}
	nBuyers, nOrders := map[string]int{}, map[string]int{}
	newBuyers := map[string]int{}
	for k := range buyers {
		nBuyers[k.m]++
		if firstMonth[k.c] == k.m {
			newBuyers[k.m]++
		}
	}
	for _, m := range orderMonth {
		nOrders[m]++
	}
	sumNew, base := 0, 0
	for _, m := range got {
		if m.NewBuyers+m.ReturningBuyers != nBuyers[m.Month] || m.NewBuyers != newBuyers[m.Month] {
			t.Errorf("%s: %d new + %d returning buyers; counted %d buyers, %d new", m.Month, m.NewBuyers, m.ReturningBuyers, nBuyers[m.Month], newBuyers[m.Month])
		}
		if m.NewOrders+m.ReturningOrders != nOrders[m.Month] {
			t.Errorf("%s: %d orders; counted %d", m.Month, m.NewOrders+m.ReturningOrders, nOrders[m.Month])
		}
		if cents := math.Round((m.NewRevenue + m.ReturningRevenue) * 100); cents != float64(revenue[m.Month]) {
			t.Errorf("%s: revenue %v; counted %v", m.Month, cents/100, float64(revenue[m.Month])/100)
		}
		if m.Base != base {
			t.Errorf("%s: base %d, want %d", m.Month, m.Base, base)
		}
		base += m.NewBuyers
		sumNew += m.NewBuyers
	}
	if sumNew != tb.Len() {
		t.Errorf("%d new buyers over the months; %d customers", sumNew, tb.Len())
	}
	if len(got) != 23 || got[0].Month != "2024-07" || got[22].Days != 20 { // to 2026-05-20
		t.Errorf("%d months from %s, the last of %d days", len(got), got[0].Month, got[len(got)-1].Days)
	}

	// The same rows shuffled: counted with each customer's rows grouped,
	// the same series.
	lines := strings.SplitAfter(string(b), "\n")
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(lines)-2, func(i, j int) { lines[i+1], lines[j+1] = lines[j+1], lines[i+1] })
	if o, _, err = ingest.Parse([]byte(strings.Join(lines, "")), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	disp, _ = clean.Rows(o, clean.Default(), clean.Window{AsOf: asOf})
	tb = summary.Build(o, disp, 0.5)
	if shuffled := BuyerSeries(o, disp, tb, asOf); !slices.Equal(shuffled, got) {
		t.Errorf("shuffled rows:\n%+v\nin file order:\n%+v", shuffled, got)
	}

	// Customers left out after Build (as the exclude rules do): the month
	// totals no longer fit the table, and the series reads the rows.
	keep := make([]bool, tb.Len())
	for i := range keep {
		keep[i] = i%7 != 0
	}
	tb.Filter(keep)
	fewer := BuyerSeries(o, disp, tb, asOf)
	noTotals := *tb
	noTotals.Totals, noTotals.Grouped = nil, nil
	if again := BuyerSeries(o, disp, &noTotals, asOf); !slices.Equal(fewer, again) || slices.Equal(fewer, got) {
		t.Errorf("with customers left out, the series from Build's totals and from the rows differ, or equal the whole one")
	}
}

// sameFromRows checks that without Build's month totals, and without its
// grouping too, the series reads the rows itself and gives got.
func sameFromRows(t *testing.T, o *ingest.Orders, disp []uint8, tb *summary.Customers, asOf int32, got []Month) {
	t.Helper()
	noTotals := *tb
	noTotals.Totals = nil
	if again := BuyerSeries(o, disp, &noTotals, asOf); !slices.Equal(again, got) {
		t.Errorf("the series differs without Build's month totals")
	}
	noTotals.Grouped = nil
	if again := BuyerSeries(o, disp, &noTotals, asOf); !slices.Equal(again, got) {
		t.Errorf("the series differs without Build's grouping")
	}
}
