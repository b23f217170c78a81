package main

import "testing"

// BenchmarkScore measures Handler.Score and the encoding of its answer
// natively, for one customer (through the lone path and through the
// engine) and for a batch of 1,000 customers with five orders each and as
// stats (the bodies make bench-worker sends under workerd).
func BenchmarkScore(b *testing.B) {
	for _, c := range []struct {
		name   string
		body   string
		noLone bool
	}{{"one", oneCustomer, false}, {"one-engine", oneCustomer, true}, {"batch1000", batchBody(1000, 5), false}, {"stats1000", statsBody(1000), false}} {
		b.Run(c.name, func(b *testing.B) {
			h := NewHandler(DefaultLimits, func() string { return "2026-11-01" })
			h.noLone = c.noLone
			body := []byte(c.body)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				ans, ae := h.Score(body)
				if ae != nil {
					b.Fatal(ae)
				}
				if _, err := ans.appendJSON(make([]byte, 0, answerSize(len(ans.Customers)))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
