// Package warehousetest prepares order files for the tests that run the
// warehouse queries on real database engines: the rows segsim reads, as a
// table of typed columns an engine loads, and segsim's own per-customer
// stats and scores of the same orders, to hold a query's result against.
package warehousetest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"segsim/core/calendar"
	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/scenario"
	"segsim/core/warehouse"
)

// Column is a column of a case's table. Type is "text", "timestamp" or
// "decimal"; each engine test names its own types for them.
type Column struct {
	Name, Type string
}

// Case is an order file made ready for an engine.
type Case struct {
	Name string
	// Columns and Table are the order table: a CSV with a header, the rows
	// segsim keeps (rows it skips as unreadable are left out, as a
	// warehouse's typed table could not hold them), dates written
	// YYYY-MM-DD with the time where the file has one, an empty field for
	// NULL.
	Columns []Column
	Table   []byte
	Rows    int
	// Spec names the table's columns for warehouse.Render; its Table is
	// left for the test to fill in.
	Spec warehouse.Spec
	// Orders is the order file; Want the stats CSV that a query on Table
	// must return (rows in any order), computed from Orders by segsim.
	Orders []byte
	Want   []byte
}

// roleTypes are the table types of the columns segsim reads; the file's
// other columns are text.
var roleTypes = map[string]string{
	"date": "timestamp", "paid_date": "timestamp",
	"amount": "decimal", "discount": "decimal", "refund": "decimal",
}

// FromOrders makes a case from an order file (CSV with a header, dates
// year first) and an as-of date, YYYY-MM-DD. The table keeps the file's
// column names.
func FromOrders(name string, orders []byte, asOf string) (*Case, error) {
	o, rep, err := ingest.Parse(orders, ingest.Options{KeepRejects: true})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if o.Sub != nil {
		return nil, fmt.Errorf("%s: amounts from quantity × unit price are not a warehouse query's input", name)
	}
	c := &Case{Name: name, Orders: orders, Spec: specOf(rep.Roles, asOf)}
	roleOf := map[string]string{}
	for role, header := range rep.Roles {
		roleOf[header] = role
	}
	for _, h := range rep.Headers {
		typ := "text"
		if t, ok := roleTypes[roleOf[h]]; ok {
			typ = t
		}
		c.Columns = append(c.Columns, Column{Name: h, Type: typ})
	}
	if c.Table, c.Rows, err = table(orders, rep, roleOf); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if c.Rows != rep.RowsKept {
		return nil, fmt.Errorf("%s: the table has %d rows; segsim kept %d", name, c.Rows, rep.RowsKept)
	}
	if c.Want, err = want(orders, asOf); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return c, nil
}

// specOf names the columns of each role the import found.
func specOf(roles map[string]string, asOf string) warehouse.Spec {
	return warehouse.Spec{
		Customer: roles["customer"], Date: roles["date"], Amount: roles["amount"],
		Order: roles["order"], Status: roles["status"], Refund: roles["refund"],
		PaidAt: roles["paid_date"], Discount: roles["discount"], Channel: roles["channel"],
		AsOf: asOf,
	}
}

// table writes the rows the import kept, with dates in ISO form.
func table(orders []byte, rep *ingest.Report, roleOf map[string]string) ([]byte, int, error) {
	skipped := map[int]bool{}
	for _, s := range rep.Rejects {
		skipped[s.Line] = true
	}
	r := csv.NewReader(bytes.NewReader(orders))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	rows := 0
	for first := true; ; first = false {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, fmt.Errorf("read orders: %w", err)
		}
		line, _ := r.FieldPos(0)
		if first {
			w.Write(rep.Headers)
			continue
		}
		if skipped[line] {
			continue
		}
		if len(rec) != len(rep.Headers) {
			return nil, 0, fmt.Errorf("line %d has %d fields and was not skipped", line, len(rec))
		}
		for i, h := range rep.Headers {
			if t := roleTypes[roleOf[h]]; t == "timestamp" && rec[i] != "" {
				if rec[i], err = isoTime(rec[i]); err != nil {
					return nil, 0, fmt.Errorf("line %d: %w", line, err)
				}
			}
		}
		w.Write(rec)
		rows++
	}
	w.Flush()
	return b.Bytes(), rows, w.Error()
}

// isoTime writes a date the import reads year first as YYYY-MM-DD, with
// the time of day when it has one in the form HH:MM:SS.
func isoTime(v string) (string, error) {
	day, ok := ingest.ParseDate([]byte(v), ingest.FormatYMD)
	if !ok {
		return "", fmt.Errorf("date %q is not year first", v)
	}
	s := calendar.Format(day)
	if len(v) >= 19 && (v[10] == ' ' || v[10] == 'T') && v[13] == ':' && v[16] == ':' {
		s += " " + v[11:19]
	}
	return s, nil
}

// want returns segsim's stats of the orders at the as-of date (what
// `segsim stats` writes). Test accounts are kept: the stats carry every
// customer, and segsim leaves test accounts out when it scores them.
func want(orders []byte, asOf string) ([]byte, error) {
	ds, _, err := run(orders, asOf, "keep")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := ds.WriteStats(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// run loads an order or stats file and runs segsim's default scenario on
// it at the as-of date, with the test accounts rule given.
func run(data []byte, asOf, testAccounts string) (*engine.Dataset, *engine.Result, error) {
	ds, err := engine.Load(data, ingest.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	sc := scenario.Default()
	sc.Window.AsOf = asOf
	sc.Clean.TestAccounts = testAccounts
	res, err := ds.Run(sc)
	if err != nil {
		return nil, nil, fmt.Errorf("run: %w", err)
	}
	return ds, res, nil
}

func writeCSV(header []string, rows [][]string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	w.WriteAll(rows)
	return b.Bytes(), w.Error()
}

// readCSV reads a CSV into its header and rows.
func readCSV(data []byte) ([]string, [][]string, error) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, nil, err
	}
	if len(recs) == 0 {
		return nil, nil, errors.New("no header")
	}
	return recs[0], recs[1:], nil
}

// maxDiffs bounds the differences an error lists.
const maxDiffs = 10

// CompareStats checks the stats a query returned (a CSV with a header,
// rows in any order) against what segsim computes from the orders: the
// same header, the same customers and every field equal as text.
func (c *Case) CompareStats(got []byte) error {
	return compareRows(c.Want, got, nil, "segsim", "query")
}

// compareRows compares two CSVs row by row, matching rows on the first
// field (the customer id): the same header, the same ids, and equal fields
// in the columns named by only (all when nil). It names up to maxDiffs
// differences, calling the two sides wantName and gotName.
func compareRows(want, got []byte, only []string, wantName, gotName string) error {
	wh, wr, err := readCSV(want)
	if err != nil {
		return fmt.Errorf("%s: %w", wantName, err)
	}
	gh, gr, err := readCSV(got)
	if err != nil {
		return fmt.Errorf("%s: %w", gotName, err)
	}
	if !slices.Equal(wh, gh) {
		return fmt.Errorf("header %v from the %s; want %v from %s", gh, gotName, wh, wantName)
	}
	cols := make([]int, 0, len(wh))
	for i, h := range wh {
		if only == nil || slices.Contains(only, h) {
			cols = append(cols, i)
		}
	}
	byID := make(map[string][]string, len(gr))
	for _, r := range gr {
		if _, dup := byID[r[0]]; dup {
			return fmt.Errorf("customer %q appears twice in the %s's rows", r[0], gotName)
		}
		byID[r[0]] = r
	}
	var diffs []string
	for _, w := range wr {
		g, ok := byID[w[0]]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("customer %q: missing from the %s", w[0], gotName))
			continue
		}
		delete(byID, w[0])
		for _, k := range cols {
			if !sameField(wh[k], g[k], w[k]) {
				diffs = append(diffs, fmt.Sprintf("customer %q %s: %s %q, %s %q", w[0], wh[k], gotName, g[k], wantName, w[k]))
			}
		}
	}
	for id := range byID {
		diffs = append(diffs, fmt.Sprintf("customer %q: only in the %s", id, gotName))
	}
	if len(diffs) == 0 {
		return nil
	}
	more := ""
	if len(diffs) > maxDiffs {
		more = fmt.Sprintf(" (and %d more)", len(diffs)-maxDiffs)
		diffs = diffs[:maxDiffs]
	}
	return fmt.Errorf("%d rows from the %s, %d from %s; %d differences%s:\n  %s",
		len(gr), gotName, len(wr), wantName, len(diffs), more, joinLines(diffs))
}

// sameField tells whether two values of a field are equal: as text, or
// for a median gap (23 or 23.0) as numbers.
func sameField(name, a, b string) bool {
	if a == b {
		return true
	}
	if name != "median_gap" {
		return false
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && x == y
}

func joinLines(s []string) string {
	var b bytes.Buffer
	for i, v := range s {
		if i > 0 {
			b.WriteString("\n  ")
		}
		b.WriteString(v)
	}
	return b.String()
}

// Score scores an order or stats file with segsim's defaults at the
// as-of date and returns its per-customer CSV.
func Score(data []byte, asOf string) ([]byte, error) {
	ds, res, err := run(data, asOf, scenario.Default().Clean.TestAccounts)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := ds.WriteCSV(&b, res, engine.CSVOptions{}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// BasicColumns are the customer CSV's columns that the six basic stats
// fields determine: all but the lifecycle stage and the tags.
func BasicColumns() []string {
	return slices.DeleteFunc(slices.Clone(engine.Columns), func(c string) bool { return c == "stage" || c == "tags" })
}

// CompareBasicScores scores the orders, and the six basic fields of the
// stats a query returned, and checks that every column those fields
// determine (BasicColumns) is equal for every customer.
func (c *Case) CompareBasicScores(stats []byte) error {
	basic, err := Project(stats, warehouse.BasicFields)
	if err != nil {
		return err
	}
	want, err := Score(c.Orders, c.Spec.AsOf)
	if err != nil {
		return fmt.Errorf("orders: %w", err)
	}
	got, err := Score(basic, c.Spec.AsOf)
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	return compareRows(want, got, BasicColumns(), "orders", "stats")
}

// CompareFullScores scores the orders, and the stats a query returned
// with every field, and checks that the two customer CSVs are equal byte
// for byte, rows aside: the stats come in the query's order (by customer
// id), the orders' customers in the order of the file.
func (c *Case) CompareFullScores(stats []byte) error {
	want, err := Score(c.Orders, c.Spec.AsOf)
	if err != nil {
		return fmt.Errorf("orders: %w", err)
	}
	got, err := Score(stats, c.Spec.AsOf)
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	if bytes.Equal(sortedLines(want), sortedLines(got)) {
		return nil
	}
	if err := compareRows(want, got, nil, "orders", "stats"); err != nil {
		return err
	}
	return errors.New("the customer CSVs differ in their text, not in their fields")
}

// sortedLines returns a CSV's header and its rows sorted (no field of
// these CSVs holds a line break).
func sortedLines(csv []byte) []byte {
	lines := bytes.SplitAfter(csv, []byte("\n"))
	slices.SortFunc(lines[1:], bytes.Compare)
	return bytes.Join(lines, nil)
}

// Project keeps the named columns of a CSV, in that order.
func Project(data []byte, names []string) ([]byte, error) {
	h, rows, err := readCSV(data)
	if err != nil {
		return nil, err
	}
	idx := make([]int, len(names))
	for i, n := range names {
		if idx[i] = slices.Index(h, n); idx[i] < 0 {
			return nil, fmt.Errorf("no column %q in %v", n, h)
		}
	}
	out := make([][]string, len(rows))
	for r, row := range rows {
		out[r] = make([]string, len(idx))
		for i, k := range idx {
			out[r][i] = row[k]
		}
	}
	return writeCSV(names, out)
}

// TableName is the order table's name in the engine tests: in a schema,
// and a name that needs quoting.
const TableName = "shop.order lines"

// CreateTable returns the statement that creates the case's table as
// TableName (quoted as DuckDB and PostgreSQL quote it), types naming the
// engine's type for each column type.
func (c *Case) CreateTable(types map[string]string) string {
	cols := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		cols[i] = fmt.Sprintf("%q %s", col.Name, types[col.Type])
	}
	return `CREATE TABLE shop."order lines" (` + strings.Join(cols, ", ") + `)`
}

// Query renders the dialect's query on TableName.
func (c *Case) Query(dialect string) (string, error) {
	spec := c.Spec
	spec.Table = TableName
	return warehouse.Render(dialect, spec)
}
