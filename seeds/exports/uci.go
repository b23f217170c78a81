package exports

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// retailLine is one line of the UCI Online Retail shape. Prices are in
// thousandths of a pound, so that a line's value qty × price is exact.
type retailLine struct {
	invoice  string // six digits, or C and six digits for a cancellation
	code     string
	desc     string
	qty      int // negative on a cancellation line
	milli    int64
	when     time.Time
	customer string // "" for a line without a customer
	country  string
}

// value is the line's exact value in thousandths.
func (l retailLine) value() int64 { return int64(l.qty) * l.milli }

// cancelled tells whether the line belongs to a C invoice.
func (l retailLine) cancelled() bool { return l.invoice[0] == 'C' }

// retailInvoice is one invoice while the file is drawn.
type retailInvoice struct {
	cancel   bool
	when     time.Time
	customer string
	country  string
	lines    []retailLine
}

// onlineRetail is the UCI Online Retail shape: one row per invoice line,
// M/D/YYYY H:MM dates, three-decimal unit prices, C-prefixed cancellation
// invoices and lines without a CustomerID.
func onlineRetail() (File, error) {
	const name = retailName
	lines := retailLines()
	rows := make([][]string, 0, len(lines))
	customers := map[string]bool{}
	orders, bad := map[string]bool{}, 0
	for _, l := range lines {
		rows = append(rows, []string{l.invoice, l.code, l.desc, strconv.Itoa(l.qty), retailTime(l.when), milliText(l.milli), l.customer, l.country})
		if l.customer == "" {
			bad++
			continue
		}
		customers[l.customer] = true
		if !l.cancelled() {
			orders[l.invoice] = true
		}
	}
	header := []string{"InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"}
	data, err := textFormat{comma: ','}.write(header, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return File{
		Name: name, Shape: "UCI Online Retail: M/D/YYYY H:MM, 3-decimal UnitPrice, C invoices, blank CustomerID lines", Data: data,
		Expected: expectRetail(lines), Rows: len(rows), BadRows: bad, Orders: len(orders), Customers: len(customers),
	}, nil
}

// retailName is the UCI-shaped file's name.
const retailName = "online_retail.csv"

// retailLines draws the lines of the UCI-shaped file, in file order.
func retailLines() []retailLine {
	r := newRNG(seedOf(retailName))
	return numberInvoices(r, drawRetail(r, 54))
}

// drawRetail draws the invoices of n customers, their cancellations, and
// a few invoices without a customer.
func drawRetail(r rng, n int) []retailInvoice {
	seen := map[string]bool{}
	var out []retailInvoice
	for range n {
		id := unique(seen, func() string { return strconv.Itoa(r.between(12346, 18287)) })
		country := pick(r, ukCountries)
		var sales []retailInvoice
		for range 1 + r.weighted([]int{35, 25, 18, 12, 10}) {
			sales = append(sales, drawInvoice(r, id, country))
		}
		out = append(out, sales...)
		if r.chance(0.3) {
			if c, ok := cancelInvoice(r, pick(r, sales)); ok {
				out = append(out, c)
			}
		}
	}
	for range 3 {
		out = append(out, drawInvoice(r, "", "United Kingdom"))
	}
	return out
}

// retailTimeOf draws an invoice time: a day in range, shop hours.
func retailTimeOf(r rng) time.Time {
	days := int(lastDay.Sub(firstDay).Hours()/24) - 30
	day := firstDay.AddDate(0, 0, r.IntN(days+1))
	return day.Add(time.Duration(7*60+r.IntN(13*60)) * time.Minute)
}

// drawInvoice draws one sale invoice of customer id (blank for none).
func drawInvoice(r rng, id, country string) retailInvoice {
	inv := retailInvoice{when: retailTimeOf(r), customer: id, country: country}
	n := 1 + r.weighted([]int{22, 22, 20, 14, 12, 10})
	for _, k := range r.Perm(len(ukStock))[:n] {
		it := ukStock[k]
		q := pick(r, []int{1, 1, 2, 3, 3, 4, 5, 6, 7, 9, 12, 24})
		inv.lines = append(inv.lines, retailLine{code: it.code, desc: it.desc, qty: q, milli: it.milli, when: inv.when, customer: id, country: country})
	}
	return inv
}

// cancelInvoice cancels part of sale 1–20 days after it: some of its
// lines, never all of its value. It reports false when the sale is one
// line of one item, which cannot be cancelled in part.
func cancelInvoice(r rng, sale retailInvoice) (retailInvoice, bool) {
	when := sale.when.AddDate(0, 0, r.between(1, 20)).Add(time.Duration(r.between(-90, 90)) * time.Minute)
	c := retailInvoice{cancel: true, when: when, customer: sale.customer, country: sale.country}
	if len(sale.lines) == 1 {
		l := sale.lines[0]
		if l.qty < 2 {
			return c, false
		}
		l.qty, l.when = -r.between(1, l.qty-1), when
		return retailInvoice{cancel: true, when: when, customer: sale.customer, country: sale.country, lines: []retailLine{l}}, true
	}
	for _, k := range r.Perm(len(sale.lines))[:min(len(sale.lines)-1, 1+r.IntN(2))] {
		l := sale.lines[k]
		l.qty = -r.between(1, l.qty)
		l.when = when
		c.lines = append(c.lines, l)
	}
	return c, true
}

// numberInvoices sorts the invoices by time, numbers them from 536365
// (C and the number for cancellations) and returns their lines in order.
func numberInvoices(r rng, invoices []retailInvoice) []retailLine {
	slices.SortStableFunc(invoices, func(a, b retailInvoice) int { return a.when.Compare(b.when) })
	no := 536365
	var lines []retailLine
	for _, inv := range invoices {
		id := strconv.Itoa(no)
		if inv.cancel {
			id = "C" + id
		}
		no += 1 + r.IntN(3)
		for _, l := range inv.lines {
			l.invoice = id
			lines = append(lines, l)
		}
	}
	return lines
}

// retailTime writes M/D/YYYY H:MM, as the UCI file does.
func retailTime(t time.Time) string {
	return fmt.Sprintf("%d/%d/%d %d:%02d", int(t.Month()), t.Day(), t.Year(), t.Hour(), t.Minute())
}

// milliText writes thousandths with as few decimals as needed (2.55, 0.425).
func milliText(m int64) string {
	s := fmt.Sprintf("%d.%03d", m/1000, m%1000)
	for s[len(s)-1] == '0' && s[len(s)-2] != '.' {
		s = s[:len(s)-1]
	}
	return s
}

// roundMilli rounds thousandths to cents, half away from zero.
func roundMilli(m int64) int64 {
	if m < 0 {
		return -((-m + 5) / 10)
	}
	return (m + 5) / 10
}

// expectRetail computes the UCI answer: frequency is the distinct sale
// invoices, days are sale days, monetary is the exact sum of every line
// (cancellations included) rounded once to cents. Lines without a
// customer are not a customer.
func expectRetail(lines []retailLine) []Result {
	type acc struct {
		res      Result
		milli    int64
		invoices map[string]bool
	}
	by := map[string]*acc{}
	for _, l := range lines {
		if l.customer == "" {
			continue
		}
		a := by[l.customer]
		if a == nil {
			a = &acc{res: Result{CustomerID: l.customer}, invoices: map[string]bool{}}
			by[l.customer] = a
		}
		a.milli += l.value()
		if !l.cancelled() {
			a.invoices[l.invoice] = true
			addDay(&a.res, l.when.Format(dayLayout))
		}
	}
	out := make([]Result, 0, len(by))
	for _, a := range by {
		if len(a.invoices) == 0 {
			continue
		}
		a.res.Frequency = len(a.invoices)
		a.res.Cents = roundMilli(a.milli)
		out = append(out, a.res)
	}
	slices.SortFunc(out, func(a, b Result) int { return cmp.Compare(a.CustomerID, b.CustomerID) })
	return out
}

// perLineCents is what rounding every line to cents first would give
// for each customer; the corpus test checks that it differs from the
// right answer for several customers.
func perLineCents(lines []retailLine) map[string]int64 {
	out := map[string]int64{}
	for _, l := range lines {
		if l.customer != "" {
			out[l.customer] += roundMilli(l.value())
		}
	}
	return out
}
