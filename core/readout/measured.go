package readout

import (
	"fmt"
	"strings"

	"segsim/core/strategy"
)

// Change is one action's rates replaced by their measurement.
type Change struct {
	Action string `json:"action"`
	// Response and Baseline are the measured rates (the contacted's and
	// the held-out's), WasResponse and WasBaseline the playbook's before;
	// when the action stood in several entries with different rates, the
	// first entry's.
	Response    float64 `json:"response"`
	Baseline    float64 `json:"baseline"`
	WasResponse float64 `json:"was_response"`
	WasBaseline float64 `json:"was_baseline"`
	// ResponseCI and BaselineCI are the Wilson intervals of the two rates,
	// UpliftCI the readout's interval of their difference.
	ResponseCI []float64 `json:"response_ci"`
	BaselineCI []float64 `json:"baseline_ci"`
	UpliftCI   []float64 `json:"uplift_ci"`
	Entries    int       `json:"entries"` // playbook entries changed
	Contacted  int       `json:"contacted"`
	Holdout    int       `json:"holdout"`
}

// Measured returns a copy of pb in which every action the readout
// measured — with both contacted and held-out customers — takes the
// measured response (the contacted's purchase rate) and baseline (the
// held-out's), in every entry that uses it, and the changes made. The
// copy's name and notes say where the rates came from. Actions the
// readout did not measure, or that the playbook does not have, keep
// their assumptions.
func Measured(pb *strategy.Playbook, r *Report) (*strategy.Playbook, []Change) {
	out := &strategy.Playbook{Name: pb.Name, Currency: pb.Currency, Notes: pb.Notes, Entries: make([]strategy.Entry, len(pb.Entries))}
	for i, e := range pb.Entries {
		e.Actions = append([]strategy.Action(nil), e.Actions...)
		out.Entries[i] = e
	}
	z := zQuantile(r.Level)
	var changes []Change
	for _, g := range r.Actions {
		if g.ContactedRate == nil || g.HoldoutRate == nil {
			continue
		}
		c := Change{Action: g.Action, Response: *g.ContactedRate, Baseline: *g.HoldoutRate, UpliftCI: g.UpliftCI, Contacted: g.Contacted, Holdout: g.Holdout}
		lo, hi := Wilson(g.ContactedBuyers, g.Contacted, z)
		c.ResponseCI = []float64{round(lo, 1e6), round(hi, 1e6)}
		lo, hi = Wilson(g.HoldoutBuyers, g.Holdout, z)
		c.BaselineCI = []float64{round(lo, 1e6), round(hi, 1e6)}
		for i := range out.Entries {
			for j := range out.Entries[i].Actions {
				a := &out.Entries[i].Actions[j]
				if a.Name != g.Action {
					continue
				}
				if c.Entries == 0 {
					c.WasResponse, c.WasBaseline = a.Response, a.Baseline
				}
				a.Response, a.Baseline = c.Response, c.Baseline
				c.Entries++
			}
		}
		if c.Entries > 0 {
			changes = append(changes, c)
		}
	}
	if len(changes) > 0 {
		names := make([]string, len(changes))
		for i, c := range changes {
			names[i] = c.Action
		}
		base := pb.Name
		if i := strings.Index(base, " (measured "); i >= 0 {
			base = base[:i] // measured again: the latest window names it
		}
		out.Name = fmt.Sprintf("%s (measured %s – %s)", base, r.Start, r.End)
		note := fmt.Sprintf("Response and baseline of %s measured by the campaign readout of %s – %s (contacted versus held out).", strings.Join(names, ", "), r.Start, r.End)
		out.Notes = strings.TrimSpace(pb.Notes + "\n" + note)
	}
	return out, changes
}
