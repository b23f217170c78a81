// Command seedgen writes a deterministic sample order export (CSV) for one
// industry, for demos, tests and benchmarks.
//
// Usage:
//
//	seedgen -industry apparel -orders 1000000 [-seed N] [-zh] [-start YYYY-MM-DD] [-end YYYY-MM-DD] [-out FILE] [-v]
//
// The CSV goes to standard output unless -out is given; a one-line summary
// goes to standard error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"segsim/seeds/gen"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "seedgen:", err)
		os.Exit(2)
	}
}

// run parses args, generates the file and prints the summary to errOut.
func run(args []string, stdout, errOut io.Writer) error {
	fs := flag.NewFlagSet("seedgen", flag.ContinueOnError)
	fs.SetOutput(errOut)
	industry := fs.String("industry", gen.Apparel, "industry: "+strings.Join(gen.Industries(), ", "))
	orders := fs.Int("orders", gen.DefaultOrders, "approximate number of data rows")
	seed := fs.Uint64("seed", gen.DefaultSeed, "random seed (0 means the default)")
	zh := fs.Bool("zh", false, "Chinese headers, channel and status values")
	start := fs.String("start", "", "first day, YYYY-MM-DD (default: two years before -end)")
	end := fs.String("end", "", "last day, YYYY-MM-DD (default: 2026-06-30)")
	out := fs.String("out", "", "output file (default: standard output)")
	verbose := fs.Bool("v", false, "print all statistics, not just a summary")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	cfg := gen.Config{Industry: *industry, Orders: *orders, Seed: *seed, Chinese: *zh}
	var err error
	if cfg.Start, err = parseDay(*start); err != nil {
		return fmt.Errorf("-start: %w", err)
	}
	if cfg.End, err = parseDay(*end); err != nil {
		return fmt.Errorf("-end: %w", err)
	}
	st, err := write(*out, stdout, cfg)
	if err != nil {
		return err
	}
	if *verbose {
		fmt.Fprintf(errOut, "seedgen: %s: %+v\n", cfg.Industry, st)
		return nil
	}
	fmt.Fprintf(errOut, "seedgen: %s: %d rows, %d orders, %d customers, %d bad rows, %d bytes\n",
		cfg.Industry, st.Rows, st.Orders, st.Customers, st.BadRows, st.Bytes)
	return nil
}

// parseDay parses a YYYY-MM-DD date; the empty string gives the zero time.
func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse date: %w", err)
	}
	return t, nil
}

// write generates cfg into the file path, or into stdout when path is
// empty.
func write(path string, stdout io.Writer, cfg gen.Config) (st gen.Stats, err error) {
	if path == "" {
		return gen.Generate(stdout, cfg)
	}
	f, err := os.Create(path)
	if err != nil {
		return st, fmt.Errorf("create output: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close output: %w", cerr))
		}
	}()
	return gen.Generate(f, cfg)
}
