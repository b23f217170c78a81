package exports

import (
	"fmt"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet names of the workbooks.
const (
	backendNotesSheet  = "说明"
	backendOrdersSheet = "订单"
	excel1904Sheet     = "Orders"
)

// backendXLSX is a back end's .xlsx export: a notes sheet first, then the
// orders with real date cells, number amounts, 18-digit number order
// ids, text customer ids and a 合计 (total) line at the end.
func backendXLSX() (File, error) {
	const name = "backend_orders.xlsx"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 104, neverCount: 5, spell: zhSpelling, products: zhProducts, payTime: true, maxLines: 3, shipping: true,
		person: func(r rng, seen map[string]bool) Person {
			id := unique(seen, func() string {
				if r.chance(0.5) {
					return "1" + pick(r, []string{"38", "39", "58", "86", "77"}) + r.digits(8)
				}
				return "VIP" + r.digits(6)
			})
			return Person{ID: id}
		},
		orderID: func() func(rng, *Order) string {
			n := 0
			return func(r rng, o *Order) string {
				n++
				return o.Created.Format("20060102150405") + fmt.Sprintf("%04d", n)
			}
		}(),
	})
	data, err := writeBackend(orders)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "xlsx: notes sheet first, 订单 sheet with date cells, number amounts, 18-digit number order ids, a 合计 line",
		data, orders, columns{payTime: true}, len(orders)+1, 1), nil
}

// writeBackend writes the back-end workbook.
func writeBackend(orders []Order) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", backendNotesSheet); err != nil {
		return nil, fmt.Errorf("notes sheet: %w", err)
	}
	notes := []string{"订单导出说明", "导出时间：2026-01-05 10:00:00", "金额单位：元", "数据范围：2023-01-01 至 2025-12-31", "本表由后台自动生成，请勿修改表头"}
	for i, n := range notes {
		if err := f.SetCellStr(backendNotesSheet, "A"+strconv.Itoa(i+1), n); err != nil {
			return nil, fmt.Errorf("notes: %w", err)
		}
	}
	if _, err := f.NewSheet(backendOrdersSheet); err != nil {
		return nil, fmt.Errorf("orders sheet: %w", err)
	}
	s := sheetWriter{f: f, sheet: backendOrdersSheet}
	s.row("会员ID", "订单号", "下单时间", "付款时间", "商品总价", "实付金额", "订单状态")
	var goods, paid int64
	for _, o := range orders {
		id, _ := strconv.ParseInt(o.ID, 10, 64)
		var payTime any
		if !o.PaidAt.IsZero() {
			payTime = o.PaidAt
		}
		s.row(o.Buyer.ID, id, o.Created, payTime, cellMoney(o.Goods), cellMoney(o.Paid), o.StatusText)
		goods += o.Goods
		paid += o.Paid
	}
	s.row("合计", nil, nil, nil, cellMoney(goods), cellMoney(paid), nil)
	last := strconv.Itoa(s.n)
	s.style("C2", "D"+last, "yyyy-mm-dd hh:mm:ss")
	s.style("E2", "F"+last, "0.00")
	if s.err != nil {
		return nil, s.err
	}
	return workbookBytes(f)
}

// cellMoney is cents as an Excel number.
func cellMoney(c int64) float64 { return float64(c) / 100 }

// sheetWriter appends rows to one sheet and keeps the first error.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	n     int // rows written
	err   error
}

// row appends one row; a nil value leaves its cell empty, a string is a
// text cell, a time.Time a date serial, an int64 or float64 a number.
func (s *sheetWriter) row(values ...any) {
	s.n++
	for i, v := range values {
		if v == nil || s.err != nil {
			continue
		}
		cell, err := excelize.CoordinatesToCellName(i+1, s.n)
		if err != nil {
			s.err = fmt.Errorf("cell: %w", err)
			return
		}
		switch v := v.(type) {
		case string:
			err = s.f.SetCellStr(s.sheet, cell, v)
		case float64:
			err = s.f.SetCellFloat(s.sheet, cell, v, -1, 64)
		default:
			err = s.f.SetCellValue(s.sheet, cell, v)
		}
		if err != nil {
			s.err = fmt.Errorf("%s!%s: %w", s.sheet, cell, err)
		}
	}
}

// style gives a rectangle of cells a custom number format.
func (s *sheetWriter) style(from, to, format string) {
	if s.err != nil {
		return
	}
	id, err := s.f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err == nil {
		err = s.f.SetCellStyle(s.sheet, from, to, id)
	}
	if err != nil {
		s.err = fmt.Errorf("style %s: %w", format, err)
	}
}

// workbookBytes serializes f.
func workbookBytes(f *excelize.File) ([]byte, error) {
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf.Bytes(), nil
}

// epoch1904 is day 0 of Excel's 1904 date system.
var epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)

// serial1904 is t as a 1904-system serial: days since 1904-01-01 and the
// time of day as a fraction.
func serial1904(t time.Time) float64 {
	return float64(t.Sub(epoch1904)/time.Second) / 86400
}

// excel1904 is a workbook saved with the 1904 date system (old Mac
// Excel): its date cells are 1904 serials with a date format.
func excel1904() (File, error) {
	const name = "excel_1904.xlsx"
	r := newRNG(seedOf(name))
	orders := generate(r, profile{
		customers: 66, neverCount: 3, spell: enSpelling, products: enProducts,
		person:  prefixedPerson("AC", 5, func(rng) string { return "" }),
		orderID: runningOrderIDs("", 71000),
	})
	f := excelize.NewFile()
	defer f.Close()
	yes := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
		return File{Name: name}, fmt.Errorf("1904 dates: %w", err)
	}
	if err := f.SetSheetName("Sheet1", excel1904Sheet); err != nil {
		return File{Name: name}, fmt.Errorf("sheet: %w", err)
	}
	s := sheetWriter{f: f, sheet: excel1904Sheet}
	s.row("Customer ID", "Order Number", "Order Date", "Amount", "Status")
	for _, o := range orders {
		num, _ := strconv.ParseInt(o.ID, 10, 64)
		s.row(o.Buyer.ID, num, serial1904(o.Created), cellMoney(o.Paid), o.StatusText)
	}
	last := strconv.Itoa(s.n)
	s.style("C2", "C"+last, "yyyy-mm-dd hh:mm")
	s.style("D2", "D"+last, "#,##0.00")
	if s.err != nil {
		return File{Name: name}, s.err
	}
	data, err := workbookBytes(f)
	if err != nil {
		return File{Name: name}, err
	}
	return orderFile(name, "xlsx with the 1904 date system: date cells are 1904 serials", data, orders, columns{}, len(orders), 0), nil
}
