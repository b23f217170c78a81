package ingest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// Role is what a column means to segsim.
type Role uint8

// The column roles. Customer and Date are required; so is Amount unless
// Quantity and UnitPrice are both present.
const (
	RoleNone Role = iota
	RoleCustomer
	RoleDate
	RoleAmount
	RoleOrder
	RoleQuantity
	RoleUnitPrice
	RoleDiscount
	RoleChannel
	RoleStatus
	RolePaid   // payment time: a paid order's day
	RoleRefund // amount refunded of an order, netted from its amount
	numRoles
)

var roleNames = [numRoles]string{"", "customer", "date", "amount", "order", "quantity", "unit_price", "discount", "channel", "status", "paid_date", "refund"}

// String returns the role's name as used in --map.
func (r Role) String() string {
	if r < numRoles {
		return roleNames[r]
	}
	return "Role(" + strconv.Itoa(int(r)) + ")"
}

// Roles lists every role in display order.
func Roles() []Role {
	return []Role{RoleCustomer, RoleDate, RoleAmount, RoleOrder, RoleQuantity, RoleUnitPrice, RoleDiscount, RoleChannel, RoleStatus, RolePaid, RoleRefund}
}

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	for r := RoleCustomer; r < numRoles; r++ {
		if strings.EqualFold(strings.TrimSpace(s), roleNames[r]) {
			return r, nil
		}
	}
	return RoleNone, fmt.Errorf("unknown column role %q (want one of %s)", s, strings.Join(roleNames[1:], ", "))
}

// aliases lists, per role, the normalised header names that are taken to
// mean it, best first: when two columns match, the earlier alias wins.
// Amounts list what was paid before totals before discounts, so that 实付
// wins over 订单金额 and 商品总价. A payment time is RolePaid; a file with
// no other date uses it as the date.
var aliases = [numRoles][]string{
	RoleCustomer: {"customerid", "customer", "custid", "cust", "userid", "user", "uid", "memberid", "member", "buyerid", "buyer",
		"clientid", "client", "accountid", "customerno", "customercode", "customeremail", "email", "billingemail", "buyeremail",
		"会员id", "客户id", "用户id", "买家id", "顾客id", "会员编号", "客户编号", "用户编号", "会员号", "会员卡号", "客户号",
		"买家会员名", "下单帐号", "下单账号", "买家账号", "买家手机号", "会员手机号", "手机号",
		"会员", "客户", "用户", "买家", "顾客", "买家昵称",
		"kundennummer", "kundennr", "kundenid", "kunde", "n°client", "nºclient", "numéroclient", "idclient", "codeclient",
		"idcliente", "n°cliente", "nºcliente", "númerodecliente", "codicecliente", "cliente"},
	RoleDate: {"orderdate", "date", "invoicedate", "orderdatetime", "ordertime", "purchasedate", "purchasetime",
		"transactiondate", "transactiontime", "createdat", "createtime", "createdtime", "creationdate",
		"datetime", "time", "timestamp", "day",
		"下单时间", "订单创建时间", "订单提交时间", "订单成交时间", "订单日期", "下单日期", "购买日期", "购买时间", "交易时间", "交易日期",
		"订单时间", "成交时间", "创建时间", "日期", "时间",
		"bestelldatum", "auftragsdatum", "datum", "datedecommande", "datecommande",
		"fechadelpedido", "fechapedido", "fecha", "dataordine", "datadellordine", "data"},
	RoleAmount: {"amount", "gmv", "revenue", "sales", "paidamount", "payamount", "amountpaid", "paymentamount", "netamount",
		"ordertotalamount", "ordertotal", "total", "orderamount", "totalamount", "payment", "ordervalue", "value", "spend", "salesamount",
		"实付金额", "买家实际支付金额", "订单实付金额", "用户实付金额", "实付款", "支付金额", "付款金额", "实收金额", "应付金额", "订单应付金额",
		"成交金额", "消费金额", "交易金额", "销售额", "订单金额", "总金额", "商品总价", "金额",
		"betrag", "gesamtbetrag", "bruttobetrag", "umsatz", "summe", "montant", "montanttotal", "montantttc", "totalttc",
		"importe", "importetotal", "importo", "importototale", "totale"},
	RoleOrder: {"orderid", "order", "orderno", "ordernumber", "ordercode", "invoice", "invoiceno", "invoiceid", "invoicenumber",
		"transactionid", "txnid", "tradeid", "tradeno",
		"订单号", "订单编号", "主订单编号", "订单id", "交易号", "交易单号", "流水号", "子订单编号",
		"bestellnummer", "bestellnr", "auftragsnummer", "n°decommande", "nºdecommande", "numérodecommande", "numerodecommande",
		"númerodepedido", "numerodepedido", "n°depedido", "nºdepedido", "numeroordine", "n°ordine", "nordine"},
	RoleQuantity: {"quantity", "qty", "units", "cds", "itemcount", "count",
		"数量", "购买数量", "件数", "商品数量", "宝贝总数量",
		"menge", "anzahl", "quantité", "cantidad", "quantità"},
	RoleUnitPrice: {"unitprice", "price", "itemprice", "listprice",
		"单价", "商品单价", "价格",
		"einzelpreis", "stückpreis", "preis", "prixunitaire", "preciounitario", "prezzounitario"},
	RoleDiscount: {"discount", "discountamount", "coupon", "couponamount", "couponvalue", "promotion",
		"优惠金额", "优惠券金额", "优惠券", "折扣金额", "优惠", "折扣",
		"rabatt", "remise", "descuento", "sconto"},
	RoleChannel: {"channel", "saleschannel", "source", "platform", "store", "shop",
		"渠道", "销售渠道", "下单渠道", "来源", "平台", "店铺", "店铺名称",
		"kanal", "canal", "canale"},
	RoleStatus: {"status", "orderstatus", "financialstatus", "state", "paymentstatus",
		"订单状态", "交易状态", "支付状态", "状态",
		"bestellstatus", "zahlungsstatus", "statut", "estado", "stato"},
	RolePaid: {"paidat", "paiddate", "paymentdate", "paytime", "paymenttime", "datepaid", "orderpaidat",
		"付款时间", "支付时间", "订单付款时间", "付款确认时间", "支付完成时间", "付款日期", "支付日期",
		"zahlungsdatum", "bezahltam", "datedepaiement", "fechadepago", "datapagamento"},
	RoleRefund: {"refundedamount", "refundamount", "orderrefundamount", "orderrefunds", "refunds", "refund", "totalrefunded",
		"退款金额", "已退款金额", "退款",
		"erstattungsbetrag", "erstattet", "montantrembourse", "montantremboursé", "importereembolsado", "importorimborsato"},
}

// aliasHit is a role an alias names, and its rank among the role's aliases.
type aliasHit struct {
	role Role
	rank int
}

// aliasIndex maps each alias to the roles it names, so that a header is
// looked up once however many aliases there are.
var aliasIndex = sync.OnceValue(func() map[string][]aliasHit {
	idx := map[string][]aliasHit{}
	for role, list := range aliases {
		for rank, a := range list {
			idx[a] = append(idx[a], aliasHit{Role(role), rank})
		}
	}
	return idx
})

// normalizeHeader folds a header for alias matching: lower case, no spaces,
// underscores, hyphens, dots or slashes, and no trailing unit in brackets
// such as "金额(元)" or "Amount (USD)".
func normalizeHeader(s string) string {
	s = strings.TrimSpace(s)
	for _, open := range []string{"(", "（", "["} {
		if i := strings.Index(s, open); i > 0 {
			s = s[:i]
		}
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '_' || r == '-' || r == '.' || r == '/' || r == '\u3000' || r == '\'':
		case r >= 'Ａ' && r <= 'ｚ': // full-width Latin letters
			b.WriteRune(unicode.ToLower(r - 'Ａ' + 'A'))
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Mapping assigns columns to roles: Columns[role] is a column index, or -1.
type Mapping struct {
	Columns [numRoles]int
	// Platform is the shop back-end recognised by the header, or nil.
	Platform *Platform
}

// Column returns the column index for role r, or -1.
func (m Mapping) Column(r Role) int { return m.Columns[r] }

// DetectRoles maps headers to roles by their aliases. overrides maps a role
// to a header name (matched case-insensitively, also after normalising) or
// to a 1-based column number; overrides win over detection.
func DetectRoles(headers []string, overrides map[Role]string) (Mapping, error) {
	var m Mapping
	for i := range m.Columns {
		m.Columns[i] = -1
	}
	taken := make([]bool, len(headers))
	for role, want := range overrides {
		col, err := findColumn(headers, want)
		if err != nil {
			return m, fmt.Errorf("--map %s=%s: %w", role, want, err)
		}
		m.Columns[role] = col
		taken[col] = true
	}
	norm := make([]string, len(headers))
	for i, h := range headers {
		norm[i] = normalizeHeader(h)
	}
	m.Platform = detectPlatform(norm)
	if m.Platform != nil {
		for role, h := range m.Platform.Roles {
			if _, ok := overrides[role]; ok {
				continue
			}
			if i := slices.Index(norm, h); i >= 0 && !taken[i] {
				m.Columns[role] = i
				taken[i] = true
			}
		}
	}
	for _, role := range Roles() {
		if _, ok := overrides[role]; ok || m.Columns[role] >= 0 {
			continue
		}
		best, bestRank := -1, len(aliases[role])
		for i, h := range norm {
			if taken[i] {
				continue
			}
			for _, hit := range aliasIndex()[h] {
				if hit.role == role && hit.rank < bestRank {
					best, bestRank = i, hit.rank
				}
			}
		}
		if best >= 0 {
			m.Columns[role] = best
			taken[best] = true
		}
	}
	if m.Columns[RoleDate] < 0 && m.Columns[RolePaid] >= 0 {
		// A payment time is the only date: it is the date.
		m.Columns[RoleDate], m.Columns[RolePaid] = m.Columns[RolePaid], -1
	}
	return m, nil
}

func findColumn(headers []string, want string) (int, error) {
	if n, err := strconv.Atoi(strings.TrimPrefix(want, "#")); err == nil {
		if n < 1 || n > len(headers) {
			return 0, fmt.Errorf("column number %d is out of range 1..%d", n, len(headers))
		}
		return n - 1, nil
	}
	for i, h := range headers {
		if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(want)) {
			return i, nil
		}
	}
	nw := normalizeHeader(want)
	for i, h := range headers {
		if normalizeHeader(h) == nw {
			return i, nil
		}
	}
	return 0, fmt.Errorf("no column named %q (columns: %s)", want, strings.Join(headers, ", "))
}

// ParseMapping reads "role=column,role=column" as given to --map.
func ParseMapping(s string) (map[Role]string, error) {
	out := map[Role]string{}
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("mapping %q is not role=column", part)
		}
		r, err := ParseRole(k)
		if err != nil {
			return nil, err
		}
		out[r] = strings.TrimSpace(v)
	}
	return out, nil
}

// Status classes: what an order's status says about its sale.
const (
	statusCounted  uint8 = iota // paid (or partly refunded): the sale stands
	statusUnpaid                // never paid: not a sale
	statusReturned              // refunded in full, cancelled, voided or closed
)

// Words that classify a status, matched in lower case anywhere in it, in
// this order: a partial refund is still a sale, and "等待买家付款" is
// unpaid although it mentions payment.
var (
	partialWords = []string{"partially_refunded", "partially refunded", "partial refund", "partially_paid", "partially paid",
		"部分退款", "teilweise erstattet", "teilerstattet", "partiellement rembours", "parcialmente reembolsad", "parzialmente rimborsat"}
	unpaidWords = []string{"待付款", "等待买家付款", "等待付款", "未付款", "待支付", "未支付", "等待支付",
		"unpaid", "not paid", "pending", "on-hold", "on hold", "failed", "awaiting payment", "checkout-draft", "expired",
		"offen", "ausstehend", "nicht bezahlt", "en attente", "impayé", "non payé", "pendiente", "in attesa", "non pagato"}
	returnWords = []string{"refund", "return", "cancel", "void", "closed", "reversed", "chargeback",
		"退款", "退货", "取消", "关闭", "作废", "已退", "锁定",
		"storniert", "erstattet", "annul", "rembours", "cancelad", "reembolsad", "devuelt", "rimborsat", "annullat"}
)

// StatusWords returns the words that classify an order status, as the
// reader matches them: in lower case, anywhere in the status, partial
// first (a partial refund or payment: the sale stands), then unpaid (never
// paid: not a sale), then returned (refunded in full, cancelled, voided or
// closed: the sale did not stand). A status that matches none is a sale.
// The slices are copies.
func StatusWords() (partial, unpaid, returned []string) {
	return slices.Clone(partialWords), slices.Clone(unpaidWords), slices.Clone(returnWords)
}

// classifyStatus tells whether an order status means the sale stands,
// was never paid, or did not stand.
func classifyStatus(s []byte) uint8 {
	t := strings.ToLower(string(trimSpace(s)))
	for _, class := range []struct {
		words []string
		class uint8
	}{{partialWords, statusCounted}, {unpaidWords, statusUnpaid}, {returnWords, statusReturned}} {
		for _, w := range class.words {
			if strings.Contains(t, w) {
				return class.class
			}
		}
	}
	return statusCounted
}
