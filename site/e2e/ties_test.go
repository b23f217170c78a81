//go:build e2e

package e2e

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestTiesSplit: on the grocery sample most customers share F values, so
// with ties kept together two rfm11 segments are empty and the glossary
// names them; choosing "split by rank" fills them, and the page's CSV
// equals `segsim score` with the same scenario.
func TestTiesSplit(t *testing.T) {
	ctx := openPage(t, "?sample=grocery_en.csv")
	type seg struct {
		Name      string `json:"name"`
		Customers int    `json:"customers"`
	}
	count := func(name string) int {
		for _, s := range await[[]seg](t, ctx, `window.segsim.result().segments`) {
			if s.Name == name {
				return s.Customers
			}
		}
		t.Fatalf("no segment %s", name)
		return 0
	}
	if n := count("potential_loyalist"); n != 0 {
		t.Fatalf("potential_loyalist has %d customers with ties together; the sample should leave it empty", n)
	}
	if g := await[string](t, ctx, `document.querySelector('#glossary').textContent`); !strings.Contains(g, "Empty now:") {
		t.Errorf("the glossary does not name the empty segments")
	}
	choose(t, ctx, "#ties", "split")
	poll(t, ctx, `window.segsim.scenario().rfm.ties === "split"`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if n := count("potential_loyalist"); n == 0 {
		t.Fatal("potential_loyalist still empty with ties split")
	}
	if n := count("hibernating"); n == 0 {
		t.Fatal("hibernating still empty with ties split")
	}
	sc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	got := await[string](t, ctx, `window.segsim.exportCSV()`)
	sameCSV(t, "grocery with ties split", got, cliCSV(t, filepath.Join(root, "seeds", "samples", "grocery_en.csv"), sc))
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#ties option[value=split]').textContent === '按排名拆分（同 R 的 ntile）'`)
}
