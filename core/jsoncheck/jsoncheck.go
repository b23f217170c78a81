// Package jsoncheck checks JSON text before gjson reads it. gjson's
// validator recurses once per level of nesting, so text nested deeper than
// any segsim input needs is refused first, in one linear pass that uses no
// stack: a few hundred kilobytes of brackets would otherwise exhaust the
// stack of a WebAssembly instance and end it.
package jsoncheck

import (
	"errors"
	"fmt"

	"github.com/tidwall/gjson"
)

// MaxDepth is the deepest nesting of arrays and objects segsim reads. Its
// deepest real input, a scenario with a custom segment scheme, nests six.
const MaxDepth = 64

// ErrSyntax is returned for text that is not valid JSON.
var ErrSyntax = errors.New("not valid JSON")

// DepthError reports JSON nested deeper than MaxDepth.
type DepthError struct {
	Offset int // byte offset of the bracket that opens level MaxDepth+1
}

func (e *DepthError) Error() string {
	return fmt.Sprintf("JSON nested more than %d levels deep (at byte %d)", MaxDepth, e.Offset)
}

// Check returns nil when b is valid JSON nested at most MaxDepth levels,
// a *DepthError when it nests deeper, and ErrSyntax otherwise.
func Check(b []byte) error {
	if at := tooDeep(b); at >= 0 {
		return &DepthError{Offset: at}
	}
	if !gjson.ValidBytes(b) {
		return ErrSyntax
	}
	return nil
}

// Valid reports whether Check(b) is nil.
func Valid(b []byte) bool { return Check(b) == nil }

// ValidString is Valid for a string.
func ValidString(s string) bool { return tooDeep(s) < 0 && gjson.Valid(s) }

// tooDeep returns the offset of the first bracket outside a string that
// opens level MaxDepth+1, or -1.
func tooDeep[T string | []byte](b T) int {
	depth := 0
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			if depth++; depth > MaxDepth {
				return i
			}
		case ']', '}':
			depth--
		}
	}
	return -1
}
