package engine

import (
	"bytes"
	"strings"
	"testing"

	"segsim/core/ingest"
	"segsim/core/scenario"
)

// scoreCSV loads data with opt, runs sc and returns the dataset and its
// customer CSV.
func scoreCSV(t *testing.T, data []byte, opt ingest.Options, sc *scenario.Scenario) (*Dataset, []byte) {
	t.Helper()
	d, err := Load(data, opt)
	if err != nil {
		t.Fatal(err)
	}
	r, err := d.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	return d, csvOf(t, d, r)
}

// statsRoundTrip scores orders (read with opt) with sc, writes their
// stats (WriteStats), and scores those read back with opt: it returns the
// orders' customer CSV, the stats file and the stats' customer CSV.
func statsRoundTrip(t *testing.T, orders []byte, opt ingest.Options, sc *scenario.Scenario) (want, stats, got []byte) {
	t.Helper()
	d, want := scoreCSV(t, orders, opt, sc)
	var b bytes.Buffer
	if err := d.WriteStats(&b); err != nil {
		t.Fatal(err)
	}
	_, got = scoreCSV(t, b.Bytes(), opt, sc)
	return want, b.Bytes(), got
}

// firstLineDiff fails the test at the first line where got and want
// differ (in the first cols comma-separated fields of each line, all when
// cols is 0).
func firstLineDiff(t *testing.T, what string, got, want []byte, cols int) {
	t.Helper()
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	if len(gl) != len(wl) {
		t.Fatalf("%s: %d lines from stats, %d from orders", what, len(gl), len(wl))
	}
	cut := func(line string) string {
		if cols == 0 {
			return line
		}
		f := strings.SplitN(line, ",", cols+1)
		return strings.Join(f[:min(cols, len(f))], ",")
	}
	for i := range gl {
		if g, w := cut(gl[i]), cut(wl[i]); g != w {
			t.Fatalf("%s: line %d\nstats:  %s\norders: %s", what, i+1, g, w)
		}
	}
}

// TestStatsRoundTrip: each sample's orders scored, written as full stats
// (WriteStats) and read back as a stats file, give the same customer CSV
// byte for byte — with predictions too, which read each customer's repeat
// spend from repeat_revenue. With only the six basic fields, the columns
// those fields determine (id to tier) still agree.
func TestStatsRoundTrip(t *testing.T) {
	for _, name := range []string{"grocery_en.csv", "apparel_zh.csv", "livestream_zh.csv", "education_en.csv", "cdnow.csv"} {
		for _, predict := range []bool{false, true} {
			sc := scenario.Default()
			sc.Predict.Enabled = predict
			want, stats, got := statsRoundTrip(t, loadSample(t, name), ingest.Options{}, sc)
			if !ingest.IsStats(stats) {
				t.Fatalf("%s: the stats file is not recognised as stats", name)
			}
			sd, err := Load(stats, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := sd.StatsFields(); len(got) != len(ingest.StatsOptional) {
				t.Fatalf("%s: optional fields read %v", name, got)
			}
			what := name + " (predictions " + map[bool]string{false: "off", true: "on"}[predict] + ")"
			firstLineDiff(t, what, got, want, 0)
			if predict {
				continue
			}
			var six bytes.Buffer
			for _, line := range strings.SplitAfter(string(stats), "\n") {
				f := strings.SplitN(line, ",", 7)
				if len(f) == 7 {
					six.WriteString(strings.Join(f[:6], ",") + "\n")
				}
			}
			_, basic := scoreCSV(t, six.Bytes(), ingest.Options{}, sc)
			firstLineDiff(t, name+" from the six basic fields", basic, want, 12)
		}
	}
}

// TestStatsNegativeRevenue: a customer whose kept refund exceeds the sales
// kept (an export that lost a sale row) has negative net revenue; the
// stats keep it, and scoring them gives the orders' CSV.
func TestStatsNegativeRevenue(t *testing.T) {
	orders := "customer_id,order_id,date,amount\n" +
		"a,1,2024-01-05,100.00\n" +
		"a,2,2024-02-01,-150.00\n" +
		"b,3,2024-01-10,40.00\n" +
		"b,4,2024-03-01,60.00\n" +
		"c,5,2024-02-20,80.00\n"
	want, stats, got := statsRoundTrip(t, []byte(orders), ingest.Options{}, scenario.Default())
	if !strings.Contains(string(stats), "a,2024-01-05,2024-01-05,1,1,-50.00,") {
		t.Fatalf("stats:\n%s", stats)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("from stats:\n%s\nfrom orders:\n%s", got, want)
	}
}

// TestStatsCarry: columns carried from the orders are written into the
// stats, and carried from the stats into the customer CSV, as from the
// orders.
func TestStatsCarry(t *testing.T) {
	want, stats, got := statsRoundTrip(t, loadSample(t, "apparel_zh.csv"), ingest.Options{Carry: []string{"渠道"}}, scenario.Default())
	if head, _, _ := strings.Cut(string(stats), "\n"); !strings.HasSuffix(head, ",repeat_revenue,渠道") {
		t.Fatalf("stats header %q", head)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("carried through stats:\n%.400s\nthrough orders:\n%.400s", got, want)
	}
}
