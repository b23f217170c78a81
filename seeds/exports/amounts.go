package exports

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// amountFormats are the ways amounts_mixed.csv writes a positive amount,
// used row by row in turn.
var amountFormats = []func(c int64) string{
	func(c int64) string { return moneyGrouped(c, ".", ",") },       // 1.249,00
	func(c int64) string { return moneyGrouped(c, " ", ",") },       // 1 249,00
	func(c int64) string { return "¥" + moneyGrouped(c, ",", ".") }, // ¥1,249.00
	func(c int64) string { return moneyGrouped(c, ",", ".") + "元" }, // 1,249.00元
	fullWidth,  // １２４９．００
	plainShort, // 12.5
}

// fullWidth writes cents in full-width digits: １２４９．００.
func fullWidth(c int64) string {
	var b strings.Builder
	for _, ch := range money(c) {
		switch {
		case ch >= '0' && ch <= '9':
			b.WriteRune(ch - '0' + '０')
		case ch == '.':
			b.WriteRune('．')
		default:
			b.WriteRune(ch)
		}
	}
	return b.String()
}

// plainShort writes cents without trailing zero decimals: 12.5, 12, 12.34.
func plainShort(c int64) string {
	s := money(c)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// accounting writes a refund in accounting style: (12.00), (1,249.00).
func accounting(c int64) string { return "(" + moneyGrouped(c, ",", ".") + ")" }

// amountsMixed mixes amount spellings row by row and has refund lines in
// accounting style, each after a sale of the same customer.
func amountsMixed() (File, error) {
	const name = "amounts_mixed.csv"
	r := newRNG(seedOf(name))
	orders := generate(r, plainProfile(60, "P"))
	for i := range orders {
		o := &orders[i]
		if r.chance(0.45) {
			o.Paid = r.between64(100000, 480000)
		} else {
			o.Paid = r.between64(350, 99999)
		}
	}
	orders = addCredits(r, orders, 9)
	rows := make([][]string, 0, len(orders))
	sale := 0
	for _, o := range orders {
		amount := accounting(o.Paid)
		if !o.Credit {
			amount = amountFormats[sale%len(amountFormats)](o.Paid)
			sale++
		}
		rows = append(rows, []string{o.Buyer.ID, o.ID, o.Created.Format(dayLayout), amount})
	}
	data, err := textFormat{comma: ','}.write([]string{"customer_id", "order_id", "order_date", "amount"}, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "amounts mixed row by row: 1.249,00, 1 249,00, ¥1,249.00, 1,249.00元, full-width, 12.5; (12.00) refund lines",
		data, orders, columns{}, len(rows), 0), nil
}

// addCredits adds n refund lines, each refunding part of a different
// sale 1–20 days after it, with its own order id, and returns the orders
// sorted by time.
func addCredits(r rng, orders []Order, n int) []Order {
	for _, k := range r.Perm(len(orders))[:n] {
		s := orders[k]
		orders = append(orders, Order{
			Buyer: s.Buyer, ID: "RF-" + s.ID, Created: s.Created.Add(time.Duration(r.between(1, 20)) * 24 * time.Hour),
			Status: Refunded, Paid: r.between64(max(s.Paid/10, 100), s.Paid/2), Credit: true,
		})
	}
	slices.SortStableFunc(orders, func(a, b Order) int { return cmp.Compare(a.Created.Unix(), b.Created.Unix()) })
	return orders
}
