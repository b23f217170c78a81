// Package server serves the built segsim site, from a folder or from the
// files embedded in one program, with the headers the page expects: its
// Content-Security-Policy (which also covers the Web Worker, whose policy
// comes from its own response), the wasm MIME type, no caching so that a
// rebuild shows at once (the service worker keeps the site for offline
// use), and the .br or .gz copy the build made of a file when the browser
// takes it, so that a room of laptops pulls the wasm compressed.
package server

import (
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strings"

	"segsim/site"
)

// CSP is the header policy: the page's policy plus what only a header can
// say (no framing by other sites).
const CSP = site.CSP + "; frame-ancestors 'none'"

// Handler serves the files of dir.
func Handler(dir string) http.Handler { return HandlerFS(os.DirFS(dir)) }

// HandlerFS serves the files of fsys.
func HandlerFS(fsys fs.FS) http.Handler {
	mime.AddExtensionType(".wasm", "application/wasm")
	mime.AddExtensionType(".mjs", "text/javascript")
	mime.AddExtensionType(".webmanifest", "application/manifest+json")
	files := http.FileServer(http.FS(fsys))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
			if name == "" {
				name = "index.html"
			}
			if serveCompressed(w, r, fsys, name) {
				return
			}
		}
		files.ServeHTTP(w, r)
	})
}

// serveCompressed sends name's .br or .gz copy when the request accepts
// that encoding and the copy exists; it reports whether it did.
func serveCompressed(w http.ResponseWriter, r *http.Request, fsys fs.FS, name string) bool {
	accept := r.Header.Get("Accept-Encoding")
	for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if !acceptsEncoding(accept, enc.token) {
			continue
		}
		f, err := fsys.Open(name + enc.ext)
		if err != nil {
			continue
		}
		defer f.Close()
		st, err := f.Stat()
		rs, ok := f.(io.ReadSeeker)
		if err != nil || st.IsDir() || !ok {
			return false
		}
		h := w.Header()
		h.Set("Content-Encoding", enc.token)
		h.Add("Vary", "Accept-Encoding")
		if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
			h.Set("Content-Type", ct)
		}
		// ServeContent names the type from the name given: the original's.
		http.ServeContent(w, r, name, st.ModTime(), rs)
		return true
	}
	w.Header().Add("Vary", "Accept-Encoding")
	return false
}

// acceptsEncoding tells whether an Accept-Encoding header takes token
// (and does not refuse it with q=0).
func acceptsEncoding(header, token string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), token) {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		return params != "q=0" && params != "q=0.0" && params != "q=0.00" && params != "q=0.000"
	}
	return false
}
