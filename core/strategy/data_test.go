package strategy

import "testing"

// TestUseDataByHand: segment a is measured on enough customers, so its
// order value becomes 50 and its baseline 0.3, with the playbook's uplift
// 0.4 on top (response 0.7): profit 0.4·50·0.5 − 2 = 8 per contact. b has
// too few customers earlier for a baseline (its order value is measured),
// c too few for either.
func TestUseDataByHand(t *testing.T) {
	labels, rank := smallBase()
	pl, err := NewPlanner(smallPlaybook, "segment", []string{"a", "b", "c"}, labels, rank)
	if err != nil {
		t.Fatal(err)
	}
	pl.UseData([]GroupData{
		{Customers: 25, Orders: 40, OrderValue: 50, Earlier: 30, Buyers: 9, Baseline: 0.3},
		{Customers: 25, Orders: 40, OrderValue: 120, Earlier: 5, Buyers: 1, Baseline: 0.2},
		{Customers: 4, Orders: 5, OrderValue: 80, Earlier: 4, Buyers: 1, Baseline: 0.25},
	})
	p, err := pl.Plan(1000, nil, Holdout{})
	if err != nil {
		t.Fatal(err)
	}
	a := p.Segments[0].Actions[0]
	if a.Basis != "data" || a.OrderValue != 50 || a.Baseline != 0.3 || a.Response != 0.7 || a.ProfitPerContact != 8 {
		t.Errorf("a: %+v", a)
	}
	if a.Playbook == nil || a.Playbook.OrderValue != 100 || a.Playbook.Baseline != 0.1 || a.Playbook.Response != 0.5 {
		t.Errorf("a's playbook figures: %+v", a.Playbook)
	}
	b := p.Segments[1].Actions[0]
	if b.Basis != "partly" || b.OrderValue != 120 || b.Baseline != 0.1 || b.Response != 0.3 {
		t.Errorf("b: %+v", b)
	}
	c := p.Segments[2].Actions[0]
	if c.Basis != "playbook" || c.Playbook != nil || c.OrderValue != 100 {
		t.Errorf("c: %+v", c)
	}
	if p.Segments[0].Data == nil || p.Segments[0].Data.Buyers != 9 {
		t.Errorf("segment data not reported: %+v", p.Segments[0].Data)
	}
}

// TestFullBudget: the budget sized to the data buys every paying contact
// (a: 10 × 2, b: 5 × 10 = 70), leaves nothing unspent, and no larger
// budget earns more.
func TestFullBudget(t *testing.T) {
	labels, rank := smallBase()
	pl, err := NewPlanner(smallPlaybook, "segment", []string{"a", "b", "c"}, labels, rank)
	if err != nil {
		t.Fatal(err)
	}
	full, err := pl.FullBudget(nil, Holdout{})
	if err != nil || full != 70 {
		t.Fatalf("full budget %v, %v; want 70", full, err)
	}
	cfg := Default()
	cfg.Playbook, cfg.Holdout = "small", Holdout{}
	auto, err := pl.PlanConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !auto.BudgetAuto || auto.Budget != 70 || auto.Unspent != 0 || auto.Total.Contacted != 15 {
		t.Errorf("auto plan: budget %v unspent %v contacted %d", auto.Budget, auto.Unspent, auto.Total.Contacted)
	}
	more, err := pl.Plan(1000, nil, Holdout{})
	if err != nil {
		t.Fatal(err)
	}
	if more.Total.Profit != auto.Total.Profit {
		t.Errorf("a larger budget earns %v, the sized one %v", more.Total.Profit, auto.Total.Profit)
	}
	less, err := pl.Plan(60, nil, Holdout{})
	if err != nil {
		t.Fatal(err)
	}
	if !(less.Total.Profit < auto.Total.Profit) {
		t.Errorf("a smaller budget earns %v, not less than %v", less.Total.Profit, auto.Total.Profit)
	}
	cfg.BudgetAuto, cfg.Budget = false, 60
	if p, _ := pl.PlanConfig(cfg); p.Budget != 60 || p.BudgetAuto {
		t.Errorf("a budget set by hand was not kept: %v", p.Budget)
	}
}

func TestDefaultPlaybook(t *testing.T) {
	cfg := Default()
	pb, err := cfg.Resolve()
	if err != nil || pb.Name != DefaultPlaybook || cfg.Playbook != "" {
		t.Fatalf("default playbook %v, %v", pb, err)
	}
	for _, bad := range []func(*Config){
		func(c *Config) { c.Values = "guess" },
		func(c *Config) { c.WindowDays = 0 },
		func(c *Config) { c.WindowDays = MaxWindowDays + 1 },
	} {
		c := Default()
		bad(&c)
		if c.Validate() == nil {
			t.Errorf("%+v passed validation", c)
		}
	}
}
