// Package server serves the built segsim site from a folder with the
// headers the page expects: its Content-Security-Policy (which also covers
// the Web Worker, whose policy comes from its own response), the wasm MIME
// type, and no caching so that a rebuild shows at once.
package server

import (
	"mime"
	"net/http"

	"segsim/site"
)

// CSP is the header policy: the page's policy plus what only a header can
// say (no framing by other sites).
const CSP = site.CSP + "; frame-ancestors 'none'"

// Handler serves the files of dir.
func Handler(dir string) http.Handler {
	mime.AddExtensionType(".wasm", "application/wasm")
	mime.AddExtensionType(".mjs", "text/javascript")
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
