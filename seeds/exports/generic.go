package exports

import (
	"fmt"
	"strconv"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Spellings of the generic files (Excel saves of a shop back end).
var (
	zhControlSpelling = spelling{
		Paid: {"已付款"}, Shipped: {"已发货"}, Complete: {"交易成功"},
		Cancelled: {"已取消"}, Closed: {"交易关闭"}, Refunded: {"退款成功", "已退款"},
	}
	zhSpelling = spelling{
		Paid: {"待发货", "已付款"}, Shipped: {"已发货"}, Complete: {"已完成", "交易成功"},
		Unpaid: {"待付款", "未付款", "待支付", "等待买家付款"}, Cancelled: {"已取消"}, Closed: {"已关闭", "交易关闭"}, Refunded: {"已退款", "退款成功"},
	}
	enSpelling = spelling{
		Paid: {"paid"}, Shipped: {"shipped"}, Complete: {"complete"},
		Unpaid: {"pending"}, Cancelled: {"cancelled"}, Closed: {"closed"}, Refunded: {"refunded"},
	}
	deSpelling = spelling{Paid: {"Bezahlt"}, Complete: {"Abgeschlossen"}, Unpaid: {"Offen"}, Cancelled: {"Storniert"}, Refunded: {"Erstattet"}}
	frSpelling = spelling{Paid: {"Payée"}, Complete: {"Payée"}, Unpaid: {"En attente"}, Cancelled: {"Annulée"}, Refunded: {"Remboursée"}}
	esSpelling = spelling{Paid: {"Pagado"}, Complete: {"Pagado"}, Unpaid: {"Pendiente"}, Cancelled: {"Cancelado"}, Refunded: {"Reembolsado"}}
	itSpelling = spelling{Paid: {"Pagato"}, Complete: {"Pagato"}, Unpaid: {"In attesa"}, Cancelled: {"Annullato"}, Refunded: {"Rimborsato"}}
)

// zhName draws a Chinese full name.
func zhName(r rng) string { return pick(r, zhSurnames) + pick(r, zhGiven) }

// prefixedPerson returns a person maker whose ids are prefix + n digits.
func prefixedPerson(prefix string, n int, name func(r rng) string) func(rng, map[string]bool) Person {
	return func(r rng, seen map[string]bool) Person {
		id := unique(seen, func() string { return prefix + r.digits(n) })
		return Person{ID: id, Name: name(r)}
	}
}

// datedOrderIDs returns an order-id maker: prefix, the creation date in
// layout, then a running number of width digits.
func datedOrderIDs(prefix, layout string, width int) func(rng, *Order) string {
	n := 0
	return func(r rng, o *Order) string {
		n += 1 + r.IntN(3)
		return fmt.Sprintf("%s%s%0*d", prefix, o.Created.Format(layout), width, n)
	}
}

// runningOrderIDs returns an order-id maker: prefix and a running number
// from start.
func runningOrderIDs(prefix string, start int) func(rng, *Order) string {
	n := start
	return func(r rng, o *Order) string {
		n += 1 + r.IntN(4)
		return prefix + strconv.Itoa(n)
	}
}

// zhUTF8BOM is Excel "CSV UTF-8" of a Chinese back end: the control file,
// with only states that today's importer already reads (no unpaid orders).
func zhUTF8BOM() (File, error) {
	const name = "orders_zh_utf8bom.csv"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 92, neverCount: 4, spell: zhControlSpelling, products: zhProducts,
		person:  prefixedPerson("M", 8, zhName),
		orderID: datedOrderIDs("O", "20060102", 4),
	})
	rows := make([][]string, 0, len(orders))
	for _, o := range orders {
		rows = append(rows, []string{o.Buyer.ID, o.ID, stamp(o.Created), money(o.Paid), o.StatusText})
	}
	data, err := textFormat{comma: ',', crlf: true, bom: true}.write([]string{"会员ID", "订单号", "下单时间", "实付金额", "订单状态"}, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "Excel CSV UTF-8 (BOM, CRLF), Chinese headers; control file", data, orders, columns{}, len(rows), 0), nil
}

// zhGBK is Excel "CSV (逗号分隔)" on Chinese Windows: GBK, no BOM, CRLF,
// customer names in Chinese, member ids written as ="2387…" and one row
// without a member id.
func zhGBK() (File, error) {
	const name = "orders_zh_gbk.csv"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 118, neverCount: 5, spell: zhSpelling, products: zhProducts,
		person:  prefixedPerson("2387", 9, zhName),
		orderID: datedOrderIDs("DD", "060102", 5),
	})
	rows := make([][]string, 0, len(orders)+1)
	for _, o := range orders {
		rows = append(rows, []string{protect(o.Buyer.ID), o.ID, stamp(o.Created), o.Buyer.Name, money(o.Paid), o.StatusText})
	}
	bad := []string{"", "DD240615999999", "2024-06-15 10:12:00", "散客", "88.00", "已完成"}
	rows = insertAt(rows, len(rows)/2, bad)
	data, err := textFormat{comma: ',', crlf: true, enc: simplifiedchinese.GBK}.write([]string{"会员ID", "订单号", "下单时间", "客户姓名", "实付金额", "订单状态"}, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "Excel CSV on Chinese Windows: GBK, CRLF, ids as =\"…\"", data, orders, columns{}, len(rows), 1), nil
}

// insertAt returns rows with row inserted before index i.
func insertAt(rows [][]string, i int, row []string) [][]string {
	rows = append(rows, nil)
	copy(rows[i+1:], rows[i:])
	rows[i] = row
	return rows
}

// zhUTF16LE is Excel "Unicode text": UTF-16LE with BOM, tabs, CRLF, with
// a payment time and the pre-discount goods total beside the paid amount.
func zhUTF16LE() (File, error) {
	const name = "orders_zh_utf16le.txt"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 84, neverCount: 4, spell: zhSpelling, products: zhProducts, payTime: true, maxLines: 3,
		person:  prefixedPerson("HY", 6, zhName),
		orderID: datedOrderIDs("", "20060102150405", 3),
	})
	rows := make([][]string, 0, len(orders))
	for _, o := range orders {
		rows = append(rows, []string{o.Buyer.ID, o.ID, stamp(o.Created), stamp(o.PaidAt), money(o.Goods), money(o.Paid), o.StatusText})
	}
	enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	data, err := textFormat{comma: '\t', crlf: true, enc: enc}.write([]string{"会员ID", "订单号", "下单时间", "付款时间", "商品总价", "实付金额", "订单状态"}, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "Excel Unicode text: UTF-16LE BOM, tab, CRLF, Chinese headers", data, orders, columns{payTime: true}, len(rows), 0), nil
}

// enUTF16BE is UTF-16BE with BOM, tab-separated, English headers; some
// customer ids carry a stray leading or trailing space.
func enUTF16BE() (File, error) {
	const name = "orders_en_utf16be.tsv"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 77, neverCount: 4, spell: enSpelling, products: enProducts, payTime: true,
		person:  prefixedPerson("CUST-", 5, func(r rng) string { return pick(r, enFirst) + " " + pick(r, enLast) }),
		orderID: runningOrderIDs("SO-", 480120),
	})
	rows := make([][]string, 0, len(orders))
	for _, o := range orders {
		rows = append(rows, []string{padded(o.Buyer.ID), o.ID, stamp(o.Created), stamp(o.PaidAt), money(o.Paid), o.StatusText})
	}
	enc := unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	data, err := textFormat{comma: '\t', crlf: true, enc: enc}.write([]string{"Customer ID", "Order ID", "Order Date", "Paid At", "Amount", "Status"}, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "UTF-16BE BOM, tab, CRLF, English headers", data, orders, columns{payTime: true}, len(rows), 0), nil
}

// padded writes some ids with a stray space (decided by the last digit,
// so every row of a customer looks the same): the id is the trimmed text.
func padded(id string) string {
	switch id[len(id)-1] {
	case '3':
		return " " + id
	case '7':
		return id + " "
	}
	return id
}

// deCP1252 is a German Excel save: Windows-1252, semicolons, CRLF,
// dd.mm.yyyy hh:mm dates and 1.249,00 amounts.
func deCP1252() (File, error) {
	const name = "bestellungen_de_cp1252.csv"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 88, neverCount: 4, spell: deSpelling, products: enProducts, shipping: true,
		person: func(r rng, seen map[string]bool) Person {
			id := unique(seen, func() string { return "KD-" + r.digits(5) })
			return Person{ID: id, Name: pick(r, deCustomers), City: pick(r, deCities)}
		},
		orderID: runningOrderIDs("", 100230),
	})
	rows := make([][]string, 0, len(orders))
	for _, o := range orders {
		rows = append(rows, []string{o.Buyer.ID, o.ID, stampAs(o.Created, "02.01.2006 15:04"), o.Buyer.Name, o.Buyer.City, moneyGrouped(o.Paid, ".", ","), o.StatusText})
	}
	header := []string{"Kundennummer", "Bestellnummer", "Bestelldatum", "Kunde", "Stadt", "Betrag", "Status"}
	data, err := textFormat{comma: ';', crlf: true, enc: charmap.Windows1252}.write(header, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "German Excel save: Windows-1252, ';', dd.mm.yyyy hh:mm, 1.249,00", data, orders, columns{}, len(rows), 0), nil
}

// latinSave describes one of the French, Spanish and Italian Excel saves.
type latinSave struct {
	name, shape string
	header      []string
	spell       spelling
	idPrefix    string
	orderPrefix string
	dateLayout  string
	thousands   string
	format      textFormat
	cities      []string // when set, a last column (the header's last name) with the customer's city
}

// write generates the save.
func (s latinSave) write() (File, error) {
	r := newRNG(seedOf(s.name))
	orders := generate(r, profile{
		customers: 70, neverCount: 3, spell: s.spell, products: enProducts, shipping: true,
		person: func(r rng, seen map[string]bool) Person {
			p := Person{ID: unique(seen, func() string { return s.idPrefix + r.digits(5) })}
			if s.cities != nil {
				p.City = pick(r, s.cities)
			}
			return p
		},
		orderID: runningOrderIDs(s.orderPrefix, 20500),
	})
	rows := make([][]string, 0, len(orders))
	for _, o := range orders {
		row := []string{o.Buyer.ID, o.ID, stampAs(o.Created, s.dateLayout), moneyGrouped(o.Paid, s.thousands, ","), o.StatusText}
		if s.cities != nil {
			row = append(row, o.Buyer.City)
		}
		rows = append(rows, row)
	}
	data, err := s.format.write(s.header, rows)
	if err != nil {
		return File{Name: s.name}, err
	}
	return orderFile(s.name, s.shape, data, orders, columns{}, len(rows), 0), nil
}

// frCP1252 is a French Excel save: Windows-1252, no-break-space thousands.
func frCP1252() (File, error) {
	return latinSave{
		name: "commandes_fr_cp1252.csv", shape: "French Excel save: Windows-1252, ';', dd/mm/yyyy hh:mm, 1\u00a0249,00",
		header: []string{"N° client", "N° de commande", "Date de commande", "Montant", "Statut"},
		spell:  frSpelling, idPrefix: "CL", orderPrefix: "CMD-", dateLayout: "02/01/2006 15:04", thousands: "\u00a0",
		format: textFormat{comma: ';', crlf: true, enc: charmap.Windows1252},
	}.write()
}

// esUTF8BOM is a Spanish Excel "CSV UTF-8" save with space thousands.
func esUTF8BOM() (File, error) {
	return latinSave{
		name: "pedidos_es_utf8bom.csv", shape: "Spanish Excel CSV UTF-8 (BOM), ';', dd/mm/yyyy, 1 249,00",
		header: []string{"ID cliente", "Número de pedido", "Fecha del pedido", "Importe", "Estado"},
		spell:  esSpelling, idPrefix: "CLI-", orderPrefix: "PED-", dateLayout: "02/01/2006", thousands: " ",
		format: textFormat{comma: ';', crlf: true, bom: true},
	}.write()
}

// itCP1252 is an Italian Excel save: Windows-1252, '.' thousands, and a
// Città column so that the file is not plain ASCII.
func itCP1252() (File, error) {
	return latinSave{
		name: "ordini_it_cp1252.csv", shape: "Italian Excel save: Windows-1252, ';', dd/mm/yyyy, 1.249,00",
		header: []string{"Codice cliente", "Numero ordine", "Data ordine", "Importo", "Stato", "Città"},
		spell:  itSpelling, idPrefix: "C", orderPrefix: "ORD", dateLayout: "02/01/2006", thousands: ".",
		format: textFormat{comma: ';', crlf: true, enc: charmap.Windows1252}, cities: itCities,
	}.write()
}
