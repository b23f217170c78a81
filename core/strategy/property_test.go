package strategy

import (
	"math/rand/v2"
	"testing"
)

// TestAllocateProperties checks on random problems that more budget never
// lowers the profit, that a zero budget contacts no one who costs money,
// and that an option with zero or negative profit is never bought.
func TestAllocateProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	trials := 150
	if testing.Short() {
		trials = 50
	}
	for trial := range trials {
		p := randomProblem(rng)
		prev := -1.0
		for b := 0.0; b <= 30; b++ {
			p.Budget = b
			sol, err := Allocate(p)
			if err != nil {
				t.Fatal(err)
			}
			if sol.Profit < prev-1e-9 {
				t.Fatalf("trial %d: budget %v profit %v below %v at budget %v for %+v", trial, b, sol.Profit, prev, b-1, p)
			}
			prev = sol.Profit
			for j, c := range sol.Contacts {
				o := p.Options[j]
				if c > 0 && o.Profit <= 0 {
					t.Fatalf("trial %d: option %d with profit %v bought %d times", trial, j, o.Profit, c)
				}
				if b == 0 && c > 0 && o.Cost > 0 {
					t.Fatalf("trial %d: zero budget bought %d of option %d", trial, c, j)
				}
			}
		}
	}
}
