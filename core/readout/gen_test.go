package readout

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// arm is one generated treatment: the segment, its action, group sizes
// and the true purchase rates of the contacted and the held out.
type arm struct {
	segment, action    string
	contacted, holdout int
	p1, p0             float64
}

// campaignArms are the generated campaign's truths: a clear uplift
// (coupon_20 in a), a small one (sms in b), a null one (edm in c), and a
// segment d that uses two actions, so that the coupon_20 and sms lines
// span two segments.
var campaignArms = []arm{
	{"a", "coupon_20", 1500, 400, 0.20, 0.08},
	{"b", "sms", 1500, 400, 0.10, 0.08},
	{"c", "edm", 1500, 400, 0.08, 0.08},
	{"d", "coupon_20", 300, 0, 0.22, 0.06},
	{"d", "sms", 300, 150, 0.09, 0.06},
}

// genCampaign writes a plan and an order export of a campaign run
// 2025-03-01 to 2025-03-14: history before it, purchases in it at the arms'
// true rates (one to three orders each), purchases after it, and unpaid
// and refunded orders that must not count.
func genCampaign(seed uint64) (plan, orders []byte) {
	rng := rand.New(rand.NewPCG(seed, 1))
	var p, o bytes.Buffer
	p.WriteString("customer_id,segment,action,holdout\n")
	o.WriteString("order_id,customer_id,order_date,amount,status\n")
	id, oid := 0, 0
	order := func(cust string, day int, status string) {
		oid++
		amt := 30 + math.Exp(4+0.6*rng.NormFloat64())
		fmt.Fprintf(&o, "O%06d,%s,2025-%02d-%02d,%.2f,%s\n", oid, cust, 1+(day-1)/28, 1+(day-1)%28, amt, status)
	}
	person := func(seg, action string, held bool, rate float64) {
		id++
		cust := fmt.Sprintf("K%05d", id)
		if held {
			action = ""
		}
		fmt.Fprintf(&p, "%s,%s,%s,%v\n", cust, seg, action, held)
		order(cust, 1+rng.IntN(56), "paid") // history (January–February)
		if rng.Float64() < rate {
			for range 1 + rng.IntN(3) {
				order(cust, 57+rng.IntN(14), "paid") // 2025-03-01 .. 03-14
			}
		}
		if rng.Float64() < 0.05 {
			order(cust, 57+rng.IntN(14), "pending") // never paid
		}
		if rng.Float64() < 0.05 {
			order(cust, 57+rng.IntN(14), "refunded")
		}
		if rng.Float64() < 0.3 {
			order(cust, 71+rng.IntN(14), "paid") // after the window
		}
	}
	for _, a := range campaignArms {
		for range a.contacted {
			person(a.segment, a.action, false, a.p1)
		}
		for range a.holdout {
			person(a.segment, a.action, true, a.p0)
		}
	}
	for range 300 {
		person("e", "", false, 0.05)
	}
	return p.Bytes(), o.Bytes()
}

var update = flag.Bool("update", false, "rewrite testdata/campaign_*.csv from the generator")

// TestGeneratedCampaign checks that testdata/campaign_*.csv are what the
// generator writes (with -update it rewrites them; testdata/reference.py
// then computes the reference readout from them with statsmodels and
// scipy, an implementation independent of this package).
func TestGeneratedCampaign(t *testing.T) {
	plan, orders := genCampaign(2025)
	for name, want := range map[string][]byte{"testdata/campaign_plan.csv": plan, "testdata/campaign_orders.csv": orders} {
		if *update {
			if err := os.WriteFile(name, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's output; run go test -run TestGeneratedCampaign -update and testdata/reference.py", name)
		}
	}
}
