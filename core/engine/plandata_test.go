package engine

import (
	"math"
	"testing"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/scenario"
	"segsim/core/strategy"
)

// TestPlanFromData plans the grocery sample with its industry's playbook
// and the defaults (values from the data, budget sized to the data), and
// checks each segment's figures another way: the order value from the
// customer table's sums, the baseline from a fresh dataset scored at the
// earlier date and, for "ordered within the window", each customer's last
// purchase day in the full run (which falls in the window exactly when
// some order does).
func TestPlanFromData(t *testing.T) {
	d := sampleDataset(t, "grocery_en.csv")
	sc := scenario.Default()
	sc.Plan.Playbook = "fmcg"
	r, err := d.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := d.Plan(r, sc.Plan)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.BudgetAuto || plan.Budget <= 0 || plan.Unspent != 0 || plan.Values != "data" || plan.PlaybookDefault {
		t.Fatalf("plan budget %v (auto %v) unspent %v values %q", plan.Budget, plan.BudgetAuto, plan.Unspent, plan.Values)
	}
	// Another budget earns no more than the one sized to the data.
	for _, f := range []float64{0.5, 2} {
		cfg := sc.Plan
		cfg.BudgetAuto, cfg.Budget = false, plan.Budget*f
		p, err := d.Plan(r, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total.Profit > plan.Total.Profit+0.01 {
			t.Errorf("budget ×%v earns %v, more than the sized budget's %v", f, p.Total.Profit, plan.Total.Profit)
		}
	}

	last := map[string]int32{}
	t0 := d.Customers
	for i := range t0.Len() {
		last[t0.ID(i)] = t0.Last[i]
	}
	orders, revenue := map[uint8]int64{}, map[uint8]int64{}
	for i, s := range r.Segment {
		orders[s] += int64(t0.Orders[i])
		revenue[s] += t0.Revenue[i]
	}
	from := r.AsOfDay - 30
	earlier := sampleDataset(t, "grocery_en.csv")
	esc := scenario.Default()
	esc.Window.AsOf = calendar.Format(from)
	er, err := earlier.Run(esc)
	if err != nil {
		t.Fatal(err)
	}
	was, bought := map[uint8]int{}, map[uint8]int{}
	for i, s := range er.Segment {
		was[s]++
		if last[earlier.Customers.ID(i)] >= from {
			bought[s]++
		}
	}
	measured := 0
	for s, sp := range plan.Segments {
		g := sp.Data
		if g == nil {
			t.Fatalf("%s: no data", sp.Segment)
		}
		l := uint8(s)
		if g.Orders != int(orders[l]) || g.Earlier != was[l] || g.Buyers != bought[l] {
			t.Errorf("%s: orders %d earlier %d buyers %d, want %d %d %d", sp.Segment, g.Orders, g.Earlier, g.Buyers, orders[l], was[l], bought[l])
		}
		if orders[l] > 0 && math.Abs(g.OrderValue-float64(revenue[l])/float64(orders[l])/100) > 0.005 {
			t.Errorf("%s: order value %v, want %v", sp.Segment, g.OrderValue, float64(revenue[l])/float64(orders[l])/100)
		}
		for _, a := range sp.Actions {
			if g.Customers >= strategy.MinMeasured && a.OrderValue != g.OrderValue {
				t.Errorf("%s %s: order value %v, not the data's %v", sp.Segment, a.Action, a.OrderValue, g.OrderValue)
			}
			if g.Earlier >= strategy.MinMeasured {
				measured++
				if a.Baseline != g.Baseline || a.Basis != "data" || a.Playbook == nil {
					t.Errorf("%s %s: baseline %v basis %q, want the data's %v", sp.Segment, a.Action, a.Baseline, a.Basis, g.Baseline)
				}
			}
		}
	}
	if measured == 0 {
		t.Fatal("no segment measured")
	}
}

// TestPlanFromStats: stats carry no order dates within a customer's
// history, so baselines stay the playbook's and say why.
func TestPlanFromStats(t *testing.T) {
	built, err := FromStats([]Stats{
		{ID: "a", First: 19000, Last: 19100, Orders: 3, Days: 3, Revenue: 30000},
		{ID: "b", First: 19050, Last: 19050, Orders: 1, Days: 1, Revenue: 5000},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The same stats read from a file (format "stats csv").
	read, err := Load([]byte("customer_id,first_date,last_date,orders,purchase_days,revenue\n"+
		"a,2022-01-08,2022-04-18,3,3,300.00\nb,2022-02-27,2022-02-27,1,1,50.00\n"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*Dataset{built, read} {
		sc := scenario.Default()
		r, err := d.Run(sc)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := d.Plan(r, sc.Plan)
		if err != nil {
			t.Fatal(err)
		}
		for _, sp := range plan.Segments {
			if sp.Data.Baseline != -1 || sp.Data.BaselineNote != "stats" {
				t.Errorf("%s (%s): baseline %v note %q", sp.Segment, d.Load.Format, sp.Data.Baseline, sp.Data.BaselineNote)
			}
		}
	}
}
