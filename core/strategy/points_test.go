package strategy

import "testing"

// TestPointsByHand: 10 points per order plus 1 per yuan, one 90-yuan order
// a month earns 100 points a month; at 500 to redeem the customer redeems
// in months 5 and 10: 1,200 issued, 1,000 redeemed, 200 outstanding (2
// yuan of liability at 0.01 per point). A customer with 0.3 orders a month
// earns 30 a month and never reaches 500; with 6-month expiry, months
// 7..12 each lose the batch of six months before: 180 expired, 180 left.
func TestPointsByHand(t *testing.T) {
	p := DefaultPoints()
	r := p.Simulate([]float64{1, .3}, []float64{90, 90}, nil)
	if r.Reach != 1 || r.MedianMonths != 5 {
		t.Errorf("reach %v median %v, want 1 and 5", r.Reach, r.MedianMonths)
	}
	near(t, "issued", r.Issued, 1200+360, 1e-9)
	near(t, "redeemed", r.Redeemed, 1000, 1e-9)
	near(t, "outstanding", r.Outstanding, 200+360, 1e-9)
	near(t, "liability", r.Liability, 5.6, 1e-9)
	near(t, "redemption cost", r.RedemptionCost, 10, 1e-9)

	p.ExpiryMonths = 6
	r = p.Simulate([]float64{.3}, []float64{90}, nil)
	near(t, "expired", r.Expired, 180, 1e-9)
	near(t, "outstanding", r.Outstanding, 180, 1e-9)

	// Lowering the threshold to 300 lets the second customer redeem in month 10.
	sw := DefaultPoints().Sweep([]float64{1, .3}, []float64{90, 90}, nil, []float64{300, 500, 2000})
	if sw[0].Reach != 2 || sw[1].Reach != 1 || sw[2].Reach != 0 {
		t.Errorf("sweep reach %v %v %v, want 2 1 0", sw[0].Reach, sw[1].Reach, sw[2].Reach)
	}
}

// TestPointsWeighted: the first customer keeps buying with probability
// 0.4, the second surely. Expected: 0.4 customers reach the threshold (of
// 2: a share of 0.2), 0.4 × 1,200 + 360 = 840 points issued, 0.4 × 1,000
// = 400 redeemed, 0.4 × 200 + 360 = 440 outstanding. A customer who
// surely stops counts for nothing.
func TestPointsWeighted(t *testing.T) {
	r := DefaultPoints().Simulate([]float64{1, .3, 5}, []float64{90, 90, 90}, []float64{.4, 1, 0})
	near(t, "reach", r.Reach, .4, 1e-12)
	near(t, "reach share", r.ReachShare, .4/3, 1e-12)
	near(t, "issued", r.Issued, 840, 1e-9)
	near(t, "redeemed", r.Redeemed, 400, 1e-9)
	near(t, "outstanding", r.Outstanding, 440, 1e-9)
	if r.MedianMonths != 5 {
		t.Errorf("median %v, want 5", r.MedianMonths)
	}
}

// TestWeightedMedian: half the weight is passed in month 5 (0.2 + 0.5 of
// 1); with equal weights the median of 3 and 7 is 5; of 3, 7, 8 it is 7.
func TestWeightedMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []weighted
		want float64
	}{
		{[]weighted{{9, .3}, {2, .2}, {5, .5}}, 5},
		{[]weighted{{7, 1}, {3, 1}}, 5},
		{[]weighted{{7, 1}, {3, 1}, {8, 1}}, 7},
		{[]weighted{{4, .25}}, 4},
		{nil, 0},
	} {
		if got := weightedMedian(c.xs); got != c.want {
			t.Errorf("weightedMedian(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}
