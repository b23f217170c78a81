//go:build e2e

// Package e2e drives the built segsim page in headless Chromium: it loads
// every sample, uploads a file with Chinese headers, moves a slider,
// switches language, compares the exported CSV with the command line's
// byte for byte, and checks that no request left the local server.
// Run it with `make test-site` (it needs `make dist` first).
package e2e

import (
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"segsim/site/server"
)

var (
	root    string // module root
	siteURL string // the local server
	// baselineURL serves SEGSIM_BENCH_BASELINE, another build of the site
	// the browser benchmark measures in turns with this one.
	baselineURL string
	cli         string // the command line binary
	browser     context.Context
	shots       string // screenshot folder

	reqMu    sync.Mutex
	requests []string // every URL the browser asked for
	served   []string // every path the local server answered (workers' fetches included)
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	wd, _ := os.Getwd()
	root = filepath.Join(wd, "..", "..")
	dist := filepath.Join(root, "site", "dist")
	if d := os.Getenv("SEGSIM_DIST"); d != "" {
		dist = d
	}
	if _, err := os.Stat(filepath.Join(dist, "segsim.wasm")); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: no built site; run make dist first:", err)
		return 1
	}
	tmp, err := os.MkdirTemp("", "segsim-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	cli = filepath.Join(tmp, "segsim")
	build := exec.Command("go", "build", "-o", cli, "./core/cmd/segsim")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: build the command line: %v\n%s", err, out)
		return 1
	}
	shots = filepath.Join(root, "site", "testdata", "screens")
	os.MkdirAll(shots, 0o755)

	site := server.Handler(dist)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqMu.Lock()
		served = append(served, r.URL.Path)
		reqMu.Unlock()
		site.ServeHTTP(w, r)
	}))
	defer srv.Close()
	siteURL = srv.URL
	if d := os.Getenv("SEGSIM_BENCH_BASELINE"); d != "" {
		base := httptest.NewServer(server.Handler(d))
		defer base.Close()
		baselineURL = base.URL
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.UserDataDir(filepath.Join(tmp, "profile")),
		chromedp.WindowSize(1400, 1000),
	}
	if p := os.Getenv("SEGSIM_CHROME"); p != "" {
		opts = append(opts, chromedp.ExecPath(p))
	}
	// SEGSIM_JS_FLAGS passes V8 flags, for experiments with the benchmark
	// (e.g. --no-liftoff: optimize WebAssembly at once).
	if f := os.Getenv("SEGSIM_JS_FLAGS"); f != "" {
		opts = append(opts, chromedp.Flag("js-flags", f))
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	// The first Do starts the browser; it has no timeout, which would kill it.
	if err := chromedp.Do(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: start the browser:", err)
		return 1
	}
	browser = ctx
	code := m.Run()
	if code == 0 {
		if bad := foreignRequests(); len(bad) > 0 {
			fmt.Fprintf(os.Stderr, "e2e: requests left the local server: %v\n", bad)
			return 1
		}
	}
	return code
}

// foreignRequests lists requested URLs that are not on 127.0.0.1 (data:
// and blob: URLs stay in the page).
func foreignRequests() []string {
	reqMu.Lock()
	defer reqMu.Unlock()
	var bad []string
	for _, u := range requests {
		p, err := url.Parse(u)
		if err != nil {
			bad = append(bad, u)
			continue
		}
		switch p.Scheme {
		case "data", "blob":
			continue
		}
		if p.Hostname() != "127.0.0.1" {
			bad = append(bad, u)
		}
	}
	return bad
}

func requestCount() int {
	reqMu.Lock()
	defer reqMu.Unlock()
	return len(requests)
}

// consoleErrors collects what a tab reports as an error: uncaught
// exceptions and unhandled promise rejections, console.error calls, and
// error entries of the browser log (a failed script or module request).
type consoleErrors struct {
	mu   sync.Mutex
	errs []string
}

type consoleKey struct{}

func (c *consoleErrors) add(format string, args ...any) {
	c.mu.Lock()
	c.errs = append(c.errs, fmt.Sprintf(format, args...))
	c.mu.Unlock()
}

func (c *consoleErrors) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errs...)
}

// openPage opens a new tab on the page (with query, e.g. "?sample=x") and
// waits until the first sample is scored. The tab's console errors are
// kept for checkClean.
func openPage(t *testing.T, query string) context.Context {
	t.Helper()
	return openPageAt(t, siteURL, query)
}

// openPageAt opens a tab on the page served at base.
func openPageAt(t *testing.T, base, query string) context.Context {
	t.Helper()
	return loadPage(t, newTab(t, false), base+"/"+query)
}

// newTab opens a blank tab that records its requests and keeps its
// console errors for checkClean. A fresh tab is opened in a browser
// context of its own: its own storage, caches and renderer process.
func newTab(t *testing.T, fresh bool) context.Context {
	t.Helper()
	errs := &consoleErrors{}
	opts := []chromedp.ContextOption{chromedp.WithListener(func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			reqMu.Lock()
			requests = append(requests, e.Request.URL)
			reqMu.Unlock()
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			desc := ""
			if d.Exception != nil {
				desc = d.Exception.Description
			}
			errs.add("uncaught: %s %s (%s:%d)", d.Text, desc, d.URL, d.LineNumber+1)
		case *runtime.EventConsoleAPICalled:
			if e.Type != runtime.ConsoleAPICalledTypeError && e.Type != runtime.ConsoleAPICalledTypeAssert {
				return
			}
			var parts []string
			for _, a := range e.Args {
				if len(a.Value) > 0 {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			errs.add("console.%s: %s", e.Type, strings.Join(parts, " "))
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				errs.add("log: %s %s", e.Entry.Text, e.Entry.URL)
			}
		}
	})}
	if fresh {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	ctx, cancel := chromedp.NewContext(browser, opts...)
	t.Cleanup(cancel)
	ctx = context.WithValue(ctx, consoleKey{}, errs)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// loadPage opens the page at url in a tab and waits until it has scored
// its first sample.
func loadPage(t *testing.T, ctx context.Context, url string) context.Context {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 1000), chromedp.Navigate(url)); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	if _, err := tryAwait[json.RawMessage](ctx, `window.segsim.ready`); err != nil {
		errs := ctx.Value(consoleKey{}).(*consoleErrors)
		t.Fatalf("the page did not start: %v\nconsole errors:\n%s", err, strings.Join(errs.list(), "\n"))
	}
	return ctx
}

// await evaluates a JavaScript expression, waits for its promise, and
// decodes the value.
func await[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := tryAwait[T](ctx, expr)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func tryAwait[T any](ctx context.Context, expr string) (T, error) {
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		ok, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`typeof window.segsim === "object" && window.segsim.ready !== null`))
		if err == nil && ok {
			break
		}
		select {
		case <-tctx.Done():
			var zero T
			return zero, fmt.Errorf("page never set up window.segsim: %w", tctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	return chromedp.Run(tctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// poll waits until a JavaScript condition holds.
func poll(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	pollWithin(t, ctx, cond, 30*time.Second)
}

// pollWithin waits up to d until a JavaScript condition holds.
func pollWithin(t *testing.T, ctx context.Context, cond string, d time.Duration) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	if _, err := chromedp.Run(tctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		t.Fatalf("waiting for %s: %v\n%s", cond, err, pageState(ctx))
	}
}

// pageState describes the page for a failure message: its status line,
// the error shown, if any, and the browser console's errors.
func pageState(ctx context.Context) string {
	var b strings.Builder
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	text, err := tryAwait[string](sctx, `[document.querySelector('#status')?.textContent, document.querySelector('#error')?.textContent].join(' | ')`)
	if err != nil {
		text = err.Error()
	}
	fmt.Fprintf(&b, "page: %s\n", text)
	if c, ok := ctx.Value(consoleKey{}).(*consoleErrors); ok {
		fmt.Fprintf(&b, "console errors:\n%s", strings.Join(c.list(), "\n"))
	}
	return b.String()
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	// Let the charts draw before the capture.
	await[bool](t, ctx, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(shots, name), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// cliCSV runs the command line's score on a file, optionally with a
// scenario, and returns its standard output.
func cliCSV(t *testing.T, file string, scenario []byte, extra ...string) string {
	t.Helper()
	return cliRun(t, "score", file, scenario, extra...)
}

// cliRun runs a command of the command line on a file, quietly and
// optionally with a scenario, and returns its standard output.
func cliRun(t *testing.T, command, file string, scenario []byte, extra ...string) string {
	t.Helper()
	args := append([]string{command, "--quiet"}, extra...)
	if scenario != nil {
		p := filepath.Join(t.TempDir(), "scenario.json")
		if err := os.WriteFile(p, scenario, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--scenario", p)
	}
	cmd := exec.Command(cli, append(args, file)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("segsim %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

func sameCSV(t *testing.T, what, got, want string) {
	t.Helper()
	if got == want {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(gl), len(wl)) {
		if gl[i] != wl[i] {
			t.Fatalf("%s: page CSV differs from the command line's at line %d:\npage: %q\ncli:  %q", what, i+1, gl[i], wl[i])
		}
	}
	t.Fatalf("%s: page CSV has %d lines, the command line's %d", what, len(gl), len(wl))
}

// closeCSV is sameCSV with numbers equal within a relative tolerance (at
// least 0.01 absolute, the last printed digit of money).
func closeCSV(t *testing.T, what, got, want string, rel float64) {
	t.Helper()
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	if len(gl) != len(wl) {
		t.Fatalf("%s: page CSV has %d lines, the command line's %d", what, len(gl), len(wl))
	}
	for i := range gl {
		gf, wf := strings.Split(gl[i], ","), strings.Split(wl[i], ",")
		if len(gf) != len(wf) {
			t.Fatalf("%s: line %d has %d fields, the command line's %d", what, i+1, len(gf), len(wf))
		}
		for j := range gf {
			if gf[j] == wf[j] {
				continue
			}
			a, errA := strconv.ParseFloat(gf[j], 64)
			b, errB := strconv.ParseFloat(wf[j], 64)
			if errA != nil || errB != nil || math.Abs(a-b) > math.Max(rel*math.Abs(b), 0.01)+1e-9 {
				t.Fatalf("%s: line %d field %d: page %q, command line %q", what, i+1, j+1, gf[j], wf[j])
			}
		}
	}
}

type counts struct {
	Customers int     `json:"customers"`
	Revenue   float64 `json:"revenue"`
	Name      string  `json:"name"`
	Classes   []struct {
		Name      string `json:"name"`
		Customers int    `json:"customers"`
	} `json:"classes"`
	Segments []struct {
		Name      string `json:"name"`
		Customers int    `json:"customers"`
	} `json:"segments"`
	Stages []struct {
		Name      string `json:"name"`
		Customers int    `json:"customers"`
	} `json:"stages"`
}

// TestSamplesMatchCLI loads every bundled sample and compares the page's
// CSV with the command line's, with the default scenario and another one.
func TestSamplesMatchCLI(t *testing.T) {
	ctx := openPage(t, "")
	screenshot(t, ctx, "main_en.png")
	var list []struct {
		File string `json:"file"`
	}
	data, err := os.ReadFile(filepath.Join(root, "site", "dist", "samples.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	if len(list) < 5 {
		t.Fatalf("%d samples listed, want 5", len(list))
	}
	for _, s := range list {
		file := filepath.Join(root, "seeds", "samples", s.File)
		// Click the sample's button, as a user would. The first sample is
		// the one the page opened with: wait for the load the click starts
		// (a finished load adds a timing), not for the result shown before.
		loads := await[int](t, ctx, `window.segsim.timings().length`)
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`button.sample[data-file=%q]`, s.File)))); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, fmt.Sprintf(`window.segsim.timings().length > %d && window.segsim.result()?.name === %q && document.querySelector('#status').textContent !== ''`, loads, s.File))
		await[json.RawMessage](t, ctx, `window.segsim.idle()`)
		r := await[counts](t, ctx, `window.segsim.result()`)
		if r.Customers == 0 {
			t.Fatalf("%s: no customers", s.File)
		}
		got := await[string](t, ctx, `window.segsim.exportCSV()`)
		sameCSV(t, s.File, got, cliCSV(t, file, nil))
		t.Logf("%s: %d customers, CSV identical to the command line's", s.File, r.Customers)
	}

	// Another scenario: the eight classes, cut points for R and three F scores.
	const sc = `{"name":"what-if","segments":{"scheme":"rfm8"},"rfm":{"r":{"method":"cuts","cuts":[30,90,180,365]},"f":{"method":"quantile","levels":3}},"tiers":{"basis":"customer_share","cuts":[0.05,0.2,0.5]},"lifecycle":{"churn_days":120}}`
	await[json.RawMessage](t, ctx, `window.segsim.loadSample("cdnow.csv")`)
	await[json.RawMessage](t, ctx, `window.segsim.setScenario(`+sc+`)`)
	got := await[string](t, ctx, `window.segsim.exportCSV()`)
	scenario := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	sameCSV(t, "cdnow.csv with a scenario", got, cliCSV(t, filepath.Join(root, "seeds", "samples", "cdnow.csv"), scenario))
	bom := await[string](t, ctx, `window.segsim.exportCSV({bom: true, chinese: true})`)
	if !strings.HasPrefix(bom, "\ufeff客户ID,") {
		t.Fatalf("Excel CSV starts %q, want a BOM and Chinese column names", bom[:min(len(bom), 20)])
	}
	// Chinese values too: the file segsim score --lang zh writes.
	sameCSV(t, "cdnow.csv in Chinese", bom, cliCSV(t, filepath.Join(root, "seeds", "samples", "cdnow.csv"), scenario, "--lang", "zh"))
	checkClean(t, ctx)
}

// TestLargeFileReadAsItArrives uploads a file large enough for the core
// to parse it while the browser reads it, with quoted notes that hold
// commas and line breaks and a few bad rows, and compares the page's CSV
// and skip count with the command line's.
func TestLargeFileReadAsItArrives(t *testing.T) {
	ctx := openPage(t, "")
	rng := rand.New(rand.NewPCG(7, 8))
	var b strings.Builder
	b.WriteString("customer_id,order_id,order_date,amount,note\r\n")
	const rows, bad = 300000, 3
	for i := range rows {
		date := fmt.Sprintf("2025-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28))
		if i%(rows/bad) == rows/bad/2 {
			date = "soon"
		}
		note := ""
		if rng.IntN(100) == 0 {
			note = "\"gift, wrapped\nleave at door\""
		}
		fmt.Fprintf(&b, "C%06d,O%07d,%s,%d.%02d,%s\n", rng.IntN(60000), i, date, 5+rng.IntN(400), rng.IntN(100), note)
	}
	file := filepath.Join(t.TempDir(), "large.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if b.Len() < 8<<20 {
		t.Fatalf("the file is %d bytes; the core streams from 8 MiB", b.Len())
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file})); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.name === "large.csv"`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if !await[bool](t, ctx, `window.segsim.timings().at(-1).streamed`) {
		t.Fatal("the file was not parsed as it arrived")
	}
	if skipped := await[int](t, ctx, `window.segsim.result().load.rows_skipped`); skipped != bad {
		t.Fatalf("%d rows skipped, want %d", skipped, bad)
	}
	got := await[string](t, ctx, `window.segsim.exportCSV()`)
	sameCSV(t, "large file", got, cliCSV(t, file, nil))
}

// TestUploadChineseHeaders uploads a file with Chinese column names
// through the file picker.
func TestUploadChineseHeaders(t *testing.T) {
	ctx := openPage(t, "")
	var b strings.Builder
	b.WriteString("会员ID,下单时间,实付金额,订单号\n")
	for i := range 400 {
		fmt.Fprintf(&b, "会员%03d,2024-%02d-%02d 10:%02d:00,%d.%02d,D%05d\n", i%97, 1+i%12, 1+i%28, i%60, 20+i%300, i%100, i)
	}
	b.WriteString("会员X,不是日期,12.00,D99999\n")
	file := filepath.Join(t.TempDir(), "订单导出.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file})); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.name === "订单导出.csv"`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	r := await[counts](t, ctx, `window.segsim.result()`)
	if r.Customers != 97 {
		t.Fatalf("%d customers, want 97", r.Customers)
	}
	skipped := await[int](t, ctx, `window.segsim.result().load.rows_skipped`)
	if skipped != 1 {
		t.Fatalf("%d rows skipped, want the one bad date", skipped)
	}
	got := await[string](t, ctx, `window.segsim.exportCSV()`)
	sameCSV(t, "upload", got, cliCSV(t, file, nil))
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#mapping').open = true`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "upload_mapping.png")

	// Drag and drop takes the same path.
	await[bool](t, ctx, `(() => {
		const dt = new DataTransfer();
		dt.items.add(new File(["客户ID,下单时间,实付金额\nA,2024-01-02,10\nB,2024-02-03,20\nA,2024-03-04,30\n"], "dropped.csv", {type: "text/csv"}));
		document.querySelector('#drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true;
	})()`)
	poll(t, ctx, `window.segsim.result()?.name === "dropped.csv"`)
	if n := await[int](t, ctx, `window.segsim.result().customers`); n != 2 {
		t.Fatalf("dropped file: %d customers, want 2", n)
	}
	checkClean(t, ctx)
}

// TestAmbiguousDatesAsked loads day/month-ambiguous dates: the page asks,
// and the user's choice reloads the same bytes.
func TestAmbiguousDatesAsked(t *testing.T) {
	ctx := openPage(t, "")
	csv := "customer_id,order_date,amount\\na,01/02/2024,10\\nb,03/04/2024,20\\na,05/06/2024,30\\n"
	msg := await[string](t, ctx, `window.segsim.load("`+csv+`", {name: "amb.csv"}).then(() => "loaded", e => e.message)`)
	if !strings.Contains(msg, "ambiguous") {
		t.Fatalf("load of ambiguous dates: %q, want the question", msg)
	}
	poll(t, ctx, `!document.querySelector('#ambiguous').hidden && document.querySelector('#mapping').open`)
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#date-format`), "dmy"),
		chromedp.Click(chromedp.CSS(`#apply-mapping`)),
	); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.name === "amb.csv" && window.segsim.result().load.date_format === "dmy"`)
	r := await[counts](t, ctx, `window.segsim.result()`)
	if r.Customers != 2 {
		t.Fatalf("%d customers, want 2", r.Customers)
	}
}

// TestSliderRescores moves an R cut slider with the mouse and waits for
// the class counts to change.
func TestSliderRescores(t *testing.T) {
	ctx := openPage(t, "?sample=cdnow.csv")
	before := await[string](t, ctx, `JSON.stringify([window.segsim.result().bins[0].counts, window.segsim.result().classes, window.segsim.result().segments])`)
	// Click on the track of the first R slider at 90% of its width.
	box := await[[]float64](t, ctx, `(() => { const r = document.querySelector('.dim[data-dim=R] input.cut').getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('.dim[data-dim=R] input.cut').scrollIntoView({block: "center"})`)); err != nil {
		t.Fatal(err)
	}
	box = await[[]float64](t, ctx, `(() => { const r = document.querySelector('.dim[data-dim=R] input.cut').getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()`)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(box[0]+box[2]*0.9, box[1]+box[3]/2)); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.scenario().rfm.r.method === "cuts"`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	after := await[string](t, ctx, `JSON.stringify([window.segsim.result().bins[0].counts, window.segsim.result().classes, window.segsim.result().segments])`)
	if after == before {
		t.Fatalf("moving the R slider did not change the counts: %s\n%s", await[string](t, ctx, `JSON.stringify(window.segsim.scenario().rfm.r)`), after)
	}
	sc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	got := await[string](t, ctx, `window.segsim.exportCSV()`)
	sameCSV(t, "after the slider", got, cliCSV(t, filepath.Join(root, "seeds", "samples", "cdnow.csv"), sc))
	// Dragging: many input events in a row stay responsive and settle on the last.
	start := time.Now()
	await[json.RawMessage](t, ctx, `(async () => {
		const el = document.querySelector('.dim[data-dim=M] input.cut');
		for (let v = 5; v < 60; v += 1) { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }
		return window.segsim.idle();
	})()`)
	if m := await[[]float64](t, ctx, `window.segsim.scenario().rfm.m.cuts`); len(m) == 0 {
		t.Fatal("M cuts missing after dragging")
	}
	t.Logf("55 slider moves settled in %v", time.Since(start))
	screenshot(t, ctx, "slider.png")
	checkClean(t, ctx)
}

// TestLanguageSwitch switches to Chinese, checks that the choice is
// remembered across a reload, and switches back.
func TestLanguageSwitch(t *testing.T) {
	ctx := openPage(t, "")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.documentElement.lang === "zh-CN"`)
	knobs := await[string](t, ctx, `document.querySelector('[data-i18n=knobs]').textContent`)
	if knobs != "参数" {
		t.Fatalf("knobs heading %q in Chinese, want 参数", knobs)
	}
	seg := await[string](t, ctx, `document.querySelector('#table-segments tbody td').textContent`)
	if !strings.ContainsFunc(seg, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
		t.Fatalf("first segment %q is not in Chinese", seg)
	}
	screenshot(t, ctx, "main_zh.png")
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	await[json.RawMessage](t, ctx, `window.segsim.ready`)
	if lang := await[string](t, ctx, `document.documentElement.lang`); lang != "zh-CN" {
		t.Fatalf("after a reload the page is in %q, want zh-CN (remembered)", lang)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.documentElement.lang === "en" && document.querySelector('[data-i18n=knobs]').textContent === "Knobs"`)
	checkClean(t, ctx)
}

// TestPrivacy checks the page's policy header and that nothing was asked
// of another origin so far.
func TestPrivacy(t *testing.T) {
	resp, err := http.Get(siteURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Fatalf("Content-Security-Policy %q", csp)
	}
	ctx := openPage(t, "")
	checkClean(t, ctx)
	if requestCount() == 0 {
		t.Fatal("no request recorded: the network listener is not working")
	}
	if bad := foreignRequests(); len(bad) > 0 {
		t.Fatalf("requests left 127.0.0.1: %v", bad)
	}
}

// checkClean fails on policy violations, errors shown by the page and
// errors in the browser console (uncaught exceptions, console.error, failed
// requests), since the tab was opened.
func checkClean(t *testing.T, ctx context.Context) {
	t.Helper()
	if v := await[[]string](t, ctx, `window.segsim.violations()`); len(v) > 0 {
		t.Fatalf("Content-Security-Policy violations: %v", v)
	}
	if e := await[string](t, ctx, `document.querySelector('#error').hidden ? "" : document.querySelector('#error').textContent`); e != "" {
		t.Fatalf("the page shows an error: %s", e)
	}
	if c, ok := ctx.Value(consoleKey{}).(*consoleErrors); ok {
		if errs := c.list(); len(errs) > 0 {
			t.Fatalf("the browser console has errors:\n%s", strings.Join(errs, "\n"))
		}
	}
}

// TestScenarioShareAndImport checks that a share link carries the
// scenario (and only the scenario) to a new tab, and that a saved scenario
// file loads back through the scenario file picker.
func TestScenarioShareAndImport(t *testing.T) {
	ctx := openPage(t, "?sample=grocery_en.csv")
	await[json.RawMessage](t, ctx, `window.segsim.setScenario({...window.segsim.scenario(), name: "half budget", segments: {scheme: "rfm8", custom: null}})`)
	link := await[string](t, ctx, `location.href`)
	if !strings.Contains(link, "#d=grocery_en.csv&s=") || strings.Contains(link, "customer_id") {
		t.Fatalf("share link %q: want the sample's name and the scenario, no data", link)
	}
	// The link alone opens the scenario on its sample.
	other := openPage(t, link[strings.Index(link, "#"):])
	if name := await[string](t, other, `window.segsim.scenario().name + "/" + window.segsim.result().scheme + "/" + window.segsim.result().name`); name != "half budget/rfm8/grocery_en.csv" {
		t.Fatalf("the shared link opened %q, want half budget/rfm8/grocery_en.csv", name)
	}
	// A link cut short, or naming a sample the page lacks, says so and
	// runs the defaults on the first sample.
	refused := "#d=cdnow.csv&s=" + base64.RawURLEncoding.EncodeToString([]byte(`{"rfm":{"r":{"method":"quantile","levels":99}}}`))
	for _, bad := range []string{link[strings.Index(link, "#"):len(link)-40] + "!!", "#d=nope.csv", refused} {
		tab := openPage(t, bad)
		if e := await[string](t, tab, `document.querySelector('#error').textContent`); !strings.Contains(e, "link") {
			t.Fatalf("%q: the page says %q", bad[:min(len(bad), 30)], e)
		}
		if n := await[string](t, tab, `window.segsim.result().name`); n == "" {
			t.Fatalf("%q: nothing loaded", bad[:min(len(bad), 30)])
		}
	}
	file := filepath.Join(t.TempDir(), "scenario.json")
	if err := os.WriteFile(file, []byte(`{"name":"imported","tiers":{"basis":"customer_share","cuts":[0.1,0.3,0.6]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(other, chromedp.SetUploadFiles(chromedp.CSS(`#import-scenario`), []string{file})); err != nil {
		t.Fatal(err)
	}
	poll(t, other, `window.segsim.scenario().name === "imported"`)
	await[json.RawMessage](t, other, `window.segsim.idle()`)
	if basis := await[string](t, other, `window.segsim.scenario().tiers.basis`); basis != "customer_share" {
		t.Fatalf("imported scenario has tiers.basis %q", basis)
	}
	// The custom scheme starts from the 11-segment rules, editable as JSON.
	if err := chromedp.Do(other, chromedp.SetValue(chromedp.CSS(`#scheme`), "custom"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#scheme').dispatchEvent(new Event('change'))`)); err != nil {
		t.Fatal(err)
	}
	poll(t, other, `window.segsim.result()?.scheme === "custom"`)
	checkClean(t, other)
}

// clickRange clicks a range input's track at fraction x of its width, as
// a user moving the slider would.
func clickRange(t *testing.T, ctx context.Context, sel string, x float64) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('`+sel+`').scrollIntoView({block: "center"})`)); err != nil {
		t.Fatal(err)
	}
	box := await[[]float64](t, ctx, `(() => { const r = document.querySelector('`+sel+`').getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()`)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(box[0]+box[2]*x, box[1]+box[3]/2)); err != nil {
		t.Fatal(err)
	}
}

// choose picks value in the select sel as a person would: the value set,
// then the change event.
func choose(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q; s.dispatchEvent(new Event('change')); })()`, sel, value)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil {
		t.Fatal(err)
	}
}

type predictionResult struct {
	Churn []struct {
		ID          string    `json:"id"`
		Tier        string    `json:"tier"`
		Revenue     float64   `json:"revenue"`
		PAlive      float64   `json:"p_alive"`
		PAliveCI    []float64 `json:"p_alive_ci"`
		CLV         float64   `json:"clv"`
		CLVCI       []float64 `json:"clv_ci"`
		ValueAtRisk float64   `json:"value_at_risk"`
		LastOrder   string    `json:"last_order"`
	} `json:"churn"`
	ChurnTotal int                `json:"churn_total"`
	BGNBD      map[string]float64 `json:"bgnbd"`
	Model      string             `json:"model"`
	Holdout    struct {
		Rows []struct {
			Frequency string  `json:"frequency"`
			Customers int     `json:"customers"`
			Actual    float64 `json:"actual"`
			Expected  float64 `json:"expected"`
		} `json:"rows"`
	} `json:"holdout"`
}

// TestPredictionPanel turns predictions on for CDNOW with the panel's
// toggle: the churn warning list and the calibration-versus-holdout chart
// render, and the CSV (with p_alive, expected_purchases, clv) equals the
// command line's.
func TestPredictionPanel(t *testing.T) {
	ctx := openPage(t, "?sample=cdnow.csv")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#predict-on`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.prediction?.holdout?.rows?.length > 0`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	p := await[predictionResult](t, ctx, `window.segsim.result().prediction`)
	if len(p.Churn) == 0 || len(p.Churn) > 20 || p.ChurnTotal < len(p.Churn) {
		t.Fatalf("churn list of %d (of %d), want 1..20", len(p.Churn), p.ChurnTotal)
	}
	widths := 0
	for i, c := range p.Churn {
		if c.Tier != "core" && c.Tier != "important" || c.PAlive >= 0.5 || c.ID == "" || c.LastOrder == "" {
			t.Fatalf("churn row %d: %+v", i, c)
		}
		if i > 0 && c.ValueAtRisk > p.Churn[i-1].ValueAtRisk {
			t.Fatalf("churn list not sorted by value at risk at row %d", i)
		}
		if len(c.PAliveCI) != 2 || c.PAliveCI[0] > c.PAlive || c.PAlive > c.PAliveCI[1] {
			t.Fatalf("churn row %d: P(alive) %v, 90%% interval %v", i, c.PAlive, c.PAliveCI)
		}
		if c.PAliveCI[1] > c.PAliveCI[0] {
			widths++
		}
		if c.CLV > 0 && (len(c.CLVCI) != 2 || c.CLVCI[0] > c.CLV || c.CLV > c.CLVCI[1] || c.CLV >= 1 && c.CLVCI[0] >= c.CLVCI[1]) {
			t.Fatalf("churn row %d: CLV %v, 90%% interval %v", i, c.CLV, c.CLVCI)
		}
	}
	if widths == 0 {
		t.Fatal("every churn row's P(alive) interval is a point")
	}
	if cell := await[string](t, ctx, `document.querySelector('#churn tbody tr:last-child td:nth-child(5)').textContent`); !strings.Contains(cell, "(") || !strings.Contains(cell, "–") {
		t.Fatalf("the churn list's P(alive) %q shows no interval", cell)
	}
	if cell := await[string](t, ctx, `document.querySelector('#churn tbody tr:first-child td:nth-child(7)').textContent`); !strings.Contains(cell, "(") || !strings.Contains(cell, "–") {
		t.Fatalf("the churn list's CLV %q shows no interval", cell)
	}
	if p.BGNBD["r"] <= 0 || p.BGNBD["alpha"] <= 0 {
		t.Fatalf("BG/NBD parameters %v", p.BGNBD)
	}
	if n := len(p.Holdout.Rows); n != 8 || p.Holdout.Rows[7].Frequency != "7+" {
		t.Fatalf("holdout table: %+v, want frequencies 0..7+", p.Holdout.Rows)
	}
	if n := await[int](t, ctx, `document.querySelectorAll('#churn tbody tr').length`); n != len(p.Churn) {
		t.Fatalf("churn table shows %d rows, want %d", n, len(p.Churn))
	}
	poll(t, ctx, `(() => { const c = document.querySelector('#chart-holdout canvas'); return !!c && c.width > 100 && c.height > 100; })()`)
	if n := await[int](t, ctx, `document.querySelectorAll('#holdout-table tbody tr').length`); n != 8 {
		t.Fatalf("holdout table shows %d rows, want 8", n)
	}
	sc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	if !strings.Contains(string(sc), `"enabled":true`) {
		t.Fatalf("the toggle did not set predict.enabled: %s", sc)
	}
	got := await[string](t, ctx, `window.segsim.exportCSV()`)
	if !strings.HasPrefix(got, "customer_id,") || !strings.Contains(strings.SplitN(got, "\n", 2)[0], ",p_alive,expected_purchases,expected_spend,clv") {
		t.Fatalf("CSV header %q lacks the prediction columns", strings.SplitN(got, "\n", 2)[0])
	}
	sameCSV(t, "cdnow.csv with predictions", got, cliCSV(t, filepath.Join(root, "seeds", "samples", "cdnow.csv"), sc))

	// The purchase model selector: MBG/NBD lets one-time buyers churn, the
	// page says which model it fitted and its CSV is still the command line's.
	choose(t, ctx, "#predict-model", "mbgnbd")
	poll(t, ctx, `window.segsim.result()?.prediction?.model === 'mbgnbd' && window.segsim.result().prediction.holdout?.rows?.length > 0`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if text := await[string](t, ctx, `document.querySelector('#predict-params').textContent`); !strings.HasPrefix(text, "MBG/NBD") || !strings.Contains(text, "r = ") || strings.Count(text, " ± ") != 4 {
		t.Fatalf("parameters line %q does not name MBG/NBD with four parameters and their standard errors", text)
	}
	msc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	if !strings.Contains(string(msc), `"model":"mbgnbd"`) {
		t.Fatalf("the selector did not set predict.model: %s", msc)
	}
	mgot := await[string](t, ctx, `window.segsim.exportCSV()`)
	sameCSV(t, "cdnow.csv with MBG/NBD predictions", mgot, cliCSV(t, filepath.Join(root, "seeds", "samples", "cdnow.csv"), msc))
	if mgot == got {
		t.Fatal("MBG/NBD gave the same customer list as BG/NBD")
	}
	// Pareto/NBD: its own four parameters (s and β), the command line's CSV.
	choose(t, ctx, "#predict-model", "pareto-nbd")
	poll(t, ctx, `window.segsim.result()?.prediction?.model === 'pareto-nbd' && window.segsim.result().prediction.holdout?.rows?.length > 0`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if text := await[string](t, ctx, `document.querySelector('#predict-params').textContent`); !strings.HasPrefix(text, "Pareto/NBD") || !strings.Contains(text, "β = ") || strings.Contains(text, " a = ") || strings.Count(text, " ± ") != 4 {
		t.Fatalf("parameters line %q does not name Pareto/NBD with r, α, s, β and their standard errors", text)
	}
	psc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	// Its gradient is numerical, so the last printed digit may differ
	// between the wasm and the native build: numbers within 0.1%.
	closeCSV(t, "cdnow.csv with Pareto/NBD predictions", await[string](t, ctx, `window.segsim.exportCSV()`), cliCSV(t, filepath.Join(root, "seeds", "samples", "cdnow.csv"), psc), 1e-3)
	// Auto: the three models compared on the data's last quarter, the
	// best kept and said, the CSV the command line's for the same scenario.
	choose(t, ctx, "#predict-model", "auto")
	poll(t, ctx, `!document.querySelector('#predict-chosen').hidden && document.querySelectorAll('#predict-compare tbody tr').length === 3`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if chosen := await[string](t, ctx, `document.querySelector('#predict-chosen').textContent`); !strings.HasPrefix(chosen, "Chosen: ") {
		t.Fatalf("auto: %q", chosen)
	}
	asc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	closeCSV(t, "cdnow.csv with the model chosen on the data", await[string](t, ctx, `window.segsim.exportCSV()`), cliCSV(t, filepath.Join(root, "seeds", "samples", "cdnow.csv"), asc), 1e-3)
	choose(t, ctx, "#predict-model", "bgnbd")
	poll(t, ctx, `window.segsim.result()?.prediction?.model === 'bgnbd'`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#predict-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "predict_en.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('[data-i18n=churn_list]').textContent.startsWith('流失预警') && document.querySelector('#churn thead th:nth-child(5)').textContent === '存活概率'`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#predict-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "predict_zh.png")
	if w := await[string](t, ctx, `document.querySelector('#predict-warnings').textContent`); !strings.Contains(w, "位复购客户") {
		t.Fatalf("fit warnings in Chinese: %q", w)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
	checkClean(t, ctx)

	// Thin data: the first 2,000 orders of CDNOW (586 customers). The page
	// still predicts and says plainly that the parameters are uncertain.
	data, err := os.ReadFile(filepath.Join(root, "seeds", "samples", "cdnow.csv"))
	if err != nil {
		t.Fatal(err)
	}
	thin := strings.Join(strings.SplitAfter(string(data), "\n")[:2000], "")
	text, _ := json.Marshal(thin)
	await[json.RawMessage](t, ctx, `window.segsim.load(`+string(text)+`, {name: "thin.csv"})`)
	w := await[[]string](t, ctx, `window.segsim.result().prediction.warnings`)
	if !strings.Contains(strings.Join(w, "|"), "only 586 customers") {
		t.Fatalf("thin data warnings %q, want the customer count said plainly", w)
	}
	if shown := await[string](t, ctx, `document.querySelector('#predict-warnings').textContent`); !strings.Contains(shown, "only 586 customers") {
		t.Fatalf("thin data warning not shown: %q", shown)
	}
	checkClean(t, ctx)

	// Data the models cannot be fitted to: the panel says why and the rest
	// of the page still works.
	var b strings.Builder
	b.WriteString("customer_id,order_date,amount\n")
	for i := range 60 {
		for k := range 1 + i%4 {
			fmt.Fprintf(&b, "c%02d,2024-%02d-%02d,%d\n", i, 1+(i+k*3)%12, 1+(i*7+k)%28, 10+i%50+k)
		}
	}
	text, _ = json.Marshal(b.String())
	await[json.RawMessage](t, ctx, `window.segsim.load(`+string(text)+`, {name: "degenerate.csv"})`)
	r := await[struct {
		Customers int    `json:"customers"`
		Err       string `json:"prediction_error"`
	}](t, ctx, `window.segsim.result()`)
	if r.Customers != 60 || !strings.Contains(r.Err, "prediction") {
		t.Fatalf("degenerate data: %+v, want 60 customers and the prediction error", r)
	}
	if shown := await[string](t, ctx, `document.querySelector('#predict-off').textContent`); !strings.Contains(shown, "cannot be fitted") {
		t.Fatalf("the panel says %q, want why there are no predictions", shown)
	}
	checkClean(t, ctx)
}

type planResult struct {
	Budget float64 `json:"budget"`
	Total  struct {
		Contacted int     `json:"contacted"`
		Cost      float64 `json:"cost"`
		Profit    float64 `json:"profit"`
	} `json:"total"`
	Unspent   float64 `json:"unspent"`
	Replanned bool    `json:"replanned"`
	MaxBudget float64 `json:"max_budget"`
	Curve     []struct {
		Budget float64 `json:"budget"`
		Profit float64 `json:"profit"`
	} `json:"curve"`
}

// TestPlanPanel turns the plan panel on for CDNOW, moves the budget slider
// with the mouse and checks that the totals follow (more budget never
// earns less), that a budget move re-plans without re-scoring, and that the
// CSV (with action and holdout) equals `segsim score --plan`.
func TestPlanPanel(t *testing.T) {
	ctx := openPage(t, "?sample=cdnow.csv")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#plan-on`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.plan?.curve?.length > 0`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	first := await[planResult](t, ctx, `window.segsim.result().plan`)
	if first.Total.Contacted == 0 || first.MaxBudget < first.Budget {
		t.Fatalf("first plan %+v", first)
	}
	for i := 1; i < len(first.Curve); i++ {
		if first.Curve[i].Profit < first.Curve[i-1].Profit-0.01 {
			t.Fatalf("profit curve falls from %+v to %+v", first.Curve[i-1], first.Curve[i])
		}
	}
	if n := await[int](t, ctx, `document.querySelectorAll('#plan-table tbody tr').length`); n < 2 {
		t.Fatalf("allocation table has %d rows", n)
	}
	poll(t, ctx, `(() => { const c = document.querySelector('#chart-plan canvas'); return !!c && c.width > 100; })()`)
	plans := []planResult{first}
	for _, x := range []float64{0.08, 0.3, 0.03, 0.6} {
		prev := plans[len(plans)-1].Budget
		clickRange(t, ctx, "#plan-budget", x)
		poll(t, ctx, fmt.Sprintf(`window.segsim.result()?.plan?.budget !== %v`, prev))
		await[json.RawMessage](t, ctx, `window.segsim.idle()`)
		p := await[planResult](t, ctx, `window.segsim.result().plan`)
		if !p.Replanned {
			t.Fatalf("a budget move scored the data again instead of re-planning")
		}
		if sb := await[float64](t, ctx, `window.segsim.scenario().plan.budget`); sb != p.Budget {
			t.Fatalf("scenario budget %v, plan budget %v", sb, p.Budget)
		}
		shown := await[string](t, ctx, `document.querySelector('#plan-summary').textContent`)
		if !strings.Contains(shown, fmt.Sprint(p.Total.Contacted)) && !strings.Contains(shown, fmtThousands(p.Total.Contacted)) {
			t.Fatalf("plan summary %q does not show %d contacted", shown, p.Total.Contacted)
		}
		plans = append(plans, p)
		t.Logf("budget %.0f: %d contacted, cost %.2f, profit %.2f, unspent %.2f", p.Budget, p.Total.Contacted, p.Total.Cost, p.Total.Profit, p.Unspent)
	}
	changedTotals := false
	for i, a := range plans {
		for _, b := range plans[i+1:] {
			if a.Total != b.Total {
				changedTotals = true
			}
			lo, hi := a, b
			if lo.Budget > hi.Budget {
				lo, hi = hi, lo
			}
			if hi.Total.Profit < lo.Total.Profit-0.01 {
				t.Fatalf("budget %v earns %v, less than budget %v earning %v", hi.Budget, hi.Total.Profit, lo.Budget, lo.Total.Profit)
			}
			if hi.Total.Cost > hi.Budget+0.01 || lo.Total.Cost > lo.Budget+0.01 {
				t.Fatal("a plan spends more than its budget")
			}
		}
	}
	if !changedTotals {
		t.Fatal("moving the budget slider never changed the allocation totals")
	}
	sc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	got := await[string](t, ctx, `window.segsim.exportCSV()`)
	if head := strings.SplitN(got, "\n", 2)[0]; !strings.HasSuffix(head, ",action,holdout") {
		t.Fatalf("CSV header %q lacks the plan columns", head)
	}
	file := filepath.Join(root, "seeds", "samples", "cdnow.csv")
	sameCSV(t, "cdnow.csv with a plan", got, cliCSV(t, file, sc, "--plan"))

	// Another playbook and predictions on, ranked by CLV: scored again.
	choose(t, ctx, "#plan-playbook", "fmcg")
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if s := await[string](t, ctx, `window.segsim.scenario().plan.playbook + "/" + window.segsim.result()?.plan?.replanned`); s != "fmcg/false" {
		t.Fatalf("after choosing the fmcg playbook: %s, want fmcg/false (planned again)", s)
	}
	await[json.RawMessage](t, ctx, `window.segsim.setScenario({...window.segsim.scenario(), predict: {...window.segsim.scenario().predict, enabled: true}, plan: {...window.segsim.scenario().plan, rank: "predicted"}})`)
	if e := await[string](t, ctx, `window.segsim.result().plan_error`); e != "" {
		t.Fatalf("plan ranked by CLV: %s", e)
	}
	sc = await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	got = await[string](t, ctx, `window.segsim.exportCSV()`)
	sameCSV(t, "cdnow.csv with predictions and a plan by CLV", got, cliCSV(t, file, sc, "--plan"))
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#plan-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "plan_en.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#plan-table thead th:nth-child(4)').textContent === '触达人数'`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#plan-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "plan_zh.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
	checkClean(t, ctx)
}

// fmtThousands writes n with comma thousands separators, as the page's
// English number format does.
func fmtThousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestCohortPanel opens the cohort panel on CDNOW: off by default, then a
// retention heatmap and table of the monthly acquisition cohorts, in
// English and Chinese.
func TestCohortPanel(t *testing.T) {
	ctx := openPage(t, "?sample=cdnow.csv")
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if on := await[bool](t, ctx, `!!window.segsim.result().cohorts || !document.querySelector('#cohort-body').hidden`); on {
		t.Fatal("the cohort panel is on before it was opened")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#cohort-on`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.cohorts?.cohorts?.length > 0`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	type cohort struct {
		Start     string    `json:"start"`
		Size      int       `json:"size"`
		Retention []float64 `json:"retention"`
	}
	cs := await[[]cohort](t, ctx, `window.segsim.result().cohorts.cohorts`)
	total := 0
	for i, c := range cs {
		if c.Size <= 0 || len(c.Retention) == 0 || c.Retention[0] != 1 || len(c.Start) != 10 || !strings.HasSuffix(c.Start, "-01") {
			t.Fatalf("cohort %d: %+v", i, c)
		}
		for _, x := range c.Retention {
			if x < 0 || x > 1 {
				t.Fatalf("cohort %s retention %v", c.Start, c.Retention)
			}
		}
		total += c.Size
	}
	if customers := await[int](t, ctx, `window.segsim.result().customers`); total == 0 || total > customers {
		t.Fatalf("cohorts hold %d customers of %d", total, customers)
	}
	if n := await[int](t, ctx, `document.querySelectorAll('#cohort-table tbody tr').length`); n != len(cs) {
		t.Fatalf("cohort table shows %d rows, want %d", n, len(cs))
	}
	if s := await[string](t, ctx, `document.querySelector('#cohort-table tbody td:nth-child(2)').textContent`); s != fmtThousands(cs[0].Size) {
		t.Fatalf("first cohort size shows %q, want %s", s, fmtThousands(cs[0].Size))
	}
	poll(t, ctx, `(() => { const c = document.querySelector('#chart-cohorts canvas'); return !!c && c.width > 100 && c.height > 100; })()`)
	if s := await[string](t, ctx, `document.querySelector('#cohort-summary').textContent`); !strings.Contains(s, "cohorts") || !strings.Contains(s, "%") {
		t.Fatalf("cohort summary %q", s)
	}
	// A scoring knob re-scores; the cohorts stay.
	await[json.RawMessage](t, ctx, `window.segsim.setScenario({...window.segsim.scenario(), segments: {...window.segsim.scenario().segments, scheme: window.segsim.scenario().segments.scheme === "rfm8" ? "rfm11" : "rfm8"}})`)
	if n := await[int](t, ctx, `window.segsim.result().cohorts?.cohorts?.length ?? 0`); n != len(cs) {
		t.Fatalf("after a re-score %d cohorts, want %d", n, len(cs))
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#cohort-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "cohorts_en.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#cohort-table thead th').textContent === '首购月份' && document.querySelector('#cohort-summary').textContent.includes('同期群')`)
	poll(t, ctx, `(() => { const c = document.querySelector('#chart-cohorts canvas'); return !!c && c.width > 100; })()`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#cohort-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "cohorts_zh.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
	checkClean(t, ctx)
}

// TestKPIPanel opens the KPI tree on the apparel sample: the GMV tree of
// the last 30 days equals what `segsim project` measures, and a GMV target
// shows the new buyers and repurchase rate the CLI solves for.
func TestKPIPanel(t *testing.T) {
	ctx := openPage(t, "?sample=apparel_zh.csv")
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if on := await[bool](t, ctx, `!!window.segsim.result().kpi || !document.querySelector('#kpi-body').hidden`); on {
		t.Fatal("the KPI panel is on before it was opened")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#kpi-on`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.kpi?.gmv > 0`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	type kpi struct {
		Start          string  `json:"start"`
		End            string  `json:"end"`
		NewBuyers      float64 `json:"new_buyers"`
		NewAOV         float64 `json:"new_aov"`
		OldBase        float64 `json:"old_base"`
		RepurchaseRate float64 `json:"repurchase_rate"`
		OldAOV         float64 `json:"old_aov"`
		Reactivated    float64 `json:"reactivated_gmv"`
		GMV            float64 `json:"gmv"`
	}
	got := await[kpi](t, ctx, `window.segsim.result().kpi`)
	sum := got.NewBuyers*got.NewAOV + got.OldBase*got.RepurchaseRate*got.OldAOV + got.Reactivated
	if math.Abs(sum-got.GMV) > 0.01*got.GMV {
		t.Fatalf("KPI tree %+v adds up to %v, not its GMV", got, sum)
	}
	target := math.Round(got.GMV * 1.2)
	sc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	p := filepath.Join(t.TempDir(), "scenario.json")
	if err := os.WriteFile(p, sc, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cli, "project", "--periods", "1", "--format", "json", "--scenario", p, "--gmv-target", fmt.Sprint(target), filepath.Join(root, "seeds", "samples", "apparel_zh.csv"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("segsim project: %v", err)
	}
	var want struct {
		KPI    kpi `json:"kpi"`
		Target struct {
			NewBuyers      *float64 `json:"new_buyers"`
			RepurchaseRate *float64 `json:"repurchase_rate"`
		} `json:"target"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	if got != want.KPI {
		t.Fatalf("page KPI tree %+v, segsim project %+v", got, want.KPI)
	}
	solve := await[struct {
		NewBuyers      float64 `json:"new_buyers"`
		RepurchaseRate float64 `json:"repurchase_rate"`
	}](t, ctx, fmt.Sprintf(`window.segsim.kpiSolve(%v)`, target))
	if want.Target.NewBuyers == nil || math.Abs(solve.NewBuyers-*want.Target.NewBuyers) > 1e-6 ||
		want.Target.RepurchaseRate == nil || math.Abs(solve.RepurchaseRate-*want.Target.RepurchaseRate) > 1e-9 {
		t.Fatalf("page solves %+v for %v, the CLI %+v", solve, target, want.Target)
	}
	if n := await[int](t, ctx, `document.querySelectorAll('#kpi-table tbody tr').length`); n != 9 {
		t.Fatalf("KPI table shows %d rows, want 9", n)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#kpi-target`), fmt.Sprint(target)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#kpi-target').dispatchEvent(new Event('input'))`)); err != nil {
		t.Fatal(err)
	}
	nb := fmtThousands(int(math.Ceil(*want.Target.NewBuyers)))
	poll(t, ctx, fmt.Sprintf(`document.querySelector('#kpi-needs').textContent.includes(%q)`, nb))
	if s := await[string](t, ctx, `document.querySelector('#kpi-formula').textContent`); !strings.Contains(s, "GMV") || !strings.Contains(s, fmtThousands(int(got.OldBase))) {
		t.Fatalf("KPI formula %q", s)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#kpi-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "kpi_en.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, fmt.Sprintf(`document.querySelector('#kpi-table tbody td').textContent === '新客数' && document.querySelector('#kpi-needs').textContent.includes('需新客 %s')`, nb))
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#kpi-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "kpi_zh.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
	checkClean(t, ctx)
}

// TestMigrationPanel opens the migration panel on CDNOW: the Sankey of the
// moves between the 8 classes (then the 6 stages) over the last 30 days, the 12-period
// projection, and the page's own result and CSV unchanged by the extra run
// at as-of minus one period.
func TestMigrationPanel(t *testing.T) {
	ctx := openPage(t, "?sample=cdnow.csv")
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if on := await[bool](t, ctx, `!!window.segsim.result().migration || !document.querySelector('#migration-body').hidden`); on {
		t.Fatal("the migration panel is on before it was opened")
	}
	before := await[json.RawMessage](t, ctx, `JSON.stringify([window.segsim.result().customers, window.segsim.result().revenue, window.segsim.result().asof, window.segsim.result().classes])`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#migration-on`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.migration?.matrix?.states?.length > 0 || !!window.segsim.result()?.migration_error`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if e := await[string](t, ctx, `window.segsim.result().migration_error`); e != "" {
		t.Fatalf("migration: %s", e)
	}
	type migration struct {
		Matrix struct {
			States  []string `json:"states"`
			Counts  [][]int  `json:"counts"`
			Entered []int    `json:"entered"`
			Now     []int    `json:"now"`
		} `json:"matrix"`
		Projection struct {
			Periods []struct {
				Active float64 `json:"active"`
				GMV    float64 `json:"gmv"`
			} `json:"periods"`
		} `json:"projection"`
	}
	check := func(states int) {
		t.Helper()
		mg := await[migration](t, ctx, `window.segsim.result().migration`)
		m := mg.Matrix
		if len(m.States) != states || len(m.Counts) != states {
			t.Fatalf("migration states %v, want %d", m.States, states)
		}
		total := 0
		for j := range m.States {
			col := m.Entered[j]
			for i := range m.States {
				col += m.Counts[i][j]
			}
			if col != m.Now[j] {
				t.Fatalf("state %s: %d moved in or entered, %d now", m.States[j], col, m.Now[j])
			}
			total += m.Now[j]
		}
		if customers := await[int](t, ctx, `window.segsim.result().customers`); total != customers {
			t.Fatalf("migration counts %d customers now, the page %d", total, customers)
		}
		if len(mg.Projection.Periods) != 12 || mg.Projection.Periods[0].Active <= 0 || mg.Projection.Periods[0].GMV <= 0 {
			t.Fatalf("projection %+v", mg.Projection.Periods)
		}
		for _, id := range []string{"chart-migration", "chart-projection"} {
			poll(t, ctx, fmt.Sprintf(`(() => { const c = document.querySelector('#%s canvas'); return !!c && c.width > 100 && c.height > 100; })()`, id))
		}
	}
	check(8)
	after := await[json.RawMessage](t, ctx, `JSON.stringify([window.segsim.result().customers, window.segsim.result().revenue, window.segsim.result().asof, window.segsim.result().classes])`)
	if string(before) != string(after) {
		t.Fatalf("the page's result changed with the migration panel open:\n%s\n%s", before, after)
	}
	sc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	got := await[string](t, ctx, `window.segsim.exportCSV()`)
	sameCSV(t, "cdnow.csv with the migration panel open", got, cliCSV(t, filepath.Join(root, "seeds", "samples", "cdnow.csv"), sc))
	if s := await[string](t, ctx, `document.querySelector('#migration-summary').textContent`); !strings.Contains(s, "stayed") {
		t.Fatalf("migration summary %q", s)
	}
	choose(t, ctx, "#migration-by", "stage")
	poll(t, ctx, `window.segsim.result()?.migration?.matrix?.states?.length === 6`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	check(6)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#migration-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "migration_en.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#migration-summary').textContent.includes('迁移')`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#migration-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "migration_zh.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
	checkClean(t, ctx)
}

// TestPointsPanel opens the points what-if on the apparel sample: with the
// default knobs it equals `segsim plan --points`, the threshold slider
// changes the reach without scoring again, in English and Chinese.
func TestPointsPanel(t *testing.T) {
	ctx := openPage(t, "?sample=apparel_zh.csv")
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if on := await[bool](t, ctx, `!!window.segsim.result().points || !document.querySelector('#points-body').hidden`); on {
		t.Fatal("the points panel is on before it was opened")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#points-on`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.points?.sweep?.length === 5`)
	type pr struct {
		Threshold float64 `json:"threshold"`
		Reach     float64 `json:"reach"`
		Issued    float64 `json:"issued"`
		Liability float64 `json:"liability"`
	}
	sweep := await[[]pr](t, ctx, `window.segsim.result().points.sweep`)
	sc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	p := filepath.Join(t.TempDir(), "scenario.json")
	if err := os.WriteFile(p, sc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(cli, "plan", "--points", "--format", "json", "--scenario", p, filepath.Join(root, "seeds", "samples", "apparel_zh.csv")).Output()
	if err != nil {
		t.Fatalf("segsim plan --points: %v", err)
	}
	var want struct {
		Points []pr `json:"points"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sweep) != fmt.Sprint(want.Points) {
		t.Fatalf("page points sweep %+v, segsim plan --points %+v", sweep, want.Points)
	}
	if sweep[2].Reach <= 0 || sweep[2].Issued <= 0 {
		t.Fatalf("points at the threshold: %+v", sweep[2])
	}
	if n := await[int](t, ctx, `document.querySelectorAll('#points-table tbody tr').length`); n != 5 {
		t.Fatalf("points table shows %d rows, want 5", n)
	}
	runs := await[float64](t, ctx, `window.segsim.result().customers`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const el = document.querySelector('#points-threshold');
		el.value = "2000";
		el.dispatchEvent(new Event('input'));
	})()`)); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.points?.result?.threshold === 2000`)
	if r := await[float64](t, ctx, `window.segsim.result().points.result.reach`); r >= sweep[2].Reach {
		t.Fatalf("reach %v at 2000 points, want fewer than %v at 500", r, sweep[2].Reach)
	}
	if c := await[float64](t, ctx, `window.segsim.result().customers`); c != runs {
		t.Fatal("the page's result changed with the points panel")
	}
	if s := await[string](t, ctx, `document.querySelector('#points-summary').textContent`); !strings.Contains(s, "2,000") {
		t.Fatalf("points summary %q", s)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#points-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "points_en.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#points-table thead th:nth-child(2)').textContent === '可兑换客户' && document.querySelector('#points-summary').textContent.includes('积分负债')`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#points-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "points_zh.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
	checkClean(t, ctx)
}

// pbRow is a row of the playbook editor as the page shows it.
type pbRow struct {
	ID       string  `json:"id"`
	Segment  string  `json:"segment"`
	Name     string  `json:"name"`
	Cost     float64 `json:"cost"`
	Response float64 `json:"response"`
}

// editorRows reads the playbook editor's visible rows.
func editorRows(t *testing.T, ctx context.Context) []pbRow {
	t.Helper()
	return await[[]pbRow](t, ctx, `[...document.querySelectorAll('#pb-table tbody tr')].map(tr => {
		const v = (f) => tr.querySelector('input[data-field=' + f + ']').value;
		return {id: tr.dataset.id, segment: v('segment'), name: v('name'), cost: Number(v('cost')), response: Number(v('response'))};
	})`)
}

// cellSel is the CSS selector of a playbook editor cell.
func cellSel(id, field string) string {
	return fmt.Sprintf(`#pb-table tr[data-id="%s"] input[data-field="%s"]`, id, field)
}

// setCell sets an editor cell at once, as a paste would, and fires its
// input event.
func setCell(t *testing.T, ctx context.Context, id, field, value string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.focus(); el.value = %q; el.dispatchEvent(new Event('input', {bubbles: true})); })()`, cellSel(id, field), value)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil {
		t.Fatal(err)
	}
}

// customAction returns a field of an action of the scenario's custom
// playbook as JSON ("undefined" when there is no such action).
func customAction(t *testing.T, ctx context.Context, segment, name, field string) string {
	t.Helper()
	return await[string](t, ctx, fmt.Sprintf(`String(JSON.stringify(window.segsim.scenario().plan.custom?.segments?.find(e => e.segment === %q)?.actions?.find(a => a.name === %q)?.[%q]))`, segment, name, field))
}

// sameJSON tells whether two JSON texts hold the same value.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%v: %s", err, a)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return reflect.DeepEqual(x, y)
}

// TestPlaybookEditor edits the plan's playbook in the page on CDNOW:
// typing a high cost for a segment's only action stops the plan
// contacting that segment, an invalid rate is marked on its cell and not
// sent, a duplicate action name is refused by the core's check, and the
// custom playbook survives a saved scenario file loaded in a new tab.
func TestPlaybookEditor(t *testing.T) {
	ctx := openPage(t, "?sample=cdnow.csv")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#plan-on`))); err != nil {
		t.Fatal(err)
	}
	// The playbook's own figures and a budget set by hand: the edits
	// below change the plan as written.
	await[json.RawMessage](t, ctx, `window.segsim.setScenario({...window.segsim.scenario(), plan: {...window.segsim.scenario().plan, values: "playbook", budget_auto: false, budget: 200000}})`)
	poll(t, ctx, `window.segsim.result()?.plan?.curve?.length > 0`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#pb-edit`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `!document.querySelector('#pb-editor').hidden && document.querySelectorAll('#pb-table tbody tr').length > 0`)
	rows := editorRows(t, ctx)
	type segPlan struct {
		Segment   string `json:"segment"`
		Contacted int    `json:"contacted"`
	}
	segs := await[[]segPlan](t, ctx, `window.segsim.result().plan.segments`)
	if len(rows) < len(segs)-1 {
		t.Fatalf("the editor shows %d rows for %d segments", len(rows), len(segs))
	}
	// The preset's content: the e-commerce playbook as presets.json has it.
	if n := await[int](t, ctx, `(async () => (await (await fetch('presets.json')).json())['playbooks.ecommerce'].segments.flatMap(e => e.actions).length)()`); n < len(rows) {
		t.Fatalf("the editor shows %d rows, the preset has %d actions", len(rows), n)
	}
	// A segment the plan contacts with exactly one action.
	var pick pbRow
	for _, s := range segs {
		var only []pbRow
		for _, r := range rows {
			if r.Segment == s.Segment {
				only = append(only, r)
			}
		}
		if s.Contacted > 0 && len(only) == 1 {
			pick = only[0]
			break
		}
	}
	if pick.ID == "" {
		t.Fatalf("no contacted segment with one action: %+v", segs)
	}
	curve := await[string](t, ctx, `JSON.stringify(window.segsim.result().plan.curve)`)
	// Type a cost of 10,000 into the cell, key by key.
	sel := cellSel(pick.ID, "cost")
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS(sel)), chromedp.SetValue(chromedp.CSS(sel), ""), chromedp.SendKeys(chromedp.CSS(sel), "10000")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, fmt.Sprintf(`window.segsim.scenario().plan.custom?.segments?.find(e => e.segment === %q)?.actions?.[0]?.cost === 10000`, pick.Segment))
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	idx := -1
	for i, s := range segs {
		if s.Segment == pick.Segment {
			idx = i
		}
	}
	if n := await[int](t, ctx, fmt.Sprintf(`window.segsim.result().plan.segments[%d].contacted`, idx)); n != 0 {
		t.Fatalf("segment %s: %d contacted at a cost of 10,000, want 0 (was %d)", pick.Segment, n, segs[idx].Contacted)
	}
	shown := await[[]string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll('#plan-table tbody tr:nth-child(%d) td')].map(td => td.textContent)`, idx+1))
	if shown[3] != "0" || !strings.Contains(shown[len(shown)-1], "no action pays") {
		t.Fatalf("allocation table row of %s: %q, want 0 contacted and why", pick.Segment, shown)
	}
	if c := await[string](t, ctx, `JSON.stringify(window.segsim.result().plan.curve)`); c == curve {
		t.Fatal("the profit-versus-budget curve did not change with the playbook")
	}
	if await[bool](t, ctx, `window.segsim.result().rescored`) {
		t.Error("a playbook edit scored the data again; only the plan changed")
	}
	if s := await[string](t, ctx, `document.querySelector('#plan-playbook').value + '|' + document.querySelector('#plan-playbook').selectedOptions[0].textContent`); s != "custom|Custom (edited from e-commerce)" {
		t.Fatalf("playbook select shows %q", s)
	}
	if e := await[string](t, ctx, `window.segsim.result().plan_error`); e != "" {
		t.Fatalf("plan error: %s", e)
	}

	// An invalid rate: marked on its cell, not sent, nothing re-planned.
	runs := await[int](t, ctx, `window.segsim.runs()`)
	plan := await[string](t, ctx, `JSON.stringify(window.segsim.result().plan)`)
	resp := customAction(t, ctx, pick.Segment, pick.Name, "response")
	setCell(t, ctx, pick.ID, "response", "150")
	poll(t, ctx, fmt.Sprintf(`!document.querySelector('#pb-error').hidden && document.querySelector(%q).classList.contains('bad')`, cellSel(pick.ID, "response")))
	if msg := await[string](t, ctx, `document.querySelector('#pb-error').textContent`); !strings.Contains(msg, "Not applied") || !strings.Contains(msg, "between 0% and 100%") {
		t.Fatalf("error message %q", msg)
	}
	if title := await[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).title`, cellSel(pick.ID, "response"))); !strings.Contains(title, "Response %") {
		t.Fatalf("the bad cell's title %q", title)
	}
	time.Sleep(300 * time.Millisecond)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if n := await[int](t, ctx, `window.segsim.runs()`); n != runs {
		t.Fatalf("an invalid rate ran the core %d times", n-runs)
	}
	if got := customAction(t, ctx, pick.Segment, pick.Name, "response"); got != resp {
		t.Fatalf("an invalid rate reached the scenario: response %s, was %s", got, resp)
	}
	if p := await[string](t, ctx, `JSON.stringify(window.segsim.result().plan)`); p != plan {
		t.Fatal("the plan changed after an invalid edit")
	}
	checkClean(t, ctx)
	setCell(t, ctx, pick.ID, "response", fmt.Sprint(pick.Response))
	poll(t, ctx, `document.querySelector('#pb-error').hidden && !document.querySelector('#pb-table input.bad')`)

	// The core is the authority: a second action of the same name in a
	// segment passes the cell checks but not strategy.Playbook.Validate.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#pb-add`))); err != nil {
		t.Fatal(err)
	}
	rows = editorRows(t, ctx)
	added := rows[len(rows)-1]
	poll(t, ctx, fmt.Sprintf(`window.segsim.scenario().plan.custom.segments.find(e => e.segment === %q).actions.some(a => a.name === %q)`, added.Segment, added.Name))
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	other := ""
	for _, r := range rows[:len(rows)-1] {
		if r.Segment == added.Segment {
			other = r.Name
		}
	}
	runs = await[int](t, ctx, `window.segsim.runs()`)
	setCell(t, ctx, added.ID, "name", other)
	poll(t, ctx, `document.querySelector('#pb-error').textContent.includes('appears twice')`)
	if bad := await[bool](t, ctx, fmt.Sprintf(`document.querySelector(%q).classList.contains('bad')`, cellSel(added.ID, "name"))); !bad {
		t.Fatal("the duplicate name's cell is not marked")
	}
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if n := await[int](t, ctx, `window.segsim.runs()`); n != runs {
		t.Fatal("a playbook the core refuses was planned")
	}
	if got := customAction(t, ctx, added.Segment, added.Name, "name"); got != fmt.Sprintf("%q", added.Name) {
		t.Fatalf("the scenario lost the last valid playbook: %s", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#pb-table tr[data-id="%s"] .pb-del`, added.ID)))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, fmt.Sprintf(`!window.segsim.scenario().plan.custom.segments.find(e => e.segment === %q).actions.some(a => a.name === %q) && document.querySelector('#pb-error').hidden`, added.Segment, added.Name))
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#plan-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "playbook_en.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#pb-edit').textContent === '编辑策略' && document.querySelector('#plan-playbook').selectedOptions[0].textContent === '自定义（基于电商修改）' && [...document.querySelectorAll('#pb-table thead th')].some(th => th.textContent === '单次触达成本')`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#plan-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "playbook_zh.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}

	// Save the scenario file with the page's button and load it in a new tab.
	dir := downloadsTo(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#export-scenario`))); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "default.json")
	var saved []byte
	for deadline := time.Now().Add(30 * time.Second); ; {
		b, err := os.ReadFile(file)
		if err == nil && json.Valid(b) {
			saved = b
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no scenario file saved: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var sc struct {
		Plan struct {
			Playbook string          `json:"playbook"`
			Custom   json.RawMessage `json:"custom"`
		} `json:"plan"`
	}
	if err := json.Unmarshal(saved, &sc); err != nil {
		t.Fatal(err)
	}
	if sc.Plan.Playbook != "ecommerce" || !strings.Contains(string(sc.Plan.Custom), `"cost": 10000`) {
		t.Fatalf("saved scenario's plan: %s / %.200s", sc.Plan.Playbook, sc.Plan.Custom)
	}
	other2 := openPage(t, "?sample=cdnow.csv")
	if err := chromedp.Do(other2, chromedp.Click(chromedp.CSS(`#plan-on`))); err != nil {
		t.Fatal(err)
	}
	poll(t, other2, `window.segsim.result()?.plan?.curve?.length > 0`)
	if err := chromedp.Do(other2, chromedp.SetUploadFiles(chromedp.CSS(`#import-scenario`), []string{file})); err != nil {
		t.Fatal(err)
	}
	poll(t, other2, `!!window.segsim.scenario().plan.custom`)
	await[json.RawMessage](t, other2, `window.segsim.idle()`)
	loaded := await[json.RawMessage](t, other2, `window.segsim.scenario().plan.custom`)
	if !sameJSON(t, loaded, sc.Plan.Custom) {
		t.Fatalf("the custom playbook did not survive the round trip:\n%s\n%s", loaded, sc.Plan.Custom)
	}
	if n := await[int](t, other2, fmt.Sprintf(`window.segsim.result().plan.segments[%d].contacted`, idx)); n != 0 {
		t.Fatalf("after loading the scenario %s has %d contacted, want 0", pick.Segment, n)
	}
	if s := await[string](t, other2, `document.querySelector('#plan-playbook').selectedOptions[0].textContent`); s != "Custom (edited from e-commerce)" {
		t.Fatalf("playbook select shows %q after loading", s)
	}
	if err := chromedp.Do(other2, chromedp.Click(chromedp.CSS(`#pb-edit`))); err != nil {
		t.Fatal(err)
	}
	poll(t, other2, fmt.Sprintf(`[...document.querySelectorAll('#pb-table tbody tr')].some(tr => tr.querySelector('[data-field=segment]').value === %q && tr.querySelector('[data-field=cost]').value === '10000')`, pick.Segment))
	// Reset to the preset drops the custom playbook.
	if err := chromedp.Do(other2, chromedp.Click(chromedp.CSS(`#pb-reset`))); err != nil {
		t.Fatal(err)
	}
	poll(t, other2, `window.segsim.scenario().plan.custom === null && document.querySelector('#plan-playbook').value === 'ecommerce'`)
	await[json.RawMessage](t, other2, `window.segsim.idle()`)
	if n := await[int](t, other2, fmt.Sprintf(`window.segsim.result().plan.segments[%d].contacted`, idx)); n != segs[idx].Contacted {
		t.Fatalf("after the reset %s has %d contacted, want %d as at first", pick.Segment, n, segs[idx].Contacted)
	}
	checkClean(t, ctx)
	checkClean(t, other2)
}

// abNumbers are the numbers the compare panel tracks, as compare() gives
// them for A and B.
type abNumbers struct {
	Customers int     `json:"customers"`
	Revenue   float64 `json:"revenue"`
	Classes   map[string]struct {
		Customers int     `json:"customers"`
		Revenue   float64 `json:"revenue"`
	} `json:"classes"`
	Segments map[string]struct {
		Customers int     `json:"customers"`
		Revenue   float64 `json:"revenue"`
	} `json:"segments"`
	Tiers    map[string]int     `json:"tiers"`
	Stages   map[string]int     `json:"stages"`
	Plan     map[string]float64 `json:"plan"`
	Scenario json.RawMessage    `json:"scenario"`
}

type abDiff struct {
	Abs float64  `json:"abs"`
	Pct *float64 `json:"pct"`
}

type abCompare struct {
	A, B  abNumbers
	Delta struct {
		Customers abDiff `json:"customers"`
		Revenue   abDiff `json:"revenue"`
		Classes   map[string]struct {
			Customers abDiff `json:"customers"`
			Revenue   abDiff `json:"revenue"`
		} `json:"classes"`
		Segments map[string]struct {
			Customers abDiff `json:"customers"`
			Revenue   abDiff `json:"revenue"`
		} `json:"segments"`
		Tiers  map[string]abDiff `json:"tiers"`
		Stages map[string]abDiff `json:"stages"`
		Plan   map[string]abDiff `json:"plan"`
	} `json:"delta"`
}

// abResult is what the compare test reads of window.segsim.result().
type abResult struct {
	Customers int     `json:"customers"`
	Revenue   float64 `json:"revenue"`
	Classes   []group `json:"classes"`
	Segments  []group `json:"segments"`
	Tiers     []group `json:"tiers"`
	Stages    []group `json:"stages"`
	Plan      struct {
		Budget float64            `json:"budget"`
		Total  map[string]float64 `json:"total"`
	} `json:"plan"`
}

type group struct {
	Name      string  `json:"name"`
	Customers int     `json:"customers"`
	Revenue   float64 `json:"revenue"`
}

// checkDiff fails unless d is b − a with its share of a.
func checkDiff(t *testing.T, what string, d abDiff, a, b float64) {
	t.Helper()
	want := b - a
	if math.Abs(d.Abs-want) > 1e-6*math.Max(1, math.Abs(want)) {
		t.Fatalf("%s: B − A is %v, want %v − %v = %v", what, d.Abs, b, a, want)
	}
	switch {
	case a == 0 && d.Pct != nil:
		t.Fatalf("%s: B − A %% is %v with A = 0, want null", what, *d.Pct)
	case a != 0 && (d.Pct == nil || math.Abs(*d.Pct-want/math.Abs(a)) > 1e-9):
		t.Fatalf("%s: B − A %% is %v, want %v", what, d.Pct, want/math.Abs(a))
	}
}

// checkCompare checks compare() against result() read when A was pinned
// (ra) and now (rb).
func checkCompare(t *testing.T, c abCompare, ra, rb abResult) (changed int) {
	t.Helper()
	count := func(d abDiff) {
		if d.Abs != 0 {
			changed++
		}
	}
	same := func(side string, n abNumbers, r abResult) {
		t.Helper()
		if n.Customers != r.Customers || n.Revenue != r.Revenue {
			t.Fatalf("compare().%s: %d customers, revenue %v; result(): %d, %v", side, n.Customers, n.Revenue, r.Customers, r.Revenue)
		}
		for _, g := range r.Segments {
			if n.Segments[g.Name].Customers != g.Customers || n.Segments[g.Name].Revenue != g.Revenue {
				t.Fatalf("compare().%s segment %s: %+v, result() %+v", side, g.Name, n.Segments[g.Name], g)
			}
		}
		for _, g := range r.Stages {
			if n.Stages[g.Name] != g.Customers {
				t.Fatalf("compare().%s stage %s: %d, result() %d", side, g.Name, n.Stages[g.Name], g.Customers)
			}
		}
	}
	same("a", c.A, ra)
	same("b", c.B, rb)
	checkDiff(t, "customers", c.Delta.Customers, float64(ra.Customers), float64(rb.Customers))
	checkDiff(t, "revenue", c.Delta.Revenue, ra.Revenue, rb.Revenue)
	count(c.Delta.Customers)
	index := func(gs []group) map[string]group {
		m := map[string]group{}
		for _, g := range gs {
			m[g.Name] = g
		}
		return m
	}
	for _, k := range []struct {
		what   string
		a, b   []group
		deltas func(string) (abDiff, abDiff, bool)
	}{
		{"class", ra.Classes, rb.Classes, func(n string) (abDiff, abDiff, bool) {
			d, ok := c.Delta.Classes[n]
			return d.Customers, d.Revenue, ok
		}},
		{"segment", ra.Segments, rb.Segments, func(n string) (abDiff, abDiff, bool) {
			d, ok := c.Delta.Segments[n]
			return d.Customers, d.Revenue, ok
		}},
		{"tier", ra.Tiers, rb.Tiers, func(n string) (abDiff, abDiff, bool) {
			d, ok := c.Delta.Tiers[n]
			return d, abDiff{}, ok
		}},
		{"stage", ra.Stages, rb.Stages, func(n string) (abDiff, abDiff, bool) {
			d, ok := c.Delta.Stages[n]
			return d, abDiff{}, ok
		}},
	} {
		am, bm := index(k.a), index(k.b)
		for name := range bm {
			dc, dr, ok := k.deltas(name)
			if !ok {
				t.Fatalf("compare() has no delta for %s %s", k.what, name)
			}
			checkDiff(t, k.what+" "+name+" customers", dc, float64(am[name].Customers), float64(bm[name].Customers))
			if k.what == "class" || k.what == "segment" {
				checkDiff(t, k.what+" "+name+" revenue", dr, am[name].Revenue, bm[name].Revenue)
			}
			count(dc)
		}
	}
	for _, f := range []string{"contacted", "cost", "expected_orders", "incremental_revenue", "profit", "roi"} {
		if c.A.Plan[f] != ra.Plan.Total[f] || c.B.Plan[f] != rb.Plan.Total[f] {
			t.Fatalf("plan %s: A %v B %v, result() %v and %v", f, c.A.Plan[f], c.B.Plan[f], ra.Plan.Total[f], rb.Plan.Total[f])
		}
		checkDiff(t, "plan "+f, c.Delta.Plan[f], ra.Plan.Total[f], rb.Plan.Total[f])
		count(c.Delta.Plan[f])
	}
	return changed
}

// TestCompareAB pins scenario A on CDNOW with the plan on, moves an M cut,
// the churn window and the budget (B), checks that compare() gives B − A
// of what result() says for each, restores A, and sees a new dataset
// clear the pin.
func TestCompareAB(t *testing.T) {
	ctx := openPage(t, "?sample=cdnow.csv")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#plan-on`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.plan?.curve?.length > 0`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if on := await[bool](t, ctx, `window.segsim.compare() !== null || !document.querySelector('#compare-body').hidden || !document.querySelector('#restore-a').disabled`); on {
		t.Fatal("a comparison before anything was pinned")
	}
	ra := await[abResult](t, ctx, `window.segsim.result()`)
	scA := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	var knobsA struct {
		Lifecycle struct {
			ChurnDays float64 `json:"churn_days"`
		} `json:"lifecycle"`
	}
	if err := json.Unmarshal(scA, &knobsA); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#pin-a`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.compare() !== null && !document.querySelector('#compare-body').hidden`)
	c := await[abCompare](t, ctx, `window.segsim.compare()`)
	if n := checkCompare(t, c, ra, ra); n != 0 {
		t.Fatalf("%d numbers differ right after pinning", n)
	}
	if !sameJSON(t, c.A.Scenario, scA) {
		t.Fatal("A's scenario is not the scenario pinned")
	}

	// B: an M cut, the churn window and the budget, moved with the mouse.
	clickRange(t, ctx, ".dim[data-dim=M] input.cut", 0.5)
	poll(t, ctx, `window.segsim.scenario().rfm.m.method === "cuts"`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	clickRange(t, ctx, "#churn-days", 0.15)
	poll(t, ctx, fmt.Sprintf(`window.segsim.scenario().lifecycle.churn_days !== %v`, knobsA.Lifecycle.ChurnDays))
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	clickRange(t, ctx, "#plan-budget", 0.1)
	poll(t, ctx, fmt.Sprintf(`window.segsim.result()?.plan?.budget !== %v`, ra.Plan.Budget))
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	rb := await[abResult](t, ctx, `window.segsim.result()`)
	c = await[abCompare](t, ctx, `window.segsim.compare()`)
	n := checkCompare(t, c, ra, rb)
	movedSegments := 0
	for _, d := range c.Delta.Segments {
		if d.Customers.Abs != 0 {
			movedSegments++
		}
	}
	if movedSegments == 0 || c.Delta.Stages["churned"].Abs == 0 || c.Delta.Plan["cost"].Abs == 0 {
		t.Fatalf("B equals A after moving three knobs (%d numbers differ, %d segments)", n, movedSegments)
	}
	if sameJSON(t, c.A.Scenario, c.B.Scenario) {
		t.Fatal("B's scenario equals A's")
	}
	t.Logf("%d numbers differ; churned %+d, plan cost %+.2f", n, int(c.Delta.Stages["churned"].Abs), c.Delta.Plan["cost"].Abs)
	// The panel shows the same: customers in A, B and B − A.
	row := await[[]string](t, ctx, `[...document.querySelectorAll('#cmp-totals tbody tr:first-child td')].map(td => td.textContent)`)
	if len(row) != 5 || row[1] != fmtThousands(ra.Customers) || row[2] != fmtThousands(rb.Customers) {
		t.Fatalf("compare table's customers row %q", row)
	}
	if k := await[int](t, ctx, `document.querySelectorAll('#cmp-totals tbody tr').length`); k != 8 {
		t.Fatalf("compare totals show %d rows, want customers, revenue and six plan totals", k)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#compare-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "compare_en.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#pin-a').textContent === '固定为方案 A' && document.querySelector('#cmp-totals thead th').textContent === '指标'`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#compare-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "compare_zh.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}

	// Restore A: the scenario is A's again, and so are the numbers.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#restore-a`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, fmt.Sprintf(`window.segsim.scenario().lifecycle.churn_days === %v && window.segsim.result()?.plan?.budget === %v`, knobsA.Lifecycle.ChurnDays, ra.Plan.Budget))
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if now := await[json.RawMessage](t, ctx, `window.segsim.scenario()`); !sameJSON(t, now, scA) {
		t.Fatalf("after Restore A the scenario is\n%s\nwant\n%s", now, scA)
	}
	c = await[abCompare](t, ctx, `window.segsim.compare()`)
	if n := checkCompare(t, c, ra, await[abResult](t, ctx, `window.segsim.result()`)); n != 0 {
		t.Fatalf("%d numbers differ after Restore A", n)
	}

	// A new dataset clears the pin, and says so.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button.sample[data-file="grocery_en.csv"]`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.name === "grocery_en.csv"`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if s := await[string](t, ctx, `JSON.stringify(window.segsim.compare()) + '|' + document.querySelector('#compare-body').hidden + '|' + document.querySelector('#compare-note').hidden + '|' + document.querySelector('#compare-note').textContent`); !strings.HasPrefix(s, "null|true|false|") || !strings.Contains(s, "new dataset") {
		t.Fatalf("after loading another dataset: %s", s)
	}
	// Pin and Clear through the automation surface and the button.
	if c := await[json.RawMessage](t, ctx, `window.segsim.pinA()`); string(c) == "null" {
		t.Fatal("pinA() returned null")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#clear-a`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.compare() === null && document.querySelector('#compare-note').hidden && document.querySelector('#restore-a').disabled`)
	checkClean(t, ctx)
}

// TestCompareSchemes pins A on the eleven segments and compares it with B
// on the eight classes: every class is listed once, and A's segments are
// labelled as segments.
func TestCompareSchemes(t *testing.T) {
	ctx := openPage(t, "?sample=grocery_en.csv")
	await[json.RawMessage](t, ctx, `window.segsim.pinA()`)
	await[json.RawMessage](t, ctx, `window.segsim.setScenario({...window.segsim.scenario(), segments: {scheme: "rfm8", custom: null}})`)
	poll(t, ctx, `document.querySelectorAll('#cmp-groups tbody tr').length > 0`)
	rows := await[[]string](t, ctx, `[...document.querySelectorAll('#cmp-groups tbody tr')].map((tr) => tr.cells[0].textContent)`)
	seen := map[string]bool{}
	segments := 0
	for _, r := range rows {
		if seen[r] {
			t.Fatalf("%q listed twice in %q", r, rows)
		}
		seen[r] = true
		if strings.HasPrefix(r, "RFM class · Champions") || strings.HasPrefix(r, "Class · Champions") {
			t.Fatalf("a segment labelled as a class: %q", rows)
		}
		if strings.Contains(r, "Champions") {
			segments++
		}
	}
	if segments != 1 {
		t.Fatalf("A's Champions segment shown %d times: %q", segments, rows)
	}
	// The A/B tables download as one CSV holding every group row.
	dir := downloadsTo(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#cmp-export`))); err != nil {
		t.Fatal(err)
	}
	got := string(waitFile(t, filepath.Join(dir, "grocery_en_a_b.csv")))
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(got, "\ufeff")))
	cr.FieldsPerRecord = -1 // a heading row, then each table
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("A/B CSV: %v\n%s", err, got)
	}
	found := 0
	for _, r := range rows {
		for _, rec := range recs {
			if len(rec) > 0 && rec[0] == r {
				found++
				break
			}
		}
	}
	if found != len(rows) {
		t.Errorf("A/B CSV holds %d of the %d group rows:\n%s", found, len(rows), got)
	}
	checkClean(t, ctx)
}
