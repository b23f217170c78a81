package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"segsim/core/calendar"
	"segsim/core/engine"
	"segsim/core/scenario"
	"segsim/core/strategy"
)

func init() {
	commands["plan"] = planCmd
}

// loadFlags are the input flags shared by plan, cohorts and project.
type loadFlags struct {
	scenario, asOf, format, out string
	input                       inputFlags
	quiet                       bool
}

func (l *loadFlags) register(fs *flag.FlagSet, formats string) {
	fs.StringVar(&l.scenario, "scenario", "", "scenario JSON `FILE` with the knobs (default: built-in defaults)")
	fs.StringVar(&l.asOf, "asof", "", "as-of date `YYYY-MM-DD` (default: the day after the last order)")
	l.input.register(fs)
	def, _, _ := strings.Cut(formats, ",")
	fs.StringVar(&l.format, "format", def, "output format: "+formats)
	fs.StringVar(&l.out, "out", "", "write output to `FILE` instead of standard output")
	fs.BoolVar(&l.quiet, "quiet", false, "do not print the load and clean report to standard error")
}

// parseArgs parses flags that may come before or after the one input file.
func parseArgs(fs *flag.FlagSet, args []string, stderr io.Writer) (string, int) {
	files, code := parseInterspersed(fs, args)
	if code >= 0 {
		return "", code
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "%s: want one input FILE (or - for standard input), got %d\n", fs.Name(), len(files))
		fs.Usage()
		return "", 2
	}
	return files[0], -1
}

// loadData reads the order file and runs the scenario on it.
func loadData(path string, l loadFlags, sc *scenario.Scenario, stdin io.Reader, stderr io.Writer) (*engine.Dataset, *engine.Result, error) {
	if l.asOf != "" {
		if _, err := calendar.Parse(l.asOf); err != nil {
			return nil, nil, fmt.Errorf("--asof: %w", err)
		}
		sc.Window.AsOf = l.asOf
	}
	ds, err := l.input.readOrders(path, stdin)
	if err != nil {
		return nil, nil, err
	}
	res, err := ds.Run(sc)
	if err != nil {
		return nil, nil, err
	}
	if !l.quiet {
		printReport(stderr, ds, res)
	}
	return ds, res, nil
}

// output opens the --out file or returns stdout; done closes it.
func output(path string, stdout io.Writer) (w io.Writer, done func() error, err error) {
	if path == "" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// planFlags are the plan knobs given on the command line; they override
// the scenario's plan section.
type planFlags struct {
	budget, playbook, by, rank, caps, values *string
	noHoldout                                *bool
	alpha, power, maxShare                   *float64
	windowDays                               *int
}

// choosePlaybook applies --playbook to cfg: a preset name, or a JSON file
// (a name ending in .json or holding a path separator); "" keeps cfg's.
func choosePlaybook(cfg *strategy.Config, pb string) error {
	if pb == "" {
		return nil
	}
	if !strings.HasSuffix(pb, ".json") && !strings.ContainsAny(pb, `/\`) {
		cfg.Playbook, cfg.Custom = pb, nil
		return nil
	}
	b, err := os.ReadFile(pb)
	if err != nil {
		return fmt.Errorf("--playbook: %w", err)
	}
	if cfg.Custom, err = strategy.ParsePlaybook(b); err != nil {
		return fmt.Errorf("--playbook %s: %w", pb, err)
	}
	return nil
}

// planConfig builds the plan knobs: the scenario's plan section, then the
// flags.
func planConfig(cfg strategy.Config, f planFlags) (strategy.Config, error) {
	if *f.budget != "" {
		v, err := strconv.ParseFloat(strings.ReplaceAll(*f.budget, ",", ""), 64)
		if err != nil || v < 0 {
			return cfg, fmt.Errorf("--budget: %q is not an amount ≥ 0", *f.budget)
		}
		cfg.Budget, cfg.BudgetAuto = v, false
	}
	if err := choosePlaybook(&cfg, *f.playbook); err != nil {
		return cfg, err
	}
	if *f.by != "" {
		cfg.By = *f.by
	}
	if *f.values != "" {
		cfg.Values = *f.values
	}
	if *f.windowDays != 0 {
		cfg.WindowDays = *f.windowDays
	}
	if *f.rank != "" {
		cfg.Rank = *f.rank
	}
	if *f.caps != "" {
		cfg.ChannelCaps = nil
		for _, kv := range strings.Split(*f.caps, ",") {
			ch, amount, ok := strings.Cut(kv, "=")
			v, err := strconv.ParseFloat(amount, 64)
			if !ok || err != nil {
				return cfg, fmt.Errorf("--channel-cap: %q is not channel=amount", kv)
			}
			cfg.ChannelCaps = append(cfg.ChannelCaps, strategy.ChannelCap{Channel: strings.TrimSpace(ch), Budget: v})
		}
	}
	if *f.noHoldout {
		cfg.Holdout.Enabled = false
	}
	if *f.alpha != 0 {
		cfg.Holdout.Alpha = *f.alpha
	}
	if *f.power != 0 {
		cfg.Holdout.Power = *f.power
	}
	if *f.maxShare != 0 {
		cfg.Holdout.MaxShare = *f.maxShare
	}
	return cfg, cfg.Validate()
}

// planned is one scenario's plan.
type planned struct {
	res     *engine.Result
	planner *strategy.Planner
	plan    *strategy.Plan
	curve   []strategy.CurvePoint
	numbers *engine.Numbers // for scenario B of --compare
}

// makePlan scores ds with sc and plans cfg on the result.
func makePlan(ds *engine.Dataset, sc *scenario.Scenario, cfg strategy.Config, curve int) (*planned, error) {
	if cfg.Rank == "predicted" {
		sc.Predict.Enabled = true
	}
	res, err := ds.Run(sc)
	if err != nil {
		return nil, err
	}
	if cfg.Rank == "predicted" && res.Pred == nil {
		return nil, errors.New("rank predicted: no prediction for this data")
	}
	plan, err := ds.Plan(res, cfg)
	if err != nil {
		return nil, err
	}
	pl := res.Assigned.Planner
	p := &planned{res: res, planner: pl, plan: plan}
	if curve > 0 {
		if p.curve, err = pl.Curve(cfg.ChannelCaps, cfg.Holdout, curve, plan); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func planCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("segsim plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var l loadFlags
	l.register(fs, "table, csv or json")
	f := planFlags{
		budget:     fs.String("budget", "", "total activity budget `N` (default: the scenario's plan.budget, else sized to the data: every customer worth contacting)"),
		values:     fs.String("values", "", "order values and baselines `from`: data (measured from the orders) or playbook (default data)"),
		windowDays: fs.Int("window-days", 0, "campaign window in `days` the baseline is measured over (default 30)"),
		playbook:   fs.String("playbook", "", "playbook preset `NAME` ("+strings.Join(strategy.PresetPlaybooks(), ", ")+") or JSON FILE"),
		by:         fs.String("by", "", "match the playbook against: segment, class or stage (default segment)"),
		rank:       fs.String("rank", "", "order customers within a segment by: score, revenue or predicted (CLV from BG/NBD and Gamma-Gamma) (default score)"),
		caps:       fs.String("channel-cap", "", "spend caps per channel as `channel=amount,...`"),
		noHoldout:  fs.Bool("no-holdout", false, "plan without hold-out control groups"),
		alpha:      fs.Float64("alpha", 0, "significance level of the hold-out test (default 0.05)"),
		power:      fs.Float64("power", 0, "power of the hold-out test (default 0.8)"),
		maxShare:   fs.Float64("holdout-share", 0, "largest share of a segment held out (default 0.2)"),
	}
	curve := fs.Int("curve", 10, "points on the profit-versus-budget curve (0: none)")
	points := fs.Bool("points", false, "add the points programme what-if (the scenario's plan.points, at ¼, ½, 1, 2 and 4 × its threshold)")
	compare := fs.String("compare", "", "also plan scenario B from `FILE` (same flags) and print A and B side by side")
	customers := fs.String("customers", "", "also write one row per customer with the assigned action and hold-out flag to `FILE` (CSV)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: segsim plan --budget N [--playbook NAME|FILE] [--scenario FILE] [flags] FILE|-\n\n"+
			"Allocates the budget over segments and actions to maximise expected incremental profit,\n"+
			"(response − baseline) × order value × margin − cost per contact, and sizes hold-out groups.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	path, code := parseArgs(fs, args, stderr)
	if code >= 0 {
		return code
	}
	if !checkFormat("plan", l.format, stderr, "table", "csv", "json") {
		return 2
	}
	if l.format == "csv" && *compare != "" {
		fmt.Fprintln(stderr, "segsim plan: --compare with --format csv: a CSV holds one plan; use --format table or json")
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "segsim plan: %v\n", err)
		return 1
	}
	sc, err := readScenario(l.scenario, "")
	if err != nil {
		return fail(err)
	}
	cfg, err := planConfig(sc.Plan, f)
	if err != nil {
		return fail(err)
	}
	var scB *scenario.Scenario
	var cfgB strategy.Config
	if *compare != "" {
		if scB, err = readScenario(*compare, ""); err != nil {
			return fail(fmt.Errorf("--compare: %w", err))
		}
		if cfgB, err = planConfig(scB.Plan, f); err != nil {
			return fail(fmt.Errorf("--compare: %w", err))
		}
		if l.asOf != "" {
			scB.Window.AsOf = l.asOf
		}
	}
	if cfg.Rank == "predicted" {
		sc.Predict.Enabled = true
	}
	ds, _, err := loadData(path, l, sc, stdin, stderr)
	if err != nil {
		return fail(err)
	}
	var b *planned
	if scB != nil {
		if b, err = makePlan(ds, scB, cfgB, 0); err != nil {
			return fail(fmt.Errorf("scenario B: %w", err))
		}
		b.res = b.res.Clone() // scoring A re-scores into the same Result
		numbersB := engine.NumbersOf(ds.Report(b.res), b.plan)
		b.numbers = &numbersB
	}
	a, err := makePlan(ds, sc, cfg, *curve)
	if err != nil {
		return fail(err)
	}
	var pts []strategy.PointsResult
	var keep *strategy.Keep
	if *points {
		k := ds.Keep(a.res, cfg.Points.Months)
		_, pts = strategy.PointsWhatIf(cfg.Points, ds.Customers, a.res.AsOfDay, k)
		keep = &k
	}
	if *customers != "" {
		if err := writeAssignments(*customers, ds, a.planner, a.plan); err != nil {
			return fail(fmt.Errorf("--customers: %w", err))
		}
	}
	w, done, err := output(l.out, stdout)
	if err != nil {
		return fail(err)
	}
	if l.format == "json" {
		out := struct {
			Scheme string                  `json:"scheme"`
			Plan   *strategy.Plan          `json:"plan"`
			Curve  []strategy.CurvePoint   `json:"curve,omitempty"`
			Points []strategy.PointsResult `json:"points,omitempty"`
			// PointsKeep is how the points what-if weighted customers.
			PointsKeep *strategy.Keep `json:"points_keep,omitempty"`
			Compare    *strategy.Plan `json:"compare,omitempty"`
			// A and B in the numbers the page's compare panel follows,
			// and B − A (engine.Compare).
			Numbers map[string]engine.Numbers `json:"numbers,omitempty"`
			Delta   *engine.Delta             `json:"delta,omitempty"`
		}{Scheme: a.res.Scheme, Plan: a.plan, Curve: a.curve, Points: pts, PointsKeep: keep}
		if b != nil {
			out.Compare = b.plan
			na := engine.NumbersOf(ds.Report(a.res), a.plan)
			d := engine.Compare(na, *b.numbers)
			out.Numbers, out.Delta = map[string]engine.Numbers{"a": na, "b": *b.numbers}, &d
		}
		err = writeIndentedJSON(w, out)
	} else if l.format == "csv" {
		err = planCSV(w, a.plan)
	} else {
		printPlan(w, a.plan, a.curve, a.res.Scheme, cfg)
		if pts != nil {
			printPoints(w, cfg.Points, pts, keep)
		}
		if b != nil {
			printCompare(w, a.plan, b.plan, l.scenario, *compare)
		}
	}
	if err != nil {
		return fail(err)
	}
	if err := done(); err != nil {
		return fail(err)
	}
	return 0
}

// printCompare prints the totals of plans A and B side by side.
func printCompare(w io.Writer, a, b *strategy.Plan, nameA, nameB string) {
	if nameA == "" {
		nameA = "defaults"
	}
	fmt.Fprintf(w, "\nA/B: A = %s, B = %s\n", nameA, nameB)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tA\tB\tB − A\t")
	row := func(name string, x, y float64, f func(float64) string) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", name, f(x), f(y), f(y-x))
	}
	row("budget", a.Budget, b.Budget, money)
	row("contacted", float64(a.Total.Contacted), float64(b.Total.Contacted), func(v float64) string { return num(int(v)) })
	row("cost", a.Total.Cost, b.Total.Cost, money)
	row("expected orders", a.Total.ExpectedOrders, b.Total.ExpectedOrders, func(v float64) string { return fmt.Sprintf("%.1f", v) })
	row("incremental revenue", a.Total.IncrementalRevenue, b.Total.IncrementalRevenue, money)
	row("profit", a.Total.Profit, b.Total.Profit, money)
	row("ROI", a.Total.ROI, b.Total.ROI, func(v float64) string { return fmt.Sprintf("%.2f", v) })
	row("unspent", a.Unspent, b.Unspent, money)
	tw.Flush()
}

// writeAssignments writes customer_id,segment,action,holdout per customer.
func writeAssignments(path string, ds *engine.Dataset, pl *strategy.Planner, plan *strategy.Plan) error {
	n := ds.Customers.Len()
	action := make([]int16, n)
	hold := make([]bool, n)
	pl.Assign(plan, action, hold)
	names := plan.ActionNames()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("customer_id,action,holdout\n")
	for i := range n {
		a := ""
		if action[i] >= 0 {
			a = names[action[i]]
		}
		fmt.Fprintf(&b, "%s,%s,%t\n", csvField(ds.Customers.ID(i)), a, hold[i])
	}
	if _, err := io.WriteString(f, b.String()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n\r") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

func printPlan(w io.Writer, p *strategy.Plan, curve []strategy.CurvePoint, scheme string, cfg strategy.Config) {
	grouping := map[string]string{"segment": "segments (" + scheme + ")", "class": "RFM classes", "stage": "lifecycle stages"}[p.By]
	fmt.Fprintf(w, "plan: %s playbook over %s, budget %s %s, customers ranked by %s\n", p.Playbook, grouping, money(p.Budget), p.Currency, cfg.Rank)
	if p.PlaybookDefault {
		fmt.Fprintf(w, "no industry chosen: the %s playbook stands in; choose yours with --playbook (%s)\n", p.Playbook, strings.Join(strategy.PresetPlaybooks(), ", "))
	}
	if p.BudgetAuto {
		fmt.Fprintln(w, "budget sized to the data: every customer whose best action pays is contacted; one more contact would lose money (set one with --budget)")
	}
	if p.Values == "data" {
		fmt.Fprintf(w, "order value: each segment's revenue / orders; baseline: of its customers %d days before the as-of date, the share who ordered within those days; the playbook's figures in brackets; uplift, margin and cost are the playbook's assumptions\n", p.WindowDays)
	} else {
		fmt.Fprintln(w, "order values, response and baseline rates as the playbook writes them")
	}
	if cfg.Holdout.Enabled {
		fmt.Fprintf(w, "hold-out: two-proportion test, α = %g, power = %g, at most %g%% of a segment\n", cfg.Holdout.Alpha, cfg.Holdout.Power, cfg.Holdout.MaxShare*100)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	assumed := false
	fmt.Fprintln(tw, "segment\taction\tchannel\torder value\tbaseline\tcustomers\tholdout\tcontacted\tcost\texp. orders\tincr. revenue\tprofit\tROI\tworth from\t  note")
	for _, s := range p.Segments {
		worth := "never"
		if len(curve) == 0 {
			worth = "-"
		} else if s.WorthFrom >= 0 {
			worth = money(s.WorthFrom)
		}
		if s.Contacted == 0 {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t%s\t-\t0\t-\t-\t-\t-\t-\t%s\t  %s\n", s.Segment, num(s.Customers), worth, s.Note)
			continue
		}
		first := true
		for _, a := range s.Actions {
			if a.Contacted == 0 {
				continue
			}
			seg, cust, hold, wf := "", "", "", ""
			if first {
				seg, cust, hold, wf = s.Segment, num(s.Customers), num(s.Holdout), worth
			}
			note := ""
			if first && s.Note != "" {
				note = s.Note
			}
			first = false
			ov, base, roi := money(a.OrderValue), fmt.Sprintf("%.1f%%", a.Baseline*100), fmt.Sprintf("%.2f", a.ROI)
			if pb := a.Playbook; pb != nil {
				if pb.OrderValue != a.OrderValue {
					ov += " (" + money(pb.OrderValue) + ")"
				}
				if pb.Baseline != a.Baseline {
					base += fmt.Sprintf(" (%.1f%%)", pb.Baseline*100)
				}
			}
			if a.Basis == "playbook" {
				roi += " *"
				assumed = true
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t%s\t%s\t%s\t%s\t  %s\n", seg, a.Action, a.Channel, ov, base, cust, hold,
				num(a.Contacted), money(a.Cost), a.ExpectedOrders, money(a.IncrementalRevenue), money(a.Profit), roi, wf, note)
		}
	}
	t := p.Total
	fmt.Fprintf(tw, "total\t\t\t\t\t\t\t%s\t%s\t%.1f\t%s\t%s\t%.2f\t\t\n", num(t.Contacted), money(t.Cost), t.ExpectedOrders, money(t.IncrementalRevenue), money(t.Profit), t.ROI)
	tw.Flush()
	if assumed {
		fmt.Fprintln(w, "* ROI rests on the playbook's figures alone (too few customers to measure, or --values playbook)")
	}
	fmt.Fprintf(w, "\nunspent: %s", money(p.Unspent))
	if p.UnspentReason != "" {
		fmt.Fprintf(w, " (%s)", p.UnspentReason)
	}
	fmt.Fprintln(w)
	if !p.Exact {
		fmt.Fprintf(w, "best whole plan not proven: at most %s below the divisible optimum\n", money(p.Bound-p.Total.Profit))
	}
	var under []string
	for _, s := range p.Segments {
		if s.Contacted > 0 && s.Holdout < s.HoldoutNeeded {
			under = append(under, fmt.Sprintf("%s (needs %s, has %s; detects uplift ≥ %.1f pts)", s.Segment, num(s.HoldoutNeeded), num(s.Holdout), s.DetectableUplift*100))
		}
	}
	if len(under) > 0 {
		fmt.Fprintf(w, "hold-outs too small for the expected uplift: %s\n", strings.Join(under, "; "))
	}
	if len(curve) > 0 {
		fmt.Fprintf(w, "\nprofit versus budget\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "budget\tprofit\tcontacted\t")
		for _, c := range curve {
			fmt.Fprintf(tw, "%s\t%s\t%s\t\n", money(c.Budget), money(c.Profit), num(c.Contacted))
		}
		tw.Flush()
	}
}

func printPoints(w io.Writer, p strategy.Points, rs []strategy.PointsResult, k *strategy.Keep) {
	fmt.Fprintf(w, "\npoints what-if: %g per order + %g per yuan, expiry %d months, %g per point, %d months ahead\n",
		p.PerOrder, p.PerYuan, p.ExpiryMonths, p.PointValue, p.Months)
	fmt.Fprintf(w, "  %s\n", keepText(k))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "threshold\treach a redemption\tshare\tmedian month\tissued\tredeemed\texpired\tredemption cost\tliability\t")
	for _, r := range rs {
		fmt.Fprintf(tw, "%g\t%s\t%.1f%%\t%.1f\t%s\t%s\t%s\t%s\t%s\t\n", r.Threshold, num(int(math.Round(r.Reach))), r.ReachShare*100, r.MedianMonths,
			num(int(r.Issued)), num(int(r.Redeemed)), num(int(r.Expired)), money(r.RedemptionCost), money(r.Liability))
	}
	tw.Flush()
}

// keepText says how a points what-if weighted customers.
func keepText(k *strategy.Keep) string {
	switch k.Basis {
	case "p_alive":
		return fmt.Sprintf("each customer keeps their pace with their P(alive) (%s), else stops: mean %.1f%%; counts and points are expected values", k.Model, k.Mean*100)
	case "repurchase":
		var bands []string
		lo := 0
		for _, b := range k.Bands {
			name := fmt.Sprintf("%d–%d days", lo+1, b.MaxRecency)
			if b.MaxRecency == 0 {
				name = fmt.Sprintf("over %d days", lo)
			}
			rate := fmt.Sprintf("%.1f%%", b.Rate*100)
			if b.Borrowed {
				rate += " (borrowed)"
			}
			bands = append(bands, fmt.Sprintf("%s %s", name, rate))
			lo = b.MaxRecency
		}
		return fmt.Sprintf("each customer keeps their pace with the observed repurchase rate of their recency band, else stops: of the customers\n"+
			"  of each band on %s, the share who bought within %d days after (%s): mean %.1f%%; counts and points are expected values",
			k.Cut, k.Days, strings.Join(bands, ", "), k.Mean*100)
	case "no_history":
		return "per-customer stats have no order history to measure repurchase in: every customer keeps their pace (predictions weight by P(alive))"
	}
	return "the history is too short to measure repurchase: every customer keeps their pace"
}
