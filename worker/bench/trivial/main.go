// Command trivial is the smallest Go worker: one handler answering a fixed
// JSON body after reading the request body. The worker benchmark runs it under the same glue as segsim's
// worker to tell Go start-up from segsim's own cost.
package main

import (
	"io"
	"net/http"

	"github.com/syumai/workers"
)

func main() {
	workers.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte(`{"status":"ok","api":"v1"}` + "\n"))
	}))
}
