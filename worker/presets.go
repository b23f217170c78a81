package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/tidwall/gjson"

	"segsim/core/scenario"
	"segsim/core/segment"
	"segsim/seeds"
)

// DefaultScenario is the scenario preset used when a request names none,
// and the base that scenario objects in requests are laid over.
const DefaultScenario = "fixed_cuts"

// segmentInfo is one segment of a scheme, with its recommended action.
type segmentInfo struct {
	Name   string        `json:"name"`
	Label  segment.Label `json:"label"`
	Action segment.Label `json:"action"`
}

// schemeInfo lists a scheme's segments in index order.
type schemeInfo struct {
	Name     string        `json:"name"`
	Segments []segmentInfo `json:"segments"`
}

// presetInfo is a named preset and whether the worker can use it as is.
type presetInfo struct {
	Name   string          `json:"name"`
	Usable bool            `json:"usable"`
	Note   string          `json:"note,omitempty"`
	Value  json.RawMessage `json:"value,omitempty"`
}

// presetsBody is built once per instance, on the first request that needs it.
var presetsBody = sync.OnceValues(func() ([]byte, error) {
	rfm8, err := classInfo()
	if err != nil {
		return nil, err
	}
	rfm11, err := scheme("rfm11")
	if err != nil {
		return nil, err
	}
	out := struct {
		API       string       `json:"api"`
		Default   string       `json:"default_scenario"`
		Schemes   []schemeInfo `json:"schemes"`
		Scenarios []presetInfo `json:"scenarios"`
		Tiers     []presetInfo `json:"tiers"`
		Tags      []presetInfo `json:"tags"`
		Playbooks []presetInfo `json:"playbooks"`
		Limits    Limits       `json:"limits"`
	}{API: APIVersion, Default: DefaultScenario, Schemes: []schemeInfo{rfm8, rfm11}, Limits: DefaultLimits,
		Scenarios: []presetInfo{}, Tiers: []presetInfo{}, Tags: []presetInfo{}, Playbooks: []presetInfo{}}
	for _, name := range seeds.Names("scenarios") {
		p := presetInfo{Name: name, Usable: true}
		if _, err := presetScenario(name, true); err != nil {
			p.Usable, p.Note = false, err.Message
		}
		out.Scenarios = append(out.Scenarios, p)
	}
	for _, name := range seeds.Names("tiers") {
		raw, err := seeds.Preset("tiers", name)
		if err != nil {
			return nil, err
		}
		p := presetInfo{Name: name, Usable: gjson.GetBytes(raw, "basis").Str == "spend", Value: compact(raw)}
		if !p.Usable {
			p.Note = "ranks customers against each other: use a scenario with tiers.basis \"spend\""
		}
		out.Tiers = append(out.Tiers, p)
	}
	for _, name := range seeds.Names("tags") {
		raw, err := seeds.Preset("tags", name)
		if err != nil {
			return nil, err
		}
		out.Tags = append(out.Tags, presetInfo{Name: name, Usable: true, Value: compact(raw)})
	}
	for _, name := range seeds.Names("playbooks") {
		out.Playbooks = append(out.Playbooks, presetInfo{Name: name, Usable: true})
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("presets: %w", err)
	}
	return b, nil
})

func compact(raw []byte) json.RawMessage {
	return json.RawMessage(gjson.ParseBytes(raw).Get("@ugly").Raw)
}

// presets answers GET /v1/presets.
func (h *Handler) presets(w http.ResponseWriter, _ *http.Request) error {
	b, err := presetsBody()
	if err != nil {
		return err
	}
	h.writeJSON(w, http.StatusOK, "public, max-age=3600", b[:len(b):len(b)]) // b is shared
	return nil
}

// scheme describes a rule scheme preset.
func scheme(name string) (schemeInfo, error) {
	sc, err := scenario.PresetScheme(name)
	if err != nil {
		return schemeInfo{}, err
	}
	return describeScheme(name, sc), nil
}

// described holds the descriptions of preset schemes by name.
var described sync.Map // name → schemeInfo

// describeScheme describes scheme sc named name; a preset scheme's
// description is made once per instance, a custom one's every time.
func describeScheme(name string, sc *segment.Scheme) schemeInfo {
	if name == "custom" {
		return describe(name, sc)
	}
	if si, ok := described.Load(name); ok {
		return si.(schemeInfo)
	}
	si := describe(name, sc)
	described.Store(name, si)
	return si
}

// describe lists the segments of scheme sc, named name, in index order.
func describe(name string, sc *segment.Scheme) schemeInfo {
	si := schemeInfo{Name: name}
	for _, r := range sc.Rules {
		si.Segments = append(si.Segments, segmentInfo{Name: r.Name, Label: r.Label, Action: r.Action})
	}
	si.Segments = append(si.Segments, segmentInfo{Name: sc.Default, Label: sc.DefaultLabel})
	return si
}

// classInfo is the eight RFM classes with their labels and actions
// (scenario.Classes), in rfm.Class order.
var classInfo = sync.OnceValues(func() (schemeInfo, error) {
	classes, err := scenario.Classes()
	if err != nil {
		return schemeInfo{}, err
	}
	si := schemeInfo{Name: "rfm8", Segments: make([]segmentInfo, len(classes))}
	for k, c := range classes {
		si.Segments[k] = segmentInfo{Name: c.Name, Label: c.Label, Action: c.Action}
	}
	return si, nil
})

// presetCache holds parsed scenario presets by name.
var presetCache sync.Map // name → *preset

// preset is a parsed scenario preset and why it cannot score customers
// one by one (nil when it can).
type preset struct {
	s     *scenario.Scenario
	alone *apiError
}

// presetScenario returns a scenario preset; with alone, checked for use on
// customers that cannot be ranked. The result is shared: copy before
// changing it.
func presetScenario(name string, alone bool) (*scenario.Scenario, *apiError) {
	var p *preset
	if v, ok := presetCache.Load(name); ok {
		p = v.(*preset)
	} else {
		raw, err := seeds.Preset("scenarios", name)
		if err != nil {
			return nil, errorf(http.StatusUnprocessableEntity, "unknown_preset", "scenario", "%v", err)
		}
		s, err := scenario.Parse(raw)
		if err != nil {
			return nil, errorf(http.StatusUnprocessableEntity, "invalid_preset", "scenario", "preset %q: %v", name, err)
		}
		p = &preset{s: s, alone: checkFixed(s, "scenario")}
		if p.alone != nil {
			p.alone.Message = fmt.Sprintf("preset %q cannot score customers one by one: %s", name, p.alone.Message)
		}
		presetCache.Store(name, p)
	}
	if alone && p.alone != nil {
		ae := *p.alone // the answer gets its request id
		return nil, &ae
	}
	return p.s, nil
}
