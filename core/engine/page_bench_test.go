package engine

import (
	"encoding/json"
	"testing"

	"segsim/core/ingest"
	"segsim/core/scenario"
	"segsim/seeds/samples"
)

// BenchmarkPageRescore measures what the page does on a slider move: parse
// the scenario, run, build the view and encode it.
func BenchmarkPageRescore(b *testing.B) {
	data, err := samples.FS.ReadFile("cdnow.csv")
	if err != nil {
		b.Fatal(err)
	}
	d, err := Load(data, ingest.Options{})
	if err != nil {
		b.Fatal(err)
	}
	p := NewPage(d)
	sc := []byte(`{"rfm":{"m":{"method":"cuts","cuts":[10,20,40,80]}}}`)
	for i := 0; b.Loop(); i++ {
		s, err := scenario.Parse(sc)
		if err != nil {
			b.Fatal(err)
		}
		s.RFM.M.Cuts[0] = float64(5 + i%5)
		r, err := d.Run(s)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(p.View(r, RunConfig{Frequency: "orders", Monetary: "revenue"}, 8)); err != nil {
			b.Fatal(err)
		}
	}
}
