//go:build e2e

package e2e

import (
	"encoding/json"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"segsim/core/lifecycle"
	"segsim/core/simulate"
	"segsim/core/strategy"
)

// TestCalendar checks item by item, on the apparel sample (two years of
// orders), that the page shows what the command line computes for the
// same scenario: the buyer series month by month (a chart and a table
// beside the last period's split), a projection that follows the
// calendar and says so, and a points what-if weighted by the observed
// repurchase rate; then, as of a date eight months into the data, that
// the projection says plainly it holds the inflow flat; in English and
// Chinese.
func TestCalendar(t *testing.T) {
	file := filepath.Join(root, "seeds", "samples", "apparel_zh.csv")
	ctx := openPage(t, "?sample=apparel_zh.csv")
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	sc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)

	// The buyer series: as segsim cohorts --buyers, every customer new once.
	page := await[[]lifecycle.Month](t, ctx, `window.segsim.result().buyer_series`)
	var cli struct {
		Series []lifecycle.Month `json:"buyer_series"`
	}
	if err := json.Unmarshal([]byte(cliRun(t, "cohorts", file, sc, "--buyers", "--format", "json")), &cli); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(page, cli.Series) {
		t.Fatalf("page buyer series\n%+v\nsegsim cohorts --buyers\n%+v", page, cli.Series)
	}
	newBuyers := 0
	for _, m := range page {
		newBuyers += m.NewBuyers
	}
	if n := await[int](t, ctx, `window.segsim.result().customers`); len(page) != 24 || newBuyers != n {
		t.Fatalf("%d months, %d new buyers; %d customers", len(page), newBuyers, n)
	}
	if n := await[int](t, ctx, `document.querySelectorAll('#buyer-series tbody tr').length`); n != 24 {
		t.Fatalf("the buyer series table has %d rows", n)
	}
	if c := await[[]string](t, ctx, `[...document.querySelectorAll('#buyer-series tbody tr:last-child td')].map(td => td.textContent)`); c[0] != "2026-06" || c[1] != "226" || c[4] != "483" {
		t.Fatalf("the table's last month reads %q", c)
	}
	poll(t, ctx, `(() => { const c = document.querySelector('#chart-buyers canvas'); return !!c && c.width > 100 && c.height > 100; })()`)

	// The projection: as segsim project with the page's scenario.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#migration-on`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `!!window.segsim.result()?.migration?.projection || !!window.segsim.result()?.migration_error`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	checkProjection(t, await[simulate.Projection](t, ctx, `window.segsim.result().migration.projection`), cliProjection(t, file, sc), "calendar", 24)
	if s := await[string](t, ctx, `document.querySelector('#projection-notes').textContent`); !strings.Contains(s, "inflow follows the calendar: each period's new customers are the mean of the same calendar months over the 24 complete months") {
		t.Fatalf("projection notes %q", s)
	}

	// The points what-if: weighted as segsim plan --points weights.
	await[json.RawMessage](t, ctx, `window.segsim.setPoints(true)`)
	poll(t, ctx, `window.segsim.result()?.points?.sweep?.length === 5`)
	keep := await[strategy.Keep](t, ctx, `window.segsim.result().points.keep`)
	var plan struct {
		Points []struct {
			ReachShare float64 `json:"reach_share"`
		} `json:"points"`
		Keep strategy.Keep `json:"points_keep"`
	}
	if err := json.Unmarshal([]byte(cliRun(t, "plan", file, sc, "--points", "--format", "json", "--curve", "0")), &plan); err != nil {
		t.Fatal(err)
	}
	// The mean may differ in the last bits: gonum sums in assembly
	// natively and in Go in the browser.
	if math.Abs(keep.Mean-plan.Keep.Mean) < 1e-12 {
		keep.Mean = plan.Keep.Mean
	}
	if !reflect.DeepEqual(keep, plan.Keep) || keep.Basis != "repurchase" || keep.Days != 365 {
		t.Fatalf("page weighting %+v, segsim plan --points %+v", keep, plan.Keep)
	}
	share := await[float64](t, ctx, `window.segsim.result().points.sweep[0].reach_share`)
	if share != plan.Points[0].ReachShare || share >= .5 {
		t.Fatalf("a quarter of the threshold: page %v, segsim plan --points %v (84.5%% before weighting)", share, plan.Points[0].ReachShare)
	}
	if s := await[string](t, ctx, `document.querySelector('#points-keep').textContent`); !strings.Contains(s, "Weighted by the observed repurchase rate") || !strings.Contains(s, "365 days") {
		t.Fatalf("points weighting reads %q", s)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#buyer-series-box').open = true, document.querySelector('#tiers-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "buyer_series_en.png")

	// In Chinese.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#projection-notes').textContent.includes('新客流入按日历') && document.querySelector('#points-keep').textContent.includes('按实际复购率加权') && document.querySelector('#buyer-series thead').textContent.includes('回头客数')`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#tiers-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "buyer_series_zh.png")
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#migration-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "projection_zh.png")

	// Eight months of data: the inflow is the last period's, flat, said
	// plainly (here in Chinese), as the command line says it.
	await[json.RawMessage](t, ctx, `window.segsim.setScenario({...window.segsim.scenario(), window: {...window.segsim.scenario().window, asof: "2025-03-01"}})`)
	poll(t, ctx, `window.segsim.result()?.migration?.projection?.inflow_basis === 'last_period'`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	short := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	checkProjection(t, await[simulate.Projection](t, ctx, `window.segsim.result().migration.projection`), cliProjection(t, file, short), "last_period", 8)
	poll(t, ctx, `document.querySelector('#projection-notes').textContent.includes('数据仅覆盖 8 个完整月份，不足一年')`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#projection-notes').textContent.includes('the data covers 8 complete months, less than a year')`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#migration-panel').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "projection_short_en.png")
	checkClean(t, ctx)
}

// cliProjection runs segsim project with a scenario.
func cliProjection(t *testing.T, file string, scenario []byte) simulate.Projection {
	t.Helper()
	var out struct {
		Projection simulate.Projection `json:"projection"`
	}
	if err := json.Unmarshal([]byte(cliRun(t, "project", file, scenario, "--format", "json")), &out); err != nil {
		t.Fatal(err)
	}
	return out.Projection
}

// checkProjection compares the page's projection with the command line's
// (money within a cent) and checks where its inflow comes from.
func checkProjection(t *testing.T, page, cli simulate.Projection, basis string, months int) {
	t.Helper()
	if page.InflowBasis != basis || page.Months != months || len(page.Periods) != 12 {
		t.Fatalf("page projection: basis %q, %d months, %d periods", page.InflowBasis, page.Months, len(page.Periods))
	}
	if page.InflowBasis != cli.InflowBasis || page.Seasonal != cli.Seasonal || !reflect.DeepEqual(page.Notes, cli.Notes) {
		t.Fatalf("page projection %+v %+v, segsim project %+v %+v", page.InflowBasis, page.Notes, cli.InflowBasis, cli.Notes)
	}
	for i, p := range page.Periods {
		c := cli.Periods[i]
		if p.Start != c.Start || math.Abs(p.Inflow-c.Inflow) > 1e-9 || math.Abs(p.Factor-c.Factor) > 1e-9 || math.Abs(p.Active-c.Active) > 1e-6 || math.Abs(p.GMV-c.GMV) > .01 {
			t.Fatalf("period %d: page %+v, segsim project %+v", i+1, p, c)
		}
	}
}
