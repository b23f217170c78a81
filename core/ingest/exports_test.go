package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"segsim/core/calendar"
)

func encode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDetectEncoding(t *testing.T) {
	zh := "会员ID,下单时间,实付金额,备注\r\nM1,2024-01-02,12.50,北京朝阳区的老客户\r\n"
	de := "Kundennummer;Bestelldatum;Betrag;Stadt\r\nK1;02.01.2024;1.249,00;München\r\nK2;03.01.2024;12,50;Köln, Straße 5 für Café\r\n"
	cases := []struct {
		name string
		data []byte
		enc  string
		bom  int
	}{
		{"utf-8", []byte(zh), EncUTF8, 0},
		{"utf-8 bom", append([]byte("\xef\xbb\xbf"), zh...), EncUTF8, 3},
		{"gbk", encode(t, simplifiedchinese.GBK, zh), EncGB18030, 0},
		{"gb18030", encode(t, simplifiedchinese.GB18030, zh), EncGB18030, 0},
		{"utf-16le bom", encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), zh), EncUTF16LE, 2},
		{"utf-16be bom", encode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), zh), EncUTF16BE, 2},
		{"utf-16le no bom", encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), de), EncUTF16LE, 0},
		{"windows-1252", encode(t, charmap.Windows1252, de), EncCP1252, 0},
		{"windows-1252 euro", encode(t, charmap.Windows1252, "a;b\r\n1;€ 5 für Müller\r\n"), EncCP1252, 0},
	}
	for _, c := range cases {
		enc, bom := DetectEncoding(c.data)
		if enc != c.enc || bom != c.bom {
			t.Errorf("%s: DetectEncoding = %s, %d; want %s, %d", c.name, enc, bom, c.enc, c.bom)
		}
		text, used, _, err := toUTF8(c.data, "")
		if err != nil || used != c.enc {
			t.Fatalf("%s: toUTF8: %s, %v", c.name, used, err)
		}
		want := zh
		if strings.Contains(c.name, "1252") || c.name == "utf-16le no bom" {
			want = de
		}
		if c.name == "windows-1252 euro" {
			want = "a;b\r\n1;€ 5 für Müller\r\n"
		}
		if string(text) != want {
			t.Errorf("%s: decoded %q", c.name, text)
		}
	}
}

func TestParseEncodedFiles(t *testing.T) {
	src := "会员ID,下单时间,实付金额\r\nM1,2024-01-02,12.50\r\n张三,2024-01-03,7\r\n"
	for _, e := range []struct {
		enc  encoding.Encoding
		name string
	}{{simplifiedchinese.GBK, EncGB18030}, {unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), EncUTF16LE}} {
		o, rep, err := Parse(encode(t, e.enc, src), Options{})
		if err != nil {
			t.Fatalf("%s: %v", e.name, err)
		}
		if rep.Encoding != e.name || rep.RowsKept != 2 || o.CustomerID(o.Cust[1]) != "张三" || rep.Roles["amount"] != "实付金额" {
			t.Errorf("%s: encoding %s kept %d id %q roles %v", e.name, rep.Encoding, rep.RowsKept, o.CustomerID(o.Cust[1]), rep.Roles)
		}
	}
	// --encoding overrides detection: the GBK bytes read as Windows-1252
	// give other (wrong) text, but the file still parses.
	_, rep, err := Parse(encode(t, simplifiedchinese.GBK, "customer,date,amount\r\n张三,2024-01-03,7\r\n"), Options{Encoding: EncCP1252})
	if err != nil || rep.Encoding != EncCP1252 {
		t.Errorf("override: %v %+v", err, rep)
	}
}

func TestNotText(t *testing.T) {
	cases := map[string]string{
		"xlsx":   "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml xl/workbook.xml",
		"zip":    "PK\x03\x04\x14\x00\x00\x00readme.txt",
		"xls":    "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
		"pdf":    "%PDF-1.7\n",
		"png":    "\x89PNG\r\n\x1a\n\x00\x00",
		"gzip":   "\x1f\x8b\x08\x00",
		"html":   "<html><table><tr><td>会员ID</td></tr></table></html>",
		"binary": "abc\x00\x01\x02\x03def\x00\x00\x05",
	}
	for kind, data := range cases {
		if got := Sniff([]byte(data)); got != kind {
			t.Errorf("Sniff(%s) = %s", kind, got)
		}
		_, _, err := Parse([]byte(data), Options{})
		var ke *KindError
		if !errors.Is(err, ErrNotText) || !errors.As(err, &ke) || ke.Kind != kind {
			t.Errorf("%s: Parse error %v", kind, err)
		}
	}
	_, _, err := Parse([]byte(cases["xls"]), Options{})
	if !strings.Contains(err.Error(), "Excel 97–2003") || !strings.Contains(err.Error(), "save it as .xlsx or as CSV UTF-8") {
		t.Errorf("xls advice: %v", err)
	}
}

func TestStatusClasses(t *testing.T) {
	for s, want := range map[string]uint8{
		"交易成功": statusCounted, "买家已付款，等待卖家发货": statusCounted, "卖家已发货，等待买家确认": statusCounted,
		"等待买家付款": statusUnpaid, "待付款": statusUnpaid, "交易关闭": statusReturned, "已取消": statusReturned,
		"部分退款": statusCounted, "退款成功": statusReturned,
		"paid": statusCounted, "partially_refunded": statusCounted, "authorized": statusCounted, "pending": statusUnpaid,
		"refunded": statusReturned, "voided": statusReturned, "wc-completed": statusCounted, "wc-processing": statusCounted,
		"wc-pending": statusUnpaid, "wc-on-hold": statusUnpaid, "On hold": statusUnpaid, "Failed": statusUnpaid,
		"wc-cancelled": statusReturned, "wc-refunded": statusReturned, "Pending payment": statusUnpaid,
		"Bezahlt": statusCounted, "Offen": statusUnpaid, "Storniert": statusReturned, "Erstattet": statusReturned,
		"Payée": statusCounted, "En attente": statusUnpaid, "Annulée": statusReturned, "Remboursée": statusReturned,
		"Pagado": statusCounted, "Pendiente": statusUnpaid, "Cancelado": statusReturned, "Reembolsado": statusReturned,
		"Pagato": statusCounted, "In attesa": statusUnpaid, "Annullato": statusReturned, "Rimborsato": statusReturned,
	} {
		if got := classifyStatus([]byte(s)); got != want {
			t.Errorf("classifyStatus(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestAmountSpellings(t *testing.T) {
	for in, want := range map[string]int64{
		"1.249,00": 124900, "1 249,00": 124900, "1\u00a0249,00": 124900, "1\u202f249,50": 124950, "¥1,249.00": 124900,
		"1,249.00元": 124900, "(12.00)": -1200, "１２４９．００": 124900, "€ 1.249,00": 124900, "1.249,00 €": 124900,
		"12,5": 1250, "1,234": 123400, "1.234.567": 123456700, "1'249.00": 124900, "12.00-": -1200, "-¥12": -1200,
		"USD 3.5": 350, "RMB12": 1200, "0.125": 13, "2.345e2": 23450, "－５": -500,
	} {
		got, ok := ParseCents([]byte(in))
		if !ok || got != want {
			t.Errorf("ParseCents(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"1.249,00,00", "1,24,9.00", "12abc", "--1", "1 2", "¥", "(1", "12..5"} {
		if got, ok := ParseCents([]byte(bad)); ok {
			t.Errorf("ParseCents(%q) = %d, want an error", bad, got)
		}
	}
}

func TestDateSpellings(t *testing.T) {
	d := func(y, m, dd int) int32 { return calendar.FromCivil(y, m, dd) }
	for in, want := range map[string]int32{
		"2024-03-01T23:30:00-05:00": d(2024, 3, 1), "2024-03-01 23:30:00 +0800": d(2024, 3, 1), "2024-03-01T01:00:00Z": d(2024, 3, 1),
		"2024年1月2日": d(2024, 1, 2), "2024年1月2日 15:04": d(2024, 1, 2), "2024年12月31日15:04:05": d(2024, 12, 31),
		"45292": d(2024, 1, 1), "45292.75": d(2024, 1, 1), "2024/1/2 下午3:05": d(2024, 1, 2), "2024/1/2 上午9:05": d(2024, 1, 2),
		"02.01.2024 14:30": d(2024, 1, 2), "13/2/2024": d(2024, 2, 13), "2/13/2024 1:05 PM": d(2024, 2, 13),
		"2024-01-02 03:04:05 pm": d(2024, 1, 2),
	} {
		got, ok := ParseDate([]byte(in), FormatYMD)
		if !ok || got != want {
			t.Errorf("ParseDate(%q) = %s, %v; want %s", in, calendar.Format(got), ok, calendar.Format(want))
		}
	}
	// Two-digit years follow Excel: 00–29 are 2000s, 30–99 1900s.
	for in, want := range map[string]int32{"1/2/24 1:05 PM": d(2024, 1, 2), "12/31/99": d(1999, 12, 31), "3/4/29": d(2029, 3, 4), "3/4/30": d(1930, 3, 4)} {
		if got, ok := ParseDate([]byte(in), FormatMDY); !ok || got != want {
			t.Errorf("mdy %q = %s, %v; want %s", in, calendar.Format(got), ok, calendar.Format(want))
		}
	}
	if got, ok := ParseDate([]byte("1/2/24"), FormatDMY); !ok || got != d(2024, 2, 1) {
		t.Errorf("dmy 1/2/24 = %s", calendar.Format(got))
	}
	// In a year-first column, A/B/YYYY with both parts ≤ 12 is not guessed.
	if _, ok := ParseDate([]byte("1/2/2024"), FormatYMD); ok {
		t.Error("1/2/2024 read in a ymd column")
	}
	if calendar.FromSerial(0, true) != d(1904, 1, 1) || calendar.FromSerial(43830, true) != d(2024, 1, 1) || calendar.FromSerial(59, false) != d(1900, 2, 28) || calendar.FromSerial(61, false) != d(1900, 3, 1) {
		t.Error("SerialDay")
	}
}

func TestMixedDateColumn(t *testing.T) {
	in := "customer_id,order_date,amount\n" +
		"a,2024-01-05,1\nb,2024年1月6日 15:04,1\nc,45298,1\nd,08.01.2024 14:30,1\ne,2024/1/9 下午3:05,1\nf,2024-01-10T23:00:00-05:00,1\n"
	o, rep, err := Parse([]byte(in), Options{})
	if err != nil || rep.RowsSkipped != 0 {
		t.Fatalf("%v %+v", err, rep.Skips)
	}
	for i, day := range o.Day {
		if want := calendar.FromCivil(2024, 1, 5+i); day != want {
			t.Errorf("row %d: %s, want %s", i, calendar.Format(day), calendar.Format(want))
		}
	}
	_, rep, _ = Parse([]byte("customer_id,order_date,amount\na,yesterday,1\nb,2024-01-02,1\n"), Options{})
	if rep.RowsSkipped != 1 || rep.Skips[0].Code != "bad_date" || !strings.Contains(rep.Skips[0].Reason, "2024年1月2日") {
		t.Errorf("unreadable date: %+v", rep.Skips)
	}
}

func TestPlatformRules(t *testing.T) {
	// Taobao: the paid amount, the payment day, unpaid and closed orders
	// flagged, a partial refund netted, ids behind ="…".
	tb := "订单编号,买家会员名,买家实际支付金额,总金额,订单状态,订单创建时间,订单付款时间,退款金额\n" +
		"=\"2387001\",tb1,99.00,120.00,交易成功,2024-01-02 23:50:00,2024-01-03 00:05:00,10.00\n" +
		"=\"2387002\",tb1,50.00,50.00,等待买家付款,2024-01-04 10:00:00,,0\n" +
		"=\"2387003\",tb2,30.00,30.00,交易成功,2024-01-04 10:00:00,2024-01-04 10:01:00,30.00\n"
	o, rep, err := Parse([]byte(tb), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Platform != "taobao" || rep.Roles["amount"] != "买家实际支付金额" || rep.Roles["paid_date"] != "订单付款时间" || rep.Roles["refund"] != "退款金额" {
		t.Errorf("taobao roles %v platform %s", rep.Roles, rep.Platform)
	}
	if o.Cents[0] != 8900 || o.Day[0] != calendar.FromCivil(2024, 1, 3) || o.Flags[1]&FlagUnpaid == 0 || o.Flags[2]&FlagReturnStatus == 0 || rep.PartialRefunds != 1 {
		t.Errorf("taobao rows: cents %v days %v flags %v", o.Cents, o.Day, o.Flags)
	}
	if o.Day[1] != calendar.FromCivil(2024, 1, 4) || o.DigitOrderIDs != 3 {
		t.Errorf("unpaid order day %s, digit ids %d", calendar.Format(o.Day[1]), o.DigitOrderIDs)
	}
	// Shopify: Email is the customer, Name the order; line items after the
	// first carry no amount and join their order.
	sh := "Name,Email,Financial Status,Paid at,Subtotal,Total,Refunded Amount,Created at,Lineitem name,Billing Name\n" +
		"#1001,a@x.com,paid,2024-01-02 10:00:00 +0800,90.00,100.00,0.00,2024-01-01 23:00:00 +0800,Tee,Ann\n" +
		"#1001,a@x.com,,,,,,2024-01-01 23:00:00 +0800,Cap,\n" +
		"#1002,b@x.com,pending,,20.00,20.00,,2024-01-03 10:00:00 +0800,Tee,Ann\n" +
		"#1002,b@x.com,,,,,,2024-01-03 10:00:00 +0800,Mug,\n"
	o, rep, err = Parse([]byte(sh), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Platform != "shopify" || rep.Roles["customer"] != "Email" || rep.Roles["order"] != "Name" || rep.Roles["amount"] != "Total" || rep.LineItems != 2 {
		t.Errorf("shopify: %v %s line items %d", rep.Roles, rep.Platform, rep.LineItems)
	}
	if o.Cents[0] != 10000 || o.Cents[1] != 0 || o.Order[0] != o.Order[1] || o.Day[1] != calendar.FromCivil(2024, 1, 2) || o.Flags[3]&FlagUnpaid == 0 {
		t.Errorf("shopify rows: cents %v days %v flags %v", o.Cents, o.Day, o.Flags)
	}
	// WooCommerce: Billing Email, not Customer User (0 for guests).
	wc := "Order ID,Order Status,Order Date,Paid Date,Customer User,Billing Email,Order Total Amount,Order Refund Amount\n" +
		"11,wc-completed,2024-01-02 10:00,2024-01-02 10:01,0,g@x.com,50.00,5.00\n12,wc-pending,2024-01-03 10:00,,7,m@x.com,20.00,0\n"
	o, rep, err = Parse([]byte(wc), Options{})
	if err != nil || rep.Platform != "woocommerce" || rep.Roles["customer"] != "Billing Email" || o.Cents[0] != 4500 || o.Flags[1]&FlagUnpaid == 0 {
		t.Errorf("woocommerce: %v %v %+v %v", err, rep.Roles, o, rep.Platform)
	}
}

func TestQuantityTimesPriceKeepsFractions(t *testing.T) {
	in := "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n" +
		"536365,A,3,12/1/2010 8:26,0.425,17850\n536366,B,1,12/13/2010 9:26,1.655,17850\nC536367,A,-1,12/14/2010 9:00,0.425,17850\n"
	o, rep, err := Parse([]byte(in), Options{})
	if err != nil || rep.Platform != "uci" {
		t.Fatal(err, rep.Platform)
	}
	// 3 × 0.425 = 1.275 and 1.655 and −0.425: 2.505 in all, 2.51 once
	// rounded; rounding each line would give 1.28 + 1.66 − 0.43 = 2.51
	// here, so check the parts.
	if o.Cents[0] != 127 || o.Sub[0] != 5000 || o.Cents[1] != 165 || o.Sub[1] != 5000 || o.Cents[2] != -43 || o.Sub[2] != 5000 {
		t.Errorf("cents %v sub %v", o.Cents, o.Sub)
	}
}

func TestCarryAndRejects(t *testing.T) {
	in := "sep=;\ncustomer;date;amount;phone\na;2024-01-02;1;138\n;2024-01-02;1;139\nb;bad;1;\n"
	o, rep, err := Parse([]byte(in), Options{Carry: []string{"phone"}, KeepRejects: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Carry) != 1 || o.Carry[0].Header != "phone" || len(o.Carry[0].Row) != 1 || string(o.Carry[0].Values.Key(o.Carry[0].Row[0])) != "138" {
		t.Errorf("carry %+v", o.Carry)
	}
	if len(rep.Rejects) != 2 || rep.Rejects[0].Raw != ";2024-01-02;1;139" || rep.Rejects[1].Line != 5 || rep.Rejects[1].Code != "bad_date" {
		t.Errorf("rejects %+v", rep.Rejects)
	}
	if _, _, err := Parse([]byte(in), Options{Carry: []string{"email"}}); err == nil || !strings.Contains(err.Error(), "carry") {
		t.Errorf("unknown carry column: %v", err)
	}
}

func TestPreviewWhenColumnsMissing(t *testing.T) {
	_, rep, err := Parse([]byte("A,B,C\nx1,2024-01-02,5\nx2,2024-01-03,6\n"), Options{})
	if !errors.Is(err, ErrMissingColumn) || rep == nil || len(rep.Preview) != 2 || rep.Preview[1][0] != "x2" || len(rep.Headers) != 3 {
		t.Fatalf("%v %+v", err, rep)
	}
	o, _, err := Parse([]byte("A,B,C\nx1,2024-01-02,5\nx2,2024-01-03,6\n"), Options{Map: map[Role]string{RoleCustomer: "A", RoleDate: "B", RoleAmount: "3"}})
	if err != nil || o.Len() != 2 {
		t.Errorf("mapped: %v", err)
	}
}

func TestTitleAboveHeader(t *testing.T) {
	in := "订单报表\n导出时间：2024-02-01\n\n会员ID,下单时间,实付金额\nM1,2024-01-02,5\nM2,2024-01-03,6\n"
	o, rep, err := Parse([]byte(in), Options{})
	if err != nil || o.Len() != 2 || rep.RowsRead != 2 || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "line 4") {
		t.Fatalf("%v %+v", err, rep)
	}
}

func TestScientificIDsWarn(t *testing.T) {
	in := "会员ID,订单号,下单时间,实付金额\n1.38001E+10,2.38712E+17,2024-01-02,5\nM2,O2,2024-01-03,6\n"
	_, rep, err := Parse([]byte(in), Options{})
	if err != nil || len(rep.Warnings) != 2 || !strings.Contains(rep.Warnings[1], `"订单号"`) || !strings.Contains(rep.Warnings[0], "scientific notation") {
		t.Fatalf("%v %q", err, rep.Warnings)
	}
}

// TestScientificFixedCustomer: a customer id given for every row that
// looks like Excel's scientific notation is warned about by name (it has
// no column; this once indexed the header list at -1 and panicked).
func TestScientificFixedCustomer(t *testing.T) {
	in := `[{"date":"2024-01-02","amount":5},{"date":"2024-01-03","amount":6}]`
	_, rep, err := Parse([]byte(in), Options{Customer: "1.5E+10"})
	if err != nil || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], `the customer id "1.5E+10" is in scientific notation`) {
		t.Fatalf("%v %q", err, rep.Warnings)
	}
}

// TestDecodeMatchesXText checks the table-driven decoders against x/text
// on random text: CJK, ASCII, symbols and four-byte GB18030 characters.
func TestDecodeMatchesXText(t *testing.T) {
	r := []rune("会员下单时间实付金额交易成功，等待买家付款！¥€äöüßé,;\"\n\r\t abcXYZ0123456789😀𠀀ㄅ")
	var sb strings.Builder
	seed := uint32(7)
	for i := 0; i < 20000; i++ {
		seed = seed*1664525 + 1013904223
		sb.WriteRune(r[int(seed>>8)%len(r)])
		if i%7 == 0 {
			sb.WriteRune(rune(0x4e00 + int(seed>>12)%20000)) // any CJK ideograph
		}
	}
	text := sb.String()
	gb := encode(t, simplifiedchinese.GB18030, text)
	got, err := decode(gb, EncGB18030)
	if err != nil || string(got) != text {
		t.Errorf("GB18030 decode differs from the original text (err %v)", err)
	}
	want, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(gb)
	if string(got) != string(want) {
		t.Error("GB18030 decode differs from x/text")
	}
	// A large input is decoded in two halves: the seam must not show.
	big := bytes.Repeat(gb, (5<<20)/len(gb)+1)
	if got, err := decode(big, EncGB18030); err != nil || string(got) != strings.Repeat(text, (5<<20)/len(gb)+1) {
		t.Errorf("large GB18030 input decodes differently (err %v)", err)
	}
	latin := "Kunde;Straße;Köln;€ 12,50;naïve café – “quoted” …\r\n"
	cp := encode(t, charmap.Windows1252, latin)
	if got, _ := decode(cp, EncCP1252); string(got) != latin {
		t.Errorf("Windows-1252 decode: %q", got)
	}
	// Bytes that do not form characters decode as x/text decodes them.
	bad := []byte("a\x81b\xfe\xff\x80,\x81\x30\x81")
	got, _ = decode(bad, EncGB18030)
	want, _ = simplifiedchinese.GB18030.NewDecoder().Bytes(bad)
	if string(got) != string(want) {
		t.Errorf("bad bytes: %q, x/text %q", got, want)
	}
}

// wideJSON is an array whose first record has keys extra keys and whose
// other rows are empty objects, and a last row naming late fields.
func wideJSON(keys, rows, late int) []byte {
	var b strings.Builder
	b.WriteString(`[{"customer_id":"a","order_date":"2024-01-02","amount":5`)
	for i := 0; i < keys; i++ {
		fmt.Fprintf(&b, `,"k%d":0`, i)
	}
	b.WriteString("}")
	for i := 0; i < rows; i++ {
		b.WriteString(",{}")
	}
	b.WriteString(`,{"customer_id":"b","order_date":"2024-01-03","amount":6`)
	for i := 0; i < late; i++ {
		fmt.Fprintf(&b, `,"late%d":1`, i)
	}
	b.WriteString("}]")
	return []byte(b.String())
}

func TestWideJSON(t *testing.T) {
	o, rep, err := Parse(wideJSON(5000, 5000, 30), Options{})
	if err != nil || o.Len() != 2 || rep.RowsSkipped != 5000 || rep.SkipReasons[0].Code != "empty_row" {
		t.Fatalf("%v: kept %d, %+v", err, o.Len(), rep.SkipReasons)
	}
	if len(rep.Warnings) != maxLateFields+1 || !strings.HasPrefix(rep.Warnings[maxLateFields], "10 more fields") {
		t.Errorf("warnings: %d, last %q", len(rep.Warnings), rep.Warnings[len(rep.Warnings)-1])
	}
}

// BenchmarkWideJSON reads a body whose first record has many keys and
// whose other rows are empty: the work must grow with the body, not with
// keys × rows.
func BenchmarkWideJSON(b *testing.B) {
	for _, n := range []int{2000, 8000} {
		data := wideJSON(n, n, 0)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				Parse(data, Options{})
			}
		})
	}
}

func TestAmountsTooLargeToSum(t *testing.T) {
	var b strings.Builder
	b.WriteString("customer_id,order_date,amount\n")
	for i := 0; i < 11; i++ {
		fmt.Fprintf(&b, "c1,2024-01-%02d,9000000000000000\n", i+1)
	}
	if _, _, err := Parse([]byte(b.String()), Options{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("11 × 9e15: %v", err)
	}
	if _, _, err := Parse([]byte("customer_id,order_date,amount\nc1,2024-01-01,9000000000000000\n"), Options{}); err != nil {
		t.Errorf("one 9e15 order: %v", err)
	}
	// The same amounts written with an exponent, as JSON numbers often are.
	b.Reset()
	b.WriteString(`[{"customer_id":"c0","order_date":"2024-01-01","amount":10}`)
	for i := 0; i < 11; i++ {
		fmt.Fprintf(&b, `,{"customer_id":"c1","order_date":"2024-01-%02d","amount":9e15}`, i+1)
	}
	b.WriteString("]")
	if _, _, err := Parse([]byte(b.String()), Options{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("11 × 9e15 in JSON: %v", err)
	}
	o, _, err := Parse([]byte(`[{"customer_id":"c1","order_date":"2024-01-01","amount":9e15}]`), Options{})
	if err != nil || o.Len() != 1 || o.Cents[0] != 900000000000000000 {
		t.Errorf("one 9e15 order in JSON: %v", err)
	}
}

func TestJSONDuplicateKeys(t *testing.T) {
	in := `[{"customer_id":"a","order_date":"2024-01-02","amount":5},{"customer_id":"b","order_date":"2024-01-03","amount":6,"amount":600}]`
	o, rep, err := Parse([]byte(in), Options{})
	if err != nil || o.Len() != 1 || rep.RowsSkipped != 1 || rep.Skips[0].Code != "duplicate_field" || !strings.Contains(rep.Skips[0].Reason, `"amount"`) {
		t.Fatalf("%v %+v", err, rep.Skips)
	}
}

func TestSniffHTMLCase(t *testing.T) {
	for data, kind := range map[string]string{
		"\xef\xbb\xbf \r\n<!DOCTYPE HTML><TABLE>":                            "html",
		"<TaBlE border=1><tr><td>x</td></tr>":                                "html",
		"<?XML version=\"1.0\"?><Workbook xmlns=\"urn:Office:SpreadSheet\">": "html",
		"<?xml version=\"1.0\"?><orders/>":                                   "text",
		"customer,date,amount\nHTML,2024-01-01,3\n":                          "text",
	} {
		if got := Sniff([]byte(data)); got != kind {
			t.Errorf("Sniff(%q) = %s, want %s", data, got, kind)
		}
	}
}

func TestIsStatsJSON(t *testing.T) {
	for data, want := range map[string]bool{
		"customer_id,first_date,last_date,orders,revenue\nc1,2024-01-01,2024-02-01,2,30\n":                                    true,
		`[{"customer_id":"c1","first_date":"2024-01-01","last_date":"2024-02-01","orders":2,"revenue":30}]`:                   false,
		"\xef\xbb\xbf \n" + `{"customer_id":"c1","first_date":"2024-01-01","last_date":"2024-02-01","orders":2,"revenue":30}`: false,
		"customer,date,amount\nc1,2024-01-01,3\n":                                                                             false,
	} {
		if got := IsStats([]byte(data)); got != want {
			t.Errorf("IsStats(%q) = %v, want %v", data, got, want)
		}
	}
}

func TestNoPreview(t *testing.T) {
	data := []byte("customer,date,amount\nc1,2024-01-01,3\nc2,2024-01-02,4\n")
	_, rep, err := Parse(data, Options{})
	if err != nil || len(rep.Preview) != 2 || rep.Preview[1][0] != "c2" {
		t.Fatalf("preview: %v %q", err, rep.Preview)
	}
	o, rep, err := Parse(data, Options{NoPreview: true})
	if err != nil || rep.Preview != nil || o.Len() != 2 {
		t.Fatalf("no preview: %v %q", err, rep.Preview)
	}
}
