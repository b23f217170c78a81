//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

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
	dir := downloadsTo(t, ctx)
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
		got := string(waitFile(t, saved))
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

// downloadsTo sends the browser's downloads to a new temporary folder and
// returns it.
func downloadsTo(t *testing.T, ctx context.Context) string {
	t.Helper()
	dir := t.TempDir()
	allowDownloads(t, ctx, dir)
	return dir
}

// allowDownloads sends the browser's downloads to dir.
func allowDownloads(t *testing.T, ctx context.Context, dir string) {
	t.Helper()
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
}
