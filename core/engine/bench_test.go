package engine

import (
	"bytes"
	"encoding/csv"
	"io"
	"runtime"
	"sync"
	"testing"

	"segsim/core/ingest"
	"segsim/core/scenario"
	"segsim/seeds/gen"
)

// BenchOrders is the size of the generated benchmark file.
const BenchOrders = 1_000_000

var (
	benchOnce sync.Once
	benchData []byte
)

// benchFile generates the 1M-order grocery export once per process.
func benchFile(b *testing.B) []byte {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		if _, err := gen.Generate(&buf, gen.Config{Industry: "grocery", Orders: BenchOrders}); err != nil {
			b.Fatal(err)
		}
		benchData = buf.Bytes()
	})
	return benchData
}

// BenchmarkIngest parses the file into Orders, reusing the previous
// table's memory as the page does when a file is reloaded.
func BenchmarkIngest(b *testing.B) {
	data := benchFile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var prev *ingest.Orders
	for b.Loop() {
		o, _, err := ingest.Parse(data, ingest.Options{Reuse: prev})
		if err != nil {
			b.Fatal(err)
		}
		prev = o
	}
}

// BenchmarkIngestCold parses into fresh memory, as a first load does.
func BenchmarkIngestCold(b *testing.B) {
	data := benchFile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ingest.Parse(data, ingest.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodingCSV reads the same bytes with encoding/csv (reusing
// records), the baseline ingest is compared with.
func BenchmarkEncodingCSV(b *testing.B) {
	data := benchFile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		r.ReuseRecord = true
		r.FieldsPerRecord = -1
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				if _, ok := err.(*csv.ParseError); !ok {
					b.Fatal(err)
				}
			}
		}
	}
}

// BenchmarkSummarize cleans and summarizes: the work done once per load.
func BenchmarkSummarize(b *testing.B) {
	ds, err := Load(benchFile(b), ingest.Options{})
	if err != nil {
		b.Fatal(err)
	}
	sc := scenario.Default()
	b.ReportAllocs()
	for b.Loop() {
		ds.Invalidate()
		if _, err := ds.Run(sc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRescore re-scores every customer after a knob change, as a
// slider move does.
func BenchmarkRescore(b *testing.B) {
	ds, err := Load(benchFile(b), ingest.Options{})
	if err != nil {
		b.Fatal(err)
	}
	sc := scenario.Default()
	if _, err := ds.Run(sc); err != nil {
		b.Fatal(err)
	}
	n := ds.Customers.Len()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		sc.RFM.R.Levels = 3 + i%3
		if _, err := ds.Run(sc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/customer")
	b.ReportMetric(float64(n), "customers")
}

// BenchmarkPeakHeap loads, summarizes and scores, reporting the peak heap
// in use relative to the file size.
func BenchmarkPeakHeap(b *testing.B) {
	data := benchFile(b)
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		ds, err := Load(data, ingest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ds.Run(scenario.Default()); err != nil {
			b.Fatal(err)
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(ds)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(data)), "heap/file")
	}
}
