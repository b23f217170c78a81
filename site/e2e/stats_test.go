//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestStatsRoundTrip: per-customer stats with every field (written by `segsim
// stats` from the grocery sample) load through the page's file input and
// give the customer CSV that scoring the orders gives, byte for byte; the
// six basic fields alone load too, and the load summary names the fields
// that are missing.
func TestStatsRoundTrip(t *testing.T) {
	orders := filepath.Join(root, "seeds", "samples", "grocery_en.csv")
	dir := t.TempDir()
	full := filepath.Join(dir, "grocery_stats.csv")
	out, err := exec.Command(cli, "stats", "--quiet", "--out", full, orders).CombinedOutput()
	if err != nil {
		t.Fatalf("segsim stats: %v\n%s", err, out)
	}
	ctx := openPage(t, "")
	uploadScored(t, ctx, full)
	got := await[string](t, ctx, `window.segsim.exportCSV()`)
	sameCSV(t, "grocery stats in the page", got, cliCSV(t, orders, nil))
	if f := await[string](t, ctx, `document.querySelector('#load-facts').textContent`); !strings.Contains(f, "per-customer stats") || strings.Contains(f, "without") {
		t.Errorf("load summary for full stats: %q", f)
	}

	// The six basic fields only.
	b, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	var six []string
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		six = append(six, strings.Join(strings.Split(line, ",")[:6], ","))
	}
	basic := filepath.Join(dir, "grocery_basic.csv")
	if err := os.WriteFile(basic, []byte(strings.Join(six, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The panels that need each order's date say so, and the buyer
	// series beside the last period's split.
	poll(t, ctx, `!document.querySelector('#buyer-series-needs').hidden && document.querySelector('#buyer-series-body').hidden && window.segsim.result().buyer_series == null`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#cohort-on`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `!document.querySelector('#cohort-needs').hidden && window.segsim.result()?.cohorts == null`)
	uploadScored(t, ctx, basic)
	poll(t, ctx, `document.querySelector('#load-facts').textContent.includes('without max_order')`)
	fromBasic := await[string](t, ctx, `window.segsim.exportCSV()`)
	// The columns six fields determine: id, dates, recency, frequency,
	// purchase days, monetary, scores, class and tier (1–12 of the CSV).
	gl, wl := strings.Split(fromBasic, "\n"), strings.Split(got, "\n")
	if len(gl) != len(wl) {
		t.Fatalf("%d lines from the basic stats, %d from the full", len(gl), len(wl))
	}
	for i := range gl {
		g, w := strings.Split(gl[i], ","), strings.Split(wl[i], ",")
		if len(g) < 12 || len(w) < 12 {
			continue
		}
		if strings.Join(g[:12], ",") != strings.Join(w[:12], ",") {
			t.Fatalf("line %d: basic %q, full %q", i+1, g[:12], w[:12])
		}
	}
}
