package jsoncheck

import (
	"errors"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

func TestCheck(t *testing.T) {
	nest := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		in   string
		want error
		at   int
	}{
		{`{"a":[1,{"b":"x"}]}`, nil, 0},
		{nest(MaxDepth), nil, 0},
		{nest(MaxDepth + 1), &DepthError{}, MaxDepth},
		{`{"a":` + nest(400000) + `}`, &DepthError{}, 5 + MaxDepth - 1},
		// Brackets inside strings, escaped quotes included, do not count.
		{`["` + strings.Repeat("[", 100) + `\"` + strings.Repeat("{", 100) + `"]`, nil, 0},
		{`{"a":1,}`, ErrSyntax, 0},
		{`[1,2`, ErrSyntax, 0},
		{``, ErrSyntax, 0},
	}
	for _, tc := range tests {
		err := Check([]byte(tc.in))
		var de *DepthError
		switch {
		case tc.want == nil && err != nil,
			tc.want == ErrSyntax && !errors.Is(err, ErrSyntax),
			tc.want != nil && tc.want != ErrSyntax && (!errors.As(err, &de) || de.Offset != tc.at):
			t.Errorf("Check(%.40q…) = %v, want %v at %d", tc.in, err, tc.want, tc.at)
		}
	}
	if Valid([]byte(nest(MaxDepth+1))) || !Valid([]byte(`[]`)) || ValidString(nest(MaxDepth+1)) || !ValidString(`[{}]`) {
		t.Error("Valid disagrees with Check")
	}
}

// FuzzCheck holds Check to gjson's validator on every input nested at most
// MaxDepth levels.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":"c\"]"}]}`, `[[[]]]`, `"\\"`, `{"a":}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		err := Check(b)
		var de *DepthError
		if errors.As(err, &de) {
			if de.Offset < MaxDepth || b[de.Offset] != '[' && b[de.Offset] != '{' {
				t.Fatalf("depth error at %d in %q", de.Offset, b)
			}
			return
		}
		if (err == nil) != gjson.ValidBytes(b) {
			t.Fatalf("Check(%q) = %v, gjson says %v", b, err, gjson.ValidBytes(b))
		}
	})
}
