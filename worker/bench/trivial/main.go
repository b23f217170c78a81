//go:build js && wasm

// Command trivial is the smallest Go worker: one handler answering a fixed
// JSON body after reading the request body. The worker benchmark runs it
// under the same glues as segsim's worker (a fresh instance per request,
// and the keep-alive glue) to tell Go start-up and the runtime's request
// and response plumbing from segsim's own cost.
package main

import (
	"bytes"
	"io"
	"net/http"
	"syscall/js"

	"github.com/syumai/workers"
)

var body = []byte(`{"status":"ok","api":"v1"}` + "\n")

// rawJSBodyWriter is implemented by the workers ResponseWriter.
type rawJSBodyWriter interface {
	WriteRawJSBody(body js.Value)
}

func main() {
	keepAlive := js.Global().Get("context").Get("binding").Get("keepAlive").Truthy()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Under the keep-alive glue a body up to maxBody arrives as one
		// Uint8Array, copied here in one call as segsim's worker does.
		if g, ok := r.Body.(interface{ GetRawJSBody() js.Value }); ok && keepAlive {
			if v := g.GetRawJSBody(); v.Type() == js.TypeObject && v.InstanceOf(js.Global().Get("Uint8Array")) {
				b := make([]byte, v.Length())
				js.CopyBytesToGo(b, v)
				r.Body = io.NopCloser(bytes.NewReader(b))
			}
		}
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if raw, ok := w.(rawJSBodyWriter); ok && keepAlive {
			// As segsim's worker does under the keep-alive glue: the
			// whole body as one Uint8Array, never a stream.
			arr := js.Global().Get("Uint8Array").New(len(body))
			js.CopyBytesToJS(arr, body)
			w.WriteHeader(http.StatusOK)
			raw.WriteRawJSBody(arr)
			return
		}
		w.Write(body)
	})
	if !keepAlive {
		workers.Serve(h)
		return
	}
	// As segsim's worker: the glue reads bodies up to 1 MiB whole.
	js.Global().Get("context").Get("binding").Set("maxBody", 1<<20)
	workers.ServeNonBlock(h)
	workers.Ready()
	select {}
}
