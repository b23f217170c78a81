//go:build e2e

package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// overflow lists the elements wider than the window (the page scrolls
// sideways when any does), at most 8.
const overflow = `(() => {
	const w = document.documentElement.clientWidth;
	const out = [];
	for (const el of document.querySelectorAll('body *')) {
		if (el.closest('.scroll') || el.closest('[hidden]') || el.offsetParent === null) continue;
		const r = el.getBoundingClientRect();
		if (r.right > w + 1 && out.length < 8) out.push((el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + el.className) + ' ' + Math.round(r.right));
	}
	return [document.documentElement.scrollWidth - w, ...out].join(' ');
})()`

// TestNoSidewaysScroll opens the page at a projector's 1280×720, a laptop's
// 1400×1000 and a phone's 390×844, in English and Chinese, with the plan
// and the other panels open: the page must never scroll sideways (wide
// tables scroll inside their own box).
func TestNoSidewaysScroll(t *testing.T) {
	ctx := openPage(t, "?sample=apparel_zh.csv")
	await[bool](t, ctx, `window.segsim.setPlan(true).then(() => window.segsim.setKPI(true)).then(() => window.segsim.setCohorts(true)).then(() => window.segsim.setMigration(true)).then(() => true)`)
	for _, size := range [][2]int64{{1280, 720}, {1400, 1000}, {390, 844}} {
		for _, lang := range []string{"en", "zh"} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1]), chromedp.Click(chromedp.CSS(`#lang-`+lang))); err != nil {
				t.Fatal(err)
			}
			await[bool](t, ctx, `window.segsim.idle().then(() => new Promise(r => setTimeout(() => requestAnimationFrame(() => r(true)), 300)))`)
			if got := await[string](t, ctx, overflow); !strings.HasPrefix(got, "0") {
				t.Errorf("%dx%d %s: scrolls sideways by %s", size[0], size[1], lang, got)
			}
			if size[0] == 390 {
				screenshot(t, ctx, fmt.Sprintf("phone_%s.png", lang))
			}
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 1000), chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
}

// TestPresenterView steps through presenter view at 1280×720 with the
// keyboard, in English and Chinese: one section at a time, the knobs
// folded, large type, never sideways; Escape leaves it.
func TestPresenterView(t *testing.T) {
	ctx := openPage(t, "?sample=cdnow.csv")
	await[bool](t, ctx, `window.segsim.setPlan(true).then(() => true)`)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 720), chromedp.Click(chromedp.CSS(`#presenter`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.body.classList.contains('presenter') && getComputedStyle(document.querySelector('#knobs')).display === 'none'`)
	n := await[int](t, ctx, `document.querySelectorAll('#results > section').length`)
	if n < 10 {
		t.Fatalf("%d sections", n)
	}
	visible := `[...document.querySelectorAll('#results > section')].filter(s => getComputedStyle(s).display !== 'none').map(s => s.id).join(' ')`
	seen := map[string]bool{}
	for i := range n {
		v := await[string](t, ctx, visible)
		if strings.Contains(v, " ") || v == "" || seen[v] {
			t.Fatalf("step %d shows %q", i, v)
		}
		seen[v] = true
		if c := await[string](t, ctx, `document.querySelector('#step-count').textContent`); c != fmt.Sprintf("%d / %d", i+1, n) {
			t.Errorf("step %d counter %q", i, c)
		}
		await[bool](t, ctx, `new Promise(r => setTimeout(() => requestAnimationFrame(() => r(true)), 150))`)
		if got := await[string](t, ctx, overflow); !strings.HasPrefix(got, "0") {
			t.Errorf("presenter step %d (%s) scrolls sideways by %s", i, v, got)
		}
		if v == "plan-panel" {
			screenshot(t, ctx, "presenter_en.png")
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
				t.Fatal(err)
			}
			await[bool](t, ctx, `window.segsim.idle().then(() => new Promise(r => setTimeout(() => r(true), 300)))`)
			if got := await[string](t, ctx, `document.querySelector('#steps button.on').textContent`); got == "Activity plan" || got == "" {
				t.Errorf("the section bar in Chinese says %q", got)
			}
			screenshot(t, ctx, "presenter_zh.png")
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
				t.Fatal(err)
			}
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowRight)); err != nil {
			t.Fatal(err)
		}
	}
	if size := await[float64](t, ctx, `parseFloat(getComputedStyle(document.body).fontSize)`); size < 18 {
		t.Errorf("presenter type is %vpx", size)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `!document.body.classList.contains('presenter') && getComputedStyle(document.querySelector('#knobs')).display !== 'none'`)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 1000)); err != nil {
		t.Fatal(err)
	}
	checkClean(t, ctx)
}
