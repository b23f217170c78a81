package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"segsim/core/engine"
)

func init() {
	commands["stats"] = statsCmd
}

// statsCmd writes one per-customer stats row for each customer of an
// order file, with every field: a file the page, the worker and `segsim
// score` read as they read the orders, and the reference a warehouse
// query (segsim sql) is checked against.
func statsCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("segsim stats", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var l loadFlags
	l.register(fs, "csv")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: segsim stats [flags] FILE|-\n\nWrites one row per customer with the stats fields\n  %s\n"+
			"cleaned by the scenario's rules, as of the as-of date.\n\nFlags:\n", strings.Join(engine.StatsHeader, ","))
		fs.PrintDefaults()
	}
	path, code := parseArgs(fs, args, stderr)
	if code >= 0 {
		return code
	}
	if !checkFormat("stats", l.format, stderr, "csv") {
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "segsim stats: %v\n", err)
		return 1
	}
	sc, err := readScenario(l.scenario, "")
	if err != nil {
		return fail(err)
	}
	ds, _, err := loadData(path, l, sc, stdin, stderr)
	if err != nil {
		return fail(err)
	}
	w, done, err := output(l.out, stdout)
	if err != nil {
		return fail(err)
	}
	if err := ds.WriteStats(w); err != nil {
		return fail(err)
	}
	if err := done(); err != nil {
		return fail(err)
	}
	return 0
}
