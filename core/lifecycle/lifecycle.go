// Package lifecycle assigns lifecycle stages (new, active, returned,
// silent, at risk, churned) and splits a period's buyers into new, old and
// old repeat buyers.
package lifecycle

import (
	"encoding/json"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/knob"
	"segsim/core/summary"
)

// Stage is a lifecycle stage.
type Stage uint8

// The stages, in funnel order.
const (
	New Stage = iota
	Active
	Returned
	Silent
	AtRisk
	Churned
	NumStages
)

// Names are the snake_case stage names, in Stage order.
var Names = [NumStages]string{"new", "active", "returned", "silent", "at_risk", "churned"}

// NamesZh are the stages' Chinese names, in Stage order.
var NamesZh = [NumStages]string{"新客", "活跃", "回流", "沉默", "流失风险", "已流失"}

// Config holds the lifecycle knobs, in days.
//
// A customer is, checking in this order: churned when the recency is above
// ChurnDays; new when the first purchase is at most NewDays before the
// as-of date; at risk when the recency is above AtRiskFactor × the active
// window; silent when it is above the active window; returned when the gap
// before the last purchase day was longer than ChurnDays; otherwise active.
// The active window is ActiveFactor × the customer's own median gap between
// purchase days, clamped to [ActiveMin, ActiveMax]; ActiveMax for a customer
// with one purchase day.
type Config struct {
	NewDays      int     `json:"new_days"`
	ActiveFactor float64 `json:"active_factor"`
	ActiveMin    int     `json:"active_min"`
	ActiveMax    int     `json:"active_max"`
	AtRiskFactor float64 `json:"at_risk_factor"`
	ChurnDays    int     `json:"churn_days"`
	// PeriodDays is the length of the period, ending the day before the
	// as-of date, used for the new/old buyer split.
	PeriodDays int `json:"period_days"`
}

// Default returns the stage rules of the design: 30-day newcomers, active
// window 2 × median gap within 30..90 days, at risk past twice that,
// churned after 180 days; a 30-day period for the buyer split.
func Default() Config {
	return Config{NewDays: 30, ActiveFactor: 2, ActiveMin: 30, ActiveMax: 90, AtRiskFactor: 2, ChurnDays: 180, PeriodDays: 30}
}

// Validate reports the first bad knob.
func (c Config) Validate() error {
	switch {
	case c.NewDays < 0:
		return knob.Bad("lifecycle.new_days", c.NewDays, "is negative")
	case !(c.ActiveFactor > 0):
		return knob.Bad("lifecycle.active_factor", c.ActiveFactor, "must be above 0")
	case c.ActiveMin < 1:
		return knob.Bad("lifecycle.active_min", c.ActiveMin, "must be at least 1")
	case c.ActiveMax < c.ActiveMin:
		return knob.Bad("lifecycle.active_max", c.ActiveMax, "is below active_min %d", c.ActiveMin)
	case !(c.AtRiskFactor >= 1):
		return knob.Bad("lifecycle.at_risk_factor", c.AtRiskFactor, "must be at least 1")
	case c.ChurnDays < 1:
		return knob.Bad("lifecycle.churn_days", c.ChurnDays, "must be at least 1")
	case c.PeriodDays < 1:
		return knob.Bad("lifecycle.period_days", c.PeriodDays, "must be at least 1")
	}
	return nil
}

// Assign writes each customer's stage. When pAlive is not nil, an active,
// returned or silent customer whose probability of being alive is below
// atRiskBelow is at risk.
func Assign(t *summary.Customers, c Config, asOf int32, pAlive []float64, atRiskBelow float64, out []uint8) {
	churn := int32(c.ChurnDays)
	newDays := int32(c.NewDays)
	lo, hi := float32(c.ActiveMin), float32(c.ActiveMax)
	af, rf := float32(c.ActiveFactor), float32(c.AtRiskFactor)
	for i := range out {
		rec := asOf - t.Last[i]
		var s Stage
		switch {
		case rec > churn:
			s = Churned
		case asOf-t.First[i] <= newDays:
			s = New
		default:
			w := hi
			if g := t.MedianGap[i]; g >= 0 {
				w = min(max(af*g, lo), hi)
			}
			r := float32(rec)
			switch {
			case r > rf*w:
				s = AtRisk
			case r > w:
				s = Silent
			case t.LastGap[i] > churn:
				s = Returned
			default:
				s = Active
			}
		}
		if pAlive != nil && (s == Active || s == Returned || s == Silent) && pAlive[i] < atRiskBelow {
			s = AtRisk
		}
		out[i] = uint8(s)
	}
}

// Split counts a period's buyers.
type Split struct {
	Start, End      string `json:"-"`
	NewBuyers       int    `json:"new_buyers"`        // first order ever falls in the period
	OldBuyers       int    `json:"old_buyers"`        // ordered before and in the period
	OldRepeatBuyers int    `json:"old_repeat_buyers"` // old buyers with 2 or more orders in the period
	NewRevenue      int64  `json:"-"`                 // cents, orders in the period
	OldRevenue      int64  `json:"-"`                 // cents
}

// MarshalJSON writes the split with its revenues in currency units, as
// every other amount segsim writes.
func (s Split) MarshalJSON() ([]byte, error) {
	type counts Split
	return json.Marshal(struct {
		counts
		NewRevenue float64 `json:"new_revenue"`
		OldRevenue float64 `json:"old_revenue"`
	}{counts(s), float64(s.NewRevenue) / 100, float64(s.OldRevenue) / 100})
}

// BuyerSplit counts the new, old and old repeat buyers among customers of
// t who bought in the days days before asOf, using the cleaned rows of o.
func BuyerSplit(o *ingest.Orders, disp []uint8, t *summary.Customers, asOf int32, days int) Split {
	start := asOf - int32(days)
	first := make([]int32, o.Customers.Len())
	in := make([]bool, o.Customers.Len())
	for i, k := range t.Key {
		first[k] = t.First[i]
		in[k] = true
	}
	// Per customer, the distinct orders in the period, counted up to 2
	// (all the split needs), and the first one's order id hash.
	p := periodRows{first: first, in: in, orders: make([]uint8, len(first)), start: start, asOf: asOf}
	if o.Order != nil {
		p.firstOrder = make([]uint64, len(first))
	}
	for lo := 0; lo < len(o.Cust); lo += block {
		hi := min(len(o.Cust), lo+block)
		var ids []uint64
		if o.Order != nil {
			ids = o.Order[lo:hi]
		}
		p.rows(o.Cust[lo:hi], o.Day[lo:hi], o.Cents[lo:hi], disp[lo:hi], ids)
	}
	// Then each customer counts as a Splitter counts one.
	sp := Splitter{start: start, asOf: asOf, s: p.s}
	for c, n := range p.orders {
		sp.first, sp.orders = first[c], n
		sp.count()
	}
	return sp.Split()
}

// block is how many rows BuyerSplit reads per call: WebAssembly engines
// optimize a function when it is called again, and a loop inside a
// function called once runs unoptimized to the end.
const block = 1 << 14

// periodRows is BuyerSplit's count of the order table's rows so far: the
// revenues, and per customer the orders in the period (up to 2) and the
// first one's order id.
type periodRows struct {
	first       []int32
	in          []bool
	orders      []uint8
	firstOrder  []uint64 // nil without order ids
	start, asOf int32
	s           Split
}

// rows counts a block of rows; ids is nil without order ids.
func (p *periodRows) rows(cust, day []int32, cents []int64, disp []uint8, ids []uint64) {
	for i, c := range cust {
		d := day[i]
		if disp[i] != summary.Sale || !p.in[c] || d < p.start || d >= p.asOf {
			continue
		}
		if p.first[c] >= p.start {
			p.s.NewRevenue += cents[i]
		} else {
			p.s.OldRevenue += cents[i]
		}
		switch {
		case p.orders[c] == 0:
			p.orders[c] = 1
			if ids != nil {
				p.firstOrder[c] = ids[i]
			}
		case p.orders[c] == 1 && (ids == nil || ids[i] != p.firstOrder[c]):
			p.orders[c] = 2 // without order ids every row is an order
		}
	}
}

// Splitter counts a period's buyers as BuyerSplit does, from sale rows
// given customer by customer (each row an order), for a caller that makes
// each customer's rows on the fly instead of holding an order table.
type Splitter struct {
	start, asOf int32
	first       int32 // the current customer's first purchase day
	orders      uint8 // the current customer's orders in the period, up to 2
	s           Split
}

// NewSplitter returns a Splitter for the days days before asOf.
func NewSplitter(asOf int32, days int) *Splitter {
	return &Splitter{start: asOf - int32(days), asOf: asOf}
}

// Customer starts the next customer, whose first purchase was on day
// first.
func (p *Splitter) Customer(first int32) {
	p.count()
	p.first, p.orders = first, 0
}

// Sale adds a sale row of the current customer.
func (p *Splitter) Sale(day int32, cents int64) {
	if day < p.start || day >= p.asOf {
		return
	}
	if p.first >= p.start {
		p.s.NewRevenue += cents
	} else {
		p.s.OldRevenue += cents
	}
	p.orders = min(p.orders+1, 2)
}

// Sales adds n sale rows of the current customer in the period, worth
// cents in all.
func (p *Splitter) Sales(n, cents int64) {
	if n <= 0 {
		return
	}
	if p.first >= p.start {
		p.s.NewRevenue += cents
	} else {
		p.s.OldRevenue += cents
	}
	p.orders = uint8(min(int64(p.orders)+n, 2))
}

// count adds the current customer to the split.
func (p *Splitter) count() {
	switch {
	case p.orders == 0:
	case p.first >= p.start:
		p.s.NewBuyers++
	default:
		p.s.OldBuyers++
		if p.orders >= 2 {
			p.s.OldRepeatBuyers++
		}
	}
	p.orders = 0
}

// Split returns the split of the customers given.
func (p *Splitter) Split() Split {
	p.count()
	s := p.s
	s.Start, s.End = calendar.Format(p.start), calendar.Format(p.asOf-1)
	return s
}
