package ingest

import (
	"testing"
	"time"

	"segsim/core/calendar"
)

// TestDaysFromCivil checks the day arithmetic against the time package for
// every day from 1900 to 2200.
func TestDaysFromCivil(t *testing.T) {
	for d := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() <= 2200; d = d.AddDate(0, 0, 1) {
		want := int32(d.Unix() / 86400)
		if d.Unix() < 0 && d.Unix()%86400 != 0 {
			want--
		}
		got := calendar.FromCivil(d.Year(), int(d.Month()), d.Day())
		if got != want {
			t.Fatalf("calendar.FromCivil(%s) = %d, want %d", d.Format("2006-01-02"), got, want)
		}
		y, m, dd := calendar.Civil(got)
		if y != d.Year() || m != int(d.Month()) || dd != d.Day() {
			t.Fatalf("calendar.Civil(%d) = %d-%d-%d, want %s", got, y, m, dd, d.Format("2006-01-02"))
		}
		if calendar.Format(got) != d.Format("2006-01-02") {
			t.Fatalf("calendar.Format(%d) = %s", got, calendar.Format(got))
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		f    DateFormat
		want string // "" = not readable
	}{
		{"2024-03-05", FormatYMD, "2024-03-05"},
		{"2024-3-5", FormatYMD, "2024-03-05"},
		{"2024/03/05", FormatYMD, "2024-03-05"},
		{"2024.03.05", FormatYMD, "2024-03-05"},
		{"20240305", FormatYMD, "2024-03-05"},
		{"2024-03-05T23:59:59Z", FormatYMD, "2024-03-05"},
		{"2024-03-05T23:59:59.123+08:00", FormatYMD, "2024-03-05"},
		{"2024-03-05 08:26", FormatYMD, "2024-03-05"},
		{" 2024-03-05 ", FormatYMD, "2024-03-05"},
		{"2024-02-29", FormatYMD, "2024-02-29"},
		{"2023-02-29", FormatYMD, ""},
		{"2024-13-01", FormatYMD, ""},
		{"2024-00-10", FormatYMD, ""},
		{"2024-03-05 25:00", FormatYMD, ""},
		{"2024-03-05x", FormatYMD, ""},
		{"1899-12-31", FormatYMD, ""},
		{"12/1/2010 8:26", FormatMDY, "2010-12-01"},
		{"12/1/2010 8:26", FormatDMY, "2010-01-12"},
		{"31/12/2010", FormatDMY, "2010-12-31"},
		{"31/12/2010", FormatMDY, ""},
		{"1.2.2024", FormatDMY, "2024-02-01"},
		{"1709640000", FormatUnix, "2024-03-05"},
		{"1709640000.5", FormatUnix, "2024-03-05"},
		{"1709640000000", FormatUnixMS, "2024-03-05"},
		{"-5", FormatUnix, ""},
		{"", FormatYMD, ""},
	}
	for _, tc := range tests {
		day, ok := ParseDate([]byte(tc.in), tc.f)
		got := ""
		if ok {
			got = calendar.Format(day)
		}
		if got != tc.want {
			t.Errorf("ParseDate(%q, %v) = %q, want %q", tc.in, tc.f, got, tc.want)
		}
	}
}

func TestParseCents(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"12.5", 1250, true}, {"12.50", 1250, true}, {"-3", -300, true}, {"+3", 300, true}, {".99", 99, true},
		{"1,234.56", 123456, true}, {"1,234", 123400, true}, {"12,5", 1250, true}, {"12,50", 1250, true},
		{"¥12.50", 1250, true}, {"￥ 8", 800, true}, {"$1,000", 100000, true}, {"12元", 1200, true},
		{"(12.50)", -1250, true}, {"¥-5", -500, true}, {"0.125", 13, true}, {"0.124", 12, true},
		{"1e3", 100000, true}, {"abc", 0, false}, {"", 0, false}, {"1,23,4", 0, false}, {"NaN", 0, false},
		{"12.3.4", 0, false}, {"--1", 0, false},
		// Exponents up to the largest amount, never wrapped to a negative.
		{"9e15", 900000000000000000, true}, {"-9E15", -900000000000000000, true}, {"1.5e12", 150000000000000, true},
		{"9.1e15", 0, false}, {"1e-3", 0, true}, {"5e-3", 1, true},
	}
	for _, tc := range tests {
		got, ok := ParseCents([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseCents(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestHeaderAliases(t *testing.T) {
	tests := []struct {
		headers []string
		want    map[Role]string
	}{
		{[]string{"Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"},
			map[Role]string{RoleCustomer: "Customer ID", RoleDate: "InvoiceDate", RoleOrder: "Invoice", RoleQuantity: "Quantity", RoleUnitPrice: "Price"}},
		{[]string{"会员ID", "订单号", "下单时间", "实付金额", "优惠金额", "渠道", "订单状态"},
			map[Role]string{RoleCustomer: "会员ID", RoleOrder: "订单号", RoleDate: "下单时间", RoleAmount: "实付金额", RoleDiscount: "优惠金额", RoleChannel: "渠道", RoleStatus: "订单状态"}},
		{[]string{"user_id", "created_at", "GMV"}, map[Role]string{RoleCustomer: "user_id", RoleDate: "created_at", RoleAmount: "GMV"}},
		{[]string{"客户编号", "日期", "金额(元)"}, map[Role]string{RoleCustomer: "客户编号", RoleDate: "日期", RoleAmount: "金额(元)"}},
		{[]string{"ＵｓｅｒＩＤ", "date", "amount", "total"}, map[Role]string{RoleCustomer: "ＵｓｅｒＩＤ", RoleDate: "date", RoleAmount: "amount"}},
	}
	for _, tc := range tests {
		m, err := DetectRoles(tc.headers, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range Roles() {
			got := ""
			if c := m.Column(r); c >= 0 {
				got = tc.headers[c]
			}
			if got != tc.want[r] {
				t.Errorf("%v: role %s = %q, want %q", tc.headers, r, got, tc.want[r])
			}
		}
	}
}
