package engine

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/predict"
	"segsim/core/summary"
)

// FitOptions chooses the calibration period and time unit of a fit.
type FitOptions struct {
	// CalibrationEnd is the last day of the calibration period (inclusive).
	CalibrationEnd int32
	// HoldoutEnd, when after CalibrationEnd, ends a holdout period whose
	// purchases are compared with the model's expectations.
	HoldoutEnd int32
	// Unit is the model's time unit: predict.Day or predict.Week.
	Unit predict.Unit
	// Model is the purchase model: "bgnbd" ("" too), "mbgnbd" or
	// "pareto-nbd".
	Model string
}

// Fit is a fitted BG/NBD and Gamma-Gamma model with the data behind it.
type Fit struct {
	Options FitOptions
	IDs     []string // customer ids, in summary order
	Summary predict.Summary
	// Purchases is the fitted purchase model, named by ModelName (bgnbd,
	// mbgnbd or pareto-nbd); BGNBD holds the four parameters of the first
	// two (r, α, a, b), Pareto those of the third (r, α, s, β), and
	// BGNBDReport the purchase model's fit report. Parameters lists them
	// by name whichever the model.
	Purchases   predict.PurchaseModel
	ModelName   string
	BGNBD       predict.BGNBD
	Pareto      predict.ParetoNBD
	BGNBDReport predict.FitReport
	// GammaGamma is fitted on repeat buyers; GGErr says why it is missing.
	GammaGamma predict.GammaGamma
	GGReport   predict.FitReport
	GGErr      error
	// Holdout compares expected with actual holdout purchases by
	// calibration frequency; nil without a holdout period.
	Holdout []predict.HoldoutRow
	// HoldoutTotal holds the total actual and expected holdout purchases.
	HoldoutActual, HoldoutExpected float64
	// Notes say plainly what the data does not support, as codes (a page
	// says them in its language); Warnings gives them in English.
	Notes []FitNote
	// Comparison, after a fit with Model "auto", scores every purchase
	// model on the holdout period, best first; ChosenBy says why the first
	// was chosen.
	Comparison []ModelScore
	ChosenBy   string
}

// ModelScore is one purchase model fitted on the calibration period and
// checked on the holdout: BucketError is the customer-weighted mean
// absolute difference between the mean actual and expected holdout
// purchases over the calibration-frequency buckets (0, 1, …, 6, 7+);
// TotalError the relative difference of the totals, (expected − actual) /
// actual (0 when no purchase was observed). Err says why a model could
// not be fitted (its errors are then -1 and 0).
type ModelScore struct {
	Model         string  `json:"model"`
	LogLikelihood float64 `json:"loglik"`
	BucketError   float64 `json:"bucket_error"`
	TotalError    float64 `json:"total_error"`
	Err           string  `json:"error,omitempty"`
}

// fitAuto fits every purchase model on the calibration period, scores it
// on the holdout, and returns the best model's fit (by bucket error) with
// the comparison.
func (d *Dataset) fitAuto(opt FitOptions) (*Fit, error) {
	if opt.HoldoutEnd <= opt.CalibrationEnd {
		return nil, errors.New("fit: model auto compares the models on a holdout period: give a holdout end after the calibration end")
	}
	var scores []ModelScore
	fits := map[string]*Fit{}
	for _, m := range predict.Models {
		o := opt
		o.Model = m
		f, err := d.FitModels(o)
		if err != nil {
			scores = append(scores, ModelScore{Model: m, Err: err.Error(), BucketError: -1})
			continue
		}
		fits[m] = f
		var n, abs float64
		for _, r := range f.Holdout {
			n += float64(r.Customers)
			abs += float64(r.Customers) * math.Abs(r.Actual-r.Expected)
		}
		sc := ModelScore{Model: m, LogLikelihood: f.BGNBDReport.LogLikelihood, BucketError: abs / n}
		if f.HoldoutActual > 0 {
			sc.TotalError = (f.HoldoutExpected - f.HoldoutActual) / f.HoldoutActual
		}
		scores = append(scores, sc)
	}
	// Best first; models that could not be fitted last.
	slices.SortStableFunc(scores, func(a, b ModelScore) int {
		if (a.Err != "") != (b.Err != "") {
			return cmp.Compare(len(a.Err), len(b.Err)) // "" first
		}
		return cmp.Compare(a.BucketError, b.BucketError)
	})
	best := fits[scores[0].Model]
	if best == nil {
		return nil, fmt.Errorf("fit: no purchase model could be fitted: %s", scores[0].Err)
	}
	best.Comparison = scores
	best.ChosenBy = fmt.Sprintf("smallest holdout error per frequency bucket: %.4f purchases per customer (next: %s %.4f)", scores[0].BucketError, scores[1].Model, scores[1].BucketError)
	return best, nil
}

// Parameters returns the purchase model's parameter names and values, in
// the order of its fit report's standard errors.
func (f *Fit) Parameters() ([]string, []float64) {
	if f.ModelName == "pareto-nbd" {
		m := f.Pareto
		return []string{"r", "alpha", "s", "beta"}, []float64{m.R, m.Alpha, m.S, m.Beta}
	}
	m := f.BGNBD
	return []string{"r", "alpha", "a", "b"}, []float64{m.R, m.Alpha, m.A, m.B}
}

// ParamMaps returns the purchase model's parameters by name and their
// standard errors by name (nil when the fit has none).
func (f *Fit) ParamMaps() (params, stdErr map[string]float64) {
	names, vals := f.Parameters()
	se := f.BGNBDReport.StdErr
	params = make(map[string]float64, len(names))
	if len(se) == len(names) {
		stdErr = make(map[string]float64, len(names))
	}
	for i, n := range names {
		params[n] = vals[i]
		if stdErr != nil {
			stdErr[n] = se[i]
		}
	}
	return params, stdErr
}

// ModelAt returns the purchase model with other parameter values (in the
// order of Parameters), for intervals by the delta method.
func (f *Fit) ModelAt(p []float64) predict.PurchaseModel {
	switch f.ModelName {
	case "pareto-nbd":
		return predict.ParetoNBD{R: p[0], Alpha: p[1], S: p[2], Beta: p[3]}
	case "mbgnbd":
		return predict.MBGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3]}
	}
	return predict.BGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3]}
}

// Warnings returns the fit's notes in English.
func (f *Fit) Warnings() []string {
	w := make([]string, len(f.Notes))
	for i, n := range f.Notes {
		w[i] = n.Text()
	}
	return w
}

// Few buyers make the parameters uncertain; commercial tools hide
// predictions below 500 to 1,000 buyers. segsim shows them with a warning.
const (
	fewCustomers    = 1000
	fewRepeatBuyers = 100
)

// FitNote is one fit warning as a code (a key of FitNotes) with the count
// or the detail it names.
type FitNote struct {
	Code   string `json:"code"`
	N      int    `json:"n,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// FitNotes holds the English of each fit warning code: {n} stands for the
// count, {s} for the detail.
var FitNotes = map[string]string{
	"dropped":     "{n} repeat buyers with no positive repeat spend are left out of the spend model",
	"few_cust":    "only {n} customers: the fitted parameters are uncertain; treat predictions as rough",
	"few_repeat":  "only {n} repeat buyers: spend (Gamma-Gamma) and CLV rest on little data",
	"no_converge": "the purchase model's fit did not converge: {s}",
	"no_gg":       "no Gamma-Gamma model, so no CLV: {s}",
}

// Text returns the note in English.
func (n FitNote) Text() string {
	return strings.NewReplacer("{n}", strconv.Itoa(n.N), "{s}", n.Detail).Replace(FitNotes[n.Code])
}

// warn adds a warning by its code and the count or detail it names.
func (f *Fit) warn(code string, n int, detail string) {
	f.Notes = append(f.Notes, FitNote{Code: code, N: n, Detail: detail})
}

// FitModels fits BG/NBD (and Gamma-Gamma on the repeat buyers) to the
// cleaned orders of the last Run, for the customers whose first purchase
// falls on or before the calibration end. Orders must reach at least to the
// holdout end: run with an as-of date after it.
func (d *Dataset) FitModels(opt FitOptions) (*Fit, error) {
	if d.Customers == nil {
		return nil, errors.New("fit: run the dataset first")
	}
	if opt.Model == predict.ModelAuto {
		return d.fitAuto(opt)
	}
	if opt.Unit <= 0 {
		opt.Unit = predict.Week
	}
	t := d.Customers
	if err := d.rowLevel(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPrediction, err)
	}
	days, amounts := purchaseDays(d.Orders, d.disp, t)
	d.repeatSpend(t, amounts)
	// The cohort: customers who bought by the calibration end.
	f := &Fit{Options: opt}
	var cd [][]int32
	var ca [][]float64
	for i := range days {
		if len(days[i]) > 0 && days[i][0] <= opt.CalibrationEnd {
			cd = append(cd, days[i])
			ca = append(ca, amounts[i])
			f.IDs = append(f.IDs, t.ID(i))
		}
	}
	if len(cd) == 0 {
		return nil, fmt.Errorf("fit: no customer bought on or before the calibration end %s", calendar.Format(opt.CalibrationEnd))
	}
	s, err := predict.SummaryFromDays(cd, ca, opt.CalibrationEnd, opt.Unit)
	if err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	f.Summary = s
	switch opt.Model {
	case "mbgnbd":
		var m predict.MBGNBD
		if m, f.BGNBDReport, err = predict.FitMBGNBD(s, predict.FitOptions{}); err != nil {
			return nil, fmt.Errorf("fit: %w", err)
		}
		f.Purchases, f.ModelName, f.BGNBD = m, "mbgnbd", predict.BGNBD(m)
	case "pareto-nbd":
		if f.Pareto, f.BGNBDReport, err = predict.FitParetoNBD(s, predict.FitOptions{}); err != nil {
			return nil, fmt.Errorf("fit: %w", err)
		}
		f.Purchases, f.ModelName = f.Pareto, "pareto-nbd"
	case "", "bgnbd":
		if f.BGNBD, f.BGNBDReport, err = predict.FitBGNBD(s, predict.FitOptions{}); err != nil {
			return nil, fmt.Errorf("fit: %w", err)
		}
		f.Purchases, f.ModelName = f.BGNBD, "bgnbd"
	default:
		return nil, fmt.Errorf("fit: model %q is not bgnbd, mbgnbd, pareto-nbd or auto", opt.Model)
	}
	// Gamma-Gamma needs a positive mean spend: repeat buyers whose repeat
	// purchases were free or refunded are left out of its fit.
	var ggF, ggM []float64
	dropped := 0
	for i, x := range s.Frequency {
		if x > 0 && s.Monetary[i] > 0 {
			ggF, ggM = append(ggF, x), append(ggM, s.Monetary[i])
		} else if x > 0 {
			dropped++
		}
	}
	f.GammaGamma, f.GGReport, f.GGErr = predict.FitGammaGamma(ggF, ggM)
	if dropped > 0 {
		f.warn("dropped", dropped, "")
	}
	repeat := 0
	for _, x := range s.Frequency {
		if x > 0 {
			repeat++
		}
	}
	if s.Len() < fewCustomers {
		f.warn("few_cust", s.Len(), "")
	}
	if repeat < fewRepeatBuyers {
		f.warn("few_repeat", repeat, "")
	}
	if !f.BGNBDReport.Converged {
		f.warn("no_converge", 0, f.BGNBDReport.Status)
	}
	if f.GGErr != nil {
		f.warn("no_gg", 0, f.GGErr.Error())
	}
	if opt.HoldoutEnd > opt.CalibrationEnd {
		hold, err := predict.HoldoutCounts(cd, opt.CalibrationEnd, opt.HoldoutEnd)
		if err != nil {
			return nil, fmt.Errorf("fit: %w", err)
		}
		dur := float64(opt.HoldoutEnd-opt.CalibrationEnd) / float64(opt.Unit)
		if f.Holdout, err = predict.HoldoutTable(f.Purchases, s, hold, dur, 7); err != nil {
			return nil, fmt.Errorf("fit: %w", err)
		}
		for _, r := range f.Holdout {
			f.HoldoutActual += r.Actual * float64(r.Customers)
			f.HoldoutExpected += r.Expected * float64(r.Customers)
		}
	}
	return f, nil
}

// purchaseDays lists each customer's distinct purchase days (sorted) with
// the value bought on each, from the Sale rows.
func purchaseDays(o *ingest.Orders, disp []uint8, t *summary.Customers) ([][]int32, [][]float64) {
	pos := t.Rows(o.Customers.Len())
	type buy struct {
		day   int32
		cents int64
	}
	rows := make([][]buy, t.Len())
	for i, c := range o.Cust {
		if disp[i] != summary.Sale || pos[c] < 0 {
			continue
		}
		p := pos[c]
		rows[p] = append(rows[p], buy{o.Day[i], o.Cents[i]})
	}
	days := make([][]int32, t.Len())
	amounts := make([][]float64, t.Len())
	for i, r := range rows {
		sortBuys := false
		for k := 1; k < len(r); k++ {
			if r[k].day < r[k-1].day {
				sortBuys = true
				break
			}
		}
		if sortBuys {
			sortByDay(r, func(b buy) int32 { return b.day })
		}
		for k, b := range r {
			if k > 0 && b.day == r[k-1].day {
				amounts[i][len(amounts[i])-1] += float64(b.cents) / 100
				continue
			}
			days[i] = append(days[i], b.day)
			amounts[i] = append(amounts[i], float64(b.cents)/100)
		}
	}
	return days, amounts
}

func sortByDay[T any](s []T, day func(T) int32) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && day(s[j]) < day(s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// Prediction holds per-customer predictions for a Result, in customer
// order: P(alive), expected purchases over the horizon, expected average
// order value and CLV.
type Prediction struct {
	Model      *Fit
	PAlive     []float64
	Expected   []float64
	ExpAOV     []float64
	CLV        []float64
	HorizonDay int
	unit       predict.Unit
	rate       float64 // yearly discount rate
}

// Discounting returns how the CLV is discounted: monthly over the
// horizon, from the yearly rate — the number of months, a month in the
// fit's unit, and the monthly rate.
func (p *Prediction) Discounting() (months int, monthLen, monthly float64) {
	months = max(1, int(math.Round(float64(p.HorizonDay)/30.4375)))
	return months, 30.4375 / float64(p.unit), math.Pow(1+p.rate, 1.0/12) - 1
}

// predictAll fits on the data of the last Run (calibration end = the day
// before the as-of date) and predicts every customer.
func (d *Dataset) predictAll(cfg predict.Config, asOf int32) (*Prediction, error) {
	unit := predict.Week
	if cfg.Unit == "day" {
		unit = predict.Day
	}
	model := cfg.Model
	var auto *Fit
	if model == predict.ModelAuto {
		// Choose on the data itself: calibrate on the first three quarters
		// of the span, score on the last quarter, then fit the winner on
		// everything.
		first := asOf - 1
		for _, day := range d.Customers.First {
			first = min(first, day)
		}
		cal := first + (asOf-1-first)*3/4
		if asOf-1-cal < 28 {
			return nil, fmt.Errorf("%w: choosing the model needs a data span of at least 16 weeks to hold the last quarter out", ErrPrediction)
		}
		var err error
		if auto, err = d.FitModels(FitOptions{CalibrationEnd: cal, HoldoutEnd: asOf - 1, Unit: unit, Model: predict.ModelAuto}); err != nil {
			return nil, err
		}
		model = auto.ModelName
	}
	f, err := d.FitModels(FitOptions{CalibrationEnd: asOf - 1, Unit: unit, Model: model})
	if err != nil {
		return nil, err
	}
	if auto != nil {
		f.Comparison, f.ChosenBy = auto.Comparison, auto.ChosenBy
	}
	n := f.Summary.Len()
	p := &Prediction{Model: f, PAlive: make([]float64, n), Expected: make([]float64, n), ExpAOV: make([]float64, n), CLV: make([]float64, n),
		HorizonDay: cfg.HorizonDays, unit: unit, rate: cfg.DiscountRate}
	horizon := float64(cfg.HorizonDays) / float64(unit)
	months, monthLen, monthly := p.Discounting()
	s := f.Summary
	for i := 0; i < n; i++ {
		x, tx, T := s.Frequency[i], s.Recency[i], s.T[i]
		p.PAlive[i] = f.Purchases.PAlive(x, tx, T)
		p.Expected[i] = f.Purchases.ExpectedPurchases(horizon, x, tx, T)
		if f.GGErr == nil {
			m := max(s.Monetary[i], 0)
			xm := x
			if m == 0 {
				xm = 0 // no usable spend history: the population mean
			}
			p.ExpAOV[i] = f.GammaGamma.ConditionalExpectedValue(xm, m)
			p.CLV[i] = predict.CLV(f.Purchases, f.GammaGamma, xm, tx, T, m, months, monthLen, monthly)
		}
	}
	return p, nil
}
