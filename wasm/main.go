//go:build js && wasm

// Command wasm exposes the segsim core to the browser page. It runs inside
// a Web Worker and only translates between JavaScript values and core.
package main

import (
	"syscall/js"

	"segsim/core/scenario"
)

func main() {
	js.Global().Set("segsimVersion", js.ValueOf(scenario.Version))
	select {}
}
