package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"segsim/core/warehouse"
)

func init() {
	commands["sql"] = sqlCmd
}

// sqlCmd prints the query that aggregates a warehouse's order table into
// one stats row per customer, in the chosen dialect.
func sqlCmd(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("segsim sql", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var s warehouse.Spec
	dialect := fs.String("dialect", "", "SQL dialect: "+orList(warehouse.DialectNames()))
	fs.StringVar(&s.Table, "table", "", "the order table, optionally qualified (`schema.table`, project.dataset.table)")
	fs.StringVar(&s.Customer, "customer", "", "customer id `column`")
	fs.StringVar(&s.Date, "date", "", "order date or time `column`")
	fs.StringVar(&s.Amount, "amount", "", "order line amount `column` (not read when --paid-amount is given)")
	fs.StringVar(&s.PaidAmount, "paid-amount", "", "amount paid `column`, read over --amount (as 实付金额 over 订单金额)")
	fs.StringVar(&s.Order, "order", "", "order id `column`: the lines of one order count as one order")
	fs.StringVar(&s.Status, "status", "", "order status `column`: unpaid, cancelled and refunded orders do not count")
	fs.StringVar(&s.Refund, "refund", "", "refunded amount `column`, netted from the line (a refund of all of it leaves the order out)")
	fs.StringVar(&s.PaidAt, "paid-at", "", "payment time `column`, read over --date where set")
	fs.StringVar(&s.Discount, "discount", "", "discount `column`")
	fs.StringVar(&s.Channel, "channel", "", "sales channel `column`")
	fs.StringVar(&s.AsOf, "asof", "", "as-of date `YYYY-MM-DD`: rows on or after it are left out")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: segsim sql --dialect D --table T --customer C --date D --amount A --asof YYYY-MM-DD [flags]\n\n"+
			"Prints the query that turns the order table into one row per customer with the stats fields\n  %s\n"+
			"read with the same rules as segsim's import. Export its result as CSV and give it to\n"+
			"segsim score, the page or the worker as you would the orders.\n\nFlags:\n", strings.Join(warehouse.Fields(), ","))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "segsim sql: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"dialect", *dialect}, {"table", s.Table}, {"customer", s.Customer},
		{"date", s.Date}, {"amount", s.Amount + s.PaidAmount}, {"asof", s.AsOf}} {
		if f.v == "" {
			missing = append(missing, "--"+f.name)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "segsim sql: missing %s\n", strings.Join(missing, ", "))
		fs.Usage()
		return 2
	}
	q, err := warehouse.Render(*dialect, s)
	if err != nil {
		fmt.Fprintf(stderr, "segsim sql: %v\n", err)
		return 2
	}
	if _, err := io.WriteString(stdout, q); err != nil {
		fmt.Fprintf(stderr, "segsim sql: %v\n", err)
		return 1
	}
	return 0
}
