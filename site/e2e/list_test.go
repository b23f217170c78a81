//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// TestListExport filters the customer list to one tier, one stage and one
// planned action and downloads each as its own CSV, in Chinese and in
// English: each file must be byte for byte what segsim score --only
// writes for the same scenario (with a byte order mark), and the list's
// count must match it.
func TestListExport(t *testing.T) {
	ctx := openPage(t, "?sample=grocery_en.csv")
	await[json.RawMessage](t, ctx, `window.segsim.setPlan(true)`)
	sc := await[json.RawMessage](t, ctx, `window.segsim.scenario()`)
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(root, "seeds", "samples", "grocery_en.csv")
	for _, c := range []struct{ kind, name, lang string }{
		{"tier", "core", "zh"},
		{"stage", "at_risk", "en"},
		{"action", "holdout", "zh"},
	} {
		if err := chromedp.Do(ctx,
			chromedp.SetValue(chromedp.CSS(`#cust-kind`), c.kind),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#cust-kind').dispatchEvent(new Event('change'))`),
		); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, fmt.Sprintf(`[...document.querySelectorAll('#cust-segment option')].some(o => o.value === %q)`, c.name))
		if err := chromedp.Do(ctx,
			chromedp.SetValue(chromedp.CSS(`#cust-segment`), c.name),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#cust-segment').dispatchEvent(new Event('change'))`),
			chromedp.SetValue(chromedp.CSS(`#csv-lang`), c.lang),
			chromedp.Click(chromedp.CSS(`#export-list`)),
		); err != nil {
			t.Fatal(err)
		}
		saved := filepath.Join(dir, fmt.Sprintf("grocery_en_customers_%s_%s.csv", c.kind, c.name))
		got := downloaded(t, saved)
		want := cliCSV(t, file, sc, "--plan", "--only", c.kind+"="+c.name, "--lang", c.lang)
		if c.lang == "en" {
			// The page's downloads start with a byte order mark for Excel.
			want = "\ufeff" + want
		}
		sameCSV(t, c.kind+"="+c.name, got, want)
		rows := strings.Count(want, "\n") - 1
		poll(t, ctx, fmt.Sprintf(`document.querySelector('#page-info').textContent.endsWith('(%s)')`, fmtThousands(rows)))
		if rows == 0 {
			t.Errorf("%s=%s: an empty list proves nothing", c.kind, c.name)
		}
	}
	checkClean(t, ctx)
}

// downloaded waits for a download to land at path and returns it.
func downloaded(t *testing.T, path string) string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no file downloaded to %s", filepath.Base(path))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
