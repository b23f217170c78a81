// Package simulate projects a customer base forward: the migration matrix
// between segments (classes or stages) from two as-of dates, a projection
// of k periods with new-customer inflow and campaign shifts, acquisition
// cohort tables, and the GMV KPI tree solved both ways.
package simulate

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"segsim/core/calendar"
	"segsim/core/knob"
	"segsim/core/lifecycle"
	"segsim/core/rfm"
)

// ErrInvalid wraps every knob validation error.
var ErrInvalid = errors.New("invalid simulation")

// Config holds the simulation knobs of a scenario.
type Config struct {
	// By is the grouping that migrates: "class", "stage" or "segment".
	By string `json:"by"`
	// PeriodDays is the length of one period (the migration step).
	PeriodDays int `json:"period_days"`
	Periods    int `json:"periods"` // periods projected forward
	// Inflow is the number of new customers per period; a negative value
	// takes it from the data: by calendar month when the data covers a
	// year or more, else the number who entered in the last period (see
	// Matrix.Project).
	Inflow float64 `json:"inflow"`
	// Shifts are campaign effects on the transition probabilities.
	Shifts []Shift `json:"shifts"`
	// Cohort is the cohort period: "month" or "week".
	Cohort string `json:"cohort"`
	// GMVTarget, when above 0, is solved for in the KPI tree.
	GMVTarget float64 `json:"gmv_target"`
}

// Shift moves Delta (0..1) of the probability of leaving From for To:
// P[From][To] += Delta, taken from the row's other entries in proportion to
// their size (e.g. a win-back campaign moving 5% of important_retain to
// important_value).
type Shift struct {
	From  string  `json:"from"`
	To    string  `json:"to"`
	Delta float64 `json:"delta"`
}

// DefaultConfig returns 30-day periods by RFM class, 12 periods ahead,
// inflow as observed, monthly cohorts.
func DefaultConfig() Config {
	return Config{By: "class", PeriodDays: 30, Periods: 12, Inflow: -1, Cohort: "month"}
}

// Validate reports the first bad knob; field names start with "simulate.".
func (c Config) Validate() error {
	switch {
	case c.By != "class" && c.By != "stage" && c.By != "segment":
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("simulate.by", c.By, "is not class, stage or segment"))
	case c.PeriodDays < 1 || c.PeriodDays > 366:
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("simulate.period_days", c.PeriodDays, "must lie in 1..366"))
	case c.Periods < 1 || c.Periods > 240:
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("simulate.periods", c.Periods, "must lie in 1..240"))
	case math.IsNaN(c.Inflow) || math.IsInf(c.Inflow, 0):
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("simulate.inflow", c.Inflow, "is not a number"))
	case c.Cohort != "month" && c.Cohort != "week":
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("simulate.cohort", c.Cohort, "is not month or week"))
	case !(c.GMVTarget >= 0) || math.IsInf(c.GMVTarget, 0):
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("simulate.gmv_target", c.GMVTarget, "must be ≥ 0"))
	}
	for i, s := range c.Shifts {
		if !(s.Delta >= 0 && s.Delta <= 1) {
			return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("simulate.shifts[%d].delta", i), s.Delta, "must lie in [0, 1]"))
		}
		if s.From == "" || s.To == "" {
			return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("simulate.shifts[%d]", i), nil, "from and to are required"))
		}
	}
	return nil
}

// Snapshot is one scoring of the base: Keys[i] identifies customer i across
// snapshots (the order table's customer index), Labels[i] is its state.
// Spend[i], when set, is the customer's revenue (cents) in the period
// ending at the snapshot's as-of date.
type Snapshot struct {
	Keys   []int32
	Labels []uint8
	Spend  []int64
}

// Matrix is the migration between states over one period.
type Matrix struct {
	States []string `json:"states"`
	// Counts[i][j] counts customers in state i before and j after.
	Counts [][]int `json:"counts"`
	// Prob is Counts normalised per row (a row without customers stays put).
	Prob [][]float64 `json:"prob"`
	// Entered counts customers first seen in the later snapshot, by state.
	Entered []int `json:"entered"`
	// Now counts customers per state in the later snapshot.
	Now []int `json:"now"`
	// BuyRate[j] is the share of customers in state j who bought in the
	// last period and Spend[j] their mean revenue (currency units): the
	// state's activity, used to turn projected counts into active
	// customers and GMV.
	BuyRate []float64 `json:"buy_rate"`
	Spend   []float64 `json:"spend"`
}

// Migrate counts the moves between before and after. keys size the lookup
// (the largest key + 1).
func Migrate(states []string, before, after Snapshot) (*Matrix, error) {
	n := len(states)
	if len(before.Keys) != len(before.Labels) || len(after.Keys) != len(after.Labels) {
		return nil, fmt.Errorf("%w: snapshot keys and labels differ in length", ErrInvalid)
	}
	m := &Matrix{States: states, Counts: make([][]int, n), Prob: make([][]float64, n),
		Entered: make([]int, n), Now: make([]int, n), BuyRate: make([]float64, n), Spend: make([]float64, n)}
	for i := range n {
		m.Counts[i] = make([]int, n)
		m.Prob[i] = make([]float64, n)
	}
	maxKey := int32(-1)
	for _, k := range after.Keys {
		maxKey = max(maxKey, k)
	}
	for _, k := range before.Keys {
		maxKey = max(maxKey, k)
	}
	prev := make([]int16, maxKey+1)
	for i := range prev {
		prev[i] = -1
	}
	for i, k := range before.Keys {
		if int(before.Labels[i]) >= n {
			return nil, fmt.Errorf("%w: customer %d has state %d of %d", ErrInvalid, i, before.Labels[i], n)
		}
		prev[k] = int16(before.Labels[i])
	}
	buyers := make([]int, n)
	for i, k := range after.Keys {
		to := int(after.Labels[i])
		if to >= n {
			return nil, fmt.Errorf("%w: customer %d has state %d of %d", ErrInvalid, i, to, n)
		}
		m.Now[to]++
		if from := prev[k]; from >= 0 {
			m.Counts[from][to]++
		} else {
			m.Entered[to]++
		}
		if after.Spend != nil && after.Spend[i] > 0 {
			buyers[to]++
			m.Spend[to] += float64(after.Spend[i]) / 100
		}
	}
	for i := range n {
		total := 0
		for _, c := range m.Counts[i] {
			total += c
		}
		if total == 0 {
			m.Prob[i][i] = 1
		} else {
			for j, c := range m.Counts[i] {
				m.Prob[i][j] = float64(c) / float64(total)
			}
		}
		if m.Now[i] > 0 {
			m.BuyRate[i] = float64(buyers[i]) / float64(m.Now[i])
		}
		if buyers[i] > 0 {
			m.Spend[i] /= float64(buyers[i])
		}
	}
	return m, nil
}

// notAState says why name is not one of states: when it is a state of
// another grouping (a lifecycle stage given while RFM classes migrate),
// it says which grouping has it.
func notAState(name string, states []string) string {
	other := ""
	switch {
	case slices.Contains(lifecycle.Names[:], name) && !slices.Contains(states, lifecycle.Names[0]):
		other = "stage"
	case slices.Contains(rfm.ClassNames[:], name) && !slices.Contains(states, rfm.ClassNames[0]):
		other = "class"
	}
	if other == "" {
		return fmt.Sprintf("is not one of %v", states)
	}
	return fmt.Sprintf("is a state when customers migrate by %s, not among the states here %v; migrate by %s, or name one of these", other, states, other)
}

// Shifted returns a copy of the transition probabilities with the shifts
// applied: for each shift, P[from][to] grows by Delta (at most to 1) and
// the row's other entries shrink in proportion, so the row still sums to 1.
func (m *Matrix) Shifted(shifts []Shift) ([][]float64, error) {
	p := make([][]float64, len(m.Prob))
	for i := range p {
		p[i] = slices.Clone(m.Prob[i])
	}
	for k, s := range shifts {
		from, to := slices.Index(m.States, s.From), slices.Index(m.States, s.To)
		if from < 0 {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("shifts[%d].from", k), s.From, "%s", notAState(s.From, m.States)))
		}
		if to < 0 {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("shifts[%d].to", k), s.To, "%s", notAState(s.To, m.States)))
		}
		row := p[from]
		rest := 1 - row[to]
		d := min(s.Delta, rest)
		if rest <= 0 || d <= 0 {
			continue
		}
		for j := range row {
			if j != to {
				row[j] -= d * row[j] / rest
			}
		}
		row[to] += d
	}
	return p, nil
}

// Period is one projected period.
type Period struct {
	Period int `json:"period"` // 1 = the first period after the as-of date
	// Start and End are its first and last days (with a calendar).
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
	// Inflow is the new customers entering in the period.
	Inflow    float64   `json:"inflow"`
	Customers []float64 `json:"customers"`
	Total     float64   `json:"total"`
	// Factor scales the buying of the customers carried over: the
	// period's index of repurchase over the base period's (1 without a
	// month-of-year pattern).
	Factor float64 `json:"factor"`
	// Active = Σ customers_j × BuyRate_j and GMV = Σ customers_j ×
	// BuyRate_j × Spend_j, with the customers carried over weighted by
	// Factor.
	Active float64 `json:"active"`
	GMV    float64 `json:"gmv"`
}

// Projection is a forward projection.
type Projection struct {
	States []string `json:"states"`
	// Inflow is the mean number of new customers per period; InflowBasis
	// says where it comes from: "calendar" (the same calendar months in
	// the data), "last_period" (held at the customers who entered in the
	// last period) or "set" (held at the number given).
	Inflow      float64 `json:"inflow"`
	InflowBasis string  `json:"inflow_basis"`
	// Seasonal tells whether activity follows the month of year; Months
	// counts the complete calendar months of data (0 without a calendar).
	Seasonal bool `json:"seasonal"`
	Months   int  `json:"months"`
	// Notes say how the projection was made, as codes a page translates.
	Notes   []Note   `json:"notes"`
	Periods []Period `json:"periods"`
}

// Project runs the base forward: each period n ← n·P + inflow·e, where P
// is the (shifted) transition matrix, n starts at the customers per state
// now, and e is the share of last period's new customers entering each
// state.
//
// inflow ≥ 0 holds the inflow at that number. inflow < 0 takes it from
// the data: with a calendar whose data covers a year or more, each
// period's inflow follows the calendar (Calendar.Inflow); else it is held
// at the number of customers who entered in the last period.
//
// With a calendar whose data covers a year or more, the active customers
// and GMV of the customers carried over are scaled by the period's
// month-of-year factor (Calendar.Factor): the state rates were measured
// in the base period, which may be a peak. New customers enter with the
// inflow, which carries the season of acquisition already.
// Without one, the rates are held, and the projection's notes say so. The
// result reuses out when it has room.
func (m *Matrix) Project(periods int, inflow float64, shifts []Shift, cal *Calendar, out *Projection) (*Projection, error) {
	p, err := m.Shifted(shifts)
	if err != nil {
		return nil, err
	}
	n := len(m.States)
	entered := 0
	for _, e := range m.Entered {
		entered += e
	}
	entry := make([]float64, n)
	for j, e := range m.Entered {
		if entered > 0 {
			entry[j] = float64(e) / float64(entered)
		}
	}
	if out == nil {
		out = &Projection{}
	}
	seasonal := cal != nil && cal.Season.Seasonal()
	out.States, out.Seasonal, out.Months, out.Notes = m.States, seasonal, 0, out.Notes[:0]
	if cal != nil {
		out.Months = cal.Season.Months
	}
	switch {
	case inflow >= 0:
		out.InflowBasis = "set"
	case seasonal:
		out.InflowBasis = "calendar"
	default:
		out.InflowBasis, inflow = "last_period", float64(entered)
	}
	out.Notes = append(out.Notes, Note{Code: "inflow_" + out.InflowBasis, N: out.Months})
	switch {
	case seasonal:
		out.Notes = append(out.Notes, Note{Code: "activity_calendar", N: out.Months})
	case cal != nil:
		out.Notes = append(out.Notes, Note{Code: "short_history", N: out.Months})
	}
	out.Periods = slices.Grow(out.Periods[:0], periods)
	cur := make([]float64, n)
	for j, c := range m.Now {
		cur[j] = float64(c)
	}
	next := make([]float64, n)
	sumInflow := 0.0
	for t := 1; t <= periods; t++ {
		per := Period{Period: t, Inflow: inflow, Factor: 1}
		if cal != nil {
			start := cal.AsOf + int32((t-1)*cal.PeriodDays)
			end := start + int32(cal.PeriodDays)
			per.Start, per.End = calendar.Format(start), calendar.Format(end-1)
			if seasonal {
				if out.InflowBasis == "calendar" {
					per.Inflow = cal.Inflow(start, end)
				}
				per.Factor = cal.Factor(start, end)
			}
		}
		sumInflow += per.Inflow
		clear(next)
		for i, c := range cur {
			if c == 0 {
				continue
			}
			for j, pr := range p[i] {
				next[j] += c * pr
			}
		}
		var carriedActive, carriedGMV float64
		for j, c := range next {
			carriedActive += c * m.BuyRate[j]
			carriedGMV += c * m.BuyRate[j] * m.Spend[j]
		}
		per.Active, per.GMV = carriedActive*per.Factor, carriedGMV*per.Factor
		for j := range next {
			e := per.Inflow * entry[j]
			next[j] += e
			per.Active += e * m.BuyRate[j]
			per.GMV += e * m.BuyRate[j] * m.Spend[j]
		}
		cur, next = next, cur
		if len(out.Periods) < cap(out.Periods) && cap(out.Periods[len(out.Periods) : len(out.Periods)+1][0].Customers) >= n {
			per.Customers = out.Periods[len(out.Periods) : len(out.Periods)+1][0].Customers[:n]
		} else {
			per.Customers = make([]float64, n)
		}
		copy(per.Customers, cur)
		for _, c := range cur {
			per.Total += c
		}
		out.Periods = append(out.Periods, per)
	}
	out.Inflow = 0
	if periods > 0 {
		out.Inflow = sumInflow / float64(periods)
	}
	return out, nil
}
