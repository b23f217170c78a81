package strategy

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"segsim/core/knob"
)

// Config holds the plan knobs of a scenario.
type Config struct {
	// Playbook names a preset (ecommerce, fmcg, education, livestream);
	// "" means none was chosen for the data's industry, and the
	// e-commerce preset is used with a note asking for one. Custom, when
	// set, is used instead.
	Playbook string    `json:"playbook"`
	Custom   *Playbook `json:"custom"`
	// By is the grouping the playbook is matched against: "segment" (the
	// scenario's scheme), "class" (the eight RFM classes) or "stage".
	By string `json:"by"`
	// Budget is the activity budget; with BudgetAuto it is ignored and the
	// plan spends what contacts every customer worth contacting (the
	// budget where one more contact stops adding profit). A scenario that
	// gives plan.budget without plan.budget_auto means that budget.
	Budget     float64 `json:"budget"`
	BudgetAuto bool    `json:"budget_auto"`
	// Values says where each group's order value and baseline rate come
	// from: "data" (measured from the orders: see GroupData; the
	// playbook's uplift, response − baseline, is kept) or "playbook" (as
	// the playbook writes them). WindowDays is the campaign window the
	// baseline is measured over.
	Values     string `json:"values"`
	WindowDays int    `json:"window_days"`
	// ChannelCaps limit the spend per channel.
	ChannelCaps []ChannelCap `json:"channel_caps"`
	// Rank orders customers within a segment, best first: "score"
	// (R+F+M scores, then revenue), "revenue" or "predicted" (CLV).
	Rank    string  `json:"rank"`
	Holdout Holdout `json:"holdout"`
	Points  Points  `json:"points"`
}

// ChannelCap is the most that may be spent on one channel.
type ChannelCap struct {
	Channel string  `json:"channel"`
	Budget  float64 `json:"budget"`
}

// Holdout configures the control groups: when Enabled, each contacted
// segment keeps a rank-balanced group uncontacted, sized for a
// two-proportion test at level Alpha and power Power, but never more than
// MaxShare of the segment.
type Holdout struct {
	Enabled    bool    `json:"enabled"`
	Alpha      float64 `json:"alpha"`
	Power      float64 `json:"power"`
	Continuity bool    `json:"continuity"`
	MaxShare   float64 `json:"max_share"`
}

// Validate reports a bad test setting or share.
func (h Holdout) Validate(path string) error {
	if err := h.Test().Validate(path); err != nil {
		return err
	}
	if !(h.MaxShare > 0 && h.MaxShare <= 0.5) {
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("%s.max_share", path), h.MaxShare, "must lie in (0, 0.5]"))
	}
	return nil
}

// Test returns the test the hold-out is sized for.
func (h Holdout) Test() Test { return Test{Alpha: h.Alpha, Power: h.Power, Continuity: h.Continuity} }

// Default returns the plan knobs segsim starts with: no playbook chosen
// (the e-commerce preset until one is), order values and baselines from
// the data over a 30-day window, the budget that contacts every customer
// worth contacting (200,000 when set by hand), customers ranked by score,
// hold-outs at α = 0.05 and power 0.8 of at most 20% of a segment.
func Default() Config {
	return Config{
		By: "segment", Budget: 200000, BudgetAuto: true, Rank: "score",
		Values: "data", WindowDays: 30,
		Holdout: Holdout{Enabled: true, Alpha: 0.05, Power: 0.8, MaxShare: 0.2},
		Points:  DefaultPoints(),
	}
}

// DefaultPlaybook is the preset a plan uses while none is chosen.
const DefaultPlaybook = "ecommerce"

// MaxWindowDays bounds Config.WindowDays.
const MaxWindowDays = 365

// MaxBudget bounds a plan's budget: far above any campaign, and small
// enough that every sum of costs stays exact.
const MaxBudget = 1e12

// Validate reports the first bad knob; field names start with "plan.".
func (c Config) Validate() error {
	switch c.By {
	case "segment", "class", "stage":
	default:
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("plan.by", c.By, "is not segment, class or stage"))
	}
	switch c.Rank {
	case "score", "revenue", "predicted":
	default:
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("plan.rank", c.Rank, "is not score, revenue or predicted"))
	}
	if math.IsNaN(c.Budget) || math.IsInf(c.Budget, 0) || c.Budget < 0 {
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("plan.budget", c.Budget, "must be a number ≥ 0"))
	}
	if c.Budget > MaxBudget {
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("plan.budget", c.Budget, "is above %g, the largest budget segsim plans", MaxBudget))
	}
	switch c.Values {
	case "data", "playbook":
	default:
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("plan.values", c.Values, "is not data or playbook"))
	}
	if c.WindowDays < 1 || c.WindowDays > MaxWindowDays {
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("plan.window_days", c.WindowDays, "must lie in [1, %d]", MaxWindowDays))
	}
	for i, cc := range c.ChannelCaps {
		if cc.Channel == "" {
			return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("plan.channel_caps[%d].channel", i), nil, "empty"))
		}
		if !(cc.Budget >= 0) || math.IsInf(cc.Budget, 0) {
			return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("plan.channel_caps[%d].budget", i), cc.Budget, "must be a number ≥ 0"))
		}
	}
	if c.Holdout.Enabled {
		if err := c.Holdout.Validate("plan.holdout"); err != nil {
			return err
		}
	}
	if c.Custom != nil {
		if err := c.Custom.Validate(); err != nil {
			return knob.Within("plan.custom", err)
		}
	} else if _, err := c.Resolve(); err != nil {
		return fmt.Errorf("%w: plan.playbook: %w", ErrInvalid, err)
	}
	return c.Points.Validate()
}

// Resolve returns the playbook in force: Custom, the named preset, or
// DefaultPlaybook when none is named.
func (c Config) Resolve() (*Playbook, error) {
	if c.Custom != nil {
		return c.Custom, c.Custom.Validate()
	}
	if c.Playbook == "" {
		return PresetPlaybook(DefaultPlaybook)
	}
	return PresetPlaybook(c.Playbook)
}

// Totals are the expected results of contacting some customers.
type Totals struct {
	Contacted int     `json:"contacted"`
	Cost      float64 `json:"cost"`
	// ExpectedOrders are the orders expected from the contacted customers
	// (Response × contacted), IncrementalOrders those caused by the contact
	// ((Response − Baseline) × contacted).
	ExpectedOrders     float64 `json:"expected_orders"`
	IncrementalOrders  float64 `json:"incremental_orders"`
	IncrementalRevenue float64 `json:"incremental_revenue"`
	// Profit is the incremental margin minus the cost; ROI = Profit / Cost.
	Profit float64 `json:"profit"`
	ROI    float64 `json:"roi"`
}

func (t *Totals) add(a Action, n int) {
	f := float64(n)
	t.Contacted += n
	t.Cost += a.Cost * f
	t.ExpectedOrders += a.Response * f
	t.IncrementalOrders += a.Uplift() * f
	t.IncrementalRevenue += a.IncrementalRevenue() * f
	t.Profit += a.Profit() * f
}

func (t *Totals) addTotals(o Totals) {
	t.Contacted += o.Contacted
	t.Cost += o.Cost
	t.ExpectedOrders += o.ExpectedOrders
	t.IncrementalOrders += o.IncrementalOrders
	t.IncrementalRevenue += o.IncrementalRevenue
	t.Profit += o.Profit
}

// roi sets ROI and rounds the totals for reading: money to cents,
// orders to thousandths, ROI to four places.
func (t *Totals) roi() {
	t.ROI = 0
	if t.Cost > 0 {
		t.ROI = round(t.Profit/t.Cost, 1e4)
	}
	t.Cost, t.IncrementalRevenue, t.Profit = round(t.Cost, 100), round(t.IncrementalRevenue, 100), round(t.Profit, 100)
	t.ExpectedOrders, t.IncrementalOrders = round(t.ExpectedOrders, 1e3), round(t.IncrementalOrders, 1e3)
}

func round(v, scale float64) float64 { return math.Round(v*scale) / scale }

// ActionPlan is one action of a segment in a plan.
type ActionPlan struct {
	Action  string `json:"action"`
	Channel string `json:"channel"`
	// ProfitPerContact is Action.Profit; actions at or below zero are
	// never used.
	ProfitPerContact float64 `json:"profit_per_contact"`
	// OrderValue, Response and Baseline are the figures the plan used;
	// Basis says where they came from (see Basis), and Playbook holds the
	// playbook's own figures when the data replaced some.
	OrderValue float64  `json:"order_value"`
	Response   float64  `json:"response"`
	Baseline   float64  `json:"baseline"`
	Basis      string   `json:"basis"`
	Playbook   *Assumed `json:"playbook,omitempty"`
	Totals
}

// SegmentPlan is one segment in a plan.
type SegmentPlan struct {
	Segment   string `json:"segment"`
	Customers int    `json:"customers"`
	// Holdout customers are kept uncontacted as the control group;
	// HoldoutNeeded is the size the test asks for (it may exceed what the
	// segment can spare). DetectableUplift is the smallest uplift the
	// actual treated and control groups detect.
	Holdout          int     `json:"holdout"`
	HoldoutNeeded    int     `json:"holdout_needed"`
	DetectableUplift float64 `json:"detectable_uplift"`
	Totals
	Actions []ActionPlan `json:"actions"`
	// Data is what the orders say about the segment, when the plan
	// measured it (Config.Values "data").
	Data *GroupData `json:"data,omitempty"`
	// WorthFrom is the total budget from which the best plan contacts
	// this segment (set by Planner.Curve); -1 when it never does.
	WorthFrom float64 `json:"worth_from"`
	// Note says why the segment is not (fully) contacted, in English;
	// NoteCode names the reason (a key of SegmentNotes) for pages that
	// say it in another language.
	Note     string `json:"note,omitempty"`
	NoteCode string `json:"note_code,omitempty"`
}

// SegmentNotes are the reasons a segment is not (fully) contacted, by code.
var SegmentNotes = map[string]string{
	"no_entry":     "no playbook entry",
	"no_actions":   "playbook entry has no actions",
	"no_pay":       "no action pays: uplift × order value × margin does not cover the cost",
	"no_customers": "no customers",
	"channel_cap":  "channel cap reached",
	"outbid":       "other segments return more per unit of budget",
	"action_cap":   "action cap reached",
	"budget_out":   "partly contacted: the budget runs out here",
}

// UnspentReasons are the reasons budget is left over, by code; in
// "below_one_contact", {left} and {cheapest} stand for Plan.Unspent and
// Plan.CheapestContact.
var UnspentReasons = map[string]string{
	"below_one_contact": "{left} left is less than one more contact (cheapest {cheapest})",
	"whole_plan":        "a whole plan with fewer, more profitable contacts beats spending the rest",
	"channel_caps":      "channel caps reached for every action that still pays",
	"action_caps":       "action caps reached for every action that still pays",
	"all_contacted":     "every customer with an action that pays is contacted (or held out)",
}

// Plan is a budget allocation with its expected results.
type Plan struct {
	By       string `json:"by"`
	Playbook string `json:"playbook"`
	// PlaybookDefault tells that no playbook was chosen for the data's
	// industry and DefaultPlaybook stood in.
	PlaybookDefault bool   `json:"playbook_default,omitempty"`
	Currency        string `json:"currency"`
	// Values and WindowDays are Config's; BudgetAuto tells that Budget
	// was sized to the data (Planner.FullBudget).
	Values     string  `json:"values"`
	WindowDays int     `json:"window_days,omitempty"`
	BudgetAuto bool    `json:"budget_auto"`
	Budget     float64 `json:"budget"`
	Unspent    float64 `json:"unspent"`
	// UnspentReason says why the rest of the budget is not spent, in
	// English; UnspentCode names it (a key of UnspentReasons), and
	// CheapestContact is the cost of the cheapest contact that still pays
	// when the code is "below_one_contact".
	UnspentReason   string        `json:"unspent_reason,omitempty"`
	UnspentCode     string        `json:"unspent_code,omitempty"`
	CheapestContact float64       `json:"cheapest_contact,omitempty"`
	Segments        []SegmentPlan `json:"segments"`
	Total           Totals        `json:"total"`
	// Bound is the divisible optimum (no whole plan earns more); Exact
	// tells that Total.Profit is the best whole plan.
	Bound float64 `json:"bound"`
	Exact bool    `json:"exact"`

	contacts []int // per option
	holdout  []int // per segment
	options  []option
}

// option is one (segment, action) pair of a planner.
type option struct {
	seg    int
	action Action
	ch     int
	// assumed holds the playbook's figures when data replaced some of
	// them (Planner.UseData); measured says which.
	assumed  *Assumed
	measured measured
}

// Planner plans one playbook over one segmentation of a customer base.
// NewPlanner does the per-customer work once (grouping customers by
// segment, best first); Plan is then cheap, so a budget slider can call it
// on every move.
type Planner struct {
	pb       *Playbook
	by       string
	names    []string
	order    []int32 // customer indices, grouped by segment, best first
	start    []int   // segment s is order[start[s]:start[s+1]]
	options  []option
	channels []string
	entries  []*Entry
	data     []GroupData // per segment, when UseData was called
}

// NewPlanner prepares a plan of pb over segments: labels[i] is customer
// i's index into names, rank[i] its ranking key (higher is contacted
// first; nil keeps customer order). by is recorded in plans.
func NewPlanner(pb *Playbook, by string, names []string, labels []uint8, rank []float64) (*Planner, error) {
	if rank != nil && len(rank) != len(labels) {
		return nil, fmt.Errorf("%w: %d ranking keys for %d customers", ErrInvalid, len(rank), len(labels))
	}
	p := &Planner{pb: pb, by: by, names: names, start: make([]int, len(names)+1)}
	for i, l := range labels {
		if int(l) >= len(names) {
			return nil, fmt.Errorf("%w: customer %d has segment %d of %d", ErrInvalid, i, l, len(names))
		}
		p.start[l+1]++
	}
	for s := range names {
		p.start[s+1] += p.start[s]
	}
	p.order = make([]int32, len(labels))
	fill := slices.Clone(p.start)
	for i, l := range labels {
		p.order[fill[l]] = int32(i)
		fill[l]++
	}
	if rank != nil {
		// Sort (key, index) pairs: contiguous keys sort much faster than
		// indirect lookups.
		type keyed struct {
			k float64
			i int32
		}
		var buf []keyed
		for s := range names {
			seg := p.order[p.start[s]:p.start[s+1]]
			buf = buf[:0]
			for _, i := range seg {
				buf = append(buf, keyed{rank[i], i})
			}
			slices.SortFunc(buf, func(a, b keyed) int {
				if c := cmp.Compare(b.k, a.k); c != 0 {
					return c
				}
				return cmp.Compare(a.i, b.i)
			})
			for j, kv := range buf {
				seg[j] = kv.i
			}
		}
	}
	chIndex := map[string]int{}
	p.entries = make([]*Entry, len(names))
	for s, name := range names {
		e := pb.Lookup(name)
		p.entries[s] = e
		if e == nil {
			continue
		}
		for _, a := range e.Actions {
			ch, ok := chIndex[a.Channel]
			if !ok {
				ch = len(p.channels)
				chIndex[a.Channel] = ch
				p.channels = append(p.channels, a.Channel)
			}
			p.options = append(p.options, option{seg: s, action: a, ch: ch})
		}
	}
	return p, nil
}

// Channels lists the playbook's channels in use.
func (p *Planner) Channels() []string { return p.channels }

// problem builds the allocation problem for a budget.
func (p *Planner) problem(budget float64, caps []ChannelCap, hold []int) (Problem, error) {
	pr := Problem{Budget: budget, Customers: make([]int, len(p.names)), ChannelBudget: make([]float64, len(p.channels))}
	for s := range p.names {
		pr.Customers[s] = p.start[s+1] - p.start[s] - hold[s]
	}
	for c := range pr.ChannelBudget {
		pr.ChannelBudget[c] = -1
	}
	for i, cc := range caps {
		c := slices.Index(p.channels, cc.Channel)
		if c < 0 {
			return pr, fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("channel_caps[%d].channel", i), cc.Channel, "is not a channel of the playbook (have %v)", p.channels))
		}
		pr.ChannelBudget[c] = cc.Budget
	}
	for _, o := range p.options {
		pr.Options = append(pr.Options, Option{Segment: o.seg, Channel: o.ch, Cost: o.action.Cost, Profit: o.action.Profit(), Cap: o.action.Cap})
	}
	return pr, nil
}

// holdouts returns the control size per segment: the equal-groups sample
// size for the segment's best action (most profit per unit cost), at most
// MaxShare of the segment; zero when the hold-out is off or no action pays.
func (p *Planner) holdouts(h Holdout) (hold, need []int) {
	hold, need = make([]int, len(p.names)), make([]int, len(p.names))
	if !h.Enabled {
		return hold, need
	}
	t := h.Test()
	for s := range p.names {
		best := p.bestOption(s)
		if best < 0 {
			continue
		}
		a := p.options[best].action
		need[s] = t.ControlSize(a.Baseline, a.Response, 0)
		hold[s] = min(need[s], int(h.MaxShare*float64(p.start[s+1]-p.start[s])))
	}
	return hold, need
}

// bestOption returns segment s's option with the most profit per unit
// cost among those with positive profit, or -1.
func (p *Planner) bestOption(s int) int {
	best := -1
	for j, o := range p.options {
		if o.seg != s || o.action.Profit() <= 0 {
			continue
		}
		if best < 0 || cmpRatio(Option{Cost: o.action.Cost, Profit: o.action.Profit()}, Option{Cost: p.options[best].action.Cost, Profit: p.options[best].action.Profit()}) > 0 {
			best = j
		}
	}
	return best
}

// Plan allocates budget with optional channel caps and hold-outs.
func (p *Planner) Plan(budget float64, caps []ChannelCap, h Holdout) (*Plan, error) {
	if h.Enabled {
		if err := h.Validate("holdout"); err != nil {
			return nil, err
		}
	}
	hold, need := p.holdouts(h)
	pr, err := p.problem(budget, caps, hold)
	if err != nil {
		return nil, err
	}
	sol, err := Allocate(pr)
	if err != nil {
		return nil, err
	}
	plan := &Plan{By: p.by, Playbook: p.pb.Name, Currency: p.pb.Currency, Budget: budget,
		Bound: sol.Bound, Exact: sol.Exact, contacts: sol.Contacts, holdout: hold, options: p.options}
	t := h.Test()
	for s, name := range p.names {
		sp := SegmentPlan{Segment: name, Customers: p.start[s+1] - p.start[s], HoldoutNeeded: need[s], WorthFrom: -1}
		for j, o := range p.options {
			if o.seg != s {
				continue
			}
			ap := ActionPlan{Action: o.action.Name, Channel: o.action.Channel, ProfitPerContact: round(o.action.Profit(), 1e4),
				OrderValue: round(o.action.OrderValue, 100), Response: round(o.action.Response, 1e4), Baseline: round(o.action.Baseline, 1e4),
				Basis: o.basis(), Playbook: o.assumed}
			ap.add(o.action, sol.Contacts[j])
			ap.roi()
			sp.Totals.addTotals(ap.Totals)
			sp.Actions = append(sp.Actions, ap)
		}
		sp.roi()
		if p.data != nil {
			sp.Data = &p.data[s]
		}
		if sp.Contacted > 0 {
			sp.Holdout = hold[s]
			if best := p.bestOption(s); best >= 0 && h.Enabled {
				sp.DetectableUplift = round(t.DetectableUplift(p.options[best].action.Baseline, sp.Contacted, sp.Holdout), 1e4)
			}
		} else {
			plan.holdout[s] = 0
		}
		sp.NoteCode = p.segmentNote(s, sp, pr, sol)
		sp.Note = SegmentNotes[sp.NoteCode]
		plan.Total.addTotals(sp.Totals)
		plan.Segments = append(plan.Segments, sp)
	}
	plan.Total.roi()
	plan.Unspent = round(max(budget-plan.Total.Cost, 0), 100)
	plan.Bound = round(plan.Bound, 100)
	plan.UnspentCode = p.unspentReason(plan, pr, sol)
	plan.UnspentReason = strings.NewReplacer(
		"{left}", strconv.FormatFloat(plan.Unspent, 'f', 2, 64),
		"{cheapest}", strconv.FormatFloat(plan.CheapestContact, 'f', 2, 64),
	).Replace(UnspentReasons[plan.UnspentCode])
	return plan, nil
}

// segmentNote says why a segment is not fully contacted: a key of
// SegmentNotes, or "".
func (p *Planner) segmentNote(s int, sp SegmentPlan, pr Problem, sol Solution) string {
	switch {
	case p.entries[s] == nil:
		return "no_entry"
	case len(p.entries[s].Actions) == 0:
		return "no_actions"
	case p.bestOption(s) < 0:
		return "no_pay"
	case sp.Customers == 0:
		return "no_customers"
	case sp.Contacted+sp.Holdout >= sp.Customers:
		return ""
	case p.channelsFull(s, pr, sol):
		return "channel_cap"
	case sp.Contacted == 0:
		return "outbid"
	}
	var capped bool
	for j, o := range pr.Options {
		if o.Segment == s && o.Cap > 0 && sol.Contacts[j] >= o.Cap {
			capped = true
		}
	}
	if capped {
		return "action_cap"
	}
	return "budget_out"
}

// channelsFull tells whether every paying option of segment s is on a
// channel whose cap leaves less than one more contact.
func (p *Planner) channelsFull(s int, pr Problem, sol Solution) bool {
	spent := make([]float64, len(pr.ChannelBudget))
	for j, c := range sol.Contacts {
		if ch := pr.Options[j].Channel; ch >= 0 {
			spent[ch] += float64(c) * pr.Options[j].Cost
		}
	}
	paying := false
	for _, o := range pr.Options {
		if o.Segment != s || o.Profit <= 0 {
			continue
		}
		paying = true
		if b := pr.ChannelBudget[o.Channel]; b < 0 || spent[o.Channel]+o.Cost <= b+1e-9 {
			return false
		}
	}
	return paying
}

// unspentReason explains the budget left over: a key of UnspentReasons, or
// "". It sets plan.CheapestContact for "below_one_contact".
func (p *Planner) unspentReason(plan *Plan, pr Problem, sol Solution) string {
	if plan.Unspent <= 1e-9 {
		return ""
	}
	// Can one more contact of any paying option be bought?
	left := plan.Unspent
	segLeft := slices.Clone(pr.Customers)
	chSpent := make([]float64, len(pr.ChannelBudget))
	for j, c := range sol.Contacts {
		segLeft[pr.Options[j].Segment] -= c
		if ch := pr.Options[j].Channel; ch >= 0 {
			chSpent[ch] += float64(c) * pr.Options[j].Cost
		}
	}
	var open, cheapest = 0, math.Inf(1)
	var byChannel, byCap bool
	for j, o := range pr.Options {
		if o.Profit <= 0 || segLeft[o.Segment] <= 0 {
			continue
		}
		if o.Cap > 0 && sol.Contacts[j] >= o.Cap {
			byCap = true
			continue
		}
		if b := pr.ChannelBudget[o.Channel]; b >= 0 && chSpent[o.Channel]+o.Cost > b+1e-9 {
			byChannel = true
			continue
		}
		open++
		cheapest = min(cheapest, o.Cost)
	}
	switch {
	case open > 0 && cheapest > left:
		plan.CheapestContact = cheapest
		return "below_one_contact"
	case open > 0:
		return "whole_plan"
	case byChannel:
		return "channel_caps"
	case byCap:
		return "action_caps"
	}
	return "all_contacted"
}

// Assign writes each customer's action (an index into plan.ActionNames, -1
// for none) and whether the customer is in a hold-out. In each segment the
// best-ranked customers are taken, the hold-out is spread evenly over them
// in rank order (every k-th), and the action with the most profit per
// contact goes to the best of the rest.
func (p *Planner) Assign(plan *Plan, action []int16, holdout []bool) {
	for i := range action {
		action[i] = -1
	}
	clear(holdout)
	idx := make([]int, 0, 8)
	for s := range p.names {
		idx = idx[:0]
		k := 0
		for j, o := range p.options {
			if o.seg == s && plan.contacts[j] > 0 {
				idx = append(idx, j)
				k += plan.contacts[j]
			}
		}
		if k == 0 {
			continue
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			return cmp.Compare(p.options[b].action.Profit(), p.options[a].action.Profit())
		})
		h := plan.holdout[s]
		seg := p.order[p.start[s]:p.start[s+1]]
		seg = seg[:min(k+h, len(seg))]
		n := len(seg)
		opt, left := 0, plan.contacts[idx[0]]
		for pos, c := range seg {
			if h > 0 && (pos+1)*h/n > pos*h/n {
				holdout[c] = true
				continue
			}
			for left == 0 && opt+1 < len(idx) {
				opt++
				left = plan.contacts[idx[opt]]
			}
			if left == 0 {
				break
			}
			action[c] = int16(idx[opt])
			left--
		}
	}
}

// ActionNames returns the names of the plan's options, indexed as in
// Assign's output.
func (plan *Plan) ActionNames() []string {
	out := make([]string, len(plan.options))
	for j, o := range plan.options {
		out[j] = o.action.Name
	}
	return out
}

// full returns the allocation problem with a budget that buys every
// paying contact, and the cost of its best plan: beyond it, one more
// contact adds no profit.
func (p *Planner) full(caps []ChannelCap, h Holdout) (Problem, float64, error) {
	hold, _ := p.holdouts(h)
	pr, err := p.problem(0, caps, hold)
	if err != nil {
		return pr, 0, err
	}
	for _, o := range pr.Options {
		if o.Profit > 0 {
			pr.Budget += o.Cost * float64(pr.Customers[o.Segment])
		}
	}
	sol, err := Allocate(pr)
	if err != nil {
		return pr, 0, err
	}
	return pr, sol.Cost, nil
}

// FullBudget returns the budget sized to the data: the cost of contacting
// every customer worth contacting under the caps and hold-outs, where the
// marginal profit of one more contact reaches zero (rounded up to a
// cent).
func (p *Planner) FullBudget(caps []ChannelCap, h Holdout) (float64, error) {
	_, top, err := p.full(caps, h)
	return math.Ceil(top*100-1e-6) / 100, err
}

// PlanConfig plans cfg's budget (FullBudget with cfg.BudgetAuto), channel
// caps and hold-outs, and records cfg's choices in the plan.
func (p *Planner) PlanConfig(cfg Config) (*Plan, error) {
	budget := cfg.Budget
	if cfg.BudgetAuto {
		var err error
		if budget, err = p.FullBudget(cfg.ChannelCaps, cfg.Holdout); err != nil {
			return nil, err
		}
	}
	plan, err := p.Plan(budget, cfg.ChannelCaps, cfg.Holdout)
	if err != nil {
		return nil, err
	}
	plan.BudgetAuto = cfg.BudgetAuto
	plan.PlaybookDefault = cfg.Custom == nil && cfg.Playbook == ""
	plan.Values = "playbook"
	if p.data != nil {
		plan.Values, plan.WindowDays = "data", cfg.WindowDays
	}
	return plan, nil
}

// CurvePoint is one point of the profit-versus-budget curve.
type CurvePoint struct {
	Budget    float64 `json:"budget"`
	Profit    float64 `json:"profit"`
	Contacted int     `json:"contacted"`
}

// Curve returns the best whole profit at points+1 budgets from 0 to the
// budget that contacts every customer worth contacting, and sets each
// segment's WorthFrom in plan (when plan is not nil): the budget from
// which the divisible optimum contacts the segment, found by bisection.
func (p *Planner) Curve(caps []ChannelCap, h Holdout, points int, plan *Plan) ([]CurvePoint, error) {
	pr, top, err := p.full(caps, h)
	if err != nil {
		return nil, err
	}
	points = max(points, 1)
	curve := make([]CurvePoint, 0, points+1)
	for i := 0; i <= points; i++ {
		pr.Budget = top * float64(i) / float64(points)
		sol, err := Allocate(pr)
		if err != nil {
			return nil, err
		}
		cp := CurvePoint{Budget: pr.Budget, Profit: sol.Profit}
		for _, c := range sol.Contacts {
			cp.Contacted += c
		}
		curve = append(curve, cp)
	}
	if plan == nil {
		return curve, nil
	}
	var cols []int
	for j, o := range pr.Options {
		if o.Profit > 0 && pr.Customers[o.Segment] > 0 {
			cols = append(cols, j)
		}
	}
	lo, hi := make([]int, len(cols)), make([]int, len(cols))
	for k, j := range cols {
		o := pr.Options[j]
		hi[k] = pr.Customers[o.Segment]
		if o.Cap > 0 {
			hi[k] = min(hi[k], o.Cap)
		}
	}
	contacts := func(s int, budget float64) (bool, error) {
		pr.Budget = budget
		x, _, _, err := solveLP(pr, cols, lo, hi)
		if err != nil {
			return false, err
		}
		for k, j := range cols {
			if pr.Options[j].Segment == s && x[k] > 1e-9 {
				return true, nil
			}
		}
		return false, nil
	}
	for s := range plan.Segments {
		ok, err := contacts(s, top)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		a, b := 0.0, top
		if ok, _ := contacts(s, 1e-9); ok {
			b = 0
		}
		for range 40 {
			if b-a <= 0.005 {
				break
			}
			mid := (a + b) / 2
			ok, err := contacts(s, mid)
			if err != nil {
				return nil, err
			}
			if ok {
				b = mid
			} else {
				a = mid
			}
		}
		plan.Segments[s].WorthFrom = math.Round(b*100) / 100
	}
	return curve, nil
}
