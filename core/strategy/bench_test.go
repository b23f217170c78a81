package strategy

import (
	"math/rand/v2"
	"testing"
)

// millionBase spreads 1,000,000 customers over the rfm11 segments with a
// random ranking key.
func millionBase(b *testing.B) (*Playbook, []string, []uint8, []float64) {
	b.Helper()
	pb, err := PresetPlaybook("ecommerce")
	if err != nil {
		b.Fatal(err)
	}
	names := []string{"champions", "cant_lose_them", "loyal_customers", "at_risk", "new_customers", "promising",
		"potential_loyalist", "need_attention", "about_to_sleep", "hibernating", "lost"}
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 1_000_000
	labels := make([]uint8, n)
	rank := make([]float64, n)
	for i := range labels {
		labels[i] = uint8(rng.IntN(len(names)))
		rank[i] = rng.Float64()
	}
	return pb, names, labels, rank
}

// BenchmarkReplan1M measures a budget change on 1M customers: the planner
// is built once, each iteration plans a different budget with hold-outs.
func BenchmarkReplan1M(b *testing.B) {
	pb, names, labels, rank := millionBase(b)
	pl, err := NewPlanner(pb, "segment", names, labels, rank)
	if err != nil {
		b.Fatal(err)
	}
	h := Holdout{Enabled: true, Alpha: .05, Power: .8, MaxShare: .2}
	i := 0
	for b.Loop() {
		i++
		if _, err := pl.Plan(float64(50000+i%100*3000), nil, h); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/plan")
}

// BenchmarkAssign1M measures writing every customer's action and hold-out
// flag after a plan.
func BenchmarkAssign1M(b *testing.B) {
	pb, names, labels, rank := millionBase(b)
	pl, _ := NewPlanner(pb, "segment", names, labels, rank)
	p, err := pl.Plan(200000, nil, Holdout{Enabled: true, Alpha: .05, Power: .8, MaxShare: .2})
	if err != nil {
		b.Fatal(err)
	}
	action := make([]int16, len(labels))
	hold := make([]bool, len(labels))
	for b.Loop() {
		pl.Assign(p, action, hold)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(labels)), "ns/customer")
}

// BenchmarkNewPlanner1M measures the once-per-segmentation work.
func BenchmarkNewPlanner1M(b *testing.B) {
	pb, names, labels, rank := millionBase(b)
	for b.Loop() {
		if _, err := NewPlanner(pb, "segment", names, labels, rank); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(labels)), "ns/customer")
}
