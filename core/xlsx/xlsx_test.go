package xlsx

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"segsim/core/ingest"
)

// workbook writes a workbook with a notes sheet and an orders sheet whose
// dates are date cells, amounts numbers and order ids 18-digit numbers.
func workbook(t testing.TB, date1904 bool) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if date1904 {
		on := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on}); err != nil {
			t.Fatal(err)
		}
	}
	f.SetSheetName("Sheet1", "说明")
	f.SetCellValue("说明", "A1", "本表由后台导出")
	f.NewSheet("订单")
	style, err := f.NewStyle(&excelize.Style{NumFmt: 22}) // m/d/yy h:mm
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"订单号", "会员ID", "下单时间", "实付金额", "订单状态"},
		{int64(238712345678901234), "13800138000", time.Date(2024, 1, 2, 15, 4, 0, 0, time.UTC), 12.5, "交易成功"},
		{int64(238712345678901235), "13800138001", time.Date(2024, 2, 29, 9, 0, 0, 0, time.UTC), 1249, "交易成功"},
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if tm, ok := v.(time.Time); ok && date1904 {
				// excelize writes time.Time in the 1900 system: give the
				// 1904 serial by hand.
				v = tm.Sub(time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)).Hours() / 24
			}
			if err := f.SetCellValue("订单", cell, v); err != nil {
				t.Fatal(err)
			}
			if c == 2 && r > 0 {
				f.SetCellStyle("订单", cell, cell, style)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestToCSV(t *testing.T) {
	for _, date1904 := range []bool{false, true} {
		out, info, err := ToCSV(workbook(t, date1904), "")
		if err != nil {
			t.Fatal(err)
		}
		want := "订单号,会员ID,下单时间,实付金额,订单状态\n" +
			"238712345678901234,13800138000,2024-01-02,12.5,交易成功\n" +
			"238712345678901235,13800138001,2024-02-29,1249,交易成功\n"
		if string(out) != want || info.Sheet != "订单" || info.Date1904 != date1904 || len(info.Sheets) != 2 || info.Rows != 3 {
			t.Errorf("1904=%v: info %+v\n%s", date1904, info, out)
		}
	}
	out, info, err := ToCSV(workbook(t, false), "1")
	if err != nil || info.Sheet != "说明" || !strings.Contains(string(out), "本表由后台导出") {
		t.Errorf("--sheet 1: %v %+v %s", err, info, out)
	}
	if _, _, err := ToCSV(workbook(t, false), "Orders"); !errors.Is(err, ErrNoSheet) || !strings.Contains(err.Error(), `"订单"`) {
		t.Errorf("unknown sheet: %v", err)
	}
	if _, _, err := ToCSV([]byte("PK\x03\x04 not really"), ""); err == nil {
		t.Error("a broken workbook read without error")
	}
}

// FuzzToCSV feeds arbitrary bytes (seeded with real workbooks) to ToCSV
// and what it returns to ingest.Parse: nothing may panic, and rows read
// must equal rows kept plus rows skipped.
func FuzzToCSV(f *testing.F) {
	f.Add(workbook(f, false))
	f.Add(workbook(f, true))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, _, err := ToCSV(data, "")
		if err != nil {
			return
		}
		_, rep, _ := ingest.Parse(out, ingest.Options{})
		if rep != nil && rep.RowsRead != rep.RowsKept+rep.RowsSkipped {
			t.Fatalf("read %d != kept %d + skipped %d", rep.RowsRead, rep.RowsKept, rep.RowsSkipped)
		}
	})
}
