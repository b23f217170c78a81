package segment

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// MarshalJSON writes an unset bound as null, a statistic as its name and a
// number as a number.
func (b Bound) MarshalJSON() ([]byte, error) {
	switch {
	case !b.Set:
		return []byte("null"), nil
	case b.Stat != "":
		return json.Marshal(b.Stat)
	}
	return json.Marshal(b.Num)
}

// Num returns a bound set to v.
func Num(v float64) Bound { return Bound{Set: true, Num: v} }

// scoreOnly tells whether every condition of every rule reads only scores,
// so the scheme can be tabulated over score combinations.
func (s Scheme) scoreOnly() bool {
	for _, r := range s.Rules {
		for _, c := range r.When {
			if !isScore(c.Field) {
				return false
			}
		}
	}
	return true
}

// lutSide is the size of one score axis in the lookup table (scores 0..10).
const lutSide = 11

// Names returns the segment names in index order: the rules, then Default.
func (s Scheme) Names() []string {
	out := make([]string, 0, len(s.Rules)+1)
	for _, r := range s.Rules {
		out = append(out, r.Name)
	}
	return append(out, s.Default)
}

// Labels returns the display labels in index order, like Names.
func (s Scheme) Labels() []Label {
	out := make([]Label, 0, len(s.Rules)+1)
	for _, r := range s.Rules {
		out = append(out, r.Label)
	}
	return append(out, s.DefaultLabel)
}

func holds(c Condition, v float64) bool {
	lo, hi := math.Inf(-1), math.Inf(1)
	if c.Min.Set {
		lo = c.Min.Num
	}
	if c.Max.Set {
		hi = c.Max.Num
	}
	return v >= lo && v <= hi
}

func (r Rule) holdsForScores(rs, fs, ms int) bool {
	for _, c := range r.When {
		var v int
		switch c.Field {
		case "r_score":
			v = rs
		case "f_score":
			v = fs
		case "m_score":
			v = ms
		}
		if !holds(c, float64(v)) {
			return false
		}
	}
	return true
}

// table tabulates a score-only scheme: entry [r][f][m] is the segment index.
func (s Scheme) table() []uint8 {
	lut := make([]uint8, lutSide*lutSide*lutSide)
	for r := 0; r < lutSide; r++ {
		for f := 0; f < lutSide; f++ {
			for m := 0; m < lutSide; m++ {
				seg := len(s.Rules)
				for i, rule := range s.Rules {
					if rule.holdsForScores(r, f, m) {
						seg = i
						break
					}
				}
				lut[(r*lutSide+f)*lutSide+m] = uint8(seg)
			}
		}
	}
	return lut
}

// Compiled is a scheme ready to assign segments.
type Compiled struct {
	Scheme Scheme
	lut    []uint8 // nil unless score-only
	match  []bool
}

// Compile prepares s. Schemes of up to 255 rules are supported.
func Compile(s Scheme) (*Compiled, error) {
	if len(s.Rules) > 254 {
		return nil, fmt.Errorf("scheme %q has %d rules; at most 254", s.Name, len(s.Rules))
	}
	c := &Compiled{Scheme: s}
	if s.scoreOnly() {
		c.lut = s.table()
	}
	return c, nil
}

// ScoreOnly tells whether the scheme reads only R, F and M scores, so its
// segments change only when scores do.
func (c *Compiled) ScoreOnly() bool { return c.lut != nil }

// Lookup returns the segment index of scores r, f and m under a score-only
// scheme (ScoreOnly).
func (c *Compiled) Lookup(r, f, m uint8) uint8 {
	return c.lut[(int(r)*lutSide+int(f))*lutSide+int(m)]
}

// Assign writes each customer's segment index (see Scheme.Names) to out.
func (c *Compiled) Assign(f *Features, r, fs, m []uint8, out []uint8) {
	if c.lut != nil {
		lut := c.lut
		for i := range out {
			out[i] = lut[(int(r[i])*lutSide+int(fs[i]))*lutSide+int(m[i])]
		}
		return
	}
	def := uint8(len(c.Scheme.Rules))
	for i := range out {
		out[i] = def
	}
	if len(c.match) != len(out) {
		c.match = make([]bool, len(out))
	}
	for k := len(c.Scheme.Rules) - 1; k >= 0; k-- { // last to first, so the first match is written last
		f.Match(c.Scheme.Rules[k], c.match)
		for i, ok := range c.match {
			if ok {
				out[i] = uint8(k)
			}
		}
	}
}

// Check describes how a score-only scheme covers the score grid.
type Check struct {
	Cells       int      `json:"cells"`              // score combinations checked
	Overlaps    []string `json:"overlaps,omitempty"` // "champions & loyal: 12 cells" (first rule wins)
	Gaps        int      `json:"gaps"`               // cells no rule matches (they get the default)
	GapExamples []string `json:"gap_examples,omitempty"`
	Unreachable []string `json:"unreachable,omitempty"` // rules that never win a cell
	Note        string   `json:"note,omitempty"`
}

// CheckCoverage checks a scheme over every combination of scores with the
// given numbers of levels: which rules overlap (the first wins), which cells
// no rule covers, and which rules can never apply. Schemes that read
// features other than scores are only checked for score-only rules.
func (s Scheme) CheckCoverage(levels [3]int) Check {
	var ch Check
	if !s.scoreOnly() {
		ch.Note = "the scheme reads features besides scores: coverage depends on the data"
	}
	overlaps := map[[2]int]int{}
	wins := make([]int, len(s.Rules))
	for r := 1; r <= levels[0]; r++ {
		for f := 1; f <= levels[1]; f++ {
			for m := 1; m <= levels[2]; m++ {
				ch.Cells++
				var hit []int
				for i, rule := range s.Rules {
					if ruleScoreOnly(rule) && rule.holdsForScores(r, f, m) {
						hit = append(hit, i)
					}
				}
				if len(hit) == 0 {
					ch.Gaps++
					if len(ch.GapExamples) < 5 {
						ch.GapExamples = append(ch.GapExamples, fmt.Sprintf("R%d F%d M%d", r, f, m))
					}
					continue
				}
				wins[hit[0]]++
				for _, j := range hit[1:] {
					overlaps[[2]int{hit[0], j}]++
				}
			}
		}
	}
	for i := range s.Rules {
		for j := range s.Rules {
			if n := overlaps[[2]int{i, j}]; n > 0 {
				ch.Overlaps = append(ch.Overlaps, fmt.Sprintf("%s & %s: %d cells (%s wins)", s.Rules[i].Name, s.Rules[j].Name, n, s.Rules[i].Name))
			}
		}
		if wins[i] == 0 && ruleScoreOnly(s.Rules[i]) {
			ch.Unreachable = append(ch.Unreachable, s.Rules[i].Name)
		}
	}
	return ch
}

func ruleScoreOnly(r Rule) bool {
	for _, c := range r.When {
		if !isScore(c.Field) {
			return false
		}
	}
	return true
}

// Tags assigns up to 32 tags as bits: bit k is set when tag k applies.
func Tags(f *Features, tags []Rule, out []uint32, scratch []bool) {
	clear(out)
	for k, t := range tags {
		f.Match(t, scratch)
		bit := uint32(1) << k
		for i, ok := range scratch {
			if ok {
				out[i] |= bit
			}
		}
	}
}

// TagNames joins the names of the tags set in bits with sep.
func TagNames(tags []Rule, bits uint32, sep string) string {
	if bits == 0 {
		return ""
	}
	var b strings.Builder
	for k, t := range tags {
		if bits&(1<<k) != 0 {
			if b.Len() > 0 {
				b.WriteString(sep)
			}
			b.WriteString(t.Name)
		}
	}
	return b.String()
}
