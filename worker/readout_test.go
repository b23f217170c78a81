package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"segsim/core/calendar"
	"segsim/core/clean"
	"segsim/core/ingest"
	"segsim/core/readout"
	"segsim/core/strategy"
)

// campaign is a generated campaign run 2026-03-01 to 2026-03-14: its plan
// and orders as the JSON of a readout request and as the CSV files that
// segsim readout reads, with the counts a readout must find.
type campaign struct {
	plan, orders       []string // JSON entries and order objects
	planCSV, ordersCSV string
	// Counted while generating: plan customers contacted and held out,
	// customers with a paid order in the window (all, contacted, held
	// out, not in the plan) and contacts of vip_member_day.
	contacted, holdout, untouched                          int
	buyers, contactedBuyers, holdoutBuyers, notInPlanBuyer int
	vip                                                    int
}

const campaignStart, campaignEnd = "2026-03-01", "2026-03-14"

// genCampaign writes a campaign: a playbook action with a clear uplift
// whose cost comes from the playbook, an action priced in the plan whose
// held-out customers name it, an action priced nowhere and held out
// nowhere, customers left alone, and buyers not in the plan. Everyone has
// history before the window; some buy after it or have unpaid or refunded
// orders in it, which are not purchases. Some ids are JSON numbers.
func genCampaign(seed uint64) *campaign {
	rng := rand.New(rand.NewPCG(seed, 3))
	c := &campaign{}
	var plan, orders strings.Builder
	plan.WriteString("customer_id,segment,action,holdout,cost\n")
	orders.WriteString("order_id,customer_id,order_date,amount,status\n")
	oid := 0
	order := func(id, date, status string) {
		oid++
		amount := fmt.Sprintf("%.2f", 20+rng.Float64()*200)
		c.orders = append(c.orders, fmt.Sprintf(`{"order_id":"O%05d","customer_id":%s,"order_date":"%s","amount":%s,"status":"%s"}`, oid, id, date, amount, status))
		fmt.Fprintf(&orders, "O%05d,%s,%s,%s,%s\n", oid, strings.Trim(id, `"`), date, amount, status)
	}
	// orderFor writes a customer's orders and says whether the customer
	// bought in the window.
	orderFor := func(id string, rate float64) bool {
		order(id, fmt.Sprintf("2026-01-%02d", 1+rng.IntN(28)), "paid")
		bought := rng.Float64() < rate
		if bought {
			for range 1 + rng.IntN(2) {
				order(id, fmt.Sprintf("2026-03-%02d", 1+rng.IntN(14)), "paid")
			}
		}
		switch rng.IntN(5) {
		case 0:
			order(id, fmt.Sprintf("2026-03-%02d", 1+rng.IntN(14)), "pending")
		case 1:
			order(id, fmt.Sprintf("2026-03-%02d", 1+rng.IntN(14)), "refunded")
		case 2:
			order(id, "2026-03-20", "paid")
		}
		return bought
	}
	n := 0
	arms := []struct {
		segment, action    string
		contacted, held    int
		p1, p0             float64
		cost               string // "" for none
		heldNamesTheAction bool
	}{
		{"important_value", "vip_member_day", 120, 60, 0.5, 0.1, "", false},
		{"at_risk", "letter", 50, 15, 0.3, 0.25, "1.25", true},
		{"new_customers", "sms_x", 30, 0, 0.4, 0, "", false},
		{"lost", "", 20, 0, 0.1, 0, "", false},
	}
	for _, a := range arms {
		for k := range a.contacted + a.held {
			n++
			id := fmt.Sprintf(`"K%04d"`, n)
			if n%25 == 0 {
				id = fmt.Sprint(90000 + n)
			}
			held := k >= a.contacted
			action := a.action
			if held && !a.heldNamesTheAction {
				action = ""
			}
			entry := fmt.Sprintf(`{"customer_id":%s,"segment":"%s","action":%s,"holdout":%v`, id, a.segment, jsonOrNull(action), held)
			if a.cost != "" {
				entry += `,"cost":` + a.cost
			}
			c.plan = append(c.plan, entry+"}")
			fmt.Fprintf(&plan, "%s,%s,%s,%v,%s\n", strings.Trim(id, `"`), a.segment, action, held, a.cost)
			rate := a.p1
			if held {
				rate = a.p0
			}
			bought := orderFor(id, rate)
			switch {
			case held:
				c.holdout++
			case action != "":
				c.contacted++
				if a.action == "vip_member_day" {
					c.vip++
				}
			default:
				c.untouched++
			}
			if bought {
				c.buyers++
				if held {
					c.holdoutBuyers++
				} else if action != "" {
					c.contactedBuyers++
				}
			}
		}
	}
	for i := range 5 {
		order(fmt.Sprintf(`"N%d"`, i), "2026-03-05", "paid")
		c.buyers++
		c.notInPlanBuyer++
	}
	c.planCSV, c.ordersCSV = plan.String(), orders.String()
	return c
}

func jsonOrNull(s string) string {
	if s == "" {
		return "null"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// body returns a readout request for the campaign with the extra
// top-level fields given.
func (c *campaign) body(extra string) string {
	return `{` + extra + `"start":"` + campaignStart + `","end":"` + campaignEnd + `","plan":[` + strings.Join(c.plan, ",") +
		`],"orders":[` + strings.Join(c.orders, ",") + `]}`
}

// directReadout reads the campaign's CSV files with ingest and reads them
// out with readout.Run, as segsim readout does.
func directReadout(t *testing.T, plan []ingest.PlanRow, ordersCSV, playbook string, level float64, rules clean.Rules) []byte {
	t.Helper()
	o, _, err := ingest.Parse([]byte(ordersCSV), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pb, err := strategy.PresetPlaybook(playbook)
	if err != nil {
		t.Fatal(err)
	}
	start, _ := calendar.Parse(campaignStart)
	end, _ := calendar.Parse(campaignEnd)
	rep, err := readout.Run(plan, o, readout.Options{Start: start, End: end, Clean: rules, Playbook: pb, Level: level})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// compareReadout checks the worker's answer field by field against a
// readout written by encoding/json.
func compareReadout(t *testing.T, name string, got, want []byte) {
	t.Helper()
	if gjson.GetBytes(got, "api").Str != APIVersion {
		t.Errorf("%s: api = %s", name, gjson.GetBytes(got, "api").Raw)
	}
	n := 0
	gjson.ParseBytes(want).ForEach(func(k, v gjson.Result) bool {
		n++
		if g := gjson.GetBytes(got, k.Str); g.Raw != v.Raw {
			t.Errorf("%s: %s differs:\nworker %.400s\ndirect %.400s", name, k.Str, g.Raw, v.Raw)
		}
		return true
	})
	if m := len(gjson.ParseBytes(got).Map()); m != n+2 {
		t.Errorf("%s: the answer has %d fields; want the readout's %d, api and orders_load", name, m, n)
	}
	l := gjson.GetBytes(got, "orders_load")
	if r := l.Get("rows_read").Int(); r == 0 || r != l.Get("rows_kept").Int()+l.Get("rows_skipped").Int() || !l.Get("skips").IsArray() {
		t.Errorf("%s: orders_load %s", name, l.Raw)
	}
}

// TestReadoutMatchesDirect reads a generated campaign out through the
// worker and directly from the same data as CSV files, and checks the
// counts by hand.
func TestReadoutMatchesDirect(t *testing.T) {
	h := NewHandler(DefaultLimits, fixedToday)
	c := genCampaign(1)
	plan, _, err := ingest.ParsePlan([]byte(c.planCSV), ingest.Options{}, ingest.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Test accounts K0001 to K0009 under a scenario's own patterns.
	k000 := clean.Default()
	k000.TestPatterns = []string{"k000*"}
	for _, tc := range []struct {
		name, extra, playbook string
		level                 float64
		rules                 clean.Rules
	}{
		{"defaults", "", "ecommerce", 0.95, clean.Default()},
		{"fmcg at 90%", `"playbook":"fmcg","level":0.9,`, "fmcg", 0.9, clean.Default()},
		{"scenario object", `"scenario":{"clean":{"test_patterns":["k000*"]}},`, "ecommerce", 0.95, k000},
	} {
		code, hd, out := do(t, h, "POST", "/v1/readout", c.body(tc.extra), "Content-Type", "application/json")
		if code != 200 {
			t.Fatalf("%s: %d %.500s", tc.name, code, out)
		}
		if hd.Get("Cache-Control") != "no-store" || hd.Get("Access-Control-Allow-Origin") != "*" || hd.Get("X-Request-Id") == "" {
			t.Errorf("%s: headers %v", tc.name, hd)
		}
		compareReadout(t, tc.name, out, directReadout(t, plan, c.ordersCSV, tc.playbook, tc.level, tc.rules))
	}

	_, _, out := do(t, h, "POST", "/v1/readout", c.body(""))
	ans := gjson.ParseBytes(out)
	total := ans.Get("total")
	for _, k := range []struct {
		path string
		want int
	}{
		{"total.contacted", c.contacted}, {"total.holdout", c.holdout},
		{"total.contacted_buyers", c.contactedBuyers}, {"total.holdout_buyers", c.holdoutBuyers},
		{"outcomes.buyers", c.buyers}, {"outcomes.not_in_plan", c.notInPlanBuyer}, {"outcomes.untouched", c.untouched},
		{`actions.#(action=="vip_member_day").contacted`, c.vip}, {`actions.#(action=="vip_member_day").holdout`, 60},
		{`actions.#(action=="letter").holdout`, 15},
	} {
		if got := int(ans.Get(k.path).Int()); got != k.want || !ans.Get(k.path).Exists() {
			t.Errorf("%s = %d; counted %d", k.path, got, k.want)
		}
	}
	if r := total.Get("contacted_rate").Float(); r != math.Round(float64(c.contactedBuyers)/float64(c.contacted)*1e6)/1e6 {
		t.Errorf("contacted_rate %v; counted %d/%d", r, c.contactedBuyers, c.contacted)
	}
	if ans.Get(`actions.#(action=="letter").control`).Str != "action" || ans.Get(`actions.#(action=="vip_member_day").control`).Str != "segment" {
		t.Errorf("controls: %s", ans.Get("actions.#.control").Raw)
	}
	// The letter's cost comes from the plan, vip_member_day's from the
	// playbook (8 a contact), sms_x's from nowhere.
	if got := ans.Get(`actions.#(action=="letter").cost`).Float(); got != 1.25*50 {
		t.Errorf("letter cost %v; want %v", got, 1.25*50)
	}
	if got := ans.Get(`actions.#(action=="vip_member_day").cost`).Float(); got != 8*float64(c.vip) {
		t.Errorf("vip_member_day cost %v; want %v", got, 8*float64(c.vip))
	}
	if v := ans.Get(`actions.#(action=="vip_member_day").verdict`).Str; v != readout.Worked {
		t.Errorf("vip_member_day (50%% against 10%%): verdict %s", v)
	}
	if ans.Get(`notes.#(code=="cost_unknown").arg`).Str != "sms_x" {
		t.Errorf("notes: %s", ans.Get("notes").Raw)
	}
	if n := len(ans.Get("segments").Array()); n != 3 {
		t.Errorf("%d segments; want 3 (lost was left alone)", n)
	}
}

// planThenReadout plans the campaign's customers as of its first day with
// /v1/plan and returns a readout request that sends the plan's customers
// back as the plan, with the plan's answer.
func planThenReadout(t testing.TB, h *Handler, c *campaign) (body string, plan gjson.Result) {
	t.Helper()
	code, _, out := do(t, h, "POST", "/v1/plan", `{"asof":"`+campaignStart+`","budget":5000,"orders":[`+strings.Join(c.orders, ",")+`]}`)
	if code != 200 {
		t.Fatalf("plan: %d %.300s", code, out)
	}
	plan = gjson.ParseBytes(out)
	return `{"start":"` + campaignStart + `","end":"` + campaignEnd + `","plan":` + plan.Get("customers").Raw +
		`,"orders":[` + strings.Join(c.orders, ",") + `]}`, plan
}

// TestReadoutOfPlanAnswer sends /v1/plan's customers back as the plan.
func TestReadoutOfPlanAnswer(t *testing.T) {
	h := NewHandler(DefaultLimits, fixedToday)
	c := genCampaign(2)
	body, plan := planThenReadout(t, h, c)
	code, _, out := do(t, h, "POST", "/v1/readout", body)
	if code != 200 {
		t.Fatalf("readout: %d %.500s", code, out)
	}
	ans := gjson.ParseBytes(out)
	customers := plan.Get("customers").Array()
	held := 0
	var rows []ingest.PlanRow
	for _, p := range customers {
		if p.Get("holdout").Bool() {
			held++
		}
		rows = append(rows, ingest.PlanRow{ID: p.Get("customer_id").Str, Action: p.Get("action").Str, Holdout: p.Get("holdout").Bool(), Group: p.Get("segment").Str})
	}
	if got, want := ans.Get("total.contacted").Int(), plan.Get("plan.total.contacted").Int(); got != want || want == 0 {
		t.Errorf("contacted %d; the plan contacted %d", got, want)
	}
	if got := int(ans.Get("total.holdout").Int()); got != held || held == 0 {
		t.Errorf("holdout %d; the plan held out %d", got, held)
	}
	// Every generated customer bought before the window, so is planned;
	// the buyers not in the plan are the five whose first order is in it.
	out2 := ans.Get("outcomes")
	if out2.Get("buyers").Int() != int64(c.buyers) || out2.Get("not_in_plan").Int() != int64(c.notInPlanBuyer) {
		t.Errorf("outcomes %s; counted %d buyers, %d not in the plan", out2.Raw, c.buyers, c.notInPlanBuyer)
	}
	tot := ans.Get("total")
	if n := tot.Get("contacted_buyers").Int() + tot.Get("holdout_buyers").Int() + out2.Get("untouched_buyers").Int() + out2.Get("not_in_plan").Int(); n != int64(c.buyers) {
		t.Errorf("buyers contacted + held out + untouched + not in plan = %d; counted %d", n, c.buyers)
	}
	if len(customers) != len(c.plan) {
		t.Errorf("the plan has %d customers; generated %d", len(customers), len(c.plan))
	}
	compareReadout(t, "plan answer", out, directReadout(t, rows, c.ordersCSV, "ecommerce", 0.95, clean.Default()))
}

// readoutErrors are readout requests that must fail (with testLimits).
func readoutErrors() []errorCase {
	entry := `{"customer_id":"a","action":"sms","holdout":false}`
	orders := `"orders":[{"customer_id":"a","order_date":"2026-03-02","amount":5}]`
	window := `"start":"2026-03-01","end":"2026-03-14",`
	body := func(plan string) string { return `{` + window + `"plan":[` + plan + `],` + orders + `}` }
	var many []string
	for i := range testLimits.PlanRows + 1 {
		many = append(many, fmt.Sprintf(`{"customer_id":"c%d","action":null,"holdout":true}`, i))
	}
	e := func(name, body string, status int, code, field string) errorCase {
		return errorCase{"readout " + name, "POST", "/v1/readout", body, nil, status, code, field}
	}
	return []errorCase{
		{"readout by GET", "GET", "/v1/readout", "", nil, 405, "method_not_allowed", ""},
		e("missing start", `{"end":"2026-03-14","plan":[`+entry+`],`+orders+`}`, 422, "missing_field", "start"),
		e("missing end", `{"start":"2026-03-01","plan":[`+entry+`],`+orders+`}`, 422, "missing_field", "end"),
		e("start not a date", `{"start":"March","end":"2026-03-14","plan":[`+entry+`],`+orders+`}`, 422, "invalid_field", "start"),
		e("start a number", `{"start":20260301,"end":"2026-03-14","plan":[`+entry+`],`+orders+`}`, 422, "invalid_field", "start"),
		e("start not a date", `{"start":"2026-02-30","end":"2026-03-14","plan":[`+entry+`],`+orders+`}`, 422, "invalid_field", "start"),
		e("end before start", `{"start":"2026-03-14","end":"2026-03-01","plan":[`+entry+`],`+orders+`}`, 422, "invalid_field", "end"),
		e("level", `{`+window+`"level":95,"plan":[`+entry+`],`+orders+`}`, 422, "invalid_field", "level"),
		e("unknown playbook", `{`+window+`"playbook":"casino","plan":[`+entry+`],`+orders+`}`, 422, "unknown_preset", "playbook"),
		e("score field", `{"asof":"2026-11-01",`+window+`"plan":[`+entry+`],`+orders+`}`, 422, "unknown_field", "asof"),
		e("field twice", `{`+window+`"start":"2026-03-02","plan":[`+entry+`],`+orders+`}`, 422, "duplicate_field", "start"),
		e("no plan", `{`+window+orders+`}`, 422, "missing_field", "plan"),
		e("plan not an array", `{`+window+`"plan":{"a":1},`+orders+`}`, 422, "invalid_field", "plan"),
		e("plan empty", body(""), 422, "invalid_field", "plan"),
		e("plan entry not an object", body(entry+`,7`), 422, "invalid_field", "plan[1]"),
		e("bad holdout", body(entry+`,{"customer_id":"b","action":null,"holdout":"yes"}`), 422, "invalid_field", "plan[1].holdout"),
		e("holdout missing", body(`{"customer_id":"b","action":null}`), 422, "missing_field", "plan[0].holdout"),
		e("action missing", body(`{"customer_id":"b","holdout":true}`), 422, "missing_field", "plan[0].action"),
		e("action a number", body(`{"customer_id":"b","action":3,"holdout":true}`), 422, "invalid_field", "plan[0].action"),
		e("empty id", body(`{"customer_id":" ","action":null,"holdout":true}`), 422, "invalid_field", "plan[0].customer_id"),
		e("negative cost", body(`{"customer_id":"b","action":"sms","holdout":false,"cost":-1}`), 422, "invalid_field", "plan[0].cost"),
		e("cost as text", body(`{"customer_id":"b","action":"sms","holdout":false,"cost":"1"}`), 422, "invalid_field", "plan[0].cost"),
		e("segment a number", body(`{"customer_id":"b","action":"sms","holdout":false,"segment":1}`), 422, "invalid_field", "plan[0].segment"),
		e("unknown entry field", body(`{"customer_id":"b","action":"sms","holdout":false,"channel":"x"}`), 422, "unknown_field", "plan[0].channel"),
		e("entry field twice", body(`{"customer_id":"b","action":"sms","holdout":false,"holdout":true}`), 422, "duplicate_field", "plan[0].holdout"),
		e("customer twice", body(entry+`,{"customer_id":"b","action":null,"holdout":true},{"customer_id":" a","action":null,"holdout":true}`), 422, "invalid_field", "plan[2].customer_id"),
		e("plan over the limit", body(strings.Join(many, ",")), 413, "too_many_rows", "plan"),
		e("deep plan", `{`+window+`"plan":`+strings.Repeat("[", 100)+strings.Repeat("]", 100)+`,`+orders+`}`, 400, "too_deep", ""),
		e("no orders", `{`+window+`"plan":[`+entry+`]}`, 422, "missing_field", "orders"),
		e("orders not an array", `{`+window+`"plan":[`+entry+`],"orders":5}`, 422, "invalid_field", "orders"),
		e("orders unusable", `{`+window+`"plan":[`+entry+`],"orders":[{"customer_id":"a","order_date":"soon","amount":5}]}`, 422, "no_usable_rows", "orders"),
		e("ambiguous dates", `{`+window+`"plan":[`+entry+`],"orders":[{"customer_id":"a","order_date":"3/4/2026","amount":5}]}`, 422, "ambiguous_dates", "date_format"),
		e("stats", `{`+window+`"plan":[`+entry+`],"stats":{}}`, 422, "unknown_field", "stats"),
		e("scenario wrong type", `{`+window+`"scenario":5,"plan":[`+entry+`],`+orders+`}`, 422, "invalid_field", "scenario"),
		e("scenario bad knob", `{`+window+`"scenario":{"clean":{"returns":"keep"}},"plan":[`+entry+`],`+orders+`}`, 422, "invalid_scenario", "scenario.clean.returns"),
		e("too many fields in an order", `{`+window+`"plan":[`+entry+`],"orders":[{"customer_id":"a","order_date":"2026-03-02","amount":1`+strings.Repeat(`,"x":1`, 40)+`}]}`, 413, "too_many_keys", "orders[0]"),
		e("too many rows", `{`+window+`"plan":[`+entry+`],"orders":[`+strings.Repeat(`{},`, 200)+`{}]}`, 413, "too_many_rows", "orders"),
	}
}

func init() { errorCases = append(errorCases, readoutErrors()...) }

// TestReadoutDetails checks what the error cases do not: the message
// naming both entries of a customer listed twice, that a readout has no
// customers limit, that a scenario need not use fixed cuts, and that
// date_format reads the orders.
func TestReadoutDetails(t *testing.T) {
	h := newTestHandler()
	code, _, out := do(t, h, "POST", "/v1/readout", `{"start":"2026-03-01","end":"2026-03-14","plan":[
		{"customer_id":"a","action":"sms","holdout":false},{"customer_id":"b","action":null,"holdout":true},{"customer_id":"a","action":null,"holdout":true}],
		"orders":[{"customer_id":"a","order_date":"2026-03-02","amount":5}]}`)
	if msg := gjson.GetBytes(out, "error.message").Str; code != 422 || !strings.Contains(msg, "plan[0]") || !strings.Contains(msg, "plan[2]") {
		t.Errorf("customer twice: %d %s", code, out)
	}
	// More customers than a score request may have (testLimits: 20).
	var plan, orders []string
	for i := range 60 {
		plan = append(plan, fmt.Sprintf(`{"customer_id":"c%d","segment":"s","action":%s,"holdout":%v}`, i, jsonOrNull(map[bool]string{true: "", false: "sms"}[i%3 == 0]), i%3 == 0))
		if i%2 == 0 {
			orders = append(orders, fmt.Sprintf(`{"customer_id":"c%d","order_date":"03/%02d/2026","amount":5}`, i, 1+i%14))
		}
	}
	body := `{"start":"2026-03-01","end":"2026-03-14","date_format":"mdy","scenario":{"rfm":{"r":{"method":"quantile","levels":5}}},"plan":[` +
		strings.Join(plan, ",") + `],"orders":[` + strings.Join(orders, ",") + `]}`
	code, _, out = do(t, h, "POST", "/v1/readout", body)
	if code != 200 || gjson.GetBytes(out, "outcomes.buyers").Int() != 30 || gjson.GetBytes(out, "total.contacted").Int() != 40 || gjson.GetBytes(out, "total.holdout").Int() != 20 {
		t.Errorf("60 customers: %d %.400s", code, out)
	}
	// Plan ids match the orders' as the order reader keys them: control
	// characters kept, a number as written, spaces and a spreadsheet's
	// ="…" guard dropped.
	code, _, out = do(t, h, "POST", "/v1/readout", `{"start":"2026-03-01","end":"2026-03-14","plan":[
		{"customer_id":"a\u0000\u001bb","action":"sms","holdout":false},{"customer_id":"=\"7\" ","action":"sms","holdout":false},{"customer_id":8,"action":"sms","holdout":false}],
		"orders":[{"customer_id":"a\u0000\u001bb","order_date":"2026-03-02","amount":5},{"customer_id":7,"order_date":"2026-03-02","amount":5},{"customer_id":" 8","order_date":"2026-03-02","amount":5}]}`)
	if code != 200 || gjson.GetBytes(out, "total.contacted_buyers").Int() != 3 || gjson.GetBytes(out, "outcomes.not_in_plan").Int() != 0 {
		t.Errorf("ids: %d %.400s", code, out)
	}
	// A scenario that cannot score one by one still cannot.
	if code, _, out := do(t, h, "POST", "/v1/score", `{"scenario":{"rfm":{"r":{"method":"quantile","levels":5}}},"stats":{}}`); code != 422 {
		t.Errorf("score with quantiles: %d %s", code, out)
	}
}

// FuzzReadout feeds arbitrary bodies to POST /v1/readout: every answer is
// a 200 with a total or a 4xx with a JSON error, never a 5xx or a panic.
func FuzzReadout(f *testing.F) {
	for _, tc := range readoutErrors() {
		if tc.method == "POST" && len(tc.body) < 4096 {
			f.Add([]byte(tc.body))
		}
	}
	f.Add([]byte(`{"start":"2026-03-01","end":"2026-03-14","level":0.9,"playbook":"fmcg","plan":[{"customer_id":"a","segment":"s","action":"sms","holdout":false,"cost":1.5},{"customer_id":2,"segment":"s","action":null,"holdout":true}],"orders":[{"customer_id":"a","order_date":"2026-03-02","amount":5,"status":"paid"},{"customer_id":2,"order_date":"2026-03-03","amount":-5}]}`))
	h := newTestHandler()
	f.Fuzz(func(t *testing.T, body []byte) {
		code, _, out := do(t, h, "POST", "/v1/readout", string(body))
		switch {
		case !json.Valid(out):
			t.Fatalf("%d: answer is not JSON: %q", code, out)
		case code == 200 && !gjson.GetBytes(out, "total.verdict").Exists():
			t.Fatalf("200 without a total: %s", out)
		case code != 200 && (code < 400 || code >= 500 || gjson.GetBytes(out, "error.code").Str == ""):
			t.Fatalf("status %d: %s", code, out)
		}
	})
}
