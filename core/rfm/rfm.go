// Package rfm scores customers on recency, frequency and monetary value and
// assigns the eight RFM classes.
//
// Every scoring method reduces to ascending thresholds on an integer key
// where larger is better: the last purchase day for R (a more recent
// purchase is better), orders or purchase days for F, revenue or average
// order value in cents for M. A score is 1 plus the number of thresholds the
// key reaches, so equal values always get equal scores and a re-score is a
// few integer compares per customer, with no sorting: the sorted keys are
// built once per load by Prepare.
package rfm

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"segsim/core/knob"
	"segsim/core/radix"
	"segsim/core/summary"
)

// Method names.
const (
	Quantile = "quantile" // scores 1..Levels from the customer's rank
	Cuts     = "cuts"     // Levels-1 given thresholds
	Mean     = "mean"     // 2 levels split at the mean
	Median   = "median"   // 2 levels split at the median
	Value    = "value"    // 2 levels split at a given value
)

// Dimension configures how one of R, F and M is scored.
//
// For Cuts, thresholds are ascending in natural units: R in days of recency
// (score = 1 + number of cuts the recency is at or below), F in orders and M
// in currency units (score = 1 + number of cuts the value reaches). Mean and
// Median give 2 (high) to customers strictly better than the mean or median:
// a recency below it, a frequency or spend above it. Value gives 2 to a
// recency at or below Value, or a frequency or spend at or above it.
type Dimension struct {
	Method string    `json:"method"`
	Levels int       `json:"levels"`
	Cuts   []float64 `json:"cuts"`
	Value  float64   `json:"value"`
}

// Split configures the high/low split of one dimension for the eight
// classes: mean, median and value as for Dimension, or "score": high when
// the dimension's score is at least Value.
type Split struct {
	Method string  `json:"method"`
	Value  float64 `json:"value"`
}

// Config holds the RFM knobs.
type Config struct {
	// Frequency is "orders" (distinct orders) or "days" (distinct purchase days).
	Frequency string `json:"frequency"`
	// Monetary is "revenue" or "aov" (average order value).
	Monetary string    `json:"monetary"`
	R        Dimension `json:"r"`
	F        Dimension `json:"f"`
	M        Dimension `json:"m"`
	// SplitR, SplitF, SplitM decide high/low for the eight classes.
	SplitR Split `json:"split_r"`
	SplitF Split `json:"split_f"`
	SplitM Split `json:"split_m"`
	// Ties is how quantile scores treat customers with equal values:
	// TiesTogether gives them one score (a score a tie spans may then go
	// unused), TiesSplit cuts the ranks into equal groups like R's
	// ntile, equal values ordered as their customers first appear in
	// the data.
	Ties string `json:"ties"`
}

// The tie rules of quantile scores (Config.Ties).
const (
	TiesTogether = "together"
	TiesSplit    = "split"
)

// Default returns 5-level quantile scores and mean splits.
func Default() Config {
	q := Dimension{Method: Quantile, Levels: 5}
	m := Split{Method: Mean}
	return Config{Frequency: "orders", Monetary: "revenue", R: q, F: q, M: q, SplitR: m, SplitF: m, SplitM: m, Ties: TiesTogether}
}

// MaxLevels bounds the number of scores per dimension.
const MaxLevels = 10

// Validate reports the first bad knob, naming the field and value.
func (c Config) Validate() error {
	if c.Frequency != "orders" && c.Frequency != "days" {
		return knob.Bad("rfm.frequency", c.Frequency, "is not orders or days")
	}
	if c.Monetary != "revenue" && c.Monetary != "aov" {
		return knob.Bad("rfm.monetary", c.Monetary, "is not revenue or aov")
	}
	if c.Ties != TiesTogether && c.Ties != TiesSplit {
		return knob.Bad("rfm.ties", c.Ties, "is not together or split")
	}
	for _, d := range []struct {
		name string
		d    Dimension
	}{{"r", c.R}, {"f", c.F}, {"m", c.M}} {
		if err := d.d.validate("rfm." + d.name); err != nil {
			return err
		}
	}
	for _, s := range []struct {
		name string
		s    Split
	}{{"split_r", c.SplitR}, {"split_f", c.SplitF}, {"split_m", c.SplitM}} {
		switch s.s.Method {
		case Mean, Median, Value, "score":
		default:
			return knob.Bad(fmt.Sprintf("rfm.%s.method", s.name), s.s.Method, "is not mean, median, value or score")
		}
		if math.IsNaN(s.s.Value) || math.IsInf(s.s.Value, 0) {
			return knob.Bad(fmt.Sprintf("rfm.%s.value", s.name), s.s.Value, "is not a number")
		}
	}
	return nil
}

func (d Dimension) validate(field string) error {
	switch d.Method {
	case Quantile:
		if d.Levels < 2 || d.Levels > MaxLevels {
			return knob.Bad(fmt.Sprintf("%s.levels", field), d.Levels, "is not in 2..%d", MaxLevels)
		}
	case Cuts:
		if len(d.Cuts) < 1 || len(d.Cuts) >= MaxLevels {
			return knob.Bad(fmt.Sprintf("%s.cuts", field), len(d.Cuts), "cut points; want 1..%d", MaxLevels-1)
		}
		for i, v := range d.Cuts {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return knob.Bad(fmt.Sprintf("%s.cuts[%d]", field, i), v, "is not a non-negative number")
			}
			if i > 0 && v <= d.Cuts[i-1] {
				return knob.Bad(fmt.Sprintf("%s.cuts[%d]", field, i), v, "is not above the previous cut %v; cuts must ascend", d.Cuts[i-1])
			}
		}
	case Mean, Median, Value:
		if math.IsNaN(d.Value) || math.IsInf(d.Value, 0) {
			return knob.Bad(fmt.Sprintf("%s.value", field), d.Value, "is not a number")
		}
	default:
		return knob.Bad(fmt.Sprintf("%s.method", field), d.Method, "is not one of quantile, cuts, mean, median, value")
	}
	return nil
}

// Levels returns how many scores the dimension produces.
func (d Dimension) levels() int {
	switch d.Method {
	case Quantile:
		return d.Levels
	case Cuts:
		return len(d.Cuts) + 1
	}
	return 2
}

// Keys are the per-customer integer keys (last day, orders, purchase days,
// revenue, average order value) and their sorted copies. Each key is made
// on first use, once per customer table: a scenario that never scores on
// average order value never holds it.
type Keys struct {
	t    *summary.Customers
	keys map[string]*key
	// perm holds, per key, the customers in ascending key order; made on
	// the first Rescore of that key.
	perm map[string][]int32
}

// key is one key's column, its ascending copy and its sum.
type key struct {
	col, sorted []int64
	sum         float64
	// compact holds, for keys spanning fewer than 65,536 values (days,
	// order counts), each customer's key minus the smallest: scoring then
	// reads two bytes per customer and looks the score up in a small
	// table. It is nil for the others.
	compact *compactKey
}

type compactKey struct {
	lo, hi int64
	off    []uint16
}

// Prepare returns the keys of t, made and sorted on first use.
func Prepare(t *summary.Customers) *Keys {
	return &Keys{t: t, keys: make(map[string]*key, 5)}
}

// key returns key name (last, orders, days, revenue or aov), making it on
// first use.
func (k *Keys) key(name string) *key {
	if e, ok := k.keys[name]; ok {
		return e
	}
	t := k.t
	if name == "revenue" {
		e := newKey(t.Revenue, false) // the table's own column: not changed after cleaning
		k.keys[name] = e
		return e
	}
	col := make([]int64, t.Len())
	for i := range col {
		col[i] = keyOf(t, name, i)
	}
	e := newKey(col, name != "revenue" && name != "aov")
	k.keys[name] = e
	return e
}

// keyOf returns customer i's key name (last, orders, days, revenue or
// aov).
func keyOf(t *summary.Customers, name string, i int) int64 {
	switch name {
	case "last":
		return int64(t.Last[i])
	case "orders":
		return int64(t.Orders[i])
	case "days":
		return int64(t.Days[i])
	case "revenue":
		return t.Revenue[i]
	}
	return t.AOV(i)
}

// KeyOf returns the key customer i of t is scored on in dimension dim
// ('R', 'F' or 'M'): what Keys.Column holds for it.
func (c Config) KeyOf(t *summary.Customers, i int, dim byte) int64 {
	return keyOf(t, c.column(dim), i)
}

// newKey sorts col and sums it; small says whether a compact copy may
// help (keys that count days or orders).
func newKey(col []int64, small bool) *key {
	e := &key{col: col, sorted: sortedCopy(col)}
	if s := e.sorted; small && len(s) > 0 && s[len(s)-1]-s[0] < 1<<16 {
		c := &compactKey{lo: s[0], hi: s[len(s)-1], off: make([]uint16, len(col))}
		for i, v := range col {
			c.off[i] = uint16(v - c.lo)
		}
		e.compact = c
	}
	for _, v := range col {
		e.sum += float64(v)
	}
	return e
}

// sortedCopy returns col sorted ascending: by counting when the values
// span a small range (days, order counts), else by their digits.
func sortedCopy(col []int64) []int64 {
	out := slices.Clone(col)
	if len(col) == 0 {
		return out
	}
	lo, hi := slices.Min(col), slices.Max(col)
	if span := hi - lo; span >= 0 && span < 1<<20 && span < int64(len(col))*4 {
		counts := make([]int32, span+1)
		for _, v := range col {
			counts[v-lo]++
		}
		i := 0
		for v, c := range counts {
			for ; c > 0; c-- {
				out[i] = lo + int64(v)
				i++
			}
		}
		return out
	}
	radix.Sort(out)
	return out
}

// Sorted returns the ascending copy of a key: last, orders, days, revenue or aov.
func (k *Keys) Sorted(name string) []int64 { return k.key(name).sorted }

// Len returns the number of customers.
func (k *Keys) Len() int { return k.t.Len() }

// column names the key each dimension reads under c.
func (c Config) column(dim byte) string {
	switch dim {
	case 'R':
		return "last"
	case 'F':
		if c.Frequency == "days" {
			return "days"
		}
		return "orders"
	}
	if c.Monetary == "aov" {
		return "aov"
	}
	return "revenue"
}

// Column returns the per-customer key that dimension dim ('R', 'F' or 'M')
// is scored on.
func (k *Keys) Column(c Config, dim byte) []int64 { return k.key(c.column(dim)).col }

// unreachable is a threshold no key reaches.
const unreachable = math.MaxInt64

// Bins are the thresholds of one dimension and what they mean.
type Bins struct {
	Dim        string  `json:"dim"`
	Method     string  `json:"method"`
	Levels     int     `json:"levels"`
	Thresholds []int64 `json:"-"`
	Edges      Edges   `json:"edges"`     // thresholds in natural units (days, orders, currency)
	Counts     []int   `json:"counts"`    // customers per score, index 0 = score 1
	Effective  int     `json:"effective"` // scores that at least one customer gets
	Note       string  `json:"note,omitempty"`
}

// Edges are thresholds in natural units; NaN marks a threshold no customer
// can reach, written as null in JSON.
type Edges []float64

// MarshalJSON writes NaN as null.
func (e Edges) MarshalJSON() ([]byte, error) {
	b := []byte{'['}
	for i, v := range e {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b = append(b, "null"...)
			continue
		}
		b = strconv.AppendFloat(b, v, 'g', -1, 64)
	}
	return append(b, ']'), nil
}

// Thresholds computes the thresholds of dimension dim for the as-of day.
func (k *Keys) Thresholds(c Config, dim byte, asOf int32) Bins {
	d := c.dimension(dim)
	sorted := k.key(c.column(dim)).sorted
	n := len(sorted)
	b := Bins{Dim: string(dim), Method: d.Method, Levels: d.levels()}
	b.Thresholds = make([]int64, 0, max(b.Levels-1, 1))
	switch d.Method {
	case Quantile:
		for j := 1; j < d.Levels; j++ {
			pos := (j*n + d.Levels - 1) / d.Levels
			if c.Ties == TiesSplit {
				// The value where rank group j+1 starts: ScoreRank
				// scores by rank, and the counts are the groups' sizes.
				b.Thresholds = append(b.Thresholds, rankThreshold(sorted, pos))
				continue
			}
			b.Thresholds = append(b.Thresholds, quantileThreshold(sorted, pos))
		}
		if c.Ties == TiesSplit {
			b.fillRanks(n, dim, asOf, sorted)
			return b
		}
	case Cuts, Value:
		b.Thresholds, _ = c.FixedThresholds(dim, asOf, b.Thresholds)
	case Mean:
		b.Thresholds = append(b.Thresholds, strictlyAbove(k.key(c.column(dim)).sum/float64(max(n, 1))))
	case Median:
		b.Thresholds = append(b.Thresholds, strictlyAbove(summary.Median(sorted)))
	}
	b.fill(sorted, dim, asOf)
	return b
}

// FixedThresholds appends to buf the thresholds of dimension dim when its
// method needs no other customer (cuts or value), as Thresholds makes
// them; ok is false for the methods that compare customers.
func (c Config) FixedThresholds(dim byte, asOf int32, buf []int64) (_ []int64, ok bool) {
	d := c.dimension(dim)
	switch d.Method {
	case Cuts:
		from := len(buf)
		for _, v := range d.Cuts {
			buf = append(buf, natural(dim, v, asOf))
		}
		slices.Sort(buf[from:]) // R cuts ascend in days, so descend as last-day keys
		return buf, true
	case Value:
		return append(buf, natural(dim, d.Value, asOf)), true
	}
	return buf, false
}

// dimension returns the scoring of dim ('R', 'F' or 'M').
func (c Config) dimension(dim byte) Dimension {
	switch dim {
	case 'R':
		return c.R
	case 'F':
		return c.F
	}
	return c.M
}

// split returns the class split of dim ('R', 'F' or 'M').
func (c Config) split(dim byte) Split {
	switch dim {
	case 'R':
		return c.SplitR
	case 'F':
		return c.SplitF
	}
	return c.SplitM
}

// SplitThreshold returns the key threshold for the high side of a class
// split, or for method "score" the score threshold (as a key on scores).
func (k *Keys) SplitThreshold(c Config, dim byte, asOf int32) (threshold int64, onScore bool) {
	if t, onScore, ok := c.FixedSplit(dim, asOf); ok {
		return t, onScore
	}
	sorted := k.key(c.column(dim)).sorted
	if c.split(dim).Method == Mean {
		return strictlyAbove(k.key(c.column(dim)).sum / float64(max(len(sorted), 1))), false
	}
	return strictlyAbove(summary.Median(sorted)), false
}

// FixedSplit returns the class split threshold of dim, as SplitThreshold
// does, when its method needs no other customer (value or score); ok is
// false for mean and median.
func (c Config) FixedSplit(dim byte, asOf int32) (threshold int64, onScore, ok bool) {
	s := c.split(dim)
	switch s.Method {
	case Mean, Median:
		return 0, false, false
	case Value:
		return natural(dim, s.Value, asOf), false, true
	}
	return int64(math.Ceil(s.Value)), true, true
}

// quantileThreshold returns the smallest value whose first position in
// sorted is at least pos: customers below pos get a lower score, and equal
// values never straddle a threshold.
func quantileThreshold(sorted []int64, pos int) int64 {
	if pos <= 0 {
		return math.MinInt64
	}
	if pos < len(sorted) && sorted[pos] == sorted[pos-1] {
		// Skip the rest of the tie by bisection: a tie can hold most
		// customers (one order each), and this runs on every re-score.
		v := sorted[pos-1]
		pos += sort.Search(len(sorted)-pos, func(i int) bool { return sorted[pos+i] > v })
	}
	if pos >= len(sorted) {
		return unreachable
	}
	return sorted[pos]
}

// rankThreshold is the value at rank pos of sorted (unreachable past the
// end).
func rankThreshold(sorted []int64, pos int) int64 {
	if pos >= len(sorted) {
		return unreachable
	}
	return sorted[pos]
}

// SplitsTies tells whether dimension dim is scored by rank (ScoreRank):
// quantile scores with ties split.
func (c Config) SplitsTies(dim byte) bool {
	return c.Ties == TiesSplit && c.dimension(dim).Method == Quantile
}

// fillRanks fills the bins of rank scores over n customers: counts are
// the rank groups' sizes, edges the values where they start, and the note
// names the scores a tie was split across.
func (b *Bins) fillRanks(n int, dim byte, asOf int32, sorted []int64) {
	levels := b.Levels
	b.Counts = make([]int, levels)
	for j := range levels {
		b.Counts[j] = ((j+1)*n+levels-1)/levels - (j*n+levels-1)/levels
		if b.Counts[j] > 0 {
			b.Effective++
		}
	}
	b.Edges = make([]float64, 0, len(b.Thresholds))
	for _, t := range b.Thresholds {
		b.Edges = append(b.Edges, toNatural(dim, t, asOf))
	}
	split := 0
	for j := 1; j < levels; j++ {
		if pos := (j*n + levels - 1) / levels; pos > 0 && pos < n && sorted[pos] == sorted[pos-1] {
			split++
		}
	}
	if split > 0 {
		b.Note = strconv.Itoa(split) + " tie(s) split across scores by the order customers first appear in the data"
	}
}

// ScoreRank writes rank scores of dimension dim with levels groups into
// out, as R's ntile: the customer at 0-based rank p of n (ascending key,
// equal keys in customer order) scores ⌊levels·p/n⌋ + 1.
func (k *Keys) ScoreRank(c Config, dim byte, levels int, out []uint8) {
	perm := k.permutation(c.column(dim), k.Column(c, dim))
	n := len(perm)
	for p, i := range perm {
		out[i] = uint8(levels*p/n + 1)
	}
}

// strictlyAbove is the smallest integer key greater than x.
func strictlyAbove(x float64) int64 { return int64(math.Floor(x)) + 1 }

// natural converts a value in natural units to a key threshold: recency
// days r become "last day ≥ asOf − r"; orders stay (rounded up); money in
// currency units becomes cents (rounded up).
func natural(dim byte, v float64, asOf int32) int64 {
	switch dim {
	case 'R':
		return int64(asOf) - int64(math.Floor(v))
	case 'F':
		return int64(math.Ceil(v))
	}
	return int64(math.Ceil(math.Round(v*1e6) / 1e4)) // cents, tolerant of 0.1+0.2 style input
}

// toNatural converts a key threshold back to natural units for display.
func toNatural(dim byte, t int64, asOf int32) float64 {
	switch {
	case t == unreachable || t == math.MinInt64:
		return math.NaN()
	case dim == 'R':
		return float64(int64(asOf) - t)
	case dim == 'F':
		return float64(t)
	}
	return float64(t) / 100
}

func (b *Bins) fill(sorted []int64, dim byte, asOf int32) {
	levels := len(b.Thresholds) + 1
	b.Counts = make([]int, levels)
	prev := 0
	for j, t := range b.Thresholds {
		at, _ := slices.BinarySearch(sorted, t)
		if t == math.MinInt64 {
			at = 0
		}
		b.Counts[j] = max(0, at-prev)
		prev = max(prev, at)
	}
	b.Counts[levels-1] = len(sorted) - prev
	b.Edges = make([]float64, 0, len(b.Thresholds))
	for _, t := range b.Thresholds {
		b.Edges = append(b.Edges, toNatural(dim, t, asOf))
	}
	for _, c := range b.Counts {
		if c > 0 {
			b.Effective++
		}
	}
	if b.Effective < levels {
		note := make([]byte, 0, 120)
		note = strconv.AppendInt(note, int64(b.Effective), 10)
		note = append(note, " of "...)
		note = strconv.AppendInt(note, int64(levels), 10)
		note = append(note, " scores are used: no customer gets score "...)
		sep := ""
		for j, c := range b.Counts {
			if c == 0 {
				note = append(note, sep...)
				note = strconv.AppendInt(note, int64(j+1), 10)
				sep = ", "
			}
		}
		b.Note = string(append(note, " (ties: many customers share a value)"...))
	}
}

// ScoreDim writes the scores of dimension dim under thresholds into out,
// through a lookup table when the key spans few values.
func (k *Keys) ScoreDim(c Config, dim byte, thresholds []int64, out []uint8) {
	ck := k.key(c.column(dim)).compact
	if ck == nil {
		Score(k.Column(c, dim), thresholds, out)
		return
	}
	lut := make([]uint8, ck.hi-ck.lo+1)
	for j := range lut {
		v := ck.lo + int64(j)
		s := uint8(1)
		for _, t := range thresholds {
			s += b2u(v >= t)
		}
		lut[j] = s
	}
	off := ck.off[:len(out)]
	for i, o := range off {
		out[i] = lut[o]
	}
}

// Rescore scores dimension dim again under thresholds, where old (as many
// thresholds) scored it before: only customers whose key lies between a
// threshold's old and new value can score differently, and only they are
// looked at, in key order. It appends those whose score changed to moved.
// When that would look at more than a third of the customers it does
// nothing and returns ok false: scoring everyone (ScoreDim) is then faster.
// Keys are not safe for concurrent use.
func (k *Keys) Rescore(c Config, dim byte, old, thresholds []int64, scores []uint8, moved []int32) (_ []int32, ok bool) {
	name := c.column(dim)
	sorted, key := k.key(name).sorted, k.Column(c, dim)
	if len(old) != len(thresholds) {
		return moved, false
	}
	var spans [MaxLevels][2]int
	total := 0
	for j, t := range thresholds {
		lo, hi := min(old[j], t), max(old[j], t)
		a, _ := slices.BinarySearch(sorted, lo)
		b, _ := slices.BinarySearch(sorted, hi)
		spans[j] = [2]int{a, b}
		total += b - a
	}
	if total*3 > len(sorted) {
		return moved, false
	}
	perm := k.permutation(name, key)
	for j, sp := range spans[:len(thresholds)] {
		ids := perm[sp[0]:sp[1]]
		vals := sorted[sp[0]:sp[1]][:len(ids)] // key[i], read in order
		// The keys of span j lie between threshold j's old and new value.
		// When no other threshold lies there too, each key passes the
		// same other thresholds (base counts them), and threshold j alone
		// decides the rest of its score.
		lo, hi := min(old[j], thresholds[j]), max(old[j], thresholds[j])
		base, alone := uint8(1), true
		for m, t := range thresholds {
			switch {
			case m == j:
			case t <= lo:
				base++
			case t < hi:
				alone = false
			}
		}
		if alone {
			tj := thresholds[j]
			for p, i := range ids {
				if s := base + b2u(vals[p] >= tj); s != scores[i] {
					scores[i] = s
					moved = append(moved, i)
				}
			}
			continue
		}
		for p, i := range ids {
			v, s := vals[p], uint8(1)
			for _, t := range thresholds {
				s += b2u(v >= t)
			}
			if s != scores[i] {
				scores[i] = s
				moved = append(moved, i)
			}
		}
	}
	return moved, true
}

// Warm makes ahead of time what the first re-score of each dimension
// of c would make on first use (the customers in key order), so that a
// host can spend idle time on it instead of the first slider move.
func (k *Keys) Warm(c Config) {
	for _, dim := range []byte("RFM") {
		k.permutation(c.column(dim), k.Column(c, dim))
	}
}

// permutation returns the customers in ascending order of key (column
// name), sorting them on first use.
func (k *Keys) permutation(name string, key []int64) []int32 {
	if p, ok := k.perm[name]; ok {
		return p
	}
	p := make([]int32, len(key))
	if ck := k.key(name).compact; ck != nil {
		// Counting sort on the small offsets.
		next := make([]int32, ck.hi-ck.lo+2)
		for _, o := range ck.off[:len(key)] {
			next[int(o)+1]++
		}
		for j := 1; j < len(next); j++ {
			next[j] += next[j-1]
		}
		for i, o := range ck.off[:len(key)] {
			p[next[o]] = int32(i)
			next[o]++
		}
	} else {
		for i := range p {
			p[i] = int32(i)
		}
		slices.SortFunc(p, func(a, b int32) int {
			if c := cmp.Compare(key[a], key[b]); c != 0 {
				return c
			}
			return cmp.Compare(a, b) // equal keys in customer order, as ScoreRank needs
		})
	}
	if k.perm == nil {
		k.perm = make(map[string][]int32, 3)
	}
	k.perm[name] = p
	return p
}

// Score writes 1-based scores for key under thresholds into out.
func Score(key []int64, thresholds []int64, out []uint8) {
	switch len(thresholds) {
	case 1:
		t0 := thresholds[0]
		for i, v := range key {
			out[i] = 1 + b2u(v >= t0)
		}
	case 4:
		t0, t1, t2, t3 := thresholds[0], thresholds[1], thresholds[2], thresholds[3]
		for i, v := range key {
			out[i] = 1 + b2u(v >= t0) + b2u(v >= t1) + b2u(v >= t2) + b2u(v >= t3)
		}
	default:
		for i, v := range key {
			s := uint8(1)
			for _, t := range thresholds {
				s += b2u(v >= t)
			}
			out[i] = s
		}
	}
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
