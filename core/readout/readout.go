// Package readout measures a campaign after the fact: given the plan (who
// was contacted with which action, who was held out) and the orders of
// the campaign window, it compares the contacted with the held-out
// customers per action, per segment and in total — response rates, the
// uplift with a Newcombe hybrid score interval, revenue per customer with
// a Welch interval, cost, measured ROI, achieved power — and gives a
// plain verdict.
package readout

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"segsim/core/calendar"
	"segsim/core/clean"
	"segsim/core/ingest"
	"segsim/core/strategy"
	"segsim/core/summary"
)

// ErrInvalid wraps every bad option or input; ErrWindow, which wraps it,
// is a campaign window or level that cannot be used.
var (
	ErrInvalid = errors.New("invalid readout")
	ErrWindow  = fmt.Errorf("%w: bad campaign window", ErrInvalid)
)

// Options are the readout's inputs beyond the plan and the orders.
type Options struct {
	// Start and End bound the campaign window, both days included (day
	// numbers, see calendar; both required: 0 is 1970-01-01, not "none").
	// Orders outside it are not outcomes.
	Start, End int32
	// Clean holds the row rules applied to the orders (unpaid, returns,
	// test accounts, zero-value orders); customer-level rules (outliers,
	// reward hunters) are not applied: a campaign's big buyers count.
	Clean clean.Rules
	// Playbook prices the actions a plan file has no cost for, and gives
	// their margin and planned uplift; nil means none.
	Playbook *strategy.Playbook
	// Keys maps a segment or action label as the plan file writes it (a
	// Chinese name) to its key, the playbook's name; nil means none.
	Keys map[string]string
	// Level is the confidence level of the intervals (default 0.95).
	Level float64
}

// Methods of the intervals, as named in Report.Method.
const (
	UpliftMethod  = "newcombe_hybrid_score"
	RevenueMethod = "welch"
)

// Verdict codes.
const (
	Worked   = "worked"    // the uplift's interval lies above 0
	Harmed   = "harmed"    // the uplift's interval lies below 0
	NoEffect = "no_effect" // the interval spans 0 and the test had the power to see the uplift
	TooFew   = "too_few"   // the interval spans 0 and too few were held out (or none)
)

// minPower is the achieved power below which an interval that spans 0
// says "too few held out to tell" rather than "no effect detected".
const minPower = 0.5

// Group is one line of the readout: an action, a segment or the total.
// Rates and money are nil where they are undefined (an empty group); an
// interval is nil when it cannot be formed.
type Group struct {
	Action  string `json:"action,omitempty"`
	Segment string `json:"segment,omitempty"`
	// Control says which held-out customers this action is compared with:
	// "action" (those held out of this action), "segment" (those held out
	// in the segments where it was used) or "all" (every held-out
	// customer); empty for segments and the total.
	Control string `json:"control,omitempty"`

	Contacted       int       `json:"contacted"`
	Holdout         int       `json:"holdout"`
	ContactedBuyers int       `json:"contacted_buyers"`
	HoldoutBuyers   int       `json:"holdout_buyers"`
	ContactedRate   *float64  `json:"contacted_rate"`
	HoldoutRate     *float64  `json:"holdout_rate"`
	Uplift          *float64  `json:"uplift"`
	UpliftCI        []float64 `json:"uplift_ci"`
	// IncrementalBuyers is the uplift times the contacted.
	IncrementalBuyers *float64 `json:"incremental_buyers"`

	// ContactedRevenue and HoldoutRevenue are the window revenue of each
	// group; per customer counts non-buyers as 0.
	ContactedRevenue     float64   `json:"contacted_revenue"`
	HoldoutRevenue       float64   `json:"holdout_revenue"`
	RevenuePerContacted  *float64  `json:"revenue_per_contacted"`
	RevenuePerHoldout    *float64  `json:"revenue_per_holdout"`
	IncrementalRevenue   *float64  `json:"incremental_revenue"`
	IncrementalRevenueCI []float64 `json:"incremental_revenue_ci"`

	// Cost is the cost of the contacts; CostUnknown counts contacted
	// customers whose cost neither the plan nor the playbook gives.
	Cost        float64 `json:"cost"`
	CostUnknown int     `json:"cost_unknown,omitempty"`
	// Margin is the gross margin applied to incremental revenue (the
	// playbook's, weighted by contacts; 1 when unknown); Profit =
	// incremental revenue × margin − cost, ROI = Profit / Cost.
	Margin float64  `json:"margin"`
	Profit *float64 `json:"profit"`
	ROI    *float64 `json:"roi"`

	// Power is the achieved power of a two-sided test at the level's α
	// with these group sizes, for the planned uplift (PowerFor "planned",
	// from the playbook) or, when none is known, the observed one.
	Power         *float64 `json:"power"`
	PowerFor      string   `json:"power_for,omitempty"`
	PlannedUplift *float64 `json:"planned_uplift"`

	Verdict     string `json:"verdict"`
	VerdictText string `json:"verdict_text"`
}

// Note is something the reader should know about the numbers, with a
// code a page can translate and an English text.
type Note struct {
	Code string `json:"code"`
	Text string `json:"text"`
	Arg  string `json:"arg,omitempty"`
}

// Outcomes sums up the orders of the window.
type Outcomes struct {
	Buyers  int     `json:"buyers"`  // customers with an order in the window
	Revenue float64 `json:"revenue"` // their window revenue
	// NotInPlan are buyers the plan does not list (new customers, or
	// customers left out when it was made) and their revenue.
	NotInPlan        int     `json:"not_in_plan"`
	NotInPlanRevenue float64 `json:"not_in_plan_revenue"`
	// Untouched counts plan customers neither contacted nor held out, and
	// UntouchedBuyers those of them who bought.
	Untouched       int `json:"untouched"`
	UntouchedBuyers int `json:"untouched_buyers"`
	// FirstDay and LastDay are the first and last order days in the file.
	FirstDay string `json:"first_order_day"`
	LastDay  string `json:"last_order_day"`
}

// Report is the readout.
type Report struct {
	Start    string            `json:"start"`
	End      string            `json:"end"`
	Level    float64           `json:"level"`
	Method   map[string]string `json:"method"`
	Actions  []Group           `json:"actions"`
	Segments []Group           `json:"segments"`
	Total    Group             `json:"total"`
	Outcomes Outcomes          `json:"outcomes"`
	Notes    []Note            `json:"notes,omitempty"`
}

// member is one plan customer with the outcome of the window.
type member struct {
	action, group int32 // indexes into names; -1 when none
	holdout       bool
	cost          float64
	costKnown     bool
	margin        float64
	uplift        float64 // planned; NaN when unknown
	baseline      float64
	buyer         bool
	revenue       float64
}

// Run reads out a campaign: plan rows (ingest.ParsePlan) against the order
// table of the window.
func Run(plan []ingest.PlanRow, o *ingest.Orders, opt Options) (*Report, error) {
	if opt.End < opt.Start {
		return nil, fmt.Errorf("readout: %w: it ends (%s) before it starts (%s)", ErrWindow, calendar.Format(opt.End), calendar.Format(opt.Start))
	}
	if opt.Level == 0 {
		opt.Level = 0.95
	}
	if !(opt.Level > 0.5 && opt.Level < 1) {
		return nil, fmt.Errorf("readout: %w: level %g is not in (0.5, 1)", ErrWindow, opt.Level)
	}
	if len(plan) == 0 {
		return nil, fmt.Errorf("readout: %w: the plan is empty", ErrInvalid)
	}
	rep := &Report{
		Start: calendar.Format(opt.Start), End: calendar.Format(opt.End), Level: opt.Level,
		Method: map[string]string{"uplift_ci": UpliftMethod, "incremental_revenue_ci": RevenueMethod, "power": "two-sided z-test, unpooled"},
	}
	var actions, groups names
	ms := make([]member, len(plan))
	index := make(map[string]int32, len(plan))
	hasGroup := false
	key := func(s string) string {
		if k, ok := opt.Keys[s]; ok {
			return k
		}
		return s
	}
	for i, p := range plan {
		// A Chinese plan file names segments and actions by their Chinese
		// labels: the report names them by their keys, as the playbook does.
		seg, act := key(p.Group), key(p.Action)
		m := member{action: actions.of(act), group: groups.of(seg), holdout: p.Holdout, cost: p.Cost, costKnown: p.HasCost, margin: 1, uplift: math.NaN()}
		hasGroup = hasGroup || p.Group != ""
		if a := lookup(opt.Playbook, seg, act); a != nil {
			if !m.costKnown {
				m.cost, m.costKnown = a.Cost, true
			}
			m.margin, m.uplift, m.baseline = a.Margin, a.Uplift(), a.Baseline
		}
		ms[i] = m
		index[p.ID] = int32(i)
	}
	outcomes(ms, index, o, opt, &rep.Outcomes)

	level := opt.Level
	// Actions: contacted with the action against its control.
	heldOutOf := make([]bool, len(actions.list))
	for _, m := range ms {
		if m.holdout && m.action >= 0 {
			heldOutOf[m.action] = true
		}
	}
	controlNote := ""
	for a, name := range actions.list {
		usedIn := map[int32]bool{}
		for _, m := range ms {
			if m.action == int32(a) && !m.holdout {
				usedIn[m.group] = true
			}
		}
		g := Group{Action: name}
		switch {
		case heldOutOf[a]:
			g.Control = "action"
		case hasGroup:
			g.Control = "segment"
			controlNote = "segment"
		default:
			g.Control = "all"
			controlNote = "all"
		}
		g.fill(ms, level, func(m *member) (contacted, control bool) {
			if m.action == int32(a) {
				return !m.holdout, m.holdout
			}
			switch g.Control {
			case "segment":
				return false, m.holdout && m.action < 0 && usedIn[m.group]
			case "all":
				return false, m.holdout && m.action < 0
			}
			return false, false
		})
		rep.Actions = append(rep.Actions, g)
	}
	// Segments: contacted in the segment against those held out in it.
	if hasGroup {
		for s, name := range groups.list {
			g := Group{Segment: name}
			g.fill(ms, level, func(m *member) (bool, bool) {
				if m.group != int32(s) {
					return false, false
				}
				return m.action >= 0 && !m.holdout, m.holdout
			})
			if g.Contacted+g.Holdout > 0 { // a segment left out of the campaign is counted in Outcomes.Untouched
				rep.Segments = append(rep.Segments, g)
			}
		}
	}
	rep.Total.fill(ms, level, func(m *member) (bool, bool) { return m.action >= 0 && !m.holdout, m.holdout })
	if rep.Actions == nil {
		rep.Actions = []Group{}
	}
	if rep.Segments == nil {
		rep.Segments = []Group{}
	}
	rep.notes(controlNote, actions.list, ms, opt)
	return rep, nil
}

// names interns strings; the empty string is -1.
type names struct {
	list []string
	idx  map[string]int32
}

func (n *names) of(s string) int32 {
	if s == "" {
		return -1
	}
	if n.idx == nil {
		n.idx = map[string]int32{}
	}
	i, ok := n.idx[s]
	if !ok {
		i = int32(len(n.list))
		n.idx[s] = i
		n.list = append(n.list, s)
	}
	return i
}

// lookup finds an action in the playbook: in the plan row's segment
// entry, else the one action of that name when every entry that has it
// agrees on its cost; nil when not found.
func lookup(pb *strategy.Playbook, segment, action string) *strategy.Action {
	if pb == nil || action == "" {
		return nil
	}
	if e := pb.Lookup(segment); e != nil {
		for i := range e.Actions {
			if e.Actions[i].Name == action {
				return &e.Actions[i]
			}
		}
	}
	var found *strategy.Action
	for i := range pb.Entries {
		for j := range pb.Entries[i].Actions {
			a := &pb.Entries[i].Actions[j]
			if a.Name != action {
				continue
			}
			if found != nil && found.Cost != a.Cost {
				return nil // the same name priced two ways: ambiguous
			}
			found = a
		}
	}
	return found
}

// outcomes marks each plan member's window purchases, and sums up the
// window's buyers.
func outcomes(ms []member, index map[string]int32, o *ingest.Orders, opt Options, out *Outcomes) {
	if o == nil || o.Len() == 0 {
		return
	}
	first, last := o.Day[0], o.Day[0]
	for _, d := range o.Day {
		first, last = min(first, d), max(last, d)
	}
	out.FirstDay, out.LastDay = calendar.Format(first), calendar.Format(last)
	disp, _ := clean.Rows(o, opt.Clean, clean.Window{Start: opt.Start, End: opt.End, AsOf: opt.End + 1})
	t := summary.Build(o, disp, opt.Clean.HunterDiscount)
	for i := 0; i < t.Len(); i++ {
		rev := float64(t.Revenue[i]) / 100
		out.Buyers++
		out.Revenue += rev
		j, ok := index[t.ID(i)]
		if !ok {
			out.NotInPlan++
			out.NotInPlanRevenue += rev
			continue
		}
		ms[j].buyer, ms[j].revenue = true, rev
	}
	out.Revenue, out.NotInPlanRevenue = cents(out.Revenue), cents(out.NotInPlanRevenue)
	for _, m := range ms {
		if m.action < 0 && !m.holdout {
			out.Untouched++
			if m.buyer {
				out.UntouchedBuyers++
			}
		}
	}
}

// notes says how actions were controlled, which costs are unknown, and
// whether the orders cover the window.
func (r *Report) notes(control string, actions []string, ms []member, opt Options) {
	switch control {
	case "segment":
		r.Notes = append(r.Notes, Note{Code: "control_segment", Text: "held-out customers carry no action: each action is compared with the customers held out in the segments where it was used"})
	case "all":
		r.Notes = append(r.Notes, Note{Code: "control_all", Text: "held-out customers carry no action and the plan has no segment column: each action is compared with every held-out customer"})
	}
	var unknown []string
	for a, name := range actions {
		for _, m := range ms {
			if m.action == int32(a) && !m.holdout && !m.costKnown {
				unknown = append(unknown, name)
				break
			}
		}
	}
	if unknown != nil {
		list := strings.Join(unknown, ", ")
		r.Notes = append(r.Notes, Note{Code: "cost_unknown", Arg: list, Text: "no cost for " + list + " (no cost column and not in the playbook): counted as 0, no ROI"})
	}
	if out := r.Outcomes; out.LastDay != "" {
		if out.LastDay < r.End {
			r.Notes = append(r.Notes, Note{Code: "orders_end_early", Arg: out.LastDay, Text: "the orders end on " + out.LastDay + ", before the window ends: later purchases are not counted"})
		}
		if out.FirstDay > r.Start {
			r.Notes = append(r.Notes, Note{Code: "orders_start_late", Arg: out.FirstDay, Text: "the orders start on " + out.FirstDay + ", after the window starts: earlier purchases are not counted"})
		}
	} else {
		r.Notes = append(r.Notes, Note{Code: "no_orders", Text: "no orders were given: every customer counts as a non-buyer"})
	}
	if r.Outcomes.Buyers == 0 && r.Outcomes.LastDay != "" {
		r.Notes = append(r.Notes, Note{Code: "no_buyers", Text: "no order falls inside the window " + r.Start + " – " + r.End})
	}
	slices.SortStableFunc(r.Notes, func(a, b Note) int { return strings.Compare(a.Code, b.Code) })
}

// fill computes a group's line from the members that in reports as
// contacted or control.
func (g *Group) fill(ms []member, level float64, in func(*member) (contacted, control bool)) {
	var rev1, rev0 []float64
	var marginSum, upliftSum, baseSum float64
	var sum1, sum0 float64 // window revenue of the contacted and the held out
	var planned int
	for i := range ms {
		m := &ms[i]
		c, h := in(m)
		switch {
		case c:
			g.Contacted++
			rev1 = append(rev1, m.revenue)
			sum1 += m.revenue
			if m.buyer {
				g.ContactedBuyers++
			}
			if m.costKnown {
				g.Cost += m.cost
			} else {
				g.CostUnknown++
			}
			marginSum += m.margin
			if !math.IsNaN(m.uplift) {
				upliftSum += m.uplift
				baseSum += m.baseline
				planned++
			}
		case h:
			g.Holdout++
			rev0 = append(rev0, m.revenue)
			sum0 += m.revenue
			if m.buyer {
				g.HoldoutBuyers++
			}
		}
	}
	g.ContactedRevenue, g.HoldoutRevenue, g.Cost = cents(sum1), cents(sum0), cents(g.Cost)
	margin := 1.0
	if g.Contacted > 0 {
		margin = marginSum / float64(g.Contacted)
	}
	g.Margin = round(margin, 1e4)
	n1, n0 := g.Contacted, g.Holdout
	x1, x0 := g.ContactedBuyers, g.HoldoutBuyers
	// Rates and revenue per customer of each group (non-buyers count 0).
	var p1, p0, m1, m0 float64
	if n1 > 0 {
		p1, m1 = float64(x1)/float64(n1), sum1/float64(n1)
		g.ContactedRate = ptr(round(p1, 1e6))
		g.RevenuePerContacted = ptr(cents(m1))
	}
	if n0 > 0 {
		p0, m0 = float64(x0)/float64(n0), sum0/float64(n0)
		g.HoldoutRate = ptr(round(p0, 1e6))
		g.RevenuePerHoldout = ptr(cents(m0))
	}
	z := zQuantile(level)
	alpha := 1 - level
	if n1 > 0 && n0 > 0 {
		d := p1 - p0
		g.Uplift = ptr(round(d, 1e6))
		lo, hi := NewcombeHybrid(x1, n1, x0, n0, z)
		g.UpliftCI = []float64{round(lo, 1e6), round(hi, 1e6)}
		g.IncrementalBuyers = ptr(round(d*float64(n1), 100))
		diff := m1 - m0
		g.IncrementalRevenue = ptr(cents(diff * float64(n1)))
		if lo, hi, ok := Welch(rev1, rev0, level); ok {
			g.IncrementalRevenueCI = []float64{cents(lo * float64(n1)), cents(hi * float64(n1))}
		}
		profit := diff*float64(n1)*margin - g.Cost
		g.Profit = ptr(cents(profit))
		if g.Cost > 0 {
			g.ROI = ptr(round(profit/g.Cost, 1e4))
		}
		pw := 0.0
		if planned > 0 {
			pu, pb := upliftSum/float64(planned), baseSum/float64(planned)
			g.PlannedUplift = ptr(round(pu, 1e6))
			g.PowerFor = "planned"
			pw = Power(pb, pb+pu, n0, n1, alpha)
		} else {
			g.PowerFor = "observed"
			pw = Power(p0, p1, n0, n1, alpha)
		}
		g.Power = ptr(round(pw, 1e4))
		switch {
		case lo > 0:
			g.Verdict = Worked
		case hi < 0:
			g.Verdict = Harmed
		case pw < minPower:
			g.Verdict = TooFew
		default:
			g.Verdict = NoEffect
		}
	} else {
		g.Verdict = TooFew
	}
	g.VerdictText = g.verdictText(level)
}

// verdictText is the verdict in plain English.
func (g *Group) verdictText(level float64) string {
	pct := fmt.Sprintf("%.0f%%", level*100)
	switch g.Verdict {
	case Worked:
		return fmt.Sprintf("worked: the contacted bought more often than the held-out (the %s interval of the uplift lies above 0)", pct)
	case Harmed:
		return fmt.Sprintf("did harm: the contacted bought less often than the held-out (the %s interval of the uplift lies below 0)", pct)
	case NoEffect:
		return fmt.Sprintf("no effect detected: the test had %.0f%% power for the %s uplift, and the %s interval includes 0", *g.Power*100, g.PowerFor, pct)
	}
	switch {
	case g.Holdout == 0:
		return "too few held out to tell: no one was held out, so there is nothing to compare with"
	case g.Contacted == 0:
		return "too few to tell: no one was contacted"
	}
	return fmt.Sprintf("too few held out to tell: with %d held out the test had %.0f%% power for the %s uplift", g.Holdout, *g.Power*100, g.PowerFor)
}

func ptr(v float64) *float64 { return &v }

// round rounds v to 1/unit (unit 100 → cents).
func round(v, unit float64) float64 { return math.Round(v*unit) / unit }

func cents(v float64) float64 { return round(v, 100) }
