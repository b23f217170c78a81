package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHostHeaders checks that a handler whose host adds the headers every
// answer carries leaves exactly those out (the keep-alive glue adds them;
// the end-to-end tests compare the result with the native answers), and
// keeps a Cache-Control other than no-store.
func TestHostHeaders(t *testing.T) {
	for _, path := range []string{"/v1/health", "/v1/presets", "/v1/score", "/v1/nowhere"} {
		method, body := "GET", ""
		if path == "/v1/score" {
			method, body = "POST", oneCustomer
		}
		_, full, want := do(t, newTestHandler(), method, path, body)
		h := newTestHandler()
		h.hostHeaders = true
		_, hd, got := do(t, h, method, path, body)
		if !bytes.Equal(dropRequestID(got), dropRequestID(want)) {
			t.Errorf("%s: the body differs with host headers:\n%s\n%s", path, got, want)
		}
		for _, name := range hostHeaderNames {
			keep := name == "Cache-Control" && full.Get(name) != noStore
			if v := hd.Get(name); keep && v != full.Get(name) || !keep && v != "" {
				t.Errorf("%s: %s = %q with host headers (without: %q)", path, name, v, full.Get(name))
			}
		}
		if hd.Get("X-Request-Id") == "" || hd.Get("Server-Timing") == "" {
			t.Errorf("%s: no request id or Server-Timing with host headers: %v", path, hd)
		}
	}
}

// TestHeldBody checks that a body the host read whole is taken as it is:
// the same answer, a byte order mark dropped, the size limit kept.
func TestHeldBody(t *testing.T) {
	send := func(body []byte) (int, []byte) {
		req := httptest.NewRequest("POST", "/v1/score", nil)
		req.Body = newHeldBody(body)
		rec := httptest.NewRecorder()
		newTestHandler().ServeHTTP(rec, req)
		return rec.Code, rec.Body.Bytes()
	}
	_, _, want := do(t, newTestHandler(), "POST", "/v1/score", oneCustomer)
	for _, body := range []string{oneCustomer, "\ufeff" + oneCustomer} {
		if code, got := send([]byte(body)); code != 200 || !bytes.Equal(got, want) {
			t.Errorf("held body: %d %s; want %s", code, got, want)
		}
	}
	big := []byte(`{"orders":[` + strings.Repeat(" ", testLimits.BodyBytes) + `]}`)
	if code, got := send(big); code != http.StatusRequestEntityTooLarge {
		t.Errorf("held body over the limit: %d %s", code, got)
	}
}

// TestPause checks that a request with a large body yields to the host
// between its stages, a small one never, and that yielding changes no
// answer.
func TestPause(t *testing.T) {
	batch := batchBody(200, 5)
	if len(batch) < pauseBytes {
		t.Fatalf("the batch has %d bytes, under pauseBytes", len(batch))
	}
	readout := `{"start":"2026-06-01","end":"2026-06-30","plan":[{"customer_id":"c1","action":"sms","holdout":false}],` +
		strings.TrimPrefix(batch, `{"asof":"2026-11-01",`)
	for _, c := range []struct {
		path, body string
		pauses     bool
	}{
		{"/v1/score", oneCustomer, false},
		{"/v1/score", batch, true},
		{"/v1/plan", batch, true},
		{"/v1/readout", readout, true},
	} {
		_, _, want := do(t, newTestHandler(), "POST", c.path, c.body)
		h := newTestHandler()
		yields := 0
		h.yield = func() { yields++ }
		_, _, got := do(t, h, "POST", c.path, c.body)
		if !bytes.Equal(dropRequestID(got), dropRequestID(want)) {
			t.Errorf("%s (%d bytes): the answer differs when the request yields:\n%.300s\n%.300s", c.path, len(c.body), got, want)
		}
		if (yields > 0) != c.pauses {
			t.Errorf("%s (%d bytes): %d yields", c.path, len(c.body), yields)
		}
	}
}

// dropRequestID cuts an error answer's request id, which differs from
// request to request.
func dropRequestID(b []byte) []byte {
	if i := bytes.Index(b, []byte(`,"request_id":`)); i >= 0 {
		return b[:i]
	}
	return b
}
