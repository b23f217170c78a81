package rfm

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"segsim/core/summary"
)

// table builds a Customers table from per-customer (last day, orders, revenue cents).
func table(rows ...[3]int64) *summary.Customers {
	t := &summary.Customers{}
	for i, r := range rows {
		t.Key = append(t.Key, int32(i))
		t.First = append(t.First, int32(r[0]))
		t.Last = append(t.Last, int32(r[0]))
		t.Orders = append(t.Orders, int32(r[1]))
		t.Days = append(t.Days, int32(r[1]))
		t.Revenue = append(t.Revenue, r[2])
	}
	return t
}

func TestQuantileWithTies(t *testing.T) {
	// Frequencies 1,1,1,1,1,1,2,2,3,10: with 5 levels a score is
	// 1 + floor(5 × (customers with a smaller value) / 10).
	// value 1: 0 smaller → 1; value 2: 6 smaller → 4; 3: 8 → 5; 10: 9 → 5.
	freqs := []int64{1, 1, 1, 1, 1, 1, 2, 2, 3, 10}
	var rows [][3]int64
	for _, f := range freqs {
		rows = append(rows, [3]int64{100, f, 100})
	}
	k := Prepare(table(rows...))
	cfg := Default()
	b := k.Thresholds(cfg, 'F', 200)
	out := make([]uint8, len(freqs))
	Score(k.Column(cfg, 'F'), b.Thresholds, out)
	want := []uint8{1, 1, 1, 1, 1, 1, 4, 4, 5, 5}
	if !slices.Equal(out, want) {
		t.Fatalf("scores %v, want %v", out, want)
	}
	if !slices.Equal(b.Counts, []int{6, 0, 0, 2, 2}) || b.Effective != 3 || !strings.Contains(b.Note, "3 of 5") {
		t.Errorf("bins %+v", b)
	}
}

func TestRecencyDirection(t *testing.T) {
	// Last purchase days 10, 20, 30, 40 with as-of 41: recency 31, 21, 11, 1.
	k := Prepare(table([3]int64{10, 1, 1}, [3]int64{20, 1, 1}, [3]int64{30, 1, 1}, [3]int64{40, 1, 1}))
	cfg := Default()
	cfg.R = Dimension{Method: Quantile, Levels: 4}
	b := k.Thresholds(cfg, 'R', 41)
	out := make([]uint8, 4)
	Score(k.Column(cfg, 'R'), b.Thresholds, out)
	if !slices.Equal(out, []uint8{1, 2, 3, 4}) {
		t.Fatalf("quantile R scores %v: the most recent must score highest", out)
	}
	// Cuts in recency days: ≤5 → 3, ≤15 → 2, else 1.
	cfg.R = Dimension{Method: Cuts, Cuts: []float64{5, 15}}
	b = k.Thresholds(cfg, 'R', 41)
	Score(k.Column(cfg, 'R'), b.Thresholds, out)
	if !slices.Equal(out, []uint8{1, 1, 2, 3}) {
		t.Fatalf("cut R scores %v", out)
	}
	if !slices.Equal(b.Edges, Edges{15, 5}) {
		t.Errorf("edges %v", b.Edges)
	}
	// Boundary: a recency equal to the cut is inside it.
	cfg.R = Dimension{Method: Cuts, Cuts: []float64{11}}
	b = k.Thresholds(cfg, 'R', 41)
	Score(k.Column(cfg, 'R'), b.Thresholds, out)
	if !slices.Equal(out, []uint8{1, 1, 2, 2}) {
		t.Fatalf("recency 11 with cut 11: scores %v", out)
	}
}

func TestSplitsAndClasses(t *testing.T) {
	// Means: last day (10+20+30+40)/4 = 25 → high R for 30, 40;
	// orders (1+2+3+6)/4 = 3 → high F strictly above: 6 only;
	// revenue mean 250 → high M for 300, 500.
	tb := table([3]int64{10, 1, 100}, [3]int64{20, 2, 100}, [3]int64{30, 3, 300}, [3]int64{40, 6, 500})
	k := Prepare(tb)
	cfg := Default()
	var thr [3]int64
	var on [3]bool
	var keys [3][]int64
	for i, d := range []byte("RFM") {
		thr[i], on[i] = k.SplitThreshold(cfg, d, 41)
		keys[i] = k.Column(cfg, d)
	}
	out := make([]uint8, 4)
	Classify(keys, [3][]uint8{}, thr, on, out)
	want := []Class{GeneralRetain, GeneralRetain, ImportantDevelop, ImportantValue}
	for i := range out {
		if Class(out[i]) != want[i] {
			t.Errorf("customer %d: %s, want %s", i, ClassNames[out[i]], ClassNames[want[i]])
		}
	}
	// The eight classes cover the eight high/low combinations once each.
	seen := map[Class]bool{}
	for _, r := range []bool{false, true} {
		for _, f := range []bool{false, true} {
			for _, m := range []bool{false, true} {
				seen[ClassOf(r, f, m)] = true
			}
		}
	}
	if len(seen) != 8 || ClassOf(false, true, true) != ImportantKeep || ClassOf(true, false, false) != GeneralDevelop {
		t.Errorf("ClassOf mapping wrong: %v", seen)
	}
	// Median split and value split.
	cfg.SplitF = Split{Method: Median}           // median 2.5 → high for 3, 6
	cfg.SplitM = Split{Method: Value, Value: 1}  // ≥ 1.00 → all high
	cfg.SplitR = Split{Method: Value, Value: 11} // recency ≤ 11 → last ≥ 30
	for i, d := range []byte("RFM") {
		thr[i], on[i] = k.SplitThreshold(cfg, d, 41)
	}
	Classify(keys, [3][]uint8{}, thr, on, out)
	want = []Class{ImportantRetain, ImportantRetain, ImportantValue, ImportantValue}
	for i := range out {
		if Class(out[i]) != want[i] {
			t.Errorf("median/value split, customer %d: %s, want %s", i, ClassNames[out[i]], ClassNames[want[i]])
		}
	}
	// Split on scores: F score ≥ 2 with 2-level cuts at 3 orders.
	cfg.F = Dimension{Method: Cuts, Cuts: []float64{3}}
	cfg.SplitF = Split{Method: "score", Value: 2}
	fs := make([]uint8, 4)
	b := k.Thresholds(cfg, 'F', 41)
	Score(keys[1], b.Thresholds, fs)
	for i, d := range []byte("RFM") {
		thr[i], on[i] = k.SplitThreshold(cfg, d, 41)
	}
	Classify(keys, [3][]uint8{nil, fs, nil}, thr, on, out)
	if Class(out[1]) != ImportantRetain || Class(out[2]) != ImportantValue {
		t.Errorf("score split: %v", out)
	}
}

func TestMoneyCuts(t *testing.T) {
	k := Prepare(table([3]int64{1, 1, 9999}, [3]int64{1, 1, 10000}, [3]int64{1, 1, 30000}))
	cfg := Default()
	cfg.M = Dimension{Method: Cuts, Cuts: []float64{100, 300}}
	b := k.Thresholds(cfg, 'M', 2)
	out := make([]uint8, 3)
	Score(k.Column(cfg, 'M'), b.Thresholds, out)
	if !slices.Equal(out, []uint8{1, 2, 3}) || !slices.Equal(b.Edges, Edges{100, 300}) {
		t.Errorf("scores %v edges %v", out, b.Edges)
	}
	cfg.Monetary = "aov"
	cfg.M = Dimension{Method: Quantile, Levels: 2}
	if got := k.Thresholds(cfg, 'M', 2); len(got.Thresholds) != 1 {
		t.Errorf("aov thresholds %v", got.Thresholds)
	}
}

func TestScoreManyLevels(t *testing.T) {
	key := []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	thr := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	out := make([]uint8, 10)
	Score(key, thr, out)
	for i, s := range out {
		if int(s) != i+1 {
			t.Fatalf("scores %v", out)
		}
	}
	Score(key, []int64{math.MinInt64, math.MaxInt64}, out)
	if out[0] != 2 || out[9] != 2 {
		t.Errorf("unreachable/always thresholds: %v", out)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		mut  func(*Config)
		want string
	}{
		{func(c *Config) { c.Frequency = "visits" }, `rfm.frequency: "visits"`},
		{func(c *Config) { c.R.Levels = 12 }, "rfm.r.levels: 12 is not in 2..10"},
		{func(c *Config) { c.F = Dimension{Method: Cuts, Cuts: []float64{3, 2}} }, "rfm.f.cuts[1]: 2 is not above the previous cut 3"},
		{func(c *Config) { c.M = Dimension{Method: Cuts} }, "rfm.m.cuts: 0 cut points"},
		{func(c *Config) { c.M.Method = "ntile" }, `rfm.m.method: "ntile"`},
		{func(c *Config) { c.SplitR.Method = "mode" }, `rfm.split_r.method: "mode"`},
	}
	for _, tc := range tests {
		c := Default()
		tc.mut(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate() = %v, want %q", err, tc.want)
		}
	}
	if err := Default().Validate(); err != nil {
		t.Errorf("default: %v", err)
	}
}

func TestSortedCopy(t *testing.T) {
	for _, col := range [][]int64{{5, 3, 9, 3, 1}, {1e12, -5, 7}, {}, {4}} {
		got := sortedCopy(col)
		want := slices.Clone(col)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("sortedCopy(%v) = %v", col, got)
		}
	}
}

// TestScoreDimMatchesScore checks the lookup-table path against plain
// comparisons for every dimension and method.
func TestScoreDimMatchesScore(t *testing.T) {
	var rows [][3]int64
	for i := 0; i < 5000; i++ {
		rows = append(rows, [3]int64{int64(20000 + (i*7919)%900), int64(1 + (i*31)%17), int64((i * 104729) % 500000)})
	}
	k := Prepare(table(rows...))
	if k.key("last").compact == nil || k.key("orders").compact == nil {
		t.Fatal("no compact keys: the table path is not exercised")
	}
	for _, cfg := range []Config{Default(), func() Config {
		c := Default()
		c.R = Dimension{Method: Cuts, Cuts: []float64{30, 90, 180, 365}}
		c.F = Dimension{Method: Median}
		c.Frequency = "days"
		return c
	}()} {
		for _, dim := range []byte("RFM") {
			b := k.Thresholds(cfg, dim, 21000)
			want, got := make([]uint8, len(rows)), make([]uint8, len(rows))
			Score(k.Column(cfg, dim), b.Thresholds, want)
			k.ScoreDim(cfg, dim, b.Thresholds, got)
			if !slices.Equal(got, want) {
				t.Fatalf("%c: table scores differ from comparisons", dim)
			}
		}
	}
}

// TestRescore moves thresholds at random and checks that Rescore leaves
// every score as ScoreDim gives it, and lists exactly the customers whose
// score changed, for a compact key (orders) and a wide one (revenue).
func TestRescore(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	var rows [][3]int64
	for range 3000 {
		rows = append(rows, [3]int64{int64(rng.IntN(700)), int64(1 + rng.IntN(12)), int64(rng.IntN(500000))})
	}
	k := Prepare(table(rows...))
	for _, dim := range []byte("FM") {
		c := Config{Frequency: "orders", Monetary: "revenue"}
		key := k.Column(c, dim)
		hi := slices.Max(key)
		thr := []int64{hi / 5, 2 * hi / 5, 3 * hi / 5, 4 * hi / 5}
		scores := make([]uint8, len(key))
		k.ScoreDim(c, dim, thr, scores)
		used := 0
		for step := range 300 {
			next := slices.Clone(thr)
			j := rng.IntN(len(next))
			next[j] += int64(rng.IntN(int(hi/20+2))) - hi/40
			if step%5 == 0 {
				// Close thresholds all moved further than they are apart:
				// the span of each holds others.
				d := max(1, hi/100)
				b := int64(rng.IntN(int(hi - 4*d)))
				thr = []int64{b, b + d, b + 2*d, b + 3*d}
				k.ScoreDim(c, dim, thr, scores)
				next = []int64{b + 3*d/2, b + 5*d/2, b + 7*d/2, b + 9*d/2}
			}
			slices.Sort(next)
			before := slices.Clone(scores)
			moved, ok := k.Rescore(c, dim, thr, next, scores, nil)
			want := make([]uint8, len(key))
			k.ScoreDim(c, dim, next, want)
			if !ok {
				if !slices.Equal(scores, before) {
					t.Fatalf("%c step %d: Rescore refused but changed scores", dim, step)
				}
				copy(scores, want)
			} else {
				used++
				if !slices.Equal(scores, want) {
					t.Fatalf("%c step %d: scores differ from ScoreDim", dim, step)
				}
				var changed []int32
				for i := range want {
					if want[i] != before[i] {
						changed = append(changed, int32(i))
					}
				}
				slices.Sort(moved)
				if !slices.Equal(moved, changed) {
					t.Fatalf("%c step %d: moved %d customers, %d changed score", dim, step, len(moved), len(changed))
				}
			}
			thr = next
		}
		if used < 200 {
			t.Errorf("%c: Rescore worked on only %d of 300 small moves", dim, used)
		}
	}
}

// TestScoreRankByHand: R's ntile(c(1, 1, 1, 1, 2, 3), 3) is 1 1 2 2 3 3:
// the tie of four is split across scores 1 and 2 in customer order, and
// the bins say so.
func TestScoreRankByHand(t *testing.T) {
	orders := []int64{1, 1, 1, 1, 2, 3}
	k := &Keys{keys: map[string]*key{"orders": newKey(orders, false)}}
	c := Default()
	c.Ties = TiesSplit
	c.F = Dimension{Method: Quantile, Levels: 3}
	out := make([]uint8, 6)
	k.ScoreRank(c, 'F', 3, out)
	if want := []uint8{1, 1, 2, 2, 3, 3}; !slices.Equal(out, want) {
		t.Fatalf("rank scores %v, want %v", out, want)
	}
	b := k.Thresholds(c, 'F', 0)
	if !slices.Equal(b.Counts, []int{2, 2, 2}) || b.Effective != 3 || !strings.Contains(b.Note, "1 tie") {
		t.Fatalf("bins %+v", b)
	}
	// Together, the tie of four takes one score and score 2 goes unused.
	c.Ties = TiesTogether
	b = k.Thresholds(c, 'F', 0)
	Score(orders, b.Thresholds, out)
	if want := []uint8{1, 1, 1, 1, 3, 3}; !slices.Equal(out, want) || b.Effective != 2 {
		t.Fatalf("together: scores %v, bins %+v", out, b)
	}
}

// TestScoreRankProperties checks rank scores on random keys with many
// ties against what ntile promises: group sizes differ by at most one and
// match ⌈n/levels⌉ splits, a larger key never scores lower, and among
// equal keys a later customer never scores lower.
func TestScoreRankProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		n := 1 + rng.IntN(300)
		levels := 2 + rng.IntN(MaxLevels-1)
		keys := make([]int64, n)
		for i := range keys {
			keys[i] = int64(rng.IntN(1 + rng.IntN(20)))
		}
		k := &Keys{keys: map[string]*key{"orders": newKey(keys, false)}} // no compact copy: sorted by comparison
		c := Default()
		c.Ties = TiesSplit
		c.F = Dimension{Method: Quantile, Levels: levels}
		out := make([]uint8, n)
		k.ScoreRank(c, 'F', levels, out)
		counts := make([]int, levels)
		for _, s := range out {
			counts[s-1]++
		}
		if b := k.Thresholds(c, 'F', 0); !slices.Equal(b.Counts, counts) {
			t.Fatalf("trial %d: bins count %v, scores give %v", trial, b.Counts, counts)
		}
		if slices.Max(counts)-slices.Min(counts) > 1 {
			t.Fatalf("trial %d: group sizes %v", trial, counts)
		}
		// Through Prepare (orders kept compact, sorted by counting), the
		// same scores.
		var rows [][3]int64
		for _, v := range keys {
			rows = append(rows, [3]int64{100, v, 100})
		}
		viaPrepare := make([]uint8, n)
		Prepare(table(rows...)).ScoreRank(c, 'F', levels, viaPrepare)
		if !slices.Equal(viaPrepare, out) {
			t.Fatalf("trial %d: scores through Prepare %v, by hand %v", trial, viaPrepare, out)
		}
		for i := range n {
			for j := range n {
				if keys[i] < keys[j] && out[i] > out[j] || keys[i] == keys[j] && i < j && out[i] > out[j] {
					t.Fatalf("trial %d: customer %d (key %d) scores %d, customer %d (key %d) %d", trial, i, keys[i], out[i], j, keys[j], out[j])
				}
			}
		}
	}
}

// TestWarm: Warm sorts each dimension's customers ahead of the first
// re-score, which then reads them and scores as a full scoring does.
func TestWarm(t *testing.T) {
	k := Prepare(table([3]int64{100, 1, 500}, [3]int64{90, 3, 100}, [3]int64{80, 2, 900}, [3]int64{95, 1, 300}))
	c := Default()
	c.M = Dimension{Method: Cuts, Cuts: []float64{2, 6}}
	k.Warm(c)
	if len(k.perm) != 3 {
		t.Fatalf("%d permutations after Warm, want 3", len(k.perm))
	}
	scores := make([]uint8, 4)
	old := k.Thresholds(c, 'M', 101).Thresholds
	k.ScoreDim(c, 'M', old, scores)
	c.M.Cuts = []float64{4, 6}
	thr := k.Thresholds(c, 'M', 101).Thresholds
	if _, ok := k.Rescore(c, 'M', old, thr, scores, nil); !ok {
		t.Fatal("Rescore declined")
	}
	want := make([]uint8, 4)
	k.ScoreDim(c, 'M', thr, want)
	if !slices.Equal(scores, want) {
		t.Fatalf("rescored %v, scored %v", scores, want)
	}
}

// TestFixedMatchesKeys: for the methods that need no other customer, the
// thresholds, splits and keys of one customer are those Keys computes over
// a whole table; the others are refused.
func TestFixedMatchesKeys(t *testing.T) {
	tb := table([3]int64{100, 1, 500}, [3]int64{150, 4, 12000}, [3]int64{190, 9, 99999})
	k := Prepare(tb)
	cfg := Config{Frequency: "days", Monetary: "aov",
		R: Dimension{Method: Cuts, Cuts: []float64{30, 90, 180}}, F: Dimension{Method: Value, Value: 3},
		M:      Dimension{Method: Cuts, Cuts: []float64{9.99, 50, 0.1 + 0.2}},
		SplitR: Split{Method: Value, Value: 45}, SplitF: Split{Method: "score", Value: 1.5}, SplitM: Split{Method: Value, Value: 20}}
	const asOf = 200
	for _, dim := range []byte("RFM") {
		got, ok := cfg.FixedThresholds(dim, asOf, nil)
		if want := k.Thresholds(cfg, dim, asOf).Thresholds; !ok || !slices.Equal(got, want) {
			t.Errorf("%c thresholds: %v %v; want %v", dim, got, ok, want)
		}
		thr, onScore, ok := cfg.FixedSplit(dim, asOf)
		if wt, wo := k.SplitThreshold(cfg, dim, asOf); !ok || thr != wt || onScore != wo {
			t.Errorf("%c split: %d %v %v; want %d %v", dim, thr, onScore, ok, wt, wo)
		}
		for i := range tb.Len() {
			if got, want := cfg.KeyOf(tb, i, dim), k.Column(cfg, dim)[i]; got != want {
				t.Errorf("%c key of %d: %d; want %d", dim, i, got, want)
			}
		}
	}
	if got := cfg.KeyOf(tb, 2, 'M'); got != 99999/9 {
		t.Errorf("aov key = %d; want %d", got, 99999/9)
	}
	cfg.Monetary = "revenue"
	if got := cfg.KeyOf(tb, 2, 'M'); got != 99999 {
		t.Errorf("revenue key = %d; want 99999", got)
	}
	ranked := Default()
	if _, ok := ranked.FixedThresholds('R', asOf, nil); ok {
		t.Error("quantile thresholds taken as fixed")
	}
	if _, _, ok := ranked.FixedSplit('M', asOf); ok {
		t.Error("a mean split taken as fixed")
	}
}
