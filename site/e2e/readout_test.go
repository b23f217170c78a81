//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReadoutPanel plans the grocery sample as of 2026-03-01 on the page,
// reads March out in both of the panel's modes — the page's own plan on
// the loaded file, and the downloaded plan CSV with the order file chosen
// in the panel — and requires both to equal the command line's readout
// JSON for the same files. Then it checks the panel in English and
// Chinese, its download, and an error path.
func TestReadoutPanel(t *testing.T) {
	ctx := openPage(t, "?sample=grocery_en.csv")
	await[json.RawMessage](t, ctx, `window.segsim.setScenario({...window.segsim.scenario(), window: {...window.segsim.scenario().window, asof: "2026-03-01"}})`)
	await[json.RawMessage](t, ctx, `window.segsim.setPlan(true)`)
	sc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	dir := t.TempDir()
	planFile := filepath.Join(dir, "plan.csv")
	if err := os.WriteFile(planFile, []byte(await[string](t, ctx, `window.segsim.exportCSV({bom: true, chinese: true})`)), 0o644); err != nil {
		t.Fatal(err)
	}
	scFile := filepath.Join(dir, "scenario.json")
	if err := os.WriteFile(scFile, sc, 0o644); err != nil {
		t.Fatal(err)
	}
	orders := filepath.Join(root, "seeds", "samples", "grocery_en.csv")
	cmd := exec.Command(cli, "readout", "--quiet", "--format", "json", "--scenario", scFile, "--plan", planFile, "--start", "2026-03-01", "--end", "2026-03-31", orders)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("segsim readout: %v\n%s", err, stderr.String())
	}
	var want map[string]any
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	same := func(what string, got json.RawMessage, keys ...string) {
		t.Helper()
		var g map[string]any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("%s: %v in %.200s", what, err, got)
		}
		for _, k := range keys {
			if !reflect.DeepEqual(g[k], want[k]) {
				a, _ := json.Marshal(g[k])
				b, _ := json.Marshal(want[k])
				t.Errorf("%s: %s differs from the command line's:\npage %.600s\ncli  %.600s", what, k, a, b)
			}
		}
	}
	// The page's own plan on the loaded file. Its segments are named as
	// the page names them (English keys), the plan file's in Chinese: the
	// actions, the total and the outcomes must be the same.
	own := await[json.RawMessage](t, ctx, `window.segsim.readout(null, null, {start: "2026-03-01", end: "2026-03-31"}).then(a => a && a.readout)`)
	same("own plan", own, "start", "end", "level", "method", "actions", "total", "outcomes", "notes")

	// The plan file and the order file chosen in the panel, as a user does.
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#readout-panel').scrollIntoView()`),
		chromedp.SetValue(chromedp.CSS(`#readout-plan-src`), "file"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#readout-plan-src').dispatchEvent(new Event('change'))`),
		chromedp.SetValue(chromedp.CSS(`#readout-orders-src`), "file"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#readout-orders-src').dispatchEvent(new Event('change'))`),
		chromedp.SetUploadFiles(chromedp.CSS(`#readout-plan-file`), []string{planFile}),
		chromedp.SetUploadFiles(chromedp.CSS(`#readout-orders-file`), []string{orders}),
		chromedp.SetValue(chromedp.CSS(`#readout-start`), "2026-03-01"),
		chromedp.SetValue(chromedp.CSS(`#readout-end`), "2026-03-31"),
		chromedp.Evaluate[chromedp.Void](`window.__before = window.segsim.readoutResult()`),
		chromedp.Click(chromedp.CSS(`#readout-run`)),
	); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.readoutResult() !== window.__before && !!window.segsim.readoutResult()?.plan_load`)
	files := await[json.RawMessage](t, ctx, `window.segsim.readoutResult().readout`)
	same("plan and order files", files, "start", "end", "level", "method", "actions", "segments", "total", "outcomes", "notes")

	var r struct {
		Actions, Segments []json.RawMessage
	}
	json.Unmarshal(files, &r)
	rows := await[int](t, ctx, `document.querySelectorAll('#readout-table tbody tr').length`)
	verdicts := await[int](t, ctx, `document.querySelectorAll('#readout-verdicts li').length`)
	if want := len(r.Actions) + len(r.Segments) + 1; rows != want || verdicts != want {
		t.Errorf("table %d rows, %d verdicts; want %d", rows, verdicts, want)
	}
	en := await[string](t, ctx, `document.querySelector('#readout-panel').innerText`)
	for _, s := range []string{"Newcombe hybrid score", "Held out", "Plan file: ", "Total"} {
		if !strings.Contains(en, s) {
			t.Errorf("English panel lacks %q:\n%.800s", s, en)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#readout-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "readout_en.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#readout-table thead th:nth-child(3)').textContent === '对照组人数'`)
	zh := await[string](t, ctx, `document.querySelector('#readout-panel').innerText`)
	for _, s := range []string{"Newcombe 混合得分法", "活动复盘", "计划文件：读取", "合计"} {
		if !strings.Contains(zh, s) {
			t.Errorf("Chinese panel lacks %q:\n%.800s", s, zh)
		}
	}
	for _, s := range []string{"worked", "too few", "held out", "Held-out"} {
		if strings.Contains(zh, s) {
			t.Errorf("Chinese panel still says %q:\n%.800s", s, zh)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#readout-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "readout_zh.png")

	// The download: the table as CSV, in the page's language.
	allowDownloads(t, ctx, dir)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#readout-download`))); err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(dir, "readout_2026-03-01_2026-03-31.csv")
	csv := string(waitFile(t, saved))
	if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != rows+1 || !strings.HasPrefix(lines[0], "\ufeff项目,") {
		t.Errorf("downloaded CSV: %d lines, header %q", len(lines), lines[0])
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}

	// Measured rates back into the playbook: the scenario (and so its share
	// link) carries them, and the plan uses them.
	before := await[float64](t, ctx, `window.segsim.result().plan.total.profit`)
	hash := await[string](t, ctx, `location.hash`)
	m := await[json.RawMessage](t, ctx, `window.segsim.useMeasured()`)
	var applied struct {
		Changes []struct {
			Action   string  `json:"action"`
			Response float64 `json:"response"`
		} `json:"changes"`
	}
	if err := json.Unmarshal(m, &applied); err != nil || len(applied.Changes) == 0 {
		t.Fatalf("useMeasured: %v %.300s", err, m)
	}
	custom := await[string](t, ctx, `window.segsim.scenario().plan.custom?.name || ''`)
	if !strings.Contains(custom, "(measured 2026-03-01 – 2026-03-31)") {
		t.Errorf("scenario's custom playbook %q", custom)
	}
	if h := await[string](t, ctx, `location.hash`); h == hash {
		t.Error("the share link did not change with the measured playbook")
	}
	for _, c := range applied.Changes {
		got := await[float64](t, ctx, `window.segsim.scenario().plan.custom.segments.flatMap(e => e.actions).find(a => a.name === `+"`"+c.Action+"`"+`).response`)
		if got != c.Response {
			t.Errorf("%s: scenario response %v, measured %v", c.Action, got, c.Response)
		}
	}
	if after := await[float64](t, ctx, `window.segsim.result().plan.total.profit`); after == before {
		t.Errorf("the plan's profit %v did not change with the measured rates", after)
	}
	if n := await[int](t, ctx, `document.querySelectorAll('#readout-applied li').length`); n != len(applied.Changes) {
		t.Errorf("%d applied lines shown, %d changes", n, len(applied.Changes))
	}

	// An order file chosen as the plan: the panel says what a plan needs.
	if err := chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.CSS(`#readout-plan-file`), []string{orders}),
		chromedp.Evaluate[chromedp.Void](`window.__before = window.segsim.readoutError()`),
		chromedp.Click(chromedp.CSS(`#readout-run`)),
	); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `!!window.segsim.readoutError() && !document.querySelector('#readout-error').hidden`)
	if msg := await[string](t, ctx, `document.querySelector('#readout-error').textContent`); !strings.Contains(msg, "needs customer_id, action and holdout") {
		t.Errorf("plan-file error says %q", msg)
	}
	checkClean(t, ctx)
}
