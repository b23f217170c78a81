//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"segsim/core/parquetfile/parquettest"
)

// TestParquet: the CDNOW orders written as Parquet (dates as DATE,
// amounts as DECIMAL) load through the page's file input — the Parquet
// reader's wasm fetched on demand — and score as the CSV does, as the
// command line scores the same Parquet file; a damaged Parquet file says
// so in both languages.
func TestParquet(t *testing.T) {
	src := filepath.Join(root, "seeds", "samples", "cdnow.csv")
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	pq, err := parquettest.CDNOW(raw)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "cdnow.parquet")
	if err := os.WriteFile(file, pq, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := openPage(t, "")
	uploadScored(t, ctx, file)
	got := await[string](t, ctx, `window.segsim.exportCSV()`)
	want := cliCSV(t, src, nil)
	sameCSV(t, "CDNOW from Parquet in the page", got, want)
	sameCSV(t, "CDNOW from Parquet on the command line", cliCSV(t, file, nil), want)
	if f := await[string](t, ctx, `document.querySelector('#load-facts').textContent`); !strings.Contains(f, "read from Parquet") {
		t.Errorf("load summary %q does not say Parquet", f)
	}

	bad := filepath.Join(t.TempDir(), "cut.parquet")
	if err := os.WriteFile(bad, pq[:len(pq)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	uploadFailed(t, ctx, bad)
	if e := await[string](t, ctx, `document.querySelector('#error').textContent`); !strings.Contains(e, "Parquet file could not be read") {
		t.Errorf("error shown %q", e)
	}
}
