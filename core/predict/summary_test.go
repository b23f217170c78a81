package predict

import (
	"errors"
	"math"
	"testing"
)

func TestSummaryFromDays(t *testing.T) {
	const calEnd = 28
	days := [][]int32{
		{0},                 // one purchase: x = 0
		{0, 7, 14},          // two repeats
		{0, 0, 7, 7, 30},    // same-day rows merge; day 30 is after calibration end
		{14, 28},            // purchase on calibration end counts; t_x = T
		{7, 20, 29, 35, 60}, // holdout purchases on 29, 35 (60 beyond holdout end)
	}
	amounts := [][]float64{
		{10},
		{10, 20, 40},
		{5, 5, 1, 2, 100},
		{3, 9},
		{1, 2, 4, 8, 16},
	}
	s, err := SummaryFromDays(days, amounts, calEnd, Week)
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{
		Frequency: []float64{0, 2, 1, 1, 1},
		Recency:   []float64{0, 2, 1, 2, 13.0 / 7},
		T:         []float64{4, 4, 4, 2, 3},
		Monetary:  []float64{0, 30, 3, 9, 2},
	}
	check := func(name string, got, want []float64) {
		t.Helper()
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-12 {
				t.Errorf("%s[%d] = %g, want %g", name, i, got[i], want[i])
			}
		}
	}
	check("Frequency", s.Frequency, want.Frequency)
	check("Recency", s.Recency, want.Recency)
	check("T", s.T, want.T)
	check("Monetary", s.Monetary, want.Monetary)
	if err := s.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}

	h, err := HoldoutCounts(days, calEnd, 56)
	if err != nil {
		t.Fatal(err)
	}
	check("HoldoutCounts", h, []float64{0, 0, 1, 0, 2})

	noAmounts, err := SummaryFromDays(days, nil, calEnd, Day)
	if err != nil {
		t.Fatal(err)
	}
	if noAmounts.Monetary != nil {
		t.Errorf("Monetary = %v, want nil without amounts", noAmounts.Monetary)
	}
	check("T in days", noAmounts.T, []float64{28, 28, 28, 14, 21})
}

func TestSummaryFromDaysErrors(t *testing.T) {
	tests := []struct {
		name    string
		days    [][]int32
		amounts [][]float64
		unit    Unit
		want    error
		index   int
	}{
		{"unsorted", [][]int32{{0}, {5, 3}}, nil, Day, ErrInvalidInput, 1},
		{"after calibration", [][]int32{{0}, {1}, {40}}, nil, Day, ErrNoCalibrationPurchase, 2},
		{"empty history", [][]int32{{}}, nil, Day, ErrNoCalibrationPurchase, 0},
		{"amount length", [][]int32{{0, 1}}, [][]float64{{1}}, Day, ErrInvalidInput, 0},
		{"bad unit", [][]int32{{0}}, nil, 0, ErrInvalidInput, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := SummaryFromDays(tt.days, tt.amounts, 28, tt.unit)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var ce *CustomerError
			if tt.index >= 0 && (!errors.As(err, &ce) || ce.Index != tt.index) {
				t.Errorf("err = %v, want CustomerError at index %d", err, tt.index)
			}
		})
	}
}

func TestSummaryValidate(t *testing.T) {
	base := func() Summary {
		return Summary{Frequency: []float64{0, 2}, Recency: []float64{0, 3}, T: []float64{5, 5}}
	}
	tests := []struct {
		name  string
		edit  func(*Summary)
		field string
	}{
		{"negative frequency", func(s *Summary) { s.Frequency[0] = -1 }, "frequency"},
		{"fractional frequency", func(s *Summary) { s.Frequency[1] = 1.5 }, "frequency"},
		{"recency beyond T", func(s *Summary) { s.Recency[1] = 6 }, "recency"},
		{"recency without repeats", func(s *Summary) { s.Recency[0] = 1 }, "recency"},
		{"NaN T", func(s *Summary) { s.T[0] = math.NaN() }, "T"},
		{"negative monetary", func(s *Summary) { s.Monetary = []float64{0, -1} }, "monetary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base()
			tt.edit(&s)
			err := s.Validate()
			var ce *CustomerError
			if !errors.Is(err, ErrInvalidInput) || !errors.As(err, &ce) || ce.Field != tt.field {
				t.Errorf("Validate() = %v, want CustomerError on %s", err, tt.field)
			}
		})
	}
	s := base()
	s.T = s.T[:1]
	if err := s.Validate(); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("length mismatch: Validate() = %v, want ErrInvalidInput", err)
	}
}

// TestCDNOWSummary checks the calibration summary against the first rows of
// Fader and Hardie's CDNOW sample summary (as shipped with lifetimes in
// cdnow_customers_summary_with_transactions.csv: ID, x, t_x, T, zbar) and
// against the cohort sizes reported for it (2,357 customers, 946 repeat
// buyers).
func TestCDNOWSummary(t *testing.T) {
	_, s := cdnowSummary(t)
	if s.Len() != 2357 {
		t.Fatalf("customers = %d, want 2357", s.Len())
	}
	want := [][4]float64{
		{2, 30.43, 38.86, 22.35},
		{1, 1.71, 38.86, 11.77},
		{0, 0, 38.86, 0},
		{0, 0, 38.86, 0},
		{0, 0, 38.86, 0},
		{7, 29.43, 38.86, 73.74},
	}
	for i, w := range want {
		got := [4]float64{s.Frequency[i], s.Recency[i], s.T[i], s.Monetary[i]}
		for k := range w {
			if math.Abs(got[k]-w[k]) > 0.005+1e-9 {
				t.Errorf("customer %d: (x, t_x, T, zbar) = %.4g, want %v", i+1, got, w)
				break
			}
		}
	}
	var repeat int
	for _, x := range s.Frequency {
		if x > 0 {
			repeat++
		}
	}
	if repeat != 946 {
		t.Errorf("repeat buyers = %d, want 946", repeat)
	}
}
