package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"segsim/core/calendar"
)

// scoreBoth scores body with the lone path on and off, fails t unless the
// two answers are the same bytes (or the same error), and tells whether
// the lone path answered.
func scoreBoth(t testing.TB, body string) bool {
	t.Helper()
	h := NewHandler(testLimits, fixedToday)
	full := NewHandler(testLimits, fixedToday)
	full.noLone = true
	a, ae := h.Score([]byte(body))
	b, be := full.Score([]byte(body))
	switch {
	case ae != nil && be != nil:
		if ae.Code != be.Code || ae.Message != be.Message {
			t.Errorf("body %s\nerrors differ:\n%v\n%v", body, ae, be)
		}
		return false
	case ae != nil || be != nil:
		t.Errorf("body %s\nwith the lone path: %v\nwithout: %v", body, ae, be)
		return false
	}
	got, err := a.appendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := b.appendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("body %s\nlone path (%v):\n%s\nengine:\n%s", body, a.lone, got, want)
	}
	if b.lone {
		t.Errorf("the lone path answered with it turned off")
	}
	return a.lone
}

// loneBody makes a one-customer score request: mostly the shape the lone
// path reads, with every way out of it now and then.
func loneBody(r *rand.Rand) string {
	pick := func(s ...string) string { return s[r.IntN(len(s))] }
	wild := r.IntN(5) < 2 // else only what the lone path reads
	odd := func(n int) bool { return wild && r.IntN(n) == 0 }
	var b strings.Builder
	b.WriteByte('{')
	today, _ := calendar.Parse(fixedToday())
	asOf := int(today) - 500 + r.IntN(700)
	if r.IntN(5) > 0 {
		fmt.Fprintf(&b, `"asof":%q,`, day(asOf))
	} else {
		asOf = int(today)
	}
	if r.IntN(3) == 0 {
		b.WriteString(`"scenario":` + pick(
			`"fixed_cuts"`, `null`,
			`{"segments":{"scheme":"rfm8"}}`,
			`{"rfm":{"frequency":"days","monetary":"aov"}}`,
			`{"rfm":{"r":{"method":"cuts","cuts":[7,30,60,120]},"split_r":{"method":"score","value":3}}}`,
			`{"rfm":{"m":{"method":"value","value":150},"split_m":{"method":"value","value":80}}}`,
			`{"clean":{"zero_value":"drop","returns":"drop"}}`,
			`{"clean":{"test_patterns":["vip*"]}}`,
			`{"window":{"start":"2026-01-01","end":"2026-09-30"}}`,
			`{"window":{"asof":"2026-06-30"}}`,
			`{"tiers":{"cuts":[500,200,50]}}`,
			`{"lifecycle":{"new_days":60,"churn_days":120}}`,
			`{"tags":[{"name":"weekender","when":[{"field":"weekend_share","min":0.5}]},{"name":"gappy","when":[{"field":"median_gap","min":30}]}]}`,
			`{"segments":{"scheme":"custom","custom":{"name":"mine","rules":[{"name":"lapsed","when":[{"field":"recency","min":90}]},{"name":"steady","when":[{"field":"last_gap","max":45},{"field":"orders","min":3}]}],"default":"rest"}}}`,
			`{"predict":{"enabled":true}}`,
			`{"rfm":{"r":{"method":"quantile","levels":5}}}`,
		) + ",")
	}
	switch {
	case odd(10):
	case wild:
		b.WriteString(`"customer_id":` + pick(`"c1"`, `"test7"`, `"demo_x"`, `"x_demo"`, `"1.5E+10"`, `" c1"`, `"c\t1"`,
			`"c\"1"`, `""`, `42`, `"9.9e+12"`) + ",")
	default:
		b.WriteString(`"customer_id":` + pick(`"c1"`, `"C-42"`, `"user@example.com"`, `"客户7"`, `"VIP-1"`, `"123456789012"`, `"vip_9"`) + ",")
	}
	if odd(15) {
		b.WriteString(`"date_format":"ymd",`)
	}
	keys := [][2]string{{"date", "amount"}, {"order_date", "amount"}, {"amount", "date"}, {"日期", "金额"},
		{"date", "total"}, {"created_at", "total_price"}, {"date", "price"}, {"date", "customer_id"}, {"day", "value"}}
	k := keys[0]
	switch {
	case wild && r.IntN(2) == 0:
		k = keys[r.IntN(len(keys))]
	case r.IntN(3) == 0:
		k = keys[r.IntN(5)] // the two roles under other names
	}
	orderKey, orderAt := "", 0 // an order id field, first or last
	if r.IntN(3) == 0 {
		orderKey, orderAt = pick("order_id", "订单号", "order_no"), 2*r.IntN(2)
	}
	b.WriteString(`"orders":[`)
	n := 1 + r.IntN(9)
	oddRow := -1 // in a body otherwise of the lone shape, one row with an odd amount
	if !wild && r.IntN(4) == 0 {
		oddRow = r.IntN(n)
	}
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		d := asOf - 1 - r.IntN(400)
		if r.IntN(12) == 0 {
			d = asOf + r.IntN(30) // on or after the as-of date
		}
		if i > 0 && r.IntN(4) == 0 {
			d = asOf - 1 - r.IntN(3) // repeats a recent day
		}
		if r.IntN(20) == 0 {
			d = asOf - 4000 - r.IntN(8000) // years before the others
		}
		date := fmt.Sprintf("%q", day(d))
		switch wildCase(r, wild, 40) {
		case 0:
			date = `"2026/10/01"`
		case 1:
			date = `"2026-02-30"`
		case 2:
			date = `1790000000`
		case 3:
			date = `""`
		}
		amount := pick(`120`, `80.5`, `19.99`, `0`, `-25`, `"45.60"`, `"bad"`, `1e2`, `12.345`, `"¥88"`, `"1,234.50"`,
			`""`, `" 7 "`, `3000`, `999999999999`, `"-0.01"`, `"12,5"`)
		if odd(8) || i == oddRow {
			amount = pick(`null`, `true`, `{}`, `"a\"b"`, `"`+strings.Repeat("9", 90)+`"`, strings.Repeat("9", 85), `"`+strings.Repeat("x", 81)+`"`)
		}
		row := [2]string{date, amount}
		if k[0] == "amount" {
			row = [2]string{amount, date}
		}
		if orderKey != "" {
			id := pick(`"A1"`, `"A2"`, `"A3"`, `1001`, `1002`, `"SO-7"`) // repeats: lines of one order
			if odd(6) || (i == oddRow && r.IntN(2) == 0) {
				id = pick(`"C1002"`, `"c55"`, `""`, `" A1"`, `"=\"7\""`, `"1.2E+5"`, `null`)
			}
			pairs := []string{fmt.Sprintf(`%q:%s`, k[0], row[0]), fmt.Sprintf(`%q:%s`, k[1], row[1])}
			pairs = slices.Insert(pairs, orderAt, fmt.Sprintf(`%q:%s`, orderKey, id))
			b.WriteString("{" + strings.Join(pairs, ",") + "}")
			continue
		}
		switch wildCase(r, wild, 40) {
		case 0:
			fmt.Fprintf(&b, `{%q:%s}`, k[0], row[0])
		case 1:
			fmt.Fprintf(&b, `{%q:%s,%q:%s,"note":"x"}`, k[0], row[0], k[1], row[1])
		case 2:
			fmt.Fprintf(&b, `{%q:%s,%q:%s}`, k[1], row[1], k[0], row[0])
		case 3:
			b.WriteString(`[1,2]`)
		default:
			fmt.Fprintf(&b, `{%q:%s,%q:%s}`, k[0], row[0], k[1], row[1])
		}
	}
	b.WriteString("]}")
	return b.String()
}

// wildCase returns r.IntN(n) for a wild body, else n: the cases below n
// are the odd ones.
func wildCase(r *rand.Rand, wild bool, n int) int {
	if !wild {
		return n
	}
	return r.IntN(n)
}

// day formats a day number as YYYY-MM-DD.
func day(d int) string { return calendar.Format(int32(d)) }

// TestLoneMatchesEngine scores generated one-customer requests with and
// without the lone path: the answers must be the same bytes, and the lone
// path must answer most of them.
func TestLoneMatchesEngine(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 4000
	taken := 0
	for range n {
		if scoreBoth(t, loneBody(r)) {
			taken++
		}
		if t.Failed() {
			break
		}
	}
	if taken < n/3 {
		t.Errorf("the lone path answered %d of %d requests", taken, n)
	}
	t.Logf("the lone path answered %d of %d requests", taken, n)
	// The fuzz seeds are requests the lone path must answer.
	must := []string{oneCustomer, strings.Replace(oneCustomer, `"asof":"2026-11-01",`, "", 1)}
	seeds, _ := filepath.Glob("testdata/fuzz/FuzzLone/*")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		_, lit, _ := strings.Cut(strings.TrimSpace(string(b)), "\n[]byte(")
		body, err := strconv.Unquote(strings.TrimSuffix(lit, ")"))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		must = append(must, body)
	}
	if len(seeds) < 3 {
		t.Errorf("%d fuzz seeds in testdata/fuzz/FuzzLone", len(seeds))
	}
	for _, body := range must {
		if !scoreBoth(t, body) {
			t.Errorf("the lone path did not answer %s", body)
		}
	}
	// At the row limit and one past it (an error either way).
	for _, n := range []int{testLimits.Rows, testLimits.Rows + 1} {
		rows := strings.Repeat(`{"date":"2026-10-01","amount":5},`, n)
		if took := scoreBoth(t, `{"customer_id":"c1","orders":[`+rows[:len(rows)-1]+`]}`); took != (n <= testLimits.Rows) {
			t.Errorf("%d rows: the lone path answered: %v", n, took)
		}
	}
}

// FuzzLone compares the lone path with the engine on any body.
func FuzzLone(f *testing.F) {
	f.Add([]byte(oneCustomer))
	r := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		f.Add([]byte(loneBody(r)))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		scoreBoth(t, string(body))
	})
}
