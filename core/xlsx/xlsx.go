// Package xlsx turns the orders sheet of an Excel workbook (.xlsx) into
// CSV text that package ingest reads: date cells become ISO dates (in the
// workbook's 1900 or 1904 date system), number cells keep the digits the
// file holds (long numeric ids lose none), and line numbers in the CSV
// are the sheet's row numbers. It reads with github.com/xuri/excelize.
package xlsx

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"segsim/core/calendar"
	"segsim/core/ingest"
)

// Info says what ToCSV read.
type Info struct {
	Sheet    string   // the sheet read
	Sheets   []string // every sheet of the workbook, in order
	Date1904 bool     // the workbook counts dates from 1904
	Rows     int      // rows written, header included
}

// ErrNoSheet says that the workbook has no sheet of that name or number.
var ErrNoSheet = errors.New("no such sheet")

// sniffRows is how many rows are read to recognise the orders sheet and
// its date columns.
const sniffRows = 30

// ToCSV reads the workbook in data and returns the chosen sheet as CSV.
// sheet names the sheet (or its 1-based number); "" chooses the first
// sheet whose first row names a customer, a date and an amount as
// ingest.DetectRoles sees them, or else the sheet with the most rows.
func ToCSV(data []byte, sheet string) ([]byte, Info, error) {
	var info Info
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, info, fmt.Errorf("xlsx: reading the workbook: %w", err)
	}
	defer f.Close()
	info.Sheets = f.GetSheetList()
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		info.Date1904 = *props.Date1904
	}
	if info.Sheet, err = choose(f, info.Sheets, sheet); err != nil {
		return nil, info, err
	}
	dates, err := dateColumns(f, info.Sheet)
	if err != nil {
		return nil, info, err
	}
	rows, err := f.Rows(info.Sheet)
	if err != nil {
		return nil, info, fmt.Errorf("xlsx: sheet %q: %w", info.Sheet, err)
	}
	defer rows.Close()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = false
	line := 0
	for rows.Next() {
		line++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, info, fmt.Errorf("xlsx: sheet %q row %d: %w", info.Sheet, line, err)
		}
		if empty(cells) {
			buf.WriteByte('\n') // keeps CSV lines equal to sheet rows
			continue
		}
		for i, c := range cells {
			if i < len(dates) && dates[i] {
				cells[i] = serialToDate(c, info.Date1904)
			}
		}
		if err := w.Write(cells); err != nil {
			return nil, info, fmt.Errorf("xlsx: %w", err)
		}
		w.Flush()
		info.Rows++
	}
	if err := rows.Error(); err != nil {
		return nil, info, fmt.Errorf("xlsx: sheet %q: %w", info.Sheet, err)
	}
	w.Flush()
	return buf.Bytes(), info, w.Error()
}

// choose picks the sheet to read.
func choose(f *excelize.File, sheets []string, want string) (string, error) {
	if want != "" {
		if n, err := strconv.Atoi(want); err == nil && n >= 1 && n <= len(sheets) {
			return sheets[n-1], nil
		}
		for _, s := range sheets {
			if strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(want)) {
				return s, nil
			}
		}
		return "", fmt.Errorf("xlsx: %w %q (the workbook has %s)", ErrNoSheet, want, strings.Join(quote(sheets), ", "))
	}
	best, bestRows := "", -1
	for _, s := range sheets {
		head, n, err := firstRows(f, s, sniffRows, false)
		if err != nil {
			return "", err
		}
		if len(head) > 0 {
			m, err := ingest.DetectRoles(trimAll(head[0]), nil)
			if err == nil && m.Column(ingest.RoleCustomer) >= 0 && m.Column(ingest.RoleDate) >= 0 &&
				(m.Column(ingest.RoleAmount) >= 0 || m.Column(ingest.RoleUnitPrice) >= 0) {
				return s, nil
			}
		}
		if n > bestRows {
			best, bestRows = s, n
		}
	}
	if best == "" {
		return "", fmt.Errorf("xlsx: the workbook has no sheets")
	}
	return best, nil
}

// firstRows reads up to n non-empty rows of a sheet, raw or formatted,
// and how many rows it read in all.
func firstRows(f *excelize.File, sheet string, n int, raw bool) ([][]string, int, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, 0, fmt.Errorf("xlsx: sheet %q: %w", sheet, err)
	}
	defer rows.Close()
	var out [][]string
	seen := 0
	for len(out) < n && rows.Next() {
		seen++
		cells, err := rows.Columns(excelize.Options{RawCellValue: raw})
		if err != nil {
			return nil, 0, fmt.Errorf("xlsx: sheet %q row %d: %w", sheet, seen, err)
		}
		if !empty(cells) {
			out = append(out, cells)
		}
	}
	return out, seen, rows.Error()
}

// dateColumns marks the columns whose number cells are shown as dates:
// the first rows are read raw and formatted, and a number shown with a
// date's separators is a date.
func dateColumns(f *excelize.File, sheet string) ([]bool, error) {
	shown, _, err := firstRows(f, sheet, sniffRows, false)
	if err != nil {
		return nil, err
	}
	raw, _, err := firstRows(f, sheet, sniffRows, true)
	if err != nil {
		return nil, err
	}
	var dates []bool
	for r := 1; r < len(raw) && r < len(shown); r++ { // row 0 is the header
		for c, v := range raw[r] {
			if c >= len(shown[r]) || !isNumber(v) || shown[r][c] == v || !looksLikeDate(shown[r][c]) {
				continue
			}
			for len(dates) <= c {
				dates = append(dates, false)
			}
			dates[c] = true
		}
	}
	return dates, nil
}

// looksLikeDate tells whether a formatted cell reads as a date or time.
func looksLikeDate(s string) bool {
	s = strings.TrimSpace(s)
	return strings.ContainsAny(s, "/:年月") || strings.Contains(strings.TrimPrefix(s, "-"), "-") || strings.Count(s, ".") == 2
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// serialToDate writes a serial date number as YYYY-MM-DD; other text is
// returned as it is.
func serialToDate(s string, date1904 bool) string {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 2958465 {
		return s
	}
	return calendar.Format(calendar.FromSerial(v, date1904))
}

func empty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func trimAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strings.TrimSpace(v)
	}
	return out
}

func quote(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strconv.Quote(v)
	}
	return out
}
