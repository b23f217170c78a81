package exports

import (
	"strconv"
	"strings"
	"time"
)

// shopifySpelling is Shopify's Financial Status.
var shopifySpelling = spelling{
	Paid: {"paid"}, Shipped: {"paid"}, Complete: {"paid"}, PartRefunded: {"partially_refunded"}, Authorized: {"authorized"},
	Unpaid: {"pending"}, Cancelled: {"voided"}, Refunded: {"refunded"},
}

// shopifyHeader is the column list of Shopify's orders export.
var shopifyHeader = []string{"Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing",
	"Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method", "Created at",
	"Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
	"Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street", "Billing City", "Billing Zip", "Billing Country",
	"Billing Phone", "Shipping Name", "Shipping City", "Shipping Country", "Notes", "Cancelled at", "Payment Method", "Refunded Amount",
	"Vendor", "Outstanding Balance", "Id", "Tags", "Source", "Phone"}

// shopifyPerson draws a customer: the e-mail address is the identity;
// billing names repeat across addresses.
func shopifyPerson(r rng, seen map[string]bool) Person {
	first, last := pick(r, enFirst), pick(r, enLast)
	if r.chance(0.12) {
		first, last = "John", "Smith" // the same billing name on different addresses
	}
	id := unique(seen, func() string {
		local := strings.ToLower(first) + pick(r, []string{".", "_", ""}) + strings.ToLower(last)
		if r.chance(0.5) {
			local += strconv.Itoa(r.between(1, 99))
		}
		return local + "@" + pick(r, emailDomains)
	})
	return Person{ID: id, Name: first + " " + last, First: first, Last: last, City: pick(r, usCities),
		Phone: "+1" + r.digits(10)}
}

// shopifyTime writes a Shopify timestamp: 2024-01-02 15:04:05 +0800.
func shopifyTime(t time.Time) string { return stampAs(t, "2006-01-02 15:04:05") + suffix(t, " +0800") }

// suffix returns s unless t is zero.
func suffix(t time.Time, s string) string {
	if t.IsZero() {
		return ""
	}
	return s
}

// shopify is Shopify's orders export: one row per line item; order-level
// fields only on the first row of an order; Email is the customer.
func shopify() (File, error) {
	const name = "shopify_orders.csv"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 86, neverCount: 4, spell: shopifySpelling, products: enProducts,
		payTime: true, refunds: true, shipping: true, tax: true, maxLines: 4,
		person:  shopifyPerson,
		orderID: runningOrderIDs("#", 1000),
	})
	for i := range orders {
		if orders[i].Status == Cancelled { // voided: the authorization was never captured
			orders[i].PaidAt, orders[i].Refund = time.Time{}, 0
		}
	}
	var rows [][]string
	for _, o := range orders {
		rows = append(rows, shopifyRows(r, o)...)
	}
	data, err := textFormat{comma: ','}.write(shopifyHeader, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "Shopify orders export: UTF-8, LF, one row per line item, Email = customer", data, orders,
		columns{payTime: true, refund: true}, len(rows), 0), nil
}

// shopifyRows writes one order: all columns on the first row, Name, Email,
// Created at and the Lineitem columns on the others.
func shopifyRows(r rng, o Order) [][]string {
	fulfil, fulfilled := "unfulfilled", time.Time{}
	if o.Status == Shipped || o.Status == Complete || o.Status == PartRefunded {
		fulfil, fulfilled = "fulfilled", o.PaidAt.Add(time.Duration(r.between(20, 72))*time.Hour)
	}
	code := ""
	if o.Discount > 0 {
		code = pick(r, []string{"WELCOME10", "SPRING15", "VIP20", "FREESHIP"})
	}
	cancelled, outstanding := time.Time{}, int64(0)
	switch o.Status {
	case Cancelled:
		cancelled = o.Created.Add(time.Duration(r.between(1, 30)) * time.Hour)
	case Unpaid, Authorized:
		outstanding = o.Paid
	}
	ship := "Standard Shipping"
	if o.Shipping == 0 {
		ship = "Free Shipping"
	}
	var rows [][]string
	for i, l := range o.Lines {
		row := make([]string, len(shopifyHeader))
		row[0], row[1], row[15] = o.ID, o.Buyer.ID, shopifyTime(o.Created)
		row[16], row[17], row[18], row[19] = strconv.Itoa(l.Qty), l.Name, money(l.Price), ""
		row[20], row[21], row[22], row[23] = l.SKU, "true", "true", "pending"
		if fulfil == "fulfilled" {
			row[23] = "fulfilled"
		}
		if i == 0 {
			copy(row[2:15], []string{o.StatusText, shopifyTime(o.PaidAt), fulfil, shopifyTime(fulfilled), pick(r, []string{"yes", "no"}),
				"USD", money(o.Goods - o.Discount), money(o.Shipping), money(o.Tax), money(o.Paid), code, money(o.Discount), ship})
			b := o.Buyer
			copy(row[24:], []string{b.Name, strconv.Itoa(r.between(10, 9999)) + " " + pick(r, usStreets), b.City, "'" + r.digits(5), "US",
				b.Phone, b.Name, b.City, "US", "", shopifyTime(cancelled), pick(r, []string{"Shopify Payments", "PayPal Express Checkout", "manual"}),
				money(o.Refund), "segsim goods", money(outstanding), "5" + r.digits(12), "", pick(r, []string{"web", "pos", "shopify_draft_order"}), ""})
		}
		rows = append(rows, row)
	}
	return rows
}
