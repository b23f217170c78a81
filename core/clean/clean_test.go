package clean

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/summary"
)

const orders = "customer_id,order_id,order_date,amount,discount,status\n" +
	"a,100,2024-01-01,50,0,paid\n" +
	"a,101,2024-01-02,-20,0,paid\n" + // refund line
	"a,102,2024-01-03,30,0,refunded\n" + // refunded order
	"b,103,2024-01-04,0,0,paid\n" + // zero value
	"b,104,2024-01-05,40,60,paid\n" + // heavy discount
	"b,105,2024-01-06,40,50,paid\n" +
	"TEST_1,106,2024-01-07,99,0,paid\n" +
	"c,C107,2024-01-08,-5,0,paid\n" + // UCI-style cancellation
	"c,108,2023-12-01,70,0,paid\n" // before the window

func parse(t *testing.T) *ingest.Orders {
	t.Helper()
	o, _, err := ingest.Parse([]byte(orders), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func day(s string) int32 {
	d, err := calendar.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func count(rc []RuleCount, rule string) RuleCount {
	for _, r := range rc {
		if r.Rule == rule {
			return r
		}
	}
	return RuleCount{}
}

func TestRows(t *testing.T) {
	o := parse(t)
	w := Window{Start: day("2024-01-01"), AsOf: day("2024-02-01")}
	r := Default()
	r.ZeroValue = "drop"
	disp, rc := Rows(o, r, w)
	want := []uint8{summary.Sale, summary.Adjustment, summary.Dropped, summary.Dropped, summary.Sale, summary.Sale, summary.Dropped, summary.Adjustment, summary.Dropped}
	for i := range want {
		if disp[i] != want[i] {
			t.Errorf("row %d: disposition %d, want %d", i, disp[i], want[i])
		}
	}
	checks := map[string][2]int{"window": {1, 1}, "test_accounts": {1, 1}, "returns": {3, 2}, "zero_value": {1, 1}}
	for rule, w := range checks {
		c := count(rc, rule)
		if c.Rows != w[0] || c.Customers != w[1] {
			t.Errorf("%s: %d rows %d customers, want %v", rule, c.Rows, c.Customers, w)
		}
	}
	if !strings.Contains(count(rc, "returns").Note, "C") {
		t.Errorf("returns note %q should mention C invoices", count(rc, "returns").Note)
	}
	// drop mode leaves the refund lines out instead of netting them.
	r.Returns = "drop"
	disp, _ = Rows(o, r, w)
	if disp[1] != summary.Dropped || disp[7] != summary.Dropped {
		t.Errorf("drop mode: %v", disp)
	}
	// Net revenue: a = 50 - 20 = 30.
	r.Returns = "net"
	disp, _ = Rows(o, r, w)
	tb := summary.Build(o, disp, 0.5)
	if tb.ID(0) != "a" || tb.Revenue[0] != 3000 || tb.Orders[0] != 1 || tb.Refunds[0] != 1 {
		t.Errorf("customer a: revenue %d orders %d refunds %d", tb.Revenue[0], tb.Orders[0], tb.Refunds[0])
	}
}

func TestCustomerRules(t *testing.T) {
	o := parse(t)
	w := Window{AsOf: day("2024-02-01")}
	r := Default()
	disp, _ := Rows(o, r, w)
	tb := summary.Build(o, disp, r.HunterDiscount)
	rc := Customers(tb, r)
	// b: orders 0-value (kept by default), 40+60 (60% off), 40+50 (55.6% off):
	// 2 of 3 orders heavily discounted < 80% → not a hunter with 3 orders.
	if c := count(rc, "reward_hunters"); c.Customers != 0 {
		t.Errorf("hunters %+v", c)
	}
	r.ZeroValue = "drop"
	disp, _ = Rows(o, r, w)
	tb = summary.Build(o, disp, r.HunterDiscount)
	rc = Customers(tb, r)
	if c := count(rc, "reward_hunters"); c.Customers != 1 {
		t.Errorf("hunters after dropping the zero order: %+v", c)
	}
	r.RewardHunters = "exclude"
	tb = summary.Build(o, disp, r.HunterDiscount)
	Customers(tb, r)
	for i := 0; i < tb.Len(); i++ {
		if tb.ID(i) == "b" {
			t.Error("excluded hunter still present")
		}
	}
}

func TestOutliers(t *testing.T) {
	var b strings.Builder
	b.WriteString("customer_id,order_date,amount\n")
	for i := 0; i < 99; i++ {
		b.WriteString("c")
		b.WriteString(strings.Repeat("x", i%5))
		b.WriteString(string(rune('a'+i%26)) + string(rune('a'+i/26)))
		b.WriteString(",2024-01-01,10\n")
	}
	b.WriteString("whale,2024-01-01,100000\n")
	o, _, err := ingest.Parse([]byte(b.String()), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := Default()
	r.OutlierPercentile = 99
	for _, mode := range []string{"flag", "cap", "exclude"} {
		r.Outliers = mode
		disp, _ := Rows(o, r, Window{AsOf: day("2024-02-01")})
		tb := summary.Build(o, disp, 0.5)
		c := outliers(tb, r)
		if c.Customers != 1 {
			t.Fatalf("%s: %+v", mode, c)
		}
		last := tb.Len() - 1
		switch mode {
		case "flag":
			if tb.Flags[last]&summary.FlagOutlier == 0 || tb.Revenue[last] != 10000000 {
				t.Errorf("flag: %d %d", tb.Flags[last], tb.Revenue[last])
			}
		case "cap":
			if tb.Revenue[last] != 1000 {
				t.Errorf("cap: revenue %d, want the 99th percentile 1000", tb.Revenue[last])
			}
		case "exclude":
			if tb.Len() != 99 {
				t.Errorf("exclude: %d customers", tb.Len())
			}
		}
	}
}

func TestPatterns(t *testing.T) {
	cases := []struct {
		pat, id string
		want    bool
	}{
		{"test*", "TEST-demo-02", true}, {"test*", "atest", false}, {"*test", "atest", true},
		{"*_demo*", "x_DEMO_y", true}, {"demo", "Demo", true}, {"demo", "demo1", false},
		{"t?st*", "tost9", true}, {"[ab]*", "b1", true},
	}
	for _, c := range cases {
		if got := compilePattern(c.pat).match([]byte(c.id)); got != c.want {
			t.Errorf("%q matches %q = %v", c.pat, c.id, got)
		}
	}
	r := Default()
	r.TestPatterns = []string{"[x"}
	if err := r.Validate(); err == nil || !strings.Contains(err.Error(), "clean.test_patterns") {
		t.Errorf("bad pattern: %v", err)
	}
}

// TestPatternsFold checks the patterns' quick first- and last-byte test
// against plain case folding, on ids of letters that fold across bytes
// (K and the Kelvin sign, s and the long s, é and É).
func TestPatternsFold(t *testing.T) {
	alphabet := []string{"k", "K", "\u212a", "s", "S", "\u017f", "é", "É", "_", "t", "T", "1"}
	rng := rand.New(rand.NewPCG(8, 9))
	word := func(n int) string { return randomWord(rng, alphabet, n) }
	for range 20000 {
		lit, id := strings.ToLower(word(rng.IntN(3))), word(rng.IntN(4))
		want := map[byte]bool{
			'=': strings.EqualFold(id, lit),
			'<': len(id) >= len(lit) && strings.EqualFold(id[:len(lit)], lit),
			'>': len(id) >= len(lit) && strings.EqualFold(id[len(id)-len(lit):], lit),
		}
		for kind, w := range want {
			if got := (pattern{kind: kind, lit: []byte(lit)}).match([]byte(id)); got != w {
				t.Fatalf("%c %q on %q = %v, want %v", kind, lit, id, got, w)
			}
		}
	}
}

// randomWord returns n letters of alphabet drawn by rng.
func randomWord(rng *rand.Rand, alphabet []string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(alphabet[rng.IntN(len(alphabet))])
	}
	return b.String()
}

// TestPatternsFirstLast checks a compiled list's first- and last-byte
// test against matching each pattern, on lists of every kind of pattern
// and ids of letters that fold across bytes.
func TestPatternsFirstLast(t *testing.T) {
	alphabet := []string{"k", "K", "\u212a", "é", "É", "_", "t", "T", "1", "x"}
	rng := rand.New(rand.NewPCG(10, 11))
	word := func(n int) string { return randomWord(rng, alphabet, n) }
	forms := []string{"%s", "%s*", "*%s", "*%s*", "%s?", "[kt]%s"}
	for range 3000 {
		var list []string
		for range 1 + rng.IntN(3) {
			list = append(list, fmt.Sprintf(forms[rng.IntN(len(forms))], word(rng.IntN(3))))
		}
		ps := newPatterns(list)
		for range 20 {
			id := []byte(word(rng.IntN(5)))
			want := false
			for _, p := range ps.list {
				want = want || p.match(id)
			}
			if got := ps.match(id); got != want {
				t.Fatalf("%q on %q = %v, want %v", list, id, got, want)
			}
		}
	}
}

// TestRowsHalves: Rows in two halves at once decides and counts as in one
// pass.
func TestRowsHalves(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var b strings.Builder
	b.WriteString("customer_id,order_id,date,amount,status\n")
	for i := range 5 * block {
		status := []string{"paid", "refunded", "pending", "paid"}[i%4]
		fmt.Fprintf(&b, "%s%d,o%d,2024-0%d-1%d,%d,%s\n", []string{"c", "test_"}[min(i%97, 1)^1], i%3000, i, 1+i%9, i%10, (i%50)-5, status)
	}
	o, _, err := ingest.Parse([]byte(b.String()), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, w := Default(), Window{Start: 19740, AsOf: 19960}
	one, oneCounts := Rows(o, r, w)
	runtime.GOMAXPROCS(2)
	two, twoCounts := Rows(o, r, w)
	if !slices.Equal(one, two) || !reflect.DeepEqual(oneCounts, twoCounts) {
		t.Fatalf("two halves differ from one pass:\n%+v\n%+v", oneCounts, twoCounts)
	}
	if oneCounts[1].Customers == 0 || oneCounts[2].Rows == 0 || oneCounts[0].Rows == 0 {
		t.Fatalf("the rules touched too little to tell: %+v", oneCounts)
	}
}

// TestPatternsFollowTheList: the compiled test patterns kept from the last
// call are used only for the same list, even when the caller changes its
// slice in place afterwards.
func TestPatternsFollowTheList(t *testing.T) {
	r := Default()
	r.TestPatterns = []string{"test*"}
	var w Window
	if !NewTally(r, w).Test([]byte("Test1")) {
		t.Fatal("test* does not match Test1")
	}
	r.TestPatterns[0] = "vip*" // the same slice, changed
	ta := NewTally(r, w)
	if ta.Test([]byte("Test1")) || !ta.Test([]byte("VIP2")) {
		t.Error("the patterns compiled for the old list were used")
	}
	if note := ta.Counts()[1].Note; note != "patterns vip*" {
		t.Errorf("note = %q", note)
	}
	r.TestPatterns = []string{"a*", "*b"}
	if note := NewTally(r, w).Counts()[1].Note; note != "patterns a* *b" {
		t.Errorf("note = %q", note)
	}
}

// TestRowsPlainSales: Rows tells plain sales apart without decide; every
// row must still get decide's disposition and count, and the window rule
// exactly the rows outside the window, whatever the window (open ends, an
// as-of date on a row's day, one that keeps no day), the flags, the amount
// and the test accounts.
func TestRowsPlainSales(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	const n = 3*block + 17
	for trial := range 40 {
		o := &ingest.Orders{Customers: ingest.NewDict(64)}
		for c := range 40 {
			o.Customers.Index(fmt.Appendf(nil, "%s%d", []string{"c", "test_"}[min(c%7, 1)^1], c))
		}
		if trial%2 == 0 {
			o.Order, o.DigitOrderIDs = make([]uint64, n), n
		}
		for range n {
			o.Cust = append(o.Cust, rng.Int32N(40))
			o.Day = append(o.Day, 100+rng.Int32N(20))
			o.Cents = append(o.Cents, int64(rng.IntN(7))-2)
			o.Flags = append(o.Flags, uint8(rng.IntN(2))*[]uint8{ingest.FlagUnpaid, ingest.FlagReturnStatus, ingest.FlagCInvoice}[rng.IntN(3)])
		}
		ends := []int32{0, 0, 0, 99, 100, 105, 119, 120}
		w := Window{Start: ends[rng.IntN(len(ends))], End: ends[rng.IntN(len(ends))], AsOf: 100 + rng.Int32N(22)}
		switch trial {
		case 1:
			w = Window{AsOf: math.MinInt32}
		case 3:
			w = Window{AsOf: math.MaxInt32}
		}
		r := Default()
		if trial%3 == 0 {
			r.ZeroValue, r.Returns = "drop", "drop"
		}
		if trial%4 == 1 {
			r.TestAccounts = "keep"
		}
		disp, counts := Rows(o, r, w)
		test := testAccounts(o, r)
		useC := o.Order != nil
		var rows, cust [numRowRules]int
		touched := make([]uint8, o.Customers.Len())
		sales := 0
		for i, c := range o.Cust {
			d, rule := decide(o.Day[i], o.Cents[i], o.Flags[i], test != nil && test[c], useC, rowRulesOf(r, w))
			day := o.Day[i]
			if outside := (w.Start != 0 && day < w.Start) || (w.End != 0 && day > w.End) || day >= w.AsOf; outside != (rule == ruleWindow) {
				t.Fatalf("trial %d, window %+v: day %d outside %v, but rule %d", trial, w, day, outside, rule)
			}
			if disp[i] != d {
				t.Fatalf("trial %d, window %+v: row %d (day %d, cents %d, flags %d): disposition %d, want %d", trial, w, i, o.Day[i], o.Cents[i], o.Flags[i], disp[i], d)
			}
			if rule >= 0 {
				rows[rule]++
				touched[c] |= 1 << rule
			} else {
				sales++
			}
		}
		for _, m := range touched {
			countTouched(&cust, m)
		}
		if want := rowCounts(r, rows, cust, useC); !reflect.DeepEqual(counts, want) {
			t.Fatalf("trial %d: counts %+v, want %+v", trial, counts, want)
		}
		if trial == 3 && sales == 0 {
			t.Fatal("an open window kept no plain sale: the test tells nothing")
		}
	}
}
