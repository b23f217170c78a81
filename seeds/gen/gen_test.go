package gen

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// generate runs Generate into memory and fails the test on error.
func generate(t testing.TB, cfg Config) ([]byte, Stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := Generate(&buf, cfg)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", cfg, err)
	}
	return buf.Bytes(), st
}

func TestDeterministic(t *testing.T) {
	tests := []Config{
		{Industry: Apparel, Orders: 3000, Chinese: true},
		{Industry: Grocery, Orders: 3000},
		{Industry: Education, Orders: 3000, Seed: 7},
		{Industry: Livestream, Orders: 3000, Chinese: true, Seed: 99},
	}
	for _, cfg := range tests {
		t.Run(cfg.Industry, func(t *testing.T) {
			a, sa := generate(t, cfg)
			b, sb := generate(t, cfg)
			if !bytes.Equal(a, b) || sa != sb {
				t.Fatal("same config gave different output")
			}
			other := cfg
			other.Seed = cfg.Seed + 1
			if other.Seed == 1 { // 0 means DefaultSeed, so 1 is a real change
				other.Seed = DefaultSeed + 1
			}
			c, _ := generate(t, other)
			if bytes.Equal(a, c) {
				t.Fatal("different seed gave identical output")
			}
			if sa.Bytes != int64(len(a)) {
				t.Errorf("Stats.Bytes = %d, wrote %d", sa.Bytes, len(a))
			}
		})
	}
}

func TestDefaultSeed(t *testing.T) {
	a, _ := generate(t, Config{Industry: Grocery, Orders: 500})
	b, _ := generate(t, Config{Industry: Grocery, Orders: 500, Seed: DefaultSeed})
	if !bytes.Equal(a, b) {
		t.Fatal("Seed 0 does not mean DefaultSeed")
	}
}

func TestOrderCount(t *testing.T) {
	tests := []struct {
		industry string
		orders   int
		tol      float64
	}{
		{Apparel, 5000, 0.15},
		{Apparel, 20000, 0.10},
		{Grocery, 5000, 0.15},
		{Grocery, 20000, 0.10},
		{Education, 5000, 0.15},
		{Education, 20000, 0.10},
		{Livestream, 5000, 0.15},
		{Livestream, 20000, 0.10},
		{Grocery, 100000, 0.05},
	}
	for _, tc := range tests {
		st, err := Generate(io.Discard, Config{Industry: tc.industry, Orders: tc.orders})
		if err != nil {
			t.Fatal(err)
		}
		ratio := float64(st.Rows) / float64(tc.orders)
		if math.Abs(ratio-1) > tc.tol {
			t.Errorf("%s %d: wrote %d rows (ratio %.3f), want within ±%.0f%%",
				tc.industry, tc.orders, st.Rows, ratio, tc.tol*100)
		}
	}
}

// parsed is what the tests read back from a generated file.
type parsed struct {
	header     []string
	rows       int
	bad        [numBadKinds]int
	orders     int
	refunded   int // order rows with status refunded
	refundRows int // negative rows
	orphans    int // refund rows whose order is not in the file
	zero       int
	heavy      int
	customers  map[string]*custSummary
	orderIDs   map[string]string // order id -> customer
	days       map[string]int    // MM-DD -> good rows
	dayCount   map[string]int    // YYYY-MM-DD -> good rows
}

// custSummary is one customer's good order rows.
type custSummary struct {
	orders, heavy int
	revenue       float64
}

// parseExport reads a generated CSV with encoding/csv and checks every
// good row: parseable date and money, known channel and status, unique
// order ids, refunds pointing at an earlier order of the same customer
// and chronological order. Damaged rows are classified by kind.
func parseExport(t *testing.T, data []byte, lang int) *parsed {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	p := &parsed{
		header:    recs[0],
		customers: map[string]*custSummary{},
		orderIDs:  map[string]string{},
		days:      map[string]int{},
		dayCount:  map[string]int{},
	}
	channels := channelNames[lang][:]
	statuses := statusNames[lang][:]
	orderRe := regexp.MustCompile(`^O\d{14}$`)
	var last time.Time
	for i, rec := range recs[1:] {
		line := i + 2
		p.rows++
		if len(rec) != 7 {
			p.bad[badFieldCount]++
			continue
		}
		if rec[0] == "" {
			p.bad[badCustomer]++
			continue
		}
		when, err := time.Parse(time.DateTime, rec[2])
		if err != nil {
			p.bad[badDate]++
			continue
		}
		amount, err := strconv.ParseFloat(rec[3], 64)
		if err != nil {
			p.bad[badAmount]++
			continue
		}
		discount, err := strconv.ParseFloat(rec[4], 64)
		if err != nil || discount < 0 {
			t.Fatalf("line %d: bad discount %q", line, rec[4])
		}
		if !slices.Contains(channels, rec[5]) || !slices.Contains(statuses, rec[6]) {
			t.Fatalf("line %d: unknown channel or status in %q", line, rec)
		}
		if !orderRe.MatchString(rec[1]) || (amount >= 0 && rec[1][1:9] != when.Format("20060102")) {
			t.Fatalf("line %d: order id %q does not match date %s", line, rec[1], rec[2])
		}
		if when.Before(last) {
			t.Fatalf("line %d: %s before previous row %s", line, when, last)
		}
		last = when
		p.days[rec[2][5:10]]++
		p.dayCount[rec[2][:10]]++
		p.addRow(t, line, rec, amount, discount, rec[6] == statuses[1])
	}
	return p
}

// addRow counts one good row.
func (p *parsed) addRow(t *testing.T, line int, rec []string, amount, discount float64, refunded bool) {
	cust, id := rec[0], rec[1]
	if amount < 0 {
		p.refundRows++
		owner, ok := p.orderIDs[id]
		if !ok {
			p.orphans++ // only when the original row was damaged
		} else if owner != cust {
			t.Fatalf("line %d: refund of %s by %s, ordered by %s", line, id, cust, owner)
		}
		if !refunded || discount != 0 {
			t.Fatalf("line %d: refund row %q", line, rec)
		}
		return
	}
	if _, dup := p.orderIDs[id]; dup {
		t.Fatalf("line %d: duplicate order id %s", line, id)
	}
	p.orderIDs[id] = cust
	p.orders++
	c := p.customers[cust]
	if c == nil {
		c = &custSummary{}
		p.customers[cust] = c
	}
	c.orders++
	c.revenue += amount
	if refunded {
		p.refunded++
	}
	switch {
	case amount == 0:
		p.zero++
	case 2*discount >= amount+discount-1e-9:
		p.heavy++
		c.heavy++
	}
}

// within reports whether got lies in [lo·want, hi·want].
func within(got, want, lo, hi float64) bool { return got >= lo*want && got <= hi*want }

func TestExportContents(t *testing.T) {
	tests := []struct {
		industry string
		chinese  bool
	}{
		{Apparel, true},
		{Grocery, false},
		{Education, false},
		{Livestream, true},
	}
	for _, tc := range tests {
		t.Run(tc.industry, func(t *testing.T) {
			cfg := Config{Industry: tc.industry, Orders: 20000, Chinese: tc.chinese}
			data, st := generate(t, cfg)
			lang := 0
			if tc.chinese {
				lang = 1
			}
			p := parseExport(t, data, lang)
			checkCounts(t, p, st)
			checkRates(t, p, st, profiles[tc.industry])
			checkSpecialAccounts(t, p, st)
		})
	}
}

// checkCounts compares what was read back with the reported Stats.
func checkCounts(t *testing.T, p *parsed, st Stats) {
	t.Helper()
	got := Stats{
		Rows: p.rows, Orders: p.orders, RefundedStatus: p.refunded, RefundRows: p.refundRows,
		ZeroValue: p.zero, HeavyDiscount: p.heavy,
		BadDates: p.bad[badDate], BadCustomerIDs: p.bad[badCustomer],
		BadAmounts: p.bad[badAmount], BadFieldCounts: p.bad[badFieldCount],
	}
	got.BadRows = got.BadDates + got.BadCustomerIDs + got.BadAmounts + got.BadFieldCounts
	want := st
	want.Customers, want.Hunters, want.TestAccounts, want.TestRows = 0, 0, 0, 0
	want.Wholesale, want.WholesaleRows, want.Bytes = 0, 0, 0
	if got != want {
		t.Errorf("read back %+v\nStats     %+v", got, want)
	}
	if p.orphans > st.BadRows {
		t.Errorf("%d refund rows refer to unknown orders", p.orphans)
	}
	if n := len(p.customers); n > st.Customers || n < st.Customers-st.BadRows {
		t.Errorf("%d customers in file, Stats.Customers = %d", n, st.Customers)
	}
}

// checkRates checks each kind of dirt against the documented rates.
func checkRates(t *testing.T, p *parsed, st Stats, prof *profile) {
	t.Helper()
	orders := float64(p.orders)
	// Returns: status-only returns are statusOnlyReturn of all returns.
	if r := float64(p.refunded) / orders; !within(r, prof.returnRate*statusOnlyReturn, 0.6, 1.6) {
		t.Errorf("refunded-status share %.4f, want about %.4f", r, prof.returnRate*statusOnlyReturn)
	}
	if p.refundRows == 0 {
		t.Error("no negative refund rows")
	}
	if r := float64(p.zero) / orders; !within(r, prof.zeroRate, 0.6, 1.5) {
		t.Errorf("zero-value share %.4f, want about %.4f", r, prof.zeroRate)
	}
	if r := float64(st.Hunters) / float64(st.Customers); !within(r, prof.hunterShare, 0.5, 1.6) {
		t.Errorf("hunter share %.4f, want about %.4f", r, prof.hunterShare)
	}
	// Customers with 3+ orders nearly all heavily discounted are hunters.
	flagged := 0
	for _, c := range p.customers {
		if c.orders >= 3 && float64(c.heavy) >= 0.8*float64(c.orders) {
			flagged++
		}
	}
	if flagged == 0 || flagged > st.Hunters+2 {
		t.Errorf("%d customers look like hunters, %d hunters generated", flagged, st.Hunters)
	}
	if st.BadRows < int(numBadKinds-1) || float64(st.BadRows) > 0.002*float64(st.Rows) {
		t.Errorf("%d bad rows in %d", st.BadRows, st.Rows)
	}
	for k := badDate; k < numBadKinds; k++ {
		if p.bad[k] == 0 {
			t.Errorf("no bad rows of kind %d", k)
		}
	}
}

// checkSpecialAccounts checks the test and wholesale accounts.
func checkSpecialAccounts(t *testing.T, p *parsed, st Stats) {
	t.Helper()
	testRe := regexp.MustCompile(`(?i)test`)
	tests := 0
	var means []float64
	for id, c := range p.customers {
		if testRe.MatchString(id) {
			tests++
			continue
		}
		means = append(means, c.revenue/float64(c.orders))
	}
	if tests < 2 || tests != st.TestAccounts {
		t.Errorf("%d test accounts in file, %d generated", tests, st.TestAccounts)
	}
	sort.Float64s(means)
	median := means[len(means)/2]
	big := 0
	for id, c := range p.customers {
		if !testRe.MatchString(id) && c.orders >= 20 && c.revenue/float64(c.orders) > 10*median {
			big++
		}
	}
	if st.Wholesale < 2 || big < st.Wholesale {
		t.Errorf("%d wholesale-looking customers, %d wholesale generated", big, st.Wholesale)
	}
	if share := float64(st.WholesaleRows) / float64(st.Rows); share < 0.005 || share > 0.05 {
		t.Errorf("wholesale row share %.4f", share)
	}
}

func TestHeaders(t *testing.T) {
	for _, zh := range []bool{false, true} {
		data, _ := generate(t, Config{Industry: Livestream, Orders: 300, Chinese: zh})
		first, _, _ := strings.Cut(string(data), "\n")
		want := strings.Join(HeaderEN, ",")
		if zh {
			want = "会员ID,订单号,下单时间,实付金额,优惠金额,渠道,订单状态"
		}
		if first != want {
			t.Errorf("Chinese=%v: header %q, want %q", zh, first, want)
		}
		hasZH := strings.Contains(string(data), "已支付") && strings.Contains(string(data), "直播间")
		if hasZH != zh {
			t.Errorf("Chinese=%v: Chinese values present = %v", zh, hasZH)
		}
	}
}

func TestSeasonality(t *testing.T) {
	data, _ := generate(t, Config{Industry: Apparel, Orders: 30000})
	p := parseExport(t, data, 0)
	mean := float64(p.orders+p.refundRows) / float64(len(p.dayCount))
	for _, day := range []string{"2024-11-11", "2025-11-11", "2025-06-18"} {
		if n := float64(p.dayCount[day]); n < 3*mean {
			t.Errorf("%s: %v rows, want a festival spike over 3× the mean %.1f", day, n, mean)
		}
	}
	// Spring Festival 2025 began on January 29.
	dip := 0
	for d := 29; d <= 31; d++ {
		dip += p.dayCount["2025-01-"+strconv.Itoa(d)]
	}
	if float64(dip)/3 > 0.7*mean {
		t.Errorf("Spring Festival: %.1f rows a day, want a dip below the mean %.1f", float64(dip)/3, mean)
	}
}

func TestConfigErrors(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name string
		cfg  Config
		want error
	}{
		{"unknown industry", Config{Industry: "toys"}, ErrIndustry},
		{"empty industry", Config{}, ErrIndustry},
		{"negative orders", Config{Industry: Apparel, Orders: -1}, ErrConfig},
		{"end before start", Config{Industry: Apparel, Start: day("2025-02-01"), End: day("2025-01-01")}, ErrConfig},
	}
	for _, tc := range tests {
		if _, err := Generate(io.Discard, tc.cfg); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestCustomSpan(t *testing.T) {
	start, end := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 3, 31, 0, 0, 0, 0, time.UTC)
	data, _ := generate(t, Config{Industry: Grocery, Orders: 2000, Start: start, End: end})
	p := parseExport(t, data, 0)
	for day := range p.dayCount {
		if day < "2023-01-01" || day > "2023-03-31" {
			t.Fatalf("row dated %s outside the span", day)
		}
	}
}

// failWriter fails every write.
type failWriter struct{}

var errDisk = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errDisk }

func TestWriteError(t *testing.T) {
	_, err := Generate(failWriter{}, Config{Industry: Apparel, Orders: 5000})
	if !errors.Is(err, errDisk) {
		t.Fatalf("err = %v, want wrapped %v", err, errDisk)
	}
}

func TestIntensityInverse(t *testing.T) {
	in := newIntensity([]float64{1, 3, 0.5, 2})
	for _, tt := range []float64{0, 0.25, 1, 1.5, 2.9, 3.99} {
		if got := in.inverse(in.at(tt)); math.Abs(got-tt) > 1e-9 {
			t.Errorf("inverse(at(%v)) = %v", tt, got)
		}
	}
	if !math.IsInf(in.inverse(in.total()), 1) {
		t.Error("inverse past the end is not +Inf")
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, ind := range Industries() {
		b.Run(ind, func(b *testing.B) {
			rows := 0
			for b.Loop() {
				st, err := Generate(io.Discard, Config{Industry: ind, Orders: 100000})
				if err != nil {
					b.Fatal(err)
				}
				rows += st.Rows
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
