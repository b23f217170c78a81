package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// hostileShape is a request built to cost more than its size suggests,
// with the answer it must get.
type hostileShape struct {
	name   string
	path   string
	body   string
	header []string
	status int
	code   string // error.code, for a 4xx
	field  string // error.field, for a 4xx
}

// hostileShapes returns bodies within the 1 MiB limit that once cost
// keys × rows, ran without bound, crashed the Go instance or answered
// wrongly: wide first rows, deep nesting, many patterns and rules,
// overflowing amounts, huge budgets, odd ids, duplicate keys, a byte order
// mark and gzip. The shapes of orders and scenarios go to /v1/score and
// /v1/readout alike; the readout's plan has shapes of its own.
func hostileShapes() []hostileShape {
	order := `{"customer_id":"a","order_date":"2026-06-03","amount":1}`
	build := func(head string, n int, item func(i int) string, tail string) string {
		var b strings.Builder
		b.WriteString(head)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(item(i))
		}
		b.WriteString(tail)
		return b.String()
	}
	// The fields after each endpoint's head (its as-of date, or its window
	// and plan).
	wide := build(`"orders":[{"customer_id":"a","order_date":"2026-06-03","amount":1,`, 40000,
		func(i int) string { return fmt.Sprintf(`"k%d":1`, i) }, `}`+strings.Repeat(`,{}`, 19000)+`]}`)
	unknown := build(`"orders":[{"customer_id":"a","order_date":"2026-06-03","amount":1,`, 70000,
		func(i int) string { return fmt.Sprintf(`"u%d":1`, i) }, `}]}`)
	// Fields up to the limit in every row, most of them unknown: one
	// warning per field name, not per row and field.
	many := build(`"orders":[`, 150, func(r int) string {
		return build(fmt.Sprintf(`{"customer_id":"c%d","order_date":"2026-06-03","amount":1,`, r%3), 253,
			func(i int) string { return fmt.Sprintf(`"extra_field_%d":%d`, i, i) }, `}`)
	}, `]}`)
	patterns := build(`"scenario":{"clean":{"test_patterns":[`, 60000,
		func(i int) string { return fmt.Sprintf(`"*p%d*"`, i) }, `]}},"orders":[`+order+`]}`)
	rules := build(`"scenario":{"segments":{"scheme":"custom","custom":{"name":"c","default":"d","rules":[`, 10000,
		func(i int) string { return fmt.Sprintf(`{"name":"r%d","when":[{"field":"f_score","max":2}]}`, i) }, `]}}},"orders":[`+order+`]}`)
	overflow := build(`"orders":[`, 11,
		func(int) string { return `{"customer_id":"a","order_date":"2026-06-03","amount":9e15}` }, `]}`)
	batch := func(n, k int) string { return strings.TrimPrefix(batchBody(n, k), `{"asof":"2026-11-01",`) }
	gzipped := func(body string) string {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write([]byte(body))
		zw.Close()
		return z.String()
	}
	var shapes []hostileShape
	for _, ep := range []struct{ path, head string }{
		{"/v1/score", `{"asof":"2026-11-01",`},
		{"/v1/readout", `{"start":"2026-06-01","end":"2026-06-30","plan":[{"customer_id":"a","action":"sms","holdout":false}],`},
	} {
		path, head := ep.path, ep.head
		shapes = append(shapes, []hostileShape{
			{"wide first row, 19,000 empty rows", path, head + wide, nil, 413, "too_many_keys", "orders[0]"},
			{"70,000 unknown keys", path, head + unknown, nil, 413, "too_many_keys", "orders[0]"},
			{"256 fields in every row", path, head + many, nil, 200, "", ""},
			{"400,000 nested arrays", path, head + `"scenario":` + strings.Repeat("[", 400000) + strings.Repeat("]", 400000) + `,"orders":[` + order + `]}`, nil, 400, "too_deep", ""},
			{"150,000 nested objects in a row", path, head + `"orders":[{"customer_id":"a","order_date":"2026-06-03","amount":1,"x":` + strings.Repeat(`{"a":`, 150000) + "1" + strings.Repeat("}", 150000) + `}]}`, nil, 400, "too_deep", ""},
			{"10,000 nested arrays as orders", path, head + `"orders":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`, nil, 400, "too_deep", ""},
			{"64 nested arrays as a scenario", path, head + `"scenario":` + strings.Repeat("[", 63) + strings.Repeat("]", 63) + `,"orders":[` + order + `]}`, nil, 422, "invalid_field", "scenario"},
			{"60,000 test patterns", path, head + patterns, nil, 422, "invalid_scenario", "scenario.clean.test_patterns"},
			{"10,000 rules", path, head + rules, nil, 422, "invalid_scenario", "scenario.segments.custom.rules"},
			{"amounts that overflow", path, head + overflow, nil, 422, "amount_too_large", "orders"},
			{"invalid UTF-8 in an id", path, head + "\"orders\":[{\"customer_id\":\"a\xff\",\"order_date\":\"2026-06-03\",\"amount\":1}]}", nil, 400, "invalid_utf8", ""},
			{"byte order mark", path, "\ufeff" + head + batch(20, 3), nil, 200, "", ""},
			{"gzip", path, gzipped(head + batch(200, 5)), []string{"Content-Encoding", "gzip"}, 200, "", ""},
		}...)
	}
	// A readout's plan: 20,000 entries (the limit) of short numeric ids,
	// which fills the body limit.
	plan := func(n int, last string) string {
		return build(`{"start":"2026-06-01","end":"2026-06-30","plan":[`, n, func(i int) string {
			if i == n-1 && last != "" {
				return last
			}
			return fmt.Sprintf(`{"customer_id":%d,"action":null,"holdout":true}`, 10000+i)
		}, `],"orders":[`+order+`]}`)
	}
	return append(shapes, []hostileShape{
		{"budget 1e307", "/v1/plan", `{"asof":"2026-11-01","budget":1e307,"orders":[` + order + `]}`, nil, 422, "", "budget"},
		{"control characters in an id", "/v1/score", `{"asof":"2026-11-01","customer_id":"a\u0000\u001bb","orders":[{"order_date":"2026-06-03","amount":1}]}`, nil, 200, "", ""},
		{"a field twice", "/v1/score", `{"asof":"2026-11-01","asof":"2026-10-01","orders":[` + order + `]}`, nil, 422, "duplicate_field", "asof"},
		{"level 1e307", "/v1/readout", `{"start":"2026-06-01","end":"2026-06-30","level":1e307,"plan":[{"customer_id":"a","action":"sms","holdout":false}],"orders":[` + order + `]}`, nil, 422, "invalid_field", "level"},
		{"control characters in an id", "/v1/readout", `{"start":"2026-06-01","end":"2026-06-30","plan":[{"customer_id":"a\u0000\u001bb","action":"sms","holdout":false}],"orders":[{"customer_id":"a\u0000\u001bb","order_date":"2026-06-03","amount":1}]}`, nil, 200, "", ""},
		{"a field twice", "/v1/readout", `{"start":"2026-06-01","start":"2026-05-01","end":"2026-06-30","plan":[],"orders":[]}`, nil, 422, "duplicate_field", "start"},
		{"20,000 plan entries", "/v1/readout", plan(DefaultLimits.PlanRows, ""), nil, 200, "", ""},
		{"20,001 plan entries", "/v1/readout", plan(DefaultLimits.PlanRows+1, ""), nil, 413, "too_many_rows", "plan"},
		{"a customer twice, 20,000 entries apart", "/v1/readout", plan(DefaultLimits.PlanRows, `{"customer_id":10000,"action":null,"holdout":true}`), nil, 422, "invalid_field", fmt.Sprintf("plan[%d].customer_id", DefaultLimits.PlanRows-1)},
		{"40,000 unknown fields in a plan entry", "/v1/readout", build(`{"start":"2026-06-01","end":"2026-06-30","plan":[{"customer_id":"a","action":null,"holdout":true,`, 40000,
			func(i int) string { return fmt.Sprintf(`"k%d":1`, i) }, `}],"orders":[`+order+`]}`), nil, 422, "unknown_field", "plan[0].k0"},
	}...)
}

// TestWorkerdHostileShapes sends each hostile shape three times under
// workerd while a health check runs every 20 ms, beside the largest
// legitimate batch (1,000 customers, the row and body limits nearly
// full). Every answer must be JSON with CORS headers and the expected
// status; the times are logged as ratios to the batch's.
func TestWorkerdHostileShapes(t *testing.T) {
	w := startWorkerd(t, "keepAlive")
	k := 20
	for len(batchBody(1000, k)) > DefaultLimits.BodyBytes {
		k--
	}
	largest := batchBody(1000, k)
	median := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }
	timeIt := func(path, body string, header []string, check func(int, []byte, string)) time.Duration {
		var times []time.Duration
		for range 3 {
			t0 := time.Now()
			code, hd, out, err := w.send("POST", path, body, header...)
			times = append(times, time.Since(t0))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if hd.Get("Access-Control-Allow-Origin") != "*" || hd.Get("X-Request-Id") == "" || !gjson.ValidBytes(out) {
				t.Fatalf("%s: not a JSON answer with CORS headers and a request id: %d %v %.200s", path, code, hd, out)
			}
			check(code, out, path)
		}
		return median(times)
	}

	// Health checks in the background.
	stop := make(chan struct{})
	var health []time.Duration
	var healthBad []string
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			t0 := time.Now()
			code, _, out, err := w.send("GET", "/v1/health", "")
			health = append(health, time.Since(t0))
			if err != nil || code != 200 {
				healthBad = append(healthBad, fmt.Sprintf("%d %v %.100s", code, err, out))
			}
		}
	})

	base := timeIt("/v1/score", largest, nil, func(code int, out []byte, _ string) {
		if code != 200 || len(gjson.GetBytes(out, "customers").Array()) != 1000 {
			t.Fatalf("largest batch (%d bytes): %d %.200s", len(largest), code, out)
		}
	})
	t.Logf("largest legitimate batch: 1,000 customers × %d orders, %d KB: median %v", k, len(largest)>>10, base.Round(time.Millisecond))
	worst := 0.0
	for _, s := range hostileShapes() {
		if len(s.body) > DefaultLimits.BodyBytes {
			t.Fatalf("%s %s: %d bytes, over the body limit", s.path, s.name, len(s.body))
		}
		d := timeIt(s.path, s.body, s.header, func(code int, out []byte, path string) {
			e := gjson.GetBytes(out, "error")
			if code != s.status || s.code != "" && e.Get("code").Str != s.code || s.field != "" && e.Get("field").Str != s.field {
				t.Errorf("%s %s: %d %.300s; want %d %s field %q", path, s.name, code, out, s.status, s.code, s.field)
			}
			if code == 200 && len(gjson.GetBytes(out, "customers").Array()) <= 3 && len(out) > 64<<10 {
				t.Errorf("%s: a %d-byte answer for at most three customers", s.name, len(out))
			}
		})
		r := float64(d) / float64(base)
		worst = max(worst, r)
		t.Logf("%-12s %-40s %4d KB  median %8v  %.2f× the largest batch", s.path, s.name, len(s.body)>>10, d.Round(100*time.Microsecond), r)
	}
	close(stop)
	wg.Wait()
	if len(healthBad) > 0 {
		t.Errorf("%d health checks failed, first: %s", len(healthBad), healthBad[0])
	}
	slices.Sort(health)
	if len(health) > 0 {
		t.Logf("health during the shapes: %d checks, p50 %v, p99 %v, max %v; worst shape %.2f× the largest batch",
			len(health), health[len(health)/2].Round(100*time.Microsecond), health[len(health)*99/100].Round(100*time.Microsecond), health[len(health)-1].Round(100*time.Microsecond), worst)
	}
	if code, _, body, err := w.send("GET", "/v1/health", ""); err != nil || code != 200 {
		t.Fatalf("health after the shapes: %d %s %v", code, body, err)
	}
}

// TestHostileShapesNative gives the same shapes to the native handler: the
// same statuses, so a failure under workerd is the runtime's, not the
// handler's.
func TestHostileShapesNative(t *testing.T) {
	h := NewHandler(DefaultLimits, today)
	for _, s := range hostileShapes() {
		code, hd, out := do(t, h, "POST", s.path, s.body, append([]string{"Content-Type", "application/json"}, s.header...)...)
		e := gjson.GetBytes(out, "error")
		if code != s.status || s.code != "" && e.Get("code").Str != s.code || s.field != "" && e.Get("field").Str != s.field || hd.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s %s: %d %.300s; want %d %s field %q", s.path, s.name, code, out, s.status, s.code, s.field)
		}
	}
}

// TestWorkerdCrashContainment ends the Go instance (POST /v1/crash, a
// test build's route) while 48 legitimate requests are in flight, three
// times: the crashing request gets a JSON 500, every legitimate one a
// correct 200 (run on a fresh instance when the old one had ended) or a
// JSON 503 with Retry-After, never a lost or non-JSON answer.
func TestWorkerdCrashContainment(t *testing.T) {
	w := startWorkerd(t, "crashKeepAlive")
	body := batchBody(40, 3)
	for round := range 3 {
		var wg sync.WaitGroup
		var mu sync.Mutex
		var lost []string
		answered := map[int]int{}
		for i := range 48 {
			wg.Go(func() {
				time.Sleep(time.Duration(i) * time.Millisecond / 2)
				code, hd, out, err := w.send("POST", "/v1/score", body)
				mu.Lock()
				defer mu.Unlock()
				answered[code]++
				if why := burstAnswer(code, hd, out, err, 40); why != "" {
					lost = append(lost, why)
				}
			})
		}
		time.Sleep(10 * time.Millisecond)
		code, hd, out, err := w.send("POST", "/v1/crash", "{}")
		wg.Wait()
		if err != nil || code != 500 || gjson.GetBytes(out, "error.code").Str != "internal" || hd.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("round %d: the crashing request got %d %v %.200s", round, code, err, out)
		}
		if len(lost) > 0 {
			t.Fatalf("round %d: %d of 48 requests lost; first: %s", round, len(lost), lost[0])
		}
		t.Logf("round %d: statuses of the 48 legitimate requests %v", round, answered)
	}
	if code, _, out, err := w.send("POST", "/v1/score", body); err != nil || code != 200 {
		t.Fatalf("after the crashes: %d %v %.200s", code, err, out)
	}
}

// TestWorkerdSheds sends 96 batches of 1,000 customers at once: the glue
// admits about 2 MB of them and answers the rest at once with a JSON 503
// and Retry-After, after reading their bodies so that no client is cut
// off mid-send; every admitted batch is scored in full.
func TestWorkerdSheds(t *testing.T) {
	w := startWorkerd(t, "keepAlive")
	body := batchBody(1000, 5)
	var mu sync.Mutex
	answered := map[int]int{}
	var bad []string
	var wg sync.WaitGroup
	for range 96 {
		wg.Go(func() {
			code, hd, out, err := w.send("POST", "/v1/score", body)
			mu.Lock()
			defer mu.Unlock()
			answered[code]++
			if why := burstAnswer(code, hd, out, err, 1000); why != "" {
				bad = append(bad, why)
			} else if code == 503 && gjson.GetBytes(out, "error.code").Str != "busy" {
				bad = append(bad, fmt.Sprintf("503 not busy: %.100s", out))
			}
		})
	}
	wg.Wait()
	t.Logf("96 batches of 1,000 customers (%d KB each) at once: statuses %v", len(body)>>10, answered)
	if len(bad) > 0 {
		t.Fatalf("%d answers wrong; first: %s", len(bad), bad[0])
	}
	if answered[503] == 0 || answered[200] == 0 {
		t.Fatalf("statuses %v: want some batches scored and some shed", answered)
	}
	if code, _, out, err := w.send("POST", "/v1/score", body); err != nil || code != 200 {
		t.Fatalf("after the burst: %d %v %.200s", code, err, out)
	}
}

// burstAnswer says what is wrong with one answer of a burst of score
// requests for customers customers: a 200 with them all, or a JSON 503
// with Retry-After, each with CORS headers and a request id ("" = right).
func burstAnswer(code int, hd http.Header, out []byte, err error, customers int) string {
	switch {
	case err != nil:
		return err.Error()
	case hd.Get("Access-Control-Allow-Origin") != "*" || hd.Get("X-Request-Id") == "" || !gjson.ValidBytes(out):
		return fmt.Sprintf("%d without JSON or headers: %.100s", code, out)
	case code == 200 && len(gjson.GetBytes(out, "customers").Array()) != customers:
		return fmt.Sprintf("200 with %d customers", len(gjson.GetBytes(out, "customers").Array()))
	case code == 503 && hd.Get("Retry-After") != "1":
		return "503 without Retry-After: 1"
	case code != 200 && code != 503:
		return fmt.Sprintf("%d %.100s", code, out)
	}
	return ""
}

// TestWorkerdHealthBesideBatch sends a health check 10 ms after the
// largest legitimate batch, five times: the batch yields between its
// stages, so the health check is answered before the batch is, rather
// than after it. One round in five may miss, for a machine that stalls
// workerd meanwhile.
func TestWorkerdHealthBesideBatch(t *testing.T) {
	w := startWorkerd(t, "keepAlive")
	body := batchBody(1000, 16)
	var late []string
	for round := range 5 {
		var batchTook time.Duration
		var batchErr error
		var wg sync.WaitGroup
		start := time.Now()
		wg.Go(func() {
			var code int
			code, _, _, batchErr = w.send("POST", "/v1/score", body)
			if batchErr == nil && code != 200 {
				batchErr = fmt.Errorf("status %d", code)
			}
			batchTook = time.Since(start)
		})
		time.Sleep(10 * time.Millisecond)
		code, _, _, err := w.send("GET", "/v1/health", "")
		healthAt := time.Since(start)
		wg.Wait()
		if err != nil || code != 200 || batchErr != nil {
			t.Fatalf("round %d: health %d %v, batch %v", round, code, err, batchErr)
		}
		t.Logf("round %d: health answered %v after the batch was sent, the batch %v", round, healthAt.Round(100*time.Microsecond), batchTook.Round(100*time.Microsecond))
		if healthAt >= batchTook {
			late = append(late, fmt.Sprintf("round %d: health at %v, batch %v", round, healthAt, batchTook))
		}
	}
	if len(late) > 1 {
		t.Errorf("%d of 5 health checks waited for the whole batch: %v", len(late), late)
	}
}
