package exports

import (
	"strconv"
	"strings"
	"time"
)

// wooSpelling mixes WooCommerce's status slugs and labels in one file.
var wooSpelling = spelling{
	Paid: {"wc-processing", "Processing"}, Shipped: {"wc-completed", "Completed"}, Complete: {"wc-completed", "Completed"},
	PartRefunded: {"wc-completed", "Completed"},
	Unpaid:       {"wc-pending", "Pending payment", "wc-on-hold", "On hold", "wc-failed", "Failed"},
	Cancelled:    {"wc-cancelled", "Cancelled"}, Refunded: {"wc-refunded", "Refunded"},
}

// wooPerson draws a customer: the billing e-mail is the identity; a third
// check out as guests (Customer User 0).
func wooPerson(r rng, seen map[string]bool) Person {
	first, last := pick(r, enFirst), pick(r, enLast)
	id := unique(seen, func() string {
		return strings.ToLower(first[:1]+last) + strconv.Itoa(r.between(1, 999)) + "@" + pick(r, emailDomains)
	})
	user := 0
	if r.chance(0.66) {
		user = r.between(2, 900)
	}
	return Person{ID: id, First: first, Last: last, User: user}
}

// woocommerce is a WooCommerce order export: the billing e-mail is the
// customer, statuses mix wc-completed and Completed spellings, and
// partial refunds sit in Order Refund Amount.
func woocommerce() (File, error) {
	const name = "woocommerce_orders.csv"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 94, neverCount: 4, spell: wooSpelling, products: enProducts,
		payTime: true, refunds: true, fullRefundCounted: 2, shipping: true, maxLines: 3,
		person:  wooPerson,
		orderID: runningOrderIDs("", 4500),
	})
	for i := range orders {
		if orders[i].Status == Cancelled { // cancelled before payment
			orders[i].PaidAt, orders[i].Refund = time.Time{}, 0
		}
	}
	header := []string{"Order ID", "Order Number", "Order Status", "Order Date", "Paid Date", "Customer User", "Billing First Name",
		"Billing Last Name", "Billing Email", "Order Subtotal Amount", "Order Total Amount", "Order Refund Amount"}
	rows := make([][]string, 0, len(orders))
	for _, o := range slicesBackward(orders) {
		b := o.Buyer
		rows = append(rows, []string{o.ID, o.ID, o.StatusText, stamp(o.Created), stamp(o.PaidAt), strconv.Itoa(b.User), b.First, b.Last, b.ID,
			money(o.Goods), money(o.Paid), money(o.Refund)})
	}
	data, err := textFormat{comma: ','}.write(header, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "WooCommerce export: Billing Email = customer, wc-completed/Completed mixed, Order Refund Amount", data, orders,
		columns{payTime: true, refund: true}, len(rows), 0), nil
}
