package ingest

import (
	"bytes"
	"fmt"
	"strings"

	"segsim/core/calendar"
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
	FormatExcel             // Excel serial numbers (45292 is 2024-01-01)
)

var formatNames = [...]string{"auto", "ymd", "mdy", "dmy", "unix", "unixms", "excel"}

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
// checked for shape only; its value does not change the day. It is small
// enough to be inlined, so that a date with no time costs no call.
func validTime(b []byte) bool { return len(b) == 0 || validClock(b) }

// validClock is validTime for a date followed by something.
func validClock(b []byte) bool {
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
	b = trimMeridiem(b, true)
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
	rest := strings.TrimSpace(string(trimMeridiem(b[i:], false)))
	switch {
	case rest == "" || rest == "Z" || rest == "z":
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

// meridiems are the 12-hour clock's markers: after the time in English,
// before it in Chinese.
var (
	meridiemsAfter  = []string{" AM", " PM", " am", " pm", " a.m.", " p.m.", "AM", "PM", "am", "pm"}
	meridiemsBefore = []string{"上午", "下午", "中午", "晚上", "凌晨", "早上"}
)

// trimMeridiem removes a 12-hour marker from the start (before) or the
// end of b.
func trimMeridiem(b []byte, before bool) []byte {
	if before {
		for _, m := range meridiemsBefore {
			if hasPrefix(b, m) {
				return bytes.TrimLeft(b[len(m):], " ")
			}
		}
		return b
	}
	b = bytes.TrimRight(b, " ")
	for _, m := range meridiemsAfter {
		if hasSuffix(b, m) {
			return b[:len(b)-len(m)]
		}
	}
	return b
}

// parseYMD reads year-first dates: YYYY-MM-DD, YYYY/M/D, YYYY.MM.DD and
// YYYYMMDD, each optionally followed by a time.
func parseYMD(b []byte) (int32, bool) {
	if len(b) >= 10 && b[4] == '-' && b[7] == '-' {
		// Fast path: YYYY-MM-DD.
		hi, lo := d2(b[0], b[1]), d2(b[2], b[3])
		y := hi*100 + lo
		m, d := d2(b[5], b[6]), d2(b[8], b[9])
		if hi >= 0 && lo >= 0 && m >= 0 && d >= 0 && calendar.Valid(y, m, d) && validTime(b[10:]) {
			return calendar.FromCivil(y, m, d), true
		}
	}
	y, n, i := digits(b, 0)
	if n == 8 {
		// YYYYMMDD (possibly followed by a time).
		yy, mm, dd := y/10000, y/100%100, y%100
		if !calendar.Valid(yy, mm, dd) || !validTime(b[i:]) {
			return 0, false
		}
		return calendar.FromCivil(yy, mm, dd), true
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
	if n < 1 || n > 2 || !calendar.Valid(y, m, d) || !validTime(b[i:]) {
		return 0, false
	}
	return calendar.FromCivil(y, m, d), true
}

// parseSlash reads a year-last date A/B/YYYY or A/B/YY (also with '-' or
// '.') and returns its parts without deciding which of A and B is the
// month. A two-digit year is read as Excel reads it: 00–29 are 2000–2029,
// 30–99 are 1930–1999. sep is the separator.
func parseSlash(b []byte) (a, bb, y int, sep byte, ok bool) {
	a, n, i := digits(b, 0)
	if n < 1 || n > 2 || i >= len(b) {
		return 0, 0, 0, 0, false
	}
	sep = b[i]
	if sep != '/' && sep != '-' && sep != '.' {
		return 0, 0, 0, 0, false
	}
	bb, n, i = digits(b, i+1)
	if n < 1 || n > 2 || i >= len(b) || b[i] != sep {
		return 0, 0, 0, 0, false
	}
	y, n, i = digits(b, i+1)
	switch {
	case n == 2 && y < 30:
		y += 2000
	case n == 2:
		y += 1900
	case n != 4:
		return 0, 0, 0, 0, false
	}
	if !validTime(b[i:]) || a < 1 || bb < 1 || a > 31 || bb > 31 {
		return 0, 0, 0, 0, false
	}
	return a, bb, y, sep, true
}

// parseCJK reads 2024年1月2日, optionally followed by a time of day (with
// or without a space) and a weekday in brackets or after a space.
func parseCJK(b []byte) (int32, bool) {
	y, n, i := digits(b, 0)
	if n != 4 || !hasPrefix(b[i:], "年") {
		return 0, false
	}
	m, n, i := digits(b, i+len("年"))
	if n < 1 || n > 2 || !hasPrefix(b[i:], "月") {
		return 0, false
	}
	d, n, i := digits(b, i+len("月"))
	if n < 1 || n > 2 || !calendar.Valid(y, m, d) {
		return 0, false
	}
	rest := b[i:]
	if hasPrefix(rest, "日") || hasPrefix(rest, "号") {
		rest = rest[len("日"):]
	}
	if len(rest) > 0 && rest[0] != ' ' && rest[0] != 'T' {
		rest = append([]byte{' '}, rest...)
	}
	if !validTime(rest) {
		return 0, false
	}
	return calendar.FromCivil(y, m, d), true
}

// parseSerial reads an Excel date serial number of the 1900 date system
// (45292 is 2024-01-01), optionally with a fraction for the time of day.
// Only five-digit serials (1927 to 2173) are taken: shorter numbers are
// more likely counts than dates.
func parseSerial(b []byte) (int32, bool) {
	v, n, i := digits(b, 0)
	if n != 5 {
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		_, _, i = digits(b, i+1)
	}
	if i != len(b) {
		return 0, false
	}
	return calendar.FromSerial(float64(v), false), true
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
// applies to every row once the column's format is known. Whatever the
// format, the spellings that cannot be misread are always understood:
// year-first dates (2024-01-02, 2024/1/2, 20240102, ISO 8601 with a time
// and offset), 2024年1月2日, day-first dotted dates (02.01.2024) and
// Excel serial numbers. The format decides A/B/YYYY: month first (mdy) or
// day first (dmy); in the other formats such a date is read only when a
// part above 12 shows which is the day. A time of day, in 24-hour or
// 12-hour form (1:05 PM, 下午3:05), and a UTC offset are allowed and do
// not move the day.
func ParseDate(b []byte, f DateFormat) (int32, bool) {
	b = trimSpace(b)
	switch f {
	case FormatUnix:
		return parseUnix(b, false)
	case FormatUnixMS:
		return parseUnix(b, true)
	}
	if day, ok := parseYMD(b); ok {
		return day, true
	}
	if a, c, y, sep, ok := parseSlash(b); ok {
		m, d, ok := slashOrder(a, c, sep, f)
		if !ok || !calendar.Valid(y, m, d) {
			return 0, false
		}
		return calendar.FromCivil(y, m, d), true
	}
	if len(b) > 0 && b[0] >= '0' && b[0] <= '9' {
		if day, ok := parseCJK(b); ok {
			return day, true
		}
		return parseSerial(b)
	}
	return 0, false
}

// slashOrder says which of A/B is the month: a dotted date is day first
// (German and Russian writing); otherwise the format decides, and failing
// that a part above 12.
func slashOrder(a, c int, sep byte, f DateFormat) (m, d int, ok bool) {
	switch {
	case sep == '.' || f == FormatDMY:
		return c, a, true
	case f == FormatMDY:
		return a, c, true
	case a > 12 && c <= 12:
		return c, a, true
	case c > 12 && a <= 12:
		return a, c, true
	}
	return 0, 0, false
}

// dateSniffer decides a column's date format from its values. Most
// spellings are decided by their shape; for A/B/YYYY it watches every value
// for a part above 12, which settles month-first against day-first.
type dateSniffer struct {
	ymd, dotted, serial, slash, unix, unixms, other int
	firstAbove12, secondAbove12                     int
	examples                                        []string
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
	if a, c, _, sep, ok := parseSlash(b); ok {
		if sep == '.' {
			s.dotted++
			return
		}
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
	if _, ok := parseCJK(b); ok {
		s.ymd++
		return
	}
	if _, ok := parseSerial(b); ok {
		s.serial++
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

// decide returns the column's format. ambiguous is set when A/B/YYYY
// values are the most common spelling and none shows which part is the
// month. When they are a minority with no such value, the format is the
// majority's, and those rows are skipped with the reason.
func (s *dateSniffer) decide() (f DateFormat, ambiguous bool) {
	fixed := s.ymd + s.dotted + s.serial
	best := max(fixed, s.slash, s.unix, s.unixms)
	switch {
	case best == 0:
		return FormatAuto, false
	case best == s.unix && s.unix > fixed:
		return FormatUnix, false
	case best == s.unixms && s.unixms > fixed:
		return FormatUnixMS, false
	}
	switch {
	case s.firstAbove12 > 0 && s.secondAbove12 == 0:
		return FormatDMY, false
	case s.secondAbove12 > 0 && s.firstAbove12 == 0:
		return FormatMDY, false
	case s.firstAbove12 > 0 && s.secondAbove12 > 0:
		// Both parts exceed 12 somewhere: the column mixes conventions.
		// Take the majority; the minority rows fail to parse and are
		// reported.
		if s.firstAbove12 > s.secondAbove12 {
			return FormatDMY, false
		}
		return FormatMDY, false
	case s.slash > 0 && s.slash >= fixed:
		return FormatMDY, true
	}
	switch max(s.ymd, s.dotted, s.serial) {
	case s.ymd:
		return FormatYMD, false
	case s.dotted:
		return FormatDMY, false
	}
	return FormatExcel, false
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
