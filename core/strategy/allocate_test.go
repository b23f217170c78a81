package strategy

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// randomProblem draws a small allocation: 1–3 segments of 0–4 customers,
// 1–2 actions each with integer costs 1–6 and profits in −2..8, optional
// caps and channel caps.
func randomProblem(rng *rand.Rand) Problem {
	var p Problem
	ns := 1 + rng.IntN(3)
	p.ChannelBudget = []float64{-1, -1}
	if rng.IntN(3) == 0 {
		p.ChannelBudget[0] = float64(rng.IntN(12))
	}
	for s := range ns {
		p.Customers = append(p.Customers, rng.IntN(5))
		for range 1 + rng.IntN(2) {
			o := Option{Segment: s, Channel: rng.IntN(3) - 1, Cost: float64(1 + rng.IntN(6)), Profit: float64(rng.IntN(11) - 2)}
			if rng.IntN(4) == 0 {
				o.Cap = 1 + rng.IntN(3)
			}
			if rng.IntN(5) == 0 {
				o.Profit += 0.5
			}
			p.Options = append(p.Options, o)
		}
	}
	p.Budget = float64(rng.IntN(25))
	return p
}

// feasible checks a whole or divisible allocation against every constraint.
func feasible(p Problem, x []float64) bool {
	const eps = 1e-7
	var cost float64
	seg := make([]float64, len(p.Customers))
	ch := make([]float64, len(p.ChannelBudget))
	for j, o := range p.Options {
		if x[j] < -eps || (o.Cap > 0 && x[j] > float64(o.Cap)+eps) {
			return false
		}
		cost += o.Cost * x[j]
		seg[o.Segment] += x[j]
		if o.Channel >= 0 {
			ch[o.Channel] += o.Cost * x[j]
		}
	}
	if cost > p.Budget+eps {
		return false
	}
	for s, v := range seg {
		if v > float64(p.Customers[s])+eps {
			return false
		}
	}
	for c, v := range ch {
		if p.ChannelBudget[c] >= 0 && v > p.ChannelBudget[c]+eps {
			return false
		}
	}
	return true
}

// bruteInteger enumerates every whole allocation.
func bruteInteger(p Problem) float64 {
	n := len(p.Options)
	x := make([]float64, n)
	best := 0.0
	var rec func(j int)
	rec = func(j int) {
		if j == n {
			if feasible(p, x) {
				v := 0.0
				for k, o := range p.Options {
					v += o.Profit * x[k]
				}
				best = max(best, v)
			}
			return
		}
		for c := 0; c <= p.Customers[p.Options[j].Segment]; c++ {
			x[j] = float64(c)
			rec(j + 1)
		}
		x[j] = 0
	}
	rec(0)
	return best
}

// bruteDivisible finds the optimum of the divisible model by enumerating
// every vertex of the feasible polytope: each choice of n constraints made
// tight whose solution is feasible.
func bruteDivisible(p Problem) float64 {
	n := len(p.Options)
	var G [][]float64
	var h []float64
	add := func(g []float64, v float64) { G, h = append(G, g), append(h, v) }
	for j, o := range p.Options {
		g := make([]float64, n)
		g[j] = -1
		add(g, 0)
		if o.Cap > 0 {
			g := make([]float64, n)
			g[j] = 1
			add(g, float64(o.Cap))
		}
	}
	g := make([]float64, n)
	for j, o := range p.Options {
		g[j] = o.Cost
	}
	add(g, p.Budget)
	for s, c := range p.Customers {
		g := make([]float64, n)
		for j, o := range p.Options {
			if o.Segment == s {
				g[j] = 1
			}
		}
		add(g, float64(c))
	}
	for c, b := range p.ChannelBudget {
		if b >= 0 {
			g := make([]float64, n)
			for j, o := range p.Options {
				if o.Channel == c {
					g[j] = o.Cost
				}
			}
			add(g, b)
		}
	}
	best := 0.0
	pick := make([]int, n)
	var rec func(k, from int)
	rec = func(k, from int) {
		if k == n {
			A := mat.NewDense(n, n, nil)
			b := mat.NewVecDense(n, nil)
			for r, i := range pick {
				A.SetRow(r, G[i])
				b.SetVec(r, h[i])
			}
			var sol mat.VecDense
			if err := sol.SolveVec(A, b); err != nil {
				return
			}
			if c := mat.Cond(A, 1); c > 1e12 {
				return
			}
			x := sol.RawVector().Data
			if !feasible(p, x) {
				return
			}
			v := 0.0
			for j, o := range p.Options {
				v += o.Profit * x[j]
			}
			best = max(best, v)
			return
		}
		for i := from; i < len(G); i++ {
			pick[k] = i
			rec(k+1, i+1)
		}
	}
	rec(0, 0)
	return best
}

// TestAllocateOptimal proves, on 400 random small problems, that the
// divisible optimum Allocate reports (Bound) equals the best vertex of the
// feasible polytope found by brute force, that the whole plan is feasible
// and equals the brute-force whole optimum (found by enumerating every
// whole allocation) whenever it says it is exact, and otherwise falls
// short of it by less than one contact of each option.
func TestAllocateOptimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	exact := 0
	trials := 400
	if testing.Short() {
		trials = 100
	}
	for trial := range trials {
		p := randomProblem(rng)
		sol, err := Allocate(p)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		x := make([]float64, len(sol.Contacts))
		slack := 0.0
		for j, c := range sol.Contacts {
			x[j] = float64(c)
			slack += max(p.Options[j].Profit, 0)
		}
		if !feasible(p, x) {
			t.Fatalf("trial %d: infeasible plan %v for %+v", trial, sol.Contacts, p)
		}
		lpBest := bruteDivisible(p)
		if math.Abs(sol.Bound-lpBest) > 1e-6*max(1, lpBest) {
			t.Fatalf("trial %d: divisible optimum %v, brute force %v for %+v", trial, sol.Bound, lpBest, p)
		}
		intBest := bruteInteger(p)
		if sol.Profit > intBest+1e-9 || sol.Profit < intBest-slack-1e-9 {
			t.Fatalf("trial %d: profit %v, whole optimum %v (bound %v) for %+v", trial, sol.Profit, intBest, sol.Bound, p)
		}
		if intBest > sol.Bound+1e-6 {
			t.Fatalf("trial %d: whole optimum %v above divisible optimum %v", trial, intBest, sol.Bound)
		}
		if math.Abs(sol.Profit-intBest) < 1e-9 {
			exact++
		} else if sol.Exact {
			t.Fatalf("trial %d: plan says exact with profit %v, brute-force whole optimum %v for %+v", trial, sol.Profit, intBest, p)
		}
	}
	t.Logf("whole plan equals the brute-force whole optimum in %d of %d problems", exact, trials)
}
