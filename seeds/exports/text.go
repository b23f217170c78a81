package exports

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding"
)

// textFormat is how a text export is written: delimiter, line ends,
// character encoding and byte order mark.
type textFormat struct {
	comma byte
	crlf  bool
	bom   bool              // start with a UTF-8 byte order mark (UTF-8 only)
	enc   encoding.Encoding // nil for UTF-8; a UTF-16 encoding writes its own BOM
}

// write renders header and rows and encodes them.
func (tf textFormat) write(header []string, rows [][]string) ([]byte, error) {
	var b strings.Builder
	if tf.bom {
		b.WriteString("\ufeff")
	}
	eol := "\n"
	if tf.crlf {
		eol = "\r\n"
	}
	for _, rec := range append([][]string{header}, rows...) {
		for i, f := range rec {
			if i > 0 {
				b.WriteByte(tf.comma)
			}
			b.WriteString(csvField(f, tf.comma))
		}
		b.WriteString(eol)
	}
	if tf.enc == nil {
		return []byte(b.String()), nil
	}
	out, err := tf.enc.NewEncoder().Bytes([]byte(b.String()))
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return out, nil
}

// csvField quotes f when it holds the delimiter, a quote or a line end,
// as Excel does. Excel-protected text (="0123") is written bare, as the
// platforms that use it write it.
func csvField(f string, comma byte) string {
	if isProtected(f) {
		return f
	}
	if !strings.ContainsAny(f, "\"\r\n") && strings.IndexByte(f, comma) < 0 {
		return f
	}
	return `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
}

// protect writes s as Excel-protected text: ="s".
func protect(s string) string { return `="` + s + `"` }

// isProtected tells whether f is Excel-protected text.
func isProtected(f string) bool {
	return len(f) >= 3 && strings.HasPrefix(f, `="`) && strings.HasSuffix(f, `"`) && !strings.Contains(f[2:len(f)-1], `"`)
}

// money writes cents with a '.' decimal point and no grouping: 1249.00.
func money(c int64) string { return formatCents(c) }

// moneyGrouped writes cents with a thousands separator and a decimal
// separator of the caller's choice: 1.249,00, 1 249,00 or 1,249.00.
func moneyGrouped(c int64, thousands, point string) string {
	neg := c < 0
	if neg {
		c = -c
	}
	units := strconv.FormatInt(c/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, d := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(d)
	}
	cc := strconv.FormatInt(c%100, 10)
	if c%100 < 10 {
		cc = "0" + cc
	}
	b.WriteString(point + cc)
	return b.String()
}

// stamp writes t as 2024-01-02 15:04:05, or "" for the zero time.
func stamp(t time.Time) string { return stampAs(t, "2006-01-02 15:04:05") }

// stampAs writes t with layout, or "" for the zero time.
func stampAs(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(layout)
}
