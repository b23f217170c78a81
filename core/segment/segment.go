// Package segment evaluates rule-based segment schemes (first match wins,
// with a default) and tags over customer features and RFM scores.
package segment

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"segsim/core/knob"
	"segsim/core/summary"
)

// Bound is one end of a condition: a number, or a statistic of the
// feature over all customers: "mean", "median" or "pNN" (percentile NN).
type Bound struct {
	Set  bool
	Num  float64
	Stat string
}

// Condition holds when Min <= feature <= Max (unset bounds are open).
type Condition struct {
	Field string `json:"field"`
	Min   Bound  `json:"min"`
	Max   Bound  `json:"max"`
}

// Label is a display name in English and Chinese.
type Label struct {
	En string `json:"en"`
	Zh string `json:"zh"`
}

// Rule is a named segment or tag: it applies when every condition holds.
type Rule struct {
	Name  string      `json:"name"`
	Label Label       `json:"label"`
	When  []Condition `json:"when"`
	// Action is a short recommended strategy for the segment (optional).
	Action Label `json:"action"`
}

// CloneRules returns a copy of rules that shares no conditions with them.
func CloneRules(rules []Rule) []Rule {
	out := slices.Clone(rules)
	for i := range out {
		out[i].When = slices.Clone(out[i].When)
	}
	return out
}

// Scheme is an ordered list of rules; a customer gets the first rule that
// applies, or Default.
type Scheme struct {
	Name         string `json:"name"`
	Rules        []Rule `json:"rules"`
	Default      string `json:"default"`
	DefaultLabel Label  `json:"default_label"`
}

// MaxRules bounds the rules of a scheme: segments are numbered in a byte,
// and the default takes one number.
const MaxRules = 254

// Fields lists the features a condition may name, with their units.
var Fields = map[string]string{
	"recency":              "days since the last purchase",
	"orders":               "distinct orders",
	"purchase_days":        "distinct purchase days",
	"revenue":              "revenue (currency)",
	"aov":                  "average order value (currency)",
	"max_order":            "largest order (currency)",
	"tenure":               "days since the first purchase",
	"median_gap":           "median days between purchase days (-1 with one purchase day)",
	"last_gap":             "days between the last two purchase days (-1 with one)",
	"discount_share":       "share of orders with a discount",
	"heavy_discount_share": "share of orders heavily discounted",
	"weekend_share":        "share of orders on Saturday or Sunday",
	"refunds":              "refund lines netted",
	"r_score":              "R score",
	"f_score":              "F score",
	"m_score":              "M score",
	"outlier":              "1 when flagged as an outlier",
	"reward_hunter":        "1 when flagged as a reward hunter",
}

func isScore(f string) bool { return f == "r_score" || f == "f_score" || f == "m_score" }

// Validate checks names, fields and bounds of the rule at index i of list,
// naming the bad element by its path (e.g. "scheme.rules[2].when[0].field").
// The path is spelled out only for an error: the page validates every rule
// on every slider move.
func (r Rule) Validate(list string, i int) error {
	prefix := rulePath{list, i, -1}
	if strings.TrimSpace(r.Name) == "" {
		return knob.Bad(fmt.Sprintf("%s.name", prefix), nil, "empty")
	}
	if len(r.When) == 0 {
		return knob.Bad(fmt.Sprintf("%s.when", prefix), nil, "rule %q has no conditions", r.Name)
	}
	for j, c := range r.When {
		p := rulePath{list, i, j}
		if _, ok := Fields[c.Field]; !ok {
			return knob.Bad(fmt.Sprintf("%s.field", p), nil, "unknown field %q (known: %s)", c.Field, strings.Join(slices.Sorted(mapKeys(Fields)), ", "))
		}
		if !c.Min.Set && !c.Max.Set {
			return knob.Bad(p.String(), nil, "condition on %q has neither min nor max", c.Field)
		}
		for _, b := range []struct {
			name string
			b    Bound
		}{{"min", c.Min}, {"max", c.Max}} {
			if b.b.Stat != "" {
				if isScore(c.Field) {
					return knob.Bad(fmt.Sprintf("%s.%s", p, b.name), nil, "%q: statistics are not allowed on scores", b.b.Stat)
				}
				if _, err := parseStat(b.b.Stat); err != nil {
					return knob.Wrap(fmt.Sprintf("%s.%s", p, b.name), err)
				}
			} else if b.b.Set && (math.IsNaN(b.b.Num) || math.IsInf(b.b.Num, 0)) {
				return knob.Bad(fmt.Sprintf("%s.%s", p, b.name), b.b.Num, "is not a number")
			}
		}
		if c.Min.Set && c.Max.Set && c.Min.Stat == "" && c.Max.Stat == "" && c.Min.Num > c.Max.Num {
			return knob.Bad(p.String(), nil, "min %v is above max %v", c.Min.Num, c.Max.Num)
		}
	}
	return nil
}

// rulePath is the path of rule i of list, or of its condition cond (-1
// for the rule itself), formatted only when an error is written.
type rulePath struct {
	list    string
	i, cond int
}

func (p rulePath) String() string {
	if p.cond < 0 {
		return fmt.Sprintf("%s[%d]", p.list, p.i)
	}
	return fmt.Sprintf("%s[%d].when[%d]", p.list, p.i, p.cond)
}

// Validate checks every rule and that names are unique.
func (s Scheme) Validate(prefix string) error {
	if len(s.Rules) == 0 {
		return knob.Bad(fmt.Sprintf("%s.rules", prefix), nil, "the scheme has no rules")
	}
	if len(s.Rules) > MaxRules {
		return knob.Bad(fmt.Sprintf("%s.rules", prefix), len(s.Rules), "rules; at most %d (with the default, a scheme has at most 255 segments)", MaxRules)
	}
	if strings.TrimSpace(s.Default) == "" {
		return knob.Bad(fmt.Sprintf("%s.default", prefix), nil, "empty")
	}
	seen := map[string]bool{s.Default: true}
	rules := prefix + ".rules"
	for i, r := range s.Rules {
		if err := r.Validate(rules, i); err != nil {
			return err
		}
		if seen[r.Name] {
			return knob.Bad(fmt.Sprintf("%s.rules[%d].name", prefix, i), r.Name, "is used twice")
		}
		seen[r.Name] = true
	}
	return nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// parseStat reads "mean", "median" or "pNN" into a percentile (mean = -1).
func parseStat(s string) (float64, error) {
	switch s {
	case "mean":
		return -1, nil
	case "median":
		return 50, nil
	}
	if strings.HasPrefix(s, "p") {
		if v, err := strconv.ParseFloat(s[1:], 64); err == nil && v >= 0 && v <= 100 {
			return v, nil
		}
	}
	return 0, fmt.Errorf("%q is not a number, mean, median or pNN", s)
}

// Features computes feature columns lazily for one Customers table and
// as-of day, keeping each column (up to cacheCustomers) and the percentiles found.
type Features struct {
	t      *summary.Customers
	asOf   int32
	scores [3][]uint8
	cols   map[string][]float64
	// stats holds the percentiles found, by field and stat ("revenue p90").
	stats map[string]float64
	// scratch holds the column last computed when the table is too large
	// to cache columns.
	scratch []float64
}

// NewFeatures starts a feature cache for t.
func NewFeatures(t *summary.Customers, asOf int32) *Features {
	return &Features{t: t, asOf: asOf}
}

// SetAsOf changes the as-of day, dropping the columns that depend on it.
func (f *Features) SetAsOf(asOf int32) {
	if asOf == f.asOf {
		return
	}
	f.asOf = asOf
	for _, k := range []string{"recency", "tenure"} {
		delete(f.cols, k)
	}
	for k := range f.stats {
		if strings.HasPrefix(k, "recency ") || strings.HasPrefix(k, "tenure ") {
			delete(f.stats, k)
		}
	}
}

// SetScores gives the current R, F and M scores to score conditions.
func (f *Features) SetScores(r, fs, m []uint8) { f.scores = [3][]uint8{r, fs, m} }

// cacheCustomers is the most customers whose feature columns Features
// keeps: beyond it, a column costs more memory (8 bytes a customer) than
// computing it again costs time, and percentiles are found by selection
// instead of from a sorted copy. (A variable for the tests.)
var cacheCustomers = 1 << 20

// fewCustomers is the most customers whose feature columns Features
// computes again rather than keeps: for a handful, as in a request for one
// customer, a kept column costs more than it saves.
const fewCustomers = 16

// Column returns a feature column. The caller must not change it; it may
// be overwritten by the next call when the table is larger than
// cacheCustomers.
func (f *Features) Column(name string) []float64 {
	if c, ok := f.cols[name]; ok {
		return c
	}
	n := f.t.Len()
	if n <= cacheCustomers && n > fewCustomers && !isScore(name) {
		c := f.fill(name, make([]float64, n))
		if f.cols == nil {
			f.cols = map[string][]float64{}
		}
		f.cols[name] = c
		return c
	}
	if len(f.scratch) != n {
		f.scratch = make([]float64, n)
	}
	return f.fill(name, f.scratch)
}

// fill writes feature name of every customer into c and returns it.
func (f *Features) fill(name string, c []float64) []float64 {
	t := f.t
	share := func(num []int32) {
		for i := range c {
			c[i] = float64(num[i]) / float64(max(t.Orders[i], 1))
		}
	}
	switch name {
	case "recency":
		for i := range c {
			c[i] = float64(f.asOf - t.Last[i])
		}
	case "tenure":
		for i := range c {
			c[i] = float64(f.asOf - t.First[i])
		}
	case "orders":
		for i := range c {
			c[i] = float64(t.Orders[i])
		}
	case "purchase_days":
		for i := range c {
			c[i] = float64(t.Days[i])
		}
	case "revenue":
		for i := range c {
			c[i] = float64(t.Revenue[i]) / 100
		}
	case "aov":
		for i := range c {
			c[i] = float64(t.AOV(i)) / 100
		}
	case "max_order":
		for i := range c {
			c[i] = float64(t.MaxOrder[i]) / 100
		}
	case "median_gap":
		for i := range c {
			c[i] = float64(t.MedianGap[i])
		}
	case "last_gap":
		for i := range c {
			c[i] = float64(t.LastGap[i])
		}
	case "discount_share":
		share(t.DiscountOrders)
	case "heavy_discount_share":
		share(t.HeavyOrders)
	case "weekend_share":
		share(t.WeekendOrders)
	case "refunds":
		for i := range c {
			c[i] = float64(t.Refunds[i])
		}
	case "outlier", "reward_hunter":
		flag := summary.FlagOutlier
		if name == "reward_hunter" {
			flag = summary.FlagRewardHunter
		}
		for i := range c {
			c[i] = 0
			if t.Flags[i]&flag != 0 {
				c[i] = 1
			}
		}
	case "r_score", "f_score", "m_score":
		s := f.scores[strings.Index("rfm", name[:1])]
		for i := range c {
			c[i] = float64(s[i])
		}
	default:
		clear(c)
	}
	return c
}

// Stat resolves a bound on a feature to a number.
func (f *Features) Stat(field string, b Bound) float64 {
	if b.Stat == "" {
		return b.Num
	}
	p, _ := parseStat(b.Stat)
	key := field + " " + b.Stat
	if v, ok := f.stats[key]; ok && p >= 0 {
		return v
	}
	col := f.Column(field)
	if len(col) == 0 {
		return math.NaN()
	}
	if p < 0 {
		var s float64
		for _, v := range col {
			s += v
		}
		return s / float64(len(col))
	}
	if _, kept := f.cols[field]; kept {
		col = slices.Clone(col) // Percentile reorders: not the kept column
	}
	v := summary.Percentile(col, p)
	if !isScore(field) {
		if f.stats == nil {
			f.stats = map[string]float64{}
		}
		f.stats[key] = v
	}
	return v
}

// bounds resolves a condition to [lo, hi].
func (f *Features) bounds(c Condition) (lo, hi float64) {
	lo, hi = math.Inf(-1), math.Inf(1)
	if c.Min.Set {
		lo = f.Stat(c.Field, c.Min)
	}
	if c.Max.Set {
		hi = f.Stat(c.Field, c.Max)
	}
	return lo, hi
}

// Match sets out[i] to whether rule r applies to customer i.
func (f *Features) Match(r Rule, out []bool) {
	for i := range out {
		out[i] = true
	}
	for _, c := range r.When {
		lo, hi := f.bounds(c)
		if isScore(c.Field) {
			s := f.scores[strings.Index("rfm", c.Field[:1])]
			for i, v := range s {
				x := float64(v)
				out[i] = out[i] && x >= lo && x <= hi
			}
			continue
		}
		for i, x := range f.Column(c.Field) {
			out[i] = out[i] && x >= lo && x <= hi
		}
	}
}
