package gen

import (
	"bufio"
	"fmt"
	"strconv"
)

// Headers of the two language variants, in column order.
var (
	HeaderEN = []string{"customer_id", "order_id", "order_date", "amount", "discount", "channel", "status"}
	HeaderZH = []string{"会员ID", "订单号", "下单时间", "实付金额", "优惠金额", "渠道", "订单状态"}
)

// Status values by language: paid, refunded.
var statusNames = [2][2]string{
	{"paid", "refunded"},
	{"已支付", "已退款"},
}

// badKind is the kind of deliberate damage done to a row.
type badKind uint8

const (
	badNone       badKind = iota
	badDate               // unparseable order date
	badCustomer           // empty customer id
	badAmount             // non-numeric amount
	badFieldCount         // too few or too many fields
	numBadKinds
)

// badValues hold the replacement texts of damaged fields.
var (
	badDates   = []string{"0000-00-00 00:00:00", "N/A", "########"}
	badAmounts = []string{"abc", "#VALUE!", "--"}
)

// row is one output line before formatting.
type row struct {
	customer string
	order    string
	day, sec int
	amount   int64 // cents paid; negative on refund rows
	discount int64 // cents
	channel  int
	refunded bool
}

// rowWriter formats rows into a buffered writer and damages the rows the
// bad-row schedule picks.
type rowWriter struct {
	out      *bufio.Writer
	cal      *calendar
	lang     int // 0 English, 1 Chinese
	buf      []byte
	rows     int // data rows written so far
	nextBad  int // index of the next row to damage
	interval int // mean distance between damaged rows
	badSeq   int // damaged rows so far; picks the kind in turn
}

// writeHeader writes the header line.
func (w *rowWriter) writeHeader() error {
	h := HeaderEN
	if w.lang == 1 {
		h = HeaderZH
	}
	b := w.buf[:0]
	for i, f := range h {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, f...)
	}
	b = append(b, '\n')
	w.buf = b
	if _, err := w.out.Write(b); err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	return nil
}

// write formats r, damaging it if the schedule says so, and reports the
// damage done (badNone for a good row). pick draws an index below n for
// the variant of the damage.
func (w *rowWriter) write(r row, pick func(n int) int) (badKind, error) {
	bad := badNone
	if w.rows == w.nextBad {
		bad = badKind(w.badSeq%int(numBadKinds-1)) + 1
		w.badSeq++
		w.nextBad += w.interval/2 + 1 + pick(w.interval)
	}
	w.rows++
	b := w.buf[:0]
	if bad != badCustomer {
		b = append(b, r.customer...)
	}
	b = append(b, ',')
	b = append(b, r.order...)
	b = append(b, ',')
	if bad == badDate {
		b = w.appendBadDate(b, r.day, pick)
	} else {
		b = append(b, w.cal.dates[r.day]...)
		b = append(b, ' ')
		b = appendClock(b, r.sec)
	}
	b = append(b, ',')
	switch {
	case bad == badAmount:
		b = append(b, badAmounts[pick(len(badAmounts))]...)
	case bad == badFieldCount && abs(r.amount) >= 100000:
		b = appendThousands(b, r.amount) // unquoted "1,234.56" splits the field
	default:
		b = appendCents(b, r.amount)
	}
	b = append(b, ',')
	b = appendCents(b, r.discount)
	b = append(b, ',')
	b = append(b, channelNames[w.lang][r.channel]...)
	if bad != badFieldCount || abs(r.amount) >= 100000 {
		status := 0
		if r.refunded {
			status = 1
		}
		b = append(b, ',')
		b = append(b, statusNames[w.lang][status]...)
	} // else: the status field is missing
	b = append(b, '\n')
	w.buf = b
	if _, err := w.out.Write(b); err != nil {
		return bad, fmt.Errorf("write row %d: %w", w.rows, err)
	}
	return bad, nil
}

// appendBadDate appends an unparseable date: an impossible calendar date
// in the row's year or one of the fixed junk values.
func (w *rowWriter) appendBadDate(b []byte, day int, pick func(int) int) []byte {
	i := pick(len(badDates) + 1)
	if i == len(badDates) {
		b = append(b, w.cal.dates[day][:4]...)
		return append(b, "-02-30 12:00:00"...)
	}
	return append(b, badDates[i]...)
}

// appendClock appends sec (seconds of the day) as HH:MM:SS.
func appendClock(b []byte, sec int) []byte {
	h, m, s := sec/3600, sec/60%60, sec%60
	return append(b, byte('0'+h/10), byte('0'+h%10), ':',
		byte('0'+m/10), byte('0'+m%10), ':', byte('0'+s/10), byte('0'+s%10))
}

// appendCents appends v cents as a decimal with two places, e.g. -12.05.
func appendCents(b []byte, v int64) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/100, 10)
	f := v % 100
	return append(b, '.', byte('0'+f/10), byte('0'+f%10))
}

// appendThousands appends v cents like appendCents but with comma
// thousands separators, e.g. 12,345.60.
func appendThousands(b []byte, v int64) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	digits := strconv.FormatInt(v/100, 10)
	for i, c := range []byte(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, c)
	}
	f := v % 100
	return append(b, '.', byte('0'+f/10), byte('0'+f%10))
}

// abs returns |v|.
func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
