// Command worker is the segsim edge worker: a net/http handler over core,
// served by github.com/syumai/workers on the Workers runtime and as a plain
// local server for development.
package main

import (
	"net/http"

	"github.com/syumai/workers"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}`))
	})
	workers.Serve(mux)
}
