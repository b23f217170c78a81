package lifecycle

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/summary"
)

func TestAssign(t *testing.T) {
	asOf := int32(1000)
	// first, last, median gap, last gap → stage (defaults: new ≤30 days,
	// active window 2×median in 30..90 (90 with one purchase day), at risk
	// past 2× the window, churned past 180 days, returned after a gap >180).
	cases := []struct {
		first, last int32
		median      float32
		lastGap     int32
		want        Stage
	}{
		{990, 995, -1, -1, New},
		{970, 999, 10, 29, New},       // first purchase exactly 30 days ago
		{500, 995, 10, 10, Active},    // window 30
		{500, 960, 10, 10, Silent},    // recency 40 > 30
		{500, 930, 10, 10, AtRisk},    // recency 70 > 60
		{500, 930, 40, 40, Active},    // window 80
		{500, 850, -1, -1, Silent},    // one purchase day: window 90; recency 150 ≤ 180
		{500, 819, -1, -1, Churned},   // recency 181
		{100, 990, 20, 300, Returned}, // came back after 300 days
		{100, 819, 20, 300, Churned},
	}
	tb := &summary.Customers{}
	for _, c := range cases {
		tb.First = append(tb.First, c.first)
		tb.Last = append(tb.Last, c.last)
		tb.MedianGap = append(tb.MedianGap, c.median)
		tb.LastGap = append(tb.LastGap, c.lastGap)
	}
	out := make([]uint8, len(cases))
	Assign(tb, Default(), asOf, nil, 0, out)
	for i, c := range cases {
		if Stage(out[i]) != c.want {
			t.Errorf("case %d %+v: %s, want %s", i, c, Names[out[i]], Names[c.want])
		}
	}
}

func TestBuyerSplit(t *testing.T) {
	in := "customer_id,order_id,order_date,amount\n" +
		"old,1,2024-01-01,10\nold,2,2024-03-05,20\nold,3,2024-03-06,30\n" + // old repeat buyer
		"once,4,2024-01-02,10\nonce,5,2024-03-10,5\n" + // old buyer
		"new,6,2024-03-15,7\nnew,6,2024-03-15,1\n" + // new buyer, one order in two lines
		"split,8,2024-01-03,1\nsplit,9,2024-03-20,2\nsplit,9,2024-03-21,3\n" + // old buyer, one order in two lines
		"gone,7,2024-01-05,9\n"
	o, _, err := ingest.Parse([]byte(in), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	disp := make([]uint8, o.Len())
	tb := summary.Build(o, disp, 0.5)
	asOf, _ := calendar.Parse("2024-04-01")
	s := BuyerSplit(o, disp, tb, asOf, 30)
	if s.NewBuyers != 1 || s.OldBuyers != 3 || s.OldRepeatBuyers != 1 || s.NewRevenue != 800 || s.OldRevenue != 6000 {
		t.Errorf("split %+v", s)
	}
	if s.Start != "2024-03-02" || s.End != "2024-03-31" {
		t.Errorf("period %s..%s", s.Start, s.End)
	}

	// Without order ids every row is an order.
	in = "customer_id,order_date,amount\nold,2024-01-01,10\nold,2024-03-05,20\nold,2024-03-05,30\nnew,2024-03-15,7\n"
	if o, _, err = ingest.Parse([]byte(in), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	disp = make([]uint8, o.Len())
	s = BuyerSplit(o, disp, summary.Build(o, disp, 0.5), asOf, 30)
	if s.NewBuyers != 1 || s.OldBuyers != 1 || s.OldRepeatBuyers != 1 || s.NewRevenue != 700 || s.OldRevenue != 5000 {
		t.Errorf("split without order ids %+v", s)
	}
}

func TestAssignWithPAlive(t *testing.T) {
	tb := &summary.Customers{First: []int32{500, 500, 990}, Last: []int32{995, 995, 995}, MedianGap: []float32{10, 10, -1}, LastGap: []int32{10, 10, -1}}
	out := make([]uint8, 3)
	Assign(tb, Default(), 1000, []float64{0.9, 0.3, 0.1}, 0.5, out)
	if Stage(out[0]) != Active || Stage(out[1]) != AtRisk || Stage(out[2]) != New {
		t.Errorf("stages %v", out)
	}
}

// TestBuyerSplitBlocks compares BuyerSplit on a file of several of its
// blocks of rows (sales, refunds and dropped rows, order lines sharing an
// id) with a count made row by row here.
func TestBuyerSplitBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	var b strings.Builder
	b.WriteString("customer_id,order_id,order_date,amount\n")
	for i := range 3*block + 77 {
		order := i
		if rng.IntN(4) == 0 {
			order = max(i-rng.IntN(3), 0) // a line of an order before
		}
		day := 19700 + rng.Int32N(400)
		if i%block == block-1 {
			day = 19950 // a block's last row counts
		}
		fmt.Fprintf(&b, "c%d,o%d,%s,%d\n", rng.IntN(3000), order, calendar.Format(day), 1+rng.IntN(500))
	}
	o, _, err := ingest.Parse([]byte(b.String()), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	disp := make([]uint8, o.Len())
	for i := range disp {
		disp[i] = []uint8{summary.Sale, summary.Sale, summary.Adjustment, summary.Dropped}[rng.IntN(4)]
		if i%block == block-1 {
			disp[i] = summary.Sale
		}
	}
	tb := summary.Build(o, disp, 0.5)
	const asOf, days = 20000, 90
	got := BuyerSplit(o, disp, tb, asOf, days)

	var want Split
	first := map[int32]int32{}
	for i, k := range tb.Key {
		first[k] = tb.First[i]
	}
	orders := map[int32]map[uint64]bool{}
	for i, c := range o.Cust {
		f, in := first[c]
		if d := o.Day[i]; disp[i] != summary.Sale || !in || d < asOf-days || d >= asOf {
			continue
		}
		if f >= asOf-days {
			want.NewRevenue += o.Cents[i]
		} else {
			want.OldRevenue += o.Cents[i]
		}
		if orders[c] == nil {
			orders[c] = map[uint64]bool{}
		}
		orders[c][o.Order[i]] = true
	}
	for c, ids := range orders {
		switch {
		case first[c] >= asOf-days:
			want.NewBuyers++
		default:
			want.OldBuyers++
			if len(ids) >= 2 {
				want.OldRepeatBuyers++
			}
		}
	}
	want.Start, want.End = got.Start, got.End
	if got != want || want.OldRepeatBuyers == 0 || want.NewBuyers == 0 {
		t.Fatalf("BuyerSplit = %+v, counted row by row %+v", got, want)
	}
}
