//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestKeepData opts in to keeping data in the browser, loads a file of
// the user's own, changes the scenario and saves it by name, then opens
// the page afresh (no link, no upload): the file, the scenario and the
// named scenario come back. "Forget" deletes them: the next visit starts
// from the sample, with keeping off.
func TestKeepData(t *testing.T) {
	ctx := openPage(t, "")
	defer func() {
		await[bool](t, ctx, `(async () => { localStorage.removeItem('segsim.keep'); await new Promise(r => { const q = indexedDB.deleteDatabase('segsim'); q.onsuccess = q.onerror = q.onblocked = r; }); return true; })()`)
	}()
	if n := await[int](t, ctx, `indexedDB.databases().then(l => l.filter(d => d.name === 'segsim').length)`); n != 0 {
		t.Fatalf("something was kept before opting in (%d databases)", n)
	}
	// A file of the user's own (a sample under another name).
	src, err := os.ReadFile(filepath.Join(root, "seeds", "samples", "education_en.csv"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "my_orders.csv")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#keep-data`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `localStorage.getItem('segsim.keep') === '1' && !document.querySelector('#saved-box').hidden`)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file})); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.name === 'my_orders.csv'`)
	await[bool](t, ctx, `window.segsim.idle().then(() => true)`)
	customers := await[int](t, ctx, `window.segsim.result().customers`)
	await[bool](t, ctx, `window.segsim.setScenario({...window.segsim.scenario(), segments: {...window.segsim.scenario().segments, scheme: "rfm8"}}).then(() => true)`)
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#scenario-name`), "workshop A"),
		chromedp.Click(chromedp.CSS(`#save-scenario`)),
	); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `[...document.querySelectorAll('#saved-scenarios option')].some(o => o.value === 'workshop A')`)
	// Another scenario in force when leaving: rfm11 with outliers capped.
	await[bool](t, ctx, `window.segsim.setScenario({...window.segsim.scenario(), segments: {...window.segsim.scenario().segments, scheme: "rfm11"}, clean: {...window.segsim.scenario().clean, outliers: "cap"}}).then(() => new Promise(r => setTimeout(() => r(true), 700)))`)

	// A fresh visit: no share link, no file chosen.
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/")); err != nil {
		t.Fatal(err)
	}
	await[bool](t, ctx, `window.segsim.ready.then(() => window.segsim.idle()).then(() => true)`)
	if name := await[string](t, ctx, `document.querySelector('#dataset-name').textContent`); name != "my_orders.csv" {
		t.Fatalf("the fresh visit shows %q, want the kept my_orders.csv", name)
	}
	if got := await[int](t, ctx, `window.segsim.result().customers`); got != customers {
		t.Errorf("restored file has %d customers, want %d", got, customers)
	}
	if note := await[string](t, ctx, `document.querySelector('#keep-note').textContent`); !strings.Contains(note, "Restored my_orders.csv") {
		t.Errorf("keep note %q", note)
	}
	if sc := await[string](t, ctx, `window.segsim.scenario().segments.scheme + '/' + window.segsim.scenario().clean.outliers`); sc != "rfm11/cap" {
		t.Errorf("restored scenario %s, want rfm11/cap", sc)
	}
	if !await[bool](t, ctx, `document.querySelector('#keep-data').checked`) {
		t.Error("keeping is off after the reload")
	}
	// The named scenario opens.
	poll(t, ctx, `[...document.querySelectorAll('#saved-scenarios option')].some(o => o.value === 'workshop A')`)
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#saved-scenarios`), "workshop A"), chromedp.Click(chromedp.CSS(`#open-scenario`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.scenario().segments.scheme === 'rfm8'`)
	await[bool](t, ctx, `window.segsim.idle().then(() => true)`)

	// A snapshot kept 60 days before the as-of date, compared with the run
	// at the as-of date: every customer of the run is counted once.
	asof := await[string](t, ctx, `window.segsim.result().asof`)
	await[bool](t, ctx, `(() => { const d = new Date('`+asof+`T00:00:00Z'); d.setUTCDate(d.getUTCDate() - 60); return window.segsim.setScenario({...window.segsim.scenario(), window: {...window.segsim.scenario().window, asof: d.toISOString().slice(0, 10)}}).then(() => true); })()`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#snapshot-save`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#snapshot-note').textContent.startsWith('Kept the snapshot') && !document.querySelector('#snapshot-compare').disabled`)
	await[bool](t, ctx, `window.segsim.setScenario({...window.segsim.scenario(), window: {...window.segsim.scenario().window, asof: ''}}).then(() => true)`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#snapshot-compare`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `!!window.segsim.snapshotComparison() && !document.querySelector('#snapshot-body').hidden`)
	counted := await[int](t, ctx, `(() => { const m = window.segsim.snapshotComparison().matrix; return m.counts.flat().reduce((a, b) => a + b, 0) + m.entered.reduce((a, b) => a + b, 0); })()`)
	now := await[int](t, ctx, `window.segsim.result().customers`)
	if counted != now {
		t.Errorf("snapshot comparison counts %d customers, the run has %d", counted, now)
	}
	if rows := await[int](t, ctx, `document.querySelectorAll('#snapshot-table tbody tr').length`); rows != 9 {
		t.Errorf("snapshot table has %d rows, want 8 classes + new", rows)
	}
	if s := await[string](t, ctx, `document.querySelector('#snapshot-summary').textContent`); !strings.Contains(s, "moved") {
		t.Errorf("snapshot summary %q", s)
	}

	// Forget: nothing kept, and the next visit starts from the sample.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#forget-data`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `!document.querySelector('#keep-data').checked && document.querySelector('#saved-box').hidden && localStorage.getItem('segsim.keep') === null`)
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/")); err != nil {
		t.Fatal(err)
	}
	await[bool](t, ctx, `window.segsim.ready.then(() => true)`)
	if name := await[string](t, ctx, `document.querySelector('#dataset-name').textContent`); name == "my_orders.csv" {
		t.Error("the file is still restored after Forget")
	}
	if n := await[int](t, ctx, `indexedDB.databases().then(l => l.filter(d => d.name === 'segsim').length)`); n != 0 {
		t.Errorf("%d segsim databases left after Forget", n)
	}
	checkClean(t, ctx)
}
