package exports

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// textLayout is how a text file is meant to be written, spelled out here
// independently of the writers.
type textLayout struct {
	enc    encoding.Encoding
	prefix string // leading bytes: a byte order mark, or "" for none
	comma  rune
	crlf   bool
	lazy   bool     // Excel-protected ="…" fields: bare quotes
	header []string // the intended header
	has    []string // text the decoded file must contain
}

var (
	utf8BOM   = "\xef\xbb\xbf"
	utf16LE   = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	utf16BE   = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	plainUTF8 = unicode.UTF8
)

var textLayouts = map[string]textLayout{
	"orders_zh_utf8bom.csv": {enc: unicode.UTF8BOM, prefix: utf8BOM, comma: ',', crlf: true,
		header: []string{"会员ID", "订单号", "下单时间", "实付金额", "订单状态"}, has: []string{"交易成功"}},
	"orders_zh_gbk.csv": {enc: simplifiedchinese.GBK, comma: ',', crlf: true, lazy: true,
		header: []string{"会员ID", "订单号", "下单时间", "客户姓名", "实付金额", "订单状态"}, has: []string{`="2387`, "待付款", "已完成"}},
	"orders_zh_utf16le.txt": {enc: utf16LE, prefix: "\xff\xfe", comma: '\t', crlf: true,
		header: []string{"会员ID", "订单号", "下单时间", "付款时间", "商品总价", "实付金额", "订单状态"}},
	"orders_en_utf16be.tsv": {enc: utf16BE, prefix: "\xfe\xff", comma: '\t', crlf: true,
		header: []string{"Customer ID", "Order ID", "Order Date", "Paid At", "Amount", "Status"}, has: []string{"\n CUST-", " \tSO-"}},
	"bestellungen_de_cp1252.csv": {enc: charmap.Windows1252, comma: ';', crlf: true,
		header: []string{"Kundennummer", "Bestellnummer", "Bestelldatum", "Kunde", "Stadt", "Betrag", "Status"},
		has:    []string{"€", "ß", "ä", "ö", "ü", "é", "Offen", "Storniert"}},
	"commandes_fr_cp1252.csv": {enc: charmap.Windows1252, comma: ';', crlf: true,
		header: []string{"N° client", "N° de commande", "Date de commande", "Montant", "Statut"}, has: []string{"\u00a0", "Annulée"}},
	"pedidos_es_utf8bom.csv": {enc: unicode.UTF8BOM, prefix: utf8BOM, comma: ';', crlf: true,
		header: []string{"ID cliente", "Número de pedido", "Fecha del pedido", "Importe", "Estado"}, has: []string{"Pendiente"}},
	"ordini_it_cp1252.csv": {enc: charmap.Windows1252, comma: ';', crlf: true,
		header: []string{"Codice cliente", "Numero ordine", "Data ordine", "Importo", "Stato", "Città"}, has: []string{"In attesa", "Forlì", "Cantù"}},
	"taobao_gbk.csv": {enc: simplifiedchinese.GBK, comma: ',', crlf: true, lazy: true,
		header: []string{"订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "总金额", "买家实际支付金额", "订单状态",
			"收货人姓名", "订单创建时间", "订单付款时间", "宝贝标题", "宝贝总数量", "店铺名称", "退款金额"},
		has: []string{"买家已付款，等待卖家发货", "卖家已发货，等待买家确认", "等待买家付款", "交易关闭"}},
	"youzan_orders.csv": {enc: unicode.UTF8BOM, prefix: utf8BOM, comma: ',', crlf: true,
		header: []string{"订单号", "订单状态", "下单时间", "付款时间", "买家昵称", "买家手机号", "商品金额合计", "运费", "订单实付金额", "退款金额"}},
	"douyin_orders.csv": {enc: plainUTF8, comma: ',',
		header: []string{"主订单编号", "子订单编号", "用户ID", "商品数量", "订单提交时间", "支付完成时间", "订单应付金额", "订单状态", "售后状态"}},
	"jd_gbk.csv": {enc: simplifiedchinese.GBK, comma: ',', crlf: true,
		header: []string{"订单号", "下单帐号", "下单时间", "付款确认时间", "订单金额", "应付金额", "订单状态"}, has: []string{"等待付款", "等待出库"}},
	"pdd_orders.csv": {enc: unicode.UTF8BOM, prefix: utf8BOM, comma: ',', crlf: true,
		header: []string{"订单号", "订单状态", "商品总价(元)", "店铺优惠折扣(元)", "用户实付金额(元)", "订单成交时间", "支付时间", "用户ID"}},
	"shopify_orders.csv": {enc: plainUTF8, comma: ',', header: shopifyColumns, has: []string{"partially_refunded", "authorized", "voided"}},
	"woocommerce_orders.csv": {enc: plainUTF8, comma: ',',
		header: []string{"Order ID", "Order Number", "Order Status", "Order Date", "Paid Date", "Customer User", "Billing First Name",
			"Billing Last Name", "Billing Email", "Order Subtotal Amount", "Order Total Amount", "Order Refund Amount"},
		has: []string{"wc-completed", ",Completed,", ",0,"}},
	"online_retail.csv": {enc: plainUTF8, comma: ',',
		header: []string{"InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"},
		has:    []string{"\nC5"}},
	"dates_mixed.csv": {enc: plainUTF8, comma: ',', header: []string{"customer_id", "order_id", "order_date", "amount"},
		has: []string{"年", "上午", "下午", "+08:00", "-05:00", "Z,"}},
	"dates_mdy_yy.csv":  {enc: plainUTF8, comma: ',', header: []string{"customer_id", "order_id", "order_date", "amount"}, has: []string{" PM,", " AM,"}},
	"dates_dmy_yy.csv":  {enc: plainUTF8, comma: ',', header: []string{"customer_id", "order_id", "order_date", "amount"}},
	"amounts_mixed.csv": {enc: plainUTF8, comma: ',', header: []string{"customer_id", "order_id", "order_date", "amount"}, has: []string{"元", "¥", "．", "(", `,"`}},
}

// shopifyColumns is the Shopify orders export header.
var shopifyColumns = strings.Split("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,"+
	"Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,"+
	"Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"+
	"Billing Name,Billing Street,Billing City,Billing Zip,Billing Country,Billing Phone,Shipping Name,Shipping City,Shipping Country,"+
	"Notes,Cancelled at,Payment Method,Refunded Amount,Vendor,Outstanding Balance,Id,Tags,Source,Phone", ",")

// bookLayout is how a workbook is meant to be written.
type bookLayout struct {
	sheets   []string
	orders   string // the sheet with the orders
	header   []string
	date1904 bool
}

var bookLayouts = map[string]bookLayout{
	"backend_orders.xlsx": {sheets: []string{"说明", "订单"}, orders: "订单",
		header: []string{"会员ID", "订单号", "下单时间", "付款时间", "商品总价", "实付金额", "订单状态"}},
	"excel_1904.xlsx": {sheets: []string{"Orders"}, orders: "Orders",
		header: []string{"Customer ID", "Order Number", "Order Date", "Amount", "Status"}, date1904: true},
}

func corpus(t *testing.T) []File {
	t.Helper()
	files, err := Corpus()
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestDeterministic(t *testing.T) {
	a, b := corpus(t), corpus(t)
	for i := range a {
		if !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s: two runs wrote different bytes", a[i].Name)
		}
		if !bytes.Equal(ExpectedCSV(a[i].Expected), ExpectedCSV(b[i].Expected)) {
			t.Errorf("%s: two runs expect different answers", a[i].Name)
		}
	}
}

func TestEveryFileHasALayout(t *testing.T) {
	files := corpus(t)
	seen := map[string]bool{}
	for _, f := range files {
		_, text := textLayouts[f.Name]
		_, book := bookLayouts[f.Name]
		if !text && !book {
			t.Errorf("%s: no layout to check it against", f.Name)
		}
		if seen[f.Name] {
			t.Errorf("%s: two files with one name", f.Name)
		}
		seen[f.Name] = true
	}
	if len(files) != len(textLayouts)+len(bookLayouts) {
		t.Errorf("%d files, %d layouts", len(files), len(textLayouts)+len(bookLayouts))
	}
}

func TestTextFiles(t *testing.T) {
	for _, f := range corpus(t) {
		lay, ok := textLayouts[f.Name]
		if !ok {
			continue
		}
		t.Run(f.Name, func(t *testing.T) { checkText(t, f, lay) })
	}
}

// checkText decodes f with its intended encoding and reads it as CSV.
func checkText(t *testing.T, f File, lay textLayout) {
	if !bytes.HasPrefix(f.Data, []byte(lay.prefix)) || (lay.prefix == "" && bytes.HasPrefix(f.Data, []byte(utf8BOM))) {
		t.Errorf("starts with % x, want the prefix % x", f.Data[:4], lay.prefix)
	}
	dec, err := lay.enc.NewDecoder().Bytes(f.Data)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	text := string(dec)
	if strings.HasPrefix(text, "\ufeff") {
		t.Errorf("a byte order mark is left after decoding")
	}
	if lay.enc != plainUTF8 && lay.enc != unicode.UTF8BOM && strings.Contains(text, "\ufffd") {
		t.Errorf("decoded text has replacement characters")
	}
	lf, crlf := strings.Count(text, "\n"), strings.Count(text, "\r\n")
	if lay.crlf && crlf != lf || !lay.crlf && crlf != 0 {
		t.Errorf("%d line feeds, %d of them after CR; want CRLF=%v", lf, crlf, lay.crlf)
	}
	for _, s := range lay.has {
		if !strings.Contains(text, s) {
			t.Errorf("decoded text lacks %q", s)
		}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.LazyQuotes = lay.comma, lay.lazy
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read CSV: %v", err)
	}
	if !slices.Equal(recs[0], lay.header) {
		t.Errorf("header %q\nwant   %q", recs[0], lay.header)
	}
	if got := len(recs) - 1; got != f.Rows {
		t.Errorf("%d data rows, the ground truth has %d", got, f.Rows)
	}
}

func TestWorkbooks(t *testing.T) {
	for _, f := range corpus(t) {
		lay, ok := bookLayouts[f.Name]
		if !ok {
			continue
		}
		t.Run(f.Name, func(t *testing.T) { checkBook(t, f, lay) })
	}
}

// checkBook opens f with excelize and checks sheets, header, row count,
// the date system and the cell types of the first order row.
func checkBook(t *testing.T, f File, lay bookLayout) {
	book, err := excelize.OpenReader(bytes.NewReader(f.Data))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if got := book.GetSheetList(); !slices.Equal(got, lay.sheets) {
		t.Errorf("sheets %q, want %q", got, lay.sheets)
	}
	rows, err := book.GetRows(lay.orders)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], lay.header) {
		t.Errorf("header %q, want %q", rows[0], lay.header)
	}
	if got := len(rows) - 1; got != f.Rows {
		t.Errorf("%d data rows, the ground truth has %d", got, f.Rows)
	}
	props, err := book.GetWorkbookProps()
	if err != nil {
		t.Fatal(err)
	}
	if (props.Date1904 != nil && *props.Date1904) != lay.date1904 {
		t.Errorf("1904 date system %v, want %v", props.Date1904, lay.date1904)
	}
	if got, err := book.GetCellType(lay.orders, "A2"); err != nil || got != excelize.CellTypeSharedString {
		t.Errorf("A2 (customer id) is of type %v (%v), want text", got, err)
	}
	for _, cell := range []string{"B2", "C2", "D2"} { // order id, order date, amount or payment date
		raw, _ := book.GetCellValue(lay.orders, cell, excelize.Options{RawCellValue: true})
		typ, err := book.GetCellType(lay.orders, cell)
		if err != nil || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) || !regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`).MatchString(raw) {
			t.Errorf("%s holds %q of type %v (%v), want a number", cell, raw, typ, err)
		}
	}
	if id, err := book.GetCellStyle(lay.orders, "C2"); err != nil {
		t.Errorf("C2 style: %v", err)
	} else if st, err := book.GetStyle(id); err != nil || st.CustomNumFmt == nil || !strings.Contains(*st.CustomNumFmt, "yyyy-mm-dd") {
		t.Errorf("C2 (order date) has no date format: %+v %v", st, err)
	}
	if f.Name == "backend_orders.xlsx" {
		raw, _ := book.GetCellValue(lay.orders, "B2", excelize.Options{RawCellValue: true})
		if !regexp.MustCompile(`^[0-9]{18}$`).MatchString(raw) {
			t.Errorf("order id cell holds %q, want 18 digits", raw)
		}
	}
}

func TestSerials(t *testing.T) {
	jan1 := time.Date(2024, 1, 1, 18, 0, 0, 0, time.UTC)
	if got := excelDay(jan1); got != 45292 {
		t.Errorf("excelDay(2024-01-01) = %d, want 45292", got)
	}
	if got := serial1904(jan1); got != 43830.75 {
		t.Errorf("serial1904(2024-01-01 18:00) = %v, want 43830.75", got)
	}
	if got := dateFormats[7](jan1); got != "45292.75000" {
		t.Errorf("serial with time = %q", got)
	}
	if got := chineseClock(time.Date(2024, 1, 2, 0, 5, 0, 0, time.UTC)); got != "2024/1/2 上午12:05" {
		t.Errorf("chineseClock = %q", got)
	}
	if got := chineseClock(time.Date(2024, 1, 2, 15, 5, 0, 0, time.UTC)); got != "2024/1/2 下午3:05" {
		t.Errorf("chineseClock = %q", got)
	}
}

func TestMoneyFormats(t *testing.T) {
	cases := []struct{ got, want string }{
		{moneyGrouped(124900, ".", ","), "1.249,00"},
		{moneyGrouped(1234567801, "\u00a0", ","), "12\u00a0345\u00a0678,01"},
		{moneyGrouped(5, ",", "."), "0.05"},
		{fullWidth(124900), "１２４９．００"},
		{plainShort(1250), "12.5"},
		{plainShort(1200), "12"},
		{accounting(1200), "(12.00)"},
		{milliText(425), "0.425"},
		{milliText(2550), "2.55"},
		{milliText(12000), "12.0"},
		{formatCents(-1205), "-12.05"},
		{csvField(`="0123"`, ','), `="0123"`},
		{csvField(`a,b`, ','), `"a,b"`},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if roundMilli(4425) != 443 || roundMilli(-4425) != -443 || roundMilli(4424) != 442 {
		t.Errorf("roundMilli is not half away from zero")
	}
}

// testAccount matches the ids the default test_accounts rule drops.
var testAccount = regexp.MustCompile(`(?i)^(test.*|.*test|demo.*|.*_demo)$`)

func TestExpectedAnswers(t *testing.T) {
	for _, f := range corpus(t) {
		t.Run(f.Name, func(t *testing.T) {
			if len(f.Expected) < 50 {
				t.Errorf("only %d customers expected", len(f.Expected))
			}
			if !slices.IsSortedFunc(f.Expected, func(a, b Result) int { return strings.Compare(a.CustomerID, b.CustomerID) }) {
				t.Errorf("expected answer is not sorted by customer id")
			}
			for _, r := range f.Expected {
				if testAccount.MatchString(r.CustomerID) || r.CustomerID != strings.TrimSpace(r.CustomerID) {
					t.Errorf("customer id %q looks like a test account or is not trimmed", r.CustomerID)
				}
				if r.Frequency < 1 || r.Cents <= 0 || r.First > r.Last || r.First < "2023-01-01" || r.Last > "2025-12-31" {
					t.Errorf("implausible row %+v", r)
				}
			}
		})
	}
}

// TestTruthCoversTheRules checks that each file holds the cases it is
// meant to test, so that a wrong rule in the importer changes its answer.
func TestTruthCoversTheRules(t *testing.T) {
	for _, f := range corpus(t) {
		if f.truth == nil {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			hasStatus := f.truth[0].StatusText != ""
			if hasStatus && len(f.Expected) >= f.Customers {
				t.Errorf("every customer has a counted order; want some whose orders never count")
			}
			n := map[Status]int{}
			fullRefund, payDayDiffers := 0, 0
			for _, o := range f.truth {
				n[o.Status]++
				if o.Status.Counts() && o.Refund >= o.Paid && o.Paid > 0 {
					fullRefund++
				}
				if o.Status.Counts() && !o.PaidAt.IsZero() && o.PaidAt.Format(dayLayout) != o.Created.Format(dayLayout) {
					payDayDiffers++
				}
				if o.Paid <= 0 {
					t.Errorf("order %s has no value", o.ID)
				}
			}
			if hasStatus {
				if n[Cancelled]+n[Closed] == 0 || n[Refunded] == 0 {
					t.Errorf("statuses %v: want cancelled or closed and fully refunded orders", n)
				}
				if f.Name != "orders_zh_utf8bom.csv" && n[Unpaid] == 0 {
					t.Errorf("no unpaid orders")
				}
			}
			if f.cols.refund && (n[PartRefunded] == 0 || !sensitive(f, columns{payTime: f.cols.payTime})) {
				t.Errorf("refund column: %d partial refunds, or ignoring it changes no answer", n[PartRefunded])
			}
			if f.cols.payTime && (payDayDiffers < 5 || !sensitive(f, columns{refund: f.cols.refund})) {
				t.Errorf("payment column: %d counted orders paid on another day, or ignoring it changes no answer", payDayDiffers)
			}
			if f.cols.refund && f.Name != "shopify_orders.csv" && fullRefund == 0 {
				t.Errorf("no order with a counted status refunded in full")
			}
		})
	}
}

// sensitive tells whether reading f with other columns would change the
// answer.
func sensitive(f File, other columns) bool {
	return !bytes.Equal(ExpectedCSV(expect(f.truth, other)), ExpectedCSV(f.Expected))
}

func TestCreditsFollowASale(t *testing.T) {
	for _, f := range corpus(t) {
		for i, o := range f.truth {
			if !o.Credit {
				continue
			}
			ok := false
			for _, s := range f.truth[:i] {
				ok = ok || (!s.Credit && s.Buyer.ID == o.Buyer.ID && s.Created.Format(dayLayout) < o.Created.Format(dayLayout))
			}
			if !ok {
				t.Errorf("%s: refund line %s comes before any sale of %s", f.Name, o.ID, o.Buyer.ID)
			}
		}
	}
}

func TestRetail(t *testing.T) {
	lines := retailLines()
	perLine := perLineCents(lines)
	differ, cancels := 0, 0
	for _, r := range expectRetail(lines) {
		if perLine[r.CustomerID] != r.Cents {
			differ++
		}
	}
	if differ < 5 {
		t.Errorf("only %d customers where rounding each line first gives another answer; want at least 5", differ)
	}
	firstSale := map[string]string{}
	for _, l := range lines {
		day := l.when.Format(dayLayout)
		switch {
		case l.customer == "":
		case !l.cancelled():
			if firstSale[l.customer] == "" {
				firstSale[l.customer] = day
			}
			if l.qty <= 0 {
				t.Errorf("sale line %s has quantity %d", l.invoice, l.qty)
			}
		default:
			cancels++
			if l.qty >= 0 || firstSale[l.customer] == "" || firstSale[l.customer] >= day {
				t.Errorf("cancellation %s of %s on %s: quantity %d, first sale %q", l.invoice, l.customer, day, l.qty, firstSale[l.customer])
			}
		}
	}
	if cancels < 10 {
		t.Errorf("only %d cancellation lines", cancels)
	}
}
