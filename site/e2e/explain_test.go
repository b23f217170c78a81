//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestExplain opens the explanation of F and of the segments on the
// apparel sample, where F ties leave score 2 and two segments empty: the
// explanations give the current edges and name the empty score and
// segments, in English and Chinese; the glossary lists every term.
func TestExplain(t *testing.T) {
	ctx := openPage(t, "?sample=apparel_zh.csv")
	open := func(sel string) string {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel+` button.explain`))); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, `document.querySelector('#explain').open`)
		text := await[string](t, ctx, `document.querySelector('#explain-title').textContent + ': ' + document.querySelector('#explain-text').textContent`)
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#explain-close`))); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, `!document.querySelector('#explain').open`)
		return text
	}
	edges := await[string](t, ctx, `window.segsim.result().bins[1].edges.join(', ')`)
	f := open(`h4[data-explain="f"]`)
	for _, want := range []string{"F — frequency", "edges " + edges, "Score 2 has no customers", "ties"} {
		if !strings.Contains(f, want) {
			t.Errorf("F explained as %q; lacks %q", f, want)
		}
	}
	seg := open(`#segments-panel h3`)
	for _, want := range []string{"Empty now: Potential Loyalist", "Hibernating", "first rule"} {
		if !strings.Contains(seg, want) {
			t.Errorf("segments explained as %q; lacks %q", seg, want)
		}
	}
	if c := open(`.kpi span[data-explain="customers"]`); !strings.Contains(c, "Now 3,725") {
		t.Errorf("customers explained as %q", c)
	}
	if p := open(`#predict-panel h3`); !strings.Contains(p, "P(alive) = 1") || !strings.Contains(p, "MBG/NBD") {
		t.Errorf("P(alive) explained as %q", p)
	}
	n := await[int](t, ctx, `window.segsim.terms().length`)
	if dts := await[int](t, ctx, `document.querySelectorAll('#glossary dt').length`); dts != n || n < 15 {
		t.Errorf("glossary has %d terms of %d", dts, n)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	fzh := open(`h4[data-explain="f"]`)
	for _, want := range []string{"F — 消费频次", "第 2 档没有客户", "分界点 " + strings.ReplaceAll(edges, ", ", "、")} {
		if !strings.Contains(fzh, want) {
			t.Errorf("F in Chinese: %q lacks %q", fzh, want)
		}
	}
	if g := await[string](t, ctx, `document.querySelector('#glossary dt').textContent`); g != "客户数" {
		t.Errorf("Chinese glossary starts with %q", g)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#glossary-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "glossary_zh.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
	checkClean(t, ctx)
}
