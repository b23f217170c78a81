//go:build e2e

package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBenchBrowser loads a generated order file (SEGSIM_BENCH_ORDERS rows)
// through the file picker in fresh tabs and prints the medians of the time
// to first result, the re-score time over 100 slider moves (p50, p95), the
// wasm size and the memory used. `make bench-browser` runs it.
func TestBenchBrowser(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SEGSIM_BENCH_ORDERS"))
	if n <= 0 {
		t.Skip("set SEGSIM_BENCH_ORDERS (make bench-browser)")
	}
	buf := orders(n)
	file := filepath.Join(t.TempDir(), "orders.csv")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %d orders, %.1f MB", n, float64(buf.Len())/1e6)

	type timing struct {
		First    float64 `json:"first"`
		Read     float64 `json:"read"`
		Parse    float64 `json:"parse"`
		Run      float64 `json:"run"`
		Streamed bool    `json:"streamed"`
	}
	type stats struct {
		WasmMemory float64 `json:"wasmMemory"`
		JSHeap     float64 `json:"jsHeap"`
	}
	var firsts, reads, parses, runs, heaps, wasmMem []float64
	var ctx = browser
	const loads = 3
	for i := range loads {
		ctx = openPage(t, "")
		if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file})); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, `window.segsim.result()?.name === "orders.csv"`)
		ts := await[[]timing](t, ctx, `window.segsim.timings()`)
		last := ts[len(ts)-1]
		if !last.Streamed {
			t.Errorf("load %d: the file was not parsed as it arrived", i+1)
		}
		firsts, reads, parses, runs = append(firsts, last.First), append(reads, last.Read), append(parses, last.Parse), append(runs, last.Run)
		st := await[stats](t, ctx, `window.segsim.stats()`)
		heaps, wasmMem = append(heaps, st.JSHeap), append(wasmMem, st.WasmMemory)
		t.Logf("load %d: first result %.0f ms (read and parse as it arrives %.0f, last records %.0f, first run %.0f)", i+1, last.First, last.Read, last.Parse, last.Run)
	}
	customers := await[int](t, ctx, `window.segsim.result().customers`)

	// 100 slider moves on the last tab: the first M cut point, one slider
	// step at a time back and forth between its lowest value and the
	// second cut, so that every move changes the scenario (a slider held
	// against its neighbour sends nothing new) and moves low-spending
	// customers, of whom there are most. Each move waits until the page has
	// drawn its frame, as between two moves of a hand on the slider; without
	// that the next re-score shares the two cores with the charts' drawing.
	moves := sliderMoves(t, ctx, 100)
	var worker, round, render []float64
	rescored := 0
	for _, m := range moves {
		worker, round, render = append(worker, m.Worker), append(round, m.RoundTrip), append(render, m.Render)
		if m.Rescored {
			rescored++
		}
	}
	if rescored < len(moves) {
		t.Errorf("only %d of %d slider moves scored the data again", rescored, len(moves))
	}
	st := await[stats](t, ctx, `window.segsim.stats()`)
	heaps, wasmMem = append(heaps, st.JSHeap), append(wasmMem, st.WasmMemory)

	wasm, wasmGz := wasmSize(t, "segsim.wasm")
	xlsxRaw, xlsxGz := wasmSize(t, "xlsx.wasm")

	fmt.Printf("\nbench-browser: %d orders (%.1f MB CSV), %d customers, medians of %d fresh tabs\n", n, float64(buf.Len())/1e6, customers, loads)
	fmt.Printf("  first result (file → scored page)   %7.0f ms   (read into the worker, parsed as it arrives %.0f; last records %.0f; first run: clean+summarize+score+view %.0f)\n", median(firsts), median(reads), median(parses), median(runs))
	fmt.Printf("  re-score in the worker   p50 / p95  %7.1f / %.1f ms  (100 slider moves)\n", pct(worker, 50), pct(worker, 95))
	fmt.Printf("  slider → page updated    p50 / p95  %7.1f / %.1f ms\n", pct(round, 50), pct(round, 95))
	fmt.Printf("  page tables and knobs    p50 / p95  %7.1f / %.1f ms  (main thread; charts draw in the next frame)\n", pct(render, 50), pct(render, 95))
	fmt.Printf("  wasm size raw / gzip                %7.2f / %.2f MB  (first load)\n", wasm, wasmGz)
	fmt.Printf("  .xlsx reader wasm raw / gzip        %7.2f / %.2f MB  (fetched when an .xlsx file arrives)\n", xlsxRaw, xlsxGz)
	fmt.Printf("  peak page JS heap                   %7.1f MB\n", slices.Max(heaps)/1e6)
	fmt.Printf("  worker wasm memory                  %7.1f MB\n", slices.Max(wasmMem)/1e6)
	out, _ := json.Marshal(map[string]any{"first_ms": median(firsts), "rescore_p50_ms": pct(worker, 50), "rescore_p95_ms": pct(worker, 95)})
	t.Logf("%s", out)
	screenshot(t, ctx, "bench_1m.png")
}

// move is one slider move's times (ms) and whether it scored the data again.
type move struct {
	RoundTrip float64 `json:"roundTrip"`
	Worker    float64 `json:"worker"`
	Render    float64 `json:"render"`
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
// browser: per round, a fresh tab of each loads the file and moves the
// slider 60 times. `make bench-browser BASELINE=dir` runs it.
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
		name               string
		url                string
		first, worker, rtt []float64
	}
	sides := []*side{{name: "this build", url: siteURL}, {name: "baseline", url: baselineURL}}
	const rounds = 3
	for r := range rounds {
		for k := range sides {
			sd := sides[(r+k)%len(sides)] // alternate which build goes first
			ctx := openPageAt(t, sd.url, "")
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
			}
		}
	}
	fmt.Printf("\nbench-browser, %d orders, %d rounds in turns (median first result; slider moves p50 / p95)\n", n, rounds)
	for _, sd := range sides {
		fmt.Printf("  %-10s  first %6.0f ms   re-score in the worker %5.1f / %5.1f ms   slider → page %5.1f / %5.1f ms\n",
			sd.name, median(sd.first), pct(sd.worker, 50), pct(sd.worker, 95), pct(sd.rtt, 50), pct(sd.rtt, 95))
	}
}

// wasmSize returns a built wasm file's size, raw and gzipped at the best
// compression, in MB.
func wasmSize(t *testing.T, name string) (raw, gz float64) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(os.Getenv("SEGSIM_DIST"), name))
	if err != nil {
		b, err = os.ReadFile(filepath.Join(root, "site", "dist", name))
		if err != nil {
			t.Fatal(err)
		}
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
