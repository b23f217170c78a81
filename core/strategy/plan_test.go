package strategy

import (
	"math"
	"strings"
	"testing"
)

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

// smallPlaybook prices three segments by hand:
//
//	a: cost 2, uplift 0.5−0.1 = 0.4, order 100, margin 0.5 → profit 0.4·100·0.5 − 2 = 18 per contact
//	b: cost 10, uplift 0.2, order 200, margin 0.5 → 0.2·200·0.5 − 10 = 10 per contact
//	c: cost 1, uplift 0 → −1 per contact: never bought
var smallPlaybook = &Playbook{Name: "small", Currency: "CNY", Entries: []Entry{
	{Segment: "a", Actions: []Action{{Name: "x", Channel: "sms", Cost: 2, Response: .5, Baseline: .1, OrderValue: 100, Margin: .5}}},
	{Segment: "b", Actions: []Action{{Name: "y", Channel: "call", Cost: 10, Response: .3, Baseline: .1, OrderValue: 200, Margin: .5}}},
	{Segment: "c", Actions: []Action{{Name: "z", Channel: "sms", Cost: 1, Response: .1, Baseline: .1, OrderValue: 100, Margin: .5}}},
}}

// smallBase has 10 customers in a, 5 in b and 4 in c; rank is the
// customer index, so in each segment the highest index goes first.
func smallBase() (labels []uint8, rank []float64) {
	for i := range 19 {
		l := uint8(0)
		switch {
		case i >= 15:
			l = 2
		case i >= 10:
			l = 1
		}
		labels = append(labels, l)
		rank = append(rank, float64(i))
	}
	return labels, rank
}

// TestPlanByHand: with 40 to spend, a (18 per contact for 2, ratio 9)
// takes 10 × 2 = 20 and b (ratio 1) takes the other 20: 2 contacts.
// Profit 10·18 + 2·10 = 200, cost 40, ROI 5; expected orders
// 0.5·10 + 0.3·2 = 5.6, incremental orders 0.4·10 + 0.2·2 = 4.4,
// incremental revenue 0.4·100·10 + 0.2·200·2 = 480. With 45, the 5 left buy no
// more contact of b (10 each). b becomes worth it at a budget of 20.
func TestPlanByHand(t *testing.T) {
	labels, rank := smallBase()
	pl, err := NewPlanner(smallPlaybook, "segment", []string{"a", "b", "c"}, labels, rank)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pl.Plan(40, nil, Holdout{})
	if err != nil {
		t.Fatal(err)
	}
	tot := p.Total
	if tot.Contacted != 12 || !p.Exact {
		t.Fatalf("contacted %d exact %v, want 12 true", tot.Contacted, p.Exact)
	}
	near(t, "profit", tot.Profit, 200, 1e-9)
	near(t, "cost", tot.Cost, 40, 1e-9)
	near(t, "roi", tot.ROI, 5, 1e-9)
	near(t, "expected orders", tot.ExpectedOrders, 5.6, 1e-9)
	near(t, "incremental orders", tot.IncrementalOrders, 4.4, 1e-9)
	near(t, "incremental revenue", tot.IncrementalRevenue, 480, 1e-9)
	if p.Segments[2].Contacted != 0 || p.Segments[2].NoteCode != "no_pay" || !strings.Contains(p.Segments[2].Note, "no action pays") {
		t.Errorf("segment c: %+v", p.Segments[2])
	}
	action := make([]int16, len(labels))
	hold := make([]bool, len(labels))
	pl.Assign(p, action, hold)
	// b's best two are customers 14 and 13.
	for i, want := range map[int]int16{0: 0, 9: 0, 14: 1, 13: 1, 12: -1, 10: -1, 18: -1} {
		if action[i] != want {
			t.Errorf("customer %d action %d, want %d", i, action[i], want)
		}
	}
	if names := p.ActionNames(); names[action[14]] != "y" {
		t.Errorf("action names %v", names)
	}

	p, err = pl.Plan(45, nil, Holdout{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "unspent", p.Unspent, 5, 1e-9)
	if p.UnspentCode != "below_one_contact" || p.UnspentReason != "5.00 left is less than one more contact (cheapest 10.00)" {
		t.Errorf("unspent reason %q %q (cheapest %v)", p.UnspentCode, p.UnspentReason, p.CheapestContact)
	}
	curve, err := pl.Curve(nil, Holdout{}, 6, p)
	if err != nil {
		t.Fatal(err)
	}
	// Saturation: 20 for a + 50 for b = 70; at 35: a 20, b 1 (10) = 190.
	if last := curve[len(curve)-1]; last.Budget != 70 || last.Profit != 230 {
		t.Errorf("curve end %+v, want budget 70 profit 230", last)
	}
	if curve[3].Budget != 35 || curve[3].Profit != 190 {
		t.Errorf("curve mid %+v, want budget 35 profit 190", curve[3])
	}
	near(t, "a worth from", p.Segments[0].WorthFrom, 0, 0.01)
	near(t, "b worth from", p.Segments[1].WorthFrom, 20, 0.01)
	near(t, "c worth from", p.Segments[2].WorthFrom, -1, 0)
}

// TestPlanHoldout: b's action moves the response from 0.1 to 0.3; equal
// groups need (1.95996·√(2·0.2·0.8) + 0.84162·√(0.09+0.21))² / 0.2² =
// (1.10868 + 0.46097)² / 0.04 = 61.6 → 62 per group, more than the half of
// b's 5 customers allowed, so b holds out 2 and contacts at most 3.
func TestPlanHoldout(t *testing.T) {
	labels, rank := smallBase()
	pl, _ := NewPlanner(smallPlaybook, "segment", []string{"a", "b", "c"}, labels, rank)
	p, err := pl.Plan(1000, nil, Holdout{Enabled: true, Alpha: .05, Power: .8, MaxShare: .5})
	if err != nil {
		t.Fatal(err)
	}
	b := p.Segments[1]
	if b.HoldoutNeeded != 62 || b.Holdout != 2 || b.Contacted != 3 {
		t.Fatalf("b: needed %d holdout %d contacted %d, want 62 2 3", b.HoldoutNeeded, b.Holdout, b.Contacted)
	}
	action := make([]int16, len(labels))
	hold := make([]bool, len(labels))
	pl.Assign(p, action, hold)
	var nh, na int
	for i := 10; i < 15; i++ {
		if hold[i] {
			nh++
			if action[i] >= 0 {
				t.Errorf("customer %d both held out and contacted", i)
			}
		}
		if action[i] >= 0 {
			na++
		}
	}
	if nh != 2 || na != 3 {
		t.Errorf("b: %d held out, %d contacted", nh, na)
	}
}

func TestChannelCapAndErrors(t *testing.T) {
	labels, rank := smallBase()
	pl, _ := NewPlanner(smallPlaybook, "segment", []string{"a", "b", "c"}, labels, rank)
	// sms capped at 10: a gets 5 contacts (10), b the remaining 30 (3).
	p, err := pl.Plan(40, []ChannelCap{{Channel: "sms", Budget: 10}}, Holdout{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Segments[0].Contacted != 5 || p.Segments[1].Contacted != 3 {
		t.Errorf("contacts %d %d, want 5 3", p.Segments[0].Contacted, p.Segments[1].Contacted)
	}
	if _, err := pl.Plan(40, []ChannelCap{{Channel: "fax", Budget: 1}}, Holdout{}); err == nil || !strings.Contains(err.Error(), `"fax"`) {
		t.Errorf("unknown channel: %v", err)
	}
	if _, err := pl.Plan(-1, nil, Holdout{}); err == nil || !strings.Contains(err.Error(), "budget") {
		t.Errorf("negative budget: %v", err)
	}
}

func TestPresetPlaybooks(t *testing.T) {
	names := PresetPlaybooks()
	if len(names) != 4 {
		t.Fatalf("presets %v", names)
	}
	for _, n := range names {
		pb, err := PresetPlaybook(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, seg := range []string{"important_value", "general_retain", "new", "churned", "champions", "lost"} {
			if pb.Lookup(seg) == nil {
				t.Errorf("%s: no entry for %s", n, seg)
			}
		}
		if pb.Notes == "" {
			t.Errorf("%s: assumptions not documented", n)
		}
	}
}

func TestParsePlaybookErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"segments":[{"segment":"a","actions":[{"name":"x","cost":-1}]}]}`, "segments[0].actions[0].cost: -1"},
		{`{"segments":[{"segment":"a","actions":[{"name":"x","cost":0}]}]}`, "cost: 0 must be above 0"},
		{`{"segments":[{"segment":"a","actions":[{"name":"x","cost":1,"response":1.5}]}]}`, "response: 1.5"},
		{`{"segments":[{"segment":"a","actions":[{"name":"x","colour":1}]}]}`, `unknown field "colour"`},
		{`{"segments":[{"segment":"a"},{"segment":"a"}]}`, `"a" appears twice`},
		{`{"segments":[{"segment":"a","actions":[{"name":"x","cap":1.5}]}]}`, "cap: 1.5 is not a whole number"},
		{`{"name":3}`, "playbook.name: 3 is not a string"},
		{`[`, "not valid JSON"},
	} {
		_, err := ParsePlaybook([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.in, err, c.want)
		}
	}
}

// TestNegativeUpliftNeverContacted: an action whose response is below its
// baseline loses customers' orders, even when nearly free; with any budget the
// segment stays uncontacted.
func TestNegativeUpliftNeverContacted(t *testing.T) {
	pb := &Playbook{Name: "neg", Entries: []Entry{
		{Segment: "a", Actions: []Action{{Name: "spam", Channel: "sms", Cost: .01, Response: .05, Baseline: .1, OrderValue: 100, Margin: .5}}},
		{Segment: "b", Actions: []Action{{Name: "ok", Channel: "sms", Cost: 1, Response: .3, Baseline: .1, OrderValue: 100, Margin: .5}}},
	}}
	labels := []uint8{0, 0, 0, 1, 1}
	pl, err := NewPlanner(pb, "segment", []string{"a", "b"}, labels, nil)
	if err != nil {
		t.Fatal(err)
	}
	prev := -1.0
	for _, budget := range []float64{0, 1, 2, 10, 1e9} {
		p, err := pl.Plan(budget, nil, Holdout{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Segments[0].Contacted != 0 {
			t.Errorf("budget %v: negative-uplift segment contacted %d times", budget, p.Segments[0].Contacted)
		}
		if budget == 0 && p.Total.Contacted != 0 {
			t.Errorf("zero budget contacted %d", p.Total.Contacted)
		}
		if p.Total.Profit < prev {
			t.Errorf("budget %v: profit %v below %v", budget, p.Total.Profit, prev)
		}
		prev = p.Total.Profit
	}
}
