package scenario

import (
	"errors"
	"fmt"

	"segsim/core/knob"
	"segsim/core/rfm"
	"segsim/core/segment"
)

// ErrNeedsFixedCuts says that a scenario compares customers with each
// other, so it cannot score a customer alone (as an edge worker must).
var ErrNeedsFixedCuts = errors.New("needs fixed cut points")

// CheckAlone reports the first knob that compares a customer with the
// others: quantile, mean or median scoring, class splits at a statistic,
// tiers by share, outliers by percentile, rule bounds at a statistic. A
// scenario that passes scores each customer as it would alone. The error
// is a *knob.Error wrapping ErrNeedsFixedCuts.
func (s *Scenario) CheckAlone() error {
	bad := func(path string, value any, reason string) error {
		k := knob.Bad(path, value, "%s", reason)
		k.Err = ErrNeedsFixedCuts
		return k
	}
	for _, d := range []struct {
		name string
		d    rfm.Dimension
	}{{"r", s.RFM.R}, {"f", s.RFM.F}, {"m", s.RFM.M}} {
		if d.d.Method != rfm.Cuts && d.d.Method != rfm.Value {
			return bad("rfm."+d.name+".method", d.d.Method, `ranks customers against each other, and a lone customer cannot be ranked; use "cuts" (fixed cut points) or "value"`)
		}
	}
	for _, sp := range []struct {
		name string
		s    rfm.Split
	}{{"split_r", s.RFM.SplitR}, {"split_f", s.RFM.SplitF}, {"split_m", s.RFM.SplitM}} {
		if sp.s.Method != rfm.Value && sp.s.Method != "score" {
			return bad("rfm."+sp.name+".method", sp.s.Method, `splits at a statistic of all customers; use "value" or "score"`)
		}
	}
	if s.Tiers.Basis != "spend" {
		return bad("tiers.basis", s.Tiers.Basis, `ranks customers by share; use "spend" (minimum spend per tier)`)
	}
	if s.Clean.Outliers != "off" {
		return bad("clean.outliers", s.Clean.Outliers, `compares revenue with all customers' percentile; use "off"`)
	}
	checkRules := func(path string, rules []segment.Rule) error {
		for i, r := range rules {
			for j, c := range r.When {
				for _, b := range []struct {
					name string
					b    segment.Bound
				}{{"min", c.Min}, {"max", c.Max}} {
					if b.b.Stat != "" {
						return bad(fmt.Sprintf("%s[%d].when[%d].%s", path, i, j, b.name), b.b.Stat, "is a statistic of all customers; use a number")
					}
				}
			}
		}
		return nil
	}
	if err := checkRules("tags", s.Tags); err != nil {
		return err
	}
	if s.Segments.Scheme == "custom" && s.Segments.Custom != nil {
		return checkRules("segments.custom.rules", s.Segments.Custom.Rules)
	}
	return nil
}
