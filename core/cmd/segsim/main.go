// Command segsim scores customers from an order export: R/F/M scores, the
// eight RFM classes, a segment scheme, value tiers, lifecycle stages and
// tags, one row per customer.
//
//	segsim score [flags] FILE|-     per-customer CSV or JSON
//	segsim segments [flags] FILE|-  the segment, tier and stage tables
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"segsim/core/calendar"
	"segsim/core/engine"
	"segsim/core/scenario"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `segsim: customer segment simulator

Usage:
  segsim score [flags] FILE|-      write one row per customer (CSV or JSON)
  segsim segments [flags] FILE|-   print the segment, class, tier and stage tables
  segsim fit [flags] FILE|-        fit BG/NBD and Gamma-Gamma (P(alive), CLV)
  segsim plan --budget N FILE|-    allocate an activity budget over segments
  segsim readout --plan PLAN --start D --end D FILE|-
                                   measure a campaign against its hold-outs
  segsim cohorts FILE|-            acquisition cohort retention and revenue
  segsim project --periods K FILE  project segment migration and GMV forward
  segsim stats FILE|-              one row of per-customer stats per customer (reads back like orders)
  segsim sql --dialect D --table T --customer C --date D --amount A --asof YYYY-MM-DD
                                   the query that computes those stats in a warehouse

Run "segsim COMMAND --help" for the flags.
`

// command runs one subcommand and returns the exit code: 0 success, 1
// failure, 2 bad usage.
type command func(args []string, stdin io.Reader, stdout, stderr io.Writer) int

// commands maps subcommand names to their implementations. Subcommands in
// other files of this package add themselves here.
var commands = map[string]command{
	"score":    func(a []string, in io.Reader, out, errw io.Writer) int { return score("score", a, in, out, errw) },
	"segments": func(a []string, in io.Reader, out, errw io.Writer) int { return score("segments", a, in, out, errw) },
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if c, ok := commands[args[0]]; ok {
		return c(args[1:], stdin, stdout, stderr)
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "segsim: unknown command %q\n\n%s", args[0], usage)
	return 2
}

// options are the flags shared by score and segments.
type options struct {
	scenario string
	asOf     string
	input    inputFlags
	format   string
	lang     string
	only     string
	out      string
	quiet    bool
	plan     bool
	ties     string
}

func score(cmd string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("segsim "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.scenario, "scenario", "", "scenario JSON `FILE` with the knobs (default: built-in defaults)")
	fs.StringVar(&o.asOf, "asof", "", "as-of date `YYYY-MM-DD` (default: the day after the last order)")
	o.input.register(fs)
	formats := []string{"csv", "json"}
	if cmd == "segments" {
		formats = []string{"table", "csv", "json"}
	}
	fs.StringVar(&o.format, "format", formats[0], "output format: "+orList(formats))
	fs.StringVar(&o.only, "only", "", "write only the customers of one group: `kind=name` with kind segment, class, tier, stage or action (action=holdout for the held-out, action=none for the rest); the name may be the Chinese label")
	fs.StringVar(&o.lang, "lang", "en", "CSV column names and class, segment, tier, stage and tag names in en or zh (zh starts the file with a byte order mark, for Excel)")
	fs.StringVar(&o.out, "out", "", "write output to `FILE` instead of standard output")
	fs.BoolVar(&o.quiet, "quiet", false, "do not print the load and clean report to standard error")
	fs.BoolVar(&o.plan, "plan", false, "plan the scenario's activity budget and add each customer's action and hold-out flag")
	fs.StringVar(&o.ties, "ties", "", "quantile scores for equal values: together (one score for a tie) or split (equal groups by rank, like R's ntile) (default: the scenario's rfm.ties, else together)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: segsim %s [flags] FILE|-\n\n", cmd)
		if cmd == "score" {
			fmt.Fprintf(stderr, "Writes one row per customer with the columns\n  %s\nA load and clean report goes to standard error (and into JSON output).\n\n", strings.Join(engine.Columns, ","))
		} else {
			fmt.Fprint(stderr, "Prints the segment, RFM class, tier and lifecycle stage tables.\n\n")
		}
		fmt.Fprint(stderr, "Flags:\n")
		fs.PrintDefaults()
	}
	files, code := parseInterspersed(fs, args)
	if code >= 0 {
		return code
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "segsim %s: want one input FILE (or - for standard input), got %d\n", cmd, len(files))
		fs.Usage()
		return 2
	}
	if !checkFormat(cmd, o.format, stderr, formats...) {
		return 2
	}
	if o.lang != "en" && o.lang != "zh" {
		fmt.Fprintf(stderr, "segsim %s: --lang %q: want en or zh\n", cmd, o.lang)
		return 2
	}
	if err := scoreFile(cmd, files[0], o, stdin, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "segsim %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

// readScenario reads --scenario (or the defaults) and applies --asof.
func readScenario(path, asOf string) (*scenario.Scenario, error) {
	sc := scenario.Default()
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--scenario: %w", err)
		}
		if sc, err = scenario.Parse(b); err != nil {
			return nil, fmt.Errorf("--scenario %s: %w", path, err)
		}
	}
	if asOf != "" {
		if _, err := calendar.Parse(asOf); err != nil {
			return nil, fmt.Errorf("--asof: %w", err)
		}
		sc.Window.AsOf = asOf
	}
	return sc, nil
}

func scoreFile(cmd, path string, o options, stdin io.Reader, stdout, stderr io.Writer) error {
	sc, err := readScenario(o.scenario, o.asOf)
	if err != nil {
		return err
	}
	if o.ties != "" {
		sc.RFM.Ties = o.ties
		if err := sc.Validate(); err != nil {
			return fmt.Errorf("--ties: %w", err)
		}
	}
	ds, err := o.input.readOrders(path, stdin)
	if err != nil {
		return err
	}
	res, err := ds.Run(sc)
	if errors.Is(err, engine.ErrPrediction) {
		// The models cannot be fitted to this data: say so and score
		// without predictions, as the page does.
		fmt.Fprintf(stderr, "segsim %s: warning: %v; scored without predictions\n", cmd, err)
		off := *sc
		off.Predict.Enabled = false
		res, err = ds.Run(&off)
	}
	if err != nil {
		return err
	}
	if o.plan {
		if _, err := ds.Plan(res, sc.Plan); err != nil {
			return fmt.Errorf("plan: %w", err)
		}
	}
	if !o.quiet {
		printReport(stderr, ds, res)
	}
	only, err := engine.ParseFilter(o.only)
	if err != nil {
		return fmt.Errorf("--only: %w", err)
	}
	if _, err := res.Selector(only); err != nil {
		return fmt.Errorf("--only: %w", err)
	}
	w := stdout
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	switch {
	case cmd == "segments" && o.format == "table":
		printTables(w, ds, res)
	case cmd == "segments" && o.format == "csv":
		err = segmentsCSV(w, ds.Report(res))
	case cmd == "segments":
		err = writeIndentedJSON(w, ds.Report(res))
	case o.format == "json":
		err = ds.WriteJSON(w, res, only)
	default:
		err = ds.WriteCSV(w, res, engine.CSVOptions{Chinese: o.lang == "zh", BOM: o.lang == "zh", Only: only})
	}
	if err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && o.out != "" {
		return f.Close()
	}
	return nil
}
