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
	r := p.Simulate([]float64{1, .3}, []float64{90, 90})
	if r.Reach != 1 || r.MedianMonths != 5 {
		t.Errorf("reach %d median %v, want 1 and 5", r.Reach, r.MedianMonths)
	}
	near(t, "issued", r.Issued, 1200+360, 1e-9)
	near(t, "redeemed", r.Redeemed, 1000, 1e-9)
	near(t, "outstanding", r.Outstanding, 200+360, 1e-9)
	near(t, "liability", r.Liability, 5.6, 1e-9)
	near(t, "redemption cost", r.RedemptionCost, 10, 1e-9)

	p.ExpiryMonths = 6
	r = p.Simulate([]float64{.3}, []float64{90})
	near(t, "expired", r.Expired, 180, 1e-9)
	near(t, "outstanding", r.Outstanding, 180, 1e-9)

	// Lowering the threshold to 300 lets the second customer redeem in month 10.
	sw := DefaultPoints().Sweep([]float64{1, .3}, []float64{90, 90}, []float64{300, 500, 2000})
	if sw[0].Reach != 2 || sw[1].Reach != 1 || sw[2].Reach != 0 {
		t.Errorf("sweep reach %d %d %d, want 2 1 0", sw[0].Reach, sw[1].Reach, sw[2].Reach)
	}
}
