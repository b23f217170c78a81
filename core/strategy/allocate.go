package strategy

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// Option is one (segment, action) pair the allocator may buy contacts of.
type Option struct {
	Segment int     // index into Problem.Customers
	Channel int     // index into Problem.ChannelBudget, -1 for none
	Cost    float64 // per contact
	Profit  float64 // expected incremental profit per contact (Action.Profit)
	Cap     int     // most contacts; 0 = no cap
}

// Problem is a budget allocation: choose contacts x_j ≥ 0 of each option
// to maximise Σ Profit_j·x_j subject to
//
//	Σ Cost_j·x_j ≤ Budget                        (total budget)
//	Σ_{j in segment s} x_j ≤ Customers[s]          (one action per customer)
//	x_j ≤ Cap_j                                    (action caps)
//	Σ_{j on channel c} Cost_j·x_j ≤ ChannelBudget[c] (channel caps, when ≥ 0)
type Problem struct {
	Budget        float64
	Customers     []int
	Options       []Option
	ChannelBudget []float64 // negative = no cap
}

// Solution is the allocation of a Problem.
type Solution struct {
	// Contacts per option, whole customers.
	Contacts []int
	Profit   float64 // Σ Profit_j·Contacts_j
	Cost     float64
	// Bound is the optimum of the divisible model (contacts may be
	// fractional): no whole allocation earns more. Profit falls short of it
	// by less than the profit of one contact per option.
	Bound float64
	// Exact tells that Profit is the best whole allocation (branch and
	// bound finished within NodeLimit linear programs); Nodes counts them.
	Exact bool
	Nodes int
}

// Allocate solves the problem in whole customers. The divisible model
// (the linear program above) is solved exactly with gonum's simplex and
// gives the Bound; branch and bound on it then finds the best whole
// allocation, starting from the divisible solution rounded down with what
// the rounding freed spent greedily on the options with the most profit
// per unit cost. When branch and bound stops at its node limit or within
// Tolerance of the Bound (large problems, where one contact is a rounding
// error), the best whole plan found is returned and Exact is false;
// Bound − Profit is then below the profit of one contact per option. Options with a profit of zero or less
// are never bought.
func Allocate(p Problem) (Solution, error) {
	if err := p.validate(); err != nil {
		return Solution{}, err
	}
	n := len(p.Options)
	sol := Solution{Contacts: make([]int, n), Exact: true}
	// Columns: the options worth buying.
	var cols []int
	for j, o := range p.Options {
		if o.Profit > 0 && p.Customers[o.Segment] > 0 {
			cols = append(cols, j)
		}
	}
	if len(cols) == 0 {
		return sol, nil
	}
	bb := branch{p: p, cols: cols, best: -1, limit: NodeLimit}
	lo := make([]int, len(cols))
	hi := make([]int, len(cols))
	for k, j := range cols {
		o := p.Options[j]
		hi[k] = p.Customers[o.Segment]
		if o.Cap > 0 {
			hi[k] = min(hi[k], o.Cap)
		}
	}
	bound, err := bb.node(lo, hi)
	if err != nil {
		return Solution{}, err
	}
	sol.Bound, sol.Nodes, sol.Exact = bound, bb.nodes, !bb.stopped
	copy(sol.Contacts, bb.plan)
	for j, c := range sol.Contacts {
		sol.Profit += float64(c) * p.Options[j].Profit
		sol.Cost += float64(c) * p.Options[j].Cost
	}
	return sol, nil
}

// NodeLimit is the most linear programs Allocate solves for one plan.
var NodeLimit = 32

// Tolerance is the share of the divisible optimum below which branch and
// bound stops without proof: 1e-5 leaves at most 5 of 500,000 on the
// table, while on small problems it is far below any difference between
// two whole plans.
var Tolerance = 1e-5

// branch is a depth-first branch and bound over whole contacts.
type branch struct {
	p       Problem
	cols    []int
	best    float64
	plan    []int // per option
	nodes   int
	limit   int
	tol     float64
	stopped bool
}

// node solves the divisible model with lo ≤ x ≤ hi, records whole plans
// and branches on the first fractional column. It returns the node's bound.
func (b *branch) node(lo, hi []int) (float64, error) {
	if b.nodes >= b.limit {
		b.stopped = true
		return math.Inf(-1), nil
	}
	b.nodes++
	x, bound, ok, err := solveLP(b.p, b.cols, lo, hi)
	if err != nil || !ok {
		return math.Inf(-1), err
	}
	if b.nodes == 1 {
		b.tol = Tolerance * math.Abs(bound)
	}
	if bound <= b.best+1e-9*max(1, math.Abs(b.best)) {
		return bound, nil
	}
	if bound <= b.best+b.tol {
		b.stopped = true // close enough: not proven
		return bound, nil
	}
	// A whole plan from this node: round down, then fill.
	whole := make([]int, len(b.p.Options))
	frac := -1
	for k, j := range b.cols {
		f := math.Floor(x[k] + 1e-7)
		whole[j] = int(f)
		if frac < 0 && x[k]-f > 1e-7 {
			frac = k
		}
	}
	b.p.fill(b.cols, whole)
	if v := b.p.profit(whole); v > b.best+1e-9*max(1, math.Abs(b.best)) {
		b.best, b.plan = v, whole
	}
	if frac < 0 {
		return bound, nil
	}
	f := int(math.Floor(x[frac] + 1e-7))
	down := slices.Clone(hi)
	down[frac] = f
	if _, err := b.node(lo, down); err != nil {
		return 0, err
	}
	up := slices.Clone(lo)
	up[frac] = f + 1
	if up[frac] <= hi[frac] {
		if _, err := b.node(up, hi); err != nil {
			return 0, err
		}
	}
	return bound, nil
}

func (p Problem) profit(x []int) float64 {
	v := 0.0
	for j, c := range x {
		v += float64(c) * p.Options[j].Profit
	}
	return v
}

func (p Problem) validate() error {
	if math.IsNaN(p.Budget) || math.IsInf(p.Budget, 0) || p.Budget < 0 {
		return fmt.Errorf("%w: budget: %v must be a number ≥ 0", ErrInvalid, p.Budget)
	}
	for j, o := range p.Options {
		switch {
		case o.Segment < 0 || o.Segment >= len(p.Customers):
			return fmt.Errorf("%w: options[%d].segment: %d out of range", ErrInvalid, j, o.Segment)
		case o.Channel >= len(p.ChannelBudget):
			return fmt.Errorf("%w: options[%d].channel: %d out of range", ErrInvalid, j, o.Channel)
		case !(o.Cost >= 0) || math.IsInf(o.Cost, 0):
			return fmt.Errorf("%w: options[%d].cost: %v must be a number ≥ 0", ErrInvalid, j, o.Cost)
		case math.IsNaN(o.Profit) || math.IsInf(o.Profit, 0):
			return fmt.Errorf("%w: options[%d].profit: %v is not a number", ErrInvalid, j, o.Profit)
		case o.Cap < 0:
			return fmt.Errorf("%w: options[%d].cap: %d is negative", ErrInvalid, j, o.Cap)
		}
	}
	return nil
}

// solveLP solves the divisible model over the options cols with
// lo ≤ x ≤ hi per column. It substitutes x = lo + y and writes the model in
// standard form with one slack per inequality, so the slacks are a
// feasible first basis. ok is false when lo is infeasible.
func solveLP(p Problem, cols []int, lo, hi []int) (x []float64, bound float64, ok bool, err error) {
	nc := len(cols)
	var coefs [][]float64
	var rhs []float64
	add := func(coef []float64, b float64) {
		coefs, rhs = append(coefs, coef), append(rhs, b)
	}
	coef := make([]float64, nc)
	b := p.Budget
	for k, j := range cols {
		coef[k] = p.Options[j].Cost
		b -= coef[k] * float64(lo[k])
	}
	add(coef, b)
	segRoom := make([]float64, len(p.Customers))
	for s, n := range p.Customers {
		coef := make([]float64, nc)
		b, used := float64(n), false
		for k, j := range cols {
			if p.Options[j].Segment == s {
				coef[k], used = 1, true
				b -= float64(lo[k])
			}
		}
		segRoom[s] = b
		if used {
			add(coef, b)
		}
	}
	// Column bounds, unless the segment row already implies them.
	for k, j := range cols {
		if u := float64(hi[k] - lo[k]); u < segRoom[p.Options[j].Segment] {
			coef := make([]float64, nc)
			coef[k] = 1
			add(coef, u)
		}
	}
	for c, cb := range p.ChannelBudget {
		if cb < 0 {
			continue
		}
		coef := make([]float64, nc)
		b, used := cb, false
		for k, j := range cols {
			if p.Options[j].Channel == c {
				coef[k], used = p.Options[j].Cost, true
				b -= coef[k] * float64(lo[k])
			}
		}
		if used {
			add(coef, b)
		}
	}
	m := len(rhs)
	for i, v := range rhs {
		if v < -1e-9*max(1, math.Abs(p.Budget)) {
			return nil, 0, false, nil
		}
		rhs[i] = max(v, 0)
	}
	// Scale the objective so the simplex tolerance is relative.
	scale := 0.0
	for _, j := range cols {
		scale = max(scale, p.Options[j].Profit)
	}
	A := mat.NewDense(m, nc+m, nil)
	c := make([]float64, nc+m)
	fixed := 0.0
	for k, j := range cols {
		c[k] = -p.Options[j].Profit / scale
		fixed += p.Options[j].Profit * float64(lo[k])
	}
	basic := make([]int, m)
	for i, coef := range coefs {
		for k, v := range coef {
			A.Set(i, k, v)
		}
		A.Set(i, nc+i, 1)
		basic[i] = nc + i
	}
	opt, y, err := lp.Simplex(c, A, rhs, 1e-10, basic)
	if err != nil {
		return nil, 0, false, fmt.Errorf("allocate: linear program: %w", err)
	}
	x = y[:nc]
	for k := range x {
		x[k] += float64(lo[k])
	}
	return x, fixed - opt*scale, true, nil
}

// fill spends what is left after x on whole contacts, best profit per
// unit cost first, within every constraint.
func (p Problem) fill(cols []int, x []int) {
	order := slices.Clone(cols)
	slices.SortStableFunc(order, func(a, b int) int {
		return cmpRatio(p.Options[b], p.Options[a])
	})
	left := p.Budget
	segLeft := slices.Clone(p.Customers)
	chLeft := slices.Clone(p.ChannelBudget)
	for j, c := range x {
		o := p.Options[j]
		left -= float64(c) * o.Cost
		segLeft[o.Segment] -= c
		if o.Channel >= 0 && chLeft[o.Channel] >= 0 {
			chLeft[o.Channel] = max(chLeft[o.Channel]-float64(c)*o.Cost, 0)
		}
	}
	for _, j := range order {
		o := p.Options[j]
		room := segLeft[o.Segment]
		if o.Cap > 0 {
			room = min(room, o.Cap-x[j])
		}
		if o.Cost > 0 {
			room = min(room, int(math.Floor(left/o.Cost+1e-9)))
			if o.Channel >= 0 && chLeft[o.Channel] >= 0 {
				room = min(room, int(math.Floor(chLeft[o.Channel]/o.Cost+1e-9)))
			}
		}
		if room <= 0 {
			continue
		}
		x[j] += room
		segLeft[o.Segment] -= room
		left -= float64(room) * o.Cost
		if o.Channel >= 0 && chLeft[o.Channel] >= 0 {
			chLeft[o.Channel] -= float64(room) * o.Cost
		}
	}
}

// cmpRatio orders options by profit per unit cost; free options first.
func cmpRatio(a, b Option) int {
	ra, rb := ratio(a), ratio(b)
	switch {
	case ra < rb:
		return -1
	case ra > rb:
		return 1
	}
	return 0
}

func ratio(o Option) float64 {
	if o.Cost == 0 {
		return math.Inf(1)
	}
	return o.Profit / o.Cost
}
