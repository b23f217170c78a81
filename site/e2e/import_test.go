//go:build e2e

package e2e

// Real order exports in the page: files in other encodings, .xlsx
// workbooks (read by the on-demand xlsx wasm), files whose columns are not
// recognised (the Columns panel), files that are not text at all, and the
// download of the skipped rows. Every file goes through the page's own
// file picker.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"segsim/seeds/exports"
)

// upload chooses a file with the page's file picker.
func upload(t *testing.T, ctx context.Context, file string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file})); err != nil {
		t.Fatal(err)
	}
}

// uploadScored uploads a file and waits until the page shows its result.
func uploadScored(t *testing.T, ctx context.Context, file string) {
	t.Helper()
	upload(t, ctx, file)
	poll(t, ctx, fmt.Sprintf(`window.segsim.result()?.name === %q`, filepath.Base(file)))
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
}

// uploadFailed uploads a file that cannot be loaded and waits for the
// page's error.
func uploadFailed(t *testing.T, ctx context.Context, file string) {
	t.Helper()
	upload(t, ctx, file)
	poll(t, ctx, fmt.Sprintf(`document.querySelector('#dataset-name').textContent === %q && !document.querySelector('#error').hidden`, filepath.Base(file)))
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
}

// gbkOrders writes a Taobao-shaped order report in GBK (GB18030): Chinese
// headers, order statuses, payment times, refunds, a phone column and one
// row whose date cannot be read.
func gbkOrders(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间,退款金额,收货人手机号\r\n")
	statuses := []string{"交易成功", "交易成功", "卖家已发货，等待买家确认", "交易关闭", "等待买家付款"}
	for i := range 300 {
		st := statuses[i%len(statuses)]
		created := fmt.Sprintf("2024-%02d-%02d 09:%02d:00", 1+i%12, 1+i%28, i%60)
		paid, refund := created, "0.00"
		if st == "等待买家付款" {
			paid = ""
		}
		if i%17 == 0 && st == "交易成功" {
			refund = "5.00"
		}
		fmt.Fprintf(&b, "T%05d,会员%03d,%d.%02d,%s,%s,%s,%s,1380000%04d\r\n", i, i%61, 30+i%250, i%100, st, created, paid, refund, i%61)
	}
	b.WriteString("T99999,会员999,10.00,交易成功,不是日期,不是日期,0.00,13800009999\r\n")
	enc, err := simplifiedchinese.GBK.NewEncoder().String(b.String())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "订单导出_gbk.csv")
	if err := os.WriteFile(file, []byte(enc), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// pngFile writes a small picture.
func pngFile(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range 16 {
		img.Set(i, i, color.RGBA{200, 30, 30, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "screenshot.png")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

type loadReport struct {
	Encoding    string            `json:"encoding"`
	Format      string            `json:"format"`
	BOM         bool              `json:"bom"`
	Platform    string            `json:"platform"`
	Sheet       string            `json:"sheet"`
	Sheets      []string          `json:"sheets"`
	Headers     []string          `json:"headers"`
	Roles       map[string]string `json:"roles"`
	RowsRead    int               `json:"rows_read"`
	RowsKept    int               `json:"rows_kept"`
	RowsSkipped int               `json:"rows_skipped"`
	Preview     [][]string        `json:"preview"`
}

// TestEncodedFilesMatchCLI uploads a GBK CSV with Chinese headers and a
// UTF-16LE tab-separated file with a byte order mark through the file
// picker, and compares the page's customer CSV with `segsim score`'s.
func TestEncodedFilesMatchCLI(t *testing.T) {
	ctx := openPage(t, "")
	gbk := gbkOrders(t)
	uploadScored(t, ctx, gbk)
	rep := await[loadReport](t, ctx, `window.segsim.report()`)
	if rep.Encoding != "gb18030" || rep.RowsSkipped != 1 || rep.Roles["customer"] != "买家会员名" || rep.Platform != "taobao" {
		t.Fatalf("GBK file: encoding %q, %d skipped, customer column %q, platform %q", rep.Encoding, rep.RowsSkipped, rep.Roles["customer"], rep.Platform)
	}
	summary := await[string](t, ctx, `document.querySelector('#load-summary').textContent`)
	if !strings.Contains(summary, "GB18030") || !strings.Contains(summary, "300 kept") || !strings.Contains(summary, "recognised as Taobao/Tmall order report") {
		t.Fatalf("load summary %q: want the encoding, the platform and the rows kept", summary)
	}
	sameCSV(t, "GBK file", await[string](t, ctx, `window.segsim.exportCSV()`), cliCSV(t, gbk, nil))
	statuses := await[string](t, ctx, `document.querySelector('#load-report table.statuses').textContent`)
	for _, want := range []string{"交易关闭", "refunded or cancelled: not counted", "等待买家付款", "never paid: not counted", "counted"} {
		if !strings.Contains(statuses, want) {
			t.Fatalf("status table %q lacks %q", statuses, want)
		}
	}

	// UTF-16LE with a byte order mark, tab-separated, as Excel's "Unicode
	// text" saves it.
	var b strings.Builder
	b.WriteString("Customer ID\tOrder Date\tAmount\tChannel\r\n")
	for i := range 200 {
		fmt.Fprintf(&b, "Kunde-%02d\t%d/%d/2024\t%d.%02d\tMünchen Süd\r\n", i%37, 1+i%12, 13+i%15, 10+i%90, i%100)
	}
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(b.String())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "unicode_text.txt")
	if err := os.WriteFile(file, []byte(u16), 0o644); err != nil {
		t.Fatal(err)
	}
	uploadScored(t, ctx, file)
	rep = await[loadReport](t, ctx, `window.segsim.report()`)
	if rep.Encoding != "utf-16le" || !rep.BOM || rep.Format != "tsv" || rep.RowsKept != 200 {
		t.Fatalf("UTF-16 file: encoding %q, BOM %v, format %q, %d kept", rep.Encoding, rep.BOM, rep.Format, rep.RowsKept)
	}
	sameCSV(t, "UTF-16LE tab-separated file", await[string](t, ctx, `window.segsim.exportCSV()`), cliCSV(t, file, nil))
	checkClean(t, ctx)
}

// TestXLSXOnDemand writes a workbook whose orders are on its second
// sheet, with date cells, and uploads it: the .xlsx reader is fetched only
// then, the sheet is found, the customer CSV equals `segsim score`'s for
// the workbook, and choosing the other sheet reads it instead.
func TestXLSXOnDemand(t *testing.T) {
	before := servedCount("/xlsx.wasm")
	ctx := openPage(t, "")
	if n := servedCount("/xlsx.wasm"); n != before {
		t.Fatal("the page fetched the .xlsx reader before any workbook arrived")
	}
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "这张表是说明")
	f.SetCellValue("Sheet1", "A2", "订单在第二张表")
	f.SetSheetName("Sheet1", "说明")
	if _, err := f.NewSheet("订单明细"); err != nil {
		t.Fatal(err)
	}
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yy, a date
	if err != nil {
		t.Fatal(err)
	}
	f.SetSheetRow("订单明细", "A1", &[]any{"客户ID", "下单日期", "实付金额", "订单号", "备注"})
	day := time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)
	for i := range 150 {
		cell := fmt.Sprintf("A%d", i+2)
		f.SetSheetRow("订单明细", cell, &[]any{fmt.Sprintf("C%03d", i%41), day.AddDate(0, 0, i*2), 20 + float64(i%70) + 0.5, 900000000000 + i, "备注 " + fmt.Sprint(i)})
		f.SetCellStyle("订单明细", fmt.Sprintf("B%d", i+2), fmt.Sprintf("B%d", i+2), style)
	}
	file := filepath.Join(t.TempDir(), "orders.xlsx")
	if err := f.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	uploadScored(t, ctx, file)
	rep := await[loadReport](t, ctx, `window.segsim.report()`)
	if rep.Sheet != "订单明细" || !slices.Equal(rep.Sheets, []string{"说明", "订单明细"}) || rep.RowsKept != 150 {
		t.Fatalf("workbook: sheet %q of %v, %d rows kept", rep.Sheet, rep.Sheets, rep.RowsKept)
	}
	if n := await[int](t, ctx, `window.segsim.result().customers`); n != 41 {
		t.Fatalf("%d customers, want 41", n)
	}
	if n := servedCount("/xlsx.wasm"); n != before+1 {
		t.Fatalf("xlsx.wasm served %d times for the workbook, want once", n-before)
	}
	sameCSV(t, "workbook", await[string](t, ctx, `window.segsim.exportCSV()`), cliCSV(t, file, nil))
	if v := await[string](t, ctx, `document.querySelector('#sheet-box').hidden ? '' : document.querySelector('#sheet').value`); v != "订单明细" {
		t.Fatalf("sheet picker shows %q, want the orders sheet", v)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#mapping').open = true`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "xlsx_en.png")
	// The other sheet has no orders: the page says so and offers the
	// Columns panel with that sheet's own header.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#sheet`), "说明"), chromedp.Evaluate[chromedp.Void](`document.querySelector('#sheet').dispatchEvent(new Event('change'))`)); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.error()?.code === 'missing_column' && document.querySelector('#mapping').open`)
	if h := await[[]string](t, ctx, `window.segsim.report().headers`); !slices.Equal(h, []string{"这张表是说明"}) {
		t.Fatalf("headers of the other sheet: %v", h)
	}
	if n := await[string](t, ctx, `document.querySelector('#kpi-customers').textContent`); n != "–" {
		t.Fatalf("customers KPI %q after a failed load, want –", n)
	}
	// And back.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#sheet`), "订单明细"), chromedp.Evaluate[chromedp.Void](`document.querySelector('#sheet').dispatchEvent(new Event('change'))`)); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.customers === 41`)
	checkClean(t, ctx)
}

// servedCount counts the local server's answers for a path.
func servedCount(path string) int {
	reqMu.Lock()
	defer reqMu.Unlock()
	n := 0
	for _, p := range served {
		if p == path {
			n++
		}
	}
	return n
}

// selectRole chooses a column for a role in the Columns panel as a user
// does (the select changes and says so).
func selectRole(role, column string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const sel = document.querySelector('#roles select[data-role=%q]');
		sel.value = %q;
		sel.dispatchEvent(new Event('change', {bubbles: true}));
	})()`, role, column))
}

// TestMappingPanel uploads a file whose headers mean nothing to the core:
// the page shows the Columns panel with the file's own headers and first
// rows instead of a dead end, the user assigns customer, date and amount
// and a column to carry, reads again, and the result equals the command
// line's with the same mapping.
func TestMappingPanel(t *testing.T) {
	ctx := openPage(t, "")
	var b strings.Builder
	b.WriteString("A,B,C,D\n")
	for i := range 120 {
		fmt.Fprintf(&b, "u%02d,2024-%02d-%02d,%d.50,store-%d\n", i%23, 1+i%12, 1+i%28, 5+i%60, i%3)
	}
	file := filepath.Join(t.TempDir(), "export_unlabelled.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	uploadFailed(t, ctx, file)
	if code := await[string](t, ctx, `window.segsim.error().code`); code != "missing_column" {
		t.Fatalf("error code %q, want missing_column", code)
	}
	poll(t, ctx, `document.querySelector('#mapping').open && !document.querySelector('#mapping-missing').hidden`)
	errText := await[string](t, ctx, `document.querySelector('#error').textContent`)
	if !strings.Contains(errText, "customer id, order date, amount (or quantity and unit price)") {
		t.Fatalf("error %q does not name the missing roles", errText)
	}
	head := await[[]string](t, ctx, `[...document.querySelectorAll('#preview thead tr:first-child th')].map(th => th.textContent)`)
	if !slices.Equal(head, []string{"A", "B", "C", "D"}) {
		t.Fatalf("preview header %v", head)
	}
	if n := await[int](t, ctx, `document.querySelectorAll('#preview tbody tr').length`); n != 5 {
		t.Fatalf("preview shows %d rows, want 5", n)
	}
	if kpi := await[string](t, ctx, `document.querySelector('#kpi-customers').textContent`); kpi != "–" {
		t.Fatalf("customers KPI %q while no data is loaded", kpi)
	}
	if err := chromedp.Do(ctx, selectRole("customer", "A"), selectRole("date", "B"), selectRole("amount", "C")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `[...document.querySelectorAll('#carry input')].map(x => x.value).join() === 'D'`)
	// The whole top of the page: the error under the file picker and the panel.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 1240), chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "mapping_en.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#apply-mapping').textContent === '重新读取'`)
	// The language switch keeps the choices made.
	if v := await[string](t, ctx, `document.querySelector('#roles select[data-role=amount]').value`); v != "C" {
		t.Fatalf("amount column %q after switching language, want C", v)
	}
	screenshot(t, ctx, "mapping_zh.png")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 1000)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#carry input[value=D]`)), chromedp.Click(chromedp.CSS(`#apply-mapping`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `window.segsim.result()?.name === "export_unlabelled.csv"`)
	await[json.RawMessage](t, ctx, `window.segsim.idle()`)
	if n := await[int](t, ctx, `window.segsim.result().customers`); n != 23 {
		t.Fatalf("%d customers, want 23", n)
	}
	got := await[string](t, ctx, `window.segsim.exportCSV()`)
	if !strings.HasSuffix(strings.SplitN(got, "\n", 2)[0], ",D") {
		t.Fatalf("customer CSV header %q: the carried column D is not at the end", strings.SplitN(got, "\n", 2)[0])
	}
	sameCSV(t, "mapped file", got, cliCSV(t, file, nil, "--map", "customer=A,date=B,amount=C", "--carry", "D"))
	if !await[bool](t, ctx, `document.querySelector('#error').hidden && !document.querySelector('#export-csv').disabled`) {
		t.Fatal("after reading again the error stays or the export is disabled")
	}
	// The panel stays reachable after a successful load, with the roles chosen.
	if v := await[string](t, ctx, `document.querySelector('#roles select[data-role=customer]').value`); v != "A" {
		t.Fatalf("customer column %q in the panel after the load", v)
	}
	checkClean(t, ctx)
}

// TestNotTextClears loads a sample, then uploads a picture: the page says
// in words what the file is and what to do, the previous dataset's
// numbers, tables and exports are gone (from the moment the load started),
// and they stay gone.
func TestNotTextClears(t *testing.T) {
	ctx := openPage(t, "?sample=cdnow.csv")
	if kpi := await[string](t, ctx, `document.querySelector('#kpi-customers').textContent`); kpi == "–" {
		t.Fatal("no customers shown for the sample")
	}
	// Cleared before the bytes are read: right after the load starts.
	cleared := await[[]string](t, ctx, `(() => {
		window.segsim.load("customer_id,order_date,amount\na,2024-01-02,10\n", {name: "tiny.csv"});
		return [document.querySelector('#kpi-customers').textContent, document.querySelector('#kpi-revenue').textContent,
			String(document.querySelector('#export-csv').disabled), String(document.querySelectorAll('#table-segments tr').length),
			String(document.querySelectorAll('#customers tr').length)];
	})()`)
	if !slices.Equal(cleared, []string{"–", "–", "true", "0", "0"}) {
		t.Fatalf("as a new load starts: KPIs, export disabled, table rows = %v", cleared)
	}
	poll(t, ctx, `window.segsim.result()?.name === "tiny.csv"`)
	uploadFailed(t, ctx, pngFile(t))
	if e := await[string](t, ctx, `document.querySelector('#error').textContent`); !strings.Contains(e, "The file is a picture (PNG), not an order export in text.") ||
		!strings.Contains(e, "Export the orders from your shop back-end as CSV or .xlsx instead.") {
		t.Fatalf("error shown for a picture: %q", e)
	}
	if c := await[string](t, ctx, `window.segsim.error().kind`); c != "png" {
		t.Fatalf("error kind %q, want png", c)
	}
	state := await[[]string](t, ctx, `[document.querySelector('#kpi-customers').textContent, String(document.querySelector('#export-csv').disabled),
		String(document.querySelector('#export-charts').disabled), String(document.querySelectorAll('#table-segments tr').length), String(window.segsim.result())]`)
	if !slices.Equal(state, []string{"–", "true", "true", "0", "null"}) {
		t.Fatalf("after the failed load: KPI, exports disabled, table rows, result = %v", state)
	}
	// A knob moved meanwhile changes the scenario and shows no error of
	// its own; the next file is scored with it.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#scheme`), "rfm8"), chromedp.Evaluate[chromedp.Void](`document.querySelector('#scheme').dispatchEvent(new Event('change'))`)); err != nil {
		t.Fatal(err)
	}
	if e := await[string](t, ctx, `window.segsim.error().kind`); e != "png" {
		t.Fatalf("after a knob moved the error is %q", e)
	}
	// An old Excel workbook: the advice is to save it as .xlsx or CSV.
	xls := filepath.Join(t.TempDir(), "old.xls")
	os.WriteFile(xls, append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 600)...), 0o644)
	uploadFailed(t, ctx, xls)
	if e := await[string](t, ctx, `document.querySelector('#error-advice').textContent`); e != "Open it in Excel or WPS and save it as .xlsx or CSV UTF-8." {
		t.Fatalf("advice for .xls: %q", e)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#error-advice').textContent === '请用 Excel 或 WPS 打开，另存为 .xlsx 或 CSV UTF-8。'`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
	uploadScored(t, ctx, gbkOrders(t))
	if s := await[string](t, ctx, `window.segsim.scenario().segments.scheme`); s != "rfm8" {
		t.Fatalf("scheme %q after the next load, want the rfm8 chosen meanwhile", s)
	}
	checkClean(t, ctx)
}

// asciiWords lists the words of ASCII letters in the page's load and
// error area (the status, the load summary, the error, the Columns panel,
// the load and cleaning reports), leaving out values: column names, cell
// values, file, sheet and encoding names (elements of class v).
const asciiWords = `(() => {
	const words = [];
	for (const sel of ['#data .status', '#load-summary', '#error', '#mapping', '#load-report', '#clean-report']) {
		const el = document.querySelector(sel).cloneNode(true);
		el.querySelectorAll('.v').forEach(v => v.remove());
		// Hidden parts are not seen.
		el.querySelectorAll('[hidden]').forEach(v => v.remove());
		words.push(...(el.textContent.match(/[A-Za-z]+/g) || []));
	}
	return words;
})()`

// allowedWords are names of file formats and standards that Chinese
// interfaces write as they are (CSV UTF-8, .xlsx, 客户 ID).
var allowedWords = []string{"CSV", "UTF", "xlsx", "xls", "PNG", "ID", "Excel", "WPS"}

// TestChineseLoadMessages loads, in 中文, a GBK file with a bad row and
// then a picture, and checks that no English word shows in the load and
// error area (column names, values and file names aside).
func TestChineseLoadMessages(t *testing.T) {
	ctx := openPage(t, "")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.documentElement.lang === "zh-CN"`)
	uploadScored(t, ctx, gbkOrders(t))
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#mapping').open = true`)); err != nil {
		t.Fatal(err)
	}
	checkWords := func(what string) {
		t.Helper()
		var bad []string
		for _, w := range await[[]string](t, ctx, asciiWords) {
			if !slices.Contains(allowedWords, w) {
				bad = append(bad, w)
			}
		}
		if len(bad) > 0 {
			t.Fatalf("%s: English words in the Chinese load area: %v", what, bad)
		}
	}
	report := await[string](t, ctx, `document.querySelector('#load-report').textContent`)
	for _, want := range []string{"日期无法识别", "识别为淘宝/天猫订单报表", "编码", "已退款或已取消：不计入", "未付款：不计入"} {
		if !strings.Contains(report+await[string](t, ctx, `document.querySelector('#load-summary').textContent`), want) {
			t.Fatalf("load report %q lacks %q", report, want)
		}
	}
	checkWords("GBK file with a bad row")
	uploadFailed(t, ctx, pngFile(t))
	if e := await[string](t, ctx, `document.querySelector('#error').textContent`); !strings.Contains(e, "该文件是图片（PNG），不是文本格式的订单导出。") {
		t.Fatalf("error in Chinese: %q", e)
	}
	checkWords("picture")
	// A title above the header and ids Excel wrote in scientific
	// notation: the load report's warnings are said in Chinese too.
	warned := filepath.Join(t.TempDir(), "warned.csv")
	if err := os.WriteFile(warned, []byte("2024年订单\ncustomer_id,order_date,amount\n1.38001E+10,2024-01-02,5\nM2,2024-01-03,6\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	uploadScored(t, ctx, warned)
	report = await[string](t, ctx, `document.querySelector('#load-report').textContent`)
	for _, want := range []string{"表头在第 2 行；其上方的行（标题或备注）已跳过", "customer_id 列中有 1 个编号是科学计数法（如 2.38712E+17）"} {
		if !strings.Contains(report, want) {
			t.Fatalf("load report %q lacks %q", report, want)
		}
	}
	checkWords("warnings")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, `document.querySelector('#load-report').textContent.includes('1 ids in column customer_id are in scientific notation (such as 2.38712E+17)')`)
}

// TestRejectsDownload uploads a file with bad rows of several kinds,
// downloads the skipped rows with the page's button, and compares the file
// with the one `segsim score --rejects` writes; in Chinese the header and
// the reasons are in Chinese.
func TestRejectsDownload(t *testing.T) {
	ctx := openPage(t, "")
	var b strings.Builder
	b.WriteString("customer_id,order_date,amount,note\n")
	for i := range 60 {
		fmt.Fprintf(&b, "c%02d,2024-03-%02d,%d.00,ok\n", i%17, 1+i%28, 10+i)
		switch i {
		case 5:
			b.WriteString("c99,someday,12.00,\"late, maybe\"\n")
		case 9:
			b.WriteString("c98,2024-03-04,twelve,\"a \"\"quoted\"\" note\"\n")
		case 14:
			b.WriteString(",2024-03-05,8.00,no customer\n")
		case 20:
			b.WriteString("c97,2024-03-06\n")
		case 30:
			b.WriteString("c96,,5.00,no date\n")
		}
	}
	file := filepath.Join(t.TempDir(), "with_bad_rows.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	uploadScored(t, ctx, file)
	poll(t, ctx, `!document.querySelector('#export-rejects').hidden`)
	dir := downloadsTo(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#export-rejects`))); err != nil {
		t.Fatal(err)
	}
	got := waitFile(t, filepath.Join(dir, "with_bad_rows_skipped.csv"))
	// The charts as PNG, through the same downloads.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#export-charts`))); err != nil {
		t.Fatal(err)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "with_bad_rows_*.png"))
	for deadline := time.Now().Add(10 * time.Second); len(pngs) == 0 && time.Now().Before(deadline); pngs, _ = filepath.Glob(filepath.Join(dir, "with_bad_rows_*.png")) {
		time.Sleep(50 * time.Millisecond)
	}
	if len(pngs) == 0 {
		t.Fatal("no chart PNG downloaded")
	}
	if img, err := png.Decode(bytes.NewReader(waitFile(t, pngs[0]))); err != nil || img.Bounds().Dx() < 100 {
		t.Fatalf("%s is not a chart picture: %v", pngs[0], err)
	}
	want := filepath.Join(t.TempDir(), "rejects.csv")
	cliCSV(t, file, nil, "--rejects", want)
	wantBytes, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, wantBytes) {
		t.Fatalf("the page's skipped rows differ from the command line's:\npage: %q\ncli:  %q", got, wantBytes)
	}
	if n := bytes.Count(got, []byte("\n")); n < 6 {
		t.Fatalf("%d lines in the skipped rows file, want the header and 5 rows", n)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-zh`))); err != nil {
		t.Fatal(err)
	}
	zh := await[string](t, ctx, `window.segsim.rejectsCSV()`)
	if !strings.HasPrefix(zh, "\ufeff行号,列,值,原因,原始行\n") || !strings.Contains(zh, "日期无法识别") || !strings.Contains(zh, `"c98,2024-03-04,twelve,""a """"quoted"""" note"""`) {
		t.Fatalf("skipped rows in Chinese:\n%s", zh)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang-en`))); err != nil {
		t.Fatal(err)
	}
	// Every row skipped: nothing usable, yet the skipped rows can still be
	// downloaded, and the reasons are in the load report.
	bad := filepath.Join(t.TempDir(), "all_bad.csv")
	os.WriteFile(bad, []byte("customer_id,order_date,amount\na,soon,1\nb,later,2\n"), 0o644)
	uploadFailed(t, ctx, bad)
	if code := await[string](t, ctx, `window.segsim.error().code`); code != "nothing_usable" {
		t.Fatalf("error code %q, want nothing_usable", code)
	}
	rows := await[string](t, ctx, `document.querySelector('#export-rejects').hidden ? '' : window.segsim.rejectsCSV()`)
	if strings.Count(rows, "\n") != 3 {
		t.Fatalf("skipped rows of a file with nothing usable:\n%s", rows)
	}
}

// waitFile waits for a downloaded file to be complete.
func waitFile(t *testing.T, path string) []byte {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		b, err := os.ReadFile(path)
		if err == nil && len(b) > 0 {
			return b
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(filepath.Dir(path))
			t.Fatalf("no file %s downloaded (%v): %v", filepath.Base(path), entries, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestExportCorpus hands every file of the export corpus (seeds/exports:
// encodings, workbooks, shop platforms, date and amount spellings) to the
// page through its file input, and checks that the page's customer CSV
// equals the command line's and gives each customer the expected first
// and last day, orders and revenue from the generator's ground truth.
func TestExportCorpus(t *testing.T) {
	files, err := exports.Corpus()
	if err != nil {
		t.Fatal(err)
	}
	ctx := openPage(t, "")
	dir := t.TempDir()
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		uploadScored(t, ctx, path)
		got := await[string](t, ctx, `window.segsim.exportCSV()`)
		sameCSV(t, f.Name, got, cliCSV(t, path, nil))
		recs, err := csv.NewReader(strings.NewReader(got)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		rows := map[string][]string{}
		for _, r := range recs[1:] {
			rows[r[0]] = r
		}
		if len(rows) != len(f.Expected) {
			t.Errorf("%s: %d customers, want %d", f.Name, len(rows), len(f.Expected))
		}
		for _, e := range f.Expected {
			r, ok := rows[e.CustomerID]
			if !ok {
				t.Errorf("%s: customer %q missing", f.Name, e.CustomerID)
				continue
			}
			// customer_id, first_date, last_date, recency_days, frequency, purchase_days, monetary
			if r[1] != e.First || r[2] != e.Last || r[4] != strconv.Itoa(e.Frequency) || r[6] != e.Monetary() {
				t.Errorf("%s: %s = %s..%s ×%s %s; want %s..%s ×%d %s", f.Name, e.CustomerID, r[1], r[2], r[4], r[6], e.First, e.Last, e.Frequency, e.Monetary())
			}
		}
	}
	checkClean(t, ctx)
}

// TestStatsFile loads a per-customer stats file (as a warehouse query
// writes it) through the file input: the page scores it as the command
// line does.
func TestStatsFile(t *testing.T) {
	ctx := openPage(t, "")
	var b strings.Builder
	b.WriteString("customer_id,first_date,last_date,orders,purchase_days,revenue\n")
	for i := range 300 {
		orders := 1 + i%7
		fmt.Fprintf(&b, "s%03d,2024-%02d-%02d,2025-%02d-%02d,%d,%d,%d.%02d\n", i, 1+i%12, 1+i%28, 1+i%12, 1+(i*3)%28, orders, min(orders, 1+i%3), 20+i*3, i%100)
	}
	file := filepath.Join(t.TempDir(), "stats.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	uploadScored(t, ctx, file)
	if got := await[string](t, ctx, `window.segsim.report().format`); got != "stats csv" {
		t.Fatalf("format %q", got)
	}
	sameCSV(t, "stats file", await[string](t, ctx, `window.segsim.exportCSV()`), cliCSV(t, file, nil))
	checkClean(t, ctx)
}
