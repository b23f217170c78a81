package main

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"segsim/core/calendar"
	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/jsonenc"
	"segsim/core/readout"
)

// readoutFields are the fields a readout request may carry.
var readoutFields = []string{"start", "end", "plan", "orders", "date_format", "scenario", "playbook", "level"}

// readoutWant says what a readout request holds, for error messages.
const readoutWant = `"start", "end", "plan" and "orders"`

// planEntryFields are the fields of a plan entry: those of /v1/plan's
// customers, and a cost.
var planEntryFields = [...]string{"customer_id", "action", "holdout", "segment", "cost"}

// readoutAnswer is the answer of POST /v1/readout: the readout's fields
// after the API version.
type readoutAnswer struct {
	API string `json:"api"`
	*readout.Report
	// OrdersLoad says what was read from the orders: a skipped row is
	// counted and its first few described, never silently lost.
	OrdersLoad ordersLoad `json:"orders_load"`
}

// ordersLoad is the readout's account of the order rows read.
type ordersLoad struct {
	RowsRead    int           `json:"rows_read"`
	RowsKept    int           `json:"rows_kept"`
	RowsSkipped int           `json:"rows_skipped"`
	Skips       []ingest.Skip `json:"skips"`
	Warnings    []string      `json:"warnings,omitempty"`
}

// Readout measures a campaign: the plan's contacted and held-out customers
// against the orders of the window (see the README for the fields).
func (h *Handler) Readout(body []byte) (*readoutAnswer, *apiError) {
	req, ae := parseRequest(body, readoutFields, readoutWant)
	if ae != nil {
		return nil, ae
	}
	h.pause(len(body))
	var opt readout.Options
	if opt.Start, ae = windowDay(req.Get("start"), "start"); ae != nil {
		return nil, ae
	}
	if opt.End, ae = windowDay(req.Get("end"), "end"); ae != nil {
		return nil, ae
	}
	if opt.End < opt.Start {
		return nil, errorf(http.StatusUnprocessableEntity, "invalid_field", "end", "end: the window ends on %s, before it starts on %s", calendar.Format(opt.End), calendar.Format(opt.Start))
	}
	opt.Level = 0.95
	if v := req.Get("level"); v.Exists() {
		if v.Type != gjson.Number || !(v.Num > 0.5 && v.Num < 1) {
			return nil, errorf(http.StatusUnprocessableEntity, "invalid_field", "level", "level: %s is not a confidence level between 0.5 and 1 (such as 0.9 or 0.95)", short(v.Raw))
		}
		opt.Level = v.Num
	}
	// A readout neither ranks nor scores customers: any scenario will do.
	s, _, ae := scenarioOf(req.Get("scenario"), false)
	if ae != nil {
		return nil, ae
	}
	opt.Clean, opt.Keys = s.Clean, engine.LabelKeys(s)
	cfg := s.Plan
	if ae := choosePlaybook(req.Get("playbook"), &cfg); ae != nil {
		return nil, ae
	}
	pb, err := cfg.Resolve()
	if err != nil {
		return nil, errorf(http.StatusUnprocessableEntity, "invalid_plan", "scenario.plan", "%v", err)
	}
	opt.Playbook = pb
	plan, ae := h.readPlan(req.Get("plan"))
	if ae != nil {
		return nil, ae
	}
	h.pause(len(body))
	orders := req.Get("orders")
	if !orders.Exists() {
		return nil, errorf(http.StatusUnprocessableEntity, "missing_field", "orders", "the request has no \"orders\": the order rows of the campaign window")
	}
	d, ae := h.loadOrders(orders, gjson.Result{}, req.Get("date_format"))
	if ae != nil {
		return nil, ae
	}
	h.pause(len(body))
	rep, err := readout.Run(plan, d.Orders, opt)
	if err != nil {
		if errors.Is(err, readout.ErrInvalid) {
			return nil, errorf(http.StatusUnprocessableEntity, "cannot_read_out", "", "%v", err)
		}
		return nil, errorf(http.StatusInternalServerError, "internal", "", "%v", err)
	}
	l := d.Load
	skips := l.Skips[:min(len(l.Skips), 20)]
	if skips == nil {
		skips = []ingest.Skip{}
	}
	return &readoutAnswer{API: APIVersion, Report: rep, OrdersLoad: ordersLoad{RowsRead: l.RowsRead, RowsKept: l.RowsKept, RowsSkipped: l.RowsSkipped, Skips: skips, Warnings: l.Warnings}}, nil
}

// sizeHint is the buffer the readout answer is written into.
func (a *readoutAnswer) sizeHint() int {
	return 2048 + 1024*(len(a.Actions)+len(a.Segments)+len(a.Notes))
}

// windowDay reads the day of the window's start or end.
func windowDay(v gjson.Result, field string) (int32, *apiError) {
	if !v.Exists() {
		return 0, errorf(http.StatusUnprocessableEntity, "missing_field", field, "the request has no %q: the campaign window's first and last days (YYYY-MM-DD), both included", field)
	}
	if v.Type != gjson.String {
		return 0, errorf(http.StatusUnprocessableEntity, "invalid_field", field, "%s: %s is not a YYYY-MM-DD string", field, short(v.Raw))
	}
	day, err := calendar.Parse(v.Str)
	if err != nil {
		return 0, errorf(http.StatusUnprocessableEntity, "invalid_field", field, "%s: %v", field, err)
	}
	return day, nil
}

// readPlan reads the plan: an array of {customer_id, action, holdout,
// segment?, cost?}, as /v1/plan answers its customers. The limit is
// checked entry by entry, before an entry past it is read.
func (h *Handler) readPlan(v gjson.Result) ([]ingest.PlanRow, *apiError) {
	switch {
	case !v.Exists():
		return nil, errorf(http.StatusUnprocessableEntity, "missing_field", "plan", "the request has no \"plan\": who was contacted with which action and who was held out")
	case !v.IsArray():
		return nil, errorf(http.StatusUnprocessableEntity, "invalid_field", "plan", "plan: %s is not an array of {customer_id, action, holdout} entries", short(v.Raw))
	}
	// An entry takes 40 bytes or more: room for them all, within the limit.
	n := min(len(v.Raw)/40+1, h.limits.PlanRows)
	rows := make([]ingest.PlanRow, 0, n)
	seen := make(map[string]int, n)
	var ae *apiError
	v.ForEach(func(_, e gjson.Result) bool {
		i := len(rows)
		if i > 0 && i%planPause == 0 {
			h.pause(len(v.Raw))
		}
		if i >= h.limits.PlanRows {
			ae = errorf(http.StatusRequestEntityTooLarge, "too_many_rows", "plan", "plan: more than %d entries; the limit is %d per request", h.limits.PlanRows, h.limits.PlanRows)
			return false
		}
		var row ingest.PlanRow
		if row, ae = readPlanEntry(i, e); ae != nil {
			return false
		}
		if first, dup := seen[row.ID]; dup {
			ae = errorf(http.StatusUnprocessableEntity, "invalid_field", fmt.Sprintf("plan[%d].customer_id", i),
				"plan[%d] and plan[%d] both list customer %s; list each customer once", first, i, short(string(jsonenc.AppendString(nil, row.ID))))
			return false
		}
		seen[row.ID] = i
		rows = append(rows, row)
		return true
	})
	if ae != nil {
		return nil, ae
	}
	if len(rows) == 0 {
		return nil, errorf(http.StatusUnprocessableEntity, "invalid_field", "plan", "plan: the array is empty")
	}
	return rows, nil
}

// planPause is how many plan entries a request reads between pauses
// (Handler.pause): 20,000 entries took 50–70 ms under workerd.
const planPause = 4096

// readPlanEntry reads plan entry i.
func readPlanEntry(i int, e gjson.Result) (ingest.PlanRow, *apiError) {
	var row ingest.PlanRow
	at := func() string { return "plan[" + strconv.Itoa(i) + "]" } // for errors only
	if !e.IsObject() {
		return row, errorf(http.StatusUnprocessableEntity, "invalid_field", at(), "%s: %s is not an object", at(), short(e.Raw))
	}
	var vals [len(planEntryFields)]gjson.Result
	var ae *apiError
	e.ForEach(func(k, v gjson.Result) bool {
		switch j := slices.Index(planEntryFields[:], k.Str); {
		case j < 0:
			ae = errorf(http.StatusUnprocessableEntity, "unknown_field", at()+"."+k.Str,
				"%s: unknown field %q; a plan entry has %s", at(), k.Str, strings.Join(planEntryFields[:], ", "))
		case vals[j].Exists():
			ae = errorf(http.StatusUnprocessableEntity, "duplicate_field", at()+"."+k.Str, "%s: field %q appears twice", at(), k.Str)
		default:
			vals[j] = v
			return true
		}
		return false
	})
	if ae != nil {
		return row, ae
	}
	id, action, holdout, segment, cost := vals[0], vals[1], vals[2], vals[3], vals[4]
	bad := func(name, format string, args ...any) *apiError {
		return errorf(http.StatusUnprocessableEntity, "invalid_field", at()+"."+name, at()+"."+name+": "+format, args...)
	}
	for j, v := range vals[:3] {
		if !v.Exists() {
			name := planEntryFields[j]
			return row, errorf(http.StatusUnprocessableEntity, "missing_field", at()+"."+name, "%s.%s: missing (a plan entry has customer_id, action, holdout)", at(), name)
		}
	}
	var ok bool
	if row.ID, ok = customerKey(id); !ok {
		return row, bad("customer_id", "%s is not a non-empty string", short(id.Raw))
	}
	switch action.Type {
	case gjson.String:
		row.Action = action.Str // "" is no action, as an empty cell of a plan file
	case gjson.Null:
	default:
		return row, bad("action", "%s is not an action name or null (not contacted)", short(action.Raw))
	}
	if !holdout.IsBool() {
		return row, bad("holdout", "%s is not true or false", short(holdout.Raw))
	}
	row.Holdout = holdout.Bool()
	switch segment.Type {
	case gjson.String:
		row.Group = segment.Str
	case gjson.Null: // absent or null: no segment
	default:
		return row, bad("segment", "%s is not a segment name", short(segment.Raw))
	}
	switch cost.Type {
	case gjson.Number:
		// Read as a plan file's cost column is, to the cent.
		c, ok := ingest.ParseCents([]byte(cost.Raw))
		if !ok || c < 0 {
			return row, bad("cost", "%s is not an amount ≥ 0", short(cost.Raw))
		}
		row.Cost, row.HasCost = float64(c)/100, true
	case gjson.Null: // absent or null: the playbook's cost
	default:
		return row, bad("cost", "%s is not an amount ≥ 0", short(cost.Raw))
	}
	return row, nil
}

// customerKey reads a customer id as the order reader keys customers: a
// string, or a number as written, without spaces and tabs around it or a
// spreadsheet's ="…" guard, so that a plan's ids match the orders'.
func customerKey(v gjson.Result) (string, bool) {
	var s string
	switch v.Type {
	case gjson.String:
		s = v.Str
	case gjson.Number:
		s = v.Raw
	default:
		return "", false
	}
	s = string(ingest.CustomerKey([]byte(s)))
	return s, s != ""
}
