package exports

import (
	"cmp"
	"slices"
	"time"
)

// Status is an order's state in the ground truth. Each shape spells it in
// its platform's words (see spelling).
type Status uint8

// The order states. The first five count as purchases; the rest never do.
const (
	Paid         Status = iota // paid, not shipped yet (已付款, 待发货, Processing, Bezahlt)
	Shipped                    // paid and shipped (已发货, shipped)
	Complete                   // paid and done (交易成功, 已完成, Completed, Abgeschlossen)
	PartRefunded               // paid, part of it refunded (partially_refunded, or done with a refund amount)
	Authorized                 // payment authorized, not captured yet (Shopify authorized)
	Unpaid                     // never paid (待付款, pending, Offen, En attente)
	Cancelled                  // cancelled, before or after payment (已取消, voided, Storniert)
	Closed                     // closed (交易关闭, 已关闭)
	Refunded                   // paid, then refunded in full (退款成功, refunded, Erstattet)
	numStatuses
)

var statusNames = [numStatuses]string{"paid", "shipped", "complete", "partially refunded", "authorized", "unpaid", "cancelled", "closed", "fully refunded"}

// String returns the status's platform-neutral name.
func (s Status) String() string { return statusNames[s] }

// Counts tells whether an order in state s is a purchase (before any
// refund amount is considered).
func (s Status) Counts() bool { return s <= Authorized }

// spelling lists, per status, the words a shape writes for it; a status
// with no words is never generated for that shape.
type spelling [numStatuses][]string

// Person is a customer as a shape shows it. Only ID is the identity;
// names and nicknames are shared by different customers on purpose.
type Person struct {
	ID    string // the customer identity of the expected answer
	Name  string // a display name (客户姓名, Billing Name, Kunde)
	First string // given name, where the shape splits the name
	Last  string // family name, where the shape splits the name
	City  string
	Nick  string // a nickname (买家昵称), not an identity
	Phone string
	User  int // a platform user number (WooCommerce Customer User; 0 = guest)
}

// Line is one line item of an order.
type Line struct {
	SKU   string
	Name  string
	Qty   int
	Price int64 // unit price before discount, in cents
	Paid  int64 // this line's share of the order's Paid, in cents
}

// Order is one order of the ground truth. Times are wall-clock times as
// the export writes them; their location means nothing.
type Order struct {
	Buyer      Person
	ID         string
	Created    time.Time
	PaidAt     time.Time // zero when never paid
	Status     Status
	StatusText string // the status as the file spells it
	Goods      int64  // pre-discount value of the line items, cents
	Discount   int64
	Shipping   int64
	Tax        int64
	Paid       int64 // what the buyer paid: Goods − Discount + Shipping + Tax
	Refund     int64 // refunded so far; only in shapes with a refund column
	Lines      []Line
	// Credit marks a refund line (a negative amount, its own order id):
	// it reduces the buyer's revenue by Paid and is not an order.
	Credit bool
}

// profile describes how one shape's orders are drawn.
type profile struct {
	customers  int // customers in the file
	neverCount int // of them, customers none of whose orders count
	spell      spelling
	payTime    bool // orders get a payment time (the shape has the column)
	refunds    bool // the shape has a refund column: partial refunds happen
	// fullRefundCounted is how many orders keep a counted status while
	// the refund column says they were refunded in full.
	fullRefundCounted int
	shipping          bool // some orders pay shipping
	tax               bool // orders pay 8% tax
	maxLines          int  // line items per order, at most (0 means 1)
	products          []string
	person            func(r rng, seen map[string]bool) Person
	orderID           func(r rng, o *Order) string
}

// statusWeights are the relative frequencies of the order states.
var statusWeights = [numStatuses]int{Paid: 12, Shipped: 12, Complete: 48, PartRefunded: 8, Authorized: 4, Unpaid: 7, Cancelled: 5, Closed: 4, Refunded: 6}

// firstDay and lastDay bound creation days; payments may come a few days
// after lastDay, still in 2025.
var (
	firstDay = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(2025, 12, 27, 0, 0, 0, 0, time.UTC)
)

// pricePoints are list prices in cents; the first are the most common.
var pricePoints = []int64{990, 1590, 1990, 2900, 3990, 4990, 5900, 6990, 8900, 9900, 12900, 15900, 19900, 24900, 29900, 39900,
	49900, 69900, 89900, 129900, 159900, 239900}

// product is an item of a shape's catalogue.
type product struct {
	sku, name string
	price     int64
}

// generate draws the orders of one file, sorted by creation time, with
// order ids assigned in that order.
func generate(r rng, p profile) []Order {
	catalog := makeCatalog(r, p.products)
	seen := map[string]bool{}
	var orders []Order
	for i := range p.customers {
		buyer := p.person(r, seen)
		never := i >= p.customers-p.neverCount
		for range orderCount(r) {
			orders = append(orders, drawOrder(r, p, catalog, buyer, never))
		}
	}
	slices.SortStableFunc(orders, func(a, b Order) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.Buyer.ID, b.Buyer.ID))
	})
	refundInFull(r, p, orders)
	for i := range orders {
		orders[i].ID = p.orderID(r, &orders[i])
	}
	return orders
}

// makeCatalog prices the product names.
func makeCatalog(r rng, names []string) []product {
	c := make([]product, len(names))
	for i, n := range names {
		k := min(int(r.ExpFloat64()*5), len(pricePoints)-1)
		if i%7 == 6 {
			k = len(pricePoints) - 1 - r.IntN(3) // a few dear items, so amounts reach thousands
		}
		c[i] = product{sku: "SKU-" + r.digits(5), name: n, price: pricePoints[k]}
	}
	return c
}

// orderCount draws how many orders a customer places (1–8).
func orderCount(r rng) int {
	return 1 + r.weighted([]int{30, 22, 15, 11, 8, 6, 4, 4})
}

// drawStatus draws a status the shape can spell; never restricts it to
// states that do not count.
func drawStatus(r rng, p profile, never bool) Status {
	w := make([]int, numStatuses)
	for s := range numStatuses {
		ok := len(p.spell[s]) > 0 && (s != PartRefunded || p.refunds)
		if ok && (!never || !s.Counts()) {
			w[s] = statusWeights[s]
		}
	}
	return Status(r.weighted(w))
}

// drawCreated draws a creation time: any day in range, mostly daytime.
func drawCreated(r rng) time.Time {
	days := int(lastDay.Sub(firstDay).Hours() / 24)
	day := firstDay.AddDate(0, 0, r.IntN(days+1))
	sec := r.IntN(86400)
	if r.chance(0.8) {
		sec = 8*3600 + r.IntN(16*3600)
	}
	return day.Add(time.Duration(sec) * time.Second)
}

// drawPayDelay draws the time from order to payment; one in six payments
// come hours or days later, so payment and creation days often differ.
func drawPayDelay(r rng) time.Duration {
	switch r.weighted([]int{66, 18, 16}) {
	case 0:
		return time.Duration(r.between(5, 600)) * time.Second
	case 1:
		return time.Duration(r.between(10, 480)) * time.Minute
	}
	return time.Duration(r.between(8*60, 60*60)) * time.Minute
}

// drawOrder draws one order of buyer.
func drawOrder(r rng, p profile, catalog []product, buyer Person, never bool) Order {
	o := Order{Buyer: buyer, Created: drawCreated(r), Status: drawStatus(r, p, never)}
	o.StatusText = pick(r, p.spell[o.Status])
	drawLines(r, p, catalog, &o)
	paid := true
	switch o.Status {
	case Unpaid, Authorized:
		paid = false
	case Cancelled:
		paid = r.chance(0.5)
	case Closed:
		paid = r.chance(0.4)
	}
	if paid && p.payTime {
		o.PaidAt = o.Created.Add(drawPayDelay(r))
	}
	if p.refunds {
		switch {
		case o.Status == PartRefunded:
			o.Refund = r.between64(max(o.Paid/10, 1), max(o.Paid*7/10, 1))
		case o.Status == Refunded, paid && (o.Status == Cancelled || o.Status == Closed):
			o.Refund = o.Paid
		}
	}
	return o
}

// drawLines draws the line items and the order's money.
func drawLines(r rng, p profile, catalog []product, o *Order) {
	n := 1
	if p.maxLines > 1 {
		n = 1 + r.weighted([]int{50, 28, 14, 8}[:min(p.maxLines, 4)])
	}
	for range n {
		it := pick(r, catalog)
		q := 1 + r.weighted([]int{75, 18, 7})
		o.Lines = append(o.Lines, Line{SKU: it.sku, Name: it.name, Qty: q, Price: it.price})
		o.Goods += int64(q) * it.price
	}
	if r.chance(0.6) {
		o.Discount = r.between64(max(o.Goods/20, 1), o.Goods*3/10)
	}
	if p.shipping && r.chance(0.35) {
		o.Shipping = pick(r, []int64{600, 800, 1000, 1200})
	}
	if p.tax {
		o.Tax = ((o.Goods-o.Discount)*8 + 50) / 100
	}
	o.Paid = o.Goods - o.Discount + o.Shipping + o.Tax
	shareLines(o)
}

// shareLines splits Paid over the lines in proportion to their value;
// the last line takes the rounding, shipping and tax.
func shareLines(o *Order) {
	net := o.Goods - o.Discount
	var used int64
	for i := range o.Lines[:len(o.Lines)-1] {
		l := &o.Lines[i]
		l.Paid = net * int64(l.Qty) * l.Price / o.Goods
		used += l.Paid
	}
	o.Lines[len(o.Lines)-1].Paid = o.Paid - used
}

// refundInFull gives p.fullRefundCounted orders with a counted status a
// refund of their whole value: they must not count.
func refundInFull(r rng, p profile, orders []Order) {
	var cand []int
	for i, o := range orders {
		if o.Status == Complete && o.Refund == 0 && !o.PaidAt.IsZero() {
			cand = append(cand, i)
		}
	}
	for range min(p.fullRefundCounted, len(cand)) {
		k := r.IntN(len(cand))
		orders[cand[k]].Refund = orders[cand[k]].Paid
		cand = slices.Delete(cand, k, k+1)
	}
}

// customerCount returns how many distinct customers the orders have.
func customerCount(orders []Order) int {
	seen := map[string]bool{}
	for _, o := range orders {
		seen[o.Buyer.ID] = true
	}
	return len(seen)
}

// countOrders returns how many orders (not refund lines) there are.
func countOrders(orders []Order) int {
	n := 0
	for _, o := range orders {
		if !o.Credit {
			n++
		}
	}
	return n
}
