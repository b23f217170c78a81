package ingest

import (
	"math"
	"strconv"
)

// ParseCents reads a money amount into integer minor units (cents, fen).
// It accepts an optional sign or accounting parentheses, a currency symbol
// (¥ ￥ $ € £) before or 元 after the number, thousands separators, and a
// decimal comma when the value has one comma and no point with at most two
// digits after it ("12,5" is 12.50; "1,234" is 1234). More than two
// decimals are rounded half away from zero; exponents are accepted.
func ParseCents(b []byte) (int64, bool) {
	if c, ok := plainCents(b); ok {
		return c, true
	}
	b = trimSpace(b)
	neg := false
	if len(b) >= 2 && b[0] == '(' && b[len(b)-1] == ')' {
		neg = true
		b = trimSpace(b[1 : len(b)-1])
	}
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = neg != (b[0] == '-')
		b = trimSpace(b[1:])
	}
	before := len(b)
	b = trimCurrency(b)
	if len(b) > 0 && b[0] == '-' && len(b) < before { // "¥-12" or "$-5"
		neg = !neg
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	// Fast path: digits, optional thousands commas, optional point and
	// decimals.
	var units int64
	commas, lastComma, point := 0, -1, -1
	n := 0
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			if point < 0 {
				if units > maxUnits/10 {
					return 0, false
				}
				units = units*10 + int64(c-'0')
			}
			n++
		case c == ',' && point < 0:
			commas++
			lastComma = i
		case c == '.' && point < 0:
			point = i
		default:
			return parseCentsSlow(b, neg)
		}
	}
	if n == 0 {
		return 0, false
	}
	if commas == 1 && point < 0 && len(b)-lastComma-1 <= 2 && len(b)-lastComma-1 > 0 {
		// Decimal comma: "12,5" or "12,50".
		point = lastComma
		units = 0
		for _, c := range b[:lastComma] {
			units = units*10 + int64(c-'0')
		}
	} else if commas > 0 {
		// Thousands separators must split the integer part into groups of three.
		end := len(b)
		if point >= 0 {
			end = point
		}
		group := 0
		for i := end - 1; i >= 0; i-- {
			if b[i] == ',' {
				if group != 3 {
					return 0, false
				}
				group = 0
				continue
			}
			group++
		}
	}
	cents := units * 100
	if point >= 0 {
		frac := b[point+1:]
		if len(frac) > 0 {
			cents += int64(frac[0]-'0') * 10
		}
		if len(frac) > 1 {
			cents += int64(frac[1] - '0')
		}
		if len(frac) > 2 && frac[2] >= '5' {
			cents++
		}
	}
	if neg {
		cents = -cents
	}
	return cents, true
}

// maxUnits bounds amounts (in whole currency units) to keep sums of
// millions of rows far from overflow.
const maxUnits = 9e15

func parseCentsSlow(b []byte, neg bool) (int64, bool) {
	if b[0] == '-' || b[0] == '+' { // a second sign
		return 0, false
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > maxUnits {
		return 0, false
	}
	c := int64(math.Round(f * 100))
	if neg {
		c = -c
	}
	return c, true
}

func trimCurrency(b []byte) []byte {
	for {
		switch {
		case len(b) > 0 && b[0] == '$':
			b = b[1:]
		case hasPrefix(b, "¥"), hasPrefix(b, "￥"), hasPrefix(b, "€"), hasPrefix(b, "£"), hasPrefix(b, "RMB"), hasPrefix(b, "CNY"), hasPrefix(b, "USD"):
			b = b[prefixLen(b):]
		case hasSuffix(b, "元"):
			b = b[:len(b)-len("元")]
		default:
			return trimSpace(b)
		}
		b = trimSpace(b)
	}
}

func hasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }
func hasSuffix(b []byte, s string) bool { return len(b) >= len(s) && string(b[len(b)-len(s):]) == s }

func prefixLen(b []byte) int {
	for _, p := range []string{"¥", "￥", "€", "£", "RMB", "CNY", "USD"} {
		if hasPrefix(b, p) {
			return len(p)
		}
	}
	return 0
}

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
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
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
