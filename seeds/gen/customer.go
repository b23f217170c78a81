package gen

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// kind is the sort of account behind a customer id.
type kind uint8

const (
	kindNormal    kind = iota
	kindHunter         // coupon/reward hunter: almost every order heavily discounted
	kindWholesale      // reseller or company buyer: many huge orders, never drops out
	kindTest           // internal test account: a burst of tiny orders, then silence
)

// Behaviour constants of the special accounts and of returns. They are
// documented in the package comment.
const (
	hunterRateMult   = 1.5  // hunters buy more often …
	hunterSpendMult  = 0.6  // … and cheaper baskets
	hunterHeavyShare = 0.92 // share of a hunter's orders with discount >= 50%
	ordinaryHeavy    = 0.01 // share of ordinary orders with a big (>= 50%) coupon
	preferredChannel = 0.7  // share of orders placed in the customer's own channel
	statusOnlyReturn = 0.55 // returns shown only as status refunded; the rest get a refund row
	partialRefund    = 0.25 // refund rows that give back only part of the amount

	wholesalePerRow    = 1.0 / 20000 // wholesale accounts per row
	wholesaleRowShare  = 0.015       // target share of rows from wholesale accounts
	wholesaleSpendMult = 40          // wholesale mean order value over the population mean
	wholesaleArrival   = 0.3         // wholesale accounts arrive in the first 30% of the span

	testOrdersPerDay = 2  // order rate of a test account while it is active
	testMaxWindow    = 10 // days a test account stays active, at most
)

// customer is the per-customer state kept while the customer is alive.
type customer struct {
	id        string
	kind      kind
	lambda    float64 // purchases per day at seasonal level 1
	p         float64 // dropout probability after each repeat purchase
	meanList  float64 // mean list value of an order, yuan
	channel   int     // preferred channel
	until     float64 // last moment of activity (test accounts), else +Inf
	orders    int     // orders placed so far
	lastPrice int64   // previous list price in cents (education renewals)
}

// sampler draws the random quantities of the simulation from one PCG
// stream, so that output depends only on the seed and the call order.
type sampler struct {
	prof *profile
	src  rand.Source
	rng  *rand.Rand
	chCD [numChannels]float64 // cumulative channel weights
}

// newSampler returns a sampler for prof on the PCG stream (seed, stream).
func newSampler(prof *profile, seed, stream uint64) *sampler {
	src := rand.NewPCG(seed, stream)
	s := &sampler{prof: prof, src: src, rng: rand.New(src)}
	sum := 0.0
	for i, w := range prof.channels {
		sum += w
		s.chCD[i] = sum
	}
	for i := range s.chCD {
		s.chCD[i] /= sum
	}
	return s
}

// gamma draws from a Gamma distribution with the given shape and mean.
func (s *sampler) gamma(shape, mean float64) float64 {
	return distuv.Gamma{Alpha: shape, Beta: shape / mean, Src: s.src}.Rand()
}

// uniform draws uniformly from [lo, hi).
func (s *sampler) uniform(lo, hi float64) float64 {
	return lo + (hi-lo)*s.rng.Float64()
}

// chance reports true with probability prob.
func (s *sampler) chance(prob float64) bool { return s.rng.Float64() < prob }

// channel draws a channel from the industry's channel mix.
func (s *sampler) channel() int {
	u := s.rng.Float64()
	for i, c := range s.chCD {
		if u < c {
			return i
		}
	}
	return numChannels - 1
}

// newCustomer draws an ordinary customer or a coupon hunter.
func (s *sampler) newCustomer() *customer {
	p := s.prof
	c := &customer{
		kind:     kindNormal,
		lambda:   distuv.Gamma{Alpha: p.r, Beta: p.alpha, Src: s.src}.Rand(),
		p:        distuv.Beta{Alpha: p.a, Beta: p.b, Src: s.src}.Rand(),
		meanList: s.gamma(p.custShape, p.meanSpend),
		channel:  s.channel(),
		until:    math.Inf(1),
	}
	if s.chance(p.hunterShare) {
		c.kind = kindHunter
		c.lambda *= hunterRateMult
		c.meanList *= hunterSpendMult
	}
	return c
}

// newWholesale draws a wholesale account buying rate times a day.
func (s *sampler) newWholesale(rate float64) *customer {
	ch := chWeb
	if s.prof.channels[chStore] > 0 && s.chance(0.5) {
		ch = chStore
	}
	return &customer{
		kind:     kindWholesale,
		lambda:   rate * s.uniform(0.5, 1.5),
		meanList: s.gamma(4, s.prof.meanSpend*wholesaleSpendMult),
		channel:  ch,
		until:    math.Inf(1),
	}
}

// newTest draws an internal test account active for a few days from t.
func (s *sampler) newTest(t float64) *customer {
	return &customer{
		kind:     kindTest,
		lambda:   testOrdersPerDay,
		meanList: 1,
		channel:  []int{chApp, chWeb}[s.rng.IntN(2)],
		until:    t + s.uniform(1, testMaxWindow),
	}
}

// next returns the time of c's next purchase after t on the calendar's
// seasonal clock, or +Inf when there is none within the span.
func (s *sampler) next(cal *calendar, c *customer, t float64) float64 {
	if c.kind == kindTest { // tests ignore seasons
		next := t + s.rng.ExpFloat64()/c.lambda
		if next >= c.until || next >= float64(cal.days) {
			return math.Inf(1)
		}
		return next
	}
	return cal.purchase.advance(t, s.rng.ExpFloat64()/c.lambda)
}

// dropsOut reports whether c becomes inactive after the purchase just
// made. As in BG/NBD, the first purchase never ends the relationship.
func (s *sampler) dropsOut(c *customer) bool {
	return c.orders > 1 && s.chance(c.p)
}

// listCents draws the list value (before discount) of c's next order.
func (s *sampler) listCents(c *customer) int64 {
	p := s.prof
	if c.kind == kindTest {
		return []int64{1, 1, 10, 100, 990}[s.rng.IntN(5)]
	}
	if p.pricePoints != nil && c.kind != kindWholesale {
		if c.lastPrice > 0 && s.chance(p.renewProb) {
			return c.lastPrice // renewal of the same course
		}
		c.lastPrice = snapPrice(p.pricePoints, s.gamma(p.orderShape, c.meanList))
		return c.lastPrice
	}
	v := int64(math.Round(s.gamma(p.orderShape, c.meanList) * 100))
	if r := p.listRound; r > 1 {
		v = (v + r/2) / r * r
	}
	return max(v, 100) // nothing costs less than one yuan
}

// discountCents draws the discount on an order with the given list value.
// Hunters almost always, and ordinary customers rarely, get at least half
// off; otherwise a modest whole-yuan coupon below half the list value is
// applied with the industry's coupon rate, more often on festival days.
func (s *sampler) discountCents(c *customer, list int64, promo bool) int64 {
	switch c.kind {
	case kindTest:
		return 0
	case kindWholesale:
		return int64(math.Round(float64(list) * s.uniform(0, 0.12)))
	}
	heavy := ordinaryHeavy
	if c.kind == kindHunter {
		heavy = hunterHeavyShare
	}
	if s.chance(heavy) {
		d := int64(math.Ceil(float64(list) * s.uniform(0.5, 0.9)))
		return min(max(d, (list+1)/2), list)
	}
	rate := s.prof.couponRate
	if promo {
		rate = min(2*rate, 0.8)
	}
	if !s.chance(rate) {
		return 0
	}
	d := max(niceCoupon(float64(list)*s.uniform(0.05, 0.35)), 100)
	if 2*d >= list { // keep ordinary coupons below half the list value
		return 0
	}
	return d
}

// returnRate is the chance an order of c is returned.
func (s *sampler) returnRate(c *customer) float64 {
	switch c.kind {
	case kindTest:
		return 0.4
	case kindWholesale:
		return 0.02
	case kindHunter:
		return min(1.5*s.prof.returnRate, 0.6)
	}
	return s.prof.returnRate
}

// niceCoupon rounds a coupon value in cents the way shops print them:
// to 50 yuan from 500 yuan up, to 10 yuan from 50 yuan up, else to whole
// yuan.
func niceCoupon(cents float64) int64 {
	step := 100.0
	switch {
	case cents >= 50000:
		step = 5000
	case cents >= 5000:
		step = 1000
	}
	return int64(math.Round(cents/step) * step)
}
