package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/jsonenc"
	"segsim/core/segment"
)

// The score and plan answers are mostly one record per customer. They are
// written by hand here rather than by encoding/json's reflection, which took
// a third of a 1,000-customer request; the output is byte for byte what
// json.Marshal writes for the same values (TestEncodeMatchesEncodingJSON).

// appendJSON appends the answer as JSON.
func (a *scoreAnswer) appendJSON(b []byte) ([]byte, error) {
	b = str(b, `{"api":`, a.API)
	b = str(b, `,"scenario":`, a.Scenario)
	b = str(b, `,"asof":`, a.AsOf)
	b = str(b, `,"scheme":`, a.Scheme)
	b = append(b, `,"customers":`...)
	m := labelTexts{named: texts[named]{base: &presetTexts().named}, labels: texts[segment.Label]{base: &presetTexts().labels}}
	b = appendList(b, a.Customers, func(b []byte, c *customerOut) []byte { return c.appendJSON(b, &m) })
	b = append(b, `,"report":`...)
	b = a.Report.appendJSON(b)
	return append(b, '}'), nil
}

// appendJSON appends the load report as JSON.
func (r *loadReport) appendJSON(b []byte) []byte {
	b = str(b, `{"source":`, r.Source)
	b = num(b, `,"rows_read":`, int64(r.RowsRead))
	b = num(b, `,"rows_kept":`, int64(r.RowsKept))
	b = num(b, `,"rows_skipped":`, int64(r.RowsSkipped))
	b = append(b, `,"skips":`...)
	b = appendList(b, r.Skips, func(b []byte, k *ingest.Skip) []byte {
		b = num(b, `{"line":`, int64(k.Line))
		if k.Column != "" {
			b = str(b, `,"column":`, k.Column)
		}
		if k.Value != "" {
			b = str(b, `,"value":`, k.Value)
		}
		b = str(b, `,"reason":`, k.Reason)
		if k.Code != "" {
			b = str(b, `,"code":`, k.Code)
		}
		if k.Raw != "" {
			b = str(b, `,"raw":`, k.Raw)
		}
		return append(b, '}')
	})
	if len(r.Warnings) > 0 {
		b = append(b, `,"warnings":`...)
		b = appendStrings(b, r.Warnings)
	}
	if len(r.Roles) > 0 {
		b = append(b, `,"roles":{`...)
		var buf [16]string // the roles, sorted as encoding/json sorts map keys
		keys := buf[:0]
		for k := range r.Roles {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonenc.AppendString(b, k)
			b = str(b, ":", r.Roles[k])
		}
		b = append(b, '}')
	}
	b = append(b, `,"clean":`...)
	b = appendList(b, r.Clean, func(b []byte, c *engineRuleCounter) []byte {
		b = str(b, `{"rule":`, c.Rule)
		b = str(b, `,"action":`, c.Action)
		b = num(b, `,"rows":`, int64(c.Rows))
		b = num(b, `,"customers":`, int64(c.Customers))
		return append(b, '}')
	})
	b = num(b, `,"customers":`, int64(r.Customers))
	b = num(b, `,"scored":`, int64(r.Scored))
	b = append(b, `,"unscored":`...)
	b = appendStrings(b, r.Unscored)
	return append(b, '}')
}

// appendJSON appends the customer as JSON; m keeps the text of the class,
// segment and action labels, which repeat from customer to customer.
func (c *customerOut) appendJSON(b []byte, m *labelTexts) []byte {
	b = str(b, `{"customer_id":`, c.CustomerID)
	b = str(b, `,"first_date":`, c.FirstDate)
	b = str(b, `,"last_date":`, c.LastDate)
	b = num(b, `,"recency_days":`, int64(c.RecencyDays))
	b = num(b, `,"frequency":`, int64(c.Frequency))
	b = num(b, `,"purchase_days":`, int64(c.PurchaseDays))
	b = append(b, `,"monetary":`...)
	b = engine.AppendMoney(b, int64(c.Monetary))
	b = append(b, `,"aov":`...)
	b = engine.AppendMoney(b, int64(c.AOV))
	b = num(b, `,"scores":{"r":`, int64(c.Scores.R))
	b = num(b, `,"f":`, int64(c.Scores.F))
	b = num(b, `,"m":`, int64(c.Scores.M))
	b = str(b, `},"rfm":`, c.RFM)
	b = append(b, `,"rfm_class":`...)
	b = m.named.append(b, c.RFMClass, appendNamed)
	b = append(b, `,"segment":`...)
	b = m.named.append(b, c.Segment, appendNamed)
	b = str(b, `,"tier":`, c.Tier)
	b = str(b, `,"stage":`, c.Stage)
	b = append(b, `,"tags":`...)
	b = appendStrings(b, c.Tags)
	b = append(b, `,"action":`...)
	b = m.labels.append(b, c.Action, appendLabel)
	return append(b, '}')
}

// appendNamed appends n as JSON.
func appendNamed(b []byte, n named) []byte { return n.appendJSON(b) }

// labelTexts remembers the JSON of the labels written so far in one answer.
type labelTexts struct {
	named  texts[named]
	labels texts[segment.Label]
}

// presetTexts holds the JSON of the preset schemes' classes, segments and
// actions, written once per instance: an answer looks there first.
var presetTexts = sync.OnceValue(func() *labelTexts {
	var m labelTexts
	classes, err := classInfo()
	if err != nil {
		return &m
	}
	for _, si := range []schemeInfo{classes, presetDescription("rfm11")} {
		for _, sg := range si.Segments {
			m.named.append(nil, named{Name: sg.Name, Label: sg.Label}, appendNamed)
			m.labels.append(nil, sg.Action, appendLabel)
		}
	}
	return &m
})

// presetDescription describes preset scheme name, or nothing when it
// cannot be read.
func presetDescription(name string) schemeInfo {
	si, err := scheme(name)
	if err != nil {
		return schemeInfo{}
	}
	return si
}

// texts remembers the JSON text of a few values: a batch answer names the
// same dozen classes, segments and actions for every customer, and
// escaping their Chinese text once per customer was a tenth of the work.
// base, when set, holds texts shared by every answer, which are looked up
// first and never added to.
type texts[K comparable] struct {
	base *texts[K]
	keys []K
	text [][]byte
}

// append appends k's JSON, written by write the first time k is seen.
func (t *texts[K]) append(b []byte, k K, write func([]byte, K) []byte) []byte {
	if t.base != nil {
		if i := slices.Index(t.base.keys, k); i >= 0 {
			return append(b, t.base.text[i]...)
		}
	}
	for i := range t.keys {
		if t.keys[i] == k {
			return append(b, t.text[i]...)
		}
	}
	start := len(b)
	b = write(b, k)
	if len(t.keys) < 64 {
		t.keys = append(t.keys, k)
		t.text = append(t.text, slices.Clone(b[start:]))
	}
	return b
}

// appendJSON appends the name and its label as JSON.
func (n *named) appendJSON(b []byte) []byte {
	b = str(b, `{"name":`, n.Name)
	b = append(b, `,"label":`...)
	b = appendLabel(b, n.Label)
	return append(b, '}')
}

// appendJSON appends the plan answer as JSON.
func (a *planAnswer) appendJSON(b []byte) ([]byte, error) {
	b = str(b, `{"api":`, a.API)
	b = str(b, `,"scenario":`, a.Scenario)
	b = str(b, `,"asof":`, a.AsOf)
	p, err := json.Marshal(a.Plan)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	b = append(b, `,"plan":`...)
	b = append(b, p...)
	b = append(b, `,"customers":`...)
	b = appendList(b, a.Customers, func(b []byte, c *plannedPerson) []byte {
		b = str(b, `{"customer_id":`, c.CustomerID)
		b = str(b, `,"segment":`, c.Segment)
		b = append(b, `,"action":`...)
		if c.Action == nil {
			b = append(b, "null"...)
		} else {
			b = jsonenc.AppendString(b, *c.Action)
		}
		b = append(b, `,"holdout":`...)
		b = strconv.AppendBool(b, c.Holdout)
		return append(b, '}')
	})
	return append(b, '}'), nil
}

// appendJSON appends the readout answer as JSON: the API version, then
// the report's fields (a few dozen lines, written by encoding/json).
func (a *readoutAnswer) appendJSON(b []byte) ([]byte, error) {
	r, err := json.Marshal(a.Report)
	if err != nil {
		return nil, fmt.Errorf("readout: %w", err)
	}
	l, err := json.Marshal(a.OrdersLoad)
	if err != nil {
		return nil, fmt.Errorf("readout: %w", err)
	}
	b = str(b, `{"api":`, a.API)
	b = append(b, ',')
	b = append(b, r[1:len(r)-1]...) // r is an object with fields
	b = append(b, `,"orders_load":`...)
	b = append(b, l...)
	return append(b, '}'), nil
}

// str appends key (the JSON text before the value) and the string s.
func str(b []byte, key, s string) []byte { return jsonenc.AppendString(append(b, key...), s) }

// num appends key (the JSON text before the value) and the number v.
func num(b []byte, key string, v int64) []byte { return strconv.AppendInt(append(b, key...), v, 10) }

// appendLabel appends a label as JSON.
func appendLabel(b []byte, l segment.Label) []byte {
	b = str(b, `{"en":`, l.En)
	b = str(b, `,"zh":`, l.Zh)
	return append(b, '}')
}

// appendStrings appends a string slice as JSON (nil as null).
func appendStrings(b []byte, s []string) []byte {
	return appendList(b, s, func(b []byte, v *string) []byte { return jsonenc.AppendString(b, *v) })
}

// appendList appends s as a JSON array (nil as null, as encoding/json
// writes it), each element by elem.
func appendList[T any](b []byte, s []T, elem func([]byte, *T) []byte) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, &s[i])
	}
	return append(b, ']')
}
