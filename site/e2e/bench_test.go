//go:build e2e

package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBenchBrowser measures segsim's page beside DuckDB-WASM and a plain
// JavaScript byte scanner on one generated order file
// (SEGSIM_BENCH_ORDERS rows) in the same browser: per round, each engine
// in turn (which goes first rotates) opens its page in a fresh browser
// context, loads the file through the file picker and re-scores it 100
// times; SEGSIM_BENCH_RUNS rounds (7 unless set). It prints the medians
// and segsim's ratios to each baseline: first result, re-score round trip
// p50 and p95, the first move after a load, the renderer's peak memory,
// the wasm size. `make bench-browser` runs it.
func TestBenchBrowser(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SEGSIM_BENCH_ORDERS"))
	if n <= 0 {
		t.Skip("set SEGSIM_BENCH_ORDERS (make bench-browser)")
	}
	runs, _ := strconv.Atoi(os.Getenv("SEGSIM_BENCH_RUNS"))
	if runs <= 0 {
		runs = 7
	}
	const moves = 100
	bench := benchServer(t)
	buf := orders(n)
	file := filepath.Join(t.TempDir(), "orders.csv")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	size := float64(buf.Len()) / 1e6
	buf = nil
	t.Logf("generated %d orders, %.1f MB", n, size)

	engines := []struct {
		name string
		run  func(last bool) engineRun
		got  []engineRun
	}{
		{name: "segsim", run: func(last bool) engineRun {
			shot := ""
			if last && n == 1_000_000 {
				shot = "bench_1m.png"
			}
			return runSegsim(t, file, moves, shot, false)
		}},
		{name: "DuckDB-WASM", run: func(bool) engineRun { return runBaseline(t, bench+"/duckdb.html", file, moves) }},
		{name: "JS scanner", run: func(bool) engineRun { return runBaseline(t, bench+"/scan.html", file, moves) }},
	}
	// A per-customer stats file (SEGSIM_BENCH_STATS, written by make
	// bench-browser), read by segsim alone: the page's first result from
	// what a warehouse query gives.
	statsFile := os.Getenv("SEGSIM_BENCH_STATS")
	if statsFile != "" {
		engines = append(engines, struct {
			name string
			run  func(last bool) engineRun
			got  []engineRun
		}{name: "segsim stats", run: func(bool) engineRun { return runSegsim(t, statsFile, 20, "", true) }})
	}
	for r := range runs {
		for k := range engines {
			e := &engines[(r+k)%len(engines)]
			got := e.run(r == runs-1)
			e.got = append(e.got, got)
			t.Logf("run %d %-12s first %6.0f ms  re-score p50 %5.1f p95 %5.1f ms  first move %5.0f ms  renderer peak %4.0f MB  customers %d",
				r+1, e.name, got.first, got.p50, got.p95, got.firstMove, got.mem.renderer/1e6, got.customers)
		}
	}
	seg, duck, js := engines[0].got, engines[1].got, engines[2].got
	for _, e := range engines[1:3] {
		for _, g := range e.got {
			if g.customers != seg[0].customers {
				t.Errorf("%s counted %d customers, segsim %d", e.name, g.customers, seg[0].customers)
			}
		}
	}
	med := func(rs []engineRun, f func(engineRun) float64) float64 {
		var v []float64
		for _, r := range rs {
			v = append(v, f(r))
		}
		return median(v)
	}
	dist := os.Getenv("SEGSIM_DIST")
	if dist == "" {
		dist = filepath.Join(root, "site", "dist")
	}
	wasm, wasmGz := wasmSize(t, filepath.Join(dist, "segsim.wasm"))
	duckWasm, duckGz := wasmSize(t, filepath.Join(root, "site", "bench", duckWasmPath))
	xlsxRaw, xlsxGz := wasmSize(t, filepath.Join(dist, "xlsx.wasm"))

	fmt.Printf("\nbench-browser: %d orders (%.1f MB CSV), %d customers; medians of %d runs per engine, engines interleaved, each run in a fresh browser context\n\n", n, size, seg[0].customers, runs)
	fmt.Printf("| measure | segsim | DuckDB-WASM | JS scanner | segsim / DuckDB | segsim / JS |\n|---|---|---|---|---|---|\n")
	row := func(name, format string, f func(engineRun) float64) {
		s, d, j := med(seg, f), med(duck, f), med(js, f)
		fmt.Printf("| %s | "+format+" | "+format+" | "+format+" | %.2f | %.2f |\n", name, s, d, j, s/d, s/j)
	}
	row("first result from file bytes, ms", "%.0f", func(r engineRun) float64 { return r.first })
	row("re-score round trip p50, ms", "%.1f", func(r engineRun) float64 { return r.p50 })
	row("re-score round trip p95, ms", "%.1f", func(r engineRun) float64 { return r.p95 })
	row("first move after a load, ms", "%.0f", func(r engineRun) float64 { return r.firstMove })
	row("renderer peak memory (VmHWM), MB", "%.0f", func(r engineRun) float64 { return r.mem.renderer / 1e6 })
	row("resident at the end: private (RssAnon), MB", "%.0f", func(r engineRun) float64 { return r.mem.anon / 1e6 })
	row("resident at the end: Chromium's files (RssFile), MB", "%.0f", func(r engineRun) float64 { return r.mem.file / 1e6 })
	row("resident at the end: shared memory (RssShmem), MB", "%.0f", func(r engineRun) float64 { return r.mem.shmem / 1e6 })
	fmt.Printf("| wasm raw / gzip, MB | %.2f / %.2f | %.2f / %.2f | — | %.2f / %.2f | — |\n", wasm, wasmGz, duckWasm, duckGz, wasm/duckWasm, wasmGz/duckGz)
	ready := func(r engineRun) float64 { return r.ready }
	row("not counted: page ready (navigation → takes a file), ms", "%.0f", ready)
	fmt.Printf("\nFirst result: from the file picker's change event to the scored result, as each page measures it (segsim's\n")
	fmt.Printf("includes drawing its page). Re-scores: the first M cut moved one step at a time, %d times; p50 and p95 leave out\n", moves)
	fmt.Printf("the first move after the load. DuckDB-WASM's engine load (fetch, compile, start, connect) is %.0f ms of its page ready.\n",
		med(duck, func(r engineRun) float64 { return r.load }))

	if statsFile != "" {
		st := engines[3].got
		size := 0.0
		if fi, err := os.Stat(statsFile); err == nil {
			size = float64(fi.Size()) / 1e6
		}
		fmt.Printf("\nsegsim on a stats file of %d customers (%.1f MB, one row per customer), medians of %d runs (target: first result ≤ 2,000 ms):\n", st[0].customers, size, runs)
		fmt.Printf("  first result %.0f ms (read %.0f, parse %.0f, first run %.0f); re-score round trip p50 / p95 %.1f / %.1f ms; renderer peak %.0f MB\n",
			med(st, func(r engineRun) float64 { return r.first }), med(st, func(r engineRun) float64 { return r.read }),
			med(st, func(r engineRun) float64 { return r.parse }), med(st, func(r engineRun) float64 { return r.run }),
			med(st, func(r engineRun) float64 { return r.p50 }), med(st, func(r engineRun) float64 { return r.p95 }),
			med(st, func(r engineRun) float64 { return r.mem.renderer / 1e6 }))
	}

	fmt.Printf("\nsegsim in detail (medians):\n")
	fmt.Printf("  first result: read into the worker, parsed as it arrives %.0f ms; second part joined %.0f; last records %.0f; first run: clean+summarize+score+view %.0f\n",
		med(seg, func(r engineRun) float64 { return r.read }), med(seg, func(r engineRun) float64 { return r.wait }),
		med(seg, func(r engineRun) float64 { return r.parse }), med(seg, func(r engineRun) float64 { return r.run }))
	split := 0
	for _, r := range seg {
		if r.split {
			split++
		}
	}
	fmt.Printf("  read in two parts at once (a second instance of the core reads the second half) in %d of %d runs\n", split, len(seg))
	fmt.Printf("  re-score in the worker p50 / p95    %.1f / %.1f ms (the round trip adds messaging and parsing the answer)\n",
		med(seg, func(r engineRun) float64 { return r.worker50 }), med(seg, func(r engineRun) float64 { return r.worker95 }))
	fmt.Printf("  slider → page drawn p50 / p95       %.1f / %.1f ms (from the slider's input event to the page's tables, charts and knobs drawn)\n",
		med(seg, func(r engineRun) float64 { return r.drawn50 }), med(seg, func(r engineRun) float64 { return r.drawn95 }))
	fmt.Printf("  worker wasm memory                  %.1f MB\n", med(seg, func(r engineRun) float64 { return r.wasmMem })/1e6)
	rest := med(seg, func(r engineRun) float64 { return r.rest.renderer })
	fmt.Printf("  renderer peak at page ready         %.0f MB (the sample scored, before the file); the file adds %.0f MB\n",
		rest/1e6, (med(seg, func(r engineRun) float64 { return r.mem.renderer })-rest)/1e6)
	fmt.Printf("  resident at page ready              private %.0f MB, Chromium's files %.0f MB, shared memory %.0f MB\n",
		med(seg, func(r engineRun) float64 { return r.rest.anon })/1e6, med(seg, func(r engineRun) float64 { return r.rest.file })/1e6,
		med(seg, func(r engineRun) float64 { return r.rest.shmem })/1e6)
	fmt.Printf("  page JS heap (main thread)          %.1f MB\n", med(seg, func(r engineRun) float64 { return r.heap })/1e6)
	fmt.Printf("  .xlsx reader wasm raw / gzip        %.2f / %.2f MB (fetched when an .xlsx file arrives)\n", xlsxRaw, xlsxGz)
	fmt.Printf("\nMemory: VmHWM (peak resident set) of the page's renderer process, from /proc/PID/status before its tab closes.\n")
	fmt.Printf("Chromium runs a page's dedicated workers as threads of its renderer (%d, %d and %d worker threads found in it), so the\n",
		seg[0].mem.workers, duck[0].mem.workers, js[0].mem.workers)
	fmt.Printf("renderer's peak covers the page, its workers and their wasm memory; no separate worker process exists. It also\n")
	fmt.Printf("counts the pages of Chromium's own executable the renderer has run (RssFile), shared with every other renderer:\n")
	fmt.Printf("the rows \"resident at the end\" split the resident set after the slider moves.\n")
	var idle []float64
	for _, e := range engines {
		for _, g := range e.got {
			if g.mem.idle > 0 {
				idle = append(idle, g.mem.idle)
			}
		}
	}
	if len(idle) > 0 {
		fmt.Printf("For reference, a renderer that runs no page (the spare Chromium keeps ready) peaks at %.0f MB.\n", median(idle)/1e6)
	}
	others := map[string][]float64{}
	for _, e := range engines {
		for _, g := range e.got {
			for k, v := range g.mem.others {
				others[e.name+": "+k] = append(others[e.name+": "+k], v)
			}
		}
	}
	if len(others) == 0 {
		fmt.Printf("No other process was started for a page.\n")
	}
	for _, k := range slices.Sorted(maps.Keys(others)) {
		fmt.Printf("  other process started during %d run(s), %s: peak %.0f MB (median)\n", len(others[k]), k, median(others[k])/1e6)
	}
}

// move is one slider move's times (ms) and whether it scored the data again.
type move struct {
	RoundTrip float64 `json:"roundTrip"` // the scenario sent to the worker → its answer parsed
	Worker    float64 `json:"worker"`
	Render    float64 `json:"render"`
	Move      float64 `json:"move"` // the slider's input event → the page drawn (0 in builds without it)
	Rescored  bool    `json:"rescored"`
}

// sliderMoves moves the first M cut point n times, one slider step at a
// time back and forth between its lowest value and the second cut, so
// that every move changes the scenario (a slider held against its
// neighbour sends nothing new) and moves low-spending customers, of whom
// there are most. Each move waits until the page has drawn its frame, as
// between two moves of a hand on the slider; without that the next
// re-score shares the two cores with the charts' drawing.
func sliderMoves(t *testing.T, ctx context.Context, n int) []move {
	t.Helper()
	return await[[]move](t, ctx, fmt.Sprintf(`(async () => {
		const cuts = document.querySelectorAll('.dim[data-dim=M] input.cut');
		const el = cuts[0], step = Number(el.step), lo = Number(el.min);
		const k = Math.max(1, Math.floor((Number(cuts[1].value) - step - lo) / step));
		const out = [];
		for (let i = 0; i < %d; i++) {
			const j = (i + 1) %% (2 * k);
			el.value = lo + step * (j <= k ? j : 2 * k - j);
			el.dispatchEvent(new Event('input', {bubbles: true}));
			await window.segsim.idle();
			await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
			out.push({...window.segsim.lastTimes(), rescored: window.segsim.result().rescored});
		}
		return out;
	})()`, n))
}

// TestBenchBrowserBaseline measures this build and another
// (SEGSIM_BENCH_BASELINE, a built site/dist), in turns in the same
// browser: per round (SEGSIM_BENCH_RUNS, 3 unless set), a fresh tab of
// each loads the file and moves the slider 60 times. `make bench-browser
// BASELINE=dir` runs it.
func TestBenchBrowserBaseline(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SEGSIM_BENCH_ORDERS"))
	if n <= 0 || baselineURL == "" {
		t.Skip("set SEGSIM_BENCH_ORDERS and SEGSIM_BENCH_BASELINE (make bench-browser BASELINE=dir)")
	}
	buf := orders(n)
	file := filepath.Join(t.TempDir(), "orders.csv")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	type side struct {
		name                      string
		url                       string
		first, worker, rtt, drawn []float64
		peak, private, wasm       []float64 // renderer VmHWM and RssAnon, the core's wasm memory
	}
	sides := []*side{{name: "this build", url: siteURL}, {name: "baseline", url: baselineURL}}
	rounds, _ := strconv.Atoi(os.Getenv("SEGSIM_BENCH_RUNS"))
	if rounds <= 0 {
		rounds = 3
	}
	for r := range rounds {
		for k := range sides {
			sd := sides[(r+k)%len(sides)] // alternate which build goes first
			before := browserProcs(t)
			ctx := loadPage(t, newTab(t, true), sd.url+"/")
			if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file})); err != nil {
				t.Fatal(err)
			}
			poll(t, ctx, `window.segsim.result()?.name === "orders.csv"`)
			first := await[[]struct {
				First float64 `json:"first"`
			}](t, ctx, `window.segsim.timings()`)
			sd.first = append(sd.first, first[len(first)-1].First)
			for _, m := range sliderMoves(t, ctx, 60) {
				sd.worker, sd.rtt = append(sd.worker, m.Worker), append(sd.rtt, m.RoundTrip)
				if m.Move > 0 {
					sd.drawn = append(sd.drawn, m.Move)
				}
			}
			wasm := await[pageStats](t, ctx, `window.segsim.stats()`).WasmMemory
			mem := pagePeaks(t, before)
			sd.peak, sd.private, sd.wasm = append(sd.peak, mem.renderer/1e6), append(sd.private, mem.anon/1e6), append(sd.wasm, wasm/1e6)
			closeTab(t, ctx, mem.pid)
		}
	}
	fmt.Printf("\nbench-browser, %d orders, %d rounds in turns (median first result; slider moves p50 / p95)\n", n, rounds)
	for _, sd := range sides {
		drawn := "—"
		if len(sd.drawn) > 0 {
			drawn = fmt.Sprintf("%5.1f / %5.1f ms", pct(sd.drawn, 50), pct(sd.drawn, 95))
		}
		fmt.Printf("  %-10s  first %6.0f ms   re-score in the worker %5.1f / %5.1f ms   round trip %5.1f / %5.1f ms   slider → page drawn %s\n",
			sd.name, median(sd.first), pct(sd.worker, 50), pct(sd.worker, 95), pct(sd.rtt, 50), pct(sd.rtt, 95), drawn)
		fmt.Printf("  %-10s  renderer peak (VmHWM) %4.0f MB   private (RssAnon) %4.0f MB   wasm memory %4.0f MB\n",
			"", median(sd.peak), median(sd.private), median(sd.wasm))
	}
}

// wasmSize returns a wasm file's size, raw and gzipped at the best
// compression, in MB.
func wasmSize(t *testing.T, path string) (raw, gz float64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return float64(len(b)) / 1e6, float64(buf.Len()) / 1e6
}

func median(v []float64) float64 { return pct(v, 50) }

func pct(v []float64, p int) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[min(len(s)-1, (len(s)*p+99)/100-1)]
}

// orders generates n order rows shaped like the performance notes' file:
// customer_id, order_id, order_date, amount; about 0.22 customers per
// order, most of them with a single order, over two years.
func orders(n int) *bytes.Buffer {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.Grow(n * 38)
	b.WriteString("customer_id,order_id,order_date,amount\n")
	customers := n * 22 / 100
	for i := range n {
		var c int
		if rng.IntN(100) < 12 {
			c = rng.IntN(customers) // one-time buyers spread over everyone
		} else {
			c = int(float64(customers) * rng.Float64() * rng.Float64() * rng.Float64()) // a loyal head
		}
		day := rng.IntN(730)
		y, m, d := 2024+day/365, 1+(day%365)/31, 1+(day%365)%31%28
		fmt.Fprintf(&b, "C%07d,O%08d,%d-%02d-%02d,%d.%02d\n", c, i, y, min(m, 12), d, 5+rng.IntN(300), rng.IntN(100))
	}
	return &b
}
