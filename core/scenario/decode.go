package scenario

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"segsim/core/knob"
	"segsim/core/segment"
)

// decode overlays the JSON value v onto the Go value dst (a pointer
// target), following json struct tags. Fields absent from v keep their
// value; unknown keys, wrong types and out-of-range numbers are errors that
// name the path and the value.
func decode(v gjson.Result, dst reflect.Value, path string) error {
	return decodeAt(v, dst, &at{key: path, idx: -1})
}

// at is a place in the JSON being decoded: a key or an index under its
// parent. It is spelled out ("rfm.m.cuts[0]") only for an error, so that a
// scenario read on every slider move builds no path strings.
type at struct {
	parent *at
	key    string
	idx    int // -1 for a key
}

// String returns the path in the form the error messages use.
func (p *at) String() string {
	if p == nil {
		return ""
	}
	base := p.parent.String()
	if p.idx >= 0 {
		return fmt.Sprintf("%s[%d]", base, p.idx)
	}
	return join(base, p.key)
}

// fieldsOf caches, per struct type, the field index of each JSON name.
var fieldsOf sync.Map // reflect.Type → map[string]int

// jsonFields returns the field index of each JSON name of struct type t.
func jsonFields(t reflect.Type) map[string]int {
	if f, ok := fieldsOf.Load(t); ok {
		return f.(map[string]int)
	}
	fields := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			fields[name] = i
		}
	}
	fieldsOf.Store(t, fields)
	return fields
}

var boundType = reflect.TypeFor[segment.Bound]()

// decodeAt is decode at path p.
func decodeAt(v gjson.Result, dst reflect.Value, p *at) error {
	if dst.Type() == boundType {
		return decodeBound(v, dst.Addr().Interface().(*segment.Bound), p)
	}
	switch dst.Kind() {
	case reflect.Struct:
		if !v.IsObject() {
			return typeError(p, v, "an object")
		}
		fields := jsonFields(dst.Type())
		var err error
		v.ForEach(func(k, val gjson.Result) bool {
			here := &at{parent: p, key: k.Str, idx: -1}
			i, ok := fields[k.Str]
			if !ok {
				err = knob.Bad(here.String(), nil, "unknown field %q", k.Str)
				return false
			}
			err = decodeAt(val, dst.Field(i), here)
			return err == nil
		})
		return err
	case reflect.Pointer:
		if v.Type == gjson.Null {
			dst.SetZero()
			return nil
		}
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return decodeAt(v, dst.Elem(), p)
	case reflect.Slice:
		if v.Type == gjson.Null {
			dst.SetZero()
			return nil
		}
		if !v.IsArray() {
			return typeError(p, v, "an array")
		}
		items := v.Array()
		s := reflect.MakeSlice(dst.Type(), len(items), len(items))
		for i, item := range items {
			if err := decodeAt(item, s.Index(i), &at{parent: p, idx: i}); err != nil {
				return err
			}
		}
		dst.Set(s)
		return nil
	case reflect.Array:
		if !v.IsArray() {
			return typeError(p, v, "an array")
		}
		items := v.Array()
		if len(items) != dst.Len() {
			return knob.Bad(p.String(), nil, "%s has %d elements; want %d", short(v.Raw), len(items), dst.Len())
		}
		for i, item := range items {
			if err := decodeAt(item, dst.Index(i), &at{parent: p, idx: i}); err != nil {
				return err
			}
		}
		return nil
	case reflect.String:
		if v.Type != gjson.String {
			return typeError(p, v, "a string")
		}
		if !utf8.ValidString(v.Str) {
			return knob.Bad(p.String(), nil, "%s is not valid UTF-8", short(v.Raw))
		}
		dst.SetString(v.Str)
		return nil
	case reflect.Bool:
		if !v.IsBool() {
			return typeError(p, v, "true or false")
		}
		dst.SetBool(v.Bool())
		return nil
	case reflect.Int, reflect.Int32, reflect.Int64:
		if v.Type != gjson.Number {
			return typeError(p, v, "a whole number")
		}
		f := v.Num
		if f != math.Trunc(f) || math.Abs(f) > 1e15 {
			return typeError(p, v, "a whole number")
		}
		if dst.OverflowInt(int64(f)) {
			return knob.Bad(p.String(), nil, "%s is out of range", v.Raw)
		}
		dst.SetInt(int64(f))
		return nil
	case reflect.Float64:
		if v.Type != gjson.Number {
			return typeError(p, v, "a number")
		}
		dst.SetFloat(v.Num)
		return nil
	}
	return fmt.Errorf("%s: cannot read into %s", p, dst.Type())
}

// decodeBound reads a condition bound: null, a number, or "mean", "median"
// or "pNN".
func decodeBound(v gjson.Result, b *segment.Bound, p *at) error {
	switch v.Type {
	case gjson.Null:
		*b = segment.Bound{}
	case gjson.Number:
		*b = segment.Bound{Set: true, Num: v.Num}
	case gjson.String:
		if !utf8.ValidString(v.Str) {
			return knob.Bad(p.String(), nil, "%s is not valid UTF-8", short(v.Raw))
		}
		*b = segment.Bound{Set: true, Stat: v.Str}
	default:
		return typeError(p, v, `a number, "mean", "median", "pNN" or null`)
	}
	return nil
}

func typeError(p *at, v gjson.Result, want string) error {
	return knob.Bad(p.String(), nil, "%s is not %s", short(v.Raw), want)
}

func short(raw string) string {
	if len(raw) > 60 {
		return raw[:60] + "…"
	}
	return raw
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
