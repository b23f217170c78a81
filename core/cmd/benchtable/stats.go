package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"segsim/core/calendar"
	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/scenario"
)

// statsFile generates a six-field stats file of n customers: first
// purchases over two years, one to six orders on one to that many days
// over up to 300 more days, 10 to 2,010 currency units each.
func statsFile(n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 46)
	b.WriteString("customer_id,first_date,last_date,orders,purchase_days,revenue\n")
	r := rand.New(rand.NewPCG(1, 2))
	line := make([]byte, 0, 64)
	for i := range n {
		first := int32(19000 + r.IntN(700))
		orders := 1 + r.IntN(6)
		days := 1 + r.IntN(orders)
		last := first
		if days > 1 {
			last = first + int32(days-1+r.IntN(300))
		}
		line = fmt.Appendf(line[:0], "C%09d,", i)
		line = calendar.Append(line, first)
		line = append(line, ',')
		line = calendar.Append(line, last)
		line = fmt.Appendf(line, ",%d,%d,%d.%02d\n", orders, days, 10+r.IntN(2000), r.IntN(100))
		b.Write(line)
	}
	return b.Bytes()
}

// scoreStats reads a stats file, scores it with the default scenario and
// writes the customer CSV to nowhere: segsim score on stats.
func scoreStats(data []byte) error {
	d, err := engine.Load(data, ingest.Options{})
	if err != nil {
		return err
	}
	r, err := d.Run(scenario.Default())
	if err != nil {
		return err
	}
	return d.WriteCSV(io.Discard, r, engine.CSVOptions{})
}

// peakDuring returns the most heap in use above the start while fn runs,
// sampled every 2 ms.
func peakDuring(fn func() error) (uint64, error) {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	err := fn()
	close(stop)
	<-done
	return peak.Load() - min(peak.Load(), base.HeapInuse), err
}

// statsRows times scoring stats files of each size in sizes (customers):
// the median of runs for files up to a million, else one run. The peak
// heap is that of one run started after a collection, so that no earlier
// run's garbage counts.
func statsRows(runs int, sizes []int, add func(what, value, note string)) error {
	for _, m := range sizes {
		data := statsFile(m)
		var t time.Duration
		peak, err := peakDuring(func() error {
			start := time.Now()
			err := scoreStats(data)
			t = time.Since(start)
			return err
		})
		if err != nil {
			return err
		}
		if m <= 1_000_000 {
			if t, err = median(runs, func() error { return scoreStats(data) }); err != nil {
				return err
			}
		}
		add("score a stats file, "+millions(m)+" customers", fmt.Sprintf("%.2f s", t.Seconds()),
			fmt.Sprintf("%.0f MB file, peak heap %.0f MB; target for 10M: ≤ 10 s, ≤ 2 GB", float64(len(data))/1e6, float64(peak)/1e6))
	}
	return nil
}

// millions writes n customers in millions ("1M", "0.5M").
func millions(n int) string {
	return strconv.FormatFloat(float64(n)/1e6, 'g', 3, 64) + "M"
}
