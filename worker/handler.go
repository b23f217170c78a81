// Command worker is the segsim edge worker: a JSON API over core, served by
// github.com/syumai/workers on the Workers runtime (GOOS=js GOARCH=wasm) and
// as a plain local server on 127.0.0.1 for development.
//
// The API is versioned under /v1/:
//
//	GET  /v1/health   version and build
//	GET  /v1/presets  schemes, tiers, scenarios, tags and playbooks, and the limits
//	POST /v1/score    orders or per-customer stats + scenario → labels and actions
//	POST /v1/plan     the same + budget and playbook → allocation and each customer's action
//	POST /v1/readout  a plan's customers + the campaign's orders and window → uplift, revenue, ROI, verdict
//
// Errors are {"error":{"code","message","field"}} with a 4xx status. Nothing
// is stored: every request is scored on its own.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// APIVersion is the path prefix version of the API.
const APIVersion = "v1"

// Limits bounds what one request may ask for. Requests beyond a limit get
// a 413 error naming the limit.
type Limits struct {
	// BodyBytes bounds the request body.
	BodyBytes int `json:"body_bytes"`
	// Rows bounds the order rows in "orders".
	Rows int `json:"rows"`
	// PlanRows bounds the entries of a readout's "plan".
	PlanRows int `json:"plan_rows"`
	// Customers bounds the customers in one request ("orders" or "stats").
	Customers int `json:"customers"`
	// StatsOrders bounds the sum of "orders" over "stats" records.
	StatsOrders int `json:"stats_orders"`
	// Keys bounds the fields of one order object (ingest makes a column
	// of every field name it meets).
	Keys int `json:"keys_per_order"`
}

// DefaultLimits are the documented limits of the public API.
var DefaultLimits = Limits{BodyBytes: 1 << 20, Rows: 20000, PlanRows: 20000, Customers: 1000, StatsOrders: 200000, Keys: 256}

// Handler serves the API. The zero value is not usable: use NewHandler.
type Handler struct {
	limits Limits
	// today returns the default as-of date, YYYY-MM-DD.
	today func() string
	// hostHeaders is set when the host adds the headers every answer
	// carries (hostHeaderNames) itself: the keep-alive glue does, in
	// JavaScript, where a header costs far less than a call out of wasm.
	hostHeaders bool
	// yield, when set, lets the host serve other requests before it
	// returns (main_js.go: the runtime's event loop runs). A request with
	// a large body calls it between its stages (Handler.pause), so that a
	// health check or a small request arriving meanwhile waits for one
	// stage rather than the whole request.
	yield func()
	// large is set while a request of pauseBytes or more is in progress:
	// with yield, large requests take turns (Handler.turn).
	large atomic.Bool
	// noLone turns the lone path off (lone.go), so that tests can compare
	// its answers with the engine's.
	noLone bool
}

// pauseBytes is the body size from which a request pauses between stages:
// a smaller one takes under a few milliseconds in all.
const pauseBytes = 32 << 10

// turn waits, yielding to the host, until no other large request is in
// progress when n, the body size, is pauseBytes or more, and returns the
// function that ends the request's turn. Large requests thus run one after
// another, as they would without pauses, and only small ones pass between
// their stages: interleaved, every large request of a burst would finish
// late, and the glue would shed more of them. The waiting request wakes
// on its own timer, never on another request's (in workerd, a request's
// callbacks run in its own context).
func (h *Handler) turn(n int) (done func()) {
	if h.yield == nil || n < pauseBytes {
		return func() {}
	}
	for !h.large.CompareAndSwap(false, true) {
		h.yield()
	}
	return func() { h.large.Store(false) }
}

// pause yields to the host between two stages of a request of n body
// bytes, if the host can be yielded to and n is at least pauseBytes.
func (h *Handler) pause(n int) {
	if h.yield != nil && n >= pauseBytes {
		h.yield()
	}
}

// hostHeaderNames are the headers a host that sets Handler.hostHeaders
// adds to every answer (worker/glue/keepalive.mjs): the CORS headers and
// nosniff on all; Content-Type (JSON) and, unless the handler set one,
// Cache-Control: no-store on all but 204; and Content-Length from the
// body.
var hostHeaderNames = []string{"Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "X-Content-Type-Options", "Content-Type", "Cache-Control", "Content-Length"}

// NewHandler returns the API handler with the given limits; today returns
// the as-of date used when a request names none (YYYY-MM-DD, usually the
// current UTC date).
func NewHandler(limits Limits, today func() string) *Handler {
	return &Handler{limits: limits, today: today}
}

// apiError is an error answer: a status and the JSON error object.
type apiError struct {
	Status    int    `json:"-"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Field     string `json:"field,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func errorf(status int, code, field, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ServeHTTP routes a request, adds the CORS headers and turns every error
// (and any panic) into a JSON error answer.
func (h *Handler) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w := &timedWriter{ResponseWriter: rw, start: time.Now()}
	hd := w.Header()
	if !h.hostHeaders {
		hd.Set("Access-Control-Allow-Origin", "*")
		hd.Set("Access-Control-Expose-Headers", "X-Request-Id, Server-Timing")
		hd.Set("X-Content-Type-Options", "nosniff")
	}
	hd.Set("X-Request-Id", requestID(r.Header.Get("X-Request-Id")))
	defer func() {
		if v := recover(); v != nil {
			h.fail(w, errorf(http.StatusInternalServerError, "internal", "", "internal error: %v", v))
		}
	}()
	if !strings.HasPrefix(r.URL.Path, "/"+APIVersion+"/") {
		h.fail(w, errorf(http.StatusNotFound, "not_found", "", "no such endpoint %q; the API lives under /%s/ (health, presets, score, plan, readout)", r.URL.Path, APIVersion))
		return
	}
	var allow string
	var serve func(http.ResponseWriter, *http.Request) error
	switch strings.TrimPrefix(r.URL.Path, "/"+APIVersion) {
	case "/health":
		allow, serve = "GET, HEAD, OPTIONS", h.health
	case "/presets":
		allow, serve = "GET, HEAD, OPTIONS", h.presets
	case "/score":
		allow, serve = "POST, OPTIONS", postEndpoint(h, h.Score)
	case "/plan":
		allow, serve = "POST, OPTIONS", postEndpoint(h, h.Plan)
	case "/readout":
		allow, serve = "POST, OPTIONS", postEndpoint(h, h.Readout)
	default:
		h.fail(w, errorf(http.StatusNotFound, "not_found", "", "no such endpoint %q; have /%[2]s/health, /%[2]s/presets, /%[2]s/score, /%[2]s/plan, /%[2]s/readout", r.URL.Path, APIVersion))
		return
	}
	if r.Method == http.MethodOptions {
		hd.Set("Access-Control-Allow-Methods", allow)
		hd.Set("Access-Control-Allow-Headers", "Content-Type, Content-Encoding, X-Request-Id, Authorization")
		hd.Set("Access-Control-Max-Age", "86400")
		hd.Set("Allow", allow)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	if !strings.Contains(allow, method) {
		hd.Set("Allow", allow)
		h.fail(w, errorf(http.StatusMethodNotAllowed, "method_not_allowed", "", "%s %s is not allowed; use %s", r.Method, r.URL.Path, allow))
		return
	}
	if err := serve(w, r); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = errorf(http.StatusInternalServerError, "internal", "", "%v", err)
		}
		h.fail(w, ae)
	}
}

func (h *Handler) fail(w http.ResponseWriter, e *apiError) {
	e.RequestID = w.Header().Get("X-Request-Id")
	b, _ := json.Marshal(struct {
		Error *apiError `json:"error"`
	}{e})
	h.writeJSON(w, e.Status, noStore, b)
}

// timedWriter adds a Server-Timing header with the time the request took
// until its answer's header was written.
type timedWriter struct {
	http.ResponseWriter
	start time.Time
}

func (t *timedWriter) WriteHeader(status int) {
	dur := strconv.AppendFloat([]byte("total;dur="), float64(time.Since(t.start).Microseconds())/1000, 'f', 2, 64)
	t.Header().Set("Server-Timing", string(dur))
	t.ResponseWriter.WriteHeader(status)
}

// requestID returns the request's own id when it sent a usable one (up to
// 128 printable ASCII characters), else a new random one.
func requestID(sent string) string {
	if n := len(sent); n > 0 && n <= 128 {
		ok := true
		for i := 0; i < n; i++ {
			if sent[i] < 0x21 || sent[i] > 0x7e {
				ok = false
				break
			}
		}
		if ok {
			return sent
		}
	}
	var id [16]byte
	binary.BigEndian.PutUint64(id[:8], rand.Uint64())
	binary.BigEndian.PutUint64(id[8:], rand.Uint64())
	return hex.EncodeToString(id[:])
}

// noStore is the Cache-Control of every answer but the presets'.
const noStore = "no-store"

// writeJSON writes body and a newline as the response, with the given
// Cache-Control. It appends the newline to body, so a caller sharing body
// must pass it without spare capacity.
func (h *Handler) writeJSON(w http.ResponseWriter, status int, cache string, body []byte) {
	hd := w.Header()
	if !h.hostHeaders || cache != noStore {
		hd.Set("Cache-Control", cache)
	}
	if !h.hostHeaders {
		hd.Set("Content-Type", "application/json; charset=utf-8")
		hd.Set("Content-Length", strconv.Itoa(len(body)+1))
	}
	w.WriteHeader(status)
	w.Write(append(body, '\n')) // one write: the answers leave room for it
}

// answer is a POST endpoint's answer.
type answer interface {
	// appendJSON appends the answer as JSON.
	appendJSON([]byte) ([]byte, error)
	// sizeHint is the size of the buffer to write it into.
	sizeHint() int
}

// postEndpoint returns the handler of a POST endpoint: it reads the body within
// h's limits, runs it and writes the answer.
func postEndpoint[A answer](h *Handler, run func(body []byte) (A, *apiError)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		body, err := h.readBody(r)
		if err != nil {
			return err
		}
		defer h.turn(len(body))()
		h.pause(len(body))
		ans, ae := run(body)
		if ae != nil {
			return ae
		}
		h.pause(len(body))
		buf := answerBuffer(ans.sizeHint())
		defer answerBuffers.Put(buf)
		b, err := ans.appendJSON((*buf)[:0])
		if err != nil {
			return fmt.Errorf("%s: %w", r.URL.Path, err)
		}
		h.writeJSON(w, http.StatusOK, noStore, b)
		*buf = b[:0]
		return nil
	}
}

// answerBuffers holds buffers that answers were written into, for the
// next answers: an instance serves request after request, and a buffer of
// the right size need not be allocated and zeroed each time. A buffer
// holds one answer at a time and is written from its start, so nothing of
// one answer reaches another.
var answerBuffers = sync.Pool{New: func() any { return new([]byte) }}

// answerBuffer returns an empty buffer from answerBuffers with room for n
// bytes.
func answerBuffer(n int) *[]byte {
	buf := answerBuffers.Get().(*[]byte)
	if cap(*buf) < n {
		*buf = make([]byte, 0, n)
	}
	return buf
}

// health answers GET /v1/health.
func (h *Handler) health(w http.ResponseWriter, _ *http.Request) error {
	b, err := healthBody()
	if err != nil {
		return err
	}
	h.writeJSON(w, http.StatusOK, noStore, b[:len(b):len(b)]) // b is shared
	return nil
}

// healthBody is the health answer, the same for every request of an
// instance: written once.
var healthBody = sync.OnceValues(func() ([]byte, error) {
	b, err := json.Marshal(struct {
		Status  string `json:"status"`
		API     string `json:"api"`
		Version string `json:"version"`
		Build   build  `json:"build"`
	}{"ok", APIVersion, moduleVersion(), buildInfo()})
	if err != nil {
		return nil, fmt.Errorf("health: %w", err)
	}
	return b, nil
})

// build describes the binary: Go version and version control stamp.
type build struct {
	Go       string `json:"go"`
	Revision string `json:"revision,omitempty"`
	Time     string `json:"time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Target   string `json:"target"`
}

var buildOnce = sync.OnceValues(func() (string, build) {
	var b build
	version := "devel"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version, b
	}
	b.Go = info.GoVersion
	if v := info.Main.Version; v != "" && v != "(devel)" {
		version = v
	}
	var goos, goarch string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		case "GOOS":
			goos = s.Value
		case "GOARCH":
			goarch = s.Value
		}
	}
	b.Target = goos + "/" + goarch
	return version, b
})

func moduleVersion() string { v, _ := buildOnce(); return v }
func buildInfo() build      { _, b := buildOnce(); return b }

// readBody reads a POST body within the size limit. Any media type but a
// form upload is read as JSON: browsers send text/plain without a
// preflight, and curl -d sends a form type.
func (h *Handler) readBody(r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && ct != "application/json" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt == "multipart/form-data" {
			return nil, errorf(http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Type",
				"Content-Type %q: send the JSON request as the body (application/json)", ct)
		}
	}
	limit := h.limits.BodyBytes
	gzipped := false
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		gzipped = true
	default:
		return nil, errorf(http.StatusUnsupportedMediaType, "unsupported_encoding", "Content-Encoding",
			"Content-Encoding %q: send the body as it is or gzip-compressed", enc)
	}
	if r.ContentLength > int64(limit) {
		return nil, errorf(http.StatusRequestEntityTooLarge, "body_too_large", "",
			"the body has %d bytes; the limit is %d", r.ContentLength, limit)
	}
	if r.Body == nil {
		return nil, nil
	}
	if held, ok := r.Body.(*heldBody); ok && !gzipped {
		return trimBody(held.b, limit)
	}
	var body io.Reader = r.Body
	if gzipped {
		zr, err := gzip.NewReader(io.LimitReader(r.Body, int64(limit)+1))
		if err != nil {
			return nil, errorf(http.StatusBadRequest, "bad_body", "Content-Encoding", "the body is not gzip data: %v", err)
		}
		body = zr
	}
	b, err := io.ReadAll(io.LimitReader(body, int64(limit)+1))
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "bad_body", "", "reading the body: %v", err)
	}
	return trimBody(b, limit)
}

// trimBody checks a body read whole against the size limit and drops a
// byte order mark before the JSON.
func trimBody(b []byte, limit int) ([]byte, error) {
	if len(b) > limit {
		return nil, errorf(http.StatusRequestEntityTooLarge, "body_too_large", "",
			"the body has more than %d bytes (uncompressed); the limit is %d", limit, limit)
	}
	// A byte order mark before the JSON (some editors write one) is not
	// part of it.
	return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), nil
}

// heldBody is a request body that the host read whole before the handler
// ran (main_js.go): readBody takes its bytes as they are instead of
// copying them again.
type heldBody struct {
	*bytes.Reader
	b []byte
}

// newHeldBody returns b as a request body.
func newHeldBody(b []byte) *heldBody { return &heldBody{Reader: bytes.NewReader(b), b: b} }

// Close does nothing: the bytes are the handler's.
func (*heldBody) Close() error { return nil }
