// Package warehouse writes the SQL that turns a warehouse's order table
// into segsim's per-customer stats: one row per customer with the fields
// a stats file carries, computed with the row rules of segsim's own import
// (statuses, refunds, payment time, line items) so that scoring the stats
// gives what scoring the orders gives. There is one readable template per
// dialect in sql/; Render fills in the user's table and column names,
// quoted for the dialect, and the as-of date.
package warehouse

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"unicode"

	"segsim/core/calendar"
	"segsim/core/clean"
	"segsim/core/ingest"
)

//go:embed sql/*.sql
var files embed.FS

// Dialect is a SQL dialect a template is written in.
type Dialect struct {
	Name  string // as given to Render and segsim sql --dialect
	Title string // the engine's name
	quote byte   // the identifier quote
}

// Dialects lists the dialects, in the order the README shows them.
var Dialects = []Dialect{
	{"duckdb", "DuckDB", '"'},
	{"postgres", "PostgreSQL", '"'},
	{"bigquery", "BigQuery", '`'},
	{"snowflake", "Snowflake", '"'},
	{"spark", "Spark SQL", '`'},
	{"clickhouse", "ClickHouse", '"'},
}

// DialectNames returns the dialects' names.
func DialectNames() []string {
	names := make([]string, len(Dialects))
	for i, d := range Dialects {
		names[i] = d.Name
	}
	return names
}

// Spec names the order table and its columns. Table, Customer, Date, the
// as-of date and Amount or PaidAmount are required; a column left empty is
// not read, as when an export has no such column.
type Spec struct {
	// Table is the order table, optionally qualified (schema.table or
	// project.dataset.table).
	Table    string
	Customer string // customer id
	Date     string // order (creation) date or time
	// Amount is the order line's value. PaidAmount, when given, is what
	// was paid, and is read instead, as the import prefers 实付金额 over
	// 订单金额.
	Amount, PaidAmount string
	Order              string // order id: lines with one id are one order
	Status             string // order status, classified as the import does
	Refund             string // amount refunded, netted from the line
	PaidAt             string // payment time, read over Date where set
	Discount           string // discount given on the line
	Channel            string // sales channel
	// AsOf is the as-of date, YYYY-MM-DD: rows on or after it are left out.
	AsOf string
}

// BasicFields are the six stats fields every stats file has.
var BasicFields = []string{"customer_id", "first_date", "last_date", "orders", "purchase_days", "revenue"}

// Fields returns the stats fields a query writes, in order: the basic
// six, then every optional field segsim reads (ingest.StatsOptional).
// Fields of a column the table lacks are written as segsim reads such an
// order file: no discount, no channel.
func Fields() []string {
	return append(append([]string{}, BasicFields...), ingest.StatsOptional...)
}

// ErrSpec is wrapped by every error about a Spec; test with errors.Is.
var ErrSpec = errors.New("invalid query spec")

// maxName bounds one part of a name.
const maxName = 128

// templateData is what a template is filled in with: quoted identifiers
// ("" for a column not given), the as-of date, the discount share that
// makes an order heavily discounted, and the status words as literals.
type templateData struct {
	Table                                            string
	Customer, Date, Amount                           string
	Order, Status, Refund, PaidAt, Discount, Channel string
	AsOf                                             string
	Heavy                                            string
	Partial, Unpaid, Returned                        []string
}

// Render returns the query for dialect (see Dialects) and s.
func Render(dialect string, s Spec) (string, error) {
	d, ok := findDialect(dialect)
	if !ok {
		return "", fmt.Errorf("%w: unknown dialect %q (want one of %s)", ErrSpec, dialect, strings.Join(DialectNames(), ", "))
	}
	data, err := d.data(s)
	if err != nil {
		return "", err
	}
	t, err := template.ParseFS(files, "sql/"+d.Name+".sql")
	if err != nil {
		return "", fmt.Errorf("template %s: %w", d.Name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("template %s: %w", d.Name, err)
	}
	return b.String(), nil
}

func findDialect(name string) (Dialect, bool) {
	for _, d := range Dialects {
		if d.Name == name {
			return d, true
		}
	}
	return Dialect{}, false
}

// data checks s and quotes its names for d.
func (d Dialect) data(s Spec) (*templateData, error) {
	if _, err := calendar.Parse(s.AsOf); err != nil || len(s.AsOf) != len("2006-01-02") {
		return nil, fmt.Errorf("%w: as-of date %q is not YYYY-MM-DD", ErrSpec, s.AsOf)
	}
	if s.Amount == "" && s.PaidAmount == "" {
		return nil, fmt.Errorf("%w: no amount column", ErrSpec)
	}
	t := &templateData{AsOf: s.AsOf, Heavy: strconv.FormatFloat(clean.Default().HunterDiscount, 'f', -1, 64)}
	var err error
	if t.Table, err = d.quoteName("table", s.Table, 3); err != nil {
		return nil, err
	}
	amount, amountFlag := s.Amount, "amount"
	if s.PaidAmount != "" {
		if s.Amount != "" {
			if _, err := d.quoteName("amount", s.Amount, 1); err != nil {
				return nil, err
			}
		}
		amount, amountFlag = s.PaidAmount, "paid-amount"
	}
	for _, c := range []struct {
		flag, name string
		to         *string
		required   bool
	}{
		{"customer", s.Customer, &t.Customer, true},
		{"date", s.Date, &t.Date, true},
		{amountFlag, amount, &t.Amount, true},
		{"order", s.Order, &t.Order, false},
		{"status", s.Status, &t.Status, false},
		{"refund", s.Refund, &t.Refund, false},
		{"paid-at", s.PaidAt, &t.PaidAt, false},
		{"discount", s.Discount, &t.Discount, false},
		{"channel", s.Channel, &t.Channel, false},
	} {
		if c.name == "" && !c.required {
			continue
		}
		if *c.to, err = d.quoteName(c.flag, c.name, 1); err != nil {
			return nil, err
		}
	}
	partial, unpaid, returned := ingest.StatusWords()
	for _, w := range []struct {
		words []string
		to    *[]string
	}{{partial, &t.Partial}, {unpaid, &t.Unpaid}, {returned, &t.Returned}} {
		for _, word := range w.words {
			lit, err := literal(word)
			if err != nil {
				return nil, err
			}
			*w.to = append(*w.to, lit)
		}
	}
	return t, nil
}

// quoteName checks a name of at most parts dot-separated parts and quotes
// each part. A part holds letters, digits, '_', '$', '-' and inner
// spaces: nothing that could end a quoted identifier or start a comment
// or a statement.
func (d Dialect) quoteName(what, name string, parts int) (string, error) {
	if name == "" {
		return "", fmt.Errorf("%w: no %s name", ErrSpec, what)
	}
	ps := strings.Split(name, ".")
	if len(ps) > parts {
		return "", fmt.Errorf("%w: %s name %q has more than %d parts", ErrSpec, what, name, parts)
	}
	q := string(d.quote)
	for i, p := range ps {
		if err := checkPart(p); err != nil {
			return "", fmt.Errorf("%w: %s name %q: %s", ErrSpec, what, name, err)
		}
		ps[i] = q + p + q
	}
	return strings.Join(ps, "."), nil
}

func checkPart(p string) error {
	switch {
	case p == "":
		return errors.New("empty part")
	case len(p) > maxName:
		return fmt.Errorf("part longer than %d bytes", maxName)
	case strings.TrimSpace(p) != p:
		return errors.New("spaces around a part")
	}
	for _, r := range p {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_$- ", r) {
			return fmt.Errorf("character %q is not allowed (letters, digits, _, $, - and inner spaces are)", r)
		}
	}
	return nil
}

// literal quotes a status word as a string literal every dialect reads
// the same way: the words hold no quote or backslash.
func literal(s string) (string, error) {
	if strings.ContainsAny(s, `'\`) || strings.ContainsFunc(s, unicode.IsControl) {
		return "", fmt.Errorf("%w: status word %q cannot be written as a literal", ErrSpec, s)
	}
	return "'" + s + "'", nil
}
