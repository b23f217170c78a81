package warehousetest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"segsim/core/ingest"
	"segsim/seeds/gen"
	"segsim/seeds/samples"
)

// Sample makes a case from one of the bundled samples (seeds/samples).
func Sample(name, asOf string) (*Case, error) {
	b, err := samples.FS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	return FromOrders(name, b, asOf)
}

// GeneratedSeed is the seed of the generated order file.
const GeneratedSeed = 18

// Generated writes an apparel order file of about n orders (made by
// seeds/gen with GeneratedSeed, ending 2026-06-30) to path and makes a
// case of it as of asOf.
func Generated(path string, n int, asOf string) (*Case, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	_, err = gen.Generate(w, gen.Config{Industry: "apparel", Orders: n, Seed: GeneratedSeed})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return FromOrders(fmt.Sprintf("generated %d orders", n), b, asOf)
}

// rulesFile exercises each row rule of the import with a few customers:
//
//	a  an order of two lines on two days (dated by the first, its channel
//	   the earliest line's), a zero-value order, heavy discounts, a
//	   Saturday order, a refund column netted and one covering the line,
//	   refund lines (negative amounts) netted from revenue
//	b  payment time over order time, unpaid, partly refunded and
//	   cancelled statuses, the paid amount read over the total
//	c  nothing but unpaid orders and a refund line: no customer
//	d  rows on or after the as-of date (by payment time too)
//	e  amounts rounded to cents half away from zero
//	f  rows without an order id, each an order of its own
//	g  two orders on the first day: the earlier one's channel
//	h  a further line item with no amount or date
//	i  ids with spaces around them
//	j  k  an odd and an even number of gaps (median, last gap)
//	l  an order id C + digits that is no cancellation (most ids are not numbers)
const rulesFile = `customer_id,order_id,order_date,paid_at,paid_amount,total,discount,refund,channel,status
a,A1,2025-01-10 10:00:00,,40.00,40.00,0,,web,paid
a,A1,2025-01-09 09:00:00,,25.50,25.50,5.00,,app,paid
a,A2,2025-02-01 12:00:00,,0.00,30.00,30.00,,web,paid
a,A3,2025-01-04 15:00:00,,100.00,100.00,,30.00,store,paid
a,A4,2025-02-10 08:00:00,,50.00,50.00,,50.00,web,paid
a,A5,2025-03-01 10:00:00,,20.00,80.00,60.00,,web,paid
a,A3,2025-02-15 10:00:00,,-15.00,,,,store,refunded
a,A6,2025-02-20 10:00:00,,-5.00,,,,web,paid
b,B1,2025-03-01 10:00:00,2025-03-05 11:00:00,60.00,60.00,,,app,已支付
b,B2,2025-03-02 10:00:00,,15.00,15.00,,,web,待付款
b,B3,2025-03-03 10:00:00,,15.00,15.00,,,web,Pending
b,B4,2025-03-04 10:00:00,2025-03-04 10:05:00,22.00,30.00,8.00,5.00,web,Partially Refunded
b,B5,2025-03-06 10:00:00,,10.00,10.00,,,web,CANCELLED
b,B6,2025-03-10 10:00:00,,33.00,,,,web,
c,C1,2025-01-15 10:00:00,,12.00,12.00,,,web,unpaid
c,C2,2025-01-20 10:00:00,,-3.00,,,,web,refunded
d,D1,2025-05-31 23:59:59,,10.00,,,,web,paid
d,D2,2025-06-01 00:00:00,,99.00,,,,web,paid
d,D3,2025-05-20 10:00:00,2025-06-02 10:00:00,20.00,,,,web,paid
e,E1,2025-04-01 10:00:00,,1.005,,,,web,paid
e,E2,2025-04-02 10:00:00,,2.675,,,,web,paid
e,E3,2025-04-03 10:00:00,,-0.125,,,,web,refunded
f,,2025-04-05 10:00:00,,10.00,,,,web,paid
f,,2025-04-05 11:00:00,,12.00,,,,app,paid
g,G1,2025-04-07 09:00:00,,10.00,,,,app,paid
g,G2,2025-04-07 18:00:00,,10.00,,,,web,paid
h,H1,2025-04-08 10:00:00,,50.00,,,,web,paid
h,H1,,,,,,,,
" i ", I1 ,2025-04-09 10:00:00,,5.00,,,,web,paid
j,J1,2025-01-01 10:00:00,,10.00,,,,web,paid
j,J2,2025-01-04 10:00:00,,10.00,,,,web,paid
j,J3,2025-01-10 10:00:00,,10.00,,,,web,paid
j,J4,2025-01-11 10:00:00,,10.00,,,,web,paid
k,K1,2025-02-01 10:00:00,,10.00,,,,web,paid
k,K2,2025-02-03 10:00:00,,10.00,,,,web,paid
k,K3,2025-02-05 10:00:00,,10.00,,,,web,paid
k,K4,2025-02-10 10:00:00,,10.00,,,,web,paid
k,K5,2025-02-19 10:00:00,,10.00,,,,web,paid
l,C100,2025-04-10 10:00:00,,9.00,,,,web,paid
test_01,T1,2025-04-11 10:00:00,,1.00,,,,web,paid
`

// RulesAsOf is the as-of date of the rules case.
const RulesAsOf = "2025-06-01"

// Rules makes the case that exercises each row rule (see rulesFile),
// with one more customer per status word of the import, whose one order
// carries that word in capitals inside a longer status: the customer is
// there when the word makes the order a sale.
func Rules() (*Case, error) {
	var b strings.Builder
	b.WriteString(rulesFile)
	partial, unpaid, returned := ingest.StatusWords()
	for i, w := range append(append(partial, unpaid...), returned...) {
		fmt.Fprintf(&b, "w%03d,W%d,2025-05-%02d 10:00:00,,%d.00,,,,web,\"Order %s now\"\n", i, i, 1+i%28, 10+i, strings.ToUpper(w))
	}
	return FromOrders("rules", []byte(b.String()), RulesAsOf)
}

// cInvoiceFile has numeric order ids: C + digits marks a cancellation.
const cInvoiceFile = `customer_id,order_id,order_date,amount
u1,536365,2010-12-01 08:26:00,15.30
u1,536366,2010-12-02 08:28:00,11.10
u1,C536379,2010-12-03 09:41:00,-2.50
u2,536367,2010-12-01 08:34:00,54.08
u2,C536380,2010-12-05 09:41:00,12.00
u2,536368,2010-12-06 10:00:00,20.00
u3,C536381,2010-12-07 11:00:00,5.00
`

// CInvoices makes the case of an export whose order ids are numbers, where
// C followed by digits cancels (UCI Online Retail).
func CInvoices() (*Case, error) {
	return FromOrders("c-invoices", []byte(cInvoiceFile), "2011-01-01")
}

// Maker names a case and makes it in a directory (where a generated file
// is written).
type Maker struct {
	Name string
	Make func(dir string) (*Case, error)
}

// GeneratedOrders is the size of the large generated case.
const GeneratedOrders = 1_000_000

// Cases lists the cases every engine test runs: the rules, C-invoices,
// CDNOW, a Chinese sample and a generated file of GeneratedOrders orders.
func Cases() []Maker {
	return []Maker{
		{"rules", func(string) (*Case, error) { return Rules() }},
		{"c-invoices", func(string) (*Case, error) { return CInvoices() }},
		{"cdnow", func(string) (*Case, error) { return Sample("cdnow.csv", "1998-07-01") }},
		{"apparel_zh", func(string) (*Case, error) { return Sample("apparel_zh.csv", "2026-05-01") }},
		{"generated", func(dir string) (*Case, error) {
			return Generated(filepath.Join(dir, "orders.csv"), GeneratedOrders, "2026-04-01")
		}},
	}
}
