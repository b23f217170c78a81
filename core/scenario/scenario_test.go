package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"segsim/core/knob"
	"segsim/core/segment"
	"segsim/seeds"
)

func TestRoundTrip(t *testing.T) {
	inputs := []string{
		`{}`,
		`{"version":1,"name":"workshop","window":{"start":"2024-01-01","end":"2024-06-30","asof":"2024-07-01"}}`,
		`{"rfm":{"r":{"method":"cuts","cuts":[30,90,180,365]},"m":{"method":"value","value":99.5},"split_f":{"method":"score","value":3}}}`,
		`{"segments":{"scheme":"custom","custom":{"name":"vip","rules":[{"name":"vip","label":{"en":"VIP","zh":"贵宾"},"when":[{"field":"revenue","min":"p95","max":null},{"field":"r_score","min":4}]}],"default":"rest"}}}`,
		`{"tags":[{"name":"loyal","when":[{"field":"orders","min":5}]}],"tiers":{"basis":"spend","cuts":[5000,1000,100]}}`,
		`{"clean":{"returns":"drop","zero_value":"drop","test_patterns":[],"outliers":"cap","outlier_percentile":99.5}}`,
	}
	for _, in := range inputs {
		s, err := Parse([]byte(in))
		if err != nil {
			t.Fatalf("Parse(%s): %v", in, err)
		}
		out, err := s.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		s2, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal(%s)): %v\n%s", in, err, out)
		}
		if !reflect.DeepEqual(s, s2) {
			t.Errorf("load → save → load differs for %s", in)
		}
		out2, _ := s2.Marshal()
		if !bytes.Equal(out, out2) {
			t.Errorf("save is not stable for %s", in)
		}
	}
}

func TestOverlayKeepsDefaults(t *testing.T) {
	s, err := Parse([]byte(`{"rfm":{"r":{"levels":3}}}`))
	if err != nil {
		t.Fatal(err)
	}
	d := Default()
	if s.RFM.R.Levels != 3 || s.RFM.R.Method != d.RFM.R.Method || !reflect.DeepEqual(s.RFM.F, d.RFM.F) || s.Tiers != d.Tiers {
		t.Errorf("overlay: %+v", s.RFM)
	}
	// A failed overlay leaves the scenario as it was.
	before, _ := s.Marshal()
	if err := s.Overlay([]byte(`{"rfm":{"r":{"levels":99}}}`)); err == nil {
		t.Fatal("levels 99 accepted")
	}
	after, _ := s.Marshal()
	if !bytes.Equal(before, after) {
		t.Error("failed overlay changed the scenario")
	}
}

func TestErrorsNameFieldAndValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{`[1]`, "is not a JSON object"},
		{`{"version":2}`, "version: 2 is newer"},
		{`{"version":"1"}`, `version: "1" is not a scenario version`},
		{`{"rfm":{"r":{"levels":"five"}}}`, `rfm.r.levels: "five" is not a whole number`},
		{`{"rfm":{"r":{"levels":2.5}}}`, `rfm.r.levels: 2.5 is not a whole number`},
		{`{"rfm":{"r":{"levels":12}}}`, `rfm.r.levels: 12 is not in 2..10`},
		{`{"rfm":{"r":{"methd":"cuts"}}}`, `rfm.r.methd: unknown field "methd"`},
		{`{"rfm":{"f":{"method":"cuts","cuts":[5,2]}}}`, `rfm.f.cuts[1]: 2 is not above the previous cut 5`},
		{`{"tiers":{"cuts":[0.5,0.8]}}`, `tiers.cuts: [0.5,0.8] has 2 elements; want 3`},
		{`{"tiers":{"basis":"gmv"}}`, `tiers.basis: "gmv"`},
		{`{"window":{"asof":"2024-13-01"}}`, `window.asof: date "2024-13-01" is not YYYY-MM-DD`},
		{`{"window":{"start":"2024-05-01","end":"2024-01-01"}}`, `window.end: 2024-01-01 is before window.start`},
		{`{"segments":{"scheme":"rfm12"}}`, `segments.scheme: "rfm12"`},
		{`{"segments":{"scheme":"custom"}}`, `segments.custom: missing`},
		{`{"tags":[{"name":"x","when":[{"field":"height","min":1}]}]}`, `tags[0].when[0].field: unknown field "height"`},
		{`{"tags":[{"name":"x","when":[{"field":"orders","min":true}]}]}`, `tags[0].when[0].min: true is not a number`},
		{`{"clean":{"returns":"keep"}}`, `clean.returns: "keep" is not one of net, drop`},
		{`{"lifecycle":{"active_min":50,"active_max":40}}`, `lifecycle.active_max: 40 is below active_min 50`},
		{`{"name":`, `not valid JSON`},
	}
	for _, tc := range tests {
		_, err := Parse([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%s) = %v, want %q", tc.in, err, tc.want)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%s): error %v does not wrap ErrInvalid", tc.in, err)
		}
	}
}

func TestPresets(t *testing.T) {
	sc, err := PresetScheme("rfm11")
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Rules) != 11 {
		t.Errorf("rfm11 has %d rules", len(sc.Rules))
	}
	ch := sc.CheckCoverage([3]int{5, 5, 5})
	if ch.Gaps != 0 || len(ch.Unreachable) != 0 {
		t.Errorf("rfm11 coverage: %+v", ch)
	}
	if _, err := PresetScheme("nope"); err == nil {
		t.Error("unknown preset accepted")
	}
	if len(DefaultTags()) == 0 {
		t.Error("no default tags")
	}
}

// FuzzScenario checks that any scenario Parse accepts survives a save and
// load unchanged, and that Parse never panics.
func FuzzScenario(f *testing.F) {
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"rfm":{"r":{"method":"cuts","cuts":[30,90]}},"segments":{"scheme":"rfm8"}}`))
	f.Add([]byte(`{"tags":[{"name":"a","when":[{"field":"aov","min":"p90"}]}],"window":{"asof":"2024-01-01"}}`))
	f.Add([]byte(`{"segments":{"scheme":"custom","custom":{"name":"c","rules":[{"name":"r","when":[{"field":"f_score","max":2}]}],"default":"d"}}}`))
	moved, _ := json.Marshal(Default())
	f.Fuzz(func(t *testing.T, data []byte) {
		// A Codec that read the default scenario reads data as Parse
		// does, and again after that.
		var c Codec
		sameAsParse(t, &c, moved)
		sameAsParse(t, &c, data)
		sameAsParse(t, &c, data)
		s, err := Parse(data)
		if err != nil {
			return
		}
		out, err := s.Marshal()
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		s2, err := Parse(out)
		if err != nil {
			t.Fatalf("saved scenario does not load: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(s, s2) {
			t.Fatalf("round trip changed the scenario:\n%s", out)
		}
	})
}

// TestErrorsNameTheField checks that validation errors carry the field's
// path and value as data (knob.Error), not only in the message.
func TestErrorsNameTheField(t *testing.T) {
	for _, c := range []struct{ doc, path, value string }{
		{`{"rfm":{"r":{"method":"quantile","levels":12}}}`, "rfm.r.levels", "12"},
		{`{"clean":{"returns":"keep"}}`, "clean.returns", `"keep"`},
		{`{"tiers":{"basis":"revenue_share","cuts":[0.8,0.5,0.9]}}`, "tiers.cuts[1]", "0.5"},
		{`{"rfm":{"m":{"method":"cuts","cuts":[10,"x"]}}}`, "rfm.m.cuts[1]", ""},
		{`{"window":{"start":"yesterday"}}`, "window.start", ""},
		{`{"plan":{"custom":{"segments":[{"segment":"lost","actions":[{"name":"a","channel":"sms","cost":0,"response":0.1,"baseline":0,"order_value":10,"margin":0.3}]}]}}}`, "plan.custom.segments[0].actions[0].cost", "0"},
		{`{"nope":1}`, "nope", ""},
		{`{"plan":{"budget":1e307}}`, "plan.budget", "1e+307"},
		{`{"clean":{"test_patterns":[` + strings.Repeat(`"a*",`, 100) + `"b*"]}}`, "clean.test_patterns", "101"},
		{`{"clean":{"test_patterns":["` + strings.Repeat("x", 101) + `"]}}`, "clean.test_patterns[0]", `"` + strings.Repeat("x", 40) + `…"`},
	} {
		_, err := Parse([]byte(c.doc))
		var k *knob.Error
		if !errors.As(err, &k) || k.Path != c.path || k.Value != c.value {
			t.Errorf("%s: %v; knob error %+v, want path %q value %q", c.doc, err, k, c.path, c.value)
		}
	}
}

func TestCheckAlone(t *testing.T) {
	raw, err := seeds.Preset("scenarios", "fixed_cuts")
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := fixed.CheckAlone(); err != nil {
		t.Errorf("fixed_cuts: %v", err)
	}
	err = Default().CheckAlone()
	if !errors.Is(err, ErrNeedsFixedCuts) || knob.Path(err) != "rfm.r.method" {
		t.Errorf("default: %v", err)
	}
	s := fixed.Clone()
	s.Tags[0].When[0].Min = segment.Bound{Set: true, Stat: "median"}
	if err := s.CheckAlone(); !errors.Is(err, ErrNeedsFixedCuts) || knob.Path(err) != "tags[0].when[0].min" {
		t.Errorf("tag at a statistic: %v", err)
	}
}

// TestBudgetGiven: a scenario that gives plan.budget without
// plan.budget_auto means that budget (scenarios written before the budget
// could be sized to the data); both parsers agree.
func TestBudgetGiven(t *testing.T) {
	var c Codec
	for _, tc := range []struct {
		json string
		auto bool
	}{
		{`{}`, true},
		{`{"plan":{"budget":5000}}`, false},
		{`{"plan":{"budget":5000,"budget_auto":true}}`, true},
		{`{"plan":{"budget_auto":false}}`, false},
		{`{"plan":{"by":"class"}}`, true},
	} {
		s, err := Parse([]byte(tc.json))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Parse([]byte(`{"plan":{"by":"stage"}}`)); err != nil {
			t.Fatal(err)
		}
		cs, err := c.Parse([]byte(tc.json))
		if err != nil {
			t.Fatal(err)
		}
		if s.Plan.BudgetAuto != tc.auto || cs.Plan.BudgetAuto != tc.auto {
			t.Errorf("%s: budget_auto %v (codec %v), want %v", tc.json, s.Plan.BudgetAuto, cs.Plan.BudgetAuto, tc.auto)
		}
	}
}
