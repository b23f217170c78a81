package session

import (
	"testing"
	"time"

	"segsim/core/scenario"
)

// TestPanels checks the prediction and plan panels on CDNOW: a churn list
// sorted by value at risk, a holdout table 0..7+, and a budget re-plan that
// gives the plan engine.Dataset.Plan gives.
func TestPanels(t *testing.T) {
	d := sampleDataset(t, "cdnow.csv")
	s := scenario.Default()
	s.Predict.Enabled = true
	t0 := time.Now()
	r, err := d.Run(s)
	if err != nil {
		t.Fatal(err)
	}
	t1 := time.Now()
	pp := NewPanels(NewPage(d))
	v := pp.Prediction(r, s.Predict, 0.25, 20)
	t2 := time.Now()
	t.Logf("run with predictions %v, panel %v", t1.Sub(t0), t2.Sub(t1))
	if v == nil || len(v.Churn) == 0 || v.Holdout == nil || len(v.Holdout.Rows) != 8 || v.Holdout.Rows[7].Frequency != "7+" {
		t.Fatalf("prediction panel %+v", v)
	}
	for i := 1; i < len(v.Churn); i++ {
		if v.Churn[i].AtRisk > v.Churn[i-1].AtRisk {
			t.Fatalf("churn list not sorted by value at risk at %d", i)
		}
	}
	if v2 := pp.Prediction(r, s.Predict, 0.25, 20); v2.Holdout != v.Holdout {
		t.Fatal("holdout fit not cached")
	}
	t3 := time.Now()
	pv, err := pp.Plan(r, s.Plan, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	t4 := time.Now()
	cfg := s.Plan
	cfg.Budget, cfg.BudgetAuto = 50000, false
	re, err := pp.Plan(r, cfg, true, pv)
	if err != nil {
		t.Fatal(err)
	}
	t5 := time.Now()
	t.Logf("plan+curve %v, re-plan %v, max budget %v, curve top %v", t4.Sub(t3), t5.Sub(t4), pv.MaxBudget, pv.Curve[len(pv.Curve)-1])
	if !re.Replanned || re.Plan.Budget != 50000 || re.Plan.Total.Profit > pv.Plan.Total.Profit {
		t.Fatalf("re-plan %+v", re.Plan.Total)
	}
	want, err := d.Plan(r, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if want.Total != re.Plan.Total {
		t.Fatalf("re-plan totals %+v, engine.Dataset.Plan %+v", re.Plan.Total, want.Total)
	}
}
