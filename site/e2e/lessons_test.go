//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/tidwall/gjson"
)

// cliJSON runs the command line with a scenario and returns its JSON.
func cliJSON(t *testing.T, scenario []byte, args ...string) gjson.Result {
	t.Helper()
	p := filepath.Join(t.TempDir(), "scenario.json")
	if err := os.WriteFile(p, scenario, 0o644); err != nil {
		t.Fatal(err)
	}
	args = append(args[:len(args)-1:len(args)-1], "--quiet", "--format", "json", "--scenario", p, args[len(args)-1])
	out, err := exec.Command(cli, args...).Output()
	if err != nil {
		t.Fatalf("segsim %v: %v", args, err)
	}
	return gjson.ParseBytes(out)
}

// TestLessons runs every built-in lesson in the page: it starts the
// lesson, checks an answer before the task's settings are made (not yet),
// makes them as a participant would, then checks a wrong and the right
// answer — the right one computed by the command line on the lesson's
// data and scenario, not by the page.
func TestLessons(t *testing.T) {
	ctx := openPage(t, "")
	ids := await[[]string](t, ctx, `[...document.querySelectorAll('#lesson-pick option')].map(o => o.value)`)
	if len(ids) < 6 {
		t.Fatalf("%d lessons", len(ids))
	}
	// What a participant does for each lesson, and where the command
	// line's answer is.
	tasks := map[string]struct {
		do     string // JavaScript run in the page
		cmd    string // segments or plan
		answer func(doc gjson.Result) float64
		pct    bool
	}{
		"rfm":     {"", "segments", func(d gjson.Result) float64 { return d.Get(`segments.#(name=="champions").customers`).Float() }, false},
		"classes": {`window.segsim.setScenario({...window.segsim.scenario(), segments: {...window.segsim.scenario().segments, scheme: 'rfm8'}})`, "segments", func(d gjson.Result) float64 { return d.Get(`classes.#(name=="important_value").customers`).Float() }, false},
		"tiers":   {"", "segments", func(d gjson.Result) float64 { return d.Get(`tier_table.#(name=="core").customer_share`).Float() * 100 }, true},
		"lifecycle": {`window.segsim.setScenario({...window.segsim.scenario(), lifecycle: {...window.segsim.scenario().lifecycle, churn_days: 120}})`, "segments",
			func(d gjson.Result) float64 { return d.Get(`stages.#(name=="churned").customers`).Float() }, false},
		"budget": {`window.segsim.setScenario({...window.segsim.scenario(), plan: {...window.segsim.scenario().plan, budget: 20000}}).then(() => window.segsim.setPlan(true))`, "plan",
			func(d gjson.Result) float64 { return d.Get("plan.total.contacted").Float() }, false},
		"holdout": {`window.segsim.setPlan(true)`, "plan", func(d gjson.Result) float64 {
			n := 0.0
			for _, g := range d.Get("plan.segments").Array() {
				n += g.Get("holdout").Float()
			}
			return n
		}, false},
	}
	checkAs := func(answer string) string {
		if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#lesson-answer`), answer), chromedp.Click(chromedp.CSS(`#lesson-check`))); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, `document.querySelector('#lesson-verdict').textContent !== ''`)
		v := await[string](t, ctx, `document.querySelector('#lesson-verdict').className + ' ' + document.querySelector('#lesson-verdict').textContent`)
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#lesson-verdict').textContent = ''`)); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, id := range ids {
		task, ok := tasks[id]
		if !ok {
			t.Errorf("lesson %s has no test", id)
			continue
		}
		if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#lesson-pick`), id), chromedp.Click(chromedp.CSS(`#lesson-start`))); err != nil {
			t.Fatal(err)
		}
		dataset := await[string](t, ctx, `window.segsim.lessons().find(l => l.id === '`+id+`').dataset`)
		poll(t, ctx, `!document.querySelector('#lesson-body').hidden && window.segsim.result()?.name === '`+dataset+`'`)
		await[json.RawMessage](t, ctx, `window.segsim.idle()`)
		requires := await[int](t, ctx, `(window.segsim.lessons().find(l => l.id === '`+id+`').steps[0].requires || []).length`)
		if requires > 0 {
			if v := checkAs("1"); !strings.HasPrefix(v, "verdict-not_yet") {
				t.Errorf("%s before the task's settings: %q", id, v)
			}
		}
		if task.do != "" {
			await[json.RawMessage](t, ctx, `Promise.resolve(`+task.do+`).then(() => window.segsim.idle()).then(() => null)`)
		}
		sc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
		want := task.answer(cliJSON(t, sc, task.cmd, filepath.Join(root, "seeds", "samples", dataset)))
		right := fmt.Sprintf("%.0f", want)
		if task.pct {
			right = fmt.Sprintf("%.1f%%", want)
		}
		if v := checkAs(fmt.Sprintf("%.0f", want+7)); !strings.HasPrefix(v, "verdict-wrong") {
			t.Errorf("%s: a wrong answer (%.0f; right %s) says %q", id, want+7, right, v)
		}
		if v := checkAs(right); !strings.HasPrefix(v, "verdict-right") {
			t.Errorf("%s: the right answer %s says %q", id, right, v)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lesson-reveal`))); err != nil {
			t.Fatal(err)
		}
		if r := await[string](t, ctx, `document.querySelector('#lesson-revealed').textContent`); !strings.HasPrefix(r, "Answer: ") {
			t.Errorf("%s reveal: %q", id, r)
		}
		t.Logf("%s on %s: answer %s", id, dataset, right)
	}
	// Chinese: the lesson's task and verdict in Chinese.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	if v := checkAs("1"); !strings.Contains(v, "不太对") && !strings.Contains(v, "正确") {
		t.Errorf("Chinese verdict %q", v)
	}
	if task := await[string](t, ctx, `document.querySelector('#lesson-task').textContent`); !strings.Contains(task, "对照组") {
		t.Errorf("Chinese task %q", task)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#lessons-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "lessons_zh.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}

	// A lesson link opens the lesson step on its data in a new tab.
	link := await[string](t, ctx, `window.segsim.lessonLink()`)
	other := openPageAt(t, siteURL, "#"+strings.SplitN(link, "#", 2)[1])
	poll(t, other, `!document.querySelector('#lesson-body').hidden && document.querySelector('#lesson-title').textContent.startsWith('6.')`)
	if name := await[string](t, other, `window.segsim.result().name`); name != "apparel_zh.csv" {
		t.Errorf("the lesson link opened on %s", name)
	}
	// A trainer's own lesson file, and a broken one.
	own := filepath.Join(t.TempDir(), "own.json")
	os.WriteFile(own, []byte(`{"id":"own","title":{"en":"7. Own","zh":"7. 自编"},"dataset":"grocery_en.csv","steps":[{"task":{"en":"How many customers?","zh":"多少客户？"},"answer":{"metric":"customers","format":"int"},"reveal":{"en":"All of them.","zh":"全部。"}}]}`), 0o644)
	if err := chromedp.Do(other, chromedp.SetUploadFiles(chromedp.CSS(`#lesson-file`), []string{own})); err != nil {
		t.Fatal(err)
	}
	poll(t, other, `document.querySelector('#lesson-title').textContent === '7. Own' && window.segsim.result()?.name === 'grocery_en.csv'`)
	n := await[int](t, other, `window.segsim.idle().then(r => r.customers)`)
	if err := chromedp.Do(other, chromedp.SetValue(chromedp.CSS(`#lesson-answer`), fmt.Sprintf("%d", n)), chromedp.Click(chromedp.CSS(`#lesson-check`))); err != nil {
		t.Fatal(err)
	}
	poll(t, other, `document.querySelector('#lesson-verdict').className === 'verdict-right'`)
	os.WriteFile(own, []byte(`{"id":"bad","title":{"en":"Bad"},"dataset":"nope.csv","steps":[]}`), 0o644)
	if err := chromedp.Do(other, chromedp.SetUploadFiles(chromedp.CSS(`#lesson-file`), []string{own})); err != nil {
		t.Fatal(err)
	}
	poll(t, other, `!document.querySelector('#lesson-error').hidden`)
	if e := await[string](t, other, `document.querySelector('#lesson-error').textContent`); !strings.Contains(e, `"nope.csv" is not a bundled sample`) || !strings.Contains(e, "steps: none") {
		t.Errorf("bad lesson file: %q", e)
	}
	checkClean(t, ctx)
}
