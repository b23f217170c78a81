package engine

import (
	"bufio"
	"io"
	"strconv"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/summary"
)

// StatsHeader is the header WriteStats writes: the six basic stats fields
// and every optional one (ingest.StatsOptional).
var StatsHeader = append([]string{"customer_id", "first_date", "last_date", "orders", "purchase_days", "revenue"}, ingest.StatsOptional...)

// WriteStats writes one stats row per customer of the last Run (cleaned
// as its scenario says), with every field and the carried columns (each
// customer's last non-empty value): the file a warehouse query of
// `segsim sql` gives, from which scoring gives this dataset's customer CSV
// again. Money is in currency units, dates YYYY-MM-DD; gaps are empty with
// one purchase day.
func (d *Dataset) WriteStats(w io.Writer) error {
	t := d.Customers
	repeat, err := d.repeatRevenue(t)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	b := make([]byte, 0, 256)
	for j, h := range StatsHeader {
		if j > 0 {
			b = append(b, ',')
		}
		b = append(b, h...)
	}
	carry := d.carried()
	for _, c := range d.Orders.Carry {
		b = append(b, ',')
		b = appendCSVField(b, []byte(c.Header))
	}
	b = append(b, '\n')
	for i := range t.Len() {
		b = appendCSVField(b, t.IDs.Key(t.Key[i]))
		b = append(b, ',')
		b = calendar.Append(b, t.First[i])
		b = append(b, ',')
		b = calendar.Append(b, t.Last[i])
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(t.Orders[i]), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(t.Days[i]), 10)
		b = append(b, ',')
		b = AppendMoney(b, t.Revenue[i])
		b = append(b, ',')
		b = AppendMoney(b, t.MaxOrder[i])
		b = append(b, ',')
		if t.MedianGap[i] >= 0 {
			b = strconv.AppendFloat(b, float64(t.MedianGap[i]), 'g', -1, 32)
		}
		b = append(b, ',')
		if t.LastGap[i] >= 0 {
			b = strconv.AppendInt(b, int64(t.LastGap[i]), 10)
		}
		b = append(b, ',')
		b = AppendMoney(b, t.Discount[i])
		for _, n := range []int32{t.DiscountOrders[i], t.HeavyOrders[i], t.WeekendOrders[i], t.Refunds[i]} {
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(n), 10)
		}
		b = append(b, ',')
		if c := t.FirstChannel[i]; c >= 0 && t.Channels != nil {
			b = appendCSVField(b, t.Channels.Key(c))
		}
		b = append(b, ',')
		b = AppendMoney(b, repeat[i])
		for k, c := range d.Orders.Carry {
			b = append(b, ',')
			if v := carry[k][t.Key[i]]; v >= 0 {
				b = appendCSVField(b, c.Values.Key(v))
			}
		}
		b = append(b, '\n')
		if len(b) > 48<<10 {
			if _, err := bw.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	if _, err := bw.Write(b); err != nil {
		return err
	}
	return bw.Flush()
}

// repeatRevenue sums each customer's sale rows after the first purchase
// day, in cents (the repeat spend Gamma-Gamma reads).
func (d *Dataset) repeatRevenue(t *summary.Customers) ([]int64, error) {
	if err := d.rowLevel(); err != nil {
		return nil, err
	}
	pos := t.Rows(d.Orders.Customers.Len())
	out := make([]int64, t.Len())
	for j, c := range d.Orders.Cust {
		if p := pos[c]; p >= 0 && d.disp[j] == summary.Sale && d.Orders.Day[j] != t.First[p] {
			out[p] += d.Orders.Cents[j]
		}
	}
	return out, nil
}
