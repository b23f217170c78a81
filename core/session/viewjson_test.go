package session

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"segsim/core/engine"
	"segsim/core/rfm"
	"segsim/core/scenario"
)

// TestViewEncoder runs one page through a series of knob changes and checks
// that the encoder, reusing the text of unchanged parts, writes the bytes
// encoding/json writes for every view.
func TestViewEncoder(t *testing.T) {
	d := sampleDataset(t, "apparel_zh.csv")
	p := NewPage(d)
	var e ViewEncoder
	s := scenario.Default()
	steps := []struct {
		name   string
		change func(s *scenario.Scenario)
	}{
		{"default", func(*scenario.Scenario) {}},
		{"same again", func(*scenario.Scenario) {}},
		{"M cuts", func(s *scenario.Scenario) { s.RFM.M.Method, s.RFM.M.Cuts = "cuts", []float64{50, 350, 550, 1250} }},
		{"M cut moved", func(s *scenario.Scenario) { s.RFM.M.Cuts[0] = 100 }},
		{"M cut back", func(s *scenario.Scenario) { s.RFM.M.Cuts[0] = 50 }},
		{"rfm8", func(s *scenario.Scenario) { s.Segments.Scheme = "rfm8" }},
		{"tiers", func(s *scenario.Scenario) { s.Tiers.Cuts = [3]float64{0.4, 0.7, 0.9} }},
		{"churn window", func(s *scenario.Scenario) { s.Lifecycle.ChurnDays = 120 }},
		{"no tags", func(s *scenario.Scenario) { s.Tags = nil }},
		{"R levels", func(s *scenario.Scenario) { s.RFM.R.Levels = 3 }},
		{"as-of", func(s *scenario.Scenario) { s.Window.AsOf = "2025-03-31" }},
	}
	for _, step := range steps {
		step.change(s)
		r, err := d.Run(s)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		for _, near := range []int{5, 8} {
			v := p.View(r, RunConfig{Frequency: s.RFM.Frequency, Monetary: s.RFM.Monetary}, near)
			want, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.AppendJSON(nil, v)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s, near %d: encoder wrote\n%s\nwant\n%s", step.name, near, got, want)
			}
		}
	}

	// A part changed in place, in memory the last view shares, is written
	// anew: the encoder compares with its own copy.
	v := p.View(mustRun(t, d, s), RunConfig{Frequency: s.RFM.Frequency, Monetary: s.RFM.Monetary}, 8)
	if _, err := e.AppendJSON(nil, v); err != nil {
		t.Fatal(err)
	}
	v.Pareto[3].Customers += 0.5
	v.Classes[0].Customers++
	v.Hist[2].Counts[0]++
	want, _ := json.Marshal(v)
	got, _ := e.AppendJSON(nil, v)
	if !bytes.Equal(got, want) {
		t.Fatalf("after changes in place: encoder wrote\n%s\nwant\n%s", got, want)
	}
	v.Check = nil
	want, _ = json.Marshal(v)
	got, _ = e.AppendJSON([]byte("x"), v)
	if string(got[:1]) != "x" || !bytes.Equal(got[1:], want) {
		t.Fatalf("without a scheme check: encoder wrote\n%s\nwant\n%s", got, want)
	}
}

func mustRun(t *testing.T, d *engine.Dataset, s *scenario.Scenario) *engine.Result {
	t.Helper()
	r, err := d.Run(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestViewEncoderFields guards the encoder's hand-written comparisons: a
// field added to the structures they compare must be added to them too.
func TestViewEncoderFields(t *testing.T) {
	for _, c := range []struct {
		typ  reflect.Type
		want int // JSON fields sameBins or sameHist compares
	}{{reflect.TypeFor[rfm.Bins](), 7}, {reflect.TypeFor[Histogram](), 6}} {
		n := 0
		for f := range c.typ.Fields() {
			if f.Tag.Get("json") != "-" {
				n++
			}
		}
		if n != c.want {
			t.Errorf("%s has %d JSON fields; the encoder compares %d: update its comparison", c.typ, n, c.want)
		}
	}
	if got, want := len(viewParts), reflect.TypeFor[View]().NumField()-1+reflect.TypeFor[engine.Report]().NumField(); got != want {
		t.Errorf("the encoder writes %d parts; View and engine.Report have %d fields", got, want)
	}
}
