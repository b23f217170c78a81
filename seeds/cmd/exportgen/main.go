// Command exportgen writes the corpus of realistic order exports of
// package exports, each file beside its expected answer
// (FILE.expected.csv), and prints one line per file.
//
// Usage:
//
//	go run ./seeds/cmd/exportgen -out DIR
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"segsim/seeds/exports"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "exportgen:", err)
		os.Exit(2)
	}
}

// run parses args, writes the corpus into -out and lists it on stdout.
func run(args []string, stdout, errOut io.Writer) error {
	fs := flag.NewFlagSet("exportgen", flag.ContinueOnError)
	fs.SetOutput(errOut)
	out := fs.String("out", "", "directory to write the files into (created if missing)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("-out DIR is required")
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	files, err := exports.Corpus()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", *out, err)
	}
	fmt.Fprintf(stdout, "%-28s %6s %5s %7s %9s %8s\n", "file", "rows", "bad", "orders", "customers", "expected")
	for _, f := range files {
		if err := write(*out, f); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-28s %6d %5d %7d %9d %8d\n", f.Name, f.Rows, f.BadRows, f.Orders, f.Customers, len(f.Expected))
	}
	return nil
}

// write writes f and its expected answer into dir.
func write(dir string, f exports.File) error {
	if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", f.Name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, f.ExpectedName()), exports.ExpectedCSV(f.Expected), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", f.ExpectedName(), err)
	}
	return nil
}
