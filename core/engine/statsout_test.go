package engine

import (
	"bytes"
	"strings"
	"testing"

	"segsim/core/ingest"
	"segsim/core/scenario"
)

// TestStatsRoundTrip: each sample's orders scored, written as full stats
// (WriteStats) and read back as a stats file, give the same customer CSV
// byte for byte — with predictions too, which read each customer's repeat
// spend from repeat_revenue. With only the six basic fields, the columns
// those fields determine still agree.
func TestStatsRoundTrip(t *testing.T) {
	for _, name := range []string{"grocery_en.csv", "apparel_zh.csv", "livestream_zh.csv", "education_en.csv", "cdnow.csv"} {
		for _, predict := range []bool{false, true} {
			d := sampleDataset(t, name)
			sc := scenario.Default()
			sc.Predict.Enabled = predict
			r, err := d.Run(sc)
			if err != nil {
				t.Fatal(err)
			}
			want := csvOf(t, d, r)
			var stats bytes.Buffer
			if err := d.WriteStats(&stats); err != nil {
				t.Fatal(err)
			}
			if !ingest.IsStats(stats.Bytes()) {
				t.Fatalf("%s: the stats file is not recognised as stats", name)
			}
			sd, err := Load(stats.Bytes(), ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := sd.StatsFields(); len(got) != len(ingest.StatsOptional) {
				t.Fatalf("%s: optional fields read %v", name, got)
			}
			sr, err := sd.Run(sc)
			if err != nil {
				t.Fatal(err)
			}
			if got := csvOf(t, sd, sr); !bytes.Equal(got, want) {
				gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
				for i := range min(len(gl), len(wl)) {
					if gl[i] != wl[i] {
						t.Fatalf("%s (predictions %v): line %d\nstats:  %s\norders: %s", name, predict, i+1, gl[i], wl[i])
					}
				}
				t.Fatalf("%s (predictions %v): %d lines from stats, %d from orders", name, predict, len(gl), len(wl))
			}
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
	d, err := Load([]byte(orders), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sc := scenario.Default()
	r, err := d.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	want := csvOf(t, d, r)
	var stats bytes.Buffer
	if err := d.WriteStats(&stats); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stats.String(), "a,2024-01-05,2024-01-05,1,1,-50.00,") {
		t.Fatalf("stats:\n%s", stats.String())
	}
	sd, err := Load(stats.Bytes(), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sr, err := sd.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	if got := csvOf(t, sd, sr); !bytes.Equal(got, want) {
		t.Fatalf("from stats:\n%s\nfrom orders:\n%s", got, want)
	}
}

// TestStatsCarry: columns carried from the orders are written into the
// stats, and carried from the stats into the customer CSV, as from the
// orders.
func TestStatsCarry(t *testing.T) {
	data := loadSample(t, "apparel_zh.csv")
	opt := ingest.Options{Carry: []string{"渠道"}}
	d, err := Load(data, opt)
	if err != nil {
		t.Fatal(err)
	}
	sc := scenario.Default()
	r, err := d.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	want := csvOf(t, d, r)
	var stats bytes.Buffer
	if err := d.WriteStats(&stats); err != nil {
		t.Fatal(err)
	}
	if head, _, _ := strings.Cut(stats.String(), "\n"); !strings.HasSuffix(head, ",repeat_revenue,渠道") {
		t.Fatalf("stats header %q", head)
	}
	sd, err := Load(stats.Bytes(), opt)
	if err != nil {
		t.Fatal(err)
	}
	sr, err := sd.Run(sc)
	if err != nil {
		t.Fatal(err)
	}
	if got := csvOf(t, sd, sr); !bytes.Equal(got, want) {
		t.Fatalf("carried through stats:\n%.400s\nthrough orders:\n%.400s", got, want)
	}
}
