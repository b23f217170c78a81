package session

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

	"segsim/core/engine"
	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/tier"
)

// ViewEncoder writes Views as JSON, byte for byte what encoding/json
// writes, and reuses the text of every part of the view that is equal to
// the part it wrote the time before. Between two slider moves most of a
// view (the Pareto curve, the histograms, the load report, most tables) has
// not changed, and formatting its numbers again was the largest cost of a
// re-score in the browser. The zero value is ready to use; a ViewEncoder
// is not safe for concurrent use.
type ViewEncoder struct {
	parts []partState
}

// partState is what the encoder keeps of one part: a test that tells
// whether the part changed since the text was written (and keeps a copy of
// it when it did), and the text.
type partState struct {
	changed func(v *View) bool
	text    []byte
}

// viewParts are the members of View's JSON in the order encoding/json
// writes them: the embedded Report's fields, then View's own. Tables of
// plain values are compared as slices; the rest by reflection.
var viewParts = [...]struct {
	key       string
	omitEmpty bool
	value     func(v *View) any
	changes   func() func(v *View) bool
}{
	{"load", false, func(v *View) any { return v.Load }, nil},
	{"clean", false, func(v *View) any { return v.Clean }, nil},
	{"asof", false, func(v *View) any { return v.AsOf }, nil},
	{"customers", false, func(v *View) any { return v.Customers }, nil},
	{"revenue", false, func(v *View) any { return v.Revenue }, nil},
	{"bins", false, func(v *View) any { return v.Bins }, arrayChanges(func(v *View) [3]rfm.Bins { return v.Bins }, sameBins, cloneBins)},
	{"split", false, func(v *View) any { return v.Split }, nil},
	{"scheme", false, func(v *View) any { return v.Scheme }, nil},
	{"scheme_check", true, func(v *View) any { return v.Check }, nil},
	{"tiers", false, func(v *View) any { return v.Tiers }, sliceChanges(func(v *View) []tier.Boundary { return v.Tiers })},
	{"buyers", false, func(v *View) any { return v.Buyers }, nil},
	{"buyer_series", false, func(v *View) any { return v.BuyerSeries }, sliceChanges(func(v *View) []lifecycle.Month { return v.BuyerSeries })},
	{"classes", false, func(v *View) any { return v.Classes }, sliceChanges(func(v *View) []engine.Group { return v.Classes })},
	{"segments", false, func(v *View) any { return v.Segments }, sliceChanges(func(v *View) []engine.Group { return v.Segments })},
	{"tier_table", false, func(v *View) any { return v.TierTable }, sliceChanges(func(v *View) []engine.Group { return v.TierTable })},
	{"stages", false, func(v *View) any { return v.Stages }, sliceChanges(func(v *View) []engine.Group { return v.Stages })},
	{"tags", false, func(v *View) any { return v.Tags }, sliceChanges(func(v *View) []engine.TagCount { return v.Tags })},
	{"near", false, func(v *View) any { return v.Near }, sliceChanges(func(v *View) []NearCustomer { return v.Near })},
	{"grid", false, func(v *View) any { return v.Grid }, sliceChanges(func(v *View) []GridCell { return v.Grid })},
	{"pareto", false, func(v *View) any { return v.Pareto }, sliceChanges(func(v *View) []tier.Point { return v.Pareto })},
	{"hist", false, func(v *View) any { return v.Hist }, arrayChanges(func(v *View) [3]Histogram { return v.Hist }, sameHist, cloneHist)},
	{"date_range", false, func(v *View) any { return v.DateRange }, nil},
}

// sliceChanges returns a constructor of a change test for a table of
// plain values: it compares with a copy of the last table, and tells nil
// (JSON null) from empty.
func sliceChanges[T comparable](get func(v *View) []T) func() func(v *View) bool {
	return func() func(v *View) bool {
		var last []T
		seen := false
		return func(v *View) bool {
			cur := get(v)
			if seen && sameSlice(cur, last) {
				return false
			}
			last, seen = slices.Clone(cur), true
			return true
		}
	}
}

// arrayChanges is sliceChanges for the three dimensions' structures.
func arrayChanges[T any](get func(v *View) [3]T, same func(a, b *T) bool, clone func(T) T) func() func(v *View) bool {
	return func() func(v *View) bool {
		var last [3]T
		seen := false
		return func(v *View) bool {
			cur := get(v)
			if seen && same(&cur[0], &last[0]) && same(&cur[1], &last[1]) && same(&cur[2], &last[2]) {
				return false
			}
			for k := range cur {
				last[k] = clone(cur[k])
			}
			seen = true
			return true
		}
	}
}

// sameBins tells whether two dimensions' bins write the same JSON.
func sameBins(a, b *rfm.Bins) bool {
	return a.Dim == b.Dim && a.Method == b.Method && a.Levels == b.Levels && a.Effective == b.Effective && a.Note == b.Note &&
		sameSlice(a.Edges, b.Edges) && sameSlice(a.Counts, b.Counts)
}

// cloneBins returns b with its own slices.
func cloneBins(b rfm.Bins) rfm.Bins {
	b.Edges, b.Counts = slices.Clone(b.Edges), slices.Clone(b.Counts)
	return b
}

// sameHist tells whether two histograms write the same JSON.
func sameHist(a, b *Histogram) bool {
	return a.Dim == b.Dim && a.Lo == b.Lo && a.Hi == b.Hi && a.Step == b.Step && a.Max == b.Max && sameSlice(a.Counts, b.Counts)
}

// cloneHist returns h with its own counts.
func cloneHist(h Histogram) Histogram {
	h.Counts = slices.Clone(h.Counts)
	return h
}

// sameSlice tells whether a and b hold the same values and are both nil
// (JSON null) or both not.
func sameSlice[S ~[]T, T comparable](a, b S) bool {
	return (a == nil) == (b == nil) && slices.Equal(a, b)
}

// reflectChanges is the change test of the other parts: reflect.DeepEqual
// against a deep copy.
func reflectChanges(value func(v *View) any) func(v *View) bool {
	var last reflect.Value
	seen := false
	return func(v *View) bool {
		cur := value(v)
		if seen && reflect.DeepEqual(cur, valueOf(last)) {
			return false
		}
		last, seen = deepCopy(reflect.ValueOf(cur)), true
		return true
	}
}

// AppendJSON appends v's JSON to b.
func (e *ViewEncoder) AppendJSON(b []byte, v *View) ([]byte, error) {
	if e.parts == nil {
		e.parts = make([]partState, len(viewParts))
		for i, p := range viewParts {
			if p.changes != nil {
				e.parts[i].changed = p.changes()
			} else {
				e.parts[i].changed = reflectChanges(p.value)
			}
		}
	}
	b = append(b, '{')
	first := true
	for i, p := range viewParts {
		val := p.value(v)
		if p.omitEmpty && reflect.ValueOf(val).IsNil() {
			continue
		}
		st := &e.parts[i]
		if st.changed(v) || st.text == nil {
			text, err := json.Marshal(val)
			if err != nil {
				e.parts = nil // start again: the copies kept may not match any text
				return b, fmt.Errorf("view: %s: %w", p.key, err)
			}
			st.text = text
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, p.key...)
		b = append(b, '"', ':')
		b = append(b, st.text...)
	}
	return append(b, '}'), nil
}

// valueOf is v's value, nil for the zero Value (a nil interface).
func valueOf(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	return v.Interface()
}

// deepCopy returns a copy of v that shares no memory a later change to v
// could reach through exported fields: the encoder compares the next view
// with it, and the engine reuses some tables' memory between runs.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(deepCopy(v.Elem()))
		return c
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type()).Elem()
		c.Set(deepCopy(v.Elem()))
		return c
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			c.Index(i).Set(deepCopy(v.Index(i)))
		}
		return c
	case reflect.Array:
		c := reflect.New(v.Type()).Elem()
		for i := range v.Len() {
			c.Index(i).Set(deepCopy(v.Index(i)))
		}
		return c
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			c.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		c.Set(v) // unexported fields as they are: JSON does not see them
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				c.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
		return c
	}
	return v
}
