package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"text/tabwriter"

	"segsim/core/lifecycle"
	"segsim/core/simulate"
)

func init() {
	commands["cohorts"] = cohortsCmd
}

func cohortsCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("segsim cohorts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var l loadFlags
	l.register(fs, "table, csv or json")
	unit := fs.String("unit", "month", "cohort period: month or week")
	revenue := fs.Bool("revenue", false, "print the revenue table instead of retention")
	buyers := fs.Bool("buyers", false, "write the buyer series instead: per calendar month, new and returning buyers, their orders, revenue and AOV")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: segsim cohorts [flags] FILE|-\n\n"+
			"Groups customers by the period of their first purchase and prints, per later period,\n"+
			"the share who bought again (retention) or their revenue. With --buyers, it writes per\n"+
			"calendar month the new buyers (first order in the month) and the returning buyers\n"+
			"(ordered before the month and in it), their orders, revenue and AOV.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	path, code := parseArgs(fs, args, stderr)
	if code >= 0 {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "segsim cohorts: %v\n", err)
		return 1
	}
	if !checkFormat("cohorts", l.format, stderr, "table", "csv", "json") {
		return 2
	}
	sc, err := readScenario(l.scenario, "")
	if err != nil {
		return fail(err)
	}
	ds, res, err := loadData(path, l, sc, stdin, stderr)
	if err != nil {
		return fail(err)
	}
	if err := ds.OrderLevel(); err != nil {
		return fail(err)
	}
	var tab *simulate.CohortTable
	if !*buyers {
		if tab, err = simulate.Cohorts(ds.Orders, ds.Disposition(), ds.Customers, *unit); err != nil {
			return fail(err)
		}
	}
	w, done, err := output(l.out, stdout)
	if err != nil {
		return fail(err)
	}
	switch {
	case *buyers && l.format == "json":
		err = writeIndentedJSON(w, struct {
			Series []lifecycle.Month `json:"buyer_series"`
		}{res.BuyerSeries})
	case *buyers && l.format == "csv":
		err = buyerSeriesCSV(w, res.BuyerSeries)
	case *buyers:
		printBuyerSeries(w, res.BuyerSeries)
	case l.format == "json":
		err = writeIndentedJSON(w, tab)
	case l.format == "csv":
		err = cohortsCSV(w, tab)
	default:
		printCohorts(w, tab, *revenue)
	}
	if err != nil {
		return fail(err)
	}
	if err := done(); err != nil {
		return fail(err)
	}
	return 0
}

func printCohorts(w io.Writer, tab *simulate.CohortTable, revenue bool) {
	what := "retention, % of the cohort buying in each " + tab.Unit + " after the first"
	if revenue {
		what = "revenue per " + tab.Unit + " after the first"
	}
	fmt.Fprintf(w, "acquisition cohorts by %s: %s\n\n", tab.Unit, what)
	width := 0
	for _, c := range tab.Cohorts {
		width = max(width, len(c.Active))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "cohort\tsize\t")
	for k := range width {
		fmt.Fprintf(tw, "+%d\t", k)
	}
	fmt.Fprintln(tw)
	for _, c := range tab.Cohorts {
		fmt.Fprintf(tw, "%s\t%s\t", c.Start, num(c.Size))
		for k := range c.Active {
			if revenue {
				fmt.Fprintf(tw, "%s\t", num(int(math.Round(c.Revenue[k]))))
			} else {
				fmt.Fprintf(tw, "%.1f\t", c.Retention[k]*100)
			}
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}
