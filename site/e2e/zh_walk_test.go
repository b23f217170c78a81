//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// latinWords lists the visible Latin-letter words of the page that are
// neither data (values marked .v, file names, ids, the customer list) nor
// allowed terms, with where each was seen.
const latinWords = `(() => {
	const allowed = new Set(['GMV', 'RFM', 'BG', 'NBD', 'MBG', 'CSV', 'PNG', 'JSON', 'NDJSON', 'TSV', 'xlsx', 'xls', 'UTF', 'ROI', 'AOV', 'CLV',
		'CDNOW', 'ID', 'segsim', 'EN', 'R', 'F', 'M', 'A', 'B', 'GBK', 'GB', 'Excel', 'Welch', 'Newcombe', 'Gamma', 'Pareto', 'P', 'alive', 'se', 'pp',
		'UTF-8', 'SMS', 'App', 'IndexedDB', 'make', 'serve', 'venue', 'KPI', 'Sankey', 'Wilson', 'NTILE', 'ntile', 'WeChat', 'Shopify', 'WooCommerce', 'VIP']);
	const seen = new Map();
	const visible = (el) => el && el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden';
	const data = (el) => el.closest('.v, #customers, #dataset-name, #load-facts, #near, #pb-table, #roles, #preview, .edges, #share-note, select option, #lesson-link-note, canvas, #boot-note, [data-lang], #csv-lang');
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const el = n.parentElement;
		if (!visible(el) || data(el)) continue;
		for (const w of n.textContent.match(/[A-Za-z][A-Za-z]+/g) || []) {
			if (allowed.has(w)) continue;
			const where = el.id ? '#' + el.id : el.closest('[id]') ? '#' + el.closest('[id]').id : el.tagName;
			if (!seen.has(w)) seen.set(w, where);
		}
	}
	for (const s of document.querySelectorAll('select')) {
		if (!visible(s) || data(s)) continue; // a column picker lists the file's own headers
		const o = s.selectedOptions[0];
		for (const w of (o?.textContent || '').match(/[A-Za-z][A-Za-z]+/g) || []) if (!allowed.has(w) && !seen.has(w)) seen.set(w, '#' + s.id);
	}
	for (const el of document.querySelectorAll('[aria-label]')) {
		if (!visible(el)) continue;
		for (const w of el.getAttribute('aria-label').match(/[A-Za-z][A-Za-z]+/g) || []) if (!allowed.has(w) && !seen.has(w)) seen.set(w, 'aria-label of ' + (el.id || el.tagName));
	}
	return [...seen].map(([w, where]) => w + ' @' + where);
})()`

// TestChineseWalk opens every panel in Chinese, on a Chinese sample and
// on CDNOW, with predictions, the plan, a readout and a lesson, and
// fails on any visible Latin-letter word that is not data or an allowed
// term.
func TestChineseWalk(t *testing.T) {
	ctx := openPage(t, "?sample=apparel_zh.csv")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	await[bool](t, ctx, `window.segsim.setPlan(true).then(() => window.segsim.setKPI(true)).then(() => window.segsim.setCohorts(true)).then(() => window.segsim.setMigration(true)).then(() => window.segsim.setPoints(true)).then(() => true)`)
	await[bool](t, ctx, `window.segsim.setScenario({...window.segsim.scenario(), predict: {...window.segsim.scenario().predict, enabled: true}}).then(() => window.segsim.idle()).then(() => true)`)
	await[bool](t, ctx, `window.segsim.readout(null, null, {start: window.segsim.result().asof, end: window.segsim.result().asof}).then(() => true)`)
	await[bool](t, ctx, `window.segsim.pinA().then(() => true)`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#pb-edit`)), chromedp.Click(chromedp.CSS(`#mapping summary`))); err != nil {
		t.Fatal(err)
	}
	await[bool](t, ctx, `window.segsim.idle().then(() => new Promise(r => setTimeout(() => r(true), 300)))`)
	words := await[[]string](t, ctx, latinWords)
	if len(words) > 0 {
		t.Errorf("%d untranslated words in Chinese on apparel_zh.csv:\n%s", len(words), strings.Join(words, "\n"))
	}
	readout := await[int](t, ctx, `document.querySelectorAll('#readout-table tbody tr').length`)
	if readout == 0 {
		t.Error("the walk saw no readout table")
	}
	screenshot(t, ctx, "walk_zh.png")
	// CDNOW (English headers) through the first lesson, with the plan.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#lesson-pick`), "rfm"), chromedp.Click(chromedp.CSS(`#lesson-start`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.name === 'cdnow.csv' && !document.querySelector('#lesson-body').hidden`)
	await[bool](t, ctx, `window.segsim.setPlan(true).then(() => window.segsim.idle()).then(() => new Promise(r => setTimeout(() => r(true), 300)))`)
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#lesson-answer`), "1"), chromedp.Click(chromedp.CSS(`#lesson-check`)), chromedp.Click(chromedp.CSS(`#lesson-reveal`))); err != nil {
		t.Fatal(err)
	}
	if words := await[[]string](t, ctx, latinWords); len(words) > 0 {
		t.Errorf("%d untranslated words in Chinese on cdnow.csv:\n%s", len(words), strings.Join(words, "\n"))
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
}
