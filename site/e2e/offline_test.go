//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// startVenue starts the one-program server (built with -tags embed) with
// args and returns its address and a stop function.
func startVenue(t *testing.T, bin string, args ...string) (string, func()) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, out)
			stop := func() { cmd.Process.Kill(); cmd.Wait() }
			t.Cleanup(stop)
			return "http://" + m[1], stop
		}
	}
	cmd.Process.Kill()
	t.Fatalf("the venue server printed no address")
	return "", nil
}

// TestOfflineVenue builds the one-program server with the site inside,
// checks that it sends the wasm compressed, opens the page from it until
// the service worker keeps the site, stops the server and reloads: the
// page starts and scores a sample with no server. Then a new version of
// the site is served from the same address: the page offers it, and a
// click reloads onto it.
func TestOfflineVenue(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "segsim-venue")
	build := exec.Command("go", "build", "-tags", "embed", "-o", bin, "./site/cmd/serve")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the venue server: %v\n%s", err, out)
	}
	base, stop := startVenue(t, bin, "-addr", "127.0.0.1:0")

	// The wasm goes out gzip-compressed to a client that takes it, and
	// unpacks to the built file.
	req, _ := http.NewRequest("GET", base+"/segsim.wasm", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	packed, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Type") != "application/wasm" {
		t.Fatalf("segsim.wasm: %s, %s", resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Type"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		t.Fatal(err)
	}
	unpacked, _ := io.ReadAll(zr)
	dist, _ := os.ReadFile(filepath.Join(root, "site", "dist", "segsim.wasm"))
	if !bytes.Equal(unpacked, dist) || len(packed) > len(dist)/2 {
		t.Fatalf("segsim.wasm: %d bytes sent for %d (built %d)", len(packed), len(unpacked), len(dist))
	}
	t.Logf("segsim.wasm: %.2f MB sent gzip for %.2f MB", float64(len(packed))/1e6, float64(len(dist))/1e6)

	ctx := openPageAt(t, base, "?sample=cdnow.csv")
	await[bool](t, ctx, `navigator.serviceWorker.ready.then(() => true)`)
	poll(t, ctx, `!!navigator.serviceWorker.controller`)
	version := await[string](t, ctx, `window.segsim.swVersion()`)
	sw, _ := os.ReadFile(filepath.Join(root, "site", "dist", "sw.js"))
	if version == "" || !strings.Contains(string(sw), "'"+version+"'") {
		t.Fatalf("service worker version %q is not the built one", version)
	}
	// The browser took the page's wasm compressed too.
	if enc := await[float64](t, ctx, `(() => { const e = performance.getEntriesByType('resource').find(r => r.name.endsWith('/echarts.min.js')); return e ? e.encodedBodySize / e.decodedBodySize : 1; })()`); enc > 0.6 {
		t.Errorf("echarts.min.js came %.0f%% of its size: not compressed", enc*100)
	}
	customers := await[int](t, ctx, `window.segsim.result().customers`)
	// The manifest is read without errors and the page is installable.
	man, err := chromedp.Call(ctx, page.GetAppManifest, page.GetAppManifestParams{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range man.Errors {
		t.Errorf("manifest: %s (line %d)", e.Message, e.Line)
	}
	if man.Manifest == nil || man.Manifest.Name == "" {
		t.Errorf("no manifest read: %+v", man)
	}
	inst, err := chromedp.Call(ctx, page.GetInstallabilityErrors, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range inst.InstallabilityErrors {
		t.Errorf("not installable: %s %v", e.ErrorID, e.ErrorArguments)
	}

	// No server: a reload still starts and scores the sample.
	stop()
	if _, err := http.Get(base + "/"); err == nil {
		t.Fatal("the server still answers")
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/?sample=cdnow.csv")); err != nil {
		t.Fatal(err)
	}
	await[bool](t, ctx, `window.segsim.ready.then(() => true)`)
	if got := await[int](t, ctx, `window.segsim.result().customers`); got != customers {
		t.Fatalf("offline reload: %d customers, want %d", got, customers)
	}
	// Every sample, and the page's panels, with no server.
	for _, s := range await[[]string](t, ctx, `[...document.querySelectorAll('.sample')].map(b => b.dataset.file)`) {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.sample[data-file="`+s+`"]`))); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, `window.segsim.result()?.name === '`+s+`'`)
		if n := await[int](t, ctx, `window.segsim.idle().then(r => r.customers)`); n == 0 {
			t.Errorf("offline: %s has no customers", s)
		}
	}
	await[json.RawMessage](t, ctx, `window.segsim.setPlan(true)`)
	if n := await[int](t, ctx, `window.segsim.result().plan.total.contacted`); n == 0 {
		t.Error("offline: the plan contacts no one")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.sample[data-file="cdnow.csv"]`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.name === 'cdnow.csv'`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if !await[bool](t, ctx, `document.querySelector('#boot-note').hidden && document.querySelector('#update-banner').hidden`) {
		t.Error("offline reload shows the boot note or an update")
	}
	screenshot(t, ctx, "offline.png")

	// A new version on the same address: the page offers it.
	next := filepath.Join(t.TempDir(), "dist")
	if err := os.CopyFS(next, os.DirFS(filepath.Join(root, "site", "dist"))); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(next, "sw.js"), bytes.Replace(sw, []byte("'"+version+"'"), []byte("'next-version'"), 1), 0o644)
	os.Remove(filepath.Join(next, "sw.js.gz"))
	os.Remove(filepath.Join(next, "sw.js.br"))
	startVenue(t, bin, "-dir", next, "-addr", strings.TrimPrefix(base, "http://"))
	await[bool](t, ctx, `window.segsim.checkUpdate()`)
	poll(t, ctx, `!document.querySelector('#update-banner').hidden`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.__before = true`), chromedp.Click(chromedp.CSS(`#update-reload`))); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		// The page reloads meanwhile: an evaluation may fail once.
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.__before && typeof window.segsim === 'object' && window.segsim.ready !== null && !!navigator.serviceWorker.controller`))
		if err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page did not reload onto the new version: %v", err)
		}
	}
	await[bool](t, ctx, `window.segsim.ready.then(() => true)`)
	if v := await[string](t, ctx, `window.segsim.swVersion()`); v != "next-version" {
		t.Errorf("after the update the page runs version %q", v)
	}
	checkClean(t, ctx)
}
