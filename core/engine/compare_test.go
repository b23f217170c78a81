package engine

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	a := Numbers{Customers: 100, Revenue: 1000,
		Segments: map[string]GroupNumbers{"x": {10, 100}, "gone": {5, 50}},
		Tiers:    map[string]int{"core": 0, "tail": 40},
		Plan:     &PlanNumbers{Contacted: 10, Profit: 20, ROI: 0.5}}
	b := Numbers{Customers: 110, Revenue: 900,
		Segments: map[string]GroupNumbers{"x": {12, 90}, "new": {3, 30}},
		Tiers:    map[string]int{"core": 4, "tail": 40}}
	d := Compare(a, b)
	if d.Customers.Abs != 10 || *d.Customers.Pct != 0.1 || d.Revenue.Abs != -100 || *d.Revenue.Pct != -0.1 {
		t.Errorf("totals %+v %+v", d.Customers, d.Revenue)
	}
	if g := d.Segments["gone"]; g.Customers.Abs != -5 || *g.Customers.Pct != -1 {
		t.Errorf("a group B lacks: %+v", g)
	}
	if g := d.Segments["new"]; g.Customers.Abs != 3 || g.Customers.Pct != nil {
		t.Errorf("a group A lacks: %+v", g)
	}
	if c := d.Tiers["core"]; c.Abs != 4 || c.Pct != nil {
		t.Errorf("from zero: %+v", c)
	}
	if d.Plan != nil {
		t.Error("plans compared though B has none")
	}
	b.Plan = &PlanNumbers{Contacted: 15, Profit: 10, ROI: 0.25}
	d = Compare(a, b)
	if p := d.Plan["profit"]; p.Abs != -10 || *p.Pct != -0.5 || d.Plan["contacted"].Abs != 5 || d.Plan["roi"].Abs != -0.25 {
		t.Errorf("plan delta %+v", d.Plan)
	}
	out, _ := json.Marshal(Compare(Numbers{}, Numbers{Customers: 1}))
	if want := `"customers":{"abs":1,"pct":null}`; !json.Valid(out) || !strings.Contains(string(out), want) {
		t.Errorf("JSON %s lacks %s", out, want)
	}
}
