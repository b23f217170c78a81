package ingest

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// TestParsePlan reads a Chinese plan export with a byte order mark, a cost
// column and bad rows, each skipped with its line, column and reason.
func TestParsePlan(t *testing.T) {
	data := "\ufeff客户ID,细分,运营动作,对照组,成本\r\n" +
		"M1,冠军客户,coupon,false,8.00\r\n" +
		"M2,冠军客户,,true,\r\n" +
		"M1,冠军客户,coupon,false,8.00\r\n" +
		"M3,流失客户,sms,maybe,0.5\r\n" +
		",流失客户,sms,no,0.5\r\n" +
		"M4,流失客户,sms,否,-1\r\n" +
		"M5,流失客户,sms,是,¥0.50\r\n"
	rows, rep, err := ParsePlan([]byte(data), Options{}, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rep.RowsRead != 7 || rep.RowsSkipped != 4 || !rep.BOM {
		t.Fatalf("rows %+v, report %+v", rows, rep)
	}
	want := []PlanRow{
		{Line: 2, ID: "M1", Action: "coupon", Group: "冠军客户", Cost: 8, HasCost: true},
		{Line: 3, ID: "M2", Holdout: true, Group: "冠军客户"},
		{Line: 8, ID: "M5", Action: "sms", Holdout: true, Group: "流失客户", Cost: 0.5, HasCost: true},
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
	skips := []string{}
	for _, s := range rep.Skips {
		skips = append(skips, strings.Join([]string{strconv.Itoa(s.Line), s.Column, s.Value, s.Code}, "|"))
	}
	if got := strings.Join(skips, " "); got != "4|客户ID|M1|duplicate_customer 5|对照组|maybe|bad_holdout 6|客户ID||no_customer 7|成本|-1|bad_amount" {
		t.Errorf("skips %s", got)
	}
	if rep.Roles["group"] != "细分" || rep.Roles["cost"] != "成本" {
		t.Errorf("roles %v", rep.Roles)
	}
}

// TestParsePlanErrors: a file without the plan columns names what is
// missing; a chosen group column must exist.
func TestParsePlanErrors(t *testing.T) {
	_, _, err := ParsePlan([]byte("customer_id,order_date,amount\na,2024-01-01,3\n"), Options{}, PlanOptions{})
	if !errors.Is(err, ErrMissingColumn) || !strings.Contains(err.Error(), "action, holdout not found") {
		t.Errorf("orders as a plan: %v", err)
	}
	_, _, err = ParsePlan([]byte("customer_id,action,holdout\na,x,false\n"), Options{}, PlanOptions{Group: "tier"})
	if err == nil || !strings.Contains(err.Error(), `group column "tier"`) {
		t.Errorf("missing group column: %v", err)
	}
	rows, _, err := ParsePlan([]byte("customer_id,action,holdout,tier\na,x,false,vip\n"), Options{}, PlanOptions{Group: "tier"})
	if err != nil || rows[0].Group != "vip" {
		t.Errorf("group by tier: %+v %v", rows, err)
	}
	if _, _, err := ParsePlan([]byte(`[{"customer_id":"a"}]`), Options{}, PlanOptions{}); err == nil || !strings.Contains(err.Error(), "JSON") {
		t.Errorf("JSON plan: %v", err)
	}
}
