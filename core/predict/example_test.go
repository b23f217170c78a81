package predict_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"time"

	"segsim/core/predict"
)

// Example fits the BG/NBD and Gamma-Gamma models to the CDNOW sample with
// the 39-week calibration period of Fader, Hardie & Lee (2005) and scores
// the first customer.
func Example() {
	f, err := os.Open("testdata/cdnow_sample.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		fmt.Println(err)
		return
	}
	day := func(yyyymmdd string) int32 {
		t, _ := time.Parse("20060102", yyyymmdd)
		return int32(t.Unix() / 86400)
	}
	// Rows are customer_id, sample_id, date, cds, amount, grouped by
	// customer and in date order.
	var days [][]int32
	var amounts [][]float64
	index := map[string]int{}
	for _, row := range rows[1:] {
		i, ok := index[row[0]]
		if !ok {
			i = len(days)
			index[row[0]] = i
			days, amounts = append(days, nil), append(amounts, nil)
		}
		amount, _ := strconv.ParseFloat(row[4], 64)
		days[i] = append(days[i], day(row[2]))
		amounts[i] = append(amounts[i], amount)
	}

	s, err := predict.SummaryFromDays(days, amounts, day("19970930"), predict.Week)
	if err != nil {
		fmt.Println(err)
		return
	}
	bg, rep, err := predict.FitBGNBD(s, predict.FitOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	gg, _, err := predict.FitGammaGamma(s.Frequency, s.Monetary)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("BG/NBD r=%.3f α=%.3f a=%.3f b=%.3f LL=%.1f\n", bg.R, bg.Alpha, bg.A, bg.B, rep.LogLikelihood)
	fmt.Printf("Gamma-Gamma p=%.2f q=%.2f γ=%.2f\n", gg.P, gg.Q, gg.Gamma)

	x, tx, T, mbar := s.Frequency[0], s.Recency[0], s.T[0], s.Monetary[0]
	fmt.Printf("customer 1: x=%v t_x=%.2f T=%.2f m̄=%.2f\n", x, tx, T, mbar)
	fmt.Printf("P(alive)=%.3f, E[purchases, next 39 weeks]=%.3f\n", bg.PAlive(x, tx, T), bg.ExpectedPurchases(39, x, tx, T))
	fmt.Printf("CLV, 12 months at 1%%/month: %.2f\n", predict.CLV(bg, gg, x, tx, T, mbar, 12, 4.345, 0.01))
	// Output:
	// BG/NBD r=0.243 α=4.414 a=0.793 b=2.426 LL=-9582.4
	// Gamma-Gamma p=6.25 q=3.74 γ=15.44
	// customer 1: x=2 t_x=30.43 T=38.86 m̄=22.34
	// P(alive)=0.727, E[purchases, next 39 weeks]=1.226
	// CLV, 12 months at 1%/month: 36.27
}
