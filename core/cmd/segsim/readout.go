package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"segsim/core/calendar"
	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/readout"
	"segsim/core/strategy"
)

func init() {
	commands["readout"] = readoutCmd
}

// readoutCmd measures a campaign: the plan (as score --plan writes it)
// against the orders of the campaign window.
func readoutCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("segsim readout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var in inputFlags
	in.register(fs)
	planPath := fs.String("plan", "", "the campaign plan `FILE`: customer_id, action and holdout columns (as segsim score --plan writes it), segment and cost when present")
	start := fs.String("start", "", "first day of the campaign window `YYYY-MM-DD`")
	end := fs.String("end", "", "last day of the campaign window `YYYY-MM-DD` (included)")
	scenarioPath := fs.String("scenario", "", "scenario JSON `FILE`: its cleaning rules apply to the orders and its playbook prices actions the plan has no cost for")
	playbook := fs.String("playbook", "", "playbook preset `NAME` ("+strings.Join(strategy.PresetPlaybooks(), ", ")+") or JSON FILE (default: the scenario's)")
	group := fs.String("group", "", "plan `COLUMN` that groups the per-segment lines (default segment; - for none)")
	level := fs.Float64("level", 0.95, "confidence level of the intervals")
	format := fs.String("format", "table", "output format: table, csv or json")
	out := fs.String("out", "", "write output to `FILE` instead of standard output")
	quiet := fs.Bool("quiet", false, "do not print what was read to standard error")
	measured := fs.String("playbook-out", "", "also write the playbook with the measured response and baseline of each action read out to `FILE` (JSON, for plan --playbook)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: segsim readout --plan PLAN --start YYYY-MM-DD --end YYYY-MM-DD [flags] ORDERS|-\n\n"+
			"Compares contacted with held-out customers per action, per segment and in total: buyers\n"+
			"and response rates in the window, the uplift with a Newcombe hybrid score interval,\n"+
			"revenue per customer with a Welch interval, cost, measured ROI, achieved power, verdict.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	path, code := parseArgs(fs, args, stderr)
	if code >= 0 {
		return code
	}
	if !checkFormat("readout", *format, stderr, "table", "csv", "json") {
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "segsim readout: %v\n", err)
		return 1
	}
	if *planPath == "" || *start == "" || *end == "" {
		fmt.Fprintln(stderr, "segsim readout: --plan, --start and --end are required")
		fs.Usage()
		return 2
	}
	var opt readout.Options
	var err error
	if opt.Start, err = calendar.Parse(*start); err != nil {
		return fail(fmt.Errorf("--start: %w", err))
	}
	if opt.End, err = calendar.Parse(*end); err != nil {
		return fail(fmt.Errorf("--end: %w", err))
	}
	opt.Level = *level
	sc, err := readScenario(*scenarioPath, "")
	if err != nil {
		return fail(err)
	}
	opt.Clean, opt.Keys = sc.Clean, engine.LabelKeys(sc)
	cfg := sc.Plan
	if err := choosePlaybook(&cfg, *playbook); err != nil {
		return fail(err)
	}
	if opt.Playbook, err = cfg.Resolve(); err != nil {
		return fail(fmt.Errorf("playbook: %w", err))
	}
	plan, planRep, err := readPlan(*planPath, in.encoding, *group)
	if planRep != nil && !*quiet {
		printLoad(stderr, "plan", planRep)
	}
	if err != nil {
		return fail(fmt.Errorf("--plan %s: %w", *planPath, err))
	}
	ds, err := in.readOrders(path, stdin)
	if err != nil {
		return fail(err)
	}
	if !*quiet {
		printLoad(stderr, "orders", ds.Load)
	}
	rep, err := readout.Run(plan, ds.Orders, opt)
	if err != nil {
		return fail(err)
	}
	if *measured != "" {
		if err := writeMeasured(*measured, opt.Playbook, rep, stderr, *quiet); err != nil {
			return fail(err)
		}
	}
	w, done, err := output(*out, stdout)
	if err != nil {
		return fail(err)
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	case "csv":
		err = readoutCSV(w, rep)
	default:
		err = readoutTable(w, rep)
	}
	if cerr := done(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(err)
	}
	return 0
}

// readPlan reads a plan file: text in any encoding ingest detects, or an
// .xlsx workbook.
func readPlan(path, encoding, group string) ([]ingest.PlanRow, *ingest.Report, error) {
	data, _, err := readText(path, nil, "")
	if err != nil {
		return nil, nil, err
	}
	var opt ingest.Options
	if opt.Encoding, err = ingest.ParseEncoding(encoding); err != nil {
		return nil, nil, fmt.Errorf("--encoding: %w", err)
	}
	rows, rep, err := ingest.ParsePlan(data, opt, ingest.PlanOptions{Group: group})
	if errors.Is(err, ingest.ErrMissingColumn) && group != "" {
		err = fmt.Errorf("%w (--group %s)", err, group)
	}
	return rows, rep, err
}

// readoutColumns are the CSV columns of a readout line.
var readoutColumns = []string{"level", "name", "control", "contacted", "holdout", "contacted_buyers", "holdout_buyers",
	"contacted_rate", "holdout_rate", "uplift", "uplift_lo", "uplift_hi", "incremental_buyers",
	"revenue_per_contacted", "revenue_per_holdout", "incremental_revenue", "incremental_revenue_lo", "incremental_revenue_hi",
	"cost", "margin", "profit", "roi", "power", "power_for", "verdict"}

// readoutLines lists the report's lines with their level and name.
func readoutLines(r *readout.Report) (levels, names []string, groups []*readout.Group) {
	for i := range r.Actions {
		levels, names, groups = append(levels, "action"), append(names, r.Actions[i].Action), append(groups, &r.Actions[i])
	}
	for i := range r.Segments {
		levels, names, groups = append(levels, "segment"), append(names, r.Segments[i].Segment), append(groups, &r.Segments[i])
	}
	return append(levels, "total"), append(names, "total"), append(groups, &r.Total)
}

// readoutCSV writes one row per action, segment and the total; undefined
// numbers are empty.
func readoutCSV(w io.Writer, r *readout.Report) error {
	cw := csv.NewWriter(w)
	cw.Write(readoutColumns)
	f := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	ci := func(v []float64, i int) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(v[i], 'f', -1, 64)
	}
	levels, names, groups := readoutLines(r)
	for i, g := range groups {
		cw.Write([]string{levels[i], names[i], g.Control, strconv.Itoa(g.Contacted), strconv.Itoa(g.Holdout),
			strconv.Itoa(g.ContactedBuyers), strconv.Itoa(g.HoldoutBuyers), f(g.ContactedRate), f(g.HoldoutRate),
			f(g.Uplift), ci(g.UpliftCI, 0), ci(g.UpliftCI, 1), f(g.IncrementalBuyers),
			f(g.RevenuePerContacted), f(g.RevenuePerHoldout), f(g.IncrementalRevenue), ci(g.IncrementalRevenueCI, 0), ci(g.IncrementalRevenueCI, 1),
			f(&g.Cost), f(&g.Margin), f(g.Profit), f(g.ROI), f(g.Power), g.PowerFor, g.Verdict})
	}
	cw.Flush()
	return cw.Error()
}

// readoutTable prints the readout for a person.
func readoutTable(w io.Writer, r *readout.Report) error {
	pct := func(v *float64) string {
		if v == nil {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", *v*100)
	}
	m := func(v *float64) string {
		if v == nil {
			return "–"
		}
		return money(*v)
	}
	interval := func(v []float64, f func(float64) string) string {
		if v == nil {
			return ""
		}
		return fmt.Sprintf(" [%s, %s]", f(v[0]), f(v[1]))
	}
	pp := func(v float64) string { return fmt.Sprintf("%+.1f", v*100) }
	lv := fmt.Sprintf("%.0f%%", r.Level*100)
	fmt.Fprintf(w, "campaign %s – %s: %s buyers in the window (%s revenue), %s of them not in the plan\n",
		r.Start, r.End, num(r.Outcomes.Buyers), money(r.Outcomes.Revenue), num(r.Outcomes.NotInPlan))
	fmt.Fprintf(w, "uplift interval: Newcombe hybrid score %s; revenue interval: Welch %s; uplift in percentage points\n", lv, lv)
	levels, names, groups := readoutLines(r)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tline\tcontacted\theld out\trate\theld-out rate\tuplift (pp)\tincr. buyers\tincr. revenue\tcost\tROI\tpower\tverdict\t")
	for i, g := range groups {
		up := "–"
		if g.Uplift != nil {
			up = pp(*g.Uplift) + interval(g.UpliftCI, pp)
		}
		ib := "–"
		if g.IncrementalBuyers != nil {
			ib = fmt.Sprintf("%.0f", *g.IncrementalBuyers)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s%s\t%s\t%s\t%s\t%s\t\n", levels[i], names[i], num(g.Contacted), num(g.Holdout),
			pct(g.ContactedRate), pct(g.HoldoutRate), up, ib, m(g.IncrementalRevenue), interval(g.IncrementalRevenueCI, money),
			money(g.Cost), pct(g.ROI), pct(g.Power), g.Verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for i, g := range groups {
		if levels[i] == "total" {
			fmt.Fprintf(w, "total: %s\n", g.VerdictText)
		} else {
			fmt.Fprintf(w, "%s %s: %s\n", levels[i], names[i], g.VerdictText)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n.Text)
	}
	return nil
}

// writeMeasured writes the playbook with the readout's measured rates
// (readout.Measured) and says what changed.
func writeMeasured(path string, pb *strategy.Playbook, rep *readout.Report, stderr io.Writer, quiet bool) error {
	m, changes := readout.Measured(pb, rep)
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("--playbook-out: %w", err)
	}
	if !quiet {
		for _, c := range changes {
			fmt.Fprintf(stderr, "measured %s: response %.1f%% (was %.1f%%), baseline %.1f%% (was %.1f%%), uplift interval [%+.1f, %+.1f] pp, in %d playbook entries\n",
				c.Action, c.Response*100, c.WasResponse*100, c.Baseline*100, c.WasBaseline*100, c.UpliftCI[0]*100, c.UpliftCI[1]*100, c.Entries)
		}
		fmt.Fprintf(stderr, "playbook with measured rates: %s (%d actions changed)\n", path, len(changes))
	}
	return nil
}
