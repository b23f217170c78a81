package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

// TestCompressedCopies: a file's .br or .gz copy goes to a client that
// takes it (br first), with the original's type; anyone else, or a file
// with no copy, gets the file itself.
func TestCompressedCopies(t *testing.T) {
	fsys := fstest.MapFS{
		"index.html":     {Data: []byte("<!doctype html>page")},
		"index.html.br":  {Data: []byte("BR-PAGE")},
		"segsim.wasm":    {Data: []byte("\x00asm raw")},
		"segsim.wasm.gz": {Data: []byte("GZ-WASM")},
		"segsim.wasm.br": {Data: []byte("BR-WASM")},
		"style.css":      {Data: []byte("body{}")},
	}
	h := HandlerFS(fsys)
	for _, c := range []struct {
		path, accept, body, enc, ctype string
	}{
		{"/segsim.wasm", "gzip, deflate, br", "BR-WASM", "br", "application/wasm"},
		{"/segsim.wasm", "gzip, deflate", "GZ-WASM", "gzip", "application/wasm"},
		{"/segsim.wasm", "br;q=0, gzip", "GZ-WASM", "gzip", "application/wasm"},
		{"/segsim.wasm", "", "\x00asm raw", "", "application/wasm"},
		{"/", "br", "BR-PAGE", "br", "text/html; charset=utf-8"},
		{"/index.html?sample=cdnow.csv", "gzip", "", "", "text/html; charset=utf-8"}, // no .gz: the file (FileServer redirects index.html to /)
		{"/style.css", "br, gzip", "body{}", "", "text/css; charset=utf-8"},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", c.path, nil)
		if c.accept != "" {
			req.Header.Set("Accept-Encoding", c.accept)
		}
		h.ServeHTTP(rec, req)
		res := rec.Result()
		if c.body != "" && rec.Body.String() != c.body {
			t.Errorf("%s (%s): body %q, want %q", c.path, c.accept, rec.Body.String(), c.body)
		}
		if got := res.Header.Get("Content-Encoding"); got != c.enc {
			t.Errorf("%s (%s): Content-Encoding %q, want %q", c.path, c.accept, got, c.enc)
		}
		if got := res.Header.Get("Content-Type"); res.StatusCode == http.StatusOK && got != c.ctype {
			t.Errorf("%s (%s): Content-Type %q, want %q", c.path, c.accept, got, c.ctype)
		}
		if res.Header.Get("Vary") != "Accept-Encoding" || res.Header.Get("Content-Security-Policy") != CSP {
			t.Errorf("%s (%s): Vary %q, CSP %q", c.path, c.accept, res.Header.Get("Vary"), res.Header.Get("Content-Security-Policy"))
		}
	}
}
