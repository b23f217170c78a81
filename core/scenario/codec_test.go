package scenario

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// sameAsParse checks that c reads text as Parse does and writes the result
// as json.Marshal does.
func sameAsParse(t *testing.T, c *Codec, text []byte) {
	t.Helper()
	got, err := c.Parse(text)
	want, wantErr := Parse(text)
	if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		t.Fatalf("Codec.Parse(%.120s): error %v; Parse: %v", text, err, wantErr)
	}
	if err != nil {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Codec.Parse(%.120s) differs from Parse", text)
	}
	b, err := c.AppendJSON([]byte("x"), got)
	if err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b[1:], j) || b[0] != 'x' {
		t.Fatalf("Codec.AppendJSON(%.120s):\n%s\njson.Marshal:\n%s", text, b, j)
	}
}

func TestCodec(t *testing.T) {
	base := Default()
	text := func(edit func(s *Scenario)) []byte {
		s := Default()
		edit(s)
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	baseText, _ := json.Marshal(base)
	steps := [][]byte{baseText}
	// A slider on the first M cut, back and forth, as in the page.
	for _, c := range []float64{100, 150, 200, 150, 100, 100} {
		steps = append(steps, text(func(s *Scenario) { s.RFM.M.Method, s.RFM.M.Cuts = "cuts", []float64{c, 300, 550, 1250} }))
	}
	steps = append(steps,
		text(func(s *Scenario) { s.Tags = s.Tags[1:] }),
		text(func(s *Scenario) { s.Tags = s.Tags[1:]; s.Segments.Scheme = "rfm8" }),
		// A section left out takes its default again.
		[]byte(strings.Replace(string(text(func(s *Scenario) { s.Tags = nil })), `"tags":null,`, "", 1)),
		[]byte(`{"rfm":{"r":{"method":"cuts","cuts":[30,90]}},"segments":{"scheme":"rfm8"}}`),
		[]byte(`{"segments":{"scheme":"rfm8"},"rfm":{"r":{"method":"cuts","cuts":[30,90]}}}`), // reordered
		[]byte(`{"segments":{"scheme":"rfm8"},"rfm":{"r":{"method":"cuts","cuts":[30,91]}}}`),
		[]byte(`{"rfm":{"r":{"method":"cuts","cuts":[30,92]}},"rfm":{"f":{"levels":3}}}`), // a key twice
		[]byte(`{"segments":{"scheme":"rfm8"},"rfm":{"r":{"method":"cuts","cuts":[30,93]}}}`),
		[]byte(`{"segments":{"scheme":"rfm8"},"rfm":{"r":{"method":"cuts","cuts":["x"]}}}`),    // bad type
		[]byte(`{"segments":{"scheme":"rfm8"},"rfm":{"r":{"method":"quantile","levels":99}}}`), // invalid
		[]byte(`{"segments":{"scheme":"rfm9"},"rfm":{"r":{"method":"cuts","cuts":[30,93]}}}`),
		[]byte(`{"segments":{"scheme":"rfm8"},"rfm":{"r":{"method":"cuts","cuts":[30,94]}},"extra":1}`),
		[]byte(`{"segments":{"scheme":"rfm8"},"rfm":{"r":{"method":"cuts","cuts":[30,94]}`), // not JSON
		[]byte(`[1]`),
		[]byte(`{"version":1,"segments":{"scheme":"rfm8"}}`),
		[]byte(`{"version":2,"segments":{"scheme":"rfm8"}}`),
		[]byte(`{"version":1,"segments":{"scheme":"rfm11"}}`),
		[]byte(`{}`),
		[]byte(`{}`),
		baseText,
		[]byte(`{"name":"<b>&\u2028","tags":[{"name":"a","when":[{"field":"aov","min":"p90"}]}]}`),
		[]byte(`{"name":"<b>&\u2028","tags":[{"name":"a","when":[{"field":"aov","min":"p91"}]}]}`),
	)
	var c Codec
	for _, s := range steps {
		sameAsParse(t, &c, s)
	}
	// The first move reads the rfm section only: the others are the last
	// scenario's.
	c = Codec{}
	a, _ := c.Parse(steps[1])
	b, _ := c.Parse(steps[2])
	if &a.Tags[0] != &b.Tags[0] || reflect.DeepEqual(a.RFM, b.RFM) {
		t.Error("a move of the M cut did not reuse the unchanged sections")
	}
	// A scenario other than the last one read is written by json.Marshal.
	other := Default()
	other.Name = "other"
	got, _ := c.AppendJSON(nil, other)
	want, _ := json.Marshal(other)
	if !bytes.Equal(got, want) {
		t.Errorf("AppendJSON(other) = %s; want %s", got, want)
	}
}
