package jsonenc

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzAppendString checks AppendString against encoding/json on any bytes,
// including invalid UTF-8.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", `a"b\c`, "<&>", "\x00\x1f\u2028\u2029", "客户", "\xff\xfe", "é\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("AppendString(%q) = %s, want %s", s, got, want)
		}
	})
}
