package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestBenchWorker prints the worker benchmark (make bench-worker): bundle
// size, cold start to first answer and latency percentiles under workerd
// for segsim (both glues), a trivial Go handler and a plain JS worker, and
// the native handler. It runs only with SEGSIM_BENCH=1.
func TestBenchWorker(t *testing.T) {
	if os.Getenv("SEGSIM_BENCH") == "" {
		t.Skip("SEGSIM_BENCH is not set (make bench-worker sets it)")
	}
	fmt.Println("bundle (worker/build)")
	for _, f := range []string{"app.wasm", "trivial.wasm", "wasm_exec.js", "worker.mjs", "runtime.mjs", "keepalive.mjs"} {
		b, err := os.ReadFile(filepath.Join("build", f))
		if err != nil {
			t.Fatal(err)
		}
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		fmt.Printf("  %-14s %9.2f MB raw %7.2f MB gzip\n", f, float64(len(b))/1e6, float64(z.Len())/1e6)
	}

	one := oneCustomer
	batch := batchBody(1000, 5)
	runs := []struct{ name, constant string }{
		{"plain JS worker (fixed JSON)", "plainJS"},
		{"trivial Go handler, generated glue", "trivialGo"},
		{"segsim, generated glue", "config"},
		{"segsim, keep-alive glue", "keepAlive"},
	}
	fmt.Printf("\n%-38s %10s %22s %22s\n", "workerd (127.0.0.1)", "cold start", "1 customer p50 / p99", "1000 customers p50/p99")
	for _, r := range runs {
		var colds []time.Duration
		var w *workerd
		for i := 0; i < 3; i++ {
			start := time.Now()
			w = launchWorkerd(t, r.constant)
			colds = append(colds, time.Since(start))
			if i < 2 {
				w.stop()
			}
		}
		p1 := latency(t, w.base, one, 20, 300)
		pb := latency(t, w.base, batch, 3, 40)
		w.stop()
		fmt.Printf("%-38s %8.0fms %10.2f / %6.2f ms %10.2f / %6.2f ms\n", r.name, ms(median(colds)), ms(p1[0]), ms(p1[1]), ms(pb[0]), ms(pb[1]))
	}
	srv := httptest.NewServer(NewHandler(DefaultLimits, today))
	defer srv.Close()
	p1 := latency(t, srv.URL, one, 50, 1000)
	pb := latency(t, srv.URL, batch, 5, 100)
	fmt.Printf("%-38s %10s %10.2f / %6.2f ms %10.2f / %6.2f ms\n", "native handler (net/http)", "-", ms(p1[0]), ms(p1[1]), ms(pb[0]), ms(pb[1]))
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// latency posts body warm+n times to base/v1/score and returns the p50 and
// p99 of the last n.
func latency(t *testing.T, base, body string, warm, n int) [2]time.Duration {
	t.Helper()
	var d []time.Duration
	for i := 0; i < warm+n; i++ {
		start := time.Now()
		resp, err := http.Post(base+"/v1/score", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if i >= warm {
			d = append(d, time.Since(start))
		}
	}
	slices.Sort(d)
	return [2]time.Duration{d[len(d)/2], d[len(d)*99/100]}
}
