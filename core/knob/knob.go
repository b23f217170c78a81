// Package knob describes a bad value of a knob: a field of a scenario, a
// playbook or a rule scheme. Validators return *Error so that hosts can
// point at the field (errors.As) instead of parsing messages.
package knob

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a field with a bad value, in the manner of encoding/csv's
// ParseError. Its message is "path: value reason", e.g.
// "rfm.r.levels: 12 is not in 2..10".
type Error struct {
	Path   string // where the field is: "rfm.r.levels", "segments[2].actions[0].cost"
	Value  string // the value as it reads in the message; "" when missing or empty
	Reason string // what is wrong with it
	Err    error  // the underlying error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	b.WriteString(": ")
	if e.Value != "" {
		b.WriteString(e.Value)
		if e.Reason != "" {
			b.WriteByte(' ')
		}
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Bad returns an error for the field at path holding value: a string is
// quoted, nil leaves the value out, anything else is printed with %v. The
// reason is formatted with args.
func Bad(path string, value any, reason string, args ...any) *Error {
	return &Error{Path: path, Value: show(value), Reason: fmt.Sprintf(reason, args...)}
}

// Wrap returns an error for the field at path caused by err, whose
// message becomes the reason.
func Wrap(path string, err error) *Error {
	var k *Error
	if errors.As(err, &k) && k.Path == "" {
		return &Error{Path: path, Value: k.Value, Reason: k.Reason, Err: err}
	}
	return &Error{Path: path, Reason: err.Error(), Err: err}
}

func show(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return fmt.Sprintf("%q", v)
	}
	return fmt.Sprint(v)
}

// Path returns the path of the first *Error in err's chain, or "".
func Path(err error) string {
	var k *Error
	if errors.As(err, &k) {
		return k.Path
	}
	return ""
}

// Within puts the field err names inside the field prefix: a knob error
// at "segments[0].cost" within "plan.custom" is at
// "plan.custom.segments[0].cost". Another error becomes prefix's error.
func Within(prefix string, err error) error {
	var k *Error
	if !errors.As(err, &k) {
		return Wrap(prefix, err)
	}
	p := prefix + "." + k.Path
	if strings.HasPrefix(k.Path, "[") {
		p = prefix + k.Path
	}
	return &Error{Path: p, Value: k.Value, Reason: k.Reason, Err: err}
}
