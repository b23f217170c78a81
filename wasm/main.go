//go:build js && wasm

// Command wasm exposes the segsim core to the browser page. It runs inside
// a Web Worker and only translates between JavaScript values and core: the
// worker's glue streams a file into a Go buffer (alloc, write), then calls
// load, run, rows and csv. Results travel as JSON text; the CSV as bytes.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"syscall/js"

	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/scenario"
)

// state is the one loaded dataset of this worker.
type state struct {
	buf  []byte // the file's bytes, reused between loads
	n    int    // bytes of buf in use
	prev *ingest.Orders
	ds   *engine.Dataset
	page *engine.Page
	res  *engine.Result
	sc   *scenario.Scenario

	panels *engine.Panels
	view   *engine.View
	pred   *engine.PredictionView
	plan   *engine.PlanView
	// planKey is the scenario the last plan was made for, budget left out.
	planKey string
	predErr string // why the last run has no predictions though they are on
}

var st state

func main() {
	api := js.Global().Get("Object").New()
	api.Set("version", scenario.Version)
	api.Set("alloc", js.FuncOf(alloc))
	api.Set("write", js.FuncOf(write))
	api.Set("load", js.FuncOf(load))
	api.Set("run", js.FuncOf(run))
	api.Set("rows", js.FuncOf(rows))
	api.Set("csv", js.FuncOf(csv))
	api.Set("defaults", js.FuncOf(defaults))
	js.Global().Set("segsimCore", api)
	select {}
}

// alloc(size) prepares the buffer for a file of size bytes and drops the
// loaded dataset, whose ids may point into the buffer.
func alloc(_ js.Value, args []js.Value) any {
	size := args[0].Int()
	if cap(st.buf) < size {
		st.buf = make([]byte, size)
	}
	st.buf = st.buf[:size]
	st.n = 0
	if st.ds != nil {
		st.prev = st.ds.Orders
	}
	st.ds, st.page, st.res, st.panels = nil, nil, nil, nil
	st.view, st.pred, st.plan, st.planKey = nil, nil, nil, ""
	return nil
}

// write(chunk Uint8Array, offset) copies a chunk of the file into the buffer.
func write(_ js.Value, args []js.Value) any {
	off := args[1].Int()
	n := js.CopyBytesToGo(st.buf[off:], args[0])
	st.n = max(st.n, off+n)
	return n
}

// loadOptions are load's settings: column roles and the date format.
type loadOptions struct {
	Map        map[string]string `json:"map"`
	DateFormat string            `json:"date_format"`
}

// load(optionsJSON) parses the buffer. It returns JSON: {"report": ...} on
// success, or {"error": ..., "ambiguous": {...}, "report": ...}.
func load(_ js.Value, args []js.Value) any {
	var o loadOptions
	if len(args) > 0 && args[0].Type() == js.TypeString && args[0].String() != "" {
		if err := json.Unmarshal([]byte(args[0].String()), &o); err != nil {
			return errJSON(fmt.Errorf("load options: %w", err), nil)
		}
	}
	opt := ingest.Options{Reuse: st.prev}
	st.prev = nil
	var err error
	if opt.DateFormat, err = ingest.ParseDateFormat(or(o.DateFormat, "auto")); err != nil {
		return errJSON(err, nil)
	}
	if len(o.Map) > 0 {
		opt.Map = map[ingest.Role]string{}
		for role, col := range o.Map {
			r, err := ingest.ParseRole(role)
			if err != nil {
				return errJSON(err, nil)
			}
			if col != "" {
				opt.Map[r] = col
			}
		}
	}
	progress := js.Global().Get("segsimProgress")
	if progress.Type() == js.TypeFunction {
		opt.Progress = func(done, total int) { progress.Invoke(done, total) }
	}
	ds, err := engine.Load(st.buf[:st.n], opt)
	if err != nil {
		var rep *ingest.Report
		if ds != nil {
			rep = ds.Load
		}
		return errJSON(err, rep)
	}
	st.ds, st.page = ds, engine.NewPage(ds)
	st.panels = engine.NewPanels(st.page)
	st.view, st.pred, st.plan, st.planKey = nil, nil, nil, ""
	return marshal(map[string]any{"report": ds.Load})
}

// runOptions are the page's panel settings that are not scenario knobs.
type runOptions struct {
	// Plan turns the plan panel on: the result is planned with the
	// scenario's plan section after each run.
	Plan bool `json:"plan"`
	// HoldoutShare is the share of the data span held out to check the
	// purchase model (default 0.25).
	HoldoutShare float64 `json:"holdout_share"`
	// ChurnTop bounds the churn warning list (default 20).
	ChurnTop int `json:"churn_top"`
}

// run(scenarioJSON, near, optionsJSON) scores the loaded data with a
// scenario (knobs it does not mention keep their defaults) and returns
// {"view", "scenario", "prediction", "plan"} JSON; prediction is there when
// the scenario turns predictions on, plan when options.plan is set. When
// only the plan's budget changed since the last run, the data is not
// scored again: the last planner re-plans the new budget.
func run(_ js.Value, args []js.Value) any {
	if st.ds == nil {
		return errJSON(errors.New("no data loaded"), nil)
	}
	sc := scenario.Default()
	if len(args) > 0 && args[0].Type() == js.TypeString && args[0].String() != "" {
		var err error
		if sc, err = scenario.Parse([]byte(args[0].String())); err != nil {
			return errJSON(err, nil)
		}
	}
	near := 8
	if len(args) > 1 && args[1].Type() == js.TypeNumber {
		near = args[1].Int()
	}
	o := runOptions{HoldoutShare: 0.25, ChurnTop: 20}
	if len(args) > 2 && args[2].Type() == js.TypeString && args[2].String() != "" {
		if err := json.Unmarshal([]byte(args[2].String()), &o); err != nil {
			return errJSON(fmt.Errorf("run options: %w", err), nil)
		}
	}
	key := ""
	if o.Plan {
		k := *sc
		k.Plan.Budget = 0
		b, _ := k.Marshal()
		key = fmt.Sprintf("%s|%v|%d", b, o.HoldoutShare, o.ChurnTop)
	}
	replan := o.Plan && key == st.planKey && st.res != nil && st.res.Assigned != nil && st.plan != nil && st.view != nil
	predErr := ""
	if !replan {
		res, err := st.ds.Run(sc)
		if err != nil && sc.Predict.Enabled && strings.HasPrefix(err.Error(), "prediction:") {
			// The models cannot be fitted to this data: say so in the
			// panel and show everything else.
			predErr = err.Error()
			off := *sc
			off.Predict.Enabled = false
			res, err = st.ds.Run(&off)
		}
		if err != nil {
			return errJSON(err, nil)
		}
		st.res = res
		st.view = st.page.View(res, engine.RunConfig{Frequency: sc.RFM.Frequency, Monetary: sc.RFM.Monetary}, near)
		st.pred = st.panels.Prediction(res, sc.Predict, o.HoldoutShare, o.ChurnTop)
		st.plan, st.planKey = nil, ""
	}
	st.sc = sc
	if o.Plan {
		pv, err := st.panels.Plan(st.res, sc.Plan, replan, st.plan)
		if err != nil {
			st.plan, st.planKey = nil, ""
			return marshal(map[string]any{"view": st.view, "scenario": sc, "prediction": st.pred, "prediction_error": predErr, "plan_error": err.Error()})
		}
		st.plan, st.planKey = pv, key
	}
	if replan {
		predErr = st.predErr
	}
	st.predErr = predErr
	out := map[string]any{"view": st.view, "scenario": sc, "prediction": st.pred, "prediction_error": predErr}
	if o.Plan {
		out["plan"] = st.plan
	}
	return marshal(out)
}

// rows(segment, offset, limit) returns one page of the customer table.
func rows(_ js.Value, args []js.Value) any {
	if st.res == nil {
		return errJSON(errors.New("no result yet"), nil)
	}
	r, total := st.page.Rows(st.res, args[0].Int(), args[1].Int(), args[2].Int())
	return marshal(map[string]any{"rows": r, "total": total})
}

// csv(bom, chinese) returns the per-customer CSV of the last run as a
// Uint8Array: the bytes the command line's score writes.
func csv(_ js.Value, args []js.Value) any {
	if st.res == nil {
		return errJSON(errors.New("no result yet"), nil)
	}
	b, err := st.page.CSV(st.res, engine.CSVOptions{BOM: args[0].Truthy(), Chinese: args[1].Truthy()})
	if err != nil {
		return errJSON(err, nil)
	}
	out := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(out, b)
	return out
}

// defaults() returns the default scenario as JSON.
func defaults(js.Value, []js.Value) any {
	b, err := scenario.Default().Marshal()
	if err != nil {
		return errJSON(err, nil)
	}
	return string(b)
}

func errJSON(err error, rep *ingest.Report) string {
	out := map[string]any{"error": err.Error(), "report": rep}
	var amb *ingest.AmbiguousDateError
	if errors.As(err, &amb) {
		out["ambiguous"] = map[string]any{"column": amb.Column, "examples": amb.Examples}
	}
	return marshal(out)
}

func marshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf(`{"error":%q}`, err.Error())
	}
	return string(b)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
