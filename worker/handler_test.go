package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/lifecycle"
	"segsim/core/scenario"
	"segsim/seeds"
)

// testLimits are small, so that limit tests stay fast.
var testLimits = Limits{BodyBytes: 64 << 10, Rows: 200, PlanRows: 200, Customers: 20, StatsOrders: 1000, Keys: 32}

func fixedToday() string { return "2026-11-01" }

func newTestHandler() *Handler { return NewHandler(testLimits, fixedToday) }

// do sends one request to h and returns the status, headers and body.
func do(t testing.TB, h http.Handler, method, path, body string, header ...string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Header(), rec.Body.Bytes()
}

func TestHealth(t *testing.T) {
	code, hd, body := do(t, newTestHandler(), "GET", "/v1/health", "")
	if code != 200 || gjson.GetBytes(body, "status").Str != "ok" || gjson.GetBytes(body, "api").Str != "v1" {
		t.Fatalf("health: %d %s", code, body)
	}
	if !gjson.GetBytes(body, "build.go").Exists() || gjson.GetBytes(body, "version").Str == "" {
		t.Errorf("health lacks version or build: %s", body)
	}
	if hd.Get("Access-Control-Allow-Origin") != "*" || !strings.HasPrefix(hd.Get("Content-Type"), "application/json") {
		t.Errorf("headers: %v", hd)
	}
}

func TestPresets(t *testing.T) {
	code, hd, body := do(t, newTestHandler(), "GET", "/v1/presets", "")
	if code != 200 {
		t.Fatalf("presets: %d %s", code, body)
	}
	if cc := hd.Get("Cache-Control"); !strings.Contains(cc, "max-age") {
		t.Errorf("Cache-Control = %q", cc)
	}
	for _, path := range []string{"schemes.#(name==\"rfm8\").segments.7", "schemes.#(name==\"rfm11\").segments.0.action.zh",
		"scenarios.#(name==\"fixed_cuts\").usable", "tiers.#(name==\"revenue_pyramid\")", "tags.0.value", "limits.customers", "playbooks"} {
		if !gjson.GetBytes(body, path).Exists() {
			t.Errorf("presets lack %s: %.300s", path, body)
		}
	}
	if gjson.GetBytes(body, "schemes.#(name==\"rfm8\").segments.#").Int() != 8 {
		t.Errorf("rfm8 has not 8 classes")
	}
	if gjson.GetBytes(body, "tiers.#(name==\"revenue_pyramid\").usable").Bool() {
		t.Errorf("a revenue-share tier preset is marked usable")
	}
}

func TestCORSPreflight(t *testing.T) {
	for _, path := range []string{"/v1/score", "/v1/health", "/v1/presets", "/v1/readout"} {
		code, hd, body := do(t, newTestHandler(), "OPTIONS", path, "",
			"Origin", "https://shop.example", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")
		if code != http.StatusNoContent || len(body) != 0 {
			t.Errorf("%s preflight: %d %q", path, code, body)
		}
		if hd.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(hd.Get("Access-Control-Allow-Headers"), "Content-Type") ||
			hd.Get("Access-Control-Allow-Methods") == "" || hd.Get("Access-Control-Max-Age") == "" {
			t.Errorf("%s preflight headers: %v", path, hd)
		}
	}
}

const oneCustomer = `{"asof":"2026-11-01","customer_id":"c1","orders":[
 {"date":"2026-10-01","amount":120},{"date":"2026-06-01","amount":80.5},{"date":"2026-08-01","amount":"bad"}]}`

func TestScoreOneCustomer(t *testing.T) {
	code, hd, body := do(t, newTestHandler(), "POST", "/v1/score", oneCustomer, "Content-Type", "application/json")
	if code != 200 {
		t.Fatalf("score: %d %s", code, body)
	}
	if hd.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", hd.Get("Cache-Control"))
	}
	c := gjson.GetBytes(body, "customers.0")
	want := map[string]string{
		"customer_id": "c1", "recency_days": "31", "frequency": "2", "monetary": "200.50", "rfm": "423",
		"scores.r": "4", "scores.f": "2", "scores.m": "3",
		"rfm_class.name": "important_value", "segment.name": "potential_loyalist", "tier": "ordinary", "stage": "active",
		"action.en": "Membership or points to lock in the third order",
	}
	for path, v := range want {
		got := c.Get(path).String()
		if c.Get(path).Type == gjson.Number {
			got = c.Get(path).Raw
		}
		if got != v {
			t.Errorf("%s = %q; want %q", path, got, v)
		}
	}
	if !c.Get("action.zh").Exists() || !c.Get("segment.label.zh").Exists() || !c.Get("tags").IsArray() {
		t.Errorf("customer lacks labels or tags: %s", c.Raw)
	}
	if n := gjson.GetBytes(body, "report.rows_skipped").Int(); n != 1 {
		t.Errorf("rows_skipped = %d; want 1 (the bad amount)", n)
	}
	if gjson.GetBytes(body, "report.skips.0.column").Str != "amount" {
		t.Errorf("skip not described: %s", gjson.GetBytes(body, "report").Raw)
	}
}

// TestPlan checks that a plan contacts only customers whose action pays,
// that more budget never lowers profit and that a zero budget contacts no
// one, and that each customer's action agrees with the totals.
func TestPlan(t *testing.T) {
	h := NewHandler(DefaultLimits, fixedToday)
	body := func(budget int) string {
		b := batchBody(300, 4)
		return `{"budget":` + fmt.Sprint(budget) + `,"playbook":"ecommerce",` + b[1:]
	}
	prev := -1.0
	for _, budget := range []int{0, 100, 1000, 100000} {
		code, _, out := do(t, h, "POST", "/v1/plan", body(budget), "Content-Type", "application/json")
		if code != 200 {
			t.Fatalf("budget %d: %d %s", budget, code, out)
		}
		total := gjson.GetBytes(out, "plan.total")
		profit, cost, contacted := total.Get("profit").Float(), total.Get("cost").Float(), int(total.Get("contacted").Int())
		if profit < prev-1e-9 || cost > float64(budget)+1e-6 {
			t.Errorf("budget %d: profit %v (before %v), cost %v", budget, profit, prev, cost)
		}
		prev = profit
		if budget == 0 && contacted != 0 {
			t.Errorf("zero budget contacted %d", contacted)
		}
		n := 0
		for _, c := range gjson.GetBytes(out, "customers").Array() {
			if c.Get("action").Type == gjson.String && !c.Get("holdout").Bool() {
				n++
			}
		}
		if n != contacted {
			t.Errorf("budget %d: %d customers carry an action, totals say %d", budget, n, contacted)
		}
	}
}

func TestScoreBatchEqualsSingles(t *testing.T) {
	h := newTestHandler()
	var rows []string
	for c := 0; c < 12; c++ {
		for k := 0; k <= c%4; k++ {
			rows = append(rows, fmt.Sprintf(`{"user_id":"u%d","order_date":"2026-%02d-%02d","GMV":%d.%02d}`, c, 1+(c+k*3)%10, 1+c+k, 20+c*37+k*11, c))
		}
	}
	code, _, batch := do(t, h, "POST", "/v1/score", `{"asof":"2026-11-01","orders":[`+strings.Join(rows, ",")+`]}`)
	if code != 200 {
		t.Fatalf("batch: %d %s", code, batch)
	}
	if n := gjson.GetBytes(batch, "customers.#").Int(); n != 12 {
		t.Fatalf("batch scored %d customers; want 12", n)
	}
	// Each customer alone gets the same answer as in the batch.
	for c := 0; c < 12; c++ {
		var mine []string
		for _, r := range rows {
			if strings.Contains(r, fmt.Sprintf(`"u%d"`, c)) {
				mine = append(mine, r)
			}
		}
		_, _, one := do(t, h, "POST", "/v1/score", `{"asof":"2026-11-01","orders":[`+strings.Join(mine, ",")+`]}`)
		got := gjson.GetBytes(one, "customers.0").Raw
		want := gjson.GetBytes(batch, fmt.Sprintf("customers.#(customer_id==\"u%d\")", c)).Raw
		if got != want {
			t.Errorf("u%d alone:\n%s\nin batch:\n%s", c, got, want)
		}
	}
}

func TestScoreStats(t *testing.T) {
	h := newTestHandler()
	body := `{"asof":"2026-11-01","stats":[
	 {"customer_id":"a","first_date":"2025-01-01","last_date":"2026-10-20","orders":12,"purchase_days":10,"revenue":1500},
	 {"id":"b","first_purchase":"2026-10-05","last_purchase":"2026-10-05","frequency":1,"monetary":35.5}]}`
	code, _, out := do(t, h, "POST", "/v1/score", body)
	if code != 200 {
		t.Fatalf("stats: %d %s", code, out)
	}
	a := gjson.GetBytes(out, "customers.0")
	if a.Get("rfm").Str != "555" || a.Get("segment.name").Str != "champions" || a.Get("tier").Str != "core" || a.Get("purchase_days").Int() != 10 {
		t.Errorf("a: %s", a.Raw)
	}
	b := gjson.GetBytes(out, "customers.1")
	if b.Get("customer_id").Str != "b" || b.Get("monetary").Raw != "35.50" || b.Get("stage").Str != "new" {
		t.Errorf("b: %s", b.Raw)
	}
	// One stats object without an array, the same as orders.
	_, _, one := do(t, h, "POST", "/v1/score", `{"asof":"2026-11-01","stats":{"customer_id":"c1","first_date":"2026-06-01","last_date":"2026-10-01","orders":2,"revenue":200.5}}`)
	_, _, viaOrders := do(t, h, "POST", "/v1/score", oneCustomer)
	if got, want := gjson.GetBytes(one, "customers.0").Raw, gjson.GetBytes(viaOrders, "customers.0").Raw; got != want {
		t.Errorf("stats and orders differ:\n%s\n%s", got, want)
	}
}

func TestScoreScenarios(t *testing.T) {
	h := newTestHandler()
	// rfm8 with a scenario object laid over the default preset.
	code, _, out := do(t, h, "POST", "/v1/score", `{"asof":"2026-11-01","scenario":{"segments":{"scheme":"rfm8"},"rfm":{"r":{"method":"value","value":60}}},
	  "customer_id":"x","orders":[{"date":"2026-10-30","amount":10}]}`)
	if code != 200 {
		t.Fatalf("rfm8: %d %s", code, out)
	}
	c := gjson.GetBytes(out, "customers.0")
	if gjson.GetBytes(out, "scenario").Str != "custom" || c.Get("segment.name").Str != c.Get("rfm_class.name").Str || c.Get("action.en").Str == "" || c.Get("scores.r").Int() != 2 {
		t.Errorf("rfm8: %s", out)
	}
	// The as-of date from the scenario when the request has none; today otherwise.
	_, _, out = do(t, h, "POST", "/v1/score", `{"scenario":{"window":{"asof":"2026-10-31"}},"customer_id":"x","orders":[{"date":"2026-10-30","amount":10}]}`)
	if gjson.GetBytes(out, "asof").Str != "2026-10-31" || gjson.GetBytes(out, "customers.0.recency_days").Int() != 1 {
		t.Errorf("scenario asof: %s", out)
	}
	_, _, out = do(t, h, "POST", "/v1/score", `{"scenario":"fixed_cuts","customer_id":"x","orders":[{"date":"2026-10-30","amount":10}]}`)
	if gjson.GetBytes(out, "asof").Str != fixedToday() {
		t.Errorf("default asof: %s", out)
	}
	// Orders on or after the as-of date are left out and said so.
	_, _, out = do(t, h, "POST", "/v1/score", `{"asof":"2026-10-01","orders":[{"customer_id":"x","date":"2026-09-30","amount":10},{"customer_id":"y","date":"2026-10-02","amount":10}]}`)
	if gjson.GetBytes(out, "report.unscored.0").Str != "y" || gjson.GetBytes(out, "report.clean.0.rule").Str != "window" {
		t.Errorf("unscored: %s", out)
	}
}

// errorCase is a request that must fail with status, code and field.
type errorCase struct {
	name, method, path, body string
	header                   []string
	status                   int
	code, field              string
}

var errorCases = []errorCase{
	{"unknown path", "GET", "/nope", "", nil, 404, "not_found", ""},
	{"unknown endpoint", "GET", "/v1/segments", "", nil, 404, "not_found", ""},
	{"plan by GET", "GET", "/v1/plan", "", nil, 405, "method_not_allowed", ""},
	{"plan negative budget", "POST", "/v1/plan", `{"budget":-5,"stats":{"customer_id":"a","first_date":"2026-01-01","last_date":"2026-02-01","orders":2,"revenue":50}}`, nil, 422, "invalid_field", "budget"},
	{"plan budget as text", "POST", "/v1/plan", `{"budget":"lots","stats":{"customer_id":"a","first_date":"2026-01-01","last_date":"2026-02-01","orders":2,"revenue":50}}`, nil, 422, "invalid_field", "budget"},
	{"plan unknown playbook", "POST", "/v1/plan", `{"playbook":"casino","stats":{"customer_id":"a","first_date":"2026-01-01","last_date":"2026-02-01","orders":2,"revenue":50}}`, nil, 422, "unknown_preset", "playbook"},
	{"plan unknown field", "POST", "/v1/plan", `{"budgets":5}`, nil, 422, "unknown_field", "budgets"},
	{"score with a budget", "POST", "/v1/score", `{"budget":5}`, nil, 422, "unknown_field", "budget"},
	{"score by GET", "GET", "/v1/score", "", nil, 405, "method_not_allowed", ""},
	{"health by POST", "POST", "/v1/health", "{}", nil, 405, "method_not_allowed", ""},
	{"form upload", "POST", "/v1/score", "x", []string{"Content-Type", "multipart/form-data; boundary=x"}, 415, "unsupported_media_type", "Content-Type"},
	{"empty body", "POST", "/v1/score", "", nil, 400, "empty_body", ""},
	{"malformed", "POST", "/v1/score", `{"orders":[`, nil, 400, "bad_json", ""},
	{"truncated", "POST", "/v1/score", oneCustomer[:len(oneCustomer)-7], nil, 400, "bad_json", ""},
	{"not an object", "POST", "/v1/score", `[1,2]`, nil, 400, "bad_request", ""},
	{"stats revenue too large", "POST", "/v1/score", `{"scenario":"fixed_cuts","asof":"2026-11-01","stats":{"customer_id":"a","first_date":"2026-01-01","last_date":"2026-06-01","orders":3,"revenue":9e15}}`, nil, 422, "invalid_field", "stats[0].revenue"},
	{"too many fields in an order", "POST", "/v1/score", `{"asof":"2026-11-01","orders":[{"customer_id":"a","order_date":"2026-06-03","amount":1},{"customer_id":"a","order_date":"2026-06-04","amount":1` + strings.Repeat(`,"x":1`, 40) + `}]}`, nil, 413, "too_many_keys", "orders[1]"},
	{"not UTF-8", "POST", "/v1/score", "{\"asof\":\"2026-11-01\",\"orders\":[{\"customer_id\":\"a\xff\",\"order_date\":\"2026-06-03\",\"amount\":1}]}", nil, 400, "invalid_utf8", ""},
	{"amounts overflow", "POST", "/v1/score", `{"asof":"2026-11-01","orders":[` + strings.Repeat(`{"customer_id":"a","order_date":"2026-06-03","amount":9e15},`, 10) + `{"customer_id":"a","order_date":"2026-06-03","amount":9e15}]}`, nil, 422, "amount_too_large", "orders"},
	{"unknown field", "POST", "/v1/score", `{"ordres":[]}`, nil, 422, "unknown_field", "ordres"},
	{"no data", "POST", "/v1/score", `{"asof":"2026-11-01"}`, nil, 422, "missing_field", "orders"},
	{"both", "POST", "/v1/score", `{"orders":[],"stats":[]}`, nil, 422, "conflicting_fields", "stats"},
	{"orders not array", "POST", "/v1/score", `{"orders":{"a":1}}`, nil, 422, "invalid_field", "orders"},
	{"orders empty", "POST", "/v1/score", `{"orders":[]}`, nil, 422, "invalid_field", "orders"},
	{"missing column", "POST", "/v1/score", `{"orders":[{"customer_id":"a","amount":3}]}`, nil, 422, "missing_column", "orders"},
	{"no usable rows", "POST", "/v1/score", `{"orders":[{"customer_id":"a","date":"yesterday","amount":3}]}`, nil, 422, "no_usable_rows", "orders"},
	{"ambiguous dates", "POST", "/v1/score", `{"orders":[{"customer_id":"a","date":"3/4/2026","amount":3}]}`, nil, 422, "ambiguous_dates", "date_format"},
	{"bad date format", "POST", "/v1/score", `{"date_format":"yyyy","orders":[{"customer_id":"a","date":"2026-01-01","amount":3}]}`, nil, 422, "invalid_field", "date_format"},
	{"customer id twice", "POST", "/v1/score", `{"customer_id":"a","orders":[{"customer_id":"b","date":"2026-01-01","amount":3}]}`, nil, 422, "conflicting_fields", "orders[0].customer_id"},
	{"customer id wrong type", "POST", "/v1/score", `{"customer_id":[1],"orders":[{"date":"2026-01-01","amount":3}]}`, nil, 422, "invalid_field", "customer_id"},
	{"asof wrong type", "POST", "/v1/score", `{"asof":20261101,"stats":{}}`, nil, 422, "invalid_field", "asof"},
	{"asof bad", "POST", "/v1/score", `{"asof":"2026-13-01","stats":{}}`, nil, 422, "invalid_field", "asof"},
	{"nothing before asof", "POST", "/v1/score", `{"asof":"2020-01-01","customer_id":"a","orders":[{"date":"2026-01-01","amount":3}]}`, nil, 422, "cannot_score", "asof"},
	{"unknown preset", "POST", "/v1/score", `{"scenario":"nope","stats":{}}`, nil, 422, "unknown_preset", "scenario"},
	{"scenario wrong type", "POST", "/v1/score", `{"scenario":5,"stats":{}}`, nil, 422, "invalid_field", "scenario"},
	{"scenario bad knob", "POST", "/v1/score", `{"scenario":{"rfm":{"r":{"cuts":[3,2]}}},"stats":{}}`, nil, 422, "invalid_scenario", "scenario.rfm.r.cuts[1]"},
	{"scenario unknown knob", "POST", "/v1/score", `{"scenario":{"rfm":{"x":1}},"stats":{}}`, nil, 422, "invalid_scenario", "scenario.rfm.x"},
	{"quantile", "POST", "/v1/score", `{"scenario":{"rfm":{"f":{"method":"quantile","levels":5}}},"stats":{}}`, nil, 422, "needs_fixed_cuts", "scenario.rfm.f.method"},
	{"mean split", "POST", "/v1/score", `{"scenario":{"rfm":{"split_m":{"method":"mean"}}},"stats":{}}`, nil, 422, "needs_fixed_cuts", "scenario.rfm.split_m.method"},
	{"median", "POST", "/v1/score", `{"scenario":{"rfm":{"m":{"method":"median"}}},"stats":{}}`, nil, 422, "needs_fixed_cuts", "scenario.rfm.m.method"},
	{"share tiers", "POST", "/v1/score", `{"scenario":{"tiers":{"basis":"revenue_share","cuts":[0.5,0.8,0.95]}},"stats":{}}`, nil, 422, "needs_fixed_cuts", "scenario.tiers.basis"},
	{"outliers", "POST", "/v1/score", `{"scenario":{"clean":{"outliers":"flag"}},"stats":{}}`, nil, 422, "needs_fixed_cuts", "scenario.clean.outliers"},
	{"tag statistic", "POST", "/v1/score", `{"scenario":{"tags":[{"name":"big","when":[{"field":"aov","min":"p90"}]}]},"stats":{}}`, nil, 422, "needs_fixed_cuts", "scenario.tags[0].when[0].min"},
	{"stats not object", "POST", "/v1/score", `{"stats":"a"}`, nil, 422, "invalid_field", "stats"},
	{"stats empty", "POST", "/v1/score", `{"stats":[]}`, nil, 422, "invalid_field", "stats"},
	{"stats element", "POST", "/v1/score", `{"stats":[1]}`, nil, 422, "invalid_field", "stats[0]"},
	{"stats missing", "POST", "/v1/score", `{"stats":{"customer_id":"a"}}`, nil, 422, "missing_field", "stats[0].first_date"},
	{"stats unknown", "POST", "/v1/score", `{"stats":{"customer_id":"a","colour":1}}`, nil, 422, "unknown_field", "stats[0].colour"},
	{"stats date", "POST", "/v1/score", `{"stats":{"customer_id":"a","first_date":"soon","last_date":"2026-01-01","orders":1,"revenue":1}}`, nil, 422, "invalid_field", "stats[0].first_date"},
	{"stats orders", "POST", "/v1/score", `{"stats":{"customer_id":"a","first_date":"2026-01-01","last_date":"2026-01-01","orders":1.5,"revenue":1}}`, nil, 422, "invalid_field", "stats[0].orders"},
	{"stats revenue", "POST", "/v1/score", `{"stats":{"customer_id":"a","first_date":"2026-01-01","last_date":"2026-01-01","orders":1,"revenue":"1"}}`, nil, 422, "invalid_field", "stats[0].revenue"},
	{"stats days", "POST", "/v1/score", `{"stats":{"customer_id":"a","first_date":"2026-01-01","last_date":"2026-01-09","orders":3,"purchase_days":4,"revenue":1}}`, nil, 422, "invalid_field", "stats[0].purchase_days"},
	{"stats order", "POST", "/v1/score", `{"stats":{"customer_id":"a","first_date":"2026-02-01","last_date":"2026-01-09","orders":3,"revenue":1}}`, nil, 422, "invalid_field", "stats[0].last_date"},
	{"stats duplicate", "POST", "/v1/score", `{"stats":[{"customer_id":"a","first_date":"2026-01-01","last_date":"2026-01-01","orders":1,"revenue":1},{"customer_id":"a","first_date":"2026-01-01","last_date":"2026-01-01","orders":1,"revenue":1}]}`, nil, 422, "invalid_field", "stats[1].customer_id"},
	{"stats with date_format", "POST", "/v1/score", `{"date_format":"ymd","stats":{}}`, nil, 422, "conflicting_fields", "date_format"},
	{"body too large", "POST", "/v1/score", `{"orders":"` + strings.Repeat("x", 64<<10) + `"}`, nil, 413, "body_too_large", ""},
	{"too many rows", "POST", "/v1/score", `{"orders":[` + strings.Repeat(`{},`, 200) + `{}]}`, nil, 413, "too_many_rows", "orders"},
	{"too many good rows", "POST", "/v1/score", `{"orders":[` + strings.Repeat(`{"customer_id":"a","date":"2026-01-01","amount":1},`, 200) + `{"customer_id":"b","date":"2026-01-01","amount":1}]}`, nil, 413, "too_many_rows", "orders"},
	{"too many rows, some bad", "POST", "/v1/score", `{"orders":[` + strings.Repeat(`{"customer_id":"a","date":"2026-01-01","amount":1},7,`, 100) + `{"customer_id":"b","date":"2026-01-01","amount":1}]}`, nil, 413, "too_many_rows", "orders"},
	{"too many customers", "POST", "/v1/score", `{"orders":[` + manyCustomers(21) + `]}`, nil, 413, "too_many_customers", "orders"},
	{"too many stats", "POST", "/v1/score", `{"stats":[` + strings.Repeat(`{},`, 20) + `{}]}`, nil, 413, "too_many_customers", "stats"},
	{"too many stats orders", "POST", "/v1/score", `{"stats":[{"customer_id":"a","first_date":"2026-01-01","last_date":"2026-01-01","orders":1001,"purchase_days":1,"revenue":1}]}`, nil, 413, "too_many_orders", "stats[0].orders"},
}

func manyCustomers(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"customer_id":"c%d","date":"2026-01-01","amount":1}`, i)
	}
	return b.String()
}

func TestErrors(t *testing.T) {
	h := newTestHandler()
	for _, tc := range errorCases {
		code, hd, body := do(t, h, tc.method, tc.path, tc.body, tc.header...)
		e := gjson.GetBytes(body, "error")
		if code != tc.status || e.Get("code").Str != tc.code || e.Get("field").Str != tc.field {
			t.Errorf("%s: %d %s; want %d %s field %q", tc.name, code, body, tc.status, tc.code, tc.field)
			continue
		}
		if e.Get("message").Str == "" || hd.Get("Access-Control-Allow-Origin") != "*" || !strings.HasPrefix(hd.Get("Content-Type"), "application/json") {
			t.Errorf("%s: no message or headers: %s %v", tc.name, body, hd)
		}
		if code == 405 && hd.Get("Allow") == "" {
			t.Errorf("%s: 405 without Allow", tc.name)
		}
	}
}

func TestDeclaredLengthTooLarge(t *testing.T) {
	req := httptest.NewRequest("POST", "/v1/score", strings.NewReader("{}"))
	req.ContentLength = int64(testLimits.BodyBytes) + 1
	rec := httptest.NewRecorder()
	newTestHandler().ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Errorf("declared length: %d %s", rec.Code, rec.Body)
	}
}

// FuzzScore feeds arbitrary bodies to POST /v1/score: every answer is a
// 200 with customers or a 4xx with a JSON error, never a 5xx or a panic.
// The seed corpus is testdata/fuzz/FuzzScore plus the error cases.
func FuzzScore(f *testing.F) {
	for _, tc := range errorCases {
		if tc.path == "/v1/score" && tc.method == "POST" && len(tc.body) < 4096 {
			f.Add([]byte(tc.body))
		}
	}
	f.Add([]byte(oneCustomer))
	seeds, _ := filepath.Glob("testdata/*.json")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	h := newTestHandler()
	f.Fuzz(func(t *testing.T, body []byte) {
		code, _, out := do(t, h, "POST", "/v1/score", string(body))
		checkAnswer(t, code, out)
	})
}

// checkAnswer checks the shape of a score answer.
func checkAnswer(t testing.TB, code int, out []byte) {
	t.Helper()
	if !json.Valid(out) {
		t.Fatalf("%d: answer is not JSON: %q", code, out)
	}
	switch {
	case code == 200:
		if !gjson.GetBytes(out, "customers").IsArray() {
			t.Fatalf("200 without customers: %s", out)
		}
	case code >= 400 && code < 500:
		if gjson.GetBytes(out, "error.code").Str == "" || gjson.GetBytes(out, "error.message").Str == "" {
			t.Fatalf("%d without an error code and message: %s", code, out)
		}
	default:
		t.Fatalf("status %d: %s", code, bytes.TrimSpace(out))
	}
}

// checkReadoutAnswer is checkAnswer for POST /v1/readout: a 200 holds the
// total and the actions.
func checkReadoutAnswer(t testing.TB, code int, out []byte) {
	t.Helper()
	if code == 200 && (!gjson.GetBytes(out, "total").IsObject() || !gjson.GetBytes(out, "actions").IsArray() || !json.Valid(out)) {
		t.Fatalf("200 without a readout: %.300s", out)
	}
	if code != 200 {
		checkAnswer(t, code, out)
	}
}

// TestCustomerIDsRoundTrip sends ids holding control characters, quotes,
// backslashes, U+2028 and Chinese, as the request's customer_id and as
// order fields, and reads them back exactly.
func TestCustomerIDsRoundTrip(t *testing.T) {
	h := newTestHandler()
	for _, id := range []string{"a\x01b", `q"uote`, `back\slash`, "line\u2028sep", "客户<1>&"} {
		key, _ := json.Marshal(id)
		for _, body := range []string{
			`{"scenario":"fixed_cuts","asof":"2026-11-01","customer_id":` + string(key) + `,"orders":[{"order_date":"2026-06-03","amount":89.0}]}`,
			`{"scenario":"fixed_cuts","asof":"2026-11-01","orders":[{"customer_id":` + string(key) + `,"order_date":"2026-06-03","amount":89.0}]}`,
		} {
			code, _, out := do(t, h, "POST", "/v1/score", body, "Content-Type", "application/json")
			if code != 200 || !json.Valid(out) {
				t.Fatalf("%q: %d %s", id, code, out)
			}
			if got := gjson.GetBytes(out, "customers.0.customer_id").Str; got != id {
				t.Errorf("customer_id %q came back as %q", id, got)
			}
		}
	}
}

// TestServiceManners checks the request id, CORS headers, Server-Timing,
// a body with a byte order mark or gzip-compressed, and duplicate fields.
func TestServiceManners(t *testing.T) {
	h := newTestHandler()
	code, hd, _ := do(t, h, "OPTIONS", "/v1/score", "", "Origin", "https://example.test", "Access-Control-Request-Headers", "content-type, x-request-id")
	if code != 204 || !strings.Contains(hd.Get("Access-Control-Allow-Headers"), "X-Request-Id") {
		t.Errorf("preflight: %d %v", code, hd)
	}
	code, hd, body := do(t, h, "POST", "/v1/score", "\ufeff"+oneCustomer, "Content-Type", "application/json", "X-Request-Id", "abc-123")
	if code != 200 || hd.Get("X-Request-Id") != "abc-123" || !strings.Contains(hd.Get("Access-Control-Expose-Headers"), "X-Request-Id") || !strings.HasPrefix(hd.Get("Server-Timing"), "total;dur=") {
		t.Errorf("with a BOM: %d %v %.100s", code, hd, body)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(oneCustomer))
	zw.Close()
	code, hd, body = do(t, h, "POST", "/v1/score", z.String(), "Content-Type", "application/json", "Content-Encoding", "gzip")
	if code != 200 || len(hd.Get("X-Request-Id")) != 32 || gjson.GetBytes(body, "customers.0.customer_id").Str != "c1" {
		t.Errorf("gzip: %d %v %.200s", code, hd, body)
	}
	code, _, body = do(t, h, "POST", "/v1/score", oneCustomer, "Content-Type", "application/json", "Content-Encoding", "br")
	if code != 415 || gjson.GetBytes(body, "error.code").Str != "unsupported_encoding" || gjson.GetBytes(body, "error.request_id").Str == "" {
		t.Errorf("br: %d %s", code, body)
	}
	code, _, body = do(t, h, "POST", "/v1/score", `{"asof":"2026-01-01","asof":"2026-02-01","orders":[]}`, "Content-Type", "application/json")
	if code != 422 || gjson.GetBytes(body, "error.code").Str != "duplicate_field" || gjson.GetBytes(body, "error.field").Str != "asof" {
		t.Errorf("duplicate field: %d %s", code, body)
	}
}

// TestScoreFullStats: stats records with every optional field score as
// the same stats do through a file (engine.Load), customer for customer:
// stage (the returned stage reads last_gap) and tags included; records
// that give different optional fields get a 422 naming the field.
func TestScoreFullStats(t *testing.T) {
	csvText := "customer_id,first_date,last_date,orders,purchase_days,revenue,max_order,median_gap,last_gap,discount,discount_orders,heavy_orders,weekend_orders,refund_lines,first_channel,repeat_revenue\n" +
		"a,2025-01-01,2026-10-20,12,10,1500.00,400.00,60,200,300.00,10,10,9,1,app,1300.00\n" +
		"b,2026-10-05,2026-10-05,1,1,35.50,35.50,,,0.00,0,0,0,0,web,0.00\n" +
		"c,2025-03-01,2026-09-01,3,3,220.00,90.00,100,300,0.00,0,0,3,0,,150.00\n"
	var recs []string
	for _, line := range strings.Split(strings.TrimSpace(csvText), "\n")[1:] {
		f := strings.Split(line, ",")
		gap := func(s string) string {
			if s == "" {
				return "null"
			}
			return s
		}
		recs = append(recs, fmt.Sprintf(`{"customer_id":%q,"first_date":%q,"last_date":%q,"orders":%s,"purchase_days":%s,"revenue":%s,"max_order":%s,"median_gap":%s,"last_gap":%s,"discount":%s,"discount_orders":%s,"heavy_orders":%s,"weekend_orders":%s,"refund_lines":%s,"first_channel":%q,"repeat_revenue":%s}`,
			f[0], f[1], f[2], f[3], f[4], f[5], f[6], gap(f[7]), gap(f[8]), f[9], f[10], f[11], f[12], f[13], f[14], f[15]))
	}
	h := newTestHandler()
	code, _, out := do(t, h, "POST", "/v1/score", `{"asof":"2026-11-01","stats":[`+strings.Join(recs, ",")+`]}`)
	if code != 200 {
		t.Fatalf("full stats: %d %s", code, out)
	}
	d, err := engine.Load([]byte(csvText), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := seeds.Preset("scenarios", DefaultScenario)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	sc.Window.AsOf = "2026-11-01"
	r, err := d.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	for i := range d.Customers.Len() {
		c := gjson.GetBytes(out, fmt.Sprintf("customers.%d", i))
		var tags, want []string
		for _, tg := range c.Get("tags").Array() {
			tags = append(tags, tg.Str)
		}
		for k, rule := range r.TagRules {
			if r.Tags[i]&(1<<k) != 0 {
				want = append(want, rule.Name)
			}
		}
		wantTags := strings.Join(want, ";")
		if c.Get("stage").Str != lifecycle.Names[r.Stage[i]] || strings.Join(tags, ";") != wantTags {
			t.Errorf("%s: stage %s tags %v; from the file %s %s", c.Get("customer_id").Str, c.Get("stage").Str, tags, lifecycle.Names[r.Stage[i]], wantTags)
		}
	}
	if a := gjson.GetBytes(out, "customers.0"); a.Get("stage").Str != "returned" || !strings.Contains(a.Get("tags").Raw, "weekend_shopper") {
		t.Errorf("a's stage and tags do not read last_gap and weekend_orders: %s", a.Raw)
	}
	mixed := `{"asof":"2026-11-01","stats":[` + recs[0] + `,{"customer_id":"z","first_date":"2026-01-01","last_date":"2026-01-01","orders":1,"revenue":5}]}`
	code, _, out = do(t, h, "POST", "/v1/score", mixed)
	if code != 422 || gjson.GetBytes(out, "error.field").Str != "stats[1].max_order" {
		t.Errorf("mixed optional fields: %d %s", code, out)
	}
}

func TestToday(t *testing.T) {
	before := time.Now().UTC().Format(time.DateOnly)
	got := today()
	after := time.Now().UTC().Format(time.DateOnly)
	if got != before && got != after {
		t.Errorf("today() = %q; the date is %s", got, after)
	}
	// The text is kept for the day it was made on, and made again the
	// next day.
	todayCache.Lock()
	todayCache.text = "1999-12-31"
	todayCache.Unlock()
	if got := today(); got != "1999-12-31" && time.Now().UTC().Format(time.DateOnly) == after {
		t.Errorf("the same day: today() = %q, not the kept text", got)
	}
	todayCache.Lock()
	todayCache.day--
	todayCache.Unlock()
	if got := today(); got == "1999-12-31" {
		t.Errorf("a day later: today() = %q, the old text", got)
	}
}
