// Package engine runs segsim's pipeline: ingest once per file, clean and
// summarize once per change of the cleaning knobs, and score on every other
// knob change with no sorting and no allocation beyond the first run.
package engine

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"segsim/core/calendar"
	"segsim/core/clean"
	"segsim/core/ingest"
	"segsim/core/lifecycle"
	"segsim/core/predict"
	"segsim/core/rfm"
	"segsim/core/scenario"
	"segsim/core/segment"
	"segsim/core/summary"
	"segsim/core/tier"
)

// Dataset is one loaded order file and the state derived from it.
type Dataset struct {
	Orders *ingest.Orders
	Load   *ingest.Report
	// LastDay is the day of the last order row read.
	LastDay int32
	// dayFrom and dayTo are the first and last day of the rows read
	// (dayFrom > dayTo without rows).
	dayFrom, dayTo int32
	// Lean, when set, leaves out of Run what only a view of the whole
	// table shows: the buyer split and series (Result.Buyers and
	// BuyerSeries stay empty) and the texts of the split edges. A server
	// answering customer by customer sets it.
	Lean bool

	// Derived for the current cleaning knobs: cleanRules and cleanWin are
	// copies of the knobs, and cleanGen counts their changes (0 = none
	// yet), so that the keys below need not repeat them.
	cleanRules clean.Rules
	cleanWin   clean.Window
	cleanGen   int
	disp       []uint8
	Clean      []clean.RuleCount
	Customers  *summary.Customers
	keys       *rfm.Keys
	rank       *tier.Ranking
	feats      *segment.Features
	asOf       int32

	buyerKey  buyerKey
	buyers    lifecycle.Split
	seriesKey seriesKey
	series    []lifecycle.Month
	tierKey   tierKey
	stageKey  stageKey
	tagKey    tagKey
	tagRules  []segment.Rule
	checkKey  checkKey
	predKey   predKey
	pred      *Prediction

	scoreKeys    [3]ScoreKey
	scoreVersion int
	moved        []int32 // customers whose scores the last Run changed, when it scored few
	classKey     classKey
	segmentKey   segmentKey
	check        *segment.Check
	lastDay      map[[2]int32]int32 // default as-of per window
	schemes      map[string]*segment.Compiled
	res          *Result
	// earlier scores the same orders one campaign window back, for the
	// baselines a plan measures (see groupData); boughtKey says what
	// bought was computed for.
	earlier   *Dataset
	bought    []bool
	boughtKey [3]int

	// stats holds a stats file's customers (nil for an order file): the
	// order table then has no rows until rowLevel makes them.
	stats *statsTable
	// statsFields names the optional fields of a stats file, statsExtra
	// holds them per customer (by key); see applyStats.
	statsFields []string
	statsExtra  []ingest.StatsExtra
}

// Load parses an order export, or a per-customer stats file (see
// LoadStats). See ingest.Parse for the errors; with an
// error, the dataset (when not nil) holds only the report of what was read.
func Load(data []byte, opt ingest.Options) (*Dataset, error) {
	if len(opt.Map) == 0 && ingest.IsStats(data) {
		return LoadStats(data, opt)
	}
	o, rep, err := ingest.Parse(data, opt)
	if err != nil {
		if rep != nil {
			return &Dataset{Load: rep}, err // the report says what was read
		}
		return nil, err
	}
	return NewDataset(o, rep), nil
}

// NewDataset returns the dataset of an order table read by ingest (Parse,
// or a Stream's Finish) and its report.
func NewDataset(o *ingest.Orders, rep *ingest.Report) *Dataset {
	d := &Dataset{Orders: o, Load: rep, schemes: map[string]*segment.Compiled{}}
	d.dayFrom, d.dayTo = math.MaxInt32, math.MinInt32
	for lo := 0; lo < len(o.Day); lo += dayBlock {
		d.dayFrom, d.dayTo = dayBounds(o.Day[lo:min(len(o.Day), lo+dayBlock)], d.dayFrom, d.dayTo)
	}
	d.LastDay = max(0, d.dayTo)
	return d
}

// dayBlock is how many rows dayBounds reads per call: WebAssembly engines
// optimize a function when it is called again, and a loop inside a
// function called once runs unoptimized to the end.
const dayBlock = 1 << 14

// dayBounds returns the least and greatest of days, first and last.
func dayBounds(days []int32, first, last int32) (int32, int32) {
	for _, day := range days {
		first, last = min(first, day), max(last, day)
	}
	return first, last
}

// window resolves a scenario's window and as-of date to day numbers. The
// default as-of date is the day after the last order inside the window.
func (d *Dataset) window(s *scenario.Scenario) (clean.Window, error) {
	w, err := Window(s.Window.Start, s.Window.End, s.Window.AsOf)
	if err != nil || s.Window.AsOf != "" {
		return w, err
	}
	if last, ok := d.lastDay[[2]int32{w.Start, w.End}]; ok {
		w.AsOf = last + 1
		return w, nil
	}
	last := int32(-1 << 30)
	switch {
	case w.Start == 0 && w.End == 0:
		last = d.LastDay // the whole history
	case d.stats != nil:
		if l, ok := d.statsLast(w.Start, w.End); ok {
			last = l
		}
	default:
		last = lastIn(d.Orders.Day, w.Start, w.End, last)
	}
	if last == -1<<30 {
		last = d.LastDay
	}
	if d.lastDay == nil || len(d.lastDay) > 64 {
		d.lastDay = map[[2]int32]int32{}
	}
	d.lastDay[[2]int32{w.Start, w.End}] = last
	w.AsOf = last + 1
	return w, nil
}

// Window reads a window's start and end dates (open when empty) and its
// as-of date (AsOf 0 when empty), naming the field of a bad one.
func Window(start, end, asOf string) (clean.Window, error) {
	var w clean.Window
	var err error
	if start != "" {
		if w.Start, err = calendar.Parse(start); err != nil {
			return w, fmt.Errorf("window.start: %w", err)
		}
	}
	if end != "" {
		if w.End, err = calendar.Parse(end); err != nil {
			return w, fmt.Errorf("window.end: %w", err)
		}
	}
	if asOf != "" {
		if w.AsOf, err = calendar.Parse(asOf); err != nil {
			return w, fmt.Errorf("window.asof: %w", err)
		}
	}
	return w, nil
}

// lastIn returns the last of days from start to end (0 = open), or last
// when none is later.
func lastIn(days []int32, start, end, last int32) int32 {
	for _, day := range days {
		if (start == 0 || day >= start) && (end == 0 || day <= end) {
			last = max(last, day)
		}
	}
	return last
}

// prepare re-runs clean and summary when the cleaning knobs, window or
// as-of date changed.
func (d *Dataset) prepare(s *scenario.Scenario, w clean.Window) error {
	if d.cleanGen > 0 && w == d.cleanWin && reflect.DeepEqual(s.Clean, d.cleanRules) {
		return nil
	}
	var disp []uint8
	var t *summary.Customers
	var rows []clean.RuleCount
	if d.stats != nil {
		t, rows = d.statsCustomers(s.Clean, w) // disp made when read (rowLevel)
	} else {
		disp, rows = clean.Rows(d.Orders, s.Clean, w)
		t = summary.Build(d.Orders, disp, s.Clean.HunterDiscount)
	}
	d.applyStats(t)
	custRules := clean.Customers(t, s.Clean)
	if d.stats != nil {
		d.stats.share(t)
	}
	if t.Len() == 0 {
		return fmt.Errorf("no customers left after cleaning (as-of %s): check the window and the cleaning rules", calendar.Format(w.AsOf))
	}
	d.disp, d.Customers = disp, t
	d.Clean = append(rows, custRules...)
	d.keys = rfm.Prepare(t)
	d.rank = tier.Rank(d.keys.Sorted("revenue"))
	d.feats = segment.NewFeatures(t, w.AsOf)
	d.asOf = w.AsOf
	d.cleanRules, d.cleanWin = s.Clean, w
	d.cleanRules.TestPatterns = slices.Clone(s.Clean.TestPatterns)
	d.cleanGen++
	d.buyerKey, d.seriesKey, d.tagKey, d.checkKey, d.predKey = buyerKey{}, seriesKey{}, tagKey{}, checkKey{}, predKey{}
	d.tierKey, d.stageKey = tierKey{}, stageKey{}
	d.scoreKeys, d.classKey, d.segmentKey = [3]ScoreKey{}, classKey{}, segmentKey{}
	d.res = newResult(t.Len())
	return nil
}

// DayRange returns the first and last day of the rows read (for a stats
// file, of the purchases it sums up); ok is false when there are none.
func (d *Dataset) DayRange() (first, last int32, ok bool) {
	if d.stats != nil && d.stats.len() > 0 {
		return slices.Min(d.stats.first), slices.Max(d.stats.last), true
	}
	return d.dayFrom, d.dayTo, d.dayFrom <= d.dayTo
}

// CleanGen counts the times the cleaned customer table was rebuilt: what
// is computed from it is still good while CleanGen returns the same.
func (d *Dataset) CleanGen() int { return d.cleanGen }

// ScoreKeys returns what the R, F and M scores of the last Run were
// computed from: equal keys, equal scores.
func (d *Dataset) ScoreKeys() [3]ScoreKey { return d.scoreKeys }

// Warm prepares, from the last Run's scenario, what the first move of a
// score cut would otherwise prepare (rfm.Keys.Warm): a host calls it when
// idle after a load. It does nothing before a Run.
func (d *Dataset) Warm() {
	if d.keys != nil && d.res != nil {
		d.keys.Warm(d.res.scenario.RFM)
	}
}

// Invalidate drops everything derived from the cleaning knobs, so the next
// Run cleans and summarizes again (benchmarks use it).
func (d *Dataset) Invalidate() { d.cleanGen = 0 }

// Run applies a scenario and returns the result. The Result's slices are
// reused by the next Run on the same Dataset.
//
// Only what a knob change touches is recomputed: scores, classes and
// segments on every run; tiers when the tier knobs change; stages when the
// lifecycle knobs or the as-of date change; tags when the tags or the as-of
// date change, or on every run when a tag reads scores.
func (d *Dataset) Run(s *scenario.Scenario) (*Result, error) {
	w, err := d.window(s)
	if err != nil {
		return nil, err
	}
	if err := d.prepare(s, w); err != nil {
		return nil, err
	}
	d.feats.SetAsOf(w.AsOf)
	r := d.res
	r.AsOfDay = w.AsOf
	r.scenario = *s
	r.Assigned = nil // a plan belongs to the segments it was made for
	t := d.Customers
	k := d.keys
	cfg := s.RFM

	// Scores and the eight classes: a dimension is re-scored only when its
	// thresholds or key changed, as when one slider moves; when only
	// thresholds moved, only the customers between their old and new
	// values are looked at, and moved lists those whose scores changed.
	var thr [3]int64
	var onScore [3]bool
	var keys [3][]int64
	scores := [3][]uint8{r.R, r.F, r.M}
	scoresBefore := d.scoreVersion
	moved, onlyMoved := d.moved[:0], true
	for i, dim := range []byte("RFM") {
		r.Bins[i] = k.Thresholds(cfg, dim, w.AsOf)
		keys[i] = k.Column(cfg, dim)
		thr[i], onScore[i] = k.SplitThreshold(cfg, dim, w.AsOf)
		r.Split[i] = splitEdge(dim, thr[i], onScore[i], w.AsOf, !d.Lean)
		sk := newScoreKey(&keys[i][0], r.Bins[i].Thresholds)
		sk.ranks = cfg.SplitsTies(dim)
		if prev := d.scoreKeys[i]; sk != prev {
			ok := false
			if prev.col == sk.col && prev.n == sk.n && !sk.ranks && !prev.ranks {
				moved, ok = k.Rescore(cfg, dim, prev.thr[:prev.n], r.Bins[i].Thresholds, scores[i], moved)
			}
			if !ok {
				if sk.ranks {
					k.ScoreRank(cfg, dim, r.Bins[i].Levels, scores[i])
				} else {
					k.ScoreDim(cfg, dim, r.Bins[i].Thresholds, scores[i])
				}
				onlyMoved = false
			}
			d.scoreKeys[i] = sk
			d.scoreVersion++
		}
	}
	d.moved = moved
	d.feats.SetScores(r.R, r.F, r.M)
	ck := classKey{&keys[0][0], &keys[1][0], &keys[2][0], thr, onScore, 0}
	if onScore != [3]bool{} {
		ck.scores = d.scoreVersion
	}
	changed := false
	if ck != d.classKey {
		rfm.Classify(keys, scores, thr, onScore, r.Class)
		d.classKey = ck
		changed = true
		r.labels[LabelClass]++
	}

	// The chosen segment scheme.
	sc, err := s.Scheme()
	if err != nil {
		return nil, err
	}
	var comp *segment.Compiled
	if sc == nil {
		r.SegmentNames = rfm.ClassNames[:]
		r.SegmentLabels = classLabels()
		r.Check = nil
	} else {
		if comp, err = d.compiled(s.Segments.Scheme, sc); err != nil {
			return nil, err
		}
		r.SegmentNames, r.SegmentLabels = sc.Names(), sc.Labels()
		r.Check = d.coverage(s.Segments.Scheme, comp, sc, [3]int{r.Bins[0].Levels, r.Bins[1].Levels, r.Bins[2].Levels})
	}
	r.Scheme = s.Segments.Scheme
	scoreOnly := comp == nil || comp.ScoreOnly() // rfm8's segments are the classes
	switch sk := (segmentKey{comp, d.scoreVersion}); {
	case sk == d.segmentKey && scoreOnly && !changed:
	case onlyMoved && scoreOnly && !changed && d.segmentKey == (segmentKey{comp, scoresBefore}):
		// Only the moved customers' scores changed since the segments were
		// assigned, and classes did not.
		if comp != nil && r.reassign(t, comp, moved) {
			r.labels[LabelSegment]++
		}
		d.segmentKey = sk
	default:
		if comp != nil {
			comp.Assign(d.feats, r.R, r.F, r.M, r.Segment)
		} else {
			copy(r.Segment, r.Class)
		}
		r.countSegments(t, r.Segment)
		d.segmentKey = sk
		r.labels[LabelSegment]++
	}

	// Tiers, stages, tags: only when their knobs change.
	if tk := (tierKey{s.Tiers, d.cleanGen}); tk != d.tierKey {
		r.TierThresholds = d.rank.Thresholds(s.Tiers)
		tier.Assign(t.Revenue, r.TierThresholds, r.Tier)
		r.TierCount, r.TierRev = countBy(t, r.Tier)
		d.tierKey = tk
		r.labels[LabelTier]++
	}
	r.Pred = nil
	if s.Predict.Enabled {
		pk := predKey{s.Predict, w.AsOf, d.cleanGen}
		if pk != d.predKey {
			p, err := d.predictAll(s.Predict, w.AsOf)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrPrediction, err)
			}
			d.pred, d.predKey = p, pk
		}
		r.Pred = d.pred
	}
	var pAlive []float64
	if r.Pred != nil {
		pAlive = r.Pred.PAlive
	}
	if sk := (stageKey{s.Lifecycle, w.AsOf, d.cleanGen, s.Predict}); sk != d.stageKey {
		lifecycle.Assign(t, s.Lifecycle, w.AsOf, pAlive, s.Predict.AtRiskBelow, r.Stage)
		r.StageCount, r.StageRev = countBy(t, r.Stage)
		d.stageKey = sk
		r.labels[LabelStage]++
	}
	r.TagRules = s.Tags
	if tk := (tagKey{w.AsOf, d.cleanGen}); tk != d.tagKey || !reflect.DeepEqual(s.Tags, d.tagRules) || readsScores(s.Tags) {
		segment.Tags(d.feats, s.Tags, r.Tags, r.scratch)
		r.countTags()
		d.tagKey, d.tagRules = tk, nil
		if !d.Lean { // a lean dataset is scored once: no need to keep what to compare with
			d.tagRules = segment.CloneRules(s.Tags)
		}
	}

	if d.Lean {
		r.Buyers, r.BuyerSeries = lifecycle.Split{}, nil
		return r, nil
	}
	bk := buyerKey{w.AsOf, s.Lifecycle.PeriodDays, d.cleanGen}
	if bk != d.buyerKey {
		if d.stats != nil {
			d.buyers = d.statsBuyers(t, w.AsOf, s.Lifecycle.PeriodDays)
		} else {
			d.buyers = lifecycle.BuyerSplit(d.Orders, d.disp, t, w.AsOf, s.Lifecycle.PeriodDays)
		}
		d.buyerKey = bk
	}
	r.Buyers = d.buyers
	if sk := (seriesKey{w.AsOf, d.cleanGen}); sk != d.seriesKey {
		d.series = nil
		if d.OrderLevel() == nil {
			d.series = lifecycle.BuyerSeries(d.Orders, d.disp, t, w.AsOf)
		}
		d.seriesKey = sk
	}
	r.BuyerSeries = d.series
	return r, nil
}

// ScoreKey identifies one dimension's scores: the key column (by its first
// element's address) and the thresholds.
type ScoreKey struct {
	col   *int64
	n     int
	thr   [rfm.MaxLevels]int64
	ranks bool // scored by rank (ties split), not by thr
}

func newScoreKey(col *int64, thr []int64) ScoreKey {
	k := ScoreKey{col: col, n: len(thr)}
	copy(k.thr[:], thr)
	return k
}

// classKey identifies the eight-class split.
type classKey struct {
	r, f, m *int64
	thr     [3]int64
	onScore [3]bool
	scores  int // score version, when a split reads scores
}

// segmentKey identifies the segment assignment.
type segmentKey struct {
	comp   *segment.Compiled
	scores int
}

type tierKey struct {
	cfg   tier.Config
	clean int
}

// predKey identifies the prediction.
type predKey struct {
	cfg   predict.Config
	asOf  int32
	clean int
}

// tagKey identifies the tags with the tag rules (Dataset.tagRules).
type tagKey struct {
	asOf  int32
	clean int
}

// buyerKey identifies the new/old buyer split.
type buyerKey struct {
	asOf       int32
	periodDays int
	clean      int
}

// seriesKey identifies the buyer series.
type seriesKey struct {
	asOf  int32
	clean int
}

// checkKey identifies a custom scheme's coverage check.
type checkKey struct {
	comp   *segment.Compiled
	levels [3]int
}

// presetCheckKey identifies a preset scheme's coverage check.
type presetCheckKey struct {
	name   string
	levels [3]int
}

type stageKey struct {
	cfg     lifecycle.Config
	asOf    int32
	clean   int
	predict predict.Config
}

// readsScores tells whether any tag condition reads R, F or M scores.
func readsScores(tags []segment.Rule) bool {
	for _, t := range tags {
		for _, c := range t.When {
			if strings.HasSuffix(c.Field, "_score") {
				return true
			}
		}
	}
	return false
}

// CompileScheme returns scheme sc, named name, compiled. Presets never
// change: a preset that reads only scores is compiled once per process (the
// worker scores each request apart) and shared, as a read-only table. A
// custom scheme, and a preset that reads features (its Compiled keeps a
// buffer), are compiled on each call.
func CompileScheme(name string, sc *segment.Scheme) (*segment.Compiled, error) {
	if name != "custom" {
		if c, ok := presetCompiled.Load(name); ok {
			return c.(*segment.Compiled), nil
		}
	}
	c, err := segment.Compile(*sc)
	if err == nil && name != "custom" && c.ScoreOnly() {
		presetCompiled.Store(name, c)
	}
	return c, err
}

// compiled is CompileScheme, keeping the custom schemes d used.
func (d *Dataset) compiled(name string, sc *segment.Scheme) (*segment.Compiled, error) {
	if name != "custom" {
		return CompileScheme(name, sc)
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "custom:%+v", *sc)
	key := buf.String()
	if c, ok := d.schemes[key]; ok {
		return c, nil
	}
	c, err := segment.Compile(*sc)
	if err != nil {
		return nil, err
	}
	if len(d.schemes) > 16 {
		clear(d.schemes)
	}
	d.schemes[key] = c
	return c, nil
}

// presetCompiled caches compiled preset schemes by name, and
// presetChecks their coverage checks by scheme and score levels.
var presetCompiled, presetChecks sync.Map

// classLabels returns the eight classes' labels (scenario.Classes), or
// none when the preset cannot be read.
var classLabels = sync.OnceValue(func() []segment.Label {
	cs, err := scenario.Classes()
	if err != nil {
		return nil
	}
	out := make([]segment.Label, len(cs))
	for i, c := range cs {
		out[i] = c.Label
	}
	return out
})

// ErrPrediction marks a run that failed because the purchase models could
// not be fitted with predictions on (too few customers, no repeat
// buyers…): the data is fine, and the same run without predictions works.
var ErrPrediction = errors.New("prediction")

// coverage returns the scheme's coverage check for the score levels, from
// a process-wide cache for presets.
func (d *Dataset) coverage(name string, comp *segment.Compiled, sc *segment.Scheme, levels [3]int) *segment.Check {
	if name != "custom" {
		key := presetCheckKey{name, levels}
		if ch, ok := presetChecks.Load(key); ok {
			return ch.(*segment.Check)
		}
		ch := sc.CheckCoverage(levels)
		presetChecks.Store(key, &ch)
		return &ch
	}
	if ck := (checkKey{comp, levels}); ck != d.checkKey {
		ch := sc.CheckCoverage(levels)
		d.check, d.checkKey = &ch, ck
	}
	return d.check
}

// splitEdge describes a class split threshold in natural units, and with
// text in words too.
func splitEdge(dim byte, t int64, onScore bool, asOf int32, text bool) SplitEdge {
	var e SplitEdge
	switch {
	case onScore:
		e = SplitEdge{Dim: string(dim), OnScore: true, Value: float64(t)}
	case dim == 'R':
		e = SplitEdge{Dim: "R", Value: float64(int64(asOf) - t)}
	case dim == 'F':
		e = SplitEdge{Dim: "F", Value: float64(t)}
	default:
		e = SplitEdge{Dim: "M", Value: float64(t) / 100}
	}
	if !text {
		return e
	}
	itoa := func(v int64) string { return strconv.FormatInt(v, 10) }
	switch {
	case onScore:
		e.Text = string(dim) + " score ≥ " + itoa(t)
	case dim == 'R':
		e.Text = "recency ≤ " + itoa(int64(asOf)-t) + " days"
	case dim == 'F':
		e.Text = "frequency ≥ " + itoa(t)
	default:
		e.Text = "monetary ≥ " + strconv.FormatFloat(float64(t)/100, 'f', 2, 64)
	}
	return e
}

// Disposition returns the row dispositions (summary.Sale, Adjustment,
// Dropped) of the last Run, nil before one. A dataset read from stats
// makes its order rows for it (see FromStats), up to MaxStatsRows.
func (d *Dataset) Disposition() []uint8 {
	if d.cleanGen > 0 {
		_ = d.rowLevel() // beyond MaxStatsRows, no rows: nil
	}
	return d.disp
}

// Keys returns the prepared RFM keys of the last Run.
func (d *Dataset) Keys() *rfm.Keys { return d.keys }

// Ranking returns the revenue ranking of the last Run.
func (d *Dataset) Ranking() *tier.Ranking { return d.rank }

// Features returns the feature cache of the last Run.
func (d *Dataset) Features() *segment.Features { return d.feats }
