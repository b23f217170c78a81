package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPredictionsCLVIntervals writes 90% intervals of the expected spend
// and of CLV on the CDNOW sample: the columns follow the existing ones in
// the documented order, every row has them, and every interval holds its
// estimate, lies above zero (CLVs of customers almost surely gone round to
// 0.00) and, for CLV, widens with the horizon. Three customers' intervals
// are logged as examples.
func TestPredictionsCLVIntervals(t *testing.T) {
	file := "../../predict/testdata/cdnow_sample.csv"
	out := filepath.Join(t.TempDir(), "pred.csv")
	if code, _, errs := runCLI(t, "", "fit", "--calibration-end", "1997-09-30", "--horizon", "13,26,52", "--intervals", "0.9", "--predictions-out", out, file); code != 0 {
		t.Fatalf("fit: %d %s", code, errs)
	}
	recs := readCSV(t, out)
	const header = "customer_id,frequency,recency,T,p_alive,expected_purchases_13,expected_purchases_26,expected_purchases_52,expected_spend,clv_13,clv_26,clv_52," +
		"p_alive_lo,p_alive_hi,expected_purchases_13_lo,expected_purchases_13_hi,expected_purchases_26_lo,expected_purchases_26_hi,expected_purchases_52_lo,expected_purchases_52_hi," +
		"expected_spend_lo,expected_spend_hi,clv_13_lo,clv_13_hi,clv_26_lo,clv_26_hi,clv_52_lo,clv_52_hi"
	if got := strings.Join(recs[0], ","); got != header || len(recs) != 2358 {
		t.Fatalf("header %s, %d rows; want %s", got, len(recs)-1, header)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	num := func(r []string, k string) float64 {
		v, err := strconv.ParseFloat(r[col[k]], 64)
		if err != nil {
			t.Fatalf("%s: %s = %q", r[0], k, r[col[k]])
		}
		return v
	}
	for _, r := range recs[1:] {
		if lo, v, hi := num(r, "expected_spend_lo"), num(r, "expected_spend"), num(r, "expected_spend_hi"); !(0 < lo && lo <= v && v <= hi) {
			t.Fatalf("%s: expected spend %v outside [%v, %v]", r[0], v, lo, hi)
		}
		prev := 0.0
		for _, h := range []string{"13", "26", "52"} {
			lo, v, hi := num(r, "clv_"+h+"_lo"), num(r, "clv_"+h), num(r, "clv_"+h+"_hi")
			if !(0 <= lo && lo <= v && v <= hi) || hi-lo < prev-0.01 {
				t.Fatalf("%s: CLV(%s) %v in [%v, %v], narrower than the shorter horizon's %v", r[0], h, v, lo, hi, prev)
			}
			prev = hi - lo
		}
		if r[0] == "00004" || r[0] == "00021" || r[0] == "00050" {
			t.Logf("customer %s (x=%s, t_x=%s): expected spend %s [%s, %s], CLV over 52 weeks %s [%s, %s]", r[0], r[1], r[2],
				r[col["expected_spend"]], r[col["expected_spend_lo"]], r[col["expected_spend_hi"]], r[col["clv_52"]], r[col["clv_52_lo"]], r[col["clv_52_hi"]])
		}
	}
}
