//go:build js && wasm

// Command parquet is the page's reader of Parquet files, built apart from
// the main wasm and from the .xlsx reader so that its library
// (parquet-go) weighs on neither: the page fetches it, in a Web Worker of
// its own (xlsx-worker.js named parquet.wasm), only when a Parquet file
// arrives. It exposes segsimXLSX.convert(bytes Uint8Array) with the .xlsx
// reader's answer shape: {csv: Uint8Array, rows} with the table as CSV
// text (which the main wasm then loads like any CSV), or {error, code}.
package main

import (
	"fmt"
	"syscall/js"

	"segsim/core/parquetfile"
)

func main() {
	api := js.Global().Get("Object").New()
	api.Set("convert", js.FuncOf(convert))
	js.Global().Set("segsimXLSX", api)
	select {}
}

// convert(bytes) reads the Parquet file in bytes.
func convert(_ js.Value, args []js.Value) any {
	out := js.Global().Get("Object").New()
	if len(args) == 0 || args[0].Type() != js.TypeObject {
		out.Set("error", "convert: want the file's bytes")
		out.Set("code", "bad_options")
		return out
	}
	data := make([]byte, args[0].Get("length").Int())
	js.CopyBytesToGo(data, args[0])
	csv, info, err := parquetfile.ToCSV(data)
	if err != nil {
		out.Set("error", fmt.Sprint(err))
		out.Set("code", "parquet_unreadable")
		return out
	}
	b := js.Global().Get("Uint8Array").New(len(csv))
	js.CopyBytesToJS(b, csv)
	out.Set("csv", b)
	out.Set("rows", info.Rows)
	return out
}
