package strategy

import (
	"testing"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/summary"
)

// TestObservedKeepByHand: as of 2025-01-01, a 180-day look-ahead (the
// history, from 2024-01-01, is longer than twice that) cuts at
// 2024-07-05.
//
//	A: last bought 15 days before the cut (band 1–30), bought after it.
//	B: 10 days before (band 1–30), did not (a refund line is no purchase).
//	C: 65 days before (band 31–90), bought after it.
//	D: 186 days before (band 181–365), did not.
//	E: first bought after the cut: not in the look-back.
//
// Rates: 1–30 days 1/2, 31–90 days 1/1, 91–180 days nobody (borrowed
// from 31–90: 1), 181–365 days 0/1, over 365 nobody (borrowed from
// 181–365: 0). Now A's recency is 153 days (91–180: 1), B's 190 (0), C's
// 12 (0.5), D's 366 (over 365: 0), E's 92 (1): mean 2.5 / 5.
func TestObservedKeepByHand(t *testing.T) {
	in := "customer_id,order_date,amount\n" +
		"A,2024-06-20,10\nA,2024-08-01,10\nB,2024-06-25,10\nB,2024-08-02,-5\nC,2024-05-01,10\nC,2024-12-20,10\n" +
		"D,2024-01-01,10\nE,2024-10-01,10\n"
	o, _, err := ingest.Parse([]byte(in), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	disp := make([]uint8, o.Len())
	for i, c := range o.Cents {
		if c < 0 {
			disp[i] = summary.Adjustment
		}
	}
	tb := summary.Build(o, disp, .5)
	asOf, _ := calendar.Parse("2025-01-01")
	k := ObservedKeep(o, disp, tb, asOf, 180)
	if k.Basis != "repurchase" || k.Cut != "2024-07-05" || k.Days != 180 {
		t.Fatalf("basis %q cut %s days %d", k.Basis, k.Cut, k.Days)
	}
	want := []KeepBand{
		{MaxRecency: 30, Customers: 2, Bought: 1, Rate: .5, Now: 1},
		{MaxRecency: 90, Customers: 1, Bought: 1, Rate: 1},
		{MaxRecency: 180, Rate: 1, Borrowed: true, Now: 2},
		{MaxRecency: 365, Customers: 1, Rate: 0, Now: 1},
		{MaxRecency: 0, Rate: 0, Borrowed: true, Now: 1},
	}
	for b := range want {
		if k.Bands[b] != want[b] {
			t.Errorf("band %d: %+v, want %+v", b, k.Bands[b], want[b])
		}
	}
	byID := map[string]float64{}
	for i := range tb.Len() {
		byID[tb.ID(i)] = k.Prob[i]
	}
	for id, p := range map[string]float64{"A": 1, "B": 0, "C": .5, "D": 0, "E": 1} {
		if byID[id] != p {
			t.Errorf("%s: %v, want %v", id, byID[id], p)
		}
	}
	near(t, "mean", k.Mean, .5, 1e-12)

	// A history of 40 days allows a 20-day look-ahead at most: too short.
	in = "customer_id,order_date,amount\nA,2024-12-01,10\nA,2024-12-30,10\nB,2024-12-20,10\n"
	if o, _, err = ingest.Parse([]byte(in), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	disp = make([]uint8, o.Len())
	if k := ObservedKeep(o, disp, summary.Build(o, disp, .5), asOf, 365); k.Basis != "none" || k.Prob != nil || k.Mean != 1 {
		t.Errorf("short history: %+v", k)
	}
}
