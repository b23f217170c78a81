package gen

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// springFestival holds the first day of the lunar new year (Chinese New
// Year) by Gregorian year. Years outside the table get no Spring Festival
// effect.
var springFestival = map[int]string{
	2015: "2015-02-19", 2016: "2016-02-08", 2017: "2017-01-28", 2018: "2018-02-16",
	2019: "2019-02-05", 2020: "2020-01-25", 2021: "2021-02-12", 2022: "2022-02-01",
	2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17",
	2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13", 2030: "2030-02-03",
	2031: "2031-01-23", 2032: "2032-02-11", 2033: "2033-01-31", 2034: "2034-02-19",
	2035: "2035-02-08",
}

// festivalBoost returns the raw multiplier of the Chinese shopping
// festivals on a date (1 on ordinary days): the 618 mid-year sale, Double
// 11 with its pre-sale weeks, and Double 12.
func festivalBoost(m time.Month, d int) float64 {
	switch {
	case m == time.June && d == 18:
		return 4
	case m == time.June && (d == 16 || d == 17):
		return 1.8
	case m == time.June && (d <= 15 || d == 19 || d == 20):
		return 1.3
	case m == time.November && d == 11:
		return 6
	case m == time.November && d == 10:
		return 2
	case m == time.November && d == 12:
		return 1.5
	case m == time.November && d < 10:
		return 1.4
	case m == time.October && d >= 20:
		return 1.2
	case m == time.December && d == 12:
		return 2.5
	case m == time.December && (d == 11 || d == 13):
		return 1.3
	}
	return 1
}

// springFactor returns the Spring Festival effect on a date: a dip from
// three days before to six days after the new year (couriers and shops
// close) and, when stockUp > 1, a stock-up in the three weeks before.
func springFactor(date time.Time, stockUp float64) float64 {
	s, ok := springFestival[date.Year()]
	if !ok {
		return 1
	}
	ny, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 1
	}
	off := int(date.Sub(ny).Hours() / 24)
	switch {
	case off >= -3 && off <= 6:
		return 0.45
	case off >= -21 && off < -3:
		return stockUp
	}
	return 1
}

// calendar turns the industry's seasonality into day-level intensities
// over the generated span and maps continuous time (days since Start)
// to dates and clock times.
type calendar struct {
	days     int
	purchase intensity // per-customer purchase intensity, mean 1 per day
	acquire  intensity // new-customer intensity (shape only; scaled later)
	promo    []bool    // festival days: more and larger coupons
	hourCDF  [25]float64
	dates    [][]byte // "YYYY-MM-DD" per day
	compact  [][]byte // "YYYYMMDD" per day
}

// newCalendar builds the calendar for days days from start. Burst days
// (big live-stream sessions) are drawn from rng.
func newCalendar(p *profile, start time.Time, days int, rng *rand.Rand) *calendar {
	c := &calendar{days: days, promo: make([]bool, days)}
	mult := make([]float64, days)
	acq := make([]float64, days)
	c.dates = make([][]byte, days)
	c.compact = make([][]byte, days)
	for i := range days {
		date := start.AddDate(0, 0, i)
		boost := festivalBoost(date.Month(), date.Day())
		c.promo[i] = boost > 1.25
		m := p.months[date.Month()-1] * p.weekdays[date.Weekday()] *
			(1 + p.festival*(boost-1)) * springFactor(date, p.stockUp)
		if p.burstDayProb > 0 && rng.Float64() < p.burstDayProb {
			m *= p.burstMult
		}
		mult[i] = m
		// Festivals bring new customers too; acquisition grows over the span.
		acq[i] = m * (0.8 + 0.4*float64(i)/float64(days))
		c.dates[i] = date.AppendFormat(nil, time.DateOnly)
		c.compact[i] = date.AppendFormat(nil, "20060102")
	}
	normalize(mult, float64(days))
	c.purchase = newIntensity(mult)
	c.acquire = newIntensity(acq)
	sum := 0.0
	for _, w := range p.hours {
		sum += w
	}
	for h, w := range p.hours {
		c.hourCDF[h+1] = c.hourCDF[h] + w/sum
	}
	c.hourCDF[24] = 1
	return c
}

// normalize scales xs so that they sum to total.
func normalize(xs []float64, total float64) {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	for i := range xs {
		xs[i] *= total / sum
	}
}

// clock maps continuous time t (days since start, 0 <= t < days) to a day
// index and a second of that day. The fraction of the day is sent through
// the inverse of the hour-of-day distribution, which is monotone, so
// events that are in order stay in order.
func (c *calendar) clock(t float64) (day, sec int) {
	day = int(t)
	frac := t - float64(day)
	h := sort.SearchFloat64s(c.hourCDF[:], frac)
	if h > 0 && (h == 25 || c.hourCDF[h] > frac) {
		h--
	}
	if h > 23 {
		h = 23
	}
	width := c.hourCDF[h+1] - c.hourCDF[h]
	within := 0.0
	if width > 0 {
		within = (frac - c.hourCDF[h]) / width
	}
	sec = h*3600 + int(within*3600)
	return day, min(max(sec, 0), 86399)
}

// intensity is a piecewise-constant rate per day with its running
// integral, used to move along a non-homogeneous Poisson process by time
// change: the next event after t is at Λ⁻¹(Λ(t) + E) with E ~ Exp(1)/rate.
type intensity struct {
	rate []float64
	cum  []float64 // cum[d] = integral of rate over [0, d)
}

// newIntensity returns the intensity with the given daily rates.
func newIntensity(rate []float64) intensity {
	cum := make([]float64, len(rate)+1)
	for i, r := range rate {
		cum[i+1] = cum[i] + r
	}
	return intensity{rate: rate, cum: cum}
}

// total returns the integral of the rate over the whole span.
func (in intensity) total() float64 { return in.cum[len(in.rate)] }

// at returns Λ(t).
func (in intensity) at(t float64) float64 {
	d := int(t)
	if d >= len(in.rate) {
		return in.total()
	}
	return in.cum[d] + in.rate[d]*(t-float64(d))
}

// inverse returns the time t with Λ(t) = l, or +Inf when l is past the
// end of the span.
func (in intensity) inverse(l float64) float64 {
	if l >= in.total() {
		return math.Inf(1)
	}
	// Largest d with cum[d] <= l.
	d := sort.SearchFloat64s(in.cum, l)
	if d == len(in.cum) || in.cum[d] > l {
		d--
	}
	d = min(max(d, 0), len(in.rate)-1)
	t := float64(d) + (l-in.cum[d])/in.rate[d]
	return min(t, math.Nextafter(float64(d+1), 0))
}

// advance returns the time after t at which the integrated rate has grown
// by units, never earlier than t; +Inf when that is past the span.
func (in intensity) advance(t, units float64) float64 {
	next := in.inverse(in.at(t) + units)
	return max(next, t)
}
