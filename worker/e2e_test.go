package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// The end-to-end tests run the built worker (make worker-build) under the
// Workers runtime. They are skipped unless SEGSIM_WORKERD names the workerd
// binary; make test-worker sets it. SEGSIM_CAMPAIGN sets the number of
// bad-input requests (default 10000).

// workerd is one running workerd process.
type workerd struct {
	cmd  *exec.Cmd
	base string
	log  *bytes.Buffer
}

// startWorkerd serves the named constant of config.capnp on a free port of
// 127.0.0.1, waits for the first answer and stops workerd when t ends.
func startWorkerd(t testing.TB, constant string) *workerd {
	t.Helper()
	start := time.Now()
	w := launchWorkerd(t, constant)
	t.Cleanup(func() {
		w.stop()
		if t.Failed() {
			t.Logf("workerd log:\n%s", w.log)
		}
	})
	t.Logf("%s: first answer %v after start", constant, time.Since(start).Round(time.Millisecond))
	return w
}

// launchWorkerd starts workerd and waits for the first answer; the caller
// stops it.
func launchWorkerd(t testing.TB, constant string) *workerd {
	t.Helper()
	bin := os.Getenv("SEGSIM_WORKERD")
	if bin == "" {
		t.Skip("SEGSIM_WORKERD is not set (make test-worker sets it)")
	}
	if _, err := os.Stat(filepath.Join("build", "app.wasm")); err != nil {
		t.Fatalf("the worker is not built (make worker-build): %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	w := &workerd{base: "http://" + addr, log: &bytes.Buffer{}}
	w.cmd = exec.Command(bin, "serve", "config.capnp", constant, "--socket-addr", "http="+addr)
	w.cmd.Stdout, w.cmd.Stderr = w.log, w.log
	start := time.Now()
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for {
		resp, err := http.Get(w.base + "/v1/health")
		if err == nil {
			resp.Body.Close()
			return w
		}
		if time.Since(start) > 20*time.Second {
			w.stop()
			t.Fatalf("workerd did not answer: %v\n%s", err, w.log)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stop ends workerd.
func (w *workerd) stop() {
	w.cmd.Process.Kill()
	w.cmd.Wait()
}

// rss returns workerd's resident memory in kB (0 where /proc is absent).
func (w *workerd) rss() int {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", w.cmd.Process.Pid))
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}

var client = &http.Client{Timeout: 30 * time.Second}

// send sends a request to workerd.
func (w *workerd) send(method, path, body string, header ...string) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(context.Background(), method, w.base+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, err
}

// sendEarly sends a body the server may refuse before reading it all (an
// oversize body): it writes on a raw connection and reads the answer
// while still writing, so an early 413 is read rather than lost to a
// broken pipe.
func (w *workerd) sendEarly(path, body string) (int, []byte, error) {
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(w.base, "http://"), 5*time.Second)
	if err != nil {
		return 0, nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	go func() {
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", path, len(body))
		io.WriteString(conn, body) // may fail once the answer is sent
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// glues are the workerd configurations under test.
var glues = []string{"config", "keepAlive"}

// e2eRequests are the requests whose answers must equal the native
// handler's: the test data, the worked examples and every error case that
// does not depend on the test limits.
func e2eRequests(t testing.TB) []errorCase {
	reqs := []errorCase{
		{name: "presets", method: "GET", path: "/v1/presets"},
		{name: "one customer", method: "POST", path: "/v1/score", body: oneCustomer},
		{name: "preflight", method: "OPTIONS", path: "/v1/score"},
		{name: "batch of 1000", method: "POST", path: "/v1/score", body: batchBody(1000, 5)},
		{name: "plan", method: "POST", path: "/v1/plan", body: `{"budget":2000,` + batchBody(300, 4)[1:]},
		{name: "plan preflight", method: "OPTIONS", path: "/v1/plan"},
		{name: "readout", method: "POST", path: "/v1/readout", body: genCampaign(1).body(`"level":0.9,`)},
		{name: "readout preflight", method: "OPTIONS", path: "/v1/readout"},
	}
	fromPlan, _ := planThenReadout(t, NewHandler(DefaultLimits, today), genCampaign(2))
	reqs = append(reqs, errorCase{name: "readout of a plan answer", method: "POST", path: "/v1/readout", body: fromPlan})
	files, _ := filepath.Glob("testdata/*.json")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, errorCase{name: p, method: "POST", path: "/v1/score", body: string(b)})
	}
	for _, tc := range errorCases {
		if tc.status != 413 && tc.header == nil {
			reqs = append(reqs, tc)
		}
	}
	return reqs
}

// batchBody returns a score request for n customers with k orders each.
func batchBody(n, k int) string {
	var b strings.Builder
	b.WriteString(`{"asof":"2026-11-01","orders":[`)
	for c := 0; c < n; c++ {
		for j := 0; j < k; j++ {
			if c+j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"customer_id":"c%d","order_date":"2026-%02d-%02d","amount":%d.%02d}`, c, 1+(c+j*2)%10, 1+(c*7+j)%28, 5+(c*13+j*29)%400, c%100)
		}
	}
	b.WriteString("]}")
	return b.String()
}

func TestWorkerdMatchesNative(t *testing.T) {
	native := NewHandler(DefaultLimits, today)
	for _, glue := range glues {
		t.Run(glue, func(t *testing.T) {
			w := startWorkerd(t, glue)
			code, _, body, err := w.send("GET", "/v1/health", "")
			if err != nil || code != 200 || gjson.GetBytes(body, "build.target").Str != "js/wasm" {
				t.Fatalf("health: %d %s %v", code, body, err)
			}
			for i, rq := range e2eRequests(t) {
				id := fmt.Sprintf("e2e-%d", i)
				code, hd, body, err := w.send(rq.method, rq.path, rq.body, "X-Request-Id", id)
				if err != nil {
					t.Fatalf("%s: %v", rq.name, err)
				}
				wantCode, wantHd, wantBody := do(t, native, rq.method, rq.path, rq.body, "Content-Type", "application/json", "X-Request-Id", id)
				if code != wantCode || !bytes.Equal(body, wantBody) {
					t.Errorf("%s: workerd %d %.300s\nnative %d %.300s", rq.name, code, body, wantCode, wantBody)
				}
				if !strings.HasPrefix(hd.Get("Server-Timing"), "total;dur=") {
					t.Errorf("%s: Server-Timing %q", rq.name, hd.Get("Server-Timing"))
				}
				for _, h := range []string{"Content-Type", "Cache-Control", "Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Allow", "X-Request-Id", "Access-Control-Expose-Headers"} {
					if hd.Get(h) != wantHd.Get(h) {
						t.Errorf("%s: %s = %q; native %q", rq.name, h, hd.Get(h), wantHd.Get(h))
					}
				}
			}
		})
	}
}

// TestWorkerdBadInputCampaign sends thousands of bad requests to
// /v1/score and /v1/readout (and good ones in between) in a bounded loop: each answer must be a 4xx JSON error
// or a 200, the process must live and its memory must stay flat.
func TestWorkerdBadInputCampaign(t *testing.T) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("SEGSIM_CAMPAIGN")); err == nil {
		n = v
	}
	glue := os.Getenv("SEGSIM_CAMPAIGN_GLUE")
	if glue == "" {
		glue = "keepAlive"
	}
	w := startWorkerd(t, glue)
	valid := map[string][]string{
		"/v1/score":   {oneCustomer, batchBody(20, 3)},
		"/v1/readout": {genCampaign(1).body(""), genCampaign(2).body(`"level":0.9,`)},
	}
	files, _ := filepath.Glob("testdata/*.json")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		valid["/v1/score"] = append(valid["/v1/score"], string(b))
	}
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	codes := map[int]int{}
	var warm int
	var series []int
	peak := 0
	start := time.Now()
	for i := 0; i < n; i++ {
		method, path, body := campaignBody(rng, valid)
		var code int
		var out []byte
		var err error
		if len(body) > DefaultLimits.BodyBytes {
			code, out, err = w.sendEarly(path, body)
		} else {
			code, _, out, err = w.send(method, path, body)
		}
		if err != nil {
			t.Fatalf("request %d (%s %s %.80q): %v", i, method, path, body, err)
		}
		codes[code]++
		switch {
		case method == "POST" && path == "/v1/score":
			checkAnswer(t, code, out)
		case method == "POST" && path == "/v1/readout":
			checkReadoutAnswer(t, code, out)
		case code < 400 || code >= 500:
			t.Fatalf("request %d %s %s: %d %s", i, method, path, code, out)
		}
		if i == n/5 {
			warm = w.rss()
		}
		if i%(max(n/10, 1)) == 0 {
			m := w.rss()
			peak = max(peak, m)
			series = append(series, m>>10)
		}
	}
	end := w.rss()
	peak = max(peak, end)
	t.Logf("%s: %d requests in %v; statuses %v; workerd RSS %d MB after warm-up, %d MB at the end, %d MB peak; every tenth (MB): %v",
		glue, n, time.Since(start).Round(time.Millisecond), codes, warm>>10, end>>10, peak>>10, series)
	if code, _, body, err := w.send("GET", "/v1/health", ""); err != nil || code != 200 {
		t.Fatalf("health after the campaign: %d %s %v", code, body, err)
	}
	if warm > 0 && end > warm+warm/2+64<<10 {
		t.Errorf("memory grew from %d MB to %d MB", warm>>10, end>>10)
	}
}

// campaignBody returns bad input number i (and sometimes good input): two
// in three to /v1/score, one in three to /v1/readout.
func campaignBody(rng *rand.Rand, valid map[string][]string) (method, path, body string) {
	path = "/v1/score"
	fields := []string{"asof", "scenario", "orders", "stats", "customer_id", "date_format"}
	if rng.IntN(3) == 0 {
		path = "/v1/readout"
		fields = []string{"start", "end", "plan", "orders", "level", "playbook", "scenario"}
	}
	base := valid[path][rng.IntN(len(valid[path]))]
	switch rng.IntN(12) {
	case 0: // truncated
		return "POST", path, base[:rng.IntN(len(base))]
	case 1: // a byte flipped
		b := []byte(base)
		const junk = "{}[]\",:0a\\\x00\xff"
		b[rng.IntN(len(b))] = junk[rng.IntN(len(junk))]
		return "POST", path, string(b)
	case 2: // wrong types
		kinds := []string{`1`, `"x"`, `[]`, `{}`, `null`, `true`, `-1e309`, `"2026-02-30"`}
		return "POST", path, `{"` + fields[rng.IntN(len(fields))] + `":` + kinds[rng.IntN(len(kinds))] + `}`
	case 3: // unknown preset
		return "POST", path, `{"scenario":"preset-` + strconv.Itoa(rng.IntN(1000)) + `","stats":{}}`
	case 4: // wrong method or path
		return []string{"GET", "PUT", "DELETE", "PATCH"}[rng.IntN(4)], []string{"/v1/score", "/v1/readout", "/v2/score", "/", "/v1/health/x"}[rng.IntN(5)], ""
	case 5: // oversize, now and then
		if rng.IntN(20) == 0 {
			return "POST", path, `{"orders":"` + strings.Repeat("x", DefaultLimits.BodyBytes) + `"}`
		}
		if path == "/v1/readout" {
			return "POST", path, `{"start":"2026-03-01","end":"2026-03-14","plan":[` + strings.Repeat(`{},`, DefaultLimits.PlanRows) + `{}]}`
		}
		return "POST", path, `{"orders":[` + strings.Repeat(`{},`, DefaultLimits.Rows) + `{}]}`
	case 6: // a wrong value inside a scenario
		return "POST", path, `{"scenario":{"rfm":{"r":{"method":"` + []string{"quantile", "mean", "median", "cuts", "x"}[rng.IntN(5)] + `"}}},"stats":{}}`
	case 7: // deep nesting
		n := 1 + rng.IntN(2000)
		return "POST", path, `{"` + fields[rng.IntN(len(fields))] + `":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}`
	}
	return "POST", path, base
}

// TestNativeMatchesHTTPServer checks the native server path used by make
// worker-dev: the handler behind a real listener.
func TestNativeMatchesHTTPServer(t *testing.T) {
	srv := httptest.NewServer(NewHandler(DefaultLimits, today))
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/v1/score", "application/json", strings.NewReader(oneCustomer))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	_, _, want := do(t, NewHandler(DefaultLimits, today), "POST", "/v1/score", oneCustomer)
	if resp.StatusCode != 200 || !bytes.Equal(b, want) {
		t.Errorf("server: %d %s", resp.StatusCode, b)
	}
}
