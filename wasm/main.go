//go:build js && wasm

// Command wasm exposes the segsim core to the browser page. It runs inside
// a Web Worker and only translates between JavaScript values and core: the
// worker's glue streams a file into a Go buffer (alloc, write), then calls
// load, run, rows and csv. Results travel as JSON text; the CSV as bytes.
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"syscall/js"

	"github.com/tidwall/gjson"

	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/scenario"
	"segsim/core/simulate"
	"segsim/core/strategy"
)

// state is the one loaded dataset of this worker.
type state struct {
	buf  []byte // the file's bytes, reused between loads
	n    int    // bytes of buf in use
	prev *ingest.Orders
	// A large delimited file is parsed while it arrives: stream reads the
	// records written so far (fed: up to which byte), with the load
	// options streamOpts that alloc was given; load finishes it when it is
	// asked for the same options.
	stream     *ingest.Stream
	streamOpts string
	streaming  bool // alloc asked for it and it has not failed
	fed        int

	ds   *engine.Dataset
	page *engine.Page
	// rejects are the skipped rows of the last load (also of one that
	// failed), with their raw lines, when the load options asked for them;
	// they are kept here rather than in the report, which travels to the
	// page with every view.
	rejects []ingest.Skip
	res  *engine.Result
	sc   *scenario.Scenario
	// codec reads each scenario decoding only the sections that changed
	// since the last one, and writes it back the same way; the scenarios
	// it returns are not modified.
	codec scenario.Codec

	panels *engine.Panels
	view   *engine.View
	enc    engine.ViewEncoder // writes view, reusing the text of unchanged parts
	ans    []byte             // run's answer, reused between runs
	pred   *engine.PredictionView
	plan   *engine.PlanView
	// runKey is the scenario (plan section left out) and options of the
	// last scoring; planKey adds the plan section, budget left out.
	runKey  string
	planKey string
	text    string // the last scenario's JSON text (st.sc)
	// out is the last run's answer, for the same scenario and options
	// (outKey) again; a load or another call that changes state clears it.
	out, outKey string
	predErr     string // why the last run has no predictions though they are on

	cohorts engine.CohortCache // the cohort panel's table, per cleaned data
	kpi     engine.KPICache    // the KPI tree panel's inputs
	// The migration panel's matrix and projection of the last run.
	mig    *simulate.Matrix
	proj   *simulate.Projection
	migErr string
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
	api.Set("csv", js.FuncOf(csvExport))
	api.Set("rejects", js.FuncOf(rejects))
	api.Set("defaults", js.FuncOf(defaults))
	api.Set("points", js.FuncOf(points))
	api.Set("playbook", js.FuncOf(playbook))
	js.Global().Set("segsimCore", api)
	select {}
}

// streamMin is the smallest file parsed while it arrives; streamStep is
// how many new bytes make write read on.
const (
	streamMin  = 8 << 20
	streamStep = 2 << 20
)

// alloc(size, optionsJSON) prepares the buffer for a file of size bytes
// and drops the loaded dataset, whose ids may point into the buffer. With
// the load options the file will be loaded with, a large file is parsed
// while write receives it.
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
	st.stream, st.fed = nil, 0
	st.streaming = size >= streamMin && len(args) > 1 && args[1].Type() == js.TypeString
	if st.streaming {
		st.streamOpts = args[1].String()
	}
	st.ds, st.page, st.panels, st.rejects = nil, nil, nil, nil
	dropResults()
	return nil
}

// dropResults forgets everything computed from the loaded dataset: the
// last result, its view and panels, and the cached answer.
func dropResults() {
	st.res, st.view, st.pred, st.plan, st.planKey = nil, nil, nil, nil, ""
	st.out, st.outKey = "", ""
	st.cohorts, st.kpi = engine.CohortCache{}, engine.KPICache{}
	st.mig, st.proj, st.migErr = nil, nil, ""
}

// write(chunk Uint8Array, offset) copies a chunk of the file into the
// buffer; chunks arrive in order. Every streamStep bytes of a large file,
// it reads the records that have arrived.
func write(_ js.Value, args []js.Value) any {
	off := args[1].Int()
	n := js.CopyBytesToGo(st.buf[off:], args[0])
	st.n = max(st.n, off+n)
	if st.streaming && st.n-st.fed >= streamStep && st.n < len(st.buf) {
		feed()
	}
	return n
}

// feed starts the stream on the bytes written so far, or reads on.
func feed() {
	st.fed = st.n
	if st.stream != nil {
		st.stream.Feed(st.buf[:st.n])
		return
	}
	opt, err := ingestOptions(st.streamOpts)
	if err != nil {
		st.streaming = false
		return
	}
	s, err := ingest.NewStream(st.buf[:st.n], len(st.buf), opt)
	switch {
	case errors.Is(err, ingest.ErrShortPrefix):
	case err != nil:
		st.streaming = false // JSON, or an error load reports when it parses
	default:
		st.stream, st.prev = s, nil // the stream took st.prev's memory
	}
}

// loadOptions are load's settings: column roles, the date format, the
// text encoding, whether to keep the skipped rows, and the columns to
// carry into the customer export.
type loadOptions struct {
	Map        map[string]string `json:"map"`
	DateFormat string            `json:"date_format"`
	Encoding   string            `json:"encoding"`
	Rejects    bool              `json:"rejects"`
	Carry      []string          `json:"carry"`
}

// errBadOptions marks an error in load's options (not in the file).
var errBadOptions = errors.New("load options")

// readLoadOptions reads load's options: {"map": {role: column},
// "date_format": name, "encoding": name, "rejects": bool, "carry":
// [column, ...]}.
func readLoadOptions(text string) (loadOptions, error) {
	var o loadOptions
	if !gjson.Valid(text) {
		return o, fmt.Errorf("%w: not valid JSON", errBadOptions)
	}
	var err error
	gjson.Parse(text).ForEach(func(k, v gjson.Result) bool {
		switch {
		case v.Type == gjson.Null:
		case k.Str == "date_format" && v.Type == gjson.String:
			o.DateFormat = v.Str
		case k.Str == "encoding" && v.Type == gjson.String:
			o.Encoding = v.Str
		case k.Str == "rejects" && (v.Type == gjson.True || v.Type == gjson.False):
			o.Rejects = v.Bool()
		case k.Str == "carry" && v.IsArray():
			v.ForEach(func(_, col gjson.Result) bool {
				if col.Type != gjson.String {
					err = fmt.Errorf("%w: carry: %s is not a column name", errBadOptions, col.Raw)
					return false
				}
				o.Carry = append(o.Carry, col.Str)
				return true
			})
		case k.Str == "map" && v.IsObject():
			o.Map = map[string]string{}
			v.ForEach(func(role, col gjson.Result) bool {
				if col.Type == gjson.Null {
					return true
				}
				if col.Type != gjson.String {
					err = fmt.Errorf("%w: map.%s: %s is not a column name", errBadOptions, role.Str, col.Raw)
					return false
				}
				o.Map[role.Str] = col.Str
				return true
			})
		default:
			err = fmt.Errorf("%w: %s: %s is not expected", errBadOptions, k.Str, v.Raw)
		}
		return err == nil
	})
	return o, err
}

// ingestOptions turns load's options JSON ("" for none) into
// ingest.Options, for load and for the stream alloc starts.
func ingestOptions(text string) (ingest.Options, error) {
	var opt ingest.Options
	var o loadOptions
	var err error
	if text != "" {
		if o, err = readLoadOptions(text); err != nil {
			return opt, err
		}
	}
	if opt.DateFormat, err = ingest.ParseDateFormat(or(o.DateFormat, "auto")); err != nil {
		return opt, fmt.Errorf("%w: %w", errBadOptions, err)
	}
	if opt.Encoding, err = ingest.ParseEncoding(o.Encoding); err != nil {
		return opt, fmt.Errorf("%w: %w", errBadOptions, err)
	}
	opt.KeepRejects = o.Rejects
	for _, c := range o.Carry {
		if c = strings.TrimSpace(c); c != "" {
			opt.Carry = append(opt.Carry, c)
		}
	}
	if len(o.Map) > 0 {
		opt.Map = map[ingest.Role]string{}
		for role, col := range o.Map {
			r, err := ingest.ParseRole(role)
			if err != nil {
				return opt, fmt.Errorf("%w: %w", errBadOptions, err)
			}
			if col != "" {
				opt.Map[r] = col
			}
		}
	}
	return opt, nil
}

// load(optionsJSON) parses the buffer, or finishes the stream write
// started. It returns JSON: {"report": ..., "streamed": whether the file
// was read as it arrived, "rejects": skipped rows kept} on success, or
// {"error": ..., "code": ..., "ambiguous": {...}, "report": ...}. The
// dataset loaded before is dropped either way: a failed load leaves none.
func load(_ js.Value, args []js.Value) any {
	text := ""
	if len(args) > 0 && args[0].Type() == js.TypeString {
		text = args[0].String()
	}
	stream := st.stream
	st.stream, st.streaming = nil, false
	if st.ds != nil && st.ds.Orders != nil && stream == nil {
		// Reading the same bytes again: the old table lends its memory.
		st.prev = st.ds.Orders
	}
	st.ds, st.page, st.panels, st.rejects = nil, nil, nil, nil
	dropResults()
	var ds *engine.Dataset
	var err error
	streamed := stream != nil && text == st.streamOpts && st.n == len(st.buf)
	if streamed {
		// The file was read while it arrived: read its last records.
		o, rep, ferr := stream.Finish(st.buf[:st.n])
		if err = ferr; err == nil {
			ds = engine.NewDataset(o, rep)
		} else if rep != nil {
			ds = &engine.Dataset{Load: rep}
		}
	} else {
		opt, oerr := ingestOptions(text)
		if oerr != nil {
			return errJSON(oerr, nil)
		}
		opt.Reuse, st.prev = st.prev, nil
		progress := js.Global().Get("segsimProgress")
		if progress.Type() == js.TypeFunction {
			opt.Progress = func(done, total int) { progress.Invoke(done, total) }
		}
		ds, err = engine.Load(st.buf[:st.n], opt)
	}
	var rep *ingest.Report
	if ds != nil {
		rep = ds.Load
	}
	if rep != nil {
		// The skipped rows stay in the worker until the page asks for them.
		st.rejects, rep.Rejects = rep.Rejects, nil
	}
	if err != nil {
		return errJSON(err, rep)
	}
	st.ds, st.page = ds, engine.NewPage(ds)
	st.panels = engine.NewPanels(st.page)
	return marshal(map[string]any{"report": ds.Load, "streamed": streamed, "rejects": len(st.rejects)})
}

// rejects(optionsJSON) returns the skipped rows of the last load as CSV
// with a byte order mark (line, column, value, reason, raw), as a
// Uint8Array: the file the command line's --rejects writes. Options:
// {"header": [5 column names], "reasons": {code: text}} put the header
// and the reasons in the page's language; a reason whose code is not
// given keeps the core's English text.
func rejects(_ js.Value, args []js.Value) any {
	header := []string{"line", "column", "value", "reason", "raw"}
	var reasons map[string]string
	if len(args) > 0 && args[0].Type() == js.TypeString && args[0].String() != "" {
		o := gjson.Parse(args[0].String())
		if h := o.Get("header"); h.IsArray() && len(h.Array()) == len(header) {
			for i, v := range h.Array() {
				header[i] = v.String()
			}
		}
		if r := o.Get("reasons"); r.IsObject() {
			reasons = map[string]string{}
			r.ForEach(func(k, v gjson.Result) bool {
				reasons[k.Str] = v.String()
				return true
			})
		}
	}
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.Write(header)
	for _, s := range st.rejects {
		reason := s.Reason
		if r, ok := reasons[s.Code]; ok && r != "" {
			reason = r
		}
		w.Write([]string{strconv.Itoa(s.Line), s.Column, s.Value, reason, s.Raw})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return errJSON(err, nil)
	}
	out := js.Global().Get("Uint8Array").New(b.Len())
	js.CopyBytesToJS(out, b.Bytes())
	return out
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
	// Cohorts turns the cohort panel on: the monthly acquisition cohort
	// table, computed again only when the cleaned data changes.
	Cohorts bool `json:"cohorts"`
	// KPI turns the KPI tree panel on: the GMV tree of the KPIPeriod days
	// (default 30) before the as-of date.
	KPI       bool `json:"kpi"`
	KPIPeriod int  `json:"kpi_period"`
	// Migration turns the migration panel on: the data is scored at as-of
	// minus MigrationDays (default 30) and at as-of, by MigrationBy (class
	// or stage), and projected forward 12 periods.
	Migration     bool   `json:"migration"`
	MigrationBy   string `json:"migration_by"`
	MigrationDays int    `json:"migration_days"`
}

// run(scenarioJSON, near, optionsJSON) scores the loaded data with a
// scenario (knobs it does not mention keep their defaults) and returns
// {"view", "scenario", "prediction", "plan", "rescored"} JSON; prediction is there when
// the scenario turns predictions on, plan when options.plan is set. When
// only the plan's budget changed since the last run, the data is not
// scored again: the last planner re-plans the new budget.
func run(_ js.Value, args []js.Value) any {
	if st.ds == nil {
		return errJSON(errors.New("no data loaded"), nil)
	}
	text := ""
	if len(args) > 0 && args[0].Type() == js.TypeString {
		text = args[0].String()
	}
	var sc *scenario.Scenario
	switch {
	case text == "":
		sc = scenario.Default()
	case text == st.text && st.sc != nil:
		sc = st.sc // the same scenario again, as when only a panel option changed
	default:
		var err error
		if sc, err = st.codec.Parse([]byte(text)); err != nil {
			return errJSON(err, nil)
		}
	}
	near := 8
	if len(args) > 1 && args[1].Type() == js.TypeNumber {
		near = args[1].Int()
	}
	o := runOptions{HoldoutShare: 0.25, ChurnTop: 20}
	if len(args) > 2 && args[2].Type() == js.TypeString && args[2].String() != "" {
		if err := scenario.DecodeInto([]byte(args[2].String()), &o, "run options"); err != nil {
			return errJSON(err, nil)
		}
	}
	// runKey is what the scores and the view depend on: the scenario's
	// text with its plan section blanked, near and the panel options. When
	// only the plan section changed (a playbook edit, the budget), the data
	// is not scored again; when only the budget changed (key), the last
	// planner plans it (replan). Scenarios that differ only in how they are
	// written are scored again, which is merely slower.
	opts := fmt.Sprintf("|%d|%v|%d|%v|%s|%d", near, o.HoldoutShare, o.ChurnTop, o.Migration, o.MigrationBy, o.MigrationDays)
	runKey := blank(text, "plan") + opts
	key := ""
	if o.Plan {
		key = blank(text, "plan.budget") + opts
	}
	// The same scenario with the same options again (a slider held against
	// its neighbour, a repeated call) gets the last answer.
	outKey := fmt.Sprintf("%s%s|%v|%v|%v|%d", text, opts, o.Plan, o.Cohorts, o.KPI, o.KPIPeriod)
	if outKey == st.outKey && st.out != "" {
		return st.out
	}
	st.out, st.outKey = "", ""
	rescore := runKey != st.runKey || st.res == nil || st.view == nil
	replan := !rescore && o.Plan && key == st.planKey && st.res.Assigned != nil && st.plan != nil
	predErr := ""
	if !rescore {
		predErr = st.predErr
		if !o.Plan {
			st.res.Assigned = nil // no action columns in the CSV while the plan is off
		}
	} else {
		var res *engine.Result
		var err error
		if o.Migration {
			res, err = migrate(sc, o)
		} else {
			res, err = st.ds.Run(sc)
		}
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
		st.plan, st.planKey, st.runKey = nil, "", runKey
	}
	st.sc, st.text = sc, text
	if o.Plan {
		pv, err := st.panels.Plan(st.res, sc.Plan, replan, st.plan)
		if err != nil {
			st.plan, st.planKey = nil, ""
			out := map[string]any{"prediction": st.pred, "prediction_error": predErr, "plan_error": err.Error()}
			addPanels(out, o)
			return answer(sc, out)
		}
		st.plan, st.planKey = pv, key
	}
	st.predErr = predErr
	out := map[string]any{"prediction": st.pred, "prediction_error": predErr, "rescored": rescore}
	if o.Plan {
		out["plan"] = st.plan
	}
	addPanels(out, o)
	st.out, st.outKey = answer(sc, out), outKey
	return st.out
}

// answer writes run's answer: {"view": st.view, "scenario": sc, ...out}.
// The view goes through st.enc, which writes again only the parts of the
// view that changed since the last answer, and the scenario through
// st.codec, which does the same for its sections.
func answer(sc *scenario.Scenario, out map[string]any) string {
	b, err := st.enc.AppendJSON(append(st.ans[:0], `{"view":`...), st.view)
	if err != nil {
		return errJSON(err, nil)
	}
	if b, err = st.codec.AppendJSON(append(b, `,"scenario":`...), sc); err != nil {
		return errJSON(err, nil)
	}
	rest, err := json.Marshal(out)
	if err != nil {
		return errJSON(err, nil)
	}
	if len(rest) > 2 {
		b = append(append(b, ','), rest[1:]...)
	} else {
		b = append(b, '}')
	}
	st.ans = b
	return string(b)
}

// blank returns the JSON text with the value at path replaced by null (the
// text as it is when path is absent).
func blank(text, path string) string {
	v := gjson.Get(text, path)
	if !v.Exists() || v.Index <= 0 {
		return text
	}
	return text[:v.Index] + "null" + text[v.Index+len(v.Raw):]
}

// addPanels adds the KPI tree and the cohort table (or why there are none)
// when their panels are open.
func addPanels(out map[string]any, o runOptions) {
	if o.Migration {
		if st.migErr != "" {
			out["migration_error"] = st.migErr
		} else if st.mig != nil {
			out["migration"] = map[string]any{"matrix": st.mig, "projection": st.proj}
		}
	}
	if o.KPI && st.res != nil && st.sc != nil {
		k, err := st.kpi.Get(st.ds, st.res, or0(o.KPIPeriod, 30), st.sc.Lifecycle.ChurnDays)
		if err != nil {
			out["kpi_error"] = err.Error()
		} else {
			out["kpi"] = k
		}
	}
	if !o.Cohorts {
		return
	}
	tab, err := st.cohorts.Get(st.ds)
	if err != nil {
		out["cohorts_error"] = err.Error()
		return
	}
	out["cohorts"] = tab
}

// migrate runs the scenario through Dataset.Migration (which scores at
// as-of minus one period, then at as-of) and keeps the matrix and its
// projection; it returns the as-of Result, the page's normal result. When
// the migration cannot be estimated, the scenario is run as usual and the
// panel says why.
func migrate(sc *scenario.Scenario, o runOptions) (*engine.Result, error) {
	cfg := simulate.DefaultConfig()
	cfg.By = "class"
	if o.MigrationBy == "stage" {
		cfg.By = "stage"
	}
	cfg.PeriodDays = min(max(or0(o.MigrationDays, 30), 1), 366)
	st.mig, st.proj, st.migErr = nil, nil, ""
	if err := cfg.Validate(); err != nil {
		st.migErr = err.Error()
		return st.ds.Run(sc)
	}
	m, res, err := st.ds.Migration(sc, cfg)
	if err != nil {
		st.migErr = err.Error()
		return st.ds.Run(sc)
	}
	proj, err := m.Project(cfg.Periods, cfg.Inflow, nil, nil)
	if err != nil {
		st.migErr = err.Error()
	}
	st.mig, st.proj = m, proj
	return res, nil
}

// rows(segment, offset, limit) returns one page of the customer table.
func rows(_ js.Value, args []js.Value) any {
	if st.res == nil {
		return errJSON(errors.New("no result yet"), nil)
	}
	r, total := st.page.Rows(st.res, args[0].Int(), args[1].Int(), args[2].Int())
	return marshal(map[string]any{"rows": r, "total": total})
}

// csvExport(bom, chinese) returns the per-customer CSV of the last run as
// a Uint8Array: the bytes the command line's score writes.
func csvExport(_ js.Value, args []js.Value) any {
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

// points(optionsJSON) runs the points programme what-if (strategy.Points;
// options are its knobs, defaults for those left out) on the customers of
// the last run: the result at the threshold and a sweep of thresholds
// around it. It does not score again, so a slider move is cheap.
func points(_ js.Value, args []js.Value) any {
	if st.res == nil || st.ds == nil || st.ds.Customers == nil {
		return errJSON(errors.New("no result yet"), nil)
	}
	p := strategy.DefaultPoints()
	if len(args) > 0 && args[0].Type() == js.TypeString && args[0].String() != "" {
		if err := scenario.DecodeInto([]byte(args[0].String()), &p, "points options"); err != nil {
			return errJSON(err, nil)
		}
	}
	if err := p.Validate(); err != nil {
		return errJSON(err, nil)
	}
	perMonth, aov := strategy.Behaviour(st.ds.Customers, st.res.AsOfDay)
	t := p.Threshold
	sweep := p.Sweep(perMonth, aov, []float64{t / 4, t / 2, t, 2 * t, 4 * t})
	return marshal(map[string]any{"points": p, "result": p.Simulate(perMonth, aov), "sweep": sweep})
}

// playbook(json) checks a playbook with the core's rules
// (strategy.ParsePlaybook): the page's playbook editor applies an edit only
// when this accepts it. It returns {"segments": n, "actions": n} or
// {"error": ...} naming the field.
func playbook(_ js.Value, args []js.Value) any {
	if len(args) == 0 || args[0].Type() != js.TypeString {
		return errJSON(errors.New("playbook: want JSON text"), nil)
	}
	p, err := strategy.ParsePlaybook([]byte(args[0].String()))
	if err != nil {
		return errJSON(err, nil)
	}
	n := 0
	for _, e := range p.Entries {
		n += len(e.Actions)
	}
	return marshal(map[string]int{"segments": len(p.Entries), "actions": n})
}

// defaults() returns the default scenario as JSON.
func defaults(js.Value, []js.Value) any {
	b, err := scenario.Default().Marshal()
	if err != nil {
		return errJSON(err, nil)
	}
	return string(b)
}

// errJSON writes an error for the page: {"error": the core's message,
// "code": a stable name the page translates, "report": what was read}.
// Codes: missing_column (with "missing": the roles not found),
// not_text (with "kind", e.g. xls, pdf, png), ambiguous_dates (with
// "ambiguous": the column and examples), empty, nothing_usable, bad_json,
// bad_options, and error for anything else.
func errJSON(err error, rep *ingest.Report) string {
	out := map[string]any{"error": err.Error(), "code": errCode(err), "report": rep}
	var amb *ingest.AmbiguousDateError
	var kind *ingest.KindError
	switch {
	case errors.As(err, &amb):
		out["ambiguous"] = map[string]any{"column": amb.Column, "examples": amb.Examples}
	case errors.As(err, &kind):
		out["kind"] = kind.Kind
	case errors.Is(err, ingest.ErrMissingColumn) && rep != nil:
		out["missing"] = missingRoles(rep)
	}
	return marshal(out)
}

// errCode names an error by the core's sentinels and types.
func errCode(err error) string {
	switch {
	case errors.Is(err, errBadOptions):
		return "bad_options"
	case errors.Is(err, ingest.ErrMissingColumn):
		return "missing_column"
	case errors.Is(err, ingest.ErrNotText):
		return "not_text"
	case errors.Is(err, ingest.ErrAmbiguousDates):
		return "ambiguous_dates"
	case errors.Is(err, ingest.ErrEmpty):
		return "empty"
	case errors.Is(err, ingest.ErrNothingUsable):
		return "nothing_usable"
	case errors.Is(err, ingest.ErrBadJSON):
		return "bad_json"
	}
	return "error"
}

// missingRoles lists the required roles the report found no column for:
// customer, date, and amount unless quantity and unit price are both
// there (ingest's rule).
func missingRoles(rep *ingest.Report) []string {
	has := func(r string) bool { return rep.Roles[r] != "" }
	var out []string
	for _, r := range []string{"customer", "date"} {
		if !has(r) {
			out = append(out, r)
		}
	}
	if !has("amount") && !(has("quantity") && has("unit_price")) {
		out = append(out, "amount")
	}
	return out
}

func marshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf(`{"error":%q}`, err.Error())
	}
	return string(b)
}

func or0(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
