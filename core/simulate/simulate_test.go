package simulate

import (
	"math"
	"testing"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/summary"
)

func near(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

// TestMigrateAndProject: states x, y. Before: customers 0, 1 in x, 2 in y.
// After: 0 in x, 1 and 2 in y, 3 new in x; spend 1.00, 0, 0.50, 0.20.
// Counts x→x 1, x→y 1, y→y 1, so P = [[.5 .5] [0 1]]; one customer
// entered (in x). Buy rate x = 2/2 with spend (1.00 + 0.20)/2 = 0.60,
// y = 1/2 with spend 0.50. One period with the observed inflow of 1:
// n = [2 2]·P + [1 0] = [2 3]; active 2·1 + 3·0.5 = 3.5; GMV
// 2·1·0.60 + 3·0.5·0.50 = 1.95. Shifting 0.2 of x's row to stay in x
// gives [.7 .3] (y gives up 0.2·0.5/0.5).
func TestMigrateAndProject(t *testing.T) {
	m := handMatrix(t)
	near(t, "P[x][y]", m.Prob[0][1], .5)
	near(t, "P[y][y]", m.Prob[1][1], 1)
	if m.Entered[0] != 1 || m.Now[0] != 2 || m.Now[1] != 2 {
		t.Errorf("entered %v now %v", m.Entered, m.Now)
	}
	near(t, "spend x", m.Spend[0], .6)
	near(t, "buy rate y", m.BuyRate[1], .5)
	pr, err := m.Project(1, -1, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	p1 := pr.Periods[0]
	near(t, "n[x]", p1.Customers[0], 2)
	near(t, "n[y]", p1.Customers[1], 3)
	near(t, "active", p1.Active, 3.5)
	near(t, "gmv", p1.GMV, 1.95)
	p, err := m.Shifted([]Shift{{From: "x", To: "x", Delta: .2}})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "shifted x→x", p[0][0], .7)
	near(t, "shifted x→y", p[0][1], .3)
	if _, err := m.Shifted([]Shift{{From: "z", To: "x", Delta: .1}}); err == nil {
		t.Error("unknown state accepted")
	}
	// Reuse: a second projection into the same value.
	pr2, _ := m.Project(3, 0, nil, nil, pr)
	if len(pr2.Periods) != 3 || pr2.Inflow != 0 {
		t.Errorf("reprojection %+v", pr2)
	}
}

// handMatrix is TestMigrateAndProject's matrix.
func handMatrix(t *testing.T) *Matrix {
	t.Helper()
	m, err := Migrate([]string{"x", "y"},
		Snapshot{Keys: []int32{0, 1, 2}, Labels: []uint8{0, 0, 1}},
		Snapshot{Keys: []int32{0, 1, 2, 3}, Labels: []uint8{0, 1, 1, 0}, Spend: []int64{100, 0, 50, 20}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const orders = `customer_id,order_date,amount
A,2024-01-05,100
A,2024-02-10,50
B,2024-01-20,80
C,2024-02-03,60
C,2024-02-04,40
D,2024-03-20,70
B,2024-03-25,20
C,2024-04-01,30
`

func load(t *testing.T) (*ingest.Orders, []uint8, *summary.Customers) {
	t.Helper()
	o, _, err := ingest.Parse([]byte(orders), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	disp := make([]uint8, o.Len())
	return o, disp, summary.Build(o, disp, .5)
}

// TestCohorts: January brings A and B (size 2): January 2 active with
// 180, February A with 50, March B with 20, April none. February brings C:
// 100 in February, 30 in April. March brings D.
func TestCohorts(t *testing.T) {
	o, disp, c := load(t)
	tab, err := Cohorts(o, disp, c, "month")
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Cohorts) != 3 {
		t.Fatalf("%d cohorts", len(tab.Cohorts))
	}
	jan, feb := tab.Cohorts[0], tab.Cohorts[1]
	if jan.Start != "2024-01-01" || jan.Size != 2 || len(jan.Active) != 4 {
		t.Fatalf("january %+v", jan)
	}
	for k, want := range []int{2, 1, 1, 0} {
		if jan.Active[k] != want {
			t.Errorf("january active %v", jan.Active)
		}
	}
	near(t, "january retention 1", jan.Retention[1], .5)
	near(t, "january revenue 0", jan.Revenue[0], 180)
	near(t, "january revenue 2", jan.Revenue[2], 20)
	if feb.Size != 1 || feb.Active[0] != 1 || feb.Active[1] != 0 || feb.Active[2] != 1 {
		t.Errorf("february %+v", feb)
	}
	near(t, "february revenue 0", feb.Revenue[0], 100)
	wk, err := Cohorts(o, disp, c, "week")
	if err != nil {
		t.Fatal(err)
	}
	// 2024-01-05 is a Friday: its week starts Monday 2024-01-01.
	if wk.Cohorts[0].Start != "2024-01-01" {
		t.Errorf("first week %s", wk.Cohorts[0].Start)
	}
}

// TestKPI: the 30 days before 2024-04-02 are 2024-03-03..2024-04-01. D is
// a new buyer (70). With a 180-day churn window the old base is A, B, C
// (3); B (20) and C (30) buy: rate 2/3, old AOV 25; GMV = 70 + 3·(2/3)·25
// = 120. A target of 170 needs (170 − 50)/70 = 12/7 new buyers, or a
// repurchase rate of (170 − 70)/(3·25) = 4/3 (not reachable by repurchase
// alone). With a 30-day churn window B (last seen 43 days before the
// period) is reactivated: base A, C, rate 1/2, old AOV 30, reactivated 20,
// GMV still 120. Three buyers with one order each: 40 per order.
func TestKPI(t *testing.T) {
	o, disp, c := load(t)
	asOf, _ := calendar.Parse("2024-04-02")
	k := MeasureKPI(o, disp, c, asOf, 30, 180)
	near(t, "new buyers", k.NewBuyers, 1)
	near(t, "new aov", k.NewAOV, 70)
	near(t, "old base", k.OldBase, 3)
	near(t, "rate", k.RepurchaseRate, 2.0/3)
	near(t, "old aov", k.OldAOV, 25)
	near(t, "gmv", k.GMV, 120)
	near(t, "compute", k.Compute(), 120)
	nb, _ := k.NewBuyersFor(170)
	near(t, "new buyers for 170", nb, 12.0/7)
	rr, _ := k.RepurchaseRateFor(170)
	near(t, "rate for 170", rr, 4.0/3)
	near(t, "order value", k.OrderValue, 40)
	near(t, "orders per buyer", k.OrdersPerBuyer, 1)
	near(t, "second split", k.Buyers*k.OrdersPerBuyer*k.OrderValue, k.GMV)

	k = MeasureKPI(o, disp, c, asOf, 30, 30)
	near(t, "old base 30", k.OldBase, 2)
	near(t, "rate 30", k.RepurchaseRate, .5)
	near(t, "old aov 30", k.OldAOV, 30)
	near(t, "reactivated", k.Reactivated, 20)
	near(t, "compute 30", k.Compute(), 120)
	if k.Start != "2024-03-03" || k.End != "2024-04-01" {
		t.Errorf("period %s..%s", k.Start, k.End)
	}
}

// BenchmarkProject24 re-projects 24 periods over the 11 rfm11 segments
// with a campaign shift.
func BenchmarkProject24(b *testing.B) {
	const n = 11
	states := make([]string, n)
	before := Snapshot{}
	after := Snapshot{}
	for i := range states {
		states[i] = string(rune('a' + i))
	}
	for k := range int32(5000) {
		before.Keys = append(before.Keys, k)
		before.Labels = append(before.Labels, uint8(k%n))
		after.Keys = append(after.Keys, k)
		after.Labels = append(after.Labels, uint8(k*7%n))
		after.Spend = append(after.Spend, int64(k%3)*1000)
	}
	m, err := Migrate(states, before, after)
	if err != nil {
		b.Fatal(err)
	}
	shifts := []Shift{{From: "a", To: "b", Delta: .05}}
	var out *Projection
	for b.Loop() {
		if out, err = m.Project(24, 400, shifts, nil, out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e3, "µs/projection")
}
