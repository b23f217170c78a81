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
	"sync"
	"testing"
	"time"
)

// TestBenchWorker prints the worker benchmark (make bench-worker): bundle
// size, cold start to first answer and latency percentiles under workerd
// for segsim (both glues), a trivial Go handler and a plain JS worker, and
// the native handler. It runs only with SEGSIM_BENCH=1; SEGSIM_BENCH_RUNS
// limits it to some config.capnp constants (comma-separated).
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
	stats := statsBody(1000)
	runs := []struct{ name, constant string }{
		{"plain JS worker (fixed JSON)", "plainJS"},
		{"trivial Go handler, generated glue", "trivialGo"},
		{"trivial Go handler, keep-alive glue", "trivialKeepAlive"},
		{"segsim, generated glue", "config"},
		{"segsim, keep-alive glue", "keepAlive"},
	}
	fmt.Printf("\nlatency p50 / p99 in ms; 1000 customers as 5,000 order rows (%d KB) and as stats (%d KB)\n", len(batch)/1000, len(stats)/1000)
	fmt.Printf("%-38s %10s %16s %16s %16s\n", "workerd (127.0.0.1)", "cold start", "1 customer", "1000 (orders)", "1000 (stats)")
	only := os.Getenv("SEGSIM_BENCH_RUNS") // config.capnp constants, comma-separated; empty = all
	for _, r := range runs {
		if only != "" && !slices.Contains(strings.Split(only, ","), r.constant) {
			continue
		}
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
		ps := latency(t, w.base, stats, 3, 40)
		w.stop()
		fmt.Printf("%-38s %8.0fms %7.2f / %6.2f %7.2f / %6.2f %7.2f / %6.2f\n", r.name, ms(median(colds)), ms(p1[0]), ms(p1[1]), ms(pb[0]), ms(pb[1]), ms(ps[0]), ms(ps[1]))
	}
	// The targets compare segsim with the trivial handler under the same
	// glue. Run one after the other, the two can meet different moods of
	// a shared machine, so they are measured again side by side, with
	// their requests interleaved.
	fmt.Println("\none customer, p50, each beside the trivial Go handler under the same glue, requests interleaved")
	for _, g := range []struct{ name, trivial, segsim string }{
		{"generated glue", "trivialGo", "config"},
		{"keep-alive glue", "trivialKeepAlive", "keepAlive"},
	} {
		if only != "" && !(slices.Contains(strings.Split(only, ","), g.trivial) && slices.Contains(strings.Split(only, ","), g.segsim)) {
			continue
		}
		tw, sw := launchWorkerd(t, g.trivial), launchWorkerd(t, g.segsim)
		pt, ps := interleaved(t, tw.base, sw.base, one, 20, 300)
		tw.stop()
		sw.stop()
		fmt.Printf("  %-36s segsim %6.2f ms, trivial Go %6.2f ms: %.2f×\n", g.name, ms(ps), ms(pt), float64(ps)/float64(pt))
	}
	fmt.Println()

	// Throughput under concurrent clients. The trivial Go handler and
	// segsim's worker for one customer take turns, three rounds at each
	// client count, each on its own workerd; the others run once.
	fmt.Println("concurrent clients: requests/s, 200 answers/s, p50 / p99 ms, and answers other than 200 (503 = shed);")
	fmt.Println("the trivial Go handler and segsim for one customer take turns, medians of 3 rounds")
	fmt.Printf("%-44s %8s %10s %10s %18s %8s\n", "workerd (127.0.0.1)", "clients", "req/s", "200/s", "p50 / p99 ms", "non-200")
	clients := []int{1, 8, 32, 128}
	row := func(name string, c int, ls []loadResult) float64 {
		med := func(f func(loadResult) float64) float64 {
			v := make([]float64, len(ls))
			for i, l := range ls {
				v[i] = f(l)
			}
			slices.Sort(v)
			return v[len(v)/2]
		}
		ok := med(func(l loadResult) float64 { return l.okps })
		fmt.Printf("%-44s %8d %10.0f %10.0f %8.2f / %7.2f %8.0f\n", name, c, med(func(l loadResult) float64 { return l.rps }), ok,
			med(func(l loadResult) float64 { return ms(l.p50) }), med(func(l loadResult) float64 { return ms(l.p99) }),
			med(func(l loadResult) float64 { return float64(l.other) }))
		return ok
	}
	loads := func(c int, body string) int {
		if len(body) > 10000 {
			return max(60, c*4)
		}
		return max(400, c*20)
	}
	alone := func(name, constant, body string) {
		if only != "" && !slices.Contains(strings.Split(only, ","), constant) {
			return
		}
		w := launchWorkerd(t, constant)
		defer w.stop()
		for _, c := range clients {
			row(name, c, []loadResult{loadTest(t, w.base, body, c, loads(c, body))})
		}
	}
	alone("plain JS worker (fixed JSON), 1 customer", "plainJS", one)
	if only == "" || strings.Contains(only, "keepAlive") {
		pair := []struct{ name, constant string }{
			{"trivial Go handler, keep-alive, 1 customer", "trivialKeepAlive"},
			{"segsim, keep-alive, 1 customer", "keepAlive"},
		}
		ws := []*workerd{launchWorkerd(t, pair[0].constant), launchWorkerd(t, pair[1].constant)}
		var ratios []string
		for _, c := range clients {
			got := [2][]loadResult{}
			for round := range 3 {
				for k := range 2 {
					e := (k + round) % 2 // alternate which goes first
					got[e] = append(got[e], loadTest(t, ws[e].base, one, c, loads(c, one)))
				}
			}
			trivial, segsim := row(pair[0].name, c, got[0]), row(pair[1].name, c, got[1])
			ratios = append(ratios, fmt.Sprintf("%d: %.2f×", c, segsim/trivial))
		}
		for _, w := range ws {
			w.stop()
		}
		fmt.Printf("  segsim ÷ trivial Go, 200 answers/s by clients   %s\n", strings.Join(ratios, "   "))
	}
	alone("segsim, keep-alive, 1000 customers", "keepAlive", batch)
	fmt.Println()

	srv := httptest.NewServer(NewHandler(DefaultLimits, today))
	defer srv.Close()
	p1 := latency(t, srv.URL, one, 50, 1000)
	pb := latency(t, srv.URL, batch, 5, 100)
	ps := latency(t, srv.URL, stats, 5, 100)
	fmt.Printf("%-38s %10s %7.2f / %6.2f %7.2f / %6.2f %7.2f / %6.2f\n", "native handler (net/http)", "-", ms(p1[0]), ms(p1[1]), ms(pb[0]), ms(pb[1]), ms(ps[0]), ms(ps[1]))
}

// statsBody is a score request with n customers' stats.
func statsBody(n int) string {
	var b strings.Builder
	b.WriteString(`{"asof":"2026-11-01","stats":[`)
	for c := 0; c < n; c++ {
		if c > 0 {
			b.WriteByte(',')
		}
		orders := 1 + c%9
		days := 1 + (c%9)/2
		first := fmt.Sprintf("2025-%02d-%02d", 1+c%12, 1+c%28)
		last := first
		if days > 1 {
			last = fmt.Sprintf("2026-%02d-%02d", 1+c%10, 1+(c*7)%28)
		}
		fmt.Fprintf(&b, `{"customer_id":"c%d","first_date":"%s","last_date":"%s","orders":%d,"purchase_days":%d,"revenue":%d.%02d}`, c, first, last, orders, days, 5+(c*13)%4000, c%100)
	}
	b.WriteString("]}")
	return b.String()
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
		took := post(t, base, body)
		if i >= warm {
			d = append(d, took)
		}
	}
	slices.Sort(d)
	return [2]time.Duration{d[len(d)/2], d[len(d)*99/100]}
}

// interleaved posts body warm+n times to base a and to base b in turn and
// returns the p50 of the last n at each.
func interleaved(t *testing.T, a, b, body string, warm, n int) (time.Duration, time.Duration) {
	t.Helper()
	var da, db []time.Duration
	for i := 0; i < warm+n; i++ {
		ta, tb := post(t, a, body), post(t, b, body)
		if i >= warm {
			da, db = append(da, ta), append(db, tb)
		}
	}
	return median(da), median(db)
}

// post posts body to base/v1/score, reads the answer and returns how long
// that took.
func post(t *testing.T, base, body string) time.Duration {
	t.Helper()
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
	return time.Since(start)
}

// loadResult is what loadTest measured.
type loadResult struct {
	rps      float64 // answers of any status a second
	okps     float64 // 200 answers a second
	p50, p99 time.Duration
	other    int // answers other than 200
}

// loadTest posts body n times to base/v1/score from the given number of
// concurrent clients (after 2 warm-up requests per client) and returns
// the requests per second and the latency percentiles of all answers.
func loadTest(t *testing.T, base, body string, clients, n int) loadResult {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
	defer client.CloseIdleConnections()
	send := func() (time.Duration, int) {
		start := time.Now()
		resp, err := client.Post(base+"/v1/score", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(start), resp.StatusCode
	}
	var mu sync.Mutex
	var took []time.Duration
	other := 0
	next := make(chan struct{}, n)
	for range n {
		next <- struct{}{}
	}
	close(next)
	var wg sync.WaitGroup
	for range clients {
		send()
		send()
	}
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for range next {
				d, code := send()
				mu.Lock()
				took = append(took, d)
				if code != 200 {
					other++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(took)
	return loadResult{rps: float64(n) / elapsed.Seconds(), okps: float64(n-other) / elapsed.Seconds(),
		p50: took[len(took)/2], p99: took[len(took)*99/100], other: other}
}
