//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPredictionsDownload: with predictions on, the Predictions panel
// downloads each customer's P(alive), expected purchases at 13, 26 and 52
// weeks, expected spend and CLV side by side with their 90% intervals —
// the file `segsim fit --predictions-out --intervals 0.9` writes (numbers
// within a cent or 0.1%: the fit runs in the browser) — with a Chinese
// header on the Chinese page.
func TestPredictionsDownload(t *testing.T) {
	ctx := openPage(t, "?sample=cdnow.csv")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#predict-on`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `!!window.segsim.result()?.prediction?.churn`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	dir := downloadsTo(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#export-predictions`))); err != nil {
		t.Fatal(err)
	}
	got := string(waitFile(t, filepath.Join(dir, "cdnow_predictions.csv")))
	file := filepath.Join(root, "seeds", "samples", "cdnow.csv")
	out := filepath.Join(t.TempDir(), "pred.csv")
	if b, err := exec.Command(cli, "fit", "--predictions-out", out, "--intervals", "0.9", file).CombinedOutput(); err != nil {
		t.Fatalf("segsim fit: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "\ufeffcustomer_id,frequency,recency,T,p_alive,expected_purchases_13,") {
		t.Fatalf("header %q", strings.SplitN(got, "\n", 2)[0])
	}
	closeCSV(t, "predictions", strings.TrimPrefix(got, "\ufeff"), string(want), 0.001)

	saved := filepath.Join(dir, "cdnow_predictions.csv")
	if err := os.Remove(saved); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`)), chromedp.Click(chromedp.CSS(`#export-predictions`))); err != nil {
		t.Fatal(err)
	}
	head := strings.SplitN(string(waitFile(t, saved)), "\n", 2)[0]
	if !strings.HasPrefix(head, "\ufeff客户ID,") || !strings.Contains(head, "客户终身价值_52_上限") {
		t.Fatalf("Chinese header %q", head)
	}
	// The language is kept between visits: leave the next test English.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
}
