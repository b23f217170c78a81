package exports

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
)

// Result is one customer's expected row: what segsim score must write
// for that customer.
type Result struct {
	CustomerID string
	First      string // YYYY-MM-DD, the first counted order's day
	Last       string // YYYY-MM-DD, the last counted order's day
	Frequency  int    // counted orders
	Cents      int64  // counted order values net of refunds, in cents
}

// Monetary returns Cents as segsim writes it: two decimals, a '.' and no
// thousands separator.
func (r Result) Monetary() string { return formatCents(r.Cents) }

// formatCents writes cents as [-]units.cc.
func formatCents(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	cc := strconv.FormatInt(c%100, 10)
	if c%100 < 10 {
		cc = "0" + cc
	}
	return sign + strconv.FormatInt(c/100, 10) + "." + cc
}

// ExpectedHeader is the header of an expected-answer file.
const ExpectedHeader = "customer_id,first_date,last_date,frequency,monetary"

// ExpectedCSV writes results (sorted by customer id) as the
// <file>.expected.csv of the corpus: ExpectedHeader, then one line per
// customer, LF line ends.
func ExpectedCSV(results []Result) []byte {
	var b bytes.Buffer
	b.WriteString(ExpectedHeader + "\n")
	for _, r := range results {
		b.WriteString(csvField(r.CustomerID, ','))
		b.WriteString("," + r.First + "," + r.Last + "," + strconv.Itoa(r.Frequency) + "," + r.Monetary() + "\n")
	}
	return b.Bytes()
}

// columns says which of the rule-deciding columns a shape has.
type columns struct {
	payTime bool // a payment-time column: a counted order's day is its payment day
	refund  bool // a refund-amount column: the value is net of it
}

// counts tells whether o is a counted order in a file with cols.
func counts(o Order, cols columns) bool {
	if o.Credit || !o.Status.Counts() {
		return false
	}
	return !cols.refund || o.Refund < o.Paid
}

// orderDay returns a counted order's day as written: the payment day when
// the file has a payment time for it, else the creation day.
func orderDay(o Order, cols columns) string {
	if cols.payTime && !o.PaidAt.IsZero() {
		return o.PaidAt.Format(dayLayout)
	}
	return o.Created.Format(dayLayout)
}

// orderValue returns a counted order's value: paid, less any refund.
func orderValue(o Order, cols columns) int64 {
	if cols.refund {
		return o.Paid - o.Refund
	}
	return o.Paid
}

// dayLayout is the layout of a calendar day.
const dayLayout = "2006-01-02"

// expect computes the expected answer from the ground truth: per customer
// with at least one counted order, the first and last counted order day,
// the number of counted orders and their value net of refunds and refund
// lines. Results are sorted by customer id (byte order).
func expect(orders []Order, cols columns) []Result {
	by := map[string]*Result{}
	credit := map[string]int64{}
	for _, o := range orders {
		if o.Credit {
			credit[o.Buyer.ID] += o.Paid
			continue
		}
		if !counts(o, cols) {
			continue
		}
		res := by[o.Buyer.ID]
		if res == nil {
			res = &Result{CustomerID: o.Buyer.ID}
			by[o.Buyer.ID] = res
		}
		addDay(res, orderDay(o, cols))
		res.Frequency++
		res.Cents += orderValue(o, cols)
	}
	out := make([]Result, 0, len(by))
	for id, res := range by {
		res.Cents -= credit[id]
		out = append(out, *res)
	}
	sortResults(out)
	return out
}

// addDay widens r's first and last day to include day.
func addDay(r *Result, day string) {
	if r.First == "" || day < r.First {
		r.First = day
	}
	if day > r.Last {
		r.Last = day
	}
}

// sortResults sorts by customer id, byte order.
func sortResults(rs []Result) {
	slices.SortFunc(rs, func(a, b Result) int { return cmp.Compare(a.CustomerID, b.CustomerID) })
}
