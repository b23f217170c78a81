package predict

import (
	"encoding/csv"
	"io"
	"os"
	"strconv"
	"testing"
	"time"
)

// cdnowPath is the CDNOW 1/10th sample used by Fader, Hardie & Lee (2005).
const cdnowPath = "testdata/cdnow_sample.csv"

// cdnow holds the sample as per-customer purchase days and amounts.
type cdnow struct {
	days    [][]int32
	amounts [][]float64
}

// dayNumber converts a calendar date to days since 1970-01-01.
func dayNumber(y int, m time.Month, d int) int32 {
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

var (
	cdnowCalibrationEnd = dayNumber(1997, time.September, 30)
	cdnowHoldoutEnd     = dayNumber(1998, time.June, 30)
)

// loadCDNOW reads the sample with encoding/csv. Rows are grouped by
// customer_id; the file lists each customer's rows together and by date,
// which the loader checks rather than assumes.
func loadCDNOW(tb testing.TB) cdnow {
	tb.Helper()
	f, err := os.Open(cdnowPath)
	if err != nil {
		tb.Fatalf("open CDNOW sample: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		tb.Fatalf("read header: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, name := range []string{"customer_id", "date", "amount"} {
		if _, ok := col[name]; !ok {
			tb.Fatalf("CDNOW sample lacks column %q (header %v)", name, header)
		}
	}
	var data cdnow
	index := map[string]int{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("line %d: %v", line, err)
		}
		date := rec[col["date"]]
		ymd, err := strconv.Atoi(date)
		if err != nil || len(date) != 8 {
			tb.Fatalf("line %d: date %q: not YYYYMMDD", line, date)
		}
		day := dayNumber(ymd/10000, time.Month(ymd/100%100), ymd%100)
		amount, err := strconv.ParseFloat(rec[col["amount"]], 64)
		if err != nil {
			tb.Fatalf("line %d: amount %q: %v", line, rec[col["amount"]], err)
		}
		id := rec[col["customer_id"]]
		i, ok := index[id]
		if !ok {
			i = len(data.days)
			index[id] = i
			data.days = append(data.days, nil)
			data.amounts = append(data.amounts, nil)
		}
		if n := len(data.days[i]); n > 0 && data.days[i][n-1] > day {
			tb.Fatalf("line %d: customer %s rows not in date order", line, id)
		}
		data.days[i] = append(data.days[i], day)
		data.amounts[i] = append(data.amounts[i], amount)
	}
	return data
}

// cdnowSummary returns the 39-week calibration summary in weeks.
func cdnowSummary(tb testing.TB) (cdnow, Summary) {
	tb.Helper()
	data := loadCDNOW(tb)
	s, err := SummaryFromDays(data.days, data.amounts, cdnowCalibrationEnd, Week)
	if err != nil {
		tb.Fatalf("SummaryFromDays: %v", err)
	}
	return data, s
}
