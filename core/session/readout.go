package session

import (
	"errors"
	"fmt"

	"github.com/tidwall/gjson"

	"segsim/core/calendar"
	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/readout"
	"segsim/core/scenario"
)

// ErrNoPlan says that a readout was asked of the session's own plan while
// the last run made none.
var ErrNoPlan = errors.New("no plan made here: turn the plan on, or load a plan file")

// Readout reads a campaign out (readout.Run). plan is a plan file (the
// CSV score --plan writes, any encoding) or nil for the plan of the last
// run; orders is an order export or nil for the loaded file. The options
// JSON is {"start", "end" (YYYY-MM-DD, both included), "level" (default
// 0.95), "group" (the plan column that groups segments)}. The scenario in
// force gives the cleaning rules and the playbook (the defaults when
// nothing was run). The answer is {"readout": the report, "plan_load",
// "orders_load": what was read from each file given} or an error.
func (s *Session) Readout(plan, orders []byte, optsText string) string {
	o := gjson.Parse(optsText)
	var opt readout.Options
	var err error
	for _, f := range []struct {
		key string
		day *int32
	}{{"start", &opt.Start}, {"end", &opt.End}} {
		v := o.Get(f.key).String()
		if v == "" {
			return ErrorJSON(fmt.Errorf("readout: %w: it needs a start and an end date", readout.ErrWindow), nil)
		}
		if *f.day, err = calendar.Parse(v); err != nil {
			return ErrorJSON(fmt.Errorf("readout: %w: %s: %w", readout.ErrWindow, f.key, err), nil)
		}
	}
	opt.Level = o.Get("level").Float()
	sc := s.sc
	if sc == nil {
		sc = scenario.Default()
	}
	opt.Clean, opt.Keys = sc.Clean, engine.LabelKeys(sc)
	if opt.Playbook, err = sc.Plan.Resolve(); err != nil {
		return ErrorJSON(err, nil)
	}
	out := map[string]any{}
	var rows []ingest.PlanRow
	if plan != nil {
		var rep *ingest.Report
		rows, rep, err = ingest.ParsePlan(plan, ingest.Options{}, ingest.PlanOptions{Group: o.Get("group").String()})
		if err != nil {
			return errorJSON(err, rep, "plan")
		}
		out["plan_load"] = rep
	} else if rows, err = s.ownPlan(); err != nil {
		return ErrorJSON(err, nil)
	}
	var ord *ingest.Orders
	if orders != nil {
		var rep *ingest.Report
		ord, rep, err = ingest.Parse(orders, ingest.Options{})
		if err != nil {
			return errorJSON(err, rep, "orders")
		}
		out["orders_load"] = rep
	} else if s.ds != nil && !s.failed && s.ds.OrderLevel() == nil {
		ord = s.ds.Orders // a stats file has no orders to read out
	} else {
		return ErrorJSON(fmt.Errorf("%w: load the orders of the campaign window", ErrNoData), nil)
	}
	rep, err := readout.Run(rows, ord, opt)
	if err != nil {
		return ErrorJSON(err, nil)
	}
	s.readout, s.readoutPB = rep, opt.Playbook
	out["readout"] = rep
	return marshal(out)
}

// ErrNoReadout says that measured rates were asked for before a readout.
var ErrNoReadout = errors.New("no readout yet: read a campaign out first")

// MeasuredPlaybook answers {"playbook": the playbook of the last readout
// with the measured response and baseline of each action it read out
// (readout.Measured), "changes": what changed}, for the page to make it
// the scenario's custom playbook.
func (s *Session) MeasuredPlaybook() string {
	if s.readout == nil {
		return ErrorJSON(ErrNoReadout, nil)
	}
	pb, changes := readout.Measured(s.readoutPB, s.readout)
	if changes == nil {
		changes = []readout.Change{}
	}
	return marshal(map[string]any{"playbook": pb, "changes": changes})
}

// ownPlan returns the plan of the last run as plan rows: each customer's
// action (empty when not contacted), hold-out flag and segment, as the
// customer export writes them.
func (s *Session) ownPlan() ([]ingest.PlanRow, error) {
	r := s.res
	if r == nil || r.Assigned == nil || s.ds == nil || s.ds.Customers == nil {
		return nil, ErrNoPlan
	}
	a := r.Assigned
	t := s.ds.Customers
	rows := make([]ingest.PlanRow, r.Len())
	for i := range rows {
		rows[i] = ingest.PlanRow{Line: i + 2, ID: t.ID(i), Holdout: a.Holdout[i], Group: r.SegmentNames[r.Segment[i]]}
		if k := a.Action[i]; k >= 0 {
			rows[i].Action = a.Names[k]
		}
	}
	return rows, nil
}
