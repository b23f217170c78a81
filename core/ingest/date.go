package ingest

import (
	"fmt"
	"strings"
)

// DateFormat names how a date column is written. FormatAuto asks Parse to
// detect it from the data.
type DateFormat uint8

// The date formats Parse understands. Any of them may carry a time of day,
// which is ignored: segsim works in whole days.
const (
	FormatAuto   DateFormat = iota
	FormatYMD               // 2024-03-05, 2024/3/5, 2024.03.05, 20240305, ISO 8601 datetimes
	FormatMDY               // 3/5/2024 8:26 (month first)
	FormatDMY               // 5/3/2024 (day first)
	FormatUnix              // Unix seconds
	FormatUnixMS            // Unix milliseconds
)

var formatNames = [...]string{"auto", "ymd", "mdy", "dmy", "unix", "unixms"}

// String returns the flag spelling of f: auto, ymd, mdy, dmy, unix or unixms.
func (f DateFormat) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("DateFormat(%d)", f)
}

// ParseDateFormat reads the flag spelling of a date format.
func ParseDateFormat(s string) (DateFormat, error) {
	for i, n := range formatNames {
		if strings.EqualFold(s, n) {
			return DateFormat(i), nil
		}
	}
	return 0, fmt.Errorf("unknown date format %q (want one of %s)", s, strings.Join(formatNames[:], ", "))
}

// DaysFromCivil returns the number of days from 1970-01-01 to the given
// proleptic Gregorian date (Howard Hinnant's days_from_civil).
func DaysFromCivil(y, m, d int) int32 {
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

// CivilFromDays is the inverse of DaysFromCivil.
func CivilFromDays(z int32) (y, m, d int) {
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

// FormatDay writes a day number as YYYY-MM-DD.
func FormatDay(day int32) string {
	b := AppendDay(make([]byte, 0, 10), day)
	return string(b)
}

// AppendDay appends a day number as YYYY-MM-DD to b.
func AppendDay(b []byte, day int32) []byte {
	y, m, d := CivilFromDays(day)
	if y < 0 || y > 9999 {
		return fmt.Appendf(b, "%04d-%02d-%02d", y, m, d)
	}
	return append(b,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-',
		byte('0'+d/10), byte('0'+d%10))
}

// ParseDay reads a YYYY-MM-DD date (as used on the command line and in
// scenarios) into a day number.
func ParseDay(s string) (int32, error) {
	day, ok := parseYMD([]byte(strings.TrimSpace(s)))
	if !ok || len(strings.TrimSpace(s)) != 10 {
		return 0, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	return day, nil
}

// Year range accepted in data: anything else is a typo or a unit mistake.
const (
	minYear = 1900
	maxYear = 2200
)

func validCivil(y, m, d int) bool {
	if y < minYear || y > maxYear || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(y, m)
}

func daysIn(y, m int) int {
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

// digits reads a run of ASCII digits starting at b[i], returning the value,
// the number of digits and the index after them.
func digits(b []byte, i int) (v, n, j int) {
	for j = i; j < len(b) && b[j] >= '0' && b[j] <= '9' && n < 18; j++ {
		v = v*10 + int(b[j]-'0')
		n++
	}
	return v, n, j
}

// validTime accepts what may follow a date: nothing, or a separator (space or
// T) and a clock time with optional seconds, fraction and zone. The time is
// checked for shape only; its value does not change the day.
func validTime(b []byte) bool {
	if len(b) == 0 {
		return true
	}
	if len(b) == 9 && (b[0] == ' ' || b[0] == 'T') && b[3] == ':' && b[6] == ':' {
		// Fast path: " HH:MM:SS".
		h, m, s := d2(b[1], b[2]), d2(b[4], b[5]), d2(b[7], b[8])
		if h >= 0 && h <= 24 && m >= 0 && m <= 59 && s >= 0 && s <= 60 {
			return true
		}
	}
	if b[0] != ' ' && b[0] != 'T' && b[0] != 't' {
		return false
	}
	b = b[1:]
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	h, n, i := digits(b, 0)
	if n < 1 || n > 2 || h > 24 || i >= len(b) || b[i] != ':' {
		return false
	}
	mi, n, i := digits(b, i+1)
	if n != 2 || mi > 59 {
		return false
	}
	if i < len(b) && b[i] == ':' {
		var s int
		s, n, i = digits(b, i+1)
		if n != 2 || s > 60 {
			return false
		}
		if i < len(b) && (b[i] == '.' || b[i] == ',') {
			_, n, i = digits(b, i+1)
			if n == 0 {
				return false
			}
		}
	}
	rest := strings.TrimSpace(string(b[i:]))
	switch {
	case rest == "" || rest == "Z" || rest == "z" || rest == "AM" || rest == "PM" || rest == "am" || rest == "pm":
		return true
	case rest[0] == '+' || rest[0] == '-':
		_, n, j := digits([]byte(rest), 1)
		if n == 4 && j == len(rest) {
			return true
		}
		if n == 2 && j == len(rest) {
			return true
		}
		if n == 2 && j < len(rest) && rest[j] == ':' {
			_, n2, k := digits([]byte(rest), j+1)
			return n2 == 2 && k == len(rest)
		}
	}
	return false
}

// parseYMD reads year-first dates: YYYY-MM-DD, YYYY/M/D, YYYY.MM.DD and
// YYYYMMDD, each optionally followed by a time.
func parseYMD(b []byte) (int32, bool) {
	if len(b) >= 10 && b[4] == '-' && b[7] == '-' {
		// Fast path: YYYY-MM-DD.
		hi, lo := d2(b[0], b[1]), d2(b[2], b[3])
		y := hi*100 + lo
		m, d := d2(b[5], b[6]), d2(b[8], b[9])
		if hi >= 0 && lo >= 0 && m >= 0 && d >= 0 && validCivil(y, m, d) && validTime(b[10:]) {
			return DaysFromCivil(y, m, d), true
		}
	}
	y, n, i := digits(b, 0)
	if n == 8 {
		// YYYYMMDD (possibly followed by a time).
		yy, mm, dd := y/10000, y/100%100, y%100
		if !validCivil(yy, mm, dd) || !validTime(b[i:]) {
			return 0, false
		}
		return DaysFromCivil(yy, mm, dd), true
	}
	if n != 4 || i >= len(b) {
		return 0, false
	}
	sep := b[i]
	if sep != '-' && sep != '/' && sep != '.' {
		return 0, false
	}
	m, n, i := digits(b, i+1)
	if n < 1 || n > 2 || i >= len(b) || b[i] != sep {
		return 0, false
	}
	d, n, i := digits(b, i+1)
	if n < 1 || n > 2 || !validCivil(y, m, d) || !validTime(b[i:]) {
		return 0, false
	}
	return DaysFromCivil(y, m, d), true
}

// parseSlash reads a year-last date A/B/YYYY (also with '-' or '.') and
// returns its parts without deciding which of A and B is the month.
func parseSlash(b []byte) (a, bb, y int, ok bool) {
	a, n, i := digits(b, 0)
	if n < 1 || n > 2 || i >= len(b) {
		return 0, 0, 0, false
	}
	sep := b[i]
	if sep != '/' && sep != '-' && sep != '.' {
		return 0, 0, 0, false
	}
	bb, n, i = digits(b, i+1)
	if n < 1 || n > 2 || i >= len(b) || b[i] != sep {
		return 0, 0, 0, false
	}
	y, n, i = digits(b, i+1)
	if n != 4 || !validTime(b[i:]) || a < 1 || bb < 1 || a > 31 || bb > 31 {
		return 0, 0, 0, false
	}
	return a, bb, y, true
}

// parseUnix reads an integer (optionally with a fraction) count of seconds
// or milliseconds since 1970-01-01 UTC.
func parseUnix(b []byte, ms bool) (int32, bool) {
	v, n, i := digits(b, 0)
	if n == 0 {
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		_, _, i = digits(b, i+1)
	}
	if i != len(b) {
		return 0, false
	}
	if ms {
		v /= 1000
	}
	day := v / 86400
	// 1900..2200 as day numbers.
	if day > 84000 {
		return 0, false
	}
	return int32(day), true
}

// ParseDate reads one date in the given (non-auto) format. It is what Parse
// applies to every row once the column's format is known.
func ParseDate(b []byte, f DateFormat) (int32, bool) {
	b = trimSpace(b)
	switch f {
	case FormatYMD:
		return parseYMD(b)
	case FormatMDY, FormatDMY:
		a, c, y, ok := parseSlash(b)
		if !ok {
			return 0, false
		}
		m, d := a, c
		if f == FormatDMY {
			m, d = c, a
		}
		if !validCivil(y, m, d) {
			return 0, false
		}
		return DaysFromCivil(y, m, d), true
	case FormatUnix:
		return parseUnix(b, false)
	case FormatUnixMS:
		return parseUnix(b, true)
	}
	return 0, false
}

// dateSniffer decides a column's date format from its values. Year-first
// and Unix forms are decided by shape; for A/B/YYYY it watches every value
// for a part above 12, which settles month-first against day-first.
type dateSniffer struct {
	ymd, slash, unix, unixms, other int
	firstAbove12, secondAbove12     int
	examples                        []string
}

func (s *dateSniffer) add(b []byte) {
	b = trimSpace(b)
	if len(b) == 0 {
		return
	}
	if _, ok := parseYMD(b); ok {
		s.ymd++
		return
	}
	if a, c, _, ok := parseSlash(b); ok {
		s.slash++
		if a > 12 {
			s.firstAbove12++
		}
		if c > 12 {
			s.secondAbove12++
		}
		if len(s.examples) < 3 {
			s.examples = append(s.examples, string(b))
		}
		return
	}
	_, n, i := digits(b, 0)
	if i == len(b) || (i < len(b) && b[i] == '.') {
		switch {
		case n >= 9 && n <= 10:
			s.unix++
			return
		case n >= 12 && n <= 13:
			s.unixms++
			return
		}
	}
	s.other++
}

// decide returns the most common shape. ambiguous is set when the values are
// A/B/YYYY and no value shows which part is the month.
func (s *dateSniffer) decide() (f DateFormat, ambiguous bool) {
	best := max(s.ymd, s.slash, s.unix, s.unixms)
	switch {
	case best == 0:
		return FormatAuto, false
	case best == s.ymd:
		return FormatYMD, false
	case best == s.unix:
		return FormatUnix, false
	case best == s.unixms:
		return FormatUnixMS, false
	}
	switch {
	case s.firstAbove12 > 0 && s.secondAbove12 == 0:
		return FormatDMY, false
	case s.secondAbove12 > 0 && s.firstAbove12 == 0:
		return FormatMDY, false
	case s.firstAbove12 == 0 && s.secondAbove12 == 0:
		return FormatMDY, true
	}
	// Both parts exceed 12 somewhere: the column mixes conventions. Take the
	// majority; the minority rows fail to parse and are reported.
	if s.firstAbove12 > s.secondAbove12 {
		return FormatDMY, false
	}
	return FormatMDY, false
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// d2 reads two ASCII digits, or returns -1.
func d2(a, b byte) int {
	if a-'0' > 9 || b-'0' > 9 {
		return -1
	}
	return int(a-'0')*10 + int(b-'0')
}
