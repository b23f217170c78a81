// Package session keeps what a host holds between calls on one loaded
// dataset — the scenario in force, the last result, the page's view and
// panel caches — and decides, for each call, what must be computed again:
// a knob that changes scores re-scores, a budget move only re-plans, the
// same call again returns the last answer. The page's Web Worker is a
// thin layer of syscall/js over this package; its answers are JSON text.
package session

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/tidwall/gjson"

	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/readout"
	"segsim/core/scenario"
	"segsim/core/simulate"
	"segsim/core/strategy"
)

// ErrNoData says that no dataset is loaded (or the last load failed), or
// that nothing was run on it yet.
var ErrNoData = errors.New("no data loaded")

// Session is one loaded dataset and what was computed from it.
type Session struct {
	ds      *engine.Dataset
	page    *Page
	panels  *Panels
	rejects []ingest.Skip // the load's skipped rows with their raw lines
	failed  bool          // the load failed: only rejects are there

	res *engine.Result
	sc  *scenario.Scenario
	// codec reads each scenario decoding only the sections that changed
	// since the last one, and writes it back the same way; the scenarios
	// it returns are not modified.
	codec scenario.Codec

	view *View
	enc  ViewEncoder // writes view, reusing the text of unchanged parts
	ans  []byte      // Apply's answer, reused between calls
	pred *PredictionView
	plan *PlanView
	// runKey is the scenario (plan section left out) and options of the
	// last scoring; planKey adds the plan section, budget left out.
	runKey  string
	planKey string
	text    string // the last scenario's JSON text (sc)
	// out is the last answer, for the same scenario and options (outKey)
	// again.
	out, outKey string
	predErr     string // why the last run has no predictions though they are on

	cohorts CohortCache // the cohort panel's table, per cleaned data
	kpi     KPICache    // the KPI tree panel's inputs
	// The migration panel's matrix and projection of the last run.
	mig    *simulate.Matrix
	proj   *simulate.Projection
	migErr string

	// pin holds scenario A's numbers while the page compares scenarios
	// (Pin); pins counts pins, for the answer cache.
	pin  *engine.Numbers
	pins int
	// The last campaign readout and the playbook it priced actions with,
	// for MeasuredPlaybook.
	readout   *readout.Report
	readoutPB *strategy.Playbook
	planOn    bool // the last Apply planned
}

// New returns a session on a loaded dataset.
func New(ds *engine.Dataset) *Session {
	p := NewPage(ds)
	return &Session{ds: ds, page: p, panels: NewPanels(p)}
}

// Dataset returns the session's dataset (with only a load report when the
// load failed).
func (s *Session) Dataset() *engine.Dataset { return s.ds }

// Options are the page's panel settings that are not scenario knobs.
type Options struct {
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

// ReadOptions reads Options from JSON ("" for the defaults).
func ReadOptions(text string) (Options, error) {
	o := Options{HoldoutShare: 0.25, ChurnTop: 20}
	if text == "" {
		return o, nil
	}
	if err := scenario.DecodeInto([]byte(text), &o, "run options"); err != nil {
		return o, fmt.Errorf("%w: %w", ErrBadOptions, err)
	}
	return o, nil
}

// Apply scores the dataset with a scenario (JSON text; knobs it leaves out
// keep their defaults, "" is the default scenario), near customers listed
// around the tier boundaries, and the panel options (JSON text), and
// returns the answer: {"view", "scenario" (only when the core normalised
// the text sent), "prediction", "prediction_error", "rescored", "plan",
// "cohorts", "kpi", "migration", "compare"},
// or an error (see ErrorJSON). What it computes again:
//   - the scores and the view, when the scenario outside its plan section,
//     near or the scoring options changed;
//   - only the plan, when only the plan section changed, and by the last
//     planner, when only the budget changed;
//   - nothing, when the call is the same as the last one.
func (s *Session) Apply(text string, near int, optsText string) string {
	if s.failed || s.ds == nil {
		return ErrorJSON(ErrNoData, nil)
	}
	var sc *scenario.Scenario
	switch {
	case text == "":
		sc = scenario.Default()
	case text == s.text && s.sc != nil:
		sc = s.sc // the same scenario again, as when only a panel option changed
	default:
		var err error
		if sc, err = s.codec.Parse([]byte(text)); err != nil {
			return ErrorJSON(err, nil)
		}
	}
	o, err := ReadOptions(optsText)
	if err != nil {
		return ErrorJSON(err, nil)
	}
	opts := fmt.Sprintf("|%d|%v|%d|%v|%s|%d", near, o.HoldoutShare, o.ChurnTop, o.Migration, o.MigrationBy, o.MigrationDays)
	// runKey is what the scores and the view depend on: the scenario's
	// text with its plan section blanked, near and the panel options.
	// planKey leaves out only the budget (and whether it is sized to
	// the data). Scenarios that differ only in
	// how they are written are scored again, which is merely slower.
	runKey := blank(text, "plan") + opts
	planKey := ""
	if o.Plan {
		planKey = blank(blank(text, "plan.budget"), "plan.budget_auto") + opts
	}
	outKey := fmt.Sprintf("%s%s|%v|%v|%v|%d|%d", text, opts, o.Plan, o.Cohorts, o.KPI, o.KPIPeriod, s.pins)
	if outKey == s.outKey && s.out != "" {
		return s.out
	}
	s.out, s.outKey = "", ""
	rescore := runKey != s.runKey || s.res == nil || s.view == nil
	replan := !rescore && o.Plan && planKey == s.planKey && s.res.Assigned != nil && s.plan != nil
	predErr := ""
	if !rescore {
		predErr = s.predErr
		if !o.Plan {
			s.res.Assigned = nil // no action columns in the CSV while the plan is off
		}
	} else {
		res, err := s.score(sc, o)
		if err != nil && sc.Predict.Enabled && errors.Is(err, engine.ErrPrediction) {
			// The models cannot be fitted to this data: say so in the
			// panel and show everything else.
			predErr = err.Error()
			off := *sc
			off.Predict.Enabled = false
			res, err = s.ds.Run(&off)
		}
		if err != nil {
			return ErrorJSON(err, nil)
		}
		s.res = res
		s.view = s.page.View(res, RunConfig{Frequency: sc.RFM.Frequency, Monetary: sc.RFM.Monetary}, near)
		s.pred = s.panels.Prediction(res, sc.Predict, o.HoldoutShare, o.ChurnTop)
		s.plan, s.planKey, s.runKey = nil, "", runKey
	}
	s.sc, s.text, s.planOn = sc, text, o.Plan
	if o.Plan {
		pv, err := s.panels.Plan(s.res, sc.Plan, replan, s.plan)
		if err != nil {
			s.plan, s.planKey = nil, ""
			out := map[string]any{"prediction": s.pred, "prediction_error": predErr, "plan_error": err.Error()}
			s.addPanels(out, o)
			return s.answer(sc, out)
		}
		s.plan, s.planKey = pv, planKey
	}
	s.predErr = predErr
	out := map[string]any{"prediction": s.pred, "prediction_error": predErr, "rescored": rescore}
	if o.Plan {
		out["plan"] = s.plan
	}
	s.addPanels(out, o)
	s.out, s.outKey = s.answer(sc, out), outKey
	return s.out
}

// score runs the scenario, through the migration panel when it is open.
func (s *Session) score(sc *scenario.Scenario, o Options) (*engine.Result, error) {
	if o.Migration {
		return s.migrate(sc, o)
	}
	return s.ds.Run(sc)
}

// answer writes Apply's answer: {"view": s.view, "scenario": sc, ...out}.
// The view goes through s.enc, which writes again only the parts of the
// view that changed since the last answer, and the scenario through
// s.codec, which does the same for its sections. The scenario is left out
// when it reads exactly as the text the call sent (the core did not
// normalise it): the page keeps its own.
func (s *Session) answer(sc *scenario.Scenario, out map[string]any) string {
	b, err := s.enc.AppendJSON(append(s.ans[:0], `{"view":`...), s.view)
	if err != nil {
		return ErrorJSON(err, nil)
	}
	mark := len(b)
	if b, err = s.codec.AppendJSON(append(b, `,"scenario":`...), sc); err != nil {
		return ErrorJSON(err, nil)
	}
	if string(b[mark+len(`,"scenario":`):]) == s.text {
		b = b[:mark]
	}
	rest, err := json.Marshal(out)
	if err != nil {
		return ErrorJSON(err, nil)
	}
	if len(rest) > 2 {
		b = append(append(b, ','), rest[1:]...)
	} else {
		b = append(b, '}')
	}
	s.ans = b
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

// Numbers returns the numbers an A/B comparison follows for the last run
// (with the plan's totals when the last call planned).
func (s *Session) Numbers() (engine.Numbers, error) {
	if s.view == nil {
		return engine.Numbers{}, fmt.Errorf("%w: nothing run yet", ErrNoData)
	}
	var plan *strategy.Plan
	if s.planOn && s.plan != nil {
		plan = s.plan.Plan
	}
	return engine.NumbersOf(&s.view.Report, plan), nil
}

// Comparison is scenario A's numbers (pinned), B's (the last run) and
// B − A.
type Comparison struct {
	A     engine.Numbers `json:"a"`
	B     engine.Numbers `json:"b"`
	Delta engine.Delta   `json:"delta"`
}

// Pin keeps the last run's numbers as scenario A: from now on every
// answer of Apply holds "compare", A against the scenario it ran. It
// answers that comparison (A against itself).
func (s *Session) Pin() string {
	n, err := s.Numbers()
	if err != nil {
		return ErrorJSON(err, nil)
	}
	s.pin = &n
	s.pins++
	return marshal(map[string]any{"compare": s.comparison()})
}

// Unpin forgets scenario A.
func (s *Session) Unpin() {
	s.pin = nil
	s.pins++
}

// comparison compares the pinned A with the last run, or returns nil.
func (s *Session) comparison() *Comparison {
	if s.pin == nil {
		return nil
	}
	b, err := s.Numbers()
	if err != nil {
		return nil
	}
	return &Comparison{A: *s.pin, B: b, Delta: engine.Compare(*s.pin, b)}
}

// addPanels adds the migration, the KPI tree and the cohort table (or why
// there are none) when their panels are open, and the comparison with a
// pinned scenario A.
func (s *Session) addPanels(out map[string]any, o Options) {
	if c := s.comparison(); c != nil {
		out["compare"] = c
	}
	if s.ds.OrderLevel() != nil {
		// Stats: the panels that need each order's date say so.
		out["needs_orders"] = true
		return
	}
	if o.Migration {
		if s.migErr != "" {
			out["migration_error"] = s.migErr
		} else if s.mig != nil {
			out["migration"] = map[string]any{"matrix": s.mig, "projection": s.proj}
		}
	}
	if o.KPI && s.res != nil && s.sc != nil {
		k, err := s.kpi.Get(s.ds, s.res, or0(o.KPIPeriod, 30), s.sc.Lifecycle.ChurnDays)
		if err != nil {
			out["kpi_error"] = err.Error()
		} else {
			out["kpi"] = k
		}
	}
	if !o.Cohorts {
		return
	}
	tab, err := s.cohorts.Get(s.ds)
	if err != nil {
		out["cohorts_error"] = err.Error()
		return
	}
	out["cohorts"] = tab
}

// migrate runs the scenario through Dataset.Migration (which scores at
// as-of minus one period, then at as-of) and keeps the matrix and its
// projection; it returns the as-of Result. When the migration cannot be
// estimated, the scenario is run as usual and the panel says why.
func (s *Session) migrate(sc *scenario.Scenario, o Options) (*engine.Result, error) {
	cfg := simulate.DefaultConfig()
	cfg.By = "class"
	if o.MigrationBy == "stage" {
		cfg.By = "stage"
	}
	cfg.PeriodDays = min(max(or0(o.MigrationDays, 30), 1), 366)
	s.mig, s.proj, s.migErr = nil, nil, ""
	if err := cfg.Validate(); err != nil {
		s.migErr = err.Error()
		return s.ds.Run(sc)
	}
	m, res, err := s.ds.Migration(sc, cfg)
	if err != nil {
		s.migErr = err.Error()
		return s.ds.Run(sc)
	}
	proj, err := m.Project(cfg.Periods, cfg.Inflow, nil, simulate.NewCalendar(res.BuyerSeries, res.AsOfDay, cfg.PeriodDays), nil)
	if err != nil {
		s.migErr = err.Error()
	}
	s.mig, s.proj = m, proj
	return res, nil
}

// Rows returns one page of the customer table of the last run: customers
// of the group filter names ("kind=name", see engine.ParseFilter; "" for
// all) from offset, at most limit, and how many there are: {"rows":
// [...], "total": n}.
func (s *Session) Rows(filter string, offset, limit int) string {
	if s.res == nil {
		return ErrorJSON(fmt.Errorf("%w: nothing run yet", ErrNoData), nil)
	}
	keep, err := s.selector(filter)
	if err != nil {
		return ErrorJSON(err, nil)
	}
	r, total := s.page.RowsWhere(s.res, keep, offset, limit)
	return marshal(map[string]any{"rows": r, "total": total})
}

// selector reads a "kind=name" filter of the last run.
func (s *Session) selector(filter string) (func(int) bool, error) {
	f, err := engine.ParseFilter(filter)
	if err != nil {
		return nil, err
	}
	return s.res.Selector(f)
}

// CSV returns the per-customer CSV of the last run: the bytes the command
// line's score writes (with --only filter), with a byte order mark (bom)
// and Chinese column names (chinese) when asked.
func (s *Session) CSV(bom, chinese bool, filter string) ([]byte, error) {
	if s.res == nil {
		return nil, fmt.Errorf("%w: nothing run yet", ErrNoData)
	}
	f, err := engine.ParseFilter(filter)
	if err != nil {
		return nil, err
	}
	return s.page.CSV(s.res, engine.CSVOptions{BOM: bom, Chinese: chinese, Only: f})
}

// Warm prepares in idle time what the first move of a score cut would
// (engine.Dataset.Warm); the page calls it when the browser is idle
// after a run.
func (s *Session) Warm() {
	if s.ds != nil {
		s.ds.Warm()
	}
}

// Predictions returns the predictions of the last run as CSV
// (engine.Fit.WritePredictions): 3, 6 and 12 months side by side, the
// scenario's discount rate, 90% intervals, the header in English or
// Chinese, with a byte order mark.
func (s *Session) Predictions(chinese bool) ([]byte, error) {
	if s.res == nil || s.res.Pred == nil || s.sc == nil {
		return nil, fmt.Errorf("%w: no predictions: turn them on and run first", ErrNoData)
	}
	f := s.res.Pred.Model
	lang := "en"
	if chinese {
		lang = "zh"
	}
	var b bytes.Buffer
	err := f.WritePredictions(&b, engine.PredictionsOptions{Horizons: engine.DefaultHorizons(f.Options.Unit), Yearly: s.sc.Predict.DiscountRate, Level: 0.9, Lang: lang, BOM: true})
	return b.Bytes(), err
}

// Rejects returns the skipped rows of the load (also of one that failed)
// as CSV with a byte order mark (line, column, value, reason, raw): the
// file the command line's --rejects writes. The options JSON,
// {"header": [5 names], "reasons": {Skip.Code: text}}, puts it in the
// page's language; "" keeps the core's English.
func (s *Session) Rejects(optsText string) ([]byte, error) {
	header := []string{"line", "column", "value", "reason", "raw"}
	var reasons map[string]string
	if optsText != "" {
		o := gjson.Parse(optsText)
		if h := o.Get("header").Array(); len(h) == len(header) {
			for i, v := range h {
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
	for _, r := range s.rejects {
		reason := r.Reason
		if t, ok := reasons[r.Code]; ok && t != "" {
			reason = t
		}
		w.Write([]string{strconv.Itoa(r.Line), r.Column, r.Value, reason, r.Raw})
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// Points runs the points programme what-if (strategy.Points, its knobs as
// JSON, defaults for those left out) on the customers of the last run,
// each weighted by the probability of going on buying (Dataset.Keep): the
// result at the threshold and at ¼, ½, 2 and 4 times it, and the
// weighting ("keep"). It does not score again.
func (s *Session) Points(optsText string) string {
	if s.res == nil || s.ds.Customers == nil {
		return ErrorJSON(fmt.Errorf("%w: nothing run yet", ErrNoData), nil)
	}
	p := strategy.DefaultPoints()
	if optsText != "" {
		if err := scenario.DecodeInto([]byte(optsText), &p, "points options"); err != nil {
			return ErrorJSON(err, nil)
		}
	}
	if err := p.Validate(); err != nil {
		return ErrorJSON(err, nil)
	}
	keep := s.ds.Keep(s.res, p.Months)
	result, sweep := strategy.PointsWhatIf(p, s.ds.Customers, s.res.AsOfDay, keep)
	return marshal(map[string]any{"points": p, "result": result, "sweep": sweep, "keep": keep})
}

// KPISolve solves the KPI tree of the last run (its periodDays days before
// the as-of date) for a GMV target; target ≤ 0 takes the tree's
// DefaultTarget. The answer is a simulate.KPISolve.
func (s *Session) KPISolve(target float64, periodDays int) string {
	if s.res == nil || s.sc == nil {
		return ErrorJSON(fmt.Errorf("%w: nothing run yet", ErrNoData), nil)
	}
	k, err := s.kpi.Get(s.ds, s.res, or0(periodDays, 30), s.sc.Lifecycle.ChurnDays)
	if err != nil {
		return ErrorJSON(err, nil)
	}
	if target <= 0 {
		target = k.DefaultTarget()
	}
	return marshal(k.Solve(target))
}

// CheckPlaybook checks a playbook with the core's rules
// (strategy.ParsePlaybook): {"segments": n, "actions": n} or an error
// naming the field.
func CheckPlaybook(text string) string {
	p, err := strategy.ParsePlaybook([]byte(text))
	if err != nil {
		return ErrorJSON(err, nil)
	}
	n := 0
	for _, e := range p.Entries {
		n += len(e.Actions)
	}
	return marshal(map[string]int{"segments": len(p.Entries), "actions": n})
}

// ActionProfits answers the profit per contact of each action of a JSON
// array ({cost, response, baseline, order_value, margin} each, as in a
// playbook): strategy.Action.Profit, or null for an action whose numbers
// are missing or not finite. The playbook editor shows them per row.
func ActionProfits(text string) string {
	var out []*float64
	gjson.Parse(text).ForEach(func(_, v gjson.Result) bool {
		a := strategy.Action{Cost: v.Get("cost").Float(), Response: v.Get("response").Float(), Baseline: v.Get("baseline").Float(),
			OrderValue: v.Get("order_value").Float(), Margin: v.Get("margin").Float()}
		p := a.Profit()
		ok := !math.IsNaN(p) && !math.IsInf(p, 0)
		for _, f := range []string{"cost", "response", "baseline", "order_value", "margin"} {
			ok = ok && v.Get(f).Type == gjson.Number
		}
		if ok {
			out = append(out, &p)
		} else {
			out = append(out, nil)
		}
		return true
	})
	if out == nil {
		out = []*float64{}
	}
	return marshal(out)
}

// Defaults returns the default scenario as JSON.
func Defaults() string {
	b, err := scenario.Default().Marshal()
	if err != nil {
		return ErrorJSON(err, nil)
	}
	return string(b)
}

func marshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ErrorJSON(err, nil)
	}
	return string(b)
}

func or0(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// ScenarioVersion is the scenario format this build reads and writes.
const ScenarioVersion = scenario.Version
