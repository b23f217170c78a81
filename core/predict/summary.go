package predict

import (
	"fmt"
	"math"
)

// Unit is the length of one model time unit, in days.
type Unit float64

// Time units used by Fader and Hardie's examples.
const (
	Day  Unit = 1
	Week Unit = 7
)

// Summary holds the sufficient statistics of a cohort of customers over a
// calibration period, one entry per customer, all times in one Unit:
//
//   - Frequency x: number of repeat purchase periods, i.e. distinct purchase
//     days minus one.
//   - Recency t_x: time from the first to the last purchase (0 when x = 0).
//   - T: time from the first purchase to the end of the calibration period.
//   - Monetary: mean value of the repeat purchases, the first purchase
//     excluded (0 when x = 0). It may be nil when spend is not modelled.
//
// These are the quantities of Fader, Hardie & Lee (2005) and the frequency,
// recency, T and monetary_value columns of the lifetimes Python package.
type Summary struct {
	Frequency, Recency, T, Monetary []float64
}

// Len returns the number of customers.
func (s Summary) Len() int { return len(s.Frequency) }

// Validate checks that the slices have equal lengths (Monetary may be nil)
// and that every customer satisfies x ≥ 0 integral, 0 ≤ t_x ≤ T, t_x = 0 when
// x = 0, and Monetary ≥ 0. It returns a *CustomerError wrapping
// ErrInvalidInput for the first violation.
func (s Summary) Validate() error {
	n := len(s.Frequency)
	if len(s.Recency) != n || len(s.T) != n || (s.Monetary != nil && len(s.Monetary) != n) {
		return fmt.Errorf("%w: summary slice lengths differ (frequency %d, recency %d, T %d, monetary %d)",
			ErrInvalidInput, n, len(s.Recency), len(s.T), len(s.Monetary))
	}
	for i := range n {
		x, tx, T := s.Frequency[i], s.Recency[i], s.T[i]
		switch {
		case !(x >= 0) || x != math.Trunc(x) || math.IsInf(x, 0):
			return &CustomerError{Index: i, Field: "frequency", Value: x, Reason: "must be a non-negative integer", Err: ErrInvalidInput}
		case !(T >= 0) || math.IsInf(T, 0):
			return &CustomerError{Index: i, Field: "T", Value: T, Reason: "must be finite and non-negative", Err: ErrInvalidInput}
		case !(tx >= 0) || tx > T:
			return &CustomerError{Index: i, Field: "recency", Value: tx, Reason: fmt.Sprintf("must lie in [0, T=%g]", T), Err: ErrInvalidInput}
		case x == 0 && tx != 0:
			return &CustomerError{Index: i, Field: "recency", Value: tx, Reason: "must be 0 when frequency is 0", Err: ErrInvalidInput}
		}
		if s.Monetary != nil {
			if m := s.Monetary[i]; !(m >= 0) || math.IsInf(m, 0) {
				return &CustomerError{Index: i, Field: "monetary", Value: m, Reason: "must be finite and non-negative", Err: ErrInvalidInput}
			}
		}
	}
	return nil
}

// SummaryFromDays builds a calibration Summary from purchase histories.
//
// days[i] holds customer i's purchase days as day numbers (any fixed epoch)
// in non-decreasing order; amounts[i], if amounts is non-nil, holds the value
// bought on each of those days. Purchases on the same day count once, with
// their amounts added. Purchases on days up to and including calibrationEnd
// form the calibration history, and ages are measured to the start of day
// calibrationEnd:
//
//	T = (calibrationEnd − first day) / unit,   t_x = (last day − first day) / unit,
//
// which is the convention of lifetimes' summary_data_from_transaction_data
// and of Fader, Hardie & Lee's CDNOW data (a customer who first bought on
// 1997-01-01 has T = 272/7 = 38.86 weeks at calibration end 1997-09-30).
//
// Every customer must have a purchase on or before calibrationEnd; callers
// select the cohort first. Violations are reported as *CustomerError
// wrapping ErrNoCalibrationPurchase or ErrInvalidInput.
func SummaryFromDays(days [][]int32, amounts [][]float64, calibrationEnd int32, unit Unit) (Summary, error) {
	if !(unit > 0) || math.IsInf(float64(unit), 0) {
		return Summary{}, fmt.Errorf("%w: unit must be a positive number of days, got %g", ErrInvalidInput, float64(unit))
	}
	if amounts != nil && len(amounts) != len(days) {
		return Summary{}, fmt.Errorf("%w: %d purchase histories but %d amount lists", ErrInvalidInput, len(days), len(amounts))
	}
	n := len(days)
	s := Summary{
		Frequency: make([]float64, n),
		Recency:   make([]float64, n),
		T:         make([]float64, n),
	}
	if amounts != nil {
		s.Monetary = make([]float64, n)
	}
	u := float64(unit)
	for i, d := range days {
		if err := checkDays(i, d); err != nil {
			return Summary{}, err
		}
		if len(d) == 0 || d[0] > calibrationEnd {
			v := math.NaN()
			if len(d) > 0 {
				v = float64(d[0])
			}
			return Summary{}, &CustomerError{Index: i, Field: "days", Value: v, Reason: fmt.Sprintf("first purchase after calibration end %d", calibrationEnd), Err: ErrNoCalibrationPurchase}
		}
		if amounts != nil && len(amounts[i]) != len(d) {
			return Summary{}, &CustomerError{Index: i, Field: "amounts", Value: float64(len(amounts[i])), Reason: fmt.Sprintf("length differs from %d purchase days", len(d)), Err: ErrInvalidInput}
		}
		first, last := d[0], d[0]
		var repeats int
		var repeatValue float64
		for k, day := range d {
			if day > calibrationEnd {
				break
			}
			if day != last {
				repeats++
				last = day
			}
			if amounts != nil && day != first {
				repeatValue += amounts[i][k]
			}
		}
		s.Frequency[i] = float64(repeats)
		s.Recency[i] = float64(last-first) / u
		s.T[i] = float64(calibrationEnd-first) / u
		if amounts != nil && repeats > 0 {
			s.Monetary[i] = repeatValue / float64(repeats)
		}
	}
	return s, nil
}

// HoldoutCounts returns, for each customer, the number of distinct purchase
// days in the holdout period (calibrationEnd, holdoutEnd]. The holdout
// duration in model time is (holdoutEnd − calibrationEnd) / unit. days[i] must
// be sorted as for SummaryFromDays.
func HoldoutCounts(days [][]int32, calibrationEnd, holdoutEnd int32) ([]float64, error) {
	if holdoutEnd < calibrationEnd {
		return nil, fmt.Errorf("%w: holdout end %d before calibration end %d", ErrInvalidInput, holdoutEnd, calibrationEnd)
	}
	counts := make([]float64, len(days))
	for i, d := range days {
		if err := checkDays(i, d); err != nil {
			return nil, err
		}
		prev := calibrationEnd
		for _, day := range d {
			if day > holdoutEnd {
				break
			}
			if day > prev {
				counts[i]++
				prev = day
			}
		}
	}
	return counts, nil
}

// checkDays reports the first decrease in a customer's purchase days.
func checkDays(i int, d []int32) error {
	for k := 1; k < len(d); k++ {
		if d[k] < d[k-1] {
			return &CustomerError{Index: i, Field: "days", Value: float64(d[k]), Reason: fmt.Sprintf("purchase days not sorted (follows %d)", d[k-1]), Err: ErrInvalidInput}
		}
	}
	return nil
}
