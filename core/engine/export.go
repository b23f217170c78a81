package engine

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"segsim/core/calendar"
	"segsim/core/ingest"
	"segsim/core/jsonenc"
	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/segment"
	"segsim/core/strategy"
	"segsim/core/tier"
)

// Columns are the per-customer export columns, in order.
var Columns = []string{
	"customer_id", "first_date", "last_date", "recency_days", "frequency", "purchase_days", "monetary",
	"r_score", "f_score", "m_score", "rfm_class", "tier", "stage", "tags", "segment", "aov",
}

// ColumnsZh are the Chinese column names, in the order of Columns.
var ColumnsZh = []string{
	"客户ID", "首次购买日期", "最近购买日期", "最近购买距今天数", "购买次数", "购买天数", "消费金额",
	"R评分", "F评分", "M评分", "RFM分类", "价值层级", "生命周期阶段", "标签", "细分", "客单价",
}

// PredictColumns are appended to Columns when predictions are on:
// probability alive, expected purchases over the horizon, expected spend
// per order (Gamma-Gamma's conditional expectation) and CLV; the last two
// are empty when no spend model could be fitted.
var PredictColumns = []string{"p_alive", "expected_purchases", "expected_spend", "clv"}

// PredictColumnsZh are the Chinese names of PredictColumns.
var PredictColumnsZh = []string{"存活概率", "预期购买次数", "预期客单价", "预测客户终身价值"}

// PlanColumns are appended when a plan assigned actions: the action
// (empty when not contacted) and whether the customer is in the hold-out
// (true/false; in a Chinese file the action's Chinese name and 是/否).
var PlanColumns = []string{"action", "holdout"}

// PlanColumnsZh are the Chinese names of PlanColumns.
var PlanColumnsZh = []string{"运营动作", "对照组"}

// CSVOptions controls WriteCSV.
type CSVOptions struct {
	// BOM starts the file with a UTF-8 byte order mark, so that Excel reads
	// Chinese text correctly.
	BOM bool
	// Chinese writes Chinese column names, and the class, segment, tier,
	// stage and tag names in Chinese (a name without a Chinese label, as
	// in a custom scheme, stays as it is).
	Chinese bool
	// Only keeps the customers of one segment, class, tier, stage or
	// action (the zero Filter keeps everyone).
	Only Filter
}

// WriteCSV writes one row per customer (see Columns). Money has two
// decimals; dates are YYYY-MM-DD; tags are joined with ';'.
func (d *Dataset) WriteCSV(w io.Writer, r *Result, opt CSVOptions) error {
	keep, err := r.Selector(opt.Only)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if opt.BOM {
		bw.WriteString("\ufeff")
	}
	cols := Columns
	if opt.Chinese {
		cols = ColumnsZh
	}
	if r.Pred != nil {
		extra := PredictColumns
		if opt.Chinese {
			extra = PredictColumnsZh
		}
		cols = append(slices.Clone(cols), extra...)
	}
	if r.Assigned != nil {
		extra := PlanColumns
		if opt.Chinese {
			extra = PlanColumnsZh
		}
		cols = append(slices.Clone(cols), extra...)
	}
	carry := d.carried()
	for _, c := range d.Orders.Carry {
		cols = append(slices.Clone(cols), c.Header)
	}
	var line []byte
	for i, c := range cols {
		if i > 0 {
			line = append(line, ',')
		}
		line = appendCSVField(line, []byte(c))
	}
	line = append(line, '\n')
	bw.Write(line)
	t := d.Customers
	var tags []string
	dates := calendar.NewWriter(slices.Min(t.First), slices.Max(t.Last))
	for i := 0; i < t.Len(); i++ {
		if keep != nil && !keep(i) {
			continue
		}
		line = line[:0]
		c := d.customerIn(r, i, opt.Chinese, tags)
		tags = c.Tags
		line = appendCSVField(line, t.IDs.Key(t.Key[i]))
		line = append(line, ',')
		line = dates.Append(line, c.First)
		line = append(line, ',')
		line = dates.Append(line, c.Last)
		line = append(line, ',')
		line = strconv.AppendInt(line, int64(c.Recency), 10)
		line = append(line, ',')
		line = strconv.AppendInt(line, int64(c.Orders), 10)
		line = append(line, ',')
		line = strconv.AppendInt(line, int64(c.Days), 10)
		line = append(line, ',')
		line = AppendMoney(line, c.Revenue)
		for _, sc := range [3]uint8{c.R, c.F, c.M} {
			line = append(line, ',')
			line = strconv.AppendInt(line, int64(sc), 10)
		}
		line = append(line, ',')
		line = appendCSVField(line, []byte(c.Class))
		line = append(line, ',')
		line = appendCSVField(line, []byte(c.Tier))
		line = append(line, ',')
		line = appendCSVField(line, []byte(c.Stage))
		line = append(line, ',')
		line = appendTags(line, c.Tags)
		line = append(line, ',')
		line = appendCSVField(line, []byte(c.Segment))
		line = append(line, ',')
		line = AppendMoney(line, c.AOV)
		if p := r.Pred; p != nil {
			line = append(line, ',')
			line = strconv.AppendFloat(line, p.PAlive[i], 'f', 4, 64)
			line = append(line, ',')
			line = strconv.AppendFloat(line, p.Expected[i], 'f', 3, 64)
			line = append(line, ',')
			if p.Model.GGErr == nil {
				line = strconv.AppendFloat(line, p.ExpAOV[i], 'f', 2, 64)
			}
			line = append(line, ',')
			if p.Model.GGErr == nil {
				line = strconv.AppendFloat(line, p.CLV[i], 'f', 2, 64)
			}
		}
		if a := r.Assigned; a != nil {
			line = append(line, ',')
			if k := a.Action[i]; k >= 0 {
				line = appendCSVField(line, []byte(actionName(a.Names[k], opt.Chinese)))
			}
			line = append(line, ',')
			switch {
			case !opt.Chinese:
				line = strconv.AppendBool(line, a.Holdout[i])
			case a.Holdout[i]:
				line = append(line, "是"...)
			default:
				line = append(line, "否"...)
			}
		}
		for k, c := range d.Orders.Carry {
			line = append(line, ',')
			if v := carry[k][t.Key[i]]; v >= 0 {
				line = appendCSVField(line, c.Values.Key(v))
			}
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// appendTags appends the tag names joined by ";" as one CSV field.
func appendTags(line []byte, tags []string) []byte {
	if len(tags) == 1 {
		return appendCSVField(line, []byte(tags[0]))
	}
	var buf [256]byte
	b := buf[:0]
	for k, tg := range tags {
		if k > 0 {
			b = append(b, ';')
		}
		b = append(b, tg...)
	}
	return appendCSVField(line, b)
}

// actionName is an action's name as a CSV writes it: its Chinese display
// name in a Chinese file when the presets name it.
func actionName(name string, zh bool) string {
	if l, ok := strategy.ActionLabel(name); zh && ok && l.Zh != "" {
		return l.Zh
	}
	return name
}

// carried returns, per carried column (Orders.Carry), each customer's
// last non-empty value, by day and then by row, as an index into the
// column's Values; -1 when the customer has none. It is indexed by the
// order table's customer index (Customers.Key). A stats file's carry
// columns already hold one value per customer.
func (d *Dataset) carried() [][]int32 {
	o := d.Orders
	if len(o.Carry) == 0 {
		return nil
	}
	out := make([][]int32, len(o.Carry))
	if d.stats != nil {
		for k, c := range o.Carry {
			out[k] = c.Row
		}
		return out
	}
	lastDay := make([]int32, o.Customers.Len())
	for k, c := range o.Carry {
		v := make([]int32, o.Customers.Len())
		for i := range v {
			v[i] = -1
		}
		for i, x := range c.Row {
			if x < 0 {
				continue
			}
			cu := o.Cust[i]
			if v[cu] < 0 || o.Day[i] >= lastDay[cu] {
				v[cu], lastDay[cu] = x, o.Day[i]
			}
		}
		out[k] = v
	}
	return out
}

// AppendMoney appends cents as a decimal with two places.
func AppendMoney(b []byte, cents int64) []byte {
	if cents < 0 {
		b = append(b, '-')
		cents = -cents
	}
	b = strconv.AppendInt(b, cents/100, 10)
	return append(b, '.', byte('0'+cents%100/10), byte('0'+cents%10))
}

// appendCSVField quotes a field when it holds a comma, quote or newline.
func appendCSVField(b, f []byte) []byte {
	needs := false
	for _, c := range f {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			needs = true
			break
		}
	}
	if len(f) > 0 && (f[0] == ' ' || f[len(f)-1] == ' ') {
		needs = true
	}
	if !needs {
		return append(b, f...)
	}
	b = append(b, '"')
	for _, c := range f {
		if c == '"' {
			b = append(b, '"')
		}
		b = append(b, c)
	}
	return append(b, '"')
}

// Report is the load and clean report with the run's overview.
type Report struct {
	Load      *ingest.Report  `json:"load"`
	Clean     any             `json:"clean"`
	AsOf      string          `json:"asof"`
	Customers int             `json:"customers"`
	Revenue   float64         `json:"revenue"`
	Bins      [3]rfm.Bins     `json:"bins"`
	Split     [3]SplitEdge    `json:"split"`
	Scheme    string          `json:"scheme"`
	Check     *segment.Check  `json:"scheme_check,omitempty"`
	Tiers     []tier.Boundary `json:"tiers"`
	Buyers    lifecycle.Split `json:"buyers"`
	// BuyerSeries is the buyer split month by month over the data.
	BuyerSeries []lifecycle.Month `json:"buyer_series"`
	Classes     []Group           `json:"classes"`
	Segments    []Group           `json:"segments"`
	TierTable   []Group           `json:"tier_table"`
	Stages      []Group           `json:"stages"`
	Tags        []TagCount        `json:"tags"`
}

// TagCount is how many customers carry a tag.
type TagCount struct {
	Name      string `json:"name"`
	Customers int    `json:"customers"`
}

// Report assembles the report for a result.
func (d *Dataset) Report(r *Result) *Report {
	rep := d.Overview(r)
	rep.Classes, rep.Segments = d.Table(r, "class"), d.Table(r, "segment")
	rep.TierTable, rep.Stages = d.Table(r, "tier"), d.Table(r, "stage")
	return &rep
}

// overview is the report of a result without its business tables, which
// the report and the page's view compute each their own way.
// Overview returns the report of a run without its tables: the load and
// cleaning reports, the as-of date, customers, revenue and score bins.
func (d *Dataset) Overview(r *Result) Report {
	rep := Report{
		Load: d.Load, Clean: d.Clean, AsOf: calendar.Format(r.AsOfDay),
		Customers: r.Len(), Revenue: float64(r.Revenue) / 100,
		Bins: r.Bins, Split: r.Split, Scheme: r.Scheme, Check: r.Check,
		Tiers:  d.rank.Boundaries(r.TierThresholds, 0.1),
		Buyers: r.Buyers, BuyerSeries: r.BuyerSeries,
	}
	for k, t := range r.TagRules {
		rep.Tags = append(rep.Tags, TagCount{Name: t.Name, Customers: r.TagCount[k]})
	}
	return rep
}

// WriteJSON writes {"report": ..., "customers": [...]} with one object per
// customer holding the CSV columns; only, when not zero, keeps the
// customers of one group (see Filter).
func (d *Dataset) WriteJSON(w io.Writer, r *Result, only Filter) error {
	keep, err := r.Selector(only)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	rep, err := json.Marshal(d.Report(r))
	if err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	bw.WriteString(`{"report":`)
	bw.Write(rep)
	bw.WriteString(",\n\"customers\":[")
	t := d.Customers
	carry := d.carried()
	var b []byte
	first := true
	for i := 0; i < t.Len(); i++ {
		if keep != nil && !keep(i) {
			continue
		}
		b = b[:0]
		if !first {
			b = append(b, ",\n"...)
		}
		first = false
		c := d.Customer(r, i)
		b = append(b, `{"customer_id":`...)
		b = jsonenc.AppendString(b, c.ID)
		b = append(b, `,"first_date":"`...)
		b = calendar.Append(b, c.First)
		b = append(b, `","last_date":"`...)
		b = calendar.Append(b, c.Last)
		b = append(b, `","recency_days":`...)
		b = strconv.AppendInt(b, int64(c.Recency), 10)
		b = append(b, `,"frequency":`...)
		b = strconv.AppendInt(b, int64(c.Orders), 10)
		b = append(b, `,"purchase_days":`...)
		b = strconv.AppendInt(b, int64(c.Days), 10)
		b = append(b, `,"monetary":`...)
		b = AppendMoney(b, c.Revenue)
		b = append(b, `,"r_score":`...)
		b = strconv.AppendInt(b, int64(c.R), 10)
		b = append(b, `,"f_score":`...)
		b = strconv.AppendInt(b, int64(c.F), 10)
		b = append(b, `,"m_score":`...)
		b = strconv.AppendInt(b, int64(c.M), 10)
		b = append(b, `,"rfm_class":"`...)
		b = append(b, c.Class...)
		b = append(b, `","tier":"`...)
		b = append(b, c.Tier...)
		b = append(b, `","stage":"`...)
		b = append(b, c.Stage...)
		b = append(b, `","tags":`...)
		b = jsonenc.AppendString(b, strings.Join(c.Tags, ";"))
		b = append(b, `,"segment":`...)
		b = jsonenc.AppendString(b, c.Segment)
		b = append(b, `,"aov":`...)
		b = AppendMoney(b, c.AOV)
		if p := r.Pred; p != nil {
			b = append(b, `,"p_alive":`...)
			b = strconv.AppendFloat(b, p.PAlive[i], 'f', 4, 64)
			b = append(b, `,"expected_purchases":`...)
			b = strconv.AppendFloat(b, p.Expected[i], 'f', 3, 64)
			if p.Model.GGErr == nil {
				b = append(b, `,"expected_spend":`...)
				b = strconv.AppendFloat(b, p.ExpAOV[i], 'f', 2, 64)
				b = append(b, `,"clv":`...)
				b = strconv.AppendFloat(b, p.CLV[i], 'f', 2, 64)
			} else {
				b = append(b, `,"expected_spend":null,"clv":null`...)
			}
		}
		if a := r.Assigned; a != nil {
			b = append(b, `,"action":`...)
			if k := a.Action[i]; k >= 0 {
				b = jsonenc.AppendString(b, a.Names[k])
			} else {
				b = append(b, "null"...)
			}
			b = append(b, `,"holdout":`...)
			b = strconv.AppendBool(b, a.Holdout[i])
		}
		if len(carry) > 0 {
			vals := make(map[string]string, len(carry))
			for k, c := range d.Orders.Carry {
				if v := carry[k][t.Key[i]]; v >= 0 {
					vals[c.Header] = string(c.Values.Key(v))
				}
			}
			cj, err := json.Marshal(vals)
			if err != nil {
				return fmt.Errorf("write json: %w", err)
			}
			b = append(b, `,"carry":`...)
			b = append(b, cj...)
		}
		b = append(b, '}')
		if _, err := bw.Write(b); err != nil {
			return fmt.Errorf("write json: %w", err)
		}
	}
	bw.WriteString("]}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
