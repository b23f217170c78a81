// Package calendar counts days: segsim keeps every date as a day number,
// the days since 1970-01-01 in the proleptic Gregorian calendar, and
// writes it as YYYY-MM-DD. Reading the many spellings of dates in order
// exports is package ingest's work; this package is what scenarios, views
// and exports need.
package calendar

import (
	"fmt"
	"strings"
)

// Years segsim accepts in data: anything else is a typo or a unit mistake.
const (
	MinYear = 1900
	MaxYear = 2200
)

// FromCivil returns the day number of a date (Howard Hinnant's
// days_from_civil).
func FromCivil(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

// Civil is the inverse of FromCivil.
func Civil(z int32) (y, m, d int) {
	zz := int(z) + 719468
	era := zz / 146097
	if zz < 0 && zz%146097 != 0 {
		era = (zz - 146096) / 146097
	}
	doe := zz - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// Format writes a day number as YYYY-MM-DD.
func Format(day int32) string {
	return string(Append(make([]byte, 0, 10), day))
}

// Append appends a day number as YYYY-MM-DD to b.
func Append(b []byte, day int32) []byte {
	y, m, d := Civil(day)
	if y < 0 || y > 9999 {
		return fmt.Appendf(b, "%04d-%02d-%02d", y, m, d)
	}
	return append(b,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-',
		byte('0'+d/10), byte('0'+d%10))
}

// Parse reads a YYYY-MM-DD date (as the command line and scenarios write
// it; YYYY/MM/DD and YYYY.MM.DD pass too) into a day number.
func Parse(s string) (int32, error) {
	t := strings.TrimSpace(s)
	if len(t) == 10 && (t[4] == '-' || t[4] == '/' || t[4] == '.') && t[7] == t[4] {
		y, ok1 := digits(t[:4])
		m, ok2 := digits(t[5:7])
		d, ok3 := digits(t[8:])
		if ok1 && ok2 && ok3 && Valid(y, m, d) {
			return FromCivil(y, m, d), nil
		}
	}
	return 0, fmt.Errorf("date %q is not YYYY-MM-DD", s)
}

func digits(s string) (int, bool) {
	v := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

// Valid tells whether y-m-d is a date between MinYear and MaxYear.
func Valid(y, m, d int) bool {
	if y < MinYear || y > MaxYear || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= DaysIn(y, m)
}

// DaysIn returns the number of days of month m of year y.
func DaysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// FromSerial converts an Excel serial date to a day number. In the 1900
// system serial 1 is 1900-01-01 and serial 60 is the 1900-02-29 that
// Lotus 1-2-3 and Excel count although it never was; in the 1904 system
// serial 0 is 1904-01-01. The fraction (time of day) is dropped.
func FromSerial(serial float64, date1904 bool) int32 {
	s := int32(serial)
	if date1904 {
		return s + FromCivil(1904, 1, 1)
	}
	if s < 61 {
		return s + FromCivil(1899, 12, 31)
	}
	return s + FromCivil(1899, 12, 30)
}

// Writer appends dates as Append does, from a table of the dates between
// two days made once: a file of millions of rows over a few years formats
// each date once.
type Writer struct {
	lo, hi int32
	text   []byte // 10 bytes a day from lo to hi
}

// NewWriter returns a Writer with a table for the days from lo to hi, or
// none (Append then formats each date) when they span more than 2¹⁶ days.
func NewWriter(lo, hi int32) Writer {
	if hi < lo || int64(hi)-int64(lo) >= 1<<16 {
		return Writer{lo: 1, hi: 0}
	}
	w := Writer{lo: lo, hi: hi, text: make([]byte, 0, 10*(int(hi-lo)+1))}
	for d := lo; d <= hi; d++ {
		w.text = Append(w.text, d)
	}
	if len(w.text) != 10*(int(hi-lo)+1) { // a year outside 0..9999
		return Writer{lo: 1, hi: 0}
	}
	return w
}

// Append appends day as YYYY-MM-DD.
func (w Writer) Append(b []byte, day int32) []byte {
	if day < w.lo || day > w.hi {
		return Append(b, day)
	}
	i := 10 * int(day-w.lo)
	return append(b, w.text[i:i+10]...)
}
