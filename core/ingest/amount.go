package ingest

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseCents reads a money amount into integer minor units (cents, fen).
// It accepts a sign before or after the number or accounting parentheses;
// a currency symbol or code before or after it (¥ ￥ $ € £ 元 RMB USD EUR…);
// full-width digits; thousands separators of commas, points, spaces,
// no-break spaces or apostrophes; and a decimal point or comma. When a
// value has both a point and a comma, the last one is the decimal
// separator (1,249.00 and 1.249,00 are both 1249); a single comma with
// one or two digits after it is decimal ("12,5" is 12.50, "1,234" is
// 1234). More than two decimals are rounded half away from zero;
// exponents are accepted.
func ParseCents(b []byte) (int64, bool) {
	if c, ok := plainCents(b); ok {
		return c, true
	}
	return decimalCents(b)
}

// decimalCents is ParseCents for what plainCents does not read.
func decimalCents(b []byte) (int64, bool) {
	mant, scale, ok := parseDecimal(b)
	if !ok {
		return 0, false
	}
	return rescale(mant, scale, 2)
}

// parseMicros reads an amount as ParseCents does into millionths of the
// unit, for unit prices of three or more decimals.
func parseMicros(b []byte) (int64, bool) {
	mant, scale, ok := parseDecimal(b)
	if !ok {
		return 0, false
	}
	return rescale(mant, scale, 6)
}

// maxUnits bounds amounts (in whole currency units) to keep sums of
// millions of rows far from overflow.
const maxUnits = 9e15

// maxDecimals is how many decimals parseDecimal keeps.
const maxDecimals = 9

// rescale turns mant / 10^scale into units of 10^-to, rounding half away
// from zero, within ±maxUnits.
func rescale(mant int64, scale, to int) (int64, bool) {
	for ; scale < to; scale++ {
		if mant > math.MaxInt64/10 || mant < math.MinInt64/10 {
			return 0, false
		}
		mant *= 10
	}
	if scale > to {
		div := int64(1)
		for ; scale > to; scale-- {
			div *= 10
		}
		q, r := mant/div, mant%div
		if r*2 >= div {
			q++
		} else if r*2 <= -div {
			q--
		}
		mant = q
	}
	if math.Abs(float64(mant)) > maxUnits*math.Pow10(to) {
		return 0, false
	}
	return mant, true
}

// currencies are the symbols and codes an amount may carry before or
// after the number.
var currencies = []string{"US$", "HK$", "NT$", "A$", "C$", "R$", "$", "¥", "￥", "€", "£", "元", "円", "₩", "₹", "₽",
	"RMB", "CNY", "USD", "EUR", "GBP", "HKD", "JPY", "CHF", "CAD", "AUD", "kr", "zł", "Fr."}

// parseDecimal reads an amount into mant / 10^scale (see ParseCents for
// the spellings).
func parseDecimal(b []byte) (mant int64, scale int, ok bool) {
	var buf [64]byte
	s, ok := asciiAmount(b, buf[:0])
	if !ok || !strings.ContainsAny(s, "0123456789") {
		return 0, 0, false // no digit, no number: "N/A", "bad", "-"
	}
	neg := false
	if len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' {
		neg = true
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	// One sign, before or after the number, either side of a currency.
	s = trimCurrency(s)
	signs := 0
	for pass := 0; pass < 2; pass++ {
		if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
			neg = neg != (s[0] == '-')
			s = strings.TrimSpace(s[1:])
			signs++
		}
		if len(s) > 0 && (s[len(s)-1] == '-' || s[len(s)-1] == '+') {
			neg = neg != (s[len(s)-1] == '-')
			s = strings.TrimSpace(s[:len(s)-1])
			signs++
		}
		s = trimCurrency(s)
	}
	if signs > 1 {
		return 0, 0, false
	}
	if s == "" {
		return 0, 0, false
	}
	if strings.ContainsAny(s, "eE") {
		return exponent(s, neg)
	}
	// Thousands spaces and apostrophes go; then the separators decide.
	var digitsBuf [64]byte
	d := digitsBuf[:0]
	points, commas, lastSep := 0, 0, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c == '.', c == ',':
			d = append(d, c)
			if c == '.' {
				points++
				lastSep = c
			} else if c == ',' {
				commas++
				lastSep = c
			}
		case c == ' ' || c == '\'':
			if i == 0 || i == len(s)-1 || !isDigit(s[i-1]) || !isDigit(s[i+1]) {
				return 0, 0, false
			}
			d = append(d, ' ') // a grouping separator
		default:
			return 0, 0, false
		}
	}
	dec := byte(0) // the decimal separator, if any
	switch {
	case points > 0 && commas > 0:
		dec = lastSep
		if (dec == '.' && points > 1) || (dec == ',' && commas > 1) {
			return 0, 0, false
		}
	case commas == 1:
		if i := strings.LastIndexByte(string(d), ','); len(d)-i-1 <= 2 {
			dec = ','
		}
	case points == 1:
		dec = '.'
	}
	return digitsValue(d, dec, neg)
}

// digitsValue reads digits with grouping separators (points, commas or
// spaces) and at most one decimal separator dec. Groups after the first must be three digits.
func digitsValue(d []byte, dec byte, neg bool) (mant int64, scale int, ok bool) {
	group, n := 0, 0
	seenGroup, inFrac := false, false
	for _, c := range d {
		switch {
		case c == dec:
			if inFrac || (seenGroup && group != 3) {
				return 0, 0, false
			}
			inFrac = true
		case c == '.' || c == ',' || c == ' ': // a grouping separator
			if inFrac || group == 0 || group > 3 || (seenGroup && group != 3) {
				return 0, 0, false
			}
			seenGroup, group = true, 0
		default:
			if inFrac {
				if scale == maxDecimals {
					continue
				}
				scale++
			} else {
				group++
			}
			if mant > math.MaxInt64/100 {
				return 0, 0, false
			}
			mant = mant*10 + int64(c-'0')
			n++
		}
	}
	if n == 0 || (seenGroup && !inFrac && group != 3) {
		return 0, 0, false
	}
	if neg {
		mant = -mant
	}
	return mant, scale, true
}

// exponent reads a number with an exponent, such as 1.2E+3.
func exponent(s string, neg bool) (int64, int, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > maxUnits {
		return 0, 0, false
	}
	if neg {
		f = -f
	}
	// Millionths while they fit in an int64 (|f| < 9.2e12); hundredths,
	// which always fit below maxUnits, beyond that.
	if math.Abs(f) < 1e12 {
		return int64(math.Round(f * 1e6)), 6, true
	}
	return int64(math.Round(f * 100)), 2, true
}

// asciiAmount writes b into buf with full-width digits and signs as
// ASCII, no-break and thin spaces as spaces, and surrounding space gone.
func asciiAmount(b []byte, buf []byte) (string, bool) {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case r < utf8.RuneSelf:
			buf = append(buf, byte(r))
		case r >= '０' && r <= '９':
			buf = append(buf, byte('0'+r-'０'))
		case r == '．':
			buf = append(buf, '.')
		case r == '，':
			buf = append(buf, ',')
		case r == '－' || r == '−':
			buf = append(buf, '-')
		case r == '＋':
			buf = append(buf, '+')
		case r == '（':
			buf = append(buf, '(')
		case r == '）':
			buf = append(buf, ')')
		case r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\u3000':
			buf = append(buf, ' ')
		case r == '’':
			buf = append(buf, '\'')
		default:
			buf = utf8.AppendRune(buf, r)
		}
		if len(buf) > 60 {
			return "", false
		}
	}
	return strings.TrimSpace(string(buf)), true
}

// trimCurrency removes currency symbols and codes from both ends of s.
func trimCurrency(s string) string {
	// No currency or space starts or ends with a digit.
	if len(s) > 0 && isDigit(s[0]) && isDigit(s[len(s)-1]) {
		return s
	}
	for {
		t := s
		for _, c := range currencies {
			t = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(t, c), c))
		}
		if t == s {
			return s
		}
		s = t
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func hasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }
func hasSuffix(b []byte, s string) bool { return len(b) >= len(s) && string(b[len(b)-len(s):]) == s }

// parseQuantity reads a quantity as a float (units may be fractional: kg).
func parseQuantity(b []byte) (float64, bool) {
	b = trimSpace(b)
	if len(b) == 0 {
		return 0, false
	}
	v, n, i := digits(b, 0)
	if i == len(b) && n > 0 && n < 16 {
		return float64(v), true
	}
	if len(b) > 1 && b[0] == '-' {
		if v, n, i := digits(b, 1); i == len(b) && n > 0 && n < 16 {
			return -float64(v), true
		}
	}
	mant, scale, ok := parseDecimal(b)
	if !ok {
		return 0, false
	}
	return float64(mant) / math.Pow10(scale), true
}

// plainCents reads the common case fast: an optional minus, up to 15
// digits and at most two decimals.
func plainCents(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 15 {
		return 0, false
	}
	var v int64
	point := -1
	for i, c := range b {
		switch {
		case c-'0' < 10:
			v = v*10 + int64(c-'0')
		case c == '.' && point < 0:
			point = i
		default:
			return 0, false
		}
	}
	switch {
	case point < 0:
		v *= 100
	case len(b)-point == 1: // "12."
		if point == 0 {
			return 0, false
		}
		v *= 100
	case len(b)-point == 2:
		v *= 10
	case len(b)-point == 3:
	default:
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}
