// Package strategy turns a segmentation into a decision: playbooks of
// actions per segment, the allocation of an activity budget over segments
// and actions, hold-out control groups sized for a two-proportion test, and
// a what-if for points programmes.
package strategy

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/tidwall/gjson"

	"segsim/core/jsoncheck"
	"segsim/core/knob"
	"segsim/seeds"
)

// ErrInvalid wraps every playbook and knob validation error.
var ErrInvalid = errors.New("invalid strategy")

// Action is one thing done to a contacted customer, with the assumptions
// that price it. Money is in the playbook's currency units (e.g. yuan).
type Action struct {
	Name    string `json:"name"`
	Channel string `json:"channel"` // coupon, sms, edm, push, private_chat, call, points, gift, …
	// Cost is spent per contacted customer (message, coupon face value
	// expected to be redeemed, gift, staff time); above 0, so that a zero
	// budget contacts no one.
	Cost float64 `json:"cost"`
	// Response is the expected share of contacted customers who order
	// within the campaign window; Baseline the share who would have
	// ordered anyway without contact.
	Response float64 `json:"response"`
	Baseline float64 `json:"baseline"`
	// OrderValue is the expected value of a responding order, Margin the
	// gross margin on it (0..1).
	OrderValue float64 `json:"order_value"`
	Margin     float64 `json:"margin"`
	// Cap is the most customers this action may reach in its segment
	// (e.g. limited gift stock); 0 means no cap.
	Cap int `json:"cap"`
}

// Uplift returns the incremental response rate, Response − Baseline.
func (a Action) Uplift() float64 { return a.Response - a.Baseline }

// IncrementalRevenue returns the expected incremental revenue per contact,
// (Response − Baseline) × OrderValue.
func (a Action) IncrementalRevenue() float64 { return a.Uplift() * a.OrderValue }

// Profit returns the expected incremental profit per contact,
// (Response − Baseline) × OrderValue × Margin − Cost.
func (a Action) Profit() float64 { return a.IncrementalRevenue()*a.Margin - a.Cost }

// Validate reports the first bad field; path names the action.
func (a Action) Validate(path string) error {
	fin := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case strings.TrimSpace(a.Name) == "":
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("%s.name", path), nil, "empty"))
	case !fin(a.Cost) || a.Cost <= 0:
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("%s.cost", path), a.Cost, "must be above 0 (price a free channel at its opt-out loss)"))
	case !fin(a.Response) || a.Response < 0 || a.Response > 1:
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("%s.response", path), a.Response, "must lie in [0, 1]"))
	case !fin(a.Baseline) || a.Baseline < 0 || a.Baseline > 1:
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("%s.baseline", path), a.Baseline, "must lie in [0, 1]"))
	case !fin(a.OrderValue) || a.OrderValue < 0:
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("%s.order_value", path), a.OrderValue, "must be a number ≥ 0"))
	case !fin(a.Margin) || a.Margin < 0 || a.Margin > 1:
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("%s.margin", path), a.Margin, "must lie in [0, 1]"))
	case a.Cap < 0:
		return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("%s.cap", path), a.Cap, "is negative"))
	}
	return nil
}

// Entry is the playbook for one segment, class or stage, matched by name
// (e.g. "important_keep", "at_risk" or "champions").
type Entry struct {
	Segment string   `json:"segment"`
	Note    string   `json:"note"`
	Actions []Action `json:"actions"`
}

// Playbook maps segment names to actions. One playbook may cover the
// eight RFM classes, the lifecycle stages and the rfm11 segment names at
// once; a plan uses the entries whose names match its grouping.
type Playbook struct {
	Name     string  `json:"name"`
	Currency string  `json:"currency"`
	Notes    string  `json:"notes"`
	Entries  []Entry `json:"segments"`
}

// Lookup returns the entry for a segment name, or nil.
func (p *Playbook) Lookup(segment string) *Entry {
	for i := range p.Entries {
		if p.Entries[i].Segment == segment {
			return &p.Entries[i]
		}
	}
	return nil
}

// Validate reports the first bad field.
func (p *Playbook) Validate() error {
	seen := map[string]bool{}
	for i, e := range p.Entries {
		path := fmt.Sprintf("segments[%d]", i)
		if strings.TrimSpace(e.Segment) == "" {
			return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("%s.segment", path), nil, "empty"))
		}
		if seen[e.Segment] {
			return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("%s.segment", path), e.Segment, "appears twice"))
		}
		seen[e.Segment] = true
		names := map[string]bool{}
		for k, a := range e.Actions {
			ap := fmt.Sprintf("%s.actions[%d]", path, k)
			if err := a.Validate(ap); err != nil {
				return err
			}
			if names[a.Name] {
				return fmt.Errorf("%w: %w", ErrInvalid, knob.Bad(fmt.Sprintf("%s.name", ap), a.Name, "appears twice in segment %q", e.Segment))
			}
			names[a.Name] = true
		}
	}
	return nil
}

// ParsePlaybook reads a playbook from JSON. Unknown fields, wrong types
// and bad values are errors naming the field.
func ParsePlaybook(data []byte) (*Playbook, error) {
	if err := jsoncheck.Check(data); err != nil {
		return nil, fmt.Errorf("%w: playbook: %w", ErrInvalid, err)
	}
	v := gjson.ParseBytes(data)
	var p Playbook
	err := object(v, "playbook", map[string]func(gjson.Result, string) error{
		"name":     str(&p.Name),
		"currency": str(&p.Currency),
		"notes":    str(&p.Notes),
		"segments": func(v gjson.Result, path string) error {
			return array(v, path, func(v gjson.Result, path string) error {
				var e Entry
				err := object(v, path, map[string]func(gjson.Result, string) error{
					"segment": str(&e.Segment),
					"note":    str(&e.Note),
					"actions": func(v gjson.Result, path string) error {
						return array(v, path, func(v gjson.Result, path string) error {
							var a Action
							err := object(v, path, map[string]func(gjson.Result, string) error{
								"name": str(&a.Name), "channel": str(&a.Channel),
								"cost": num(&a.Cost), "response": num(&a.Response), "baseline": num(&a.Baseline),
								"order_value": num(&a.OrderValue), "margin": num(&a.Margin), "cap": whole(&a.Cap),
							})
							e.Actions = append(e.Actions, a)
							return err
						})
					},
				})
				p.Entries = append(p.Entries, e)
				return err
			})
		},
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// PresetPlaybook returns a built-in playbook: ecommerce, fmcg, education or
// livestream. It is parsed once and shared: do not modify it.
func PresetPlaybook(name string) (*Playbook, error) {
	if p, ok := presetPlaybooks.Load(name); ok {
		return p.(*Playbook), nil
	}
	p, err := parsePresetPlaybook(name)
	if err != nil {
		return nil, err
	}
	presetPlaybooks.Store(name, p)
	return p, nil
}

// presetPlaybooks caches parsed presets by name: scenarios are validated on
// every knob change, and a preset never changes.
var presetPlaybooks sync.Map

func parsePresetPlaybook(name string) (*Playbook, error) {
	raw, err := seeds.Preset("playbooks", name)
	if err != nil {
		return nil, err
	}
	p, err := ParsePlaybook(raw)
	if err != nil {
		return nil, fmt.Errorf("preset playbooks.%s: %w", name, err)
	}
	return p, nil
}

// PresetPlaybooks lists the built-in playbook names.
func PresetPlaybooks() []string { return seeds.Names("playbooks") }

func object(v gjson.Result, path string, fields map[string]func(gjson.Result, string) error) error {
	if !v.IsObject() {
		return knob.Bad(path, nil, "%s is not an object", short(v.Raw))
	}
	var err error
	v.ForEach(func(k, val gjson.Result) bool {
		f, ok := fields[k.Str]
		if !ok {
			err = knob.Bad(path, nil, "unknown field %q", k.Str)
			return false
		}
		err = f(val, path+"."+k.Str)
		return err == nil
	})
	return err
}

func array(v gjson.Result, path string, item func(gjson.Result, string) error) error {
	if v.Type == gjson.Null {
		return nil
	}
	if !v.IsArray() {
		return knob.Bad(path, nil, "%s is not an array", short(v.Raw))
	}
	for i, it := range v.Array() {
		if err := item(it, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func str(dst *string) func(gjson.Result, string) error {
	return func(v gjson.Result, path string) error {
		if v.Type != gjson.String {
			return knob.Bad(path, nil, "%s is not a string", short(v.Raw))
		}
		*dst = v.Str
		return nil
	}
}

func num(dst *float64) func(gjson.Result, string) error {
	return func(v gjson.Result, path string) error {
		if v.Type != gjson.Number {
			return knob.Bad(path, nil, "%s is not a number", short(v.Raw))
		}
		*dst = v.Num
		return nil
	}
}

func whole(dst *int) func(gjson.Result, string) error {
	return func(v gjson.Result, path string) error {
		if v.Type != gjson.Number || v.Num != math.Trunc(v.Num) || math.Abs(v.Num) > 1e15 {
			return knob.Bad(path, nil, "%s is not a whole number", short(v.Raw))
		}
		*dst = int(v.Num)
		return nil
	}
}

func short(raw string) string {
	if len(raw) > 60 {
		return raw[:60] + "…"
	}
	return raw
}
