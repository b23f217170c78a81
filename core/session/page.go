package session

import (
	"bytes"
	"math"
	"slices"
	"strings"

	"segsim/core/calendar"
	"segsim/core/engine"
	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/summary"
	"segsim/core/tier"
)

// Page keeps what the browser page needs between runs of one Dataset: the
// order of customers by revenue (for paging the customer table and the
// customers near a tier boundary), the histograms under the sliders and
// the Pareto curve. Everything is rebuilt only when
// the Dataset's customer table changes, so a View after a knob change is a
// few linear passes with no sorting.
type Page struct {
	d *engine.Dataset

	cust      *summary.Customers
	minLast   int32   // earliest last purchase day
	maxLast   int32   // latest last purchase day
	byRevenue []int32 // customers by revenue, largest first
	pareto    []tier.Point
	dateRange [2]string

	histKey histKey
	hist    [3]Histogram

	recHist    []int32
	tableKeys  []tableKey
	tableNames [][]string
	tableOut   [][]engine.Group
	nearKey    nearKey
	nearOut    []NearCustomer // recency days per group, for medians
	gridKey    gridKey        // the R × F grid changes only with R or F scores
	gridOut    []GridCell
	csv        bytes.Buffer
}

type histKey struct {
	cust      *summary.Customers
	asOf      int32
	frequency string
	monetary  string
}

// NewPage returns the page state for d.
func NewPage(d *engine.Dataset) *Page { return &Page{d: d} }

// engine.Dataset returns the dataset the page shows.
func (p *Page) Dataset() *engine.Dataset { return p.d }

// Histogram counts customers by one dimension in natural units (recency in
// days, frequency in orders or days, monetary in currency), in equal bins
// from Lo to Hi. Values above Hi (the 99th percentile for F and M) are
// counted in the last bin; Max is the largest value.
type Histogram struct {
	Dim    string  `json:"dim"`
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	Step   float64 `json:"step"`
	Max    float64 `json:"max"`
	Counts []int   `json:"counts"`
}

// GridCell is one cell of the R × F score grid.
type GridCell struct {
	R         int     `json:"r"`
	F         int     `json:"f"`
	Customers int     `json:"customers"`
	Revenue   float64 `json:"revenue"`
}

// NearCustomer is a customer just below a tier threshold.
type NearCustomer struct {
	Tier    string  `json:"tier"`
	ID      string  `json:"id"`
	Revenue float64 `json:"revenue"`
	Gap     float64 `json:"gap"` // revenue missing to reach the tier
}

// View is everything the page shows after a run: the report (with its
// business tables computed without sorting, and edges no customer reaches
// as -1), the R × F grid, the Pareto curve, the customers closest to moving
// up a tier, and the histograms under the sliders.
type View struct {
	engine.Report
	Near      []NearCustomer `json:"near"`
	Grid      []GridCell     `json:"grid"`
	Pareto    []tier.Point   `json:"pareto"`
	Hist      [3]Histogram   `json:"hist"`
	DateRange [2]string      `json:"date_range"`
}

// refresh rebuilds the per-table orders when the customer table changed.
func (p *Page) refresh() {
	t := p.d.Customers
	if t == p.cust {
		return
	}
	p.minLast, p.maxLast = slices.Min(t.Last), slices.Max(t.Last)
	p.byRevenue = p.byRevenue[:0] // sorted on the first Rows call
	p.nearKey = nearKey{}
	p.pareto = p.d.Ranking().Pareto(100)
	if first, last, ok := p.d.DayRange(); ok {
		p.dateRange = [2]string{calendar.Format(first), calendar.Format(last)}
	}
	p.cust = t
}

func orderBy(s []int32, n int, cmp func(a, b int32) int) []int32 {
	s = slices.Grow(s[:0], n)[:n]
	for i := range s {
		s[i] = int32(i)
	}
	slices.SortFunc(s, cmp)
	return s
}

func cmpDesc(a, b int64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// View assembles the view of a result from the last Run of the page's
// engine.Dataset. near bounds the customers listed below each tier threshold.
func (p *Page) View(r *engine.Result, s RunConfig, near int) *View {
	p.refresh()
	d := p.d
	t := d.Customers
	v := &View{Report: d.Overview(r), Pareto: p.pareto}
	for k := range v.Bins {
		// An edge no customer reaches is NaN, which JSON cannot carry: -1.
		edges := slices.Clone(v.Bins[k].Edges)
		for j, e := range edges {
			if math.IsNaN(e) || math.IsInf(e, 0) {
				edges[j] = -1
			}
		}
		v.Bins[k].Edges = edges
	}
	segments := engine.LabelSegment
	if r.Scheme == "rfm8" || r.Scheme == "" {
		segments = engine.LabelClass
	}
	tables := p.tables(r, []int{engine.LabelClass, segments, engine.LabelTier, engine.LabelStage},
		[][]string{rfm.ClassNames[:], r.SegmentNames, tier.Names[:], lifecycle.Names[:]})
	v.Classes, v.Segments, v.TierTable, v.Stages = tables[0], tables[1], tables[2], tables[3]
	if gk := (gridKey{t, p.d.ScoreKeys()[0], p.d.ScoreKeys()[1]}); gk != p.gridKey || p.gridOut == nil {
		p.gridOut, p.gridKey = grid(r, t), gk
	}
	v.Grid = p.gridOut
	v.Near = p.near(r, near)
	v.Hist = p.histograms(s, r.AsOfDay)
	v.DateRange = p.dateRange
	return v
}

// RunConfig names the RFM columns a view's histograms show: Frequency is
// "orders" or "days", Monetary "revenue" or "aov" (as in rfm.Config).
type RunConfig struct {
	Frequency string
	Monetary  string
}

// tables computes the business numbers per label of several groupings,
// like engine.Dataset.Table, with one pass over the customers per grouping and no
// sorting: the median recency of each group is read off a histogram of
// recency days. A grouping whose labels, names and as-of day are those of
// the previous call is not computed again (a slider on R, F or M leaves
// tiers and stages as they were).
func (p *Page) tables(r *engine.Result, labels []int, names [][]string) [][]engine.Group {
	t := p.d.Customers
	out := make([][]engine.Group, len(labels))
	if len(p.tableKeys) != len(labels) {
		p.tableKeys = make([]tableKey, len(labels))
		p.tableNames = make([][]string, len(labels))
		p.tableOut = make([][]engine.Group, len(labels))
	}
	// Recency runs from AsOfDay-maxLast to AsOfDay-minLast.
	lo := r.AsOfDay - p.maxLast
	span := int(p.maxLast-p.minLast) + 1
	for g, kind := range labels {
		ls := r.LabelColumn(kind)
		key := tableKey{cust: t, asOf: r.AsOfDay, res: r, kind: kind, labels: r.LabelGen(kind)}
		if key == p.tableKeys[g] && slices.Equal(names[g], p.tableNames[g]) {
			out[g] = slices.Clone(p.tableOut[g])
			continue
		}
		k := len(names[g])
		count := make([]int, k)
		orders := make([]int64, k)
		cents := make([]int64, k)
		p.recHist = slices.Grow(p.recHist[:0], k*span)[:k*span]
		clear(p.recHist)
		hist := p.recHist
		for i, l := range ls {
			count[l]++
			orders[l] += int64(t.Orders[i])
			cents[l] += t.Revenue[i]
			hist[int(l)*span+int(r.AsOfDay-t.Last[i]-lo)]++
		}
		groups := make([]engine.Group, k)
		n := float64(t.Len())
		total := float64(r.Revenue) / 100
		for l := range groups {
			grp := &groups[l]
			grp.Name = names[g][l]
			grp.Customers, grp.Orders = count[l], orders[l]
			grp.Revenue = float64(cents[l]) / 100
			if grp.Customers == 0 {
				continue
			}
			grp.Derive(n, total)
			grp.MedianRecency = histMedian(hist[l*span:(l+1)*span], grp.Customers) + float64(lo)
		}
		p.tableKeys[g], p.tableNames[g], p.tableOut[g] = key, slices.Clone(names[g]), groups
		out[g] = slices.Clone(groups)
	}
	return out
}

// tableKey identifies the input of one grouping's table, with its names
// (Page.tableNames): the labels are those of engine.Result res as its labels count
// left them (labels change only in engine.Dataset.Run).
type tableKey struct {
	cust   *summary.Customers
	asOf   int32
	res    *engine.Result
	kind   int // an index of engine.Result.labels
	labels uint64
}

// histMedian returns the median of n values counted in h (h[v] values
// equal to v): the middle value, or the mean of the two middle ones.
func histMedian(h []int32, n int) float64 {
	lower, upper := (n+1)/2, n/2+1 // 1-based positions of the middle values
	a, b := -1, -1
	seen := 0
	for v, c := range h {
		seen += int(c)
		if a < 0 && seen >= lower {
			a = v
		}
		if seen >= upper {
			b = v
			break
		}
	}
	if n%2 == 1 || b < 0 {
		return float64(a)
	}
	return float64(a+b) / 2
}

// gridKey identifies the R and F scores a grid was counted from.
type gridKey struct {
	t    *summary.Customers
	r, f engine.ScoreKey
}

// grid counts customers and revenue per (R score, F score).
func grid(r *engine.Result, t *summary.Customers) []GridCell {
	lr, lf := max(r.Bins[0].Levels, 1), max(r.Bins[1].Levels, 1)
	cells := make([]GridCell, lr*lf)
	for i := range cells {
		cells[i].R, cells[i].F = i/lf+1, i%lf+1
	}
	var cents [rfm.MaxLevels * rfm.MaxLevels]int64
	for i, rs := range r.R {
		k := (min(int(rs), lr)-1)*lf + min(int(r.F[i]), lf) - 1
		if k < 0 {
			continue
		}
		cells[k].Customers++
		cents[k] += t.Revenue[i]
	}
	for k := range cells {
		cells[k].Revenue = float64(cents[k]) / 100
	}
	return cells
}

// near lists, for each tier threshold, up to n customers just below it,
// closest first. It picks them in one pass per threshold (no sorting) and
// only when the thresholds change.
func (p *Page) near(r *engine.Result, n int) []NearCustomer {
	if n <= 0 {
		return nil
	}
	key := nearKey{p.d.Customers, r.TierThresholds, n}
	if key == p.nearKey {
		return p.nearOut
	}
	t := p.d.Customers
	var out []NearCustomer
	best := make([]int32, 0, n+1)
	for k, th := range r.TierThresholds {
		if th == math.MaxInt64 {
			continue
		}
		// Keep the n largest revenues below th, largest first, ties by index.
		best = best[:0]
		for i, v := range t.Revenue {
			if v >= th || (len(best) == n && v <= t.Revenue[best[n-1]]) {
				continue
			}
			j := len(best)
			for j > 0 && t.Revenue[best[j-1]] < v {
				j--
			}
			best = slices.Insert(best, j, int32(i))
			if len(best) > n {
				best = best[:n]
			}
		}
		for _, c := range best {
			out = append(out, NearCustomer{Tier: tier.Names[k], ID: t.ID(int(c)),
				Revenue: float64(t.Revenue[c]) / 100, Gap: float64(th-t.Revenue[c]) / 100})
		}
	}
	p.nearKey, p.nearOut = key, out
	return out
}

// nearKey identifies the input of near.
type nearKey struct {
	cust       *summary.Customers
	thresholds [3]int64
	n          int
}

// sortedByRevenue returns the customers by revenue, largest first, sorting
// them on first use after a load or a change of the cleaning knobs.
func (p *Page) sortedByRevenue() []int32 {
	t := p.d.Customers
	if len(p.byRevenue) != t.Len() {
		p.byRevenue = orderBy(p.byRevenue, t.Len(), func(a, b int32) int {
			if c := cmpDesc(t.Revenue[a], t.Revenue[b]); c != 0 {
				return c
			}
			return int(a - b)
		})
	}
	return p.byRevenue
}

// histBins is the number of bins of each histogram.
const histBins = 48

// histograms counts customers by R, F and M in natural units. They change
// only with the customer table, the as-of date and the F and M columns.
func (p *Page) histograms(s RunConfig, asOf int32) [3]Histogram {
	key := histKey{p.d.Customers, asOf, s.Frequency, s.Monetary}
	if key == p.histKey {
		return p.hist
	}
	k := p.d.Keys()
	t := p.d.Customers
	fcol, mcol := "orders", "revenue"
	if s.Frequency == "days" {
		fcol = "days"
	}
	if s.Monetary == "aov" {
		mcol = "aov"
	}
	last := k.Sorted("last") // ascending last day: recency descending
	n := len(last)
	if n == 0 {
		return p.hist
	}
	rmax := float64(int64(asOf) - last[0])
	p.hist[0] = histogram("R", 0, rmax, rmax, func(yield func(float64)) {
		for _, l := range t.Last {
			yield(float64(asOf - l))
		}
	})
	fs := k.Sorted(fcol)
	fhi := float64(fs[min(n-1, n*99/100)])
	fcolumn := k.Column(rfm.Config{Frequency: s.Frequency}, 'F')
	p.hist[1] = histogram("F", 0, max(fhi, 2), float64(fs[n-1]), func(yield func(float64)) {
		for _, v := range fcolumn {
			yield(float64(v))
		}
	})
	ms := k.Sorted(mcol)
	mhi := float64(ms[min(n-1, n*99/100)]) / 100
	mcolumn := k.Column(rfm.Config{Monetary: s.Monetary}, 'M')
	p.hist[2] = histogram("M", 0, max(mhi, 1), float64(ms[n-1])/100, func(yield func(float64)) {
		for _, v := range mcolumn {
			yield(float64(v) / 100)
		}
	})
	p.histKey = key
	return p.hist
}

func histogram(dim string, lo, hi, maxv float64, values func(func(float64))) Histogram {
	h := Histogram{Dim: dim, Lo: lo, Hi: hi, Max: maxv, Counts: make([]int, histBins)}
	h.Step = (hi - lo) / histBins
	if h.Step <= 0 {
		h.Step = 1
	}
	values(func(v float64) {
		b := int((v - lo) / h.Step)
		h.Counts[min(max(b, 0), histBins-1)]++
	})
	return h
}

// Row is one customer of the customer table.
type Row struct {
	ID        string  `json:"id"`
	Recency   int32   `json:"recency"`
	Orders    int32   `json:"orders"`
	Revenue   float64 `json:"revenue"`
	R         uint8   `json:"r"`
	F         uint8   `json:"f"`
	M         uint8   `json:"m"`
	Class     string  `json:"class"`
	Segment   string  `json:"segment"`
	Tier      string  `json:"tier"`
	Stage     string  `json:"stage"`
	Tags      string  `json:"tags"`
	LastOrder string  `json:"last_order"`
}

// Rows returns one page of the customer table, largest revenue first,
// optionally only the customers of one segment (segment < 0: all), and the
// number of customers that match.
func (p *Page) Rows(r *engine.Result, segment, offset, limit int) ([]Row, int) {
	classes := r.Scheme == "rfm8" || r.Scheme == ""
	// The total comes from the counts, so the walk stops at the page's
	// last row instead of reading every customer on every re-score.
	counts := r.SegmentCount[:]
	labels := r.Segment
	if classes {
		counts, labels = r.ClassCount[:], r.Class
	}
	if segment < 0 {
		return p.rowsWhere(r, nil, r.Len(), offset, limit)
	}
	total := 0
	if segment < len(counts) {
		total = counts[segment]
	}
	return p.rowsWhere(r, func(i int) bool { return int(labels[i]) == segment }, total, offset, limit)
}

// RowsWhere is Rows for the customers keep picks (an engine.Filter's
// selector; nil for all).
func (p *Page) RowsWhere(r *engine.Result, keep func(int) bool, offset, limit int) ([]Row, int) {
	total := r.Len()
	if keep != nil {
		total = 0
		for i := range r.Len() {
			if keep(i) {
				total++
			}
		}
	}
	return p.rowsWhere(r, keep, total, offset, limit)
}

// rowsWhere walks the customers by revenue and returns the page of those
// keep picks, of which there are total.
func (p *Page) rowsWhere(r *engine.Result, keep func(int) bool, total, offset, limit int) ([]Row, int) {
	p.refresh()
	classes := r.Scheme == "rfm8" || r.Scheme == ""
	var out []Row
	seen := 0
	for _, c := range p.sortedByRevenue() {
		if len(out) >= limit || seen >= total {
			break
		}
		if keep != nil && !keep(int(c)) {
			continue
		}
		seen++
		if seen <= offset {
			continue
		}
		label := r.Segment[c]
		if classes {
			label = r.Class[c]
		}
		cu := p.d.Customer(r, int(c))
		out = append(out, Row{
			ID: cu.ID, Recency: cu.Recency, Orders: cu.Orders, Revenue: float64(cu.Revenue) / 100,
			R: cu.R, F: cu.F, M: cu.M, Class: cu.Class, Segment: r.SegmentNames[label], Tier: cu.Tier, Stage: cu.Stage,
			Tags: strings.Join(cu.Tags, ";"), LastOrder: calendar.Format(cu.Last),
		})
	}
	return out, total
}

// CSV returns the per-customer CSV of WriteCSV in a buffer the page reuses:
// the bytes are valid until the next call.
func (p *Page) CSV(r *engine.Result, opt engine.CSVOptions) ([]byte, error) {
	p.csv.Reset()
	if err := p.d.WriteCSV(&p.csv, r, opt); err != nil {
		return nil, err
	}
	return p.csv.Bytes(), nil
}
