//go:build js && wasm

package main

import (
	"bytes"
	"io"
	"net/http"
	"runtime/debug"
	"syscall/js"

	"github.com/syumai/workers"
)

// main serves the API on the Workers runtime.
//
// With the generated glue (a fresh Go instance per request) it calls
// workers.Serve, which returns after the response body is read.
//
// With the keep-alive glue (worker/glue/keepalive.mjs), the runtime context's
// binding carries keepAlive: the instance then stays up and serves every
// request of its isolate. workers v0.31.0 closes one package-level channel
// when a streamed response body is closed, so a second streamed response
// would panic; the keep-alive handler therefore hands each response over
// as a whole JS value (WriteRawJSBody), which is never streamed or closed.
func main() {
	handler := NewHandler(DefaultLimits, today)
	h := wrap(handler)
	binding := js.Global().Get("context").Get("binding")
	if !binding.Get("keepAlive").Truthy() {
		workers.Serve(h)
		return
	}
	// The keep-alive glue adds the headers every answer carries, and
	// serves requests side by side: a long one yields between stages.
	handler.hostHeaders = binding.Get("hostHeaders").Truthy()
	if y := binding.Get("yield"); y.Type() == js.TypeFunction {
		handler.yield = func() { yieldToEventLoop(y) }
	}
	// One instance serves many requests, each allocating a little and
	// keeping nothing: collect less often than the default, which on a
	// heap this small means after every few requests, within a bound well
	// under the isolate's 128 MB.
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(64 << 20)
	// The glue reads request bodies up to this size whole (keepalive.mjs).
	binding.Set("maxBody", DefaultLimits.BodyBytes)
	workers.ServeNonBlock(rawBody{h})
	workers.Ready()
	select {}
}

// yieldToEventLoop returns when the glue's yield function calls back,
// after some turns of the runtime's event loop: meanwhile the Go instance
// pauses and the isolate takes the requests that arrived (their handlers
// run to their end or to their own next pause) before this request goes
// on.
func yieldToEventLoop(yield js.Value) {
	done := make(chan struct{})
	f := js.FuncOf(func(js.Value, []js.Value) any {
		close(done)
		return nil
	})
	yield.Invoke(f)
	<-done
	f.Release()
}

// wrap adds routes to the handler in test builds (crash_js.go); it
// returns the handler as it is otherwise.
var wrap = func(h http.Handler) http.Handler { return h }

// uint8Array is the runtime's Uint8Array class, looked up once rather
// than twice per request.
var uint8Array = js.Global().Get("Uint8Array")

// rawJSBodyWriter is implemented by the workers ResponseWriter.
type rawJSBodyWriter interface {
	WriteRawJSBody(body js.Value)
}

// rawBody buffers a handler's response and hands it to the runtime as one
// Uint8Array.
type rawBody struct{ h http.Handler }

func (rb rawBody) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = wholeBody(r.Body)
	raw, ok := w.(rawJSBodyWriter)
	if !ok {
		rb.h.ServeHTTP(w, r)
		return
	}
	rec := &recorder{header: w.Header(), status: http.StatusOK}
	onRunner(func() { rb.h.ServeHTTP(rec, r) })
	arr := uint8Array.New(rec.body.Len())
	js.CopyBytesToJS(arr, rec.body.Bytes())
	w.WriteHeader(rec.status)
	raw.WriteRawJSBody(arr)
}

// runner is a goroutine that runs handlers one after another; idle
// holds the runners waiting for work.
type runner chan func()

var idle = make(chan runner, 16)

// onRunner runs f on an idle runner, or on a new one when all are busy
// (requests run side by side while a large one yields), and returns when
// f has returned. The workers package starts a goroutine per request,
// whose stack starts small and is grown and copied several times during
// a score (in the isolate this cost as much as a fifth of a one-customer
// request); a runner's stack stays grown from one request to the next.
func onRunner(f func()) {
	var r runner
	select {
	case r = <-idle:
	default:
		r = make(runner)
		go r.loop()
	}
	done := make(chan struct{})
	r <- func() {
		defer close(done)
		f()
	}
	<-done
}

// loop runs the functions sent to r, going back to idle after each; a
// runner that finds idle full ends.
func (r runner) loop() {
	for f := range r {
		f()
		select {
		case idle <- r:
		default:
			return
		}
	}
}

// rawJSBodyGetter is implemented by the request bodies workers makes.
type rawJSBodyGetter interface {
	GetRawJSBody() js.Value
}

// wholeBody returns a request body the keep-alive glue passed as one
// Uint8Array as a held body over a copy of it, and any other body as it is.
func wholeBody(body io.ReadCloser) io.ReadCloser {
	g, ok := body.(rawJSBodyGetter)
	if !ok {
		return body
	}
	v := g.GetRawJSBody()
	if v.Type() != js.TypeObject || !v.InstanceOf(uint8Array) {
		return body
	}
	b := make([]byte, v.Length())
	js.CopyBytesToGo(b, v)
	return newHeldBody(b)
}

// recorder collects a response in memory; its header is the real one.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(status int)      { r.status = status }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
