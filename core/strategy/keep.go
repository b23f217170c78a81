package strategy

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/summary"
)

// Keep is each customer's probability of going on buying over a points
// what-if's horizon, and where it comes from. A what-if that assumes
// everyone keeps their pace counts churned customers as if they were
// still buying.
type Keep struct {
	// Basis is "p_alive" (the purchase model's probability that the
	// customer is alive), "repurchase" (the observed repurchase rate of
	// customers of similar recency), "none" (the history is too short to
	// measure it) or "no_history" (the data has no order history); with
	// the last two everyone keeps their pace.
	Basis string `json:"basis"`
	// Model names the purchase model behind p_alive.
	Model string `json:"model,omitempty"`
	// For "repurchase": Cut is the day the history is looked back from,
	// Days the days after it within which a purchase counts, and Bands
	// the rate per recency band.
	Cut   string     `json:"cut,omitempty"`
	Days  int        `json:"days,omitempty"`
	Bands []KeepBand `json:"bands,omitempty"`
	// Mean is the mean probability over the customers.
	Mean float64 `json:"mean"`
	// Prob is each customer's probability, in the order of the customer
	// table; nil with basis none.
	Prob []float64 `json:"-"`
}

// KeepBand is one recency band of the observed repurchase rate.
type KeepBand struct {
	// MaxRecency is the band's largest recency in days (0: no bound).
	MaxRecency int `json:"max_recency"`
	// Customers were in the band at the cut, and Bought of them bought
	// within Days after it; Rate = Bought / Customers. A band nobody was
	// in at the cut (Borrowed) takes the rate of the nearest band with
	// customers, the more recent first: for customers silent longer than
	// the history can follow, an upper bound.
	Customers int     `json:"customers"`
	Bought    int     `json:"bought"`
	Rate      float64 `json:"rate"`
	Borrowed  bool    `json:"borrowed,omitempty"`
	// Now counts the customers in the band at the as-of date.
	Now int `json:"now"`
}

// RecencyBands are the upper bounds, in days, of the recency bands of the
// observed repurchase rate; 0 is the open last band.
var RecencyBands = []int{30, 90, 180, 365, 0}

// minKeepDays is the shortest look-ahead that measures repurchase.
const minKeepDays = 28

// AliveKeep returns P(alive) from a purchase model as the probability of
// going on buying.
func AliveKeep(pAlive []float64, model string) Keep {
	k := Keep{Basis: "p_alive", Model: model, Prob: pAlive}
	k.Mean = mean(pAlive)
	return k
}

// ObservedKeep measures the probability of going on buying from the
// history of the sale rows of o that cleaning kept (disp), for the
// customers of t as of a day: it looks back from the cut, days before
// asOf, and gives each customer the share of the customers of the same
// recency band at the cut who bought again within days after it. When the
// history before the cut would be shorter than days, the look-ahead is
// shortened to half the history, so that the cut still sees customers of
// every recency up to it; below minKeepDays it cannot be measured, and
// the basis is none.
func ObservedKeep(o *ingest.Orders, disp []uint8, t *summary.Customers, asOf int32, days int) Keep {
	if t.Len() == 0 {
		return Keep{Basis: "none", Mean: 1}
	}
	span := int(asOf - slices.Min(t.First))
	h := min(days, span/2)
	if h < minKeepDays {
		return Keep{Basis: "none", Mean: 1}
	}
	cut := asOf - int32(h)
	nc := o.Customers.Len()
	in := make([]bool, nc)
	for _, k := range t.Key {
		in[k] = true
	}
	last := make([]int32, nc) // last sale day before the cut, -1 << 30 for none
	bought := make([]bool, nc)
	for c := range last {
		last[c] = math.MinInt32
	}
	for i, c := range o.Cust {
		d := o.Day[i]
		if disp[i] != summary.Sale || !in[c] || d >= asOf {
			continue
		}
		if d < cut {
			last[c] = max(last[c], d)
		} else {
			bought[c] = true
		}
	}
	bands := make([]KeepBand, len(RecencyBands))
	for b, r := range RecencyBands {
		bands[b].MaxRecency = r
	}
	for c, l := range last {
		if l == math.MinInt32 {
			continue
		}
		b := &bands[band(int(cut-l))]
		b.Customers++
		if bought[c] {
			b.Bought++
		}
	}
	measured := false
	for b := range bands {
		if bands[b].Customers > 0 {
			bands[b].Rate = float64(bands[b].Bought) / float64(bands[b].Customers)
			measured = true
		}
	}
	if !measured {
		return Keep{Basis: "none", Mean: 1}
	}
	for b := range bands {
		if bands[b].Customers > 0 {
			continue
		}
		bands[b].Borrowed = true
		for d := 1; d < len(bands); d++ {
			if b-d >= 0 && bands[b-d].Customers > 0 {
				bands[b].Rate = bands[b-d].Rate
				break
			}
			if b+d < len(bands) && bands[b+d].Customers > 0 {
				bands[b].Rate = bands[b+d].Rate
				break
			}
		}
	}
	k := Keep{Basis: "repurchase", Cut: calendar.Format(cut), Days: h, Bands: bands, Prob: make([]float64, t.Len())}
	for i, l := range t.Last {
		b := band(int(asOf - l))
		k.Prob[i] = bands[b].Rate
		bands[b].Now++
	}
	k.Mean = mean(k.Prob)
	return k
}

// band returns the recency band of a recency in days.
func band(recency int) int {
	for b, r := range RecencyBands {
		if r == 0 || recency <= r {
			return b
		}
	}
	return len(RecencyBands) - 1
}

// mean is the mean of xs, 0 for none.
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return stat.Mean(xs, nil)
}
