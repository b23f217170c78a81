package scenario

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/tidwall/gjson"

	"segsim/core/jsoncheck"
)

// Codec reads and writes the scenarios of one editing session, where each
// scenario differs from the one before in a knob or two, as on a slider
// move in the page. Parse decodes only the top-level sections whose text
// changed since the last scenario it read and takes the others from that
// scenario; AppendJSON writes again only the sections whose text changed.
// The results equal those of Parse and json.Marshal.
//
// The scenarios a Codec returns share memory with each other: do not
// modify them. The zero value is ready to use; a Codec is not safe for
// concurrent use.
type Codec struct {
	last *Scenario
	raw  []string // each section's text in the last scenario read; "" when absent
	json []section
}

// section is the JSON a Codec wrote for a section, and the section text it
// was read from.
type section struct {
	from    string
	text    []byte
	written bool
}

// scenarioFields are Scenario's JSON names, in field order.
var scenarioFields = func() []string {
	t := reflect.TypeFor[Scenario]()
	names := make([]string, t.NumField())
	for i := range names {
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" || opts != "" {
			panic(fmt.Sprintf("scenario: field %s needs a plain json name for Codec", t.Field(i).Name))
		}
		names[i] = name
	}
	return names
}()

const versionField = 0 // Scenario.Version

// Parse reads data as Parse does.
func (c *Codec) Parse(data []byte) (*Scenario, error) {
	raw, regular := sections(data)
	s, err := c.parse(data, raw, regular)
	if err != nil {
		return nil, err
	}
	if regular {
		c.last, c.raw = s, raw
	} else {
		c.last, c.raw = nil, nil
	}
	return s, nil
}

// parse reads data, whose top-level sections are raw; regular says that
// every key is a Scenario field named once.
func (c *Codec) parse(data []byte, raw []string, regular bool) (*Scenario, error) {
	if c.last == nil || !regular || raw[versionField] != c.raw[versionField] {
		return Parse(data)
	}
	s := *c.last
	dst := reflect.ValueOf(&s).Elem()
	var def reflect.Value
	for i, r := range raw {
		if r == c.raw[i] {
			continue
		}
		if !def.IsValid() {
			def = reflect.ValueOf(Default()).Elem()
		}
		dst.Field(i).Set(def.Field(i))
		if r == "" {
			continue
		}
		sec := gjson.Parse(r)
		if decodeAt(sec, dst.Field(i), &at{parent: &at{idx: -1}, key: scenarioFields[i], idx: -1}) != nil {
			return Parse(data) // which names the first bad field, as always
		}
		if scenarioFields[i] == "plan" {
			budgetGiven(sec, &s.Plan)
		}
	}
	s.Version = Version
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// sections returns the text of each top-level section of a JSON object
// ("" when absent), and whether every key is a Scenario field named once.
func sections(data []byte) ([]string, bool) {
	raw := make([]string, len(scenarioFields))
	if !jsoncheck.Valid(data) {
		return raw, false
	}
	v := gjson.ParseBytes(data)
	if !v.IsObject() {
		return raw, false
	}
	fields := jsonFields(reflect.TypeFor[Scenario]())
	regular := true
	v.ForEach(func(k, val gjson.Result) bool {
		i, ok := fields[k.Str]
		if !ok || raw[i] != "" {
			regular = false
			return false
		}
		raw[i] = val.Raw
		return true
	})
	return raw, regular
}

// AppendJSON appends s as json.Marshal writes it. For the scenario the
// last Parse returned, it reuses the JSON of each section whose text has
// not changed since it was written.
func (c *Codec) AppendJSON(b []byte, s *Scenario) ([]byte, error) {
	if s != c.last || s == nil {
		j, err := json.Marshal(s)
		return append(b, j...), err
	}
	if c.json == nil {
		c.json = make([]section, len(scenarioFields))
	}
	v := reflect.ValueOf(s).Elem()
	b = append(b, '{')
	for i, name := range scenarioFields {
		sec := &c.json[i]
		if !sec.written || sec.from != c.raw[i] {
			// Through a pointer, as inside the struct: MarshalJSON
			// methods on pointers apply.
			j, err := json.Marshal(v.Field(i).Addr().Interface())
			if err != nil {
				return b, fmt.Errorf("scenario: %s: %w", name, err)
			}
			*sec = section{from: c.raw[i], text: j, written: true}
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(append(append(b, '"'), name...), `":`...)
		b = append(b, sec.text...)
	}
	return append(b, '}'), nil
}
