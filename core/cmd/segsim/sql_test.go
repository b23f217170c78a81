package main

import (
	"strings"
	"testing"

	"segsim/core/warehouse"
)

// TestSQL prints a query and checks it is the one warehouse.Render writes
// for the flags given; bad or missing flags are usage errors.
func TestSQL(t *testing.T) {
	code, out, errs := runCLI(t, "", "sql", "--dialect", "postgres", "--table", "shop.orders", "--customer", "会员ID",
		"--date", "下单时间", "--amount", "订单金额", "--paid-amount", "实付金额", "--order", "订单号", "--status", "订单状态",
		"--refund", "退款金额", "--paid-at", "付款时间", "--discount", "优惠金额", "--channel", "渠道", "--asof", "2026-07-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want, err := warehouse.Render("postgres", warehouse.Spec{Table: "shop.orders", Customer: "会员ID", Date: "下单时间",
		Amount: "订单金额", PaidAmount: "实付金额", Order: "订单号", Status: "订单状态", Refund: "退款金额", PaidAt: "付款时间",
		Discount: "优惠金额", Channel: "渠道", AsOf: "2026-07-01"})
	if err != nil || out != want {
		t.Fatalf("err %v; output differs from warehouse.Render:\n%.300s", err, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--dialect", "duckdb", "--table", "t", "--customer", "c", "--date", "d", "--amount", "a"}, "missing --asof"},
		{[]string{"--table", "t", "--customer", "c", "--date", "d", "--asof", "2026-01-01"}, "missing --dialect, --amount"},
		{[]string{"--dialect", "mysql", "--table", "t", "--customer", "c", "--date", "d", "--amount", "a", "--asof", "2026-01-01"}, "unknown dialect"},
		{[]string{"--dialect", "spark", "--table", "t;", "--customer", "c", "--date", "d", "--amount", "a", "--asof", "2026-01-01"}, `table name "t;"`},
		{[]string{"--dialect", "spark", "--table", "t", "--customer", "c", "--date", "d", "--amount", "a", "--asof", "01/02/2026"}, "not YYYY-MM-DD"},
	} {
		code, out, errs := runCLI(t, "", append([]string{"sql"}, tc.args...)...)
		if code != 2 || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	if code, _, errs := runCLI(t, "", "sql", "--help"); code != 0 || !strings.Contains(errs, "repeat_revenue") {
		t.Errorf("--help: exit %d: %s", code, errs)
	}
}
