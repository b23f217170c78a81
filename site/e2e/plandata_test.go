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
)

// pagePlan is the plan part of the page API's result.
type pagePlan struct {
	Budget          float64 `json:"budget"`
	BudgetAuto      bool    `json:"budget_auto"`
	Playbook        string  `json:"playbook"`
	PlaybookDefault bool    `json:"playbook_default"`
	Values          string  `json:"values"`
	Unspent         float64 `json:"unspent"`
	Total           struct {
		Contacted int     `json:"contacted"`
		Profit    float64 `json:"profit"`
	} `json:"total"`
	Segments []struct {
		Segment string `json:"segment"`
		Data    *struct {
			OrderValue float64 `json:"order_value"`
			Baseline   float64 `json:"baseline"`
			Earlier    int     `json:"earlier"`
			Buyers     int     `json:"buyers"`
		} `json:"data"`
		Actions []struct {
			Action     string  `json:"action"`
			OrderValue float64 `json:"order_value"`
			Baseline   float64 `json:"baseline"`
			Basis      string  `json:"basis"`
		} `json:"actions"`
	} `json:"segments"`
}

// cliPlan runs segsim plan --format json with the page's scenario.
func cliPlan(t *testing.T, file string, scenario []byte) pagePlan {
	t.Helper()
	p := filepath.Join(t.TempDir(), "scenario.json")
	if err := os.WriteFile(p, scenario, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(cli, "plan", "--quiet", "--format", "json", "--curve", "0", "--scenario", p, file).Output()
	if err != nil {
		t.Fatalf("segsim plan: %v", err)
	}
	var v struct {
		Plan pagePlan `json:"plan"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	return v.Plan
}

// TestPlanFromData: the grocery sample chooses the FMCG playbook; the plan
// takes order values and baselines from the data, sizes the budget to it
// and spends it, as the command line does with the page's scenario; the
// table shows the data's figures with the playbook's beside them; moving
// the budget turns the sizing off, the checkbox back on. A file of the
// operator's own asks for the industry.
func TestPlanFromData(t *testing.T) {
	ctx := openPage(t, "?sample=grocery_en.csv")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#plan-on`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.plan?.segments?.length > 0`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	p := await[pagePlan](t, ctx, `window.segsim.result().plan`)
	if p.Playbook != "fmcg" || p.PlaybookDefault || !p.BudgetAuto || p.Values != "data" || p.Unspent != 0 || p.Total.Contacted == 0 {
		t.Fatalf("grocery plan: playbook %q (default %v), budget %v auto %v, values %q, unspent %v, contacted %d",
			p.Playbook, p.PlaybookDefault, p.Budget, p.BudgetAuto, p.Values, p.Unspent, p.Total.Contacted)
	}
	if sel := await[string](t, ctx, `document.querySelector('#plan-playbook').value`); sel != "fmcg" {
		t.Fatalf("playbook select shows %q", sel)
	}
	if !await[bool](t, ctx, `document.querySelector('#plan-industry').hidden`) || !await[bool](t, ctx, `document.querySelector('#plan-budget-auto').checked`) {
		t.Fatal("industry prompt shown, or budget sizing unticked, for a sample of known industry")
	}
	sc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	file := filepath.Join(root, "seeds", "samples", "grocery_en.csv")
	want := cliPlan(t, file, sc)
	if want.Budget != p.Budget || want.Total != p.Total || len(want.Segments) != len(p.Segments) {
		t.Fatalf("page plan budget %v totals %+v; command line %v %+v", p.Budget, p.Total, want.Budget, want.Total)
	}
	measured := 0
	for i, g := range p.Segments {
		w := want.Segments[i]
		if (g.Data == nil) != (w.Data == nil) || g.Data != nil && *g.Data != *w.Data {
			t.Fatalf("%s: page data %+v, command line %+v", g.Segment, g.Data, w.Data)
		}
		for _, a := range g.Actions {
			if a.Basis == "data" {
				measured++
				if a.OrderValue != g.Data.OrderValue || a.Baseline != g.Data.Baseline {
					t.Errorf("%s %s: order value %v baseline %v, data %+v", g.Segment, a.Action, a.OrderValue, a.Baseline, g.Data)
				}
			}
		}
	}
	if measured == 0 {
		t.Fatal("no action priced from the data")
	}
	// The table: the champions' order value from the data, the
	// playbook's in brackets.
	cell := await[string](t, ctx, `[...document.querySelectorAll('#plan-table tbody tr')].find((r) => r.cells[0].textContent.startsWith('Champions'))?.cells[1].textContent || ''`)
	if !strings.Contains(cell, "(") || !strings.Contains(cell, fmt.Sprintf("%.2f", p.Segments[0].Data.OrderValue)) {
		t.Errorf("champions' order value cell %q (data %v)", cell, p.Segments[0].Data.OrderValue)
	}
	if s := await[string](t, ctx, `document.querySelector('#plan-basis').textContent`); !strings.Contains(s, "30 days") {
		t.Errorf("basis note %q", s)
	}

	// The budget slider sets a budget; the checkbox sizes it again.
	clickRange(t, ctx, "#plan-budget", 0.05)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	moved := await[pagePlan](t, ctx, `window.segsim.result().plan`)
	if moved.BudgetAuto || moved.Budget == p.Budget || await[bool](t, ctx, `document.querySelector('#plan-budget-auto').checked`) {
		t.Fatalf("after a budget move: auto %v budget %v", moved.BudgetAuto, moved.Budget)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#plan-budget-auto`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.plan?.budget_auto === true`)
	if b := await[float64](t, ctx, `window.segsim.result().plan.budget`); b != p.Budget {
		t.Fatalf("sized budget %v, first %v", b, p.Budget)
	}

	// 中文: the basis note and the headers.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#plan-basis').textContent.includes('自然复购率')`)
	if h := await[string](t, ctx, `document.querySelector('#plan-table thead th:nth-child(2)').textContent`); h != "客单价（手册）" {
		t.Errorf("zh header %q", h)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}

	// The operator's own file: no industry known, the prompt asks.
	own := filepath.Join(t.TempDir(), "my_orders.csv")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(own, b, 0o644); err != nil {
		t.Fatal(err)
	}
	upload(t, ctx, own)
	poll(t, ctx, `window.segsim.result()?.plan?.playbook_default === true`)
	if s := await[string](t, ctx, `window.segsim.scenario().plan.playbook`); s != "" {
		t.Fatalf("own file kept the sample's playbook %q", s)
	}
	if await[bool](t, ctx, `document.querySelector('#plan-industry').hidden`) {
		t.Fatal("no industry prompt for an own file")
	}
}
