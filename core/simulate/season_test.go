package simulate

import (
	"testing"

	"segsim/core/calendar"
	"segsim/core/lifecycle"
)

// handSeries is 13 complete months, 2023-01 to 2024-01, and 2024-02 cut
// short after 10 days. New customers: 100 in January 2023, 50 in January
// 2024, 10 in the other months (999 in the cut-short February, left
// out). The base is 100 from February 2023 (0 in the first month); 10
// of it come back each month but December (40) and January 2024 (20)
// (and 999 new ones in the cut-short month, left out).
func handSeries() []lifecycle.Month {
	var s []lifecycle.Month
	for k := range 14 {
		y, m := 2023+k/12, k%12+1
		mo := lifecycle.Month{Month: calendar.Format(calendar.FromCivil(y, m, 1))[:7], Days: calendar.DaysIn(y, m), NewBuyers: 10, Base: 100, ReturningBuyers: 10}
		switch k {
		case 0:
			mo.NewBuyers, mo.Base, mo.ReturningBuyers = 100, 0, 0
		case 11:
			mo.ReturningBuyers = 40
		case 12:
			mo.NewBuyers, mo.ReturningBuyers = 50, 20
		case 13:
			mo.Days, mo.NewBuyers = 10, 999
		}
		s = append(s, mo)
	}
	return s
}

// TestSeasonByHand: the new customers are January (100 + 50) / 2 = 75
// and 10 in every other month. The one block of 12 complete months is
// February 2023 to January 2024 (January 2023, the 13th month back, is
// left over): shares of the base 0.1 ten times, December 0.4, January
// 0.2, mean 1.6 / 12; the index is December 3, January 1.5, the others
// 0.75.
func TestSeasonByHand(t *testing.T) {
	s := NewSeason(handSeries())
	if s.Months != 13 || !s.Seasonal() {
		t.Fatalf("months %d", s.Months)
	}
	near(t, "new January", s.New[0], 75)
	near(t, "new February", s.New[1], 10)
	near(t, "new July", s.New[6], 10)
	near(t, "buyers December", s.Buyers[11], 3)
	near(t, "buyers January", s.Buyers[0], 1.5)
	near(t, "buyers June", s.Buyers[5], .75)
	if short := NewSeason(handSeries()[2:]); short.Months != 11 || short.Seasonal() || short.Buyers[5] != 1 {
		t.Errorf("11 months: %+v", short)
	}
}

// TestProjectCalendarByHand projects TestMigrateAndProject's matrix (P =
// [[.5 .5] [0 1]], now [2 2], all new customers entering x, buy rates
// [1 .5], spend [.6 .5]) from 2024-01-01 in 31-day periods with the hand
// series' season. The base period is December 2023 (index 3).
//
// Period 1 is January 2024: inflow 75; factor 1.5 / 3 = 0.5. Carried
// over: [2 2]·P = [1 3], active 1 + 1.5 = 2.5 → 1.25, GMV 0.6 + 0.75 =
// 1.35 → 0.675; the 75 new customers add 75 active and 45 GMV: 76.25 and
// 45.675.
//
// Period 2 is 2024-02-01 to 2024-03-02: 29 days of February's 10 over
// 29 days and 2 of March's 10 over 31, inflow 10 + 20/31; factor
// 0.75 / 3 = 0.25.
func TestProjectCalendarByHand(t *testing.T) {
	m := handMatrix(t)
	cal := &Calendar{AsOf: calendar.FromCivil(2024, 1, 1), PeriodDays: 31, Season: NewSeason(handSeries())}
	pr, err := m.Project(2, -1, nil, cal, nil)
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := pr.Periods[0], pr.Periods[1]
	near(t, "inflow 1", p1.Inflow, 75)
	near(t, "factor 1", p1.Factor, .5)
	near(t, "n[x] 1", p1.Customers[0], 76)
	near(t, "n[y] 1", p1.Customers[1], 3)
	near(t, "active 1", p1.Active, 76.25)
	near(t, "gmv 1", p1.GMV, 45.675)
	near(t, "inflow 2", p2.Inflow, 10+20.0/31)
	near(t, "factor 2", p2.Factor, .25)
	near(t, "mean inflow", pr.Inflow, (75+10+20.0/31)/2)
	if p1.Start != "2024-01-01" || p1.End != "2024-01-31" || p2.Start != "2024-02-01" || p2.End != "2024-03-02" {
		t.Errorf("periods %s..%s, %s..%s", p1.Start, p1.End, p2.Start, p2.End)
	}
	if pr.InflowBasis != "calendar" || !pr.Seasonal || pr.Months != 13 || len(pr.Notes) != 2 || pr.Notes[0].Code != "inflow_calendar" || pr.Notes[1].Code != "activity_calendar" {
		t.Errorf("basis %q seasonal %v months %d notes %v", pr.InflowBasis, pr.Seasonal, pr.Months, pr.Notes)
	}

	// A number set holds the inflow; activity still follows the calendar.
	pr, _ = m.Project(1, 7, nil, cal, pr)
	near(t, "set inflow", pr.Periods[0].Inflow, 7)
	near(t, "set factor", pr.Periods[0].Factor, .5)
	if pr.InflowBasis != "set" || pr.Notes[0].Code != "inflow_set" || pr.Notes[1].Code != "activity_calendar" {
		t.Errorf("set: basis %q notes %v", pr.InflowBasis, pr.Notes)
	}

	// Less than a year of data: the last period's inflow (1) and rates,
	// said plainly.
	short := &Calendar{AsOf: cal.AsOf, PeriodDays: 31, Season: NewSeason(handSeries()[3:])}
	pr, _ = m.Project(1, -1, nil, short, pr)
	near(t, "short inflow", pr.Periods[0].Inflow, 1)
	near(t, "short active", pr.Periods[0].Active, 3.5) // as TestMigrateAndProject
	near(t, "short gmv", pr.Periods[0].GMV, 1.95)
	if pr.InflowBasis != "last_period" || pr.Seasonal || len(pr.Notes) != 2 || pr.Notes[1] != (Note{Code: "short_history", N: 10}) {
		t.Errorf("short: basis %q notes %v", pr.InflowBasis, pr.Notes)
	}
	if got := pr.Notes[1].Text(); got != "the data covers 10 complete months, less than a year: no month-of-year pattern can be measured, so activity is held at the last period's rates with no seasonality" {
		t.Errorf("note text %q", got)
	}
}
