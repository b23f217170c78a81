package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"segsim/core/calendar"
	"segsim/core/simulate"
)

func init() {
	commands["project"] = projectCmd
}

// shiftList reads repeated --shift from:to:delta flags.
type shiftList []simulate.Shift

func (s *shiftList) String() string { return fmt.Sprint(*s) }

func (s *shiftList) Set(v string) error {
	parts := strings.Split(v, ":")
	var d float64
	if len(parts) != 3 {
		return fmt.Errorf("%q is not from:to:delta", v)
	}
	if _, err := fmt.Sscan(parts[2], &d); err != nil {
		return fmt.Errorf("%q: delta %q is not a number", v, parts[2])
	}
	*s = append(*s, simulate.Shift{From: parts[0], To: parts[1], Delta: d})
	return nil
}

func projectCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("segsim project", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var l loadFlags
	l.register(fs, "table, csv or json")
	periods := fs.Int("periods", 0, "periods to project `K` (default: the scenario's simulate.periods, else 12)")
	periodDays := fs.Int("period-days", 0, "length of a period in days (default 30)")
	by := fs.String("by", "", "states that migrate: class, stage or segment (default class)")
	inflow := fs.Float64("inflow", -1, "new customers per period, held flat (negative: from the data, by calendar month when it covers a year or more, else the last period's)")
	target := fs.Float64("gmv-target", 0, "solve the KPI tree for this GMV per period")
	var shifts shiftList
	fs.Var(&shifts, "shift", "campaign effect `from:to:delta`, moving delta of from's transition probability to to (repeatable)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: segsim project --periods K [flags] FILE|-\n\n"+
			"Estimates the migration matrix between states from scoring at as-of minus one period and at as-of,\n"+
			"projects customers, active customers and GMV forward, and solves the GMV KPI tree both ways.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	path, code := parseArgs(fs, args, stderr)
	if code >= 0 {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "segsim project: %v\n", err)
		return 1
	}
	if !checkFormat("project", l.format, stderr, "table", "csv", "json") {
		return 2
	}
	sc, err := readScenario(l.scenario, "")
	if err != nil {
		return fail(err)
	}
	cfg := sc.Simulate
	if *periods != 0 {
		cfg.Periods = *periods
	}
	if *periodDays != 0 {
		cfg.PeriodDays = *periodDays
	}
	if *by != "" {
		cfg.By = *by
	}
	if *inflow >= 0 {
		cfg.Inflow = *inflow
	}
	if *target > 0 {
		cfg.GMVTarget = *target
	}
	cfg.Shifts = append(cfg.Shifts, shifts...)
	if err := cfg.Validate(); err != nil {
		return fail(err)
	}
	ds, res, err := loadData(path, l, sc, stdin, stderr)
	if err != nil {
		return fail(err)
	}
	m, res, err := ds.Migration(sc, cfg)
	if err != nil {
		return fail(err)
	}
	proj, err := m.Project(cfg.Periods, cfg.Inflow, cfg.Shifts, simulate.NewCalendar(res.BuyerSeries, res.AsOfDay, cfg.PeriodDays), nil)
	if err != nil {
		return fail(err)
	}
	kpi := simulate.MeasureKPI(ds.Orders, ds.Disposition(), ds.Customers, res.AsOfDay, cfg.PeriodDays, sc.Lifecycle.ChurnDays)
	w, done, err := output(l.out, stdout)
	if err != nil {
		return fail(err)
	}
	switch l.format {
	case "json":
		err = writeIndentedJSON(w, struct {
			Migration  *simulate.Matrix     `json:"migration"`
			Projection *simulate.Projection `json:"projection"`
			KPI        simulate.KPI         `json:"kpi"`
			Target     *simulate.KPISolve   `json:"target,omitempty"`
		}{m, proj, kpi, solveFor(kpi, cfg.GMVTarget)})
	case "csv":
		err = projectCSV(w, m, proj)
	default:
		printProjection(w, m, proj, cfg, res.AsOfDay)
		printKPI(w, kpi, cfg.GMVTarget)
	}
	if err != nil {
		return fail(err)
	}
	if err := done(); err != nil {
		return fail(err)
	}
	return 0
}

func printProjection(w io.Writer, m *simulate.Matrix, p *simulate.Projection, cfg simulate.Config, asOf int32) {
	fmt.Fprintf(w, "migration by %s over %d days to %s (row: state before, column: state after, %% of row)\n\n", cfg.By, cfg.PeriodDays, calendar.Format(asOf))
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "from \\ to\t")
	for k := range m.States {
		fmt.Fprintf(tw, "%s\t", m.States[k])
	}
	fmt.Fprint(tw, "customers\t\n")
	for i, s := range m.States {
		fmt.Fprintf(tw, "%s\t", s)
		n := 0
		for j := range m.States {
			n += m.Counts[i][j]
			fmt.Fprintf(tw, "%.1f\t", m.Prob[i][j]*100)
		}
		fmt.Fprintf(tw, "%s\t\n", num(n))
	}
	fmt.Fprint(tw, "entered\t")
	for _, e := range m.Entered {
		fmt.Fprintf(tw, "%s\t", num(e))
	}
	fmt.Fprint(tw, "\t\n")
	tw.Flush()

	basis := map[string]string{"calendar": "by calendar month", "last_period": "as in the last period", "set": "as set"}[p.InflowBasis]
	fmt.Fprintf(w, "\nprojection: %d periods of %d days, inflow %s, %.0f new customers per period on average", len(p.Periods), cfg.PeriodDays, basis, p.Inflow)
	for _, s := range cfg.Shifts {
		fmt.Fprintf(w, "; shift %s→%s +%.1f pts", s.From, s.To, s.Delta*100)
	}
	fmt.Fprint(w, "\n")
	for _, n := range p.Notes {
		fmt.Fprintf(w, "  note: %s\n", n.Text())
	}
	fmt.Fprint(w, "\n")
	tw = tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "period\tstart\tinflow\tfactor\t")
	for _, s := range m.States {
		fmt.Fprintf(tw, "%s\t", s)
	}
	fmt.Fprint(tw, "total\tactive\tGMV\t\n")
	fmt.Fprint(tw, "now\t\t\t\t")
	total := 0
	for _, c := range m.Now {
		fmt.Fprintf(tw, "%s\t", num(c))
		total += c
	}
	fmt.Fprintf(tw, "%s\t\t\t\n", num(total))
	for _, per := range p.Periods {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.2f\t", per.Period, per.Start, num(int(math.Round(per.Inflow))), per.Factor)
		for _, c := range per.Customers {
			fmt.Fprintf(tw, "%s\t", num(int(math.Round(c))))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", num(int(math.Round(per.Total))), num(int(math.Round(per.Active))), money(per.GMV))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nactive = Σ customers × the state's share who bought in the last period, the customers carried over × the period's\n"+
		"month-of-year factor; GMV adds their mean spend.")
}

// solveFor solves the KPI tree for a target, or returns nil without one.
func solveFor(k simulate.KPI, target float64) *simulate.KPISolve {
	if target <= 0 {
		return nil
	}
	s := k.Solve(target)
	return &s
}

func printKPI(w io.Writer, k simulate.KPI, target float64) {
	fmt.Fprintf(w, "\nKPI tree %s..%s\n", k.Start, k.End)
	fmt.Fprintf(w, "  GMV %s = new buyers %s × new AOV %s + old base %s × repurchase rate %.1f%% × old AOV %s + reactivated %s\n",
		money(k.GMV), num(int(k.NewBuyers)), money(k.NewAOV), num(int(k.OldBase)), k.RepurchaseRate*100, money(k.OldAOV), money(k.Reactivated))
	fmt.Fprintf(w, "  GMV %s = buyers %s × orders per buyer %.2f × order value %s\n", money(k.GMV), num(int(k.Buyers)), k.OrdersPerBuyer, money(k.OrderValue))
	fmt.Fprintln(w, "  (AOV here is spend per buyer in the period; the old base is old customers not churned at its start)")
	s := solveFor(k, target)
	if s == nil {
		return
	}
	if (s.NewBuyers != nil && *s.NewBuyers <= 0) || (s.RepurchaseRate != nil && *s.RepurchaseRate <= 0) {
		fmt.Fprintf(w, "  target GMV %s is met already: the period's GMV is %s\n", money(target), money(k.GMV))
		return
	}
	fmt.Fprintf(w, "  target GMV %s needs", money(target))
	if s.NewBuyers != nil {
		fmt.Fprintf(w, " %s new buyers (now %s) with the rest held", num(int(*s.NewBuyers+0.999999)), num(int(k.NewBuyers)))
	}
	if s.RepurchaseRate != nil {
		fmt.Fprintf(w, ", or a repurchase rate of %.1f%% (now %.1f%%)", *s.RepurchaseRate*100, k.RepurchaseRate*100)
	}
	fmt.Fprintln(w)
	for _, n := range s.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}
