//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestLargeFileInTwoParts uploads files over 16 MiB, which the page reads
// in two halves at once on a machine with three or more processor cores
// (the test has the browser report four, and then two, where only files
// of 64 MiB or more are read in two parts; a second instance of the core
// reads the second half), and checks the customer
// CSV against the command line's byte for byte. In the second file the
// middle falls inside a quoted note whose text reads like an order row:
// the second instance starts there, the first finds that its own rows do
// not end there, refuses the part and reads the rest itself, with the
// same result.
func TestLargeFileInTwoParts(t *testing.T) {
	ctx := openPage(t, "")
	for _, c := range []struct {
		name    string
		quoted  bool
		refused bool
		utf16   bool
		cores   int64
	}{{"halves.csv", false, false, false, 4}, {"quoted.csv", true, true, false, 4}, {"utf16.csv", false, true, true, 4}, {"two cores.csv", false, false, false, 2}} {
		// The page reads a large file in two parts from three processor
		// cores: the browser is told how many this machine has.
		if _, err := chromedp.Call(ctx, emulation.SetHardwareConcurrencyOverride, emulation.SetHardwareConcurrencyOverrideParams{HardwareConcurrency: c.cores}); err != nil {
			t.Fatal(err)
		}
		cores := await[int](t, ctx, `navigator.hardwareConcurrency`)
		if cores != int(c.cores) {
			t.Fatalf("the page sees %d processor cores, not %d", cores, c.cores)
		}
		data := twoPartFile(c.quoted)
		if c.utf16 {
			// An Excel "Unicode text" save: the second instance cannot
			// read it in parts, hands the bytes back, and the first
			// decodes the whole file.
			data = utf16LE(data[:len(data)/2+bytes.IndexByte(data[len(data)/2:], '\n')+1])
		}
		file := filepath.Join(t.TempDir(), c.name)
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file})); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, fmt.Sprintf(`window.segsim.result()?.name === %q`, c.name))
		await[any](t, ctx, `window.segsim.idle()`)
		split := await[bool](t, ctx, `window.segsim.timings().at(-1).split`)
		partError := await[string](t, ctx, `window.segsim.timings().at(-1).partError`)
		switch {
		case cores < 3 && split:
			t.Errorf("%s: read in two parts with %d processor cores", c.name, cores)
		case cores >= 3 && split == c.refused:
			t.Errorf("%s: read in two parts %v, want %v (%s)", c.name, split, !c.refused, partError)
		case cores >= 3 && c.refused && partError == "":
			t.Errorf("%s: the part was refused without a reason", c.name)
		}
		t.Logf("%s: %d processor cores, %s", c.name, cores, await[string](t, ctx, `JSON.stringify(window.segsim.timings().at(-1))`))
		if skipped := await[int](t, ctx, `window.segsim.result().load.rows_skipped`); skipped != 2 {
			t.Errorf("%s: %d rows skipped, want 2", c.name, skipped)
		}
		got := await[string](t, ctx, `window.segsim.exportCSV()`)
		want := cliCSV(t, file, nil)
		sameCSV(t, c.name, got, want)
		if c.name != "halves.csv" {
			continue
		}
		// Read again with other options: the core dropped the file's
		// bytes after the first load, and the worker reads the file again.
		loads := await[int](t, ctx, `window.segsim.timings().length`)
		await[bool](t, ctx, `document.querySelector('#mapping').open = true`)
		if err := chromedp.Do(ctx,
			chromedp.SetValue(chromedp.CSS(`#date-format`), "ymd"),
			chromedp.Click(chromedp.CSS(`#apply-mapping`)),
		); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, fmt.Sprintf(`window.segsim.timings().length > %d`, loads))
		await[any](t, ctx, `window.segsim.idle()`)
		t.Logf("%s read again: %s", c.name, await[string](t, ctx, `JSON.stringify(window.segsim.timings().at(-1))`))
		if last := await[string](t, ctx, `JSON.stringify([window.segsim.timings().at(-1).streamed, window.segsim.result().load.date_format])`); last != `[true,"ymd"]` {
			t.Fatalf("read again: streamed and date format %s, want the file read again as ymd while it arrives", last)
		}
		sameCSV(t, c.name+" read again", await[string](t, ctx, `window.segsim.exportCSV()`), want)
	}
}

// utf16LE encodes ASCII text as UTF-16LE with a byte order mark.
func utf16LE(text []byte) []byte {
	out := make([]byte, 0, 2+2*len(text))
	out = append(out, 0xff, 0xfe)
	for _, c := range text {
		out = append(out, c, 0)
	}
	return out
}

// twoPartFile writes a file of about 17 MiB with an order id, two bad
// rows, some quoted notes with newlines and, with quoted, in every row a
// note whose second line reads like an order row; rows are added at the
// end until the file's middle falls before such a line.
func twoPartFile(quoted bool) []byte {
	rng := rand.New(rand.NewPCG(11, 12))
	var b bytes.Buffer
	b.WriteString("customer_id,order_id,order_date,amount,note\r\n")
	row := func(i int) {
		date := fmt.Sprintf("2025-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28))
		if i == 1000 || i == 100000 {
			date = "soon"
		}
		note := ""
		switch {
		case quoted:
			note = "\"see\nXinner,O1,2025-01-01,1.00,below\""
		case rng.IntN(100) == 0:
			note = "\"gift, wrapped\nleave at door\""
		}
		fmt.Fprintf(&b, "C%06d,O%07d,%s,%d.%02d,%s\n", rng.IntN(90000), i, date, 5+rng.IntN(400), rng.IntN(100), note)
	}
	i := 0
	for b.Len() < 17<<20 {
		row(i)
		i++
	}
	for quoted {
		data := b.Bytes()
		at := len(data) / 2
		nl := at - 1 + bytes.IndexByte(data[at-1:], '\n')
		if bytes.HasPrefix(data[nl+1:], []byte("Xinner")) {
			break
		}
		row(i)
		i++
	}
	return b.Bytes()
}
