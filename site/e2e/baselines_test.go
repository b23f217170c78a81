//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"segsim/core/session"
)

// The browser benchmark measures segsim's page beside two baselines on the
// same file, in the same browser: DuckDB-WASM (site/bench/duckdb.html) and
// a plain JavaScript byte scanner (site/bench/scan.html). Those pages are
// served here only, from site/bench, never by the site.

// duckWasmPath is DuckDB-WASM's single-thread engine under site/bench.
const duckWasmPath = "node_modules/@duckdb/duckdb-wasm/dist/duckdb-eh.wasm"

// loadTimeout bounds one engine's load of the benchmark file.
const loadTimeout = 10 * time.Minute

// engineRun is one run of one engine on the order file, in a fresh browser
// context. Times are in ms, memory in bytes.
type engineRun struct {
	ready     float64 // navigation → the page takes a file
	load      float64 // the engine's own load, as the page reports it (baselines)
	first     float64 // file picked → scored, as the page measures it
	firstMove float64 // the first re-score after the load
	p50, p95  float64 // the other re-scores' round trips

	// segsim only: the split of the first result, the worker's share of a
	// re-score, the core's wasm memory.
	read, parse, run   float64
	wait               float64 // joining the part a second instance read
	split              bool    // the file was read in two parts
	worker50, worker95 float64
	drawn50, drawn95   float64 // the slider's input event → the page drawn
	wasmMem            float64

	heap      float64 // the page's JS heap, at its largest
	mem       procPeaks
	rest      procPeaks // segsim only: the renderer when the page is ready, before the file
	customers int
}

// benchServer serves the baseline pages and their node_modules.
func benchServer(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(root, "site", "bench")
	if _, err := os.Stat(filepath.Join(dir, duckWasmPath)); err != nil {
		t.Fatalf("no DuckDB-WASM in site/bench/node_modules (make bench-browser installs it): %v", err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv.URL
}

// pageStats is what the page's window.segsim.stats() tells of its memory.
type pageStats struct {
	WasmMemory float64 `json:"wasmMemory"` // the core's wasm memory
	JSHeap     float64 `json:"jsHeap"`     // the page's JS heap
}

// runSegsim loads the file on segsim's page in a fresh browser context and
// moves the first M cut point moves times; then, with a name, it takes a
// screenshot. An order file large enough must be parsed as it arrives;
// a stats file (perCustomer set) is read whole.
func runSegsim(t *testing.T, file string, moves int, shot string, perCustomer bool) engineRun {
	t.Helper()
	before := browserProcs(t)
	ctx := newTab(t, true)
	start := time.Now()
	loadPage(t, ctx, siteURL+"/")
	r := engineRun{ready: msSince(start), rest: pagePeaks(t, before)}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file})); err != nil {
		t.Fatal(err)
	}
	pollWithin(t, ctx, fmt.Sprintf(`window.segsim.result()?.name === %q`, filepath.Base(file)), loadTimeout)
	ts := await[[]struct {
		First    float64 `json:"first"`
		Read     float64 `json:"read"`
		Parse    float64 `json:"parse"`
		Wait     float64 `json:"wait"`
		Run      float64 `json:"run"`
		Streamed bool    `json:"streamed"`
		Split    bool    `json:"split"`
	}](t, ctx, `window.segsim.timings()`)
	last := ts[len(ts)-1]
	if st, err := os.Stat(file); err == nil && st.Size() >= session.StreamMin && !last.Streamed && !perCustomer {
		t.Errorf("the file was not parsed as it arrived")
	}
	r.first, r.read, r.parse, r.run = last.First, last.Read, last.Parse, last.Run
	r.wait, r.split = last.Wait, last.Split
	r.customers = await[int](t, ctx, `window.segsim.result().customers`)
	st := await[pageStats](t, ctx, `window.segsim.stats()`)

	ms := sliderMoves(t, ctx, moves)
	var round, worker, drawn []float64
	rescored := 0
	for i, m := range ms {
		if m.Rescored {
			rescored++
		}
		if i == 0 {
			r.firstMove = m.RoundTrip
			continue
		}
		round, worker, drawn = append(round, m.RoundTrip), append(worker, m.Worker), append(drawn, m.Move)
	}
	if rescored < len(ms) {
		t.Errorf("only %d of %d slider moves scored the data again", rescored, len(ms))
	}
	r.p50, r.p95, r.worker50, r.worker95 = pct(round, 50), pct(round, 95), pct(worker, 50), pct(worker, 95)
	r.drawn50, r.drawn95 = pct(drawn, 50), pct(drawn, 95)
	st2 := await[pageStats](t, ctx, `window.segsim.stats()`)
	r.heap, r.wasmMem = max(st.JSHeap, st2.JSHeap), max(st.WasmMemory, st2.WasmMemory)
	r.mem = pagePeaks(t, before)
	if shot != "" {
		screenshot(t, ctx, shot)
	}
	closeTab(t, ctx, r.mem.pid)
	return r
}

// runBaseline loads the file on a baseline page (window.bench, see
// site/bench/bench.js) in a fresh browser context and re-scores it moves
// times.
func runBaseline(t *testing.T, url, file string, moves int) engineRun {
	t.Helper()
	before := browserProcs(t)
	ctx := newTab(t, true)
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 1000), chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	ready := evalPage[struct {
		Load float64 `json:"load"`
	}](t, ctx, `(async () => {
		while (!window.bench) await new Promise((r) => setTimeout(r, 20));
		return window.bench.ready;
	})()`)
	r := engineRun{ready: msSince(start), load: ready.Load}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file})); err != nil {
		t.Fatal(err)
	}
	res := evalPage[struct {
		First     float64 `json:"first"`
		Customers int     `json:"customers"`
		Error     string  `json:"error"`
	}](t, ctx, `(async () => {
		while (!window.bench.result) await new Promise((r) => setTimeout(r, 20));
		return window.bench.result;
	})()`)
	if res.Error != "" {
		t.Fatalf("%s: %s", url, res.Error)
	}
	r.first, r.customers = res.First, res.Customers
	heap := evalPage[float64](t, ctx, `window.bench.stats().jsHeap`)
	times := evalPage[[]float64](t, ctx, fmt.Sprintf(`window.bench.rescores(%d)`, moves))
	r.firstMove, r.p50, r.p95 = times[0], pct(times[1:], 50), pct(times[1:], 95)
	r.heap = max(heap, evalPage[float64](t, ctx, `window.bench.stats().jsHeap`))
	r.mem = pagePeaks(t, before)
	closeTab(t, ctx, r.mem.pid)
	return r
}

// evalPage evaluates a JavaScript expression on a page that is not
// segsim's and waits for its promise.
func evalPage[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, loadTimeout)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		errs := ctx.Value(consoleKey{}).(*consoleErrors)
		t.Fatalf("%s: %v\nconsole errors:\n%s", expr, err, strings.Join(errs.list(), "\n"))
	}
	return v
}

func msSince(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1e3 }

// Memory. Chromium runs a browser context's pages in renderer processes
// of their own, and a page's dedicated workers as threads of its renderer
// ("DedicatedWorker thread"), not as processes. The peak resident memory
// of a process is the VmHWM line of /proc/PID/status; for the page's
// renderer it covers everything the page ever held at once: its JS heap,
// its workers' heaps and wasm memories, decoded files, and the code it
// touched. A new browser context also starts a renderer for the window's
// own user interface (--top-chrome-webui) and Chromium keeps a spare
// renderer ready; neither is the page's, and neither is counted.

// procPeaks is the peak resident memory (VmHWM, bytes) of the page's
// renderer and of any other process started for the page.
type procPeaks struct {
	pid      int     // the page's renderer
	renderer float64 // its VmHWM
	// Its resident set when measured, split as /proc/PID/status does:
	// private memory (RssAnon), pages of files such as Chromium's own
	// executable, shared with every renderer (RssFile), and shared memory
	// (RssShmem).
	anon, file, shmem float64
	workers           int     // dedicated worker threads in it
	idle              float64 // VmHWM of a new renderer that runs no page (the spare), for reference
	others            map[string]float64
}

// browserProcs lists the browser's process tree: pid → type (the --type
// switch of its command line, with a utility's sub-type; "browser" for the
// browser itself, "renderer ui" for a renderer of the browser's own user
// interface).
func browserProcs(t *testing.T) map[int]string {
	t.Helper()
	top := chromedp.FromContext(browser).Browser.Process()
	if top == nil {
		t.Fatal("the browser's process is unknown")
	}
	parent := map[int]int{}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces and parentheses.
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) > 1 {
			parent[pid], _ = strconv.Atoi(f[1])
		}
	}
	out := map[int]string{}
	for pid := range parent {
		for p := pid; p > 1; p = parent[p] {
			if p == top.Pid {
				out[pid] = procType(pid)
				break
			}
		}
	}
	return out
}

func procType(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	kind, sub := "browser", ""
	// Chromium rewrites its processes' command lines with spaces between
	// the arguments.
	for _, a := range strings.FieldsFunc(string(b), func(r rune) bool { return r == 0 || r == ' ' }) {
		if v, ok := strings.CutPrefix(a, "--type="); ok {
			kind = v
		} else if v, ok := strings.CutPrefix(a, "--utility-sub-type="); ok {
			sub = v[strings.LastIndexByte(v, '.')+1:]
		} else if a == "--top-chrome-webui" {
			sub = "ui"
		}
	}
	if sub != "" {
		return kind + " " + sub
	}
	return kind
}

// vmHWM is a process's peak resident memory in bytes (0 once it is gone).
func vmHWM(pid int) float64 { return procSizes(pid)["VmHWM"] }

// procSizes reads the sizes in a process's /proc/PID/status, in bytes by
// name ("VmHWM", "RssAnon"…); empty once the process is gone.
func procSizes(pid int) map[string]float64 {
	out := map[string]float64{}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return out
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, v, ok := strings.Cut(line, ":")
		v, kb := strings.CutSuffix(strings.TrimSpace(v), " kB")
		if ok && kb {
			n, _ := strconv.ParseFloat(v, 64)
			out[name] = n * 1024
		}
	}
	return out
}

// workerThreads counts a process's dedicated worker threads.
func workerThreads(pid int) int {
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	n := 0
	for _, task := range tasks {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/comm", pid, task.Name()))
		if strings.HasPrefix(string(b), "DedicatedWorker") {
			n++
		}
	}
	return n
}

// pagePeaks reads the peaks of the benchmark's one open tab: its renderer
// is the one that runs the page's worker (each engine's page starts one);
// the other processes that appeared since before (the browser's processes
// when the tab opened) are listed by type, renderers that run no page
// aside.
func pagePeaks(t *testing.T, before map[int]string) procPeaks {
	t.Helper()
	p := procPeaks{others: map[string]float64{}}
	for pid, kind := range browserProcs(t) {
		switch _, existed := before[pid]; {
		case kind == "renderer":
			if w := workerThreads(pid); w > 0 {
				if p.pid != 0 {
					t.Errorf("two renderers run dedicated workers: %d and %d", p.pid, pid)
				}
				m := procSizes(pid)
				p.pid, p.renderer, p.workers = pid, m["VmHWM"], w
				p.anon, p.file, p.shmem = m["RssAnon"], m["RssFile"], m["RssShmem"]
			} else if !existed {
				p.idle = max(p.idle, vmHWM(pid))
			}
		case !existed && !strings.HasPrefix(kind, "renderer"):
			p.others[kind] = max(p.others[kind], vmHWM(pid))
		}
	}
	if p.pid == 0 {
		t.Fatal("no renderer process runs the page's worker")
	}
	return p
}

// closeTab closes a fresh tab's browser context and waits until its
// renderer process (pid) has exited.
func closeTab(t *testing.T, ctx context.Context, pid int) {
	t.Helper()
	if err := chromedp.Cancel(ctx); err != nil {
		t.Logf("close the tab: %v", err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err != nil {
			return
		}
	}
	t.Logf("the renderer %d of a closed tab is still running", pid)
}
