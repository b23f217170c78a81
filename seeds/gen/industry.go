package gen

import (
	"fmt"
	"sort"
)

// Industry names accepted in Config.Industry.
const (
	Apparel    = "apparel"    // e-commerce apparel
	Grocery    = "grocery"    // FMCG / grocery
	Education  = "education"  // online education
	Livestream = "livestream" // live-stream shopping
)

// Industries lists the accepted industry names in a stable order.
func Industries() []string {
	return []string{Apparel, Grocery, Education, Livestream}
}

// Channel indexes; channelNames holds their spelling per language.
const (
	chApp = iota
	chWeb
	chMini
	chLive
	chStore
	numChannels
)

var channelNames = [2][numChannels]string{
	{"app", "web", "mini_program", "live", "store"},
	{"APP", "官网", "小程序", "直播间", "门店"},
}

// profile holds the parameters of one industry. Time is measured in days
// and money in yuan unless a name says cents.
type profile struct {
	// BG/NBD purchase process: purchase rate λ ~ Gamma(shape r, rate
	// alpha) per day at seasonal level 1; dropout probability after each
	// repeat purchase p ~ Beta(a, b).
	r, alpha float64
	a, b     float64

	// Gamma-Gamma spend: a customer's mean list value is Gamma with mean
	// meanSpend and shape custShape; each order's list value is Gamma
	// around that mean with shape orderShape.
	meanSpend  float64
	custShape  float64
	orderShape float64
	// listRound rounds list values to a multiple of this many cents;
	// pricePoints (yuan), when set, replaces rounding by snapping to the
	// nearest catalogue price, and renewProb repeats the previous price.
	listRound   int64
	pricePoints []float64
	renewProb   float64

	// Dirt and behaviour rates.
	returnRate  float64 // share of orders returned (status or refund row)
	zeroRate    float64 // share of orders with amount 0 (free gift, 0-yuan activity)
	couponRate  float64 // share of ordinary orders with a modest coupon
	hunterShare float64 // share of customers who are coupon/reward hunters

	// Seasonality.
	months       [12]float64 // January first
	weekdays     [7]float64  // Sunday first, as time.Weekday
	hours        [24]float64 // relative order volume by hour of day
	festival     float64     // strength of shopping-festival spikes, 1 = full
	stockUp      float64     // pre-Spring-Festival stock-up multiplier (1 = none)
	burstDayProb float64     // chance a day is a big live-stream session
	burstMult    float64     // multiplier on such a day

	channels [numChannels]float64 // channel weights
}

var profiles = map[string]*profile{
	Apparel: {
		r: 0.35, alpha: 20, a: 0.8, b: 3,
		meanSpend: 260, custShape: 3, orderShape: 3, listRound: 100,
		returnRate: 0.14, zeroRate: 0.01, couponRate: 0.25, hunterShare: 0.03,
		months:   [12]float64{1.0, 0.8, 1.05, 1.0, 0.95, 1.1, 0.85, 0.85, 1.0, 1.05, 1.3, 1.25},
		weekdays: [7]float64{1.2, 0.95, 0.95, 0.95, 1.0, 1.05, 1.25},
		hours: [24]float64{3, 1.5, 0.8, 0.5, 0.4, 0.5, 1, 2, 3.5, 5, 6, 6.5,
			6.5, 6, 5.5, 5.5, 5.5, 5.5, 6, 7, 8.5, 9.5, 9, 6},
		festival: 1, stockUp: 1,
		channels: [numChannels]float64{chApp: 35, chWeb: 15, chMini: 30, chLive: 10, chStore: 10},
	},
	Grocery: {
		r: 0.6, alpha: 12, a: 0.8, b: 3,
		meanSpend: 85, custShape: 4, orderShape: 5, listRound: 1,
		returnRate: 0.02, zeroRate: 0.02, couponRate: 0.30, hunterShare: 0.02,
		months:   [12]float64{1.2, 0.95, 1.0, 0.95, 1.0, 1.0, 0.95, 0.95, 1.0, 1.0, 1.1, 1.1},
		weekdays: [7]float64{1.25, 0.95, 0.9, 0.9, 0.95, 1.05, 1.3},
		hours: [24]float64{0.8, 0.4, 0.2, 0.2, 0.3, 1, 3, 6, 7, 5, 5, 6.5,
			6, 4, 3.5, 3.5, 4.5, 6.5, 7.5, 7, 6, 4.5, 3, 1.5},
		festival: 0.6, stockUp: 1.4,
		channels: [numChannels]float64{chApp: 40, chWeb: 5, chMini: 35, chStore: 20},
	},
	Education: {
		r: 0.35, alpha: 80, a: 1, b: 1.5,
		meanSpend: 1500, custShape: 2, orderShape: 4,
		pricePoints: []float64{99, 199, 299, 499, 799, 999, 1299, 1999, 2999, 4999, 6999, 9999},
		renewProb:   0.5,
		returnRate:  0.06, zeroRate: 0.05, couponRate: 0.20, hunterShare: 0.01,
		months:   [12]float64{1.0, 1.1, 1.15, 0.9, 0.85, 0.95, 1.3, 1.35, 1.2, 0.85, 0.9, 0.9},
		weekdays: [7]float64{0.95, 1.05, 1.05, 1.05, 1.0, 0.9, 0.95},
		hours: [24]float64{1.5, 0.6, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2.5, 3.5, 4, 4.5,
			5, 4.5, 3.5, 3.5, 3.5, 4, 5, 7, 8.5, 8.5, 6.5, 3.5},
		festival: 0.4, stockUp: 1,
		channels: [numChannels]float64{chApp: 35, chWeb: 40, chMini: 20, chLive: 5},
	},
	Livestream: {
		r: 0.4, alpha: 10, a: 1.2, b: 2.5,
		meanSpend: 130, custShape: 2.5, orderShape: 2, listRound: 10,
		returnRate: 0.28, zeroRate: 0.02, couponRate: 0.35, hunterShare: 0.05,
		months:   [12]float64{1.0, 0.8, 1.0, 1.0, 1.05, 1.2, 0.9, 0.9, 1.0, 1.1, 1.3, 1.2},
		weekdays: [7]float64{1.15, 0.95, 0.95, 0.95, 1.0, 1.1, 1.2},
		hours: [24]float64{4, 2, 1, 0.5, 0.3, 0.3, 0.5, 1, 1.5, 2, 2.5, 3,
			3, 3.5, 4, 4, 3.5, 3.5, 4, 6, 10, 13, 12, 8},
		festival: 1.6, stockUp: 1, burstDayProb: 0.08, burstMult: 3.5,
		channels: [numChannels]float64{chApp: 10, chMini: 10, chLive: 80},
	},
}

// lookupProfile returns the parameters of the named industry.
func lookupProfile(industry string) (*profile, error) {
	p, ok := profiles[industry]
	if !ok {
		return nil, fmt.Errorf("%w: %q (want one of %v)", ErrIndustry, industry, Industries())
	}
	return p, nil
}

// snapPrice returns the catalogue price (in cents) nearest to v yuan on a
// logarithmic scale; points must be sorted ascending.
func snapPrice(points []float64, v float64) int64 {
	i := sort.SearchFloat64s(points, v)
	switch {
	case i == 0:
		return int64(points[0] * 100)
	case i == len(points):
		return int64(points[len(points)-1] * 100)
	}
	lo, hi := points[i-1], points[i]
	if v*v < lo*hi { // geometric midpoint
		return int64(lo * 100)
	}
	return int64(hi * 100)
}
