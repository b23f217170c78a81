package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"segsim/core/calendar"
	"segsim/core/engine"
	"segsim/core/predict"
	"segsim/core/scenario"
)

func init() {
	commands["fit"] = fit
}

// fitOutput is what segsim fit prints.
type fitOutput struct {
	// Model names the purchase model whose parameters "bgnbd" holds (the
	// key predates the other models): bgnbd or mbgnbd (r, α, a, b), or
	// pareto-nbd (r, α, s, β). Params holds the same by name.
	Model  string             `json:"model"`
	Params map[string]float64 `json:"params"`
	// paramNames lists Params' names in the model's order, for the CSV.
	paramNames []string
	// Comparison and ChosenBy, with --model auto: every model scored on
	// the holdout, best first, and why the first was kept.
	Comparison []engine.ModelScore `json:"comparison,omitempty"`
	ChosenBy   string              `json:"chosen_by,omitempty"`
	BGNBD      struct {
		R      float64 `json:"r"`
		Alpha  float64 `json:"alpha"`
		A      float64 `json:"a,omitempty"`
		B      float64 `json:"b,omitempty"`
		S      float64 `json:"s,omitempty"`
		Beta   float64 `json:"beta,omitempty"`
		LogLik float64 `json:"loglik"`
		// StdErr holds the parameters' standard errors from the observed
		// information (r, alpha, a, b), when it could be inverted.
		StdErr map[string]float64 `json:"std_err,omitempty"`
		Report fitReport          `json:"report"`
	} `json:"bgnbd"`
	GammaGamma      *ggOutput            `json:"gamma_gamma"`
	GammaGammaError string               `json:"gamma_gamma_error,omitempty"`
	CalibrationEnd  string               `json:"calibration_end"`
	HoldoutEnd      string               `json:"holdout_end,omitempty"`
	Unit            string               `json:"unit"`
	Customers       int                  `json:"customers"`
	RepeatBuyers    int                  `json:"repeat_buyers"`
	Population      []populationPoint    `json:"population"`
	Holdout         []predict.HoldoutRow `json:"holdout,omitempty"`
	HoldoutActual   float64              `json:"holdout_actual,omitempty"`
	HoldoutExpected float64              `json:"holdout_expected,omitempty"`
	Warnings        []string             `json:"warnings,omitempty"`
}

// ggOutput is the Gamma-Gamma fit segsim fit prints: p, q and v (γ), and
// their standard errors from the observed information when it could be
// inverted.
type ggOutput struct {
	P      float64            `json:"p"`
	Q      float64            `json:"q"`
	V      float64            `json:"v"`
	StdErr map[string]float64 `json:"std_err,omitempty"`
	Report fitReport          `json:"report"`
}

// fitReport says how an optimisation went.
type fitReport struct {
	Converged   bool    `json:"converged"`
	Iterations  int     `json:"iterations"`
	Evaluations int     `json:"evaluations"`
	GradNorm    float64 `json:"grad_norm"`
	Customers   int     `json:"customers"`
	Groups      int     `json:"groups"`
	Millis      float64 `json:"ms"`
	Optimiser   string  `json:"optimiser"`
}

func reportOf(r predict.FitReport) fitReport {
	return fitReport{Converged: r.Converged, Iterations: r.Iterations, Evaluations: r.FuncEvaluations, GradNorm: r.GradNorm,
		Customers: r.Customers, Groups: r.Groups, Millis: float64(r.Runtime.Microseconds()) / 1000, Optimiser: r.Method}
}

// populationPoint is the expected repeat purchases per customer by time t
// (in the unit) and the probability of 0, 1, 2, 3 purchases in (0, t].
type populationPoint struct {
	T        float64   `json:"t"`
	Expected float64   `json:"expected_repeat_purchases"`
	PN       []float64 `json:"p_n,omitempty"` // P(X(t) = 0..3), for BG/NBD
}

func fit(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("segsim fit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	calEnd := fs.String("calibration-end", "", "last day of the calibration period, `YYYY-MM-DD` (default: the last order day)")
	holdEnd := fs.String("holdout-end", "", "last day of the holdout period, `YYYY-MM-DD` (default: no holdout)")
	unit := fs.String("unit", "week", "model time unit: day or week")
	summaryOut := fs.String("summary-out", "", "write customer_id,frequency,recency,T,monetary_value to `FILE`")
	predOut := fs.String("predictions-out", "", "write each customer's p_alive, expected purchases, expected spend per order and CLV over each horizon to `FILE` (CSV)")
	horizons := fs.String("horizon", "", "prediction horizons in --unit, comma-separated (default 13,26,52 weeks or 91,182,365 days)")
	yearly := fs.Float64("discount-rate", 0.1, "yearly discount rate of the CLV columns")
	intervals := fs.Float64("intervals", 0, "add `LEVEL` intervals (e.g. 0.9) of p_alive, the expected purchases, the expected spend and CLV to --predictions-out: the delta method on the parameters' covariance")
	var in inputFlags
	in.register(fs)
	model := fs.String("model", "bgnbd", "purchase model: bgnbd, mbgnbd (Batislam et al. 2007: a one-time buyer may have dropped out), pareto-nbd (Schmittlein et al. 1987: a customer may drop out at any moment), or auto: fit all three and keep the one closest to the holdout period (needs --holdout-end)")
	format := fs.String("format", "json", "output format: json or csv (the parameters, one per row)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: segsim fit [flags] FILE|-\n\nFits BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma by maximum likelihood and prints the\nparameters as JSON. frequency = repeat purchase days, recency = first to last purchase,\nT = first purchase to the calibration end, monetary = mean repeat purchase value.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	files, code := parseInterspersed(fs, args)
	if code >= 0 {
		return code
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "segsim fit: want one input FILE (or - for standard input), got %d\n", len(files))
		return 2
	}
	if !checkFormat("fit", *format, stderr, "json", "csv") {
		return 2
	}
	if !slices.Contains(predict.Models, *model) && *model != "auto" {
		fmt.Fprintf(stderr, "segsim fit: --model %q: want bgnbd, mbgnbd, pareto-nbd or auto\n", *model)
		return 2
	}
	if *unit != "day" && *unit != "week" {
		fmt.Fprintf(stderr, "segsim fit: --unit %q: want day or week\n", *unit)
		return 2
	}
	hs, err := parseHorizons(*horizons, *unit)
	if err != nil {
		fmt.Fprintf(stderr, "segsim fit: --horizon: %v\n", err)
		return 2
	}
	if *intervals != 0 && !(*intervals > 0.5 && *intervals < 1) {
		fmt.Fprintf(stderr, "segsim fit: --intervals %v: want a level between 0.5 and 1, such as 0.9\n", *intervals)
		return 2
	}
	pred := predictionsOut{path: *predOut, horizons: hs, yearly: *yearly, level: *intervals}
	if err := fitFile(files[0], *calEnd, *holdEnd, *unit, *summaryOut, *format, *model, in, stdin, stdout, pred); err != nil {
		fmt.Fprintf(stderr, "segsim fit: %v\n", err)
		return 1
	}
	return 0
}

// parseInterspersed parses flags that may come before or after file names.
// It returns the files and -1, or an exit code.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, int) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, 0
			}
			return nil, 2
		}
		if fs.NArg() == 0 {
			return files, -1
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func fitFile(path, calEnd, holdEnd, unit, summaryOut, format, model string, in inputFlags, stdin io.Reader, stdout io.Writer, pred predictionsOut) error {
	ds, err := in.readOrders(path, stdin)
	if err != nil {
		return err
	}
	sc := scenario.Default()
	sc.Clean.Outliers = "flag" // modelling keeps every buyer
	fo := engine.FitOptions{Model: model}
	fo.Unit = predict.Week
	if unit == "day" {
		fo.Unit = predict.Day
	}
	if holdEnd != "" {
		if fo.HoldoutEnd, err = calendar.Parse(holdEnd); err != nil {
			return fmt.Errorf("--holdout-end: %w", err)
		}
		sc.Window.AsOf = calendar.Format(fo.HoldoutEnd + 1)
	}
	if _, err := ds.Run(sc); err != nil {
		return err
	}
	if calEnd != "" {
		if fo.CalibrationEnd, err = calendar.Parse(calEnd); err != nil {
			return fmt.Errorf("--calibration-end: %w", err)
		}
	} else {
		fo.CalibrationEnd = ds.LastDay
	}
	if holdEnd != "" && fo.HoldoutEnd <= fo.CalibrationEnd {
		return fmt.Errorf("--holdout-end %s is not after the calibration end %s", holdEnd, calendar.Format(fo.CalibrationEnd))
	}
	f, err := ds.FitModels(fo)
	if err != nil {
		return err
	}
	var out fitOutput
	out.Model = f.ModelName
	out.Comparison, out.ChosenBy = f.Comparison, f.ChosenBy
	out.Params, out.BGNBD.StdErr = f.ParamMaps()
	out.paramNames, _ = f.Parameters()
	if f.ModelName == "pareto-nbd" {
		out.BGNBD.R, out.BGNBD.Alpha, out.BGNBD.S, out.BGNBD.Beta = f.Pareto.R, f.Pareto.Alpha, f.Pareto.S, f.Pareto.Beta
	} else {
		m := f.BGNBD
		out.BGNBD.R, out.BGNBD.Alpha, out.BGNBD.A, out.BGNBD.B = m.R, m.Alpha, m.A, m.B
	}
	out.BGNBD.LogLik, out.BGNBD.Report = f.BGNBDReport.LogLikelihood, reportOf(f.BGNBDReport)
	if f.GGErr == nil {
		out.GammaGamma = &ggOutput{P: f.GammaGamma.P, Q: f.GammaGamma.Q, V: f.GammaGamma.Gamma, Report: reportOf(f.GGReport)}
		if se := f.GGReport.StdErr; len(se) == 3 {
			out.GammaGamma.StdErr = map[string]float64{"p": se[0], "q": se[1], "v": se[2]}
		}
	} else {
		out.GammaGammaError = f.GGErr.Error()
	}
	out.CalibrationEnd, out.Unit = calendar.Format(fo.CalibrationEnd), unit
	if holdEnd != "" {
		out.HoldoutEnd = calendar.Format(fo.HoldoutEnd)
		out.Holdout, out.HoldoutActual, out.HoldoutExpected = f.Holdout, f.HoldoutActual, f.HoldoutExpected
	}
	out.Customers = f.Summary.Len()
	out.Warnings = f.Warnings()
	if pred.path != "" && pred.level > 0 && f.GGErr == nil && f.GGReport.LogCov == nil {
		out.Warnings = append(out.Warnings, "the spend model's information matrix is singular: the expected_spend and clv intervals are left empty")
	}
	for _, x := range f.Summary.Frequency {
		if x > 0 {
			out.RepeatBuyers++
		}
	}
	perYear := 365.25 / float64(fo.Unit)
	for _, years := range []float64{0.25, 0.5, 1, 2} {
		t := years * perYear
		p := populationPoint{T: t, Expected: f.Purchases.ExpectedRepeatPurchases(t)}
		if model == "bgnbd" { // P(X(t) = n) is BG/NBD's formula
			for n := range 4 {
				p.PN = append(p.PN, f.BGNBD.ProbNPurchases(n, t))
			}
		}
		out.Population = append(out.Population, p)
	}
	if format == "csv" {
		err = fitCSV(stdout, out)
	} else {
		err = writeIndentedJSON(stdout, out)
	}
	if err != nil {
		return err
	}
	if pred.path != "" {
		if err := pred.write(f); err != nil {
			return err
		}
	}
	if summaryOut != "" {
		return writeFitSummary(summaryOut, f)
	}
	return nil
}

// predictionsOut is where --predictions-out writes, for which horizons (in
// model units) and at what yearly discount rate.
type predictionsOut struct {
	path     string
	horizons []float64
	yearly   float64
	level    float64 // intervals at this level; 0 for none
}

// parseHorizons reads --horizon: whole numbers of units, ascending.
func parseHorizons(s, unit string) ([]float64, error) {
	if s == "" {
		if unit == "day" {
			return engine.DefaultHorizons(predict.Day), nil
		}
		return engine.DefaultHorizons(predict.Week), nil
	}
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 1 || v > 5200 {
			return nil, fmt.Errorf("%q is not a whole number of %ss from 1 to 5200", f, unit)
		}
		out = append(out, float64(v))
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// write writes the predictions (engine.Fit.WritePredictions) to the file.
func (p predictionsOut) write(f *engine.Fit) error {
	w, err := os.Create(p.path)
	if err != nil {
		return fmt.Errorf("--predictions-out: %w", err)
	}
	if err := f.WritePredictions(w, engine.PredictionsOptions{Horizons: p.horizons, Yearly: p.yearly, Level: p.level}); err != nil {
		w.Close()
		return fmt.Errorf("--predictions-out: %w", err)
	}
	return w.Close()
}

// fitCSV writes the fitted parameters and log-likelihoods, one per row.
func fitCSV(w io.Writer, out fitOutput) error {
	b := out.BGNBD
	names := out.paramNames
	var rows [][]string
	for _, k := range names {
		rows = append(rows, []string{out.Model, k, ftoa(out.Params[k])})
	}
	rows = append(rows, []string{out.Model, "loglik", ftoa(b.LogLik)})
	for _, k := range names {
		if se, ok := b.StdErr[k]; ok {
			rows = append(rows, []string{out.Model, "se_" + k, ftoa(se)})
		}
	}
	if g := out.GammaGamma; g != nil {
		rows = append(rows, []string{"gamma_gamma", "p", ftoa(g.P)}, []string{"gamma_gamma", "q", ftoa(g.Q)}, []string{"gamma_gamma", "v", ftoa(g.V)})
		for _, k := range []string{"p", "q", "v"} {
			if se, ok := g.StdErr[k]; ok {
				rows = append(rows, []string{"gamma_gamma", "se_" + k, ftoa(se)})
			}
		}
	}
	return writeCSV(w, []string{"model", "parameter", "value"}, rows)
}

func writeFitSummary(path string, f *engine.Fit) error {
	w, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--summary-out: %w", err)
	}
	b := []byte("customer_id,frequency,recency,T,monetary_value\n")
	s := f.Summary
	for i, id := range f.IDs {
		b = append(b, id...)
		for _, v := range []float64{s.Frequency[i], s.Recency[i], s.T[i], s.Monetary[i]} {
			b = append(b, ',')
			b = strconv.AppendFloat(b, v, 'f', -1, 64)
		}
		b = append(b, '\n')
	}
	if _, err := w.Write(b); err != nil {
		w.Close()
		return fmt.Errorf("--summary-out: %w", err)
	}
	return w.Close()
}
