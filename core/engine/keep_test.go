package engine

import (
	"math"
	"testing"

	"segsim/core/lifecycle"
	"segsim/core/scenario"
	"segsim/core/strategy"
)

// TestKeepApparel: on the apparel sample, where 52% of the customers are
// churned (silent for over 180 days), assuming everyone keeps their pace
// has 84.5% of them reach a quarter of the default threshold (125
// points). Weighted by the observed repurchase rate of their recency band
// the share falls below the share not churned, and churned customers
// keep buying with a probability under a quarter; weighted by BG/NBD's
// P(alive) it falls too.
func TestKeepApparel(t *testing.T) {
	ds := sampleDataset(t, "apparel_zh.csv")
	sc := scenario.Default()
	r, err := ds.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	p := strategy.DefaultPoints()
	p.Threshold = 125
	perMonth, aov := strategy.Behaviour(ds.Customers, r.AsOfDay)
	pace := p.Simulate(perMonth, aov, nil)
	if math.Abs(pace.ReachShare-.845) > .0005 {
		t.Errorf("everyone at their pace: %.4f reach 125 points, want 0.845", pace.ReachShare)
	}

	keep := ds.Keep(r, p.Months)
	if keep.Basis != "repurchase" || keep.Days != 365 || len(keep.Prob) != ds.Customers.Len() {
		t.Fatalf("keep %+v", keep)
	}
	churned, customers := 0, ds.Customers.Len()
	var churnedKeep float64
	for i, s := range r.Stage {
		if lifecycle.Stage(s) == lifecycle.Churned {
			churned++
			churnedKeep += keep.Prob[i]
		}
	}
	notChurned := 1 - float64(churned)/float64(customers)
	if math.Abs(notChurned-.48) > .005 {
		t.Errorf("%.3f not churned, want 0.48", notChurned)
	}
	if m := churnedKeep / float64(churned); m >= .25 {
		t.Errorf("churned customers keep buying with probability %.3f", m)
	}
	weighted := p.Simulate(perMonth, aov, keep.Prob)
	if weighted.ReachShare >= notChurned || weighted.ReachShare >= pace.ReachShare/2 {
		t.Errorf("weighted by repurchase: %.3f reach 125 points; %.3f not churned, %.3f at their pace", weighted.ReachShare, notChurned, pace.ReachShare)
	}
	now := 0
	for _, b := range keep.Bands {
		now += b.Now
	}
	if now != customers {
		t.Errorf("the bands hold %d customers now, want %d", now, customers)
	}

	sc.Predict.Enabled = true
	if r, err = ds.Run(sc); err != nil {
		t.Fatal(err)
	}
	alive := ds.Keep(r, p.Months)
	if alive.Basis != "p_alive" || alive.Model != "bgnbd" {
		t.Fatalf("with predictions: basis %q model %q", alive.Basis, alive.Model)
	}
	if w := p.Simulate(perMonth, aov, alive.Prob); w.ReachShare >= .7 {
		t.Errorf("weighted by P(alive): %.3f reach 125 points", w.ReachShare)
	}
}
