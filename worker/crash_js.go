//go:build js && wasm && crashtest

package main

import "net/http"

// A crashtest build (make worker-build writes it to build/crash.wasm) adds
// POST /v1/crash, which ends the Go instance the way a runtime fault would:
// an unrecovered panic in a goroutine. The crash-containment test sends it
// among legitimate requests. Released builds never have this route.
func init() {
	wrap = func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v1/crash" {
				h.ServeHTTP(w, r)
				return
			}
			done := make(chan struct{})
			go func() {
				defer close(done)
				var rows []int
				_ = rows[len(r.URL.Path)] // index out of range: the program ends
			}()
			<-done
		})
	}
}
