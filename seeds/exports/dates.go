package exports

import (
	"fmt"
	"strconv"
	"time"
)

// paidSpelling is for files without a status column: every order counts.
var paidSpelling = spelling{Complete: {""}}

// plainProfile is the profile of the date and amount files: short ids,
// every order paid, no status.
func plainProfile(customers int, prefix string) profile {
	return profile{
		customers: customers, spell: paidSpelling, products: enProducts,
		person:  prefixedPerson(prefix, 4, func(rng) string { return "" }),
		orderID: runningOrderIDs(prefix+"-O", 1000),
	}
}

// dateFormats are the ways dates_mixed.csv writes a date, used row by
// row in turn.
var dateFormats = []func(t time.Time) string{
	func(t time.Time) string { return t.Format("2006-01-02") },
	func(t time.Time) string { return t.Format("2006-01-02T15:04:05") + "+08:00" },
	func(t time.Time) string { return t.Format("2006-01-02T15:04:05") + "-05:00" },
	func(t time.Time) string { return t.Format("2006-01-02T15:04:05") + "Z" },
	func(t time.Time) string { return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day()) },
	func(t time.Time) string {
		return fmt.Sprintf("%d年%d月%d日 %02d:%02d", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute())
	},
	func(t time.Time) string { return strconv.Itoa(excelDay(t)) },
	func(t time.Time) string {
		frac := float64(t.Hour()*3600+t.Minute()*60+t.Second()) / 86400
		return strconv.Itoa(excelDay(t)) + strconv.FormatFloat(frac, 'f', 5, 64)[1:]
	},
	chineseClock,
	func(t time.Time) string { return t.Format("02.01.2006 15:04") },
}

// offsetFormat tells whether format k writes a UTC offset: half of those
// rows are moved to just before or after midnight, where converting to
// UTC would change the day.
func offsetFormat(k int) bool { return k >= 1 && k <= 3 }

// excel1900 is day 0 of Excel's 1900 date system as serials count it.
var excel1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// excelDay is t's day as a 1900-system serial (45292 is 2024-01-01).
func excelDay(t time.Time) int {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return int(day.Sub(excel1900).Hours() / 24)
}

// chineseClock writes 2024/1/2 下午3:05, the Chinese Excel 12-hour clock.
func chineseClock(t time.Time) string {
	half := "上午"
	if t.Hour() >= 12 {
		half = "下午"
	}
	return fmt.Sprintf("%d/%d/%d %s%d:%02d", t.Year(), int(t.Month()), t.Day(), half, hour12(t), t.Minute())
}

// hour12 is t's hour on a 12-hour clock (12, 1, …, 11).
func hour12(t time.Time) int {
	if h := t.Hour() % 12; h != 0 {
		return h
	}
	return 12
}

// datesMixed mixes, row by row, every date spelling in dateFormats.
func datesMixed() (File, error) {
	const name = "dates_mixed.csv"
	r := newRNG(seedOf(name))
	orders := generate(r, plainProfile(64, "D"))
	rows := make([][]string, 0, len(orders))
	for i := range orders {
		o := &orders[i]
		k := i % len(dateFormats)
		if offsetFormat(k) && i/len(dateFormats)%2 == 0 {
			o.Created = nearMidnight(r, o.Created)
		}
		rows = append(rows, []string{o.Buyer.ID, o.ID, dateFormats[k](o.Created), money(o.Paid)})
	}
	data, err := textFormat{comma: ','}.write([]string{"customer_id", "order_id", "order_date", "amount"}, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "dates mixed row by row: ISO, offsets, 年月日, Excel serials, 上午/下午, dd.mm.yyyy", data, orders, columns{}, len(rows), 0), nil
}

// nearMidnight moves t to 23:xx or 00:xx of its own day.
func nearMidnight(r rng, t time.Time) time.Time {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if r.chance(0.5) {
		return day.Add(time.Duration(23*60+r.IntN(60)) * time.Minute)
	}
	return day.Add(time.Duration(r.IntN(90)) * time.Minute)
}

// twoDigitDates writes a file whose dates have two-digit years.
func twoDigitDates(name, shape, prefix string, format func(k int, t time.Time) string) (File, error) {
	r := newRNG(seedOf(name))
	orders := generate(r, plainProfile(62, prefix))
	rows := make([][]string, 0, len(orders))
	for i, o := range orders {
		rows = append(rows, []string{o.Buyer.ID, o.ID, format(i, o.Created), money(o.Paid)})
	}
	data, err := textFormat{comma: ','}.write([]string{"customer_id", "order_id", "order_date", "amount"}, rows)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, shape, data, orders, columns{}, len(rows), 0), nil
}

// datesMDY writes M/D/YY h:mm AM/PM (1/2/24 1:05 PM).
func datesMDY() (File, error) {
	return twoDigitDates("dates_mdy_yy.csv", "M/D/YY h:mm AM/PM dates, two-digit years", "A", func(_ int, t time.Time) string {
		half := "AM"
		if t.Hour() >= 12 {
			half = "PM"
		}
		return fmt.Sprintf("%d/%d/%02d %d:%02d %s", int(t.Month()), t.Day(), t.Year()%100, hour12(t), t.Minute(), half)
	})
}

// datesDMY writes D/M/YY, every other row with a 24-hour time.
func datesDMY() (File, error) {
	return twoDigitDates("dates_dmy_yy.csv", "D/M/YY dates (some with HH:MM), two-digit years", "E", func(k int, t time.Time) string {
		s := fmt.Sprintf("%d/%d/%02d", t.Day(), int(t.Month()), t.Year()%100)
		if k%2 == 1 {
			s += t.Format(" 15:04")
		}
		return s
	})
}
