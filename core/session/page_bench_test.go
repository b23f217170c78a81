package session

import (
	"encoding/json"
	"testing"

	"segsim/core/scenario"
)

// BenchmarkPageRescore measures what the page does on a slider move: parse
// the scenario, run, build the view and encode it.
func BenchmarkPageRescore(b *testing.B) {
	d := sampleDataset(b, "cdnow.csv")
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
