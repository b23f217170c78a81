package ingest

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"segsim/core/calendar"
)

// FuzzParse feeds arbitrary bytes to Parse. Whatever the input, Parse must
// not panic, every column must have one entry per kept row, and rows read
// must equal rows kept plus rows skipped.
func FuzzParse(f *testing.F) {
	f.Add([]byte("customer_id,order_date,amount\na1,2024-03-05,12.50\nb2,2024-03-06,-3\n"))
	f.Add([]byte("会员ID,订单号,下单时间,实付金额,优惠金额,渠道,订单状态\nM1,O1,2024-01-02 10:00:00,99.00,10.00,APP,已支付\n"))
	f.Add([]byte("\"customer_id\";\"date\";\"amount\"\r\n\"a\"\"b\";03/04/2024;\"1,5\"\r\n"))
	f.Add([]byte(`[{"customer_id":"a","date":"2024-01-01","amount":1.5,"order_id":7}]`))
	f.Add([]byte("{\"user_id\":1,\"timestamp\":1709640000,\"gmv\":\"3\"}\n{\"user_id\":2}\n"))
	f.Add([]byte("Invoice,Quantity,InvoiceDate,Price,Customer ID\nC1,-1,12/1/2010 8:26,2.5,17850\n"))
	// GBK, UTF-16LE with a byte order mark, Windows-1252, an .xlsx head,
	// line items, Taobao's protected ids, mixed dates and amounts.
	f.Add([]byte("\xbb\xe1\xd4\xb1ID,\xcf\xc2\xb5\xa5\xca\xb1\xbc\xe4,\xca\xb5\xb8\xb6\xbd\xf0\xb6\xee\r\nM1,2024-01-02,12.50\r\n"))
	f.Add([]byte("\xff\xfec\x00u\x00s\x00t\x00o\x00m\x00e\x00r\x00\t\x00d\x00a\x00t\x00e\x00\t\x00a\x00m\x00o\x00u\x00n\x00t\x00\r\x00\n\x00a\x00\t\x001\x00/\x002\x00/\x002\x004\x00\t\x001\x00\r\x00\n\x00"))
	f.Add([]byte("Kundennummer;Bestelldatum;Betrag;Stadt\r\nK1;02.01.2024 14:30;\"1.249,00\";M\xfcnchen\r\n"))
	f.Add([]byte("PK\x03\x04\x14\x00\x00\x00xl/workbook.xml"))
	f.Add([]byte("Name,Email,Financial Status,Paid at,Total,Refunded Amount,Created at,Lineitem name\n#1,a@x,paid,2024-01-02 10:00:00 +0800,10.00,1.00,2024-01-01 09:00:00 +0800,A\n#1,a@x,,,,,2024-01-01 09:00:00 +0800,B\n"))
	f.Add([]byte("订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间,退款金额\n=\"2387\",tb1,99.00,交易成功,2024-01-02 10:00:00,2024-01-02 10:05:00,0.00\n"))
	f.Add([]byte("customer_id,order_date,amount\na,45292.5,\"1 249,00\"\nb,2024年1月2日 下午3:05,¥1,249.00\nc,1/2/24 1:05 PM,(12.00)\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, f := range []DateFormat{FormatAuto, FormatDMY} {
			o, rep, err := Parse(data, Options{DateFormat: f})
			if rep != nil && rep.RowsRead != rep.RowsKept+rep.RowsSkipped {
				t.Fatalf("read %d != kept %d + skipped %d", rep.RowsRead, rep.RowsKept, rep.RowsSkipped)
			}
			if err != nil {
				if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrMissingColumn) && !errors.Is(err, ErrNothingUsable) &&
					!errors.Is(err, ErrAmbiguousDates) && !errors.Is(err, ErrBadJSON) && !errors.Is(err, ErrNotText) && !strings.Contains(err.Error(), "header") {
					t.Fatalf("unexpected error kind: %v", err)
				}
				continue
			}
			n := o.Len()
			if n != rep.RowsKept || len(o.Day) != n || len(o.Cents) != n || len(o.Flags) != n ||
				(o.Order != nil && len(o.Order) != n) || (o.Discount != nil && len(o.Discount) != n) || (o.Channel != nil && len(o.Channel) != n) || (o.Sub != nil && len(o.Sub) != n) {
				t.Fatalf("column lengths disagree with %d kept rows", rep.RowsKept)
			}
			for i := 0; i < n; i++ {
				if int(o.Cust[i]) >= o.Customers.Len() || o.Cust[i] < 0 {
					t.Fatalf("row %d: customer index %d out of range", i, o.Cust[i])
				}
				if y, _, _ := calendar.Civil(o.Day[i]); y < 1900 || y > 2200 {
					t.Fatalf("row %d: day %d outside 1900..2200", i, o.Day[i])
				}
			}
		}
	})
}

// FuzzParseDate checks year-first dates against the time package: whenever
// ParseDate accepts a plain YYYY-MM-DD, time.Parse must agree on the day,
// and whenever time.Parse accepts one in range, ParseDate must too.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-03-05", "2024-02-30", "20240305", "2024/3/5 8:00", "12/1/2010 8:26", "1709640000", "2024-03-05T10:00:00+08:00", "0000-00-00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fm := range []DateFormat{FormatYMD, FormatMDY, FormatDMY, FormatUnix, FormatUnixMS} {
			if day, ok := ParseDate([]byte(s), fm); ok {
				if y, _, _ := calendar.Civil(day); y < 1900 || y > 2200 {
					t.Fatalf("ParseDate(%q, %v) = year %d", s, fm, y)
				}
			}
		}
		tm, terr := time.Parse("2006-01-02", s)
		day, ok := ParseDate([]byte(s), FormatYMD)
		if terr == nil && tm.Year() >= 1900 && tm.Year() <= 2200 {
			if !ok || calendar.Format(day) != s {
				t.Fatalf("time.Parse accepts %q but ParseDate gives %v %q", s, ok, calendar.Format(day))
			}
		}
		if ok && isPaddedISO(s) && (terr != nil || tm.Format("2006-01-02") != calendar.Format(day)) {
			t.Fatalf("ParseDate accepts %q (%s) but time.Parse says %v", s, calendar.Format(day), terr)
		}
	})
}

// FuzzParseCents checks that amounts never overflow into nonsense: a value
// that reads as plain digits with a point must equal its integer reading.
func FuzzParseCents(f *testing.F) {
	for _, s := range []string{"12.50", "-3", "1,234.56", "¥12", "(5)", "1e3", "12,5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := ParseCents([]byte(s))
		if !ok {
			return
		}
		if c > 9e17 || c < -9e17 {
			t.Fatalf("ParseCents(%q) = %d: out of range", s, c)
		}
	})
}

// isPaddedISO tells whether s is exactly dddd-dd-dd.
func isPaddedISO(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range s {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// FuzzReadStats feeds arbitrary bytes to ReadStats: no panic, rows read
// equal rows kept plus rows skipped, the rows kept are those keep kept,
// and each carry column has one value per row kept.
func FuzzReadStats(f *testing.F) {
	f.Add([]byte("customer_id,first_date,last_date,orders,purchase_days,revenue\nc1,2024-01-02,2024-03-01,3,2,120.50\nc2,2024-02-01,2024-02-01,1,,30\n"))
	f.Add([]byte("会员ID,首次购买日期,最近购买日期,购买次数,消费金额\r\nM1,2024年1月2日,45300,2,\"1 249,00\"\r\n,x,y,z,w\r\n"))
	f.Add([]byte("customer_id,first_date,last_date,orders,purchase_days,revenue,max_order,median_gap,last_gap,discount,discount_orders,heavy_orders,weekend_orders,refund_lines,first_channel,repeat_revenue\n" +
		"M1,2024-07-01,2024-08-07,2,2,267.00,183.00,37,37,90.00,1,0,0,0,APP,183.00\nM2,2024-07-01,2024-07-01,1,1,356.00,356.00,,,110.00,1,0,0,0,官网,0.00\nM3,2024-07-01,2024-07-09,3,2,5,x,-1,1.5,y,9,z,,,\"a,b\",-3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		kept, n := 0, 0
		var opt Options
		if bytes.Contains(data, []byte("first_channel")) {
			opt.Carry = []string{"first_channel"}
		}
		carry, rep, err := ReadStats(data, opt, func(r *StatsRow) string {
			n++
			if n%3 == 0 {
				return "every third row is turned down"
			}
			kept++
			return ""
		})
		if rep != nil && rep.RowsRead != rep.RowsKept+rep.RowsSkipped {
			t.Fatalf("read %d != kept %d + skipped %d", rep.RowsRead, rep.RowsKept, rep.RowsSkipped)
		}
		if err == nil && kept != rep.RowsKept {
			t.Fatalf("%d rows kept, report says %d", kept, rep.RowsKept)
		}
		for _, c := range carry {
			if len(c.Row) != kept {
				t.Fatalf("carry %s: %d values for %d rows", c.Header, len(c.Row), kept)
			}
		}
	})
}

// FuzzParsePlan feeds arbitrary bytes to ParsePlan: no panic, rows read
// equal rows kept plus rows skipped, and no customer kept twice.
func FuzzParsePlan(f *testing.F) {
	f.Add([]byte("customer_id,segment,action,holdout\nc1,champions,vip_gift,false\nc2,champions,,true\nc3,lost,,false\n"))
	f.Add([]byte("\ufeff客户ID,细分,运营动作,对照组,成本\r\nM1,冠军客户,coupon,否,8.00\r\nM1,冠军客户,coupon,是,x\r\n,a,b,maybe,1\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, rep, err := ParsePlan(data, Options{}, PlanOptions{})
		if rep != nil && rep.RowsRead != rep.RowsKept+rep.RowsSkipped {
			t.Fatalf("read %d != kept %d + skipped %d", rep.RowsRead, rep.RowsKept, rep.RowsSkipped)
		}
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, r := range rows {
			if seen[r.ID] || r.ID == "" {
				t.Fatalf("customer %q kept twice or empty", r.ID)
			}
			seen[r.ID] = true
		}
	})
}
