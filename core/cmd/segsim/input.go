package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/parquetfile"
	"segsim/core/xlsx"
)

// inputFlags are the flags every subcommand that reads an order file
// takes: how to read it, and where to write the rows it skipped.
type inputFlags struct {
	mapping    string
	dateFormat string
	encoding   string
	sheet      string
	rejects    string
	carry      string
}

func (in *inputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&in.mapping, "map", "", "column roles as `role=column,...` (roles: customer, date, amount, order, quantity, unit_price, discount, channel, status, paid_date, refund; column by header name or 1-based number)")
	fs.StringVar(&in.dateFormat, "date-format", "auto", "date format: auto, ymd, mdy, dmy, unix, unixms or excel")
	fs.StringVar(&in.encoding, "encoding", "auto", "text encoding: auto, utf-8, utf-16le, utf-16be, gb18030 (gbk) or windows-1252")
	fs.StringVar(&in.sheet, "sheet", "", "for .xlsx input: the sheet to read, by `name` or 1-based number (default: the one with orders)")
	fs.StringVar(&in.rejects, "rejects", "", "write every skipped row (line, column, value, reason, raw line) as CSV to `FILE`")
	fs.StringVar(&in.carry, "carry", "", "carry these input `columns` (comma-separated headers or 1-based numbers) into the customer export: each customer's last non-empty value")
}

// readOrders reads an order file (or standard input for "-"): text in any
// encoding ingest detects, or an .xlsx workbook.
func (in inputFlags) readOrders(path string, stdin io.Reader) (*engine.Dataset, error) {
	var opt ingest.Options
	var err error
	if opt.Map, err = ingest.ParseMapping(in.mapping); err != nil {
		return nil, fmt.Errorf("--map: %w", err)
	}
	if opt.DateFormat, err = ingest.ParseDateFormat(in.dateFormat); err != nil {
		return nil, fmt.Errorf("--date-format: %w", err)
	}
	if opt.Encoding, err = ingest.ParseEncoding(in.encoding); err != nil {
		return nil, fmt.Errorf("--encoding: %w", err)
	}
	opt.KeepRejects = in.rejects != ""
	if in.carry != "" {
		for _, c := range strings.Split(in.carry, ",") {
			if c = strings.TrimSpace(c); c != "" {
				opt.Carry = append(opt.Carry, c)
			}
		}
	}
	data, sheet, err := readText(path, stdin, in.sheet)
	if err != nil {
		return nil, err
	}
	ds, err := engine.Load(data, opt)
	if ds != nil && sheet != "" {
		ds.Load.Sheet = sheet
	}
	if ds != nil && in.rejects != "" {
		if werr := writeRejects(in.rejects, ds.Load.Rejects); werr != nil {
			return nil, werr
		}
	}
	if err != nil {
		var amb *ingest.AmbiguousDateError
		switch {
		case errors.As(err, &amb):
			return nil, fmt.Errorf("%w; pass --date-format mdy or --date-format dmy", err)
		case errors.Is(err, ingest.ErrMissingColumn):
			return nil, fmt.Errorf("%w; name columns with --map role=column", err)
		}
		return nil, err
	}
	return ds, nil
}

// readText reads a file (or standard input for "-") as text for ingest: an
// .xlsx workbook becomes the CSV of its sheet (sheet names one, "" the
// one with orders), whose name it returns; a Parquet file becomes CSV
// (parquetfile.ToCSV).
func readText(path string, stdin io.Reader, sheet string) ([]byte, string, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, "", err
	}
	kind := ingest.Sniff(data)
	if kind != "xlsx" && sheet != "" {
		return nil, "", errors.New("--sheet: the input is not an .xlsx workbook")
	}
	if kind == "parquet" {
		data, _, err := parquetfile.ToCSV(data)
		return data, "", err
	}
	if kind != "xlsx" {
		return data, "", nil
	}
	data, info, err := xlsx.ToCSV(data, sheet)
	if err != nil {
		return nil, "", err
	}
	return data, info.Sheet, nil
}

// writeRejects writes skipped rows as CSV with a byte order mark (so that
// Excel reads Chinese text).
func writeRejects(path string, rejects []ingest.Skip) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--rejects: %w", err)
	}
	f.WriteString("\ufeff")
	w := csv.NewWriter(f)
	w.Write([]string{"line", "column", "value", "reason", "raw"})
	for _, s := range rejects {
		w.Write([]string{strconv.Itoa(s.Line), s.Column, s.Value, s.Reason, s.Raw})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("--rejects: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--rejects: %w", err)
	}
	return nil
}
