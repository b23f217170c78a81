package scenario

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"segsim/core/segment"
)

// decode overlays the JSON value v onto the Go value dst (a pointer
// target), following json struct tags. Fields absent from v keep their
// value; unknown keys, wrong types and out-of-range numbers are errors that
// name the path and the value.
func decode(v gjson.Result, dst reflect.Value, path string) error {
	if dst.Type() == reflect.TypeFor[segment.Bound]() {
		return decodeBound(v, dst.Addr().Interface().(*segment.Bound), path)
	}
	switch dst.Kind() {
	case reflect.Struct:
		if !v.IsObject() {
			return typeError(path, v, "an object")
		}
		fields := map[string]int{}
		t := dst.Type()
		for i := 0; i < t.NumField(); i++ {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if name != "" && name != "-" {
				fields[name] = i
			}
		}
		var err error
		v.ForEach(func(k, val gjson.Result) bool {
			i, ok := fields[k.Str]
			if !ok {
				err = fmt.Errorf("%s: unknown field %q", join(path, k.Str), k.Str)
				return false
			}
			err = decode(val, dst.Field(i), join(path, k.Str))
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
		return decode(v, dst.Elem(), path)
	case reflect.Slice:
		if v.Type == gjson.Null {
			dst.SetZero()
			return nil
		}
		if !v.IsArray() {
			return typeError(path, v, "an array")
		}
		items := v.Array()
		s := reflect.MakeSlice(dst.Type(), len(items), len(items))
		for i, item := range items {
			if err := decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		dst.Set(s)
		return nil
	case reflect.Array:
		if !v.IsArray() {
			return typeError(path, v, "an array")
		}
		items := v.Array()
		if len(items) != dst.Len() {
			return fmt.Errorf("%s: %s has %d elements; want %d", path, short(v.Raw), len(items), dst.Len())
		}
		for i, item := range items {
			if err := decode(item, dst.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	case reflect.String:
		if v.Type != gjson.String {
			return typeError(path, v, "a string")
		}
		if !utf8.ValidString(v.Str) {
			return fmt.Errorf("%s: %s is not valid UTF-8", path, short(v.Raw))
		}
		dst.SetString(v.Str)
		return nil
	case reflect.Bool:
		if !v.IsBool() {
			return typeError(path, v, "true or false")
		}
		dst.SetBool(v.Bool())
		return nil
	case reflect.Int, reflect.Int32, reflect.Int64:
		if v.Type != gjson.Number {
			return typeError(path, v, "a whole number")
		}
		f := v.Num
		if f != math.Trunc(f) || math.Abs(f) > 1e15 {
			return typeError(path, v, "a whole number")
		}
		if dst.OverflowInt(int64(f)) {
			return fmt.Errorf("%s: %s is out of range", path, v.Raw)
		}
		dst.SetInt(int64(f))
		return nil
	case reflect.Float64:
		if v.Type != gjson.Number {
			return typeError(path, v, "a number")
		}
		dst.SetFloat(v.Num)
		return nil
	}
	return fmt.Errorf("%s: cannot read into %s", path, dst.Type())
}

// decodeBound reads a condition bound: null, a number, or "mean", "median"
// or "pNN".
func decodeBound(v gjson.Result, b *segment.Bound, path string) error {
	switch v.Type {
	case gjson.Null:
		*b = segment.Bound{}
	case gjson.Number:
		*b = segment.Bound{Set: true, Num: v.Num}
	case gjson.String:
		if !utf8.ValidString(v.Str) {
			return fmt.Errorf("%s: %s is not valid UTF-8", path, short(v.Raw))
		}
		*b = segment.Bound{Set: true, Stat: v.Str}
	default:
		return typeError(path, v, `a number, "mean", "median", "pNN" or null`)
	}
	return nil
}

func typeError(path string, v gjson.Result, want string) error {
	return fmt.Errorf("%s: %s is not %s", path, short(v.Raw), want)
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
