package session

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"segsim/core/calendar"
	"segsim/core/engine"
	"segsim/core/predict"
	"segsim/core/strategy"
	"segsim/core/tier"
)

// PredictionView is the page's prediction panel: the fitted models, their
// warnings, the high-value customers most likely lost, and a
// calibration-versus-holdout check of the purchase model.
type PredictionView struct {
	Model string `json:"model"` // bgnbd, mbgnbd or pareto-nbd: whose parameters "bgnbd" holds
	// Comparison and ChosenBy, when the scenario asked for model "auto":
	// each model scored on the last quarter of the data, best first.
	Comparison  []engine.ModelScore `json:"comparison,omitempty"`
	ChosenBy    string              `json:"chosen_by,omitempty"`
	Unit        string              `json:"unit"`
	HorizonDays int                 `json:"horizon_days"`
	Customers   int                 `json:"customers"`
	BGNBD       map[string]float64  `json:"bgnbd"`
	BGNBDSE     map[string]float64  `json:"bgnbd_se,omitempty"` // standard errors, when the fit has them
	BGNBDLogLik float64             `json:"bgnbd_loglik"`
	Converged   bool                `json:"converged"`
	GammaGamma  map[string]float64  `json:"gamma_gamma,omitempty"`
	Warnings    []string            `json:"warnings"`
	Notes       []engine.FitNote    `json:"notes"` // the warnings as codes
	AtRiskBelow float64             `json:"at_risk_below"`
	Churn       []ChurnRow          `json:"churn"`
	ChurnTotal  int                 `json:"churn_total"`
	Holdout     *HoldoutView        `json:"holdout,omitempty"`
	HoldoutErr  string              `json:"holdout_error,omitempty"`
	MeanPAlive  float64             `json:"mean_p_alive"`
	TotalCLV    float64             `json:"total_clv"`
}

// ChurnRow is a high-value customer with a low probability of being alive.
type ChurnRow struct {
	ID      string  `json:"id"`
	Tier    string  `json:"tier"`
	Revenue float64 `json:"revenue"`
	PAlive  float64 `json:"p_alive"`
	// PAliveCI is the 90% delta-method interval of PAlive, when the fit
	// has a covariance.
	PAliveCI []float64 `json:"p_alive_ci,omitempty"`
	CLV      float64   `json:"clv"`
	// CLVCI is the 90% delta-method interval of CLV (both models'
	// parameters; predict.CLVUncertainty), when both fits have one.
	CLVCI     []float64 `json:"clv_ci,omitempty"`
	AtRisk    float64   `json:"value_at_risk"` // revenue × (1 − P(alive))
	LastOrder string    `json:"last_order"`
}

// HoldoutView compares, by calibration frequency, the mean purchases the
// model expected in a holdout period with those observed.
type HoldoutView struct {
	CalibrationEnd string       `json:"calibration_end"`
	HoldoutEnd     string       `json:"holdout_end"`
	Share          float64      `json:"share"`
	Rows           []HoldoutRow `json:"rows"`
	Actual         float64      `json:"actual"`
	Expected       float64      `json:"expected"`
	Warnings       []string     `json:"warnings,omitempty"`
}

// HoldoutRow is one calibration frequency of a HoldoutView.
type HoldoutRow struct {
	Frequency string  `json:"frequency"` // "0".."6", "7+"
	Customers int     `json:"customers"`
	Actual    float64 `json:"actual"`
	Expected  float64 `json:"expected"`
}

type holdoutKey struct {
	pred  *engine.Prediction
	share float64
	unit  predict.Unit
}

// Panels computes the page's prediction and plan panels for one Page,
// keeping the expensive parts (the holdout fit) between views.
type Panels struct {
	p          *Page
	holdoutKey holdoutKey
	holdout    *HoldoutView
	holdoutErr string
}

// NewPanels returns the panels of p.
func NewPanels(p *Page) *Panels { return &Panels{p: p} }

// engine.Prediction returns the prediction panel of r (nil when predictions are
// off): top customers of the core and important tiers with P(alive) below
// atRiskBelow (0.5 when 0), by value at risk, and a holdout fit on the last
// holdoutShare of the data span (cached while the predictions stand).
func (pp *Panels) Prediction(r *engine.Result, cfg predict.Config, holdoutShare float64, top int) *PredictionView {
	pr := r.Pred
	if pr == nil {
		return nil
	}
	p := pp.p
	t := p.d.Customers
	f := pr.Model
	v := &PredictionView{
		Model: f.ModelName, Unit: cfg.Unit, HorizonDays: cfg.HorizonDays, Customers: f.Summary.Len(),
		BGNBDLogLik: f.BGNBDReport.LogLikelihood, Converged: f.BGNBDReport.Converged,
		Warnings: f.Warnings(), Notes: append([]engine.FitNote{}, f.Notes...),
		Comparison: f.Comparison, ChosenBy: f.ChosenBy,
	}
	v.BGNBD, v.BGNBDSE = f.ParamMaps()
	if f.GGErr == nil {
		v.GammaGamma = map[string]float64{"p": f.GammaGamma.P, "q": f.GammaGamma.Q, "gamma": f.GammaGamma.Gamma}
	}
	below := cfg.AtRiskBelow
	if below <= 0 {
		below = 0.5
	}
	v.AtRiskBelow = below
	n := min(len(pr.PAlive), t.Len())
	var cand []int32
	for i := 0; i < n; i++ {
		v.MeanPAlive += pr.PAlive[i]
		v.TotalCLV += pr.CLV[i]
		if tr := tier.Tier(r.Tier[i]); tr != tier.Core && tr != tier.Important {
			continue
		}
		if pr.PAlive[i] < below {
			cand = append(cand, int32(i))
		}
	}
	if n > 0 {
		v.MeanPAlive /= float64(n)
	}
	v.ChurnTotal = len(cand)
	risk := func(i int32) float64 { return float64(t.Revenue[i]) / 100 * (1 - pr.PAlive[i]) }
	slices.SortFunc(cand, func(a, b int32) int {
		if c := cmp.Compare(risk(b), risk(a)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	_, est := f.Parameters()
	for _, i := range cand[:min(top, len(cand))] {
		row := ChurnRow{
			ID: t.ID(int(i)), Tier: tier.Names[r.Tier[i]], Revenue: float64(t.Revenue[i]) / 100,
			PAlive: round4(pr.PAlive[i]), CLV: math.Round(pr.CLV[i]*100) / 100, AtRisk: math.Round(risk(i)*100) / 100,
			LastOrder: calendar.Format(t.Last[i]),
		}
		if cov := f.BGNBDReport.LogCov; cov != nil && int(i) < f.Summary.Len() {
			x, tx, T := f.Summary.Frequency[i], f.Summary.Recency[i], f.Summary.T[i]
			g := func(q []float64) float64 { return f.ModelAt(q).PAlive(x, tx, T) }
			if lo, hi, ok := predict.DeltaInterval(g, est, cov, 0.9); ok {
				row.PAliveCI = []float64{round4(max(lo, 0)), round4(min(hi, 1))}
			}
			if f.GGErr == nil && f.GGReport.LogCov != nil {
				u := predict.CLVUncertainty{PurchasesAt: f.ModelAt, Params: est, LogCov: cov, Spend: f.GammaGamma, SpendLogCov: f.GGReport.LogCov}
				m, xm := max(f.Summary.Monetary[i], 0), x
				if m == 0 {
					xm = 0 // as the CLV itself: the population mean spend
				}
				months, monthLen, monthly := pr.Discounting()
				if iv, ok := u.CLVIntervals(xm, tx, T, m, []int{months}, monthLen, monthly, 0.9); ok {
					row.CLVCI = []float64{math.Round(iv[0].Lo*100) / 100, math.Round(iv[0].Hi*100) / 100}
				}
			}
		}
		v.Churn = append(v.Churn, row)
	}
	unit := predict.Week
	if cfg.Unit == "day" {
		unit = predict.Day
	}
	if k := (holdoutKey{pr, holdoutShare, unit}); k != pp.holdoutKey {
		pp.holdout, pp.holdoutErr = p.holdoutFit(r, holdoutShare, unit, cfg.Model)
		pp.holdoutKey = k
	}
	v.Holdout, v.HoldoutErr = pp.holdout, pp.holdoutErr
	return v
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// holdoutFit fits on the first 1 − share of the span from the first
// purchase to the day before the as-of date with the scenario's purchase
// model and compares with the rest.
func (p *Page) holdoutFit(r *engine.Result, share float64, unit predict.Unit, model string) (*HoldoutView, string) {
	t := p.d.Customers
	if t.Len() == 0 {
		return nil, "no customers"
	}
	share = min(max(share, 0.05), 0.5)
	first := slices.Min(t.First)
	end := r.AsOfDay - 1
	span := end - first
	cal := first + int32(math.Round(float64(span)*(1-share)))
	if cal <= first || cal >= end {
		return nil, "the data span is too short for a holdout period"
	}
	f, err := p.d.FitModels(engine.FitOptions{CalibrationEnd: cal, HoldoutEnd: end, Unit: unit, Model: model})
	if err != nil {
		return nil, err.Error()
	}
	h := &HoldoutView{CalibrationEnd: calendar.Format(cal), HoldoutEnd: calendar.Format(end), Share: share,
		Actual: math.Round(f.HoldoutActual*100) / 100, Expected: math.Round(f.HoldoutExpected*100) / 100, Warnings: f.Warnings()}
	for _, row := range f.Holdout {
		label := strconv.Itoa(row.Frequency)
		if row.Open {
			label += "+"
		}
		h.Rows = append(h.Rows, HoldoutRow{Frequency: label, Customers: row.Customers, Actual: round4(row.Actual), Expected: round4(row.Expected)})
	}
	return h, ""
}

// PlanView is the page's plan panel: the allocation and the
// profit-versus-budget curve, with a budget range for the slider.
type PlanView struct {
	Plan      *strategy.Plan        `json:"plan"`
	Curve     []strategy.CurvePoint `json:"curve"`
	MaxBudget float64               `json:"max_budget"`
	Playbooks []string              `json:"playbooks"`
	Replanned bool                  `json:"replanned"`
}

// curvePoints is the resolution of the profit-versus-budget curve.
const curvePoints = 24

// engine.Plan plans cfg on r with engine.Dataset.Plan (which sets r.Assigned) and
// computes the curve. When r already holds a plan of the same planner
// (same scores, playbook, grouping and ranking: replan true), only the
// budget is planned again, which is cheap; prev is the last view, whose
// curve is reused.
func (pp *Panels) Plan(r *engine.Result, cfg strategy.Config, replan bool, prev *PlanView) (*PlanView, error) {
	if replan && r.Assigned != nil && prev != nil {
		a := r.Assigned
		plan, err := a.Planner.PlanConfig(cfg)
		if err != nil {
			return nil, err
		}
		for s := range plan.Segments {
			if s < len(prev.Plan.Segments) {
				plan.Segments[s].WorthFrom = prev.Plan.Segments[s].WorthFrom
			}
		}
		a.Plan = plan
		a.Names = plan.ActionNames()
		a.Planner.Assign(plan, a.Action, a.Holdout)
		v := *prev
		v.Plan, v.Replanned = plan, true
		return &v, nil
	}
	plan, err := pp.p.d.Plan(r, cfg)
	if err != nil {
		return nil, err
	}
	pl := r.Assigned.Planner
	curve, err := pl.Curve(cfg.ChannelCaps, cfg.Holdout, curvePoints, plan)
	if err != nil {
		return nil, err
	}
	v := &PlanView{Plan: plan, Curve: curve, Playbooks: strategy.PresetPlaybooks()}
	top := 0.0
	if len(curve) > 0 {
		top = curve[len(curve)-1].Budget
	}
	// Beyond the curve's top no contact pays: the slider ends a little
	// past it.
	v.MaxBudget = niceCeil(max(top*1.25, plan.Budget, 100))
	return v, nil
}

// niceCeil rounds x up to 1, 2 or 5 times a power of ten.
func niceCeil(x float64) float64 {
	if x <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}
