package simulate

import (
	"strconv"
	"strings"

	"segsim/core/calendar"
	"segsim/core/lifecycle"
)

// SeasonMonths is the number of complete calendar months of data a
// projection needs to follow the calendar: one of each month of the year.
const SeasonMonths = 12

// Season is the month-of-year profile of a data set, measured from its
// buyer series (lifecycle.BuyerSeries) over the complete calendar months
// (every day before the as-of date; the month of the first order counts
// as complete, since an export starts where the shop's data starts):
//
//   - New[m] is the mean number of new customers in calendar month m
//     (0 = January) over the years observed.
//   - Buyers[m] is month m's index of repurchase: the share of the base
//     (customers who first bought before the month) who bought in it,
//     over the mean share of its 12-month block. Blocks are taken back
//     from the last complete month; a block of fewer than 12 months is
//     left out, and so is a month without a base (the first). The index
//     is averaged over the blocks; a month with no index gets 1. Dividing
//     by the block's mean takes out the slow fall of the share as the
//     base ages, which would otherwise read as a season.
//
// The index counts buyers, not revenue: a few large orders would make a
// revenue index jump from month to month, while spend per buyer moves
// little with the season.
type Season struct {
	Months int         `json:"months"` // complete calendar months observed
	New    [12]float64 `json:"new"`
	Buyers [12]float64 `json:"buyers"`
}

// NewSeason measures the profile of a buyer series.
func NewSeason(series []lifecycle.Month) Season {
	var s Season
	var newN [12]int
	var complete []lifecycle.Month
	var moy []int // month of year of complete[i]
	for _, m := range series {
		y, mo := monthOfSeries(m.Month)
		if m.Days < calendar.DaysIn(y, mo) {
			continue
		}
		complete = append(complete, m)
		moy = append(moy, mo-1)
		s.New[mo-1] += float64(m.NewBuyers)
		newN[mo-1]++
	}
	s.Months = len(complete)
	for k := range s.New {
		if newN[k] > 0 {
			s.New[k] /= float64(newN[k])
		}
	}
	var sum [12]float64
	var n [12]int
	for end := len(complete); end >= SeasonMonths; end -= SeasonMonths {
		block := complete[end-SeasonMonths : end]
		mean, used := 0.0, 0
		for _, m := range block {
			if m.Base > 0 {
				mean += float64(m.ReturningBuyers) / float64(m.Base)
				used++
			}
		}
		if mean <= 0 {
			continue
		}
		mean /= float64(used)
		for i, m := range block {
			if m.Base > 0 {
				k := moy[end-SeasonMonths+i]
				sum[k] += float64(m.ReturningBuyers) / float64(m.Base) / mean
				n[k]++
			}
		}
	}
	for k := range s.Buyers {
		s.Buyers[k] = 1
		if n[k] > 0 {
			s.Buyers[k] = sum[k] / float64(n[k])
		}
	}
	return s
}

// monthOfSeries reads a series month, YYYY-MM.
func monthOfSeries(s string) (year, month int) {
	year, _ = strconv.Atoi(s[:4])
	month, _ = strconv.Atoi(s[5:7])
	return year, month
}

// Seasonal tells whether the profile covers every month of the year.
func (s *Season) Seasonal() bool { return s.Months >= SeasonMonths }

// Calendar places a projection in time: period t covers the PeriodDays
// days from AsOf + (t−1)·PeriodDays, and the period the migration was
// measured over (the base period) the PeriodDays days before AsOf.
type Calendar struct {
	AsOf       int32
	PeriodDays int
	Season     Season
}

// NewCalendar returns the calendar of a projection from the buyer series
// up to asOf.
func NewCalendar(series []lifecycle.Month, asOf int32, periodDays int) *Calendar {
	return &Calendar{AsOf: asOf, PeriodDays: periodDays, Season: NewSeason(series)}
}

// over returns, for the days [start, end), the sum over the days of
// perDay(month of year, days in that month).
func over(start, end int32, perDay func(moy, days int) float64) float64 {
	sum := 0.0
	for d := start; d < end; d++ {
		y, m, _ := calendar.Civil(d)
		sum += perDay(m-1, calendar.DaysIn(y, m))
	}
	return sum
}

// Inflow returns the new customers expected in [start, end): each day
// brings its calendar month's mean new customers spread evenly over the
// month's days. A period of 30 days from the 1st of a 30-day month gets
// exactly that month's mean; one that straddles two months gets a share
// of each.
func (c *Calendar) Inflow(start, end int32) float64 {
	return over(start, end, func(moy, days int) float64 { return c.Season.New[moy] / float64(days) })
}

// Factor returns the mean index of repurchase over the days of [start,
// end), over its mean over the base period: how much more (above 1) or
// less the base buys than in the period the rates were measured over.
func (c *Calendar) Factor(start, end int32) float64 {
	mean := func(s, e int32) float64 {
		return over(s, e, func(moy, _ int) float64 { return c.Season.Buyers[moy] }) / float64(e-s)
	}
	base := mean(c.AsOf-int32(c.PeriodDays), c.AsOf)
	if base <= 0 {
		return 1
	}
	return mean(start, end) / base
}

// Note is something a projection says plainly about how it was made, as
// a code (a key of ProjectionNotes) with the count it names.
type Note struct {
	Code string `json:"code"`
	N    int    `json:"n,omitempty"`
}

// ProjectionNotes holds the English of each projection note code; {n}
// stands for the number of complete calendar months of data.
var ProjectionNotes = map[string]string{
	"inflow_calendar":    "inflow follows the calendar: each period's new customers are the mean of the same calendar months over the {n} complete months of data",
	"inflow_last_period": "inflow is held at the last period's new customers in every period",
	"inflow_set":         "inflow is held at the number set in every period",
	"activity_calendar":  "activity follows the calendar: the customers carried over buy at the last period's rates scaled by each month's index of repurchase against the last period's, and spend as in the last period",
	"short_history":      "the data covers {n} complete months, less than a year: no month-of-year pattern can be measured, so activity is held at the last period's rates with no seasonality",
}

// Text returns the note in English.
func (n Note) Text() string {
	return strings.ReplaceAll(ProjectionNotes[n.Code], "{n}", strconv.Itoa(n.N))
}
