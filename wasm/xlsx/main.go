//go:build js && wasm

// Command xlsx is the page's reader of Excel workbooks (.xlsx), built
// apart from the main wasm so that its library (excelize) does not weigh
// on the page's first load: the page fetches it, in a Web Worker of its
// own, only when an .xlsx file arrives. It exposes one function,
// segsimXLSX.convert(bytes Uint8Array, sheet string), that returns
// {csv: Uint8Array, sheet, sheets} with the chosen sheet as CSV text
// (which the main wasm then loads like any CSV), or {error, code, kind}.
package main

import (
	"errors"
	"fmt"
	"syscall/js"

	"segsim/core/ingest"
	"segsim/core/xlsx"
)

func main() {
	api := js.Global().Get("Object").New()
	api.Set("convert", js.FuncOf(convert))
	js.Global().Set("segsimXLSX", api)
	select {}
}

// convert(bytes, sheet) reads the workbook in bytes; sheet names the sheet
// to read (or its 1-based number), "" for the one with the orders.
func convert(_ js.Value, args []js.Value) (ret any) {
	out := js.Global().Get("Object").New()
	defer func() {
		// A workbook the library cannot read must not stop this program:
		// the page may send another.
		if r := recover(); r != nil {
			out.Set("error", fmt.Sprintf("xlsx: reading the workbook: %v", r))
			out.Set("code", "xlsx_unreadable")
			ret = out
		}
	}()
	if len(args) == 0 || args[0].Type() != js.TypeObject {
		out.Set("error", "convert: want the file's bytes")
		out.Set("code", "bad_options")
		return out
	}
	data := make([]byte, args[0].Get("length").Int())
	js.CopyBytesToGo(data, args[0])
	sheet := ""
	if len(args) > 1 && args[1].Type() == js.TypeString {
		sheet = args[1].String()
	}
	// A zip that is not a workbook, or anything else, is left to the main
	// wasm's load, which says what the file is and what to do.
	if kind := ingest.Sniff(data); kind != "xlsx" {
		out.Set("code", "not_xlsx")
		out.Set("kind", kind)
		out.Set("error", "not an .xlsx workbook: "+kind)
		return out
	}
	csv, info, err := xlsx.ToCSV(data, sheet)
	sheets := js.Global().Get("Array").New()
	for _, s := range info.Sheets {
		sheets.Call("push", s)
	}
	out.Set("sheets", sheets)
	out.Set("sheet", info.Sheet)
	if err != nil {
		code := "xlsx_unreadable"
		if errors.Is(err, xlsx.ErrNoSheet) {
			code = "no_sheet"
		}
		out.Set("error", err.Error())
		out.Set("code", code)
		return out
	}
	b := js.Global().Get("Uint8Array").New(len(csv))
	js.CopyBytesToJS(b, csv)
	out.Set("csv", b)
	out.Set("rows", info.Rows)
	return out
}
