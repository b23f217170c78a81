package ingest

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"segsim/core/calendar"
)

func day(s string) int32 {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return int32(t.Unix() / 86400)
}

// rows flattens Orders into comparable strings: "id|YYYY-MM-DD|cents".
func rows(o *Orders) []string {
	var out []string
	for i := range o.Cust {
		out = append(out, o.CustomerID(o.Cust[i])+"|"+calendar.Format(o.Day[i])+"|"+strconv.FormatInt(o.Cents[i], 10))
	}
	return out
}

func TestParseFormats(t *testing.T) {
	want := []string{"a1|2024-03-05|1250", "b2|2024-03-06|-300", "a1|2024-03-07|99"}
	tests := []struct {
		name, format, in string
		dates            DateFormat
	}{
		{"csv", "csv", "customer_id,order_date,amount\na1,2024-03-05,12.50\nb2,2024-03-06,-3\na1,2024-03-07,0.99\n", FormatAuto},
		{"csv crlf bom", "csv", "\xef\xbb\xbfcustomer_id,order_date,amount\r\na1,2024-03-05,12.50\r\nb2,2024-03-06,-3\r\na1,2024-03-07,0.99\r\n", FormatAuto},
		{"csv no final newline", "csv", "customer_id,order_date,amount\na1,2024-03-05,12.50\nb2,2024-03-06,-3\na1,2024-03-07,0.99", FormatAuto},
		{"csv quoted", "csv", "\"customer_id\",\"order_date\",\"amount\"\n\"a1\",\"2024-03-05\",\"12.50\"\n\"b2\",2024-03-06,\"-3\"\na1,\"2024-03-07\",.99\n", FormatAuto},
		{"tsv", "tsv", "customer_id\torder_date\tamount\na1\t2024-03-05\t12.50\nb2\t2024-03-06\t-3\na1\t2024-03-07\t0.99\n", FormatAuto},
		{"semicolon decimal comma", "semicolon", "customer_id;order_date;amount\na1;2024-03-05;12,50\nb2;2024-03-06;-3\na1;2024-03-07;0,99\n", FormatAuto},
		{"json array", "json", `[{"customer_id":"a1","order_date":"2024-03-05","amount":12.5},{"customer_id":"b2","order_date":"2024-03-06","amount":-3},{"customer_id":"a1","order_date":"2024-03-07","amount":"0.99"}]`, FormatAuto},
		{"ndjson", "ndjson", "{\"customer_id\":\"a1\",\"order_date\":\"2024-03-05\",\"amount\":12.5}\n{\"customer_id\":\"b2\",\"order_date\":\"2024-03-06\",\"amount\":-3}\n\n{\"customer_id\":\"a1\",\"order_date\":\"2024-03-07\",\"amount\":0.99}\n", FormatAuto},
		{"chinese headers", "csv", "会员ID,下单时间,实付金额\na1,2024-03-05 10:00:00,¥12.50\nb2,2024/3/6 11:00,-3\na1,2024-03-07T08:00:00+08:00,0.99元\n", FormatAuto},
		{"uci style", "csv", "Invoice,StockCode,Quantity,InvoiceDate,Price,Customer ID\n1,x,5,3/5/2024 8:26,2.50,a1\n2,y,-1,3/6/2024 9:00,3.00,b2\n3,z,1,3/7/2024 9:00,0.99,a1\n", FormatMDY},
		{"unix seconds", "csv", "uid,timestamp,gmv\na1,1709640000,12.5\nb2,1709726400,-3\na1,1709812800,0.99\n", FormatAuto},
		{"unix ms", "csv", "uid,timestamp,gmv\na1,1709640000000,12.5\nb2,1709726400000,-3\na1,1709812800000,0.99\n", FormatAuto},
		{"yyyymmdd", "csv", "customer_id,date,amount\na1,20240305,12.5\nb2,20240306,-3\na1,20240307,0.99\n", FormatAuto},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, rep, err := Parse([]byte(tc.in), Options{DateFormat: tc.dates})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if rep.Format != tc.format {
				t.Errorf("format = %q, want %q", rep.Format, tc.format)
			}
			got := rows(o)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("rows = %v, want %v", got, want)
			}
			if rep.RowsRead != 3 || rep.RowsKept != 3 || rep.RowsSkipped != 0 {
				t.Errorf("read/kept/skipped = %d/%d/%d, want 3/3/0", rep.RowsRead, rep.RowsKept, rep.RowsSkipped)
			}
			if o.Customers.Len() != 2 {
				t.Errorf("customers = %d, want 2", o.Customers.Len())
			}
		})
	}
}

func TestParseSkipsAndCounts(t *testing.T) {
	in := "customer_id,order_id,order_date,amount\n" +
		"c1,o1,2024-01-02,10\n" + // line 2 ok
		",o2,2024-01-02,10\n" + // 3 empty id
		"c2,o3,2024-13-02,10\n" + // 4 bad date
		"c3,o4,2024-01-02,abc\n" + // 5 bad amount
		"c4,o5,2024-01-02\n" + // 6 wrong field count
		",,,\n" + // 7 empty row
		"\n" + // 8 blank line: not a row
		"\"c5\",\"o6\",2024-01-03,\"1,234.50\"\n" + // 9 ok, thousands
		"c6,o7,2024-01-04,\"12\n" // 10 unterminated quote
	o, rep, err := Parse([]byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.RowsRead != rep.RowsKept+rep.RowsSkipped {
		t.Fatalf("read %d != kept %d + skipped %d", rep.RowsRead, rep.RowsKept, rep.RowsSkipped)
	}
	if rep.RowsKept != 2 || rep.RowsSkipped != 6 {
		t.Fatalf("kept/skipped = %d/%d, want 2/6; skips %v", rep.RowsKept, rep.RowsSkipped, rep.Skips)
	}
	wantSkips := []struct {
		line   int
		column string
		value  string
		reason string
	}{
		{3, "customer_id", "", "customer id is empty"},
		{4, "order_date", "2024-13-02", "date is not readable as ymd"},
		{5, "amount", "abc", "amount is not a number"},
		{6, "", "", "has 3 fields, the header has 4"},
		{7, "", "", "empty row"},
		{10, "", "", "quoted field is not closed before the end of the file"},
	}
	for i, w := range wantSkips {
		s := rep.Skips[i]
		if s.Line != w.line || s.Column != w.column || s.Value != w.value || !strings.HasPrefix(s.Reason, w.reason) {
			t.Errorf("skip %d = %+v, want %+v", i, s, w)
		}
	}
	if got := rows(o); got[1] != "c5|2024-01-03|123450" {
		t.Errorf("row 2 = %s", got[1])
	}
	if got := rep.Skips[2].Error(); got != `line 5, column amount "abc": amount is not a number` {
		t.Errorf("Error() = %s", got)
	}
}

func TestQuotedFieldsAcrossLines(t *testing.T) {
	in := "customer_id,note,order_date,amount\n\"c1\",\"multi\nline \"\"quoted\"\"\",2024-01-02,5\nc2,x,2024-01-03,6\nc3,,bad,7\n"
	_, rep, err := Parse([]byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.RowsKept != 2 || len(rep.Skips) != 1 || rep.Skips[0].Line != 5 {
		t.Fatalf("kept %d skips %+v; want 2 kept and a skip on line 5", rep.RowsKept, rep.Skips)
	}
}

func TestAmbiguousDates(t *testing.T) {
	in := "customer_id,order_date,amount\nc1,03/04/2024,5\nc2,05/06/2024,6\n"
	_, _, err := Parse([]byte(in), Options{})
	var amb *AmbiguousDateError
	if !errors.As(err, &amb) || !errors.Is(err, ErrAmbiguousDates) {
		t.Fatalf("err = %v, want AmbiguousDateError", err)
	}
	if amb.Column != "order_date" || len(amb.Examples) == 0 {
		t.Errorf("error = %+v", amb)
	}
	for f, want := range map[DateFormat]string{FormatMDY: "2024-03-04", FormatDMY: "2024-04-03"} {
		o, _, err := Parse([]byte(in), Options{DateFormat: f})
		if err != nil {
			t.Fatal(err)
		}
		if got := calendar.Format(o.Day[0]); got != want {
			t.Errorf("%v: first date %s, want %s", f, got, want)
		}
	}
	// A day above 12 anywhere in the column settles it, even late in the file.
	var b strings.Builder
	b.WriteString("customer_id,order_date,amount\n")
	for i := 0; i < 500; i++ {
		b.WriteString("c1,01/02/2024,1\n")
	}
	b.WriteString("c2,25/02/2024,1\n")
	o, rep, err := Parse([]byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.DateFormat != "dmy" || calendar.Format(o.Day[0]) != "2024-02-01" || calendar.Format(o.Day[500]) != "2024-02-25" {
		t.Errorf("format %s, days %s %s", rep.DateFormat, calendar.Format(o.Day[0]), calendar.Format(o.Day[500]))
	}
	// A column that mixes both: the minority rows are skipped and reported.
	in = "customer_id,order_date,amount\nc1,13/01/2024,1\nc1,14/01/2024,1\nc2,01/15/2024,1\n"
	o, rep, err = Parse([]byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.RowsKept != 2 || rep.RowsSkipped != 1 || rep.Skips[0].Line != 4 || o.Len() != 2 {
		t.Errorf("kept %d skipped %d skips %+v", rep.RowsKept, rep.RowsSkipped, rep.Skips)
	}
}

func TestMissingColumnsAndMapping(t *testing.T) {
	in := "who,when,how much\nc1,2024-01-02,5\n"
	_, _, err := Parse([]byte(in), Options{})
	if !errors.Is(err, ErrMissingColumn) || !strings.Contains(err.Error(), `"who"`) {
		t.Fatalf("err = %v", err)
	}
	m, err := ParseMapping("customer=who,date=when,amount=#3")
	if err != nil {
		t.Fatal(err)
	}
	o, rep, err := Parse([]byte(in), Options{Map: m})
	if err != nil {
		t.Fatal(err)
	}
	if o.Len() != 1 || rep.Roles["amount"] != "how much" {
		t.Errorf("rows %d roles %v", o.Len(), rep.Roles)
	}
	if _, err := ParseMapping("customer"); err == nil {
		t.Error("ParseMapping accepted a pair without =")
	}
	if _, err := ParseMapping("shoe=x"); err == nil || !strings.Contains(err.Error(), "shoe") {
		t.Errorf("ParseMapping(shoe=x) err = %v", err)
	}
	if _, _, err := Parse([]byte(in), Options{Map: map[Role]string{RoleCustomer: "nope"}}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown mapped column: err = %v", err)
	}
}

func TestQuantityTimesPrice(t *testing.T) {
	in := "CustomerID,InvoiceDate,Quantity,UnitPrice\n17850,2010-12-01 08:26:00,6,2.55\n17850,2010-12-01 08:28:00,-2,1.10\n"
	o, _, err := Parse([]byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if o.Cents[0] != 1530 || o.Cents[1] != -220 {
		t.Errorf("cents = %v", o.Cents)
	}
}

func TestStatusAndCInvoice(t *testing.T) {
	in := "customer_id,order_id,order_date,amount,status\nc1,100,2024-01-02,5,paid\nc1,C101,2024-01-03,-5,paid\nc2,102,2024-01-03,7,已退款\n"
	o, rep, err := Parse([]byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if o.Flags[0] != 0 || o.Flags[1] != FlagCInvoice || o.Flags[2] != FlagReturnStatus {
		t.Errorf("flags = %v", o.Flags)
	}
	if o.DigitOrderIDs != 2 || len(rep.Statuses) != 2 || !rep.Statuses[1].Return {
		t.Errorf("digit ids %d statuses %+v", o.DigitOrderIDs, rep.Statuses)
	}
}

func TestNothingUsable(t *testing.T) {
	_, _, err := Parse([]byte("customer_id,order_date,amount\nc1,never,1\n"), Options{})
	if !errors.Is(err, ErrNothingUsable) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("err = %v", err)
	}
	if _, _, err := Parse([]byte("  \n"), Options{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: err = %v", err)
	}
	if _, _, err := Parse([]byte("[{\"a\":1},"), Options{}); !errors.Is(err, ErrBadJSON) {
		t.Errorf("bad json: err = %v", err)
	}
}

func TestNDJSONBadLines(t *testing.T) {
	in := "{\"customer_id\":\"a\",\"date\":\"2024-01-01\",\"amount\":1}\n{\"customer_id\":\"b\",\"date\":\n[1,2]\n{\"customer_id\":null,\"date\":\"2024-01-01\",\"amount\":1}\n"
	_, rep, err := Parse([]byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.RowsKept != 1 || rep.RowsSkipped != 3 || rep.Skips[0].Line != 2 || rep.Skips[1].Reason != "record is not a JSON object" {
		t.Errorf("kept %d skipped %d %+v", rep.RowsKept, rep.RowsSkipped, rep.Skips)
	}
}

func TestProgress(t *testing.T) {
	var b strings.Builder
	b.WriteString("customer_id,order_date,amount\n")
	for b.Len() < 3<<20 {
		b.WriteString("customer-000001,2024-01-02,10.00\n")
	}
	var calls, last, total int
	_, _, err := Parse([]byte(b.String()), Options{Progress: func(done, all int) { calls++; last, total = done, all }})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 3 || last != total || total != b.Len() {
		t.Errorf("calls %d last %d total %d len %d", calls, last, total, b.Len())
	}
}

// TestJSONKeyOrder reads records whose keys come in different orders, with
// numbers, nulls, escapes and a duplicate key, the same with and without
// ValidJSON.
func TestJSONKeyOrder(t *testing.T) {
	in := `[{"customer_id":"a","order_date":"2024-01-01","amount":12.5,"channel":"app"},
		{"amount":"7","channel":null,"order_date":"2024-01-03","customer_id":"b\u00e9"},
		{"order_date":"2024-01-02","customer_id":"a","amount":3,"channel":"w\"eb"},
		{"order_date":"2024-01-02","customer_id":"a","amount":1,"amount":3}]`
	for _, valid := range []bool{false, true} {
		o, rep, err := Parse([]byte(in), Options{ValidJSON: valid})
		if err != nil {
			t.Fatal(err)
		}
		if rep.RowsKept != 3 || o.Customers.Len() != 2 || string(o.Customers.Key(o.Cust[1])) != "bé" {
			t.Fatalf("valid %v: kept %d, %d customers", valid, rep.RowsKept, o.Customers.Len())
		}
		if !slices.Equal(o.Cents, []int64{1250, 700, 300}) {
			t.Errorf("valid %v: cents %v", valid, o.Cents)
		}
		// A record naming a field twice is not used: JSON leaves open
		// which value a reader takes.
		if rep.RowsSkipped != 1 || rep.Skips[0].Line != 4 || rep.Skips[0].Code != "duplicate_field" {
			t.Errorf("valid %v: skips %+v", valid, rep.Skips)
		}
		if got := []string{string(o.Channels.Key(o.Channel[0])), string(o.Channels.Key(o.Channel[1])), string(o.Channels.Key(o.Channel[2]))}; !slices.Equal(got, []string{"app", "", `w"eb`}) {
			t.Errorf("valid %v: channels %q", valid, got)
		}
	}
}

// TestDateTable reads a long file whose dates are not in order (so they
// go through the table of recent dates) and checks every day against
// ParseDate.
func TestDateTable(t *testing.T) {
	var b strings.Builder
	b.WriteString("customer_id,order_date,amount\n")
	var want []int32
	for i := range 6000 {
		d := ingestTestDate(i * 7919 % 2000)
		if i%5 == 0 {
			d += " 12:30:00"
		}
		day, ok := ParseDate([]byte(d), FormatYMD)
		if !ok {
			t.Fatalf("%s does not parse", d)
		}
		want = append(want, day)
		fmt.Fprintf(&b, "c%d,%s,1\n", i%300, d)
	}
	o, rep, err := Parse([]byte(b.String()), Options{})
	if err != nil || rep.RowsKept != len(want) {
		t.Fatalf("kept %d of %d: %v", rep.RowsKept, len(want), err)
	}
	if !slices.Equal(o.Day, want) {
		t.Error("days differ from ParseDate's")
	}
}

// ingestTestDate returns the date k days after 2020-01-01.
func ingestTestDate(k int) string {
	y, m, d := calendar.Civil(calendar.FromCivil(2020, 1, 1) + int32(k))
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// TestHashID checks that order ids like the generators' and the samples'
// (sequential, same length, or differing only past the eighth byte) never
// collide, and that equal ids hash equal.
func TestHashID(t *testing.T) {
	seen := make(map[uint64]string, 1<<21)
	add := func(id string) {
		h := hashID(42, []byte(id))
		if h != hashID(42, []byte(id)) {
			t.Fatalf("%q hashes differently twice", id)
		}
		if other, dup := seen[h]; dup && other != id {
			t.Fatalf("%q and %q collide", id, other)
		}
		seen[h] = id
	}
	for i := range 1 << 20 {
		add(fmt.Sprintf("O%08d", i))
		add(strconv.Itoa(i))
	}
	for i := range 1 << 16 {
		add(fmt.Sprintf("order-2024-%06d-x", i)) // differ in the second and third words
	}
	if hashID(1, []byte("abc")) == hashID(2, []byte("abc")) {
		t.Error("the seed does not change the hash")
	}
}

// TestShortJSONRecords reads more short JSON records than the size hint
// expects, so that customer ids are resolved in batches larger than the
// first buffer.
func TestShortJSONRecords(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	for i := range 900 { // about 38 bytes each: the hint is 443 rows
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"uid":"%d","date":"2024-01-02","gmv":1}`, i%300)
	}
	b.WriteString("]")
	o, rep, err := Parse([]byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.RowsKept != 900 || o.Customers.Len() != 300 {
		t.Fatalf("kept %d rows, %d customers", rep.RowsKept, o.Customers.Len())
	}
	for i, c := range o.Cust {
		if string(o.Customers.Key(c)) != strconv.Itoa(i%300) {
			t.Fatalf("row %d: customer %q", i, o.Customers.Key(c))
		}
	}
}
