// Package scenario defines the Scenario: every knob of a segsim run in one
// versioned JSON document. The browser, the edge worker, exported files and
// share links all speak it. Scenarios are read with gjson, validated with
// errors that name the field and the value, and written back so that
// load → save → load gives the same scenario.
package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/tidwall/gjson"

	"segsim/core/calendar"
	"segsim/core/clean"
	"segsim/core/jsoncheck"
	"segsim/core/knob"
	"segsim/core/lifecycle"
	"segsim/core/predict"
	"segsim/core/rfm"
	"segsim/core/segment"
	"segsim/core/simulate"
	"segsim/core/strategy"
	"segsim/core/tier"
	"segsim/seeds"
)

// Version is the scenario format this build reads and writes.
const Version = 1

// Window is the analysis window and as-of date, as YYYY-MM-DD strings;
// empty means open (for Start and End) or the day after the last order
// (for AsOf).
type Window struct {
	Start string `json:"start"`
	End   string `json:"end"`
	AsOf  string `json:"asof"`
}

// Segments chooses the segment scheme: "rfm8" (the eight RFM classes),
// "rfm11" (the eleven-segment scheme on 1–5 scores) or "custom" (Custom).
type Segments struct {
	Scheme string          `json:"scheme"`
	Custom *segment.Scheme `json:"custom"`
}

// Scenario is every knob of a run.
type Scenario struct {
	Version   int              `json:"version"`
	Name      string           `json:"name"`
	Window    Window           `json:"window"`
	Clean     clean.Rules      `json:"clean"`
	RFM       rfm.Config       `json:"rfm"`
	Segments  Segments         `json:"segments"`
	Tiers     tier.Config      `json:"tiers"`
	Lifecycle lifecycle.Config `json:"lifecycle"`
	Tags      []segment.Rule   `json:"tags"`
	Predict   predict.Config   `json:"predict"`
	Plan      strategy.Config  `json:"plan"`
	Simulate  simulate.Config  `json:"simulate"`
}

// ErrInvalid wraps every validation error.
var ErrInvalid = errors.New("invalid scenario")

// Default returns the scenario segsim starts with.
func Default() *Scenario {
	s := &Scenario{
		Version:   Version,
		Name:      "default",
		Clean:     clean.Default(),
		RFM:       rfm.Default(),
		Segments:  Segments{Scheme: "rfm11"},
		Tiers:     tier.Default(),
		Lifecycle: lifecycle.Default(),
		Predict:   predict.DefaultConfig(),
		Plan:      strategy.Default(),
		Simulate:  simulate.DefaultConfig(),
	}
	s.Tags = DefaultTags()
	return s
}

// DefaultTags returns the preset tags: a copy the caller may change.
func DefaultTags() []segment.Rule { return segment.CloneRules(defaultTags()) }

// defaultTags reads the preset tags once, when first asked for: every
// scenario read starts from the defaults, and the page reads one per
// slider move.
var defaultTags = sync.OnceValue(func() []segment.Rule {
	raw, err := seeds.Preset("tags", "default")
	if err != nil {
		panic(err) // embedded at build time
	}
	var tags []segment.Rule
	if err := decode(gjson.ParseBytes(raw), reflect.ValueOf(&tags).Elem(), "tags"); err != nil {
		panic(fmt.Sprintf("preset tags.default: %v", err))
	}
	return tags
})

// Parse reads a scenario. Knobs it does not mention keep their default
// values, so {"rfm":{"r":{"method":"quantile","levels":3}}} is a complete
// scenario. The result is validated.
func Parse(data []byte) (*Scenario, error) {
	s := Default()
	if err := s.overlay(data, false); err != nil {
		return nil, err
	}
	return s, nil
}

// Overlay applies the knobs in data on top of s and validates the result.
// On error s is unchanged.
func (s *Scenario) Overlay(data []byte) error { return s.overlay(data, true) }

// overlay decodes data onto s, onto a copy of s when keep asks that s be
// left unchanged on error.
func (s *Scenario) overlay(data []byte, keep bool) error {
	if err := jsoncheck.Check(data); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	v := gjson.ParseBytes(data)
	if !v.IsObject() {
		return fmt.Errorf("%w: %s is not a JSON object", ErrInvalid, short(v.Raw))
	}
	if ver := v.Get("version"); ver.Exists() {
		if ver.Type != gjson.Number || ver.Int() < 1 {
			return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("version", nil, "%s is not a scenario version", short(ver.Raw)))
		}
		if ver.Int() > Version {
			return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad("version", ver.Int(), "is newer than this segsim reads (%d)", Version))
		}
	}
	next := s
	if keep {
		next = s.Clone()
	}
	if err := decode(v, reflect.ValueOf(next).Elem(), ""); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	next.Version = Version
	budgetGiven(v.Get("plan"), &next.Plan)
	if err := next.Validate(); err != nil {
		return err
	}
	if keep {
		*s = *next
	}
	return nil
}

// budgetGiven turns the automatic budget off when the plan section gives
// a budget and does not say budget_auto: a budget given is the budget
// meant (scenarios written before budget_auto existed).
func budgetGiven(plan gjson.Result, cfg *strategy.Config) {
	if plan.Get("budget").Exists() && !plan.Get("budget_auto").Exists() {
		cfg.BudgetAuto = false
	}
}

// Clone returns a deep copy.
func (s *Scenario) Clone() *Scenario {
	b, err := s.Marshal()
	if err != nil {
		panic(err)
	}
	c := &Scenario{}
	if err := decode(gjson.ParseBytes(b), reflect.ValueOf(c).Elem(), ""); err != nil {
		panic(err)
	}
	return c
}

// Marshal writes the scenario as indented JSON with every knob present.
func (s *Scenario) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	return buf.Bytes(), nil
}

// Validate checks every knob, returning an error that names the first bad
// field and its value.
func (s *Scenario) Validate() error {
	wrap := func(err error) error {
		if err == nil {
			return nil
		}
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	for _, f := range []struct {
		name, v string
	}{{"window.start", s.Window.Start}, {"window.end", s.Window.End}, {"window.asof", s.Window.AsOf}} {
		if f.v != "" {
			if _, err := calendar.Parse(f.v); err != nil {
				return wrap(knob.Wrap(f.name, err))
			}
		}
	}
	if s.Window.Start != "" && s.Window.End != "" && s.Window.Start > s.Window.End {
		return wrap(knob.Bad("window.end", nil, "%s is before window.start %s", s.Window.End, s.Window.Start))
	}
	for _, err := range []error{s.Clean.Validate(), s.RFM.Validate(), s.Tiers.Validate(), s.Lifecycle.Validate(), s.Predict.Validate(), s.Plan.Validate(), s.Simulate.Validate()} {
		if err != nil {
			return wrap(err)
		}
	}
	switch s.Segments.Scheme {
	case "rfm8", "rfm11":
	case "custom":
		if s.Segments.Custom == nil {
			return wrap(knob.Bad("segments.custom", nil, "missing; scheme \"custom\" needs rules"))
		}
		if err := s.Segments.Custom.Validate("segments.custom"); err != nil {
			return wrap(err)
		}
	default:
		return wrap(knob.Bad("segments.scheme", s.Segments.Scheme, "is not rfm8, rfm11 or custom"))
	}
	if len(s.Tags) > 32 {
		return wrap(knob.Bad("tags", len(s.Tags), "tags; at most 32"))
	}
	seen := map[string]bool{}
	for i, t := range s.Tags {
		if err := t.Validate("tags", i); err != nil {
			return wrap(err)
		}
		if seen[t.Name] {
			return wrap(knob.Bad(fmt.Sprintf("tags[%d].name", i), t.Name, "is used twice"))
		}
		seen[t.Name] = true
	}
	return nil
}

// Scheme returns the rule scheme in force: the rfm11 preset, the custom
// scheme, or nil for rfm8 (which is not rule-based).
func (s *Scenario) Scheme() (*segment.Scheme, error) {
	switch s.Segments.Scheme {
	case "rfm11":
		return PresetScheme("rfm11")
	case "custom":
		return s.Segments.Custom, nil
	}
	return nil, nil
}

var presetSchemes sync.Map // name → *segment.Scheme

// Class is one of the eight RFM classes as the rfm8 preset describes it.
type Class struct {
	Name   string
	Label  segment.Label
	Action segment.Label
}

// Classes returns the eight RFM classes with their labels and actions from
// the rfm8 preset, in rfm.Class order.
var Classes = sync.OnceValues(func() ([]Class, error) {
	raw, err := seeds.Preset("schemes", "rfm8")
	if err != nil {
		return nil, err
	}
	byName := map[string]gjson.Result{}
	gjson.GetBytes(raw, "classes").ForEach(func(_, c gjson.Result) bool {
		byName[c.Get("name").Str] = c
		return true
	})
	out := make([]Class, rfm.NumClasses)
	for k, name := range rfm.ClassNames {
		c, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("preset schemes.rfm8: class %q missing", name)
		}
		out[k] = Class{Name: name,
			Label:  segment.Label{En: c.Get("label.en").Str, Zh: c.Get("label.zh").Str},
			Action: segment.Label{En: c.Get("action.en").Str, Zh: c.Get("action.zh").Str}}
	}
	return out, nil
})

// PresetScheme returns a rule scheme preset from seeds, parsed once. The
// result is shared: do not modify it.
func PresetScheme(name string) (*segment.Scheme, error) {
	if sc, ok := presetSchemes.Load(name); ok {
		return sc.(*segment.Scheme), nil
	}
	sc, err := parsePresetScheme(name)
	if err != nil {
		return nil, err
	}
	presetSchemes.Store(name, sc)
	return sc, nil
}

func parsePresetScheme(name string) (*segment.Scheme, error) {
	raw, err := seeds.Preset("schemes", name)
	if err != nil {
		return nil, err
	}
	var sc segment.Scheme
	if err := decode(gjson.ParseBytes(raw), reflect.ValueOf(&sc).Elem(), "scheme"); err != nil {
		return nil, fmt.Errorf("preset schemes.%s: %w", name, err)
	}
	if err := sc.Validate("scheme"); err != nil {
		return nil, fmt.Errorf("preset schemes.%s: %w", name, err)
	}
	return &sc, nil
}

// DecodeInto reads JSON into any segsim type (e.g. a segment.Scheme or a
// []segment.Rule) with the same strict rules as scenarios.
func DecodeInto(data []byte, dst any, path string) error {
	if err := jsoncheck.Check(data); err != nil {
		return knob.Bad(path, nil, "%v", err)
	}
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer {
		return fmt.Errorf("%s: DecodeInto needs a pointer", path)
	}
	return decode(gjson.ParseBytes(data), rv.Elem(), strings.TrimSpace(path))
}
