package exports

import (
	"strconv"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Spellings of the Chinese shop platforms.
var (
	taobaoSpelling = spelling{
		Paid: {"买家已付款，等待卖家发货"}, Shipped: {"卖家已发货，等待买家确认"}, Complete: {"交易成功"}, PartRefunded: {"交易成功"},
		Unpaid: {"等待买家付款"}, Cancelled: {"交易关闭"}, Closed: {"交易关闭"}, Refunded: {"交易关闭"},
	}
	youzanSpelling = spelling{
		Paid: {"待发货"}, Shipped: {"已发货"}, Complete: {"已完成"}, PartRefunded: {"已完成"},
		Unpaid: {"待付款"}, Cancelled: {"已关闭"}, Closed: {"已关闭"}, Refunded: {"已关闭"},
	}
	douyinSpelling = spelling{
		Paid: {"待发货"}, Shipped: {"已发货"}, Complete: {"已完成"},
		Unpaid: {"待支付"}, Cancelled: {"已关闭"}, Closed: {"已关闭"}, Refunded: {"已关闭"},
	}
	jdSpelling = spelling{
		Paid: {"等待出库"}, Shipped: {"已完成"}, Complete: {"已完成"},
		Unpaid: {"等待付款"}, Cancelled: {"已取消"}, Closed: {"已取消"}, Refunded: {"已取消"},
	}
	pddSpelling = spelling{
		Paid: {"待发货"}, Shipped: {"已发货，待签收"}, Complete: {"已签收"},
		Unpaid: {"待支付"}, Cancelled: {"已取消"}, Refunded: {"退款成功"},
	}
)

// taobaoPerson draws a Taobao buyer: a member name (the identity) and a
// consignee name shared by many buyers.
func taobaoPerson(r rng, seen map[string]bool) Person {
	id := unique(seen, func() string {
		stem := pick(r, zhNickStems)
		if stem == "tb" {
			return stem + r.digits(9)
		}
		return stem + strconv.Itoa(r.between(1, 2025))
	})
	return Person{ID: id, Name: zhName(r), Phone: "1" + pick(r, []string{"38", "39", "58", "86"}) + r.digits(8)}
}

// taobao is a Taobao/Tmall 订单报表: GBK, order ids and Alipay accounts as
// ="…", 总金额 the pre-discount total, partial refunds in 退款金额.
func taobao() (File, error) {
	const name = "taobao_gbk.csv"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 132, neverCount: 6, spell: taobaoSpelling, products: zhProducts,
		payTime: true, refunds: true, fullRefundCounted: 2, shipping: true, maxLines: 3,
		person: taobaoPerson,
		orderID: func(r rng, o *Order) string {
			return "2387" + r.digits(15)
		},
	})
	header := []string{"订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "总金额", "买家实际支付金额", "订单状态",
		"收货人姓名", "订单创建时间", "订单付款时间", "宝贝标题", "宝贝总数量", "店铺名称", "退款金额"}
	rows := make([][]string, 0, len(orders))
	for _, o := range slicesBackward(orders) {
		rows = append(rows, []string{protect(o.ID), o.Buyer.ID, protect(o.Buyer.Phone), money(o.Goods), money(o.Shipping),
			money(o.Goods + o.Shipping), money(o.Paid), o.StatusText, o.Buyer.Name, stamp(o.Created), stamp(o.PaidAt),
			titles(o.Lines), strconv.Itoa(quantity(o.Lines)), "悦享生活旗舰店", money(o.Refund)})
	}
	data, err := textFormat{comma: ',', crlf: true, enc: simplifiedchinese.GBK}.write(header, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "Taobao/Tmall 订单报表: GBK, =\"…\" ids, 总金额 pre-discount, 退款金额", data, orders,
		columns{payTime: true, refund: true}, len(rows), 0), nil
}

// slicesBackward returns orders newest first, as shop back ends list them.
func slicesBackward(orders []Order) []Order {
	out := make([]Order, len(orders))
	for i, o := range orders {
		out[len(orders)-1-i] = o
	}
	return out
}

// titles joins the line items' names.
func titles(lines []Line) string {
	names := make([]string, len(lines))
	for i, l := range lines {
		names[i] = l.Name
	}
	return strings.Join(names, "；")
}

// quantity sums the line items' quantities.
func quantity(lines []Line) int {
	n := 0
	for _, l := range lines {
		n += l.Qty
	}
	return n
}

// youzan is a 有赞 order export: UTF-8 with BOM; the customer is the
// buyer's phone number (买家手机号), and buyers share nicknames.
func youzan() (File, error) {
	const name = "youzan_orders.csv"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 96, neverCount: 4, spell: youzanSpelling, products: zhProducts,
		payTime: true, refunds: true, fullRefundCounted: 2, shipping: true, maxLines: 2,
		person: func(r rng, seen map[string]bool) Person {
			id := unique(seen, func() string { return "1" + pick(r, []string{"35", "37", "50", "52", "80", "89"}) + r.digits(8) })
			return Person{ID: id, Nick: pick(r, youzanNicks)}
		},
		orderID: func(r rng, o *Order) string { return "E" + o.Created.Format("20060102150405") + r.digits(8) },
	})
	header := []string{"订单号", "订单状态", "下单时间", "付款时间", "买家昵称", "买家手机号", "商品金额合计", "运费", "订单实付金额", "退款金额"}
	rows := make([][]string, 0, len(orders))
	for _, o := range slicesBackward(orders) {
		rows = append(rows, []string{o.ID, o.StatusText, stamp(o.Created), stamp(o.PaidAt), o.Buyer.Nick, o.Buyer.ID,
			money(o.Goods), money(o.Shipping), money(o.Paid), money(o.Refund)})
	}
	data, err := textFormat{comma: ',', crlf: true, bom: true}.write(header, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "有赞 orders: UTF-8 BOM, customer = 买家手机号, shared 买家昵称, 退款金额", data, orders,
		columns{payTime: true, refund: true}, len(rows), 0), nil
}

// douyin is a 抖店 export: one row per 子订单 (line item), each with its own
// share of the paid amount; 主订单编号 is the order.
func douyin() (File, error) {
	const name = "douyin_orders.csv"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 90, neverCount: 4, spell: douyinSpelling, products: zhProducts, payTime: true, maxLines: 4,
		person: func(r rng, seen map[string]bool) Person {
			return Person{ID: unique(seen, func() string { return r.digits(r.between(10, 16)) })}
		},
		orderID: func(r rng, o *Order) string { return "69" + r.digits(17) },
	})
	header := []string{"主订单编号", "子订单编号", "用户ID", "商品数量", "订单提交时间", "支付完成时间", "订单应付金额", "订单状态", "售后状态"}
	var rows [][]string
	for _, o := range slicesBackward(orders) {
		after := "-"
		if o.Status == Refunded {
			after = "退款成功"
		}
		for i, l := range o.Lines {
			sub := o.ID
			if len(o.Lines) > 1 {
				sub = o.ID[:len(o.ID)-1] + strconv.Itoa(i+1)
			}
			rows = append(rows, []string{o.ID, sub, o.Buyer.ID, strconv.Itoa(l.Qty), stampAs(o.Created, "2006/01/02 15:04:05"),
				stampAs(o.PaidAt, "2006/01/02 15:04:05"), money(l.Paid), o.StatusText, after})
		}
	}
	data, err := textFormat{comma: ',', crlf: false}.write(header, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "抖店 orders: UTF-8, one row per 子订单, lines of a 主订单 sum to its value", data, orders,
		columns{payTime: true}, len(rows), 0), nil
}

// jd is a 京东 export: GBK; 应付金额 is what was paid and 订单金额 the
// pre-discount total; some accounts carry a trailing space.
func jd() (File, error) {
	const name = "jd_gbk.csv"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 100, neverCount: 5, spell: jdSpelling, products: zhProducts, payTime: true, shipping: true, maxLines: 2,
		person: func(r rng, seen map[string]bool) Person {
			return Person{ID: unique(seen, func() string {
				if r.chance(0.3) {
					return "jd_1" + pick(r, []string{"38", "39", "58"}) + r.digits(4)
				}
				return "jd_" + r.hex(10)
			})}
		},
		orderID: func(r rng, o *Order) string { return "2" + r.digits(11) },
	})
	header := []string{"订单号", "下单帐号", "下单时间", "付款确认时间", "订单金额", "应付金额", "订单状态"}
	rows := make([][]string, 0, len(orders))
	for _, o := range slicesBackward(orders) {
		acct := o.Buyer.ID
		if strings.HasSuffix(acct, "5") {
			acct += " "
		}
		rows = append(rows, []string{o.ID, acct, stamp(o.Created), stamp(o.PaidAt), money(o.Goods + o.Shipping), money(o.Paid), o.StatusText})
	}
	data, err := textFormat{comma: ',', crlf: true, enc: simplifiedchinese.GBK}.write(header, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "京东 orders: GBK, 应付金额 paid, 订单金额 pre-discount, 付款确认时间", data, orders,
		columns{payTime: true}, len(rows), 0), nil
}

// pdd is a 拼多多 export: UTF-8 with BOM, money columns with a (元) unit.
func pdd() (File, error) {
	const name = "pdd_orders.csv"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 110, neverCount: 5, spell: pddSpelling, products: zhProducts, payTime: true,
		person: func(r rng, seen map[string]bool) Person {
			return Person{ID: unique(seen, func() string { return r.digits(r.between(8, 11)) })}
		},
		orderID: func(r rng, o *Order) string { return o.Created.Format("060102") + "-" + r.digits(15) },
	})
	header := []string{"订单号", "订单状态", "商品总价(元)", "店铺优惠折扣(元)", "用户实付金额(元)", "订单成交时间", "支付时间", "用户ID"}
	rows := make([][]string, 0, len(orders))
	for _, o := range slicesBackward(orders) {
		rows = append(rows, []string{o.ID, o.StatusText, money(o.Goods), money(o.Discount), money(o.Paid), stamp(o.Created), stamp(o.PaidAt), o.Buyer.ID})
	}
	data, err := textFormat{comma: ',', crlf: true, bom: true}.write(header, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "拼多多 orders: UTF-8 BOM, 用户实付金额(元), 商品总价(元) pre-discount, 支付时间", data, orders,
		columns{payTime: true}, len(rows), 0), nil
}
