package segment

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"segsim/core/knob"
	"segsim/core/summary"
)

func cond(field string, lo, hi any) Condition {
	b := func(v any) Bound {
		switch x := v.(type) {
		case nil:
			return Bound{}
		case string:
			return Bound{Set: true, Stat: x}
		case int:
			return Num(float64(x))
		case float64:
			return Num(x)
		}
		panic(v)
	}
	return Condition{Field: field, Min: b(lo), Max: b(hi)}
}

func TestCoverage(t *testing.T) {
	s := Scheme{Name: "t", Default: "other", Rules: []Rule{
		{Name: "top", When: []Condition{cond("r_score", 3, 3), cond("f_score", 3, 3)}},
		{Name: "recent", When: []Condition{cond("r_score", 2, 3)}},
		{Name: "never", When: []Condition{cond("r_score", 3, 3), cond("f_score", 3, 3), cond("m_score", 1, 1)}},
	}}
	ch := s.CheckCoverage([3]int{3, 3, 3})
	// 27 cells; recent covers r 2..3 (18 cells); r = 1 (9 cells) are gaps.
	if ch.Cells != 27 || ch.Gaps != 9 {
		t.Errorf("cells %d gaps %d", ch.Cells, ch.Gaps)
	}
	if !slices.Equal(ch.Unreachable, []string{"never"}) {
		t.Errorf("unreachable %v", ch.Unreachable)
	}
	if len(ch.Overlaps) != 2 || !strings.HasPrefix(ch.Overlaps[0], "top & recent: 3 cells") {
		t.Errorf("overlaps %v", ch.Overlaps)
	}
}

func table(n int) *summary.Customers {
	t := &summary.Customers{}
	for i := 0; i < n; i++ {
		t.Key = append(t.Key, int32(i))
		t.First = append(t.First, 0)
		t.Last = append(t.Last, int32(i))
		t.Orders = append(t.Orders, int32(1+i%4))
		t.Days = append(t.Days, int32(1+i%4))
		t.Revenue = append(t.Revenue, int64(100*(i+1)))
		t.MaxOrder = append(t.MaxOrder, int64(100*(i+1)))
		t.MedianGap = append(t.MedianGap, -1)
		t.LastGap = append(t.LastGap, -1)
		t.DiscountOrders = append(t.DiscountOrders, int32(i%2)*int32(1+i%4))
		t.HeavyOrders = append(t.HeavyOrders, 0)
		t.WeekendOrders = append(t.WeekendOrders, 0)
		t.Refunds = append(t.Refunds, 0)
		t.Flags = append(t.Flags, 0)
	}
	return t
}

// TestAssignTableMatchesRules checks the lookup-table path against the
// rule-by-rule path on every customer.
func TestAssignTableMatchesRules(t *testing.T) {
	n := 200
	tb := table(n)
	f := NewFeatures(tb, int32(n))
	r, fs, m := make([]uint8, n), make([]uint8, n), make([]uint8, n)
	for i := range r {
		r[i], fs[i], m[i] = uint8(1+i%5), uint8(1+i/5%5), uint8(1+i/25%5)
	}
	f.SetScores(r, fs, m)
	s := Scheme{Name: "t", Default: "other", Rules: []Rule{
		{Name: "a", When: []Condition{cond("r_score", 4, 5), cond("f_score", 4, nil)}},
		{Name: "b", When: []Condition{cond("m_score", nil, 2)}},
		{Name: "c", When: []Condition{cond("r_score", 1, 3), cond("f_score", 1, 3)}},
	}}
	c, err := Compile(s)
	if err != nil || !c.ScoreOnly() {
		t.Fatal(err)
	}
	lut := make([]uint8, n)
	c.Assign(f, r, fs, m, lut)
	slow := &Compiled{Scheme: s}
	rules := make([]uint8, n)
	slow.Assign(f, r, fs, m, rules)
	if !slices.Equal(lut, rules) {
		t.Fatalf("lookup table and rules disagree")
	}
	for i := range lut {
		want := 3
		switch {
		case r[i] >= 4 && fs[i] >= 4:
			want = 0
		case m[i] <= 2:
			want = 1
		case r[i] <= 3 && fs[i] <= 3:
			want = 2
		}
		if int(lut[i]) != want {
			t.Fatalf("customer %d (r%d f%d m%d): segment %d, want %d", i, r[i], fs[i], m[i], lut[i], want)
		}
	}
}

// TestFeatureRulesAndTags checks feature rules with percentile and mean
// bounds, and tags, by hand: with columns kept, and with none kept.
func TestFeatureRulesAndTags(t *testing.T) {
	defer func(old int) { cacheCustomers = old }(cacheCustomers)
	for _, limit := range []int{cacheCustomers, 0} { // 0: no column kept, percentiles by selection
		cacheCustomers = limit
		featureRulesAndTags(t)
	}
}

func featureRulesAndTags(t *testing.T) {
	n := 10
	tb := table(n) // revenue 1..10 (currency), recency n - i, discount share 0 or 1
	f := NewFeatures(tb, int32(n))
	f.SetScores(make([]uint8, n), make([]uint8, n), make([]uint8, n))
	tags := []Rule{
		{Name: "big", When: []Condition{cond("revenue", "p90", nil)}},         // nearest rank: 9th value = 9
		{Name: "coupon", When: []Condition{cond("discount_share", 0.6, nil)}}, // odd customers
		{Name: "recent_big", When: []Condition{cond("recency", nil, 3), cond("revenue", "mean", nil)}},
	}
	out := make([]uint32, n)
	Tags(f, tags, out, make([]bool, n))
	for i := 0; i < n; i++ {
		rev := float64(i + 1)
		var want uint32
		if rev >= 9 {
			want |= 1
		}
		if i%2 == 1 {
			want |= 2
		}
		if n-i <= 3 && rev >= 5.5 {
			want |= 4
		}
		if out[i] != want {
			t.Errorf("customer %d tags %03b, want %03b (%s)", i, out[i], want, TagNames(tags, out[i], ";"))
		}
	}
	if got := TagNames(tags, 5, ";"); got != "big;recent_big" {
		t.Errorf("TagNames = %q", got)
	}
	// A scheme over features goes rule by rule.
	s := Scheme{Name: "x", Default: "rest", Rules: []Rule{{Name: "whales", When: []Condition{cond("revenue", 8, nil)}}}}
	c, _ := Compile(s)
	if c.ScoreOnly() {
		t.Fatal("feature scheme compiled to a table")
	}
	seg := make([]uint8, n)
	c.Assign(f, nil, nil, nil, seg)
	if !slices.Equal(seg, []uint8{1, 1, 1, 1, 1, 1, 1, 0, 0, 0}) {
		t.Errorf("segments %v", seg)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		s    Scheme
		want string
	}{
		{Scheme{Default: "d"}, "x.rules: the scheme has no rules"},
		{Scheme{Default: "d", Rules: []Rule{{Name: "a", When: []Condition{cond("age", 1, nil)}}}}, `x.rules[0].when[0].field: unknown field "age"`},
		{Scheme{Default: "d", Rules: []Rule{{Name: "a", When: []Condition{cond("r_score", nil, nil)}}}}, "neither min nor max"},
		{Scheme{Default: "d", Rules: []Rule{{Name: "a", When: []Condition{cond("r_score", "p90", nil)}}}}, "statistics are not allowed on scores"},
		{Scheme{Default: "d", Rules: []Rule{{Name: "a", When: []Condition{cond("revenue", "q9", nil)}}}}, `"q9" is not a number`},
		{Scheme{Default: "d", Rules: []Rule{{Name: "a", When: []Condition{cond("revenue", 5, 1)}}}}, "min 5 is above max 1"},
		{Scheme{Default: "a", Rules: []Rule{{Name: "a", When: []Condition{cond("revenue", 1, nil)}}}}, `"a" is used twice`},
		{Scheme{Rules: []Rule{{Name: "a", When: []Condition{cond("revenue", 1, nil)}}}}, "x.default: empty"},
	}
	for _, tc := range tests {
		err := tc.s.Validate("x")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate() = %v, want %q", err, tc.want)
		}
	}
}

func TestSchemeRuleLimit(t *testing.T) {
	s := Scheme{Default: "rest"}
	for i := 0; i <= MaxRules; i++ {
		s.Rules = append(s.Rules, Rule{Name: fmt.Sprintf("r%d", i), When: []Condition{{Field: "orders", Min: Bound{Set: true, Num: 1}}}})
	}
	err := s.Validate("segments.custom")
	if k := (*knob.Error)(nil); !errors.As(err, &k) || k.Path != "segments.custom.rules" || k.Value != fmt.Sprint(MaxRules+1) {
		t.Errorf("%d rules: %v", len(s.Rules), err)
	}
}
