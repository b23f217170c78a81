package session

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"segsim/core/engine"
	"segsim/core/ingest"
)

func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../seeds/samples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// load hands data to a Loader in chunks, as the page does.
func load(t testing.TB, l *Loader, prev *Session, data []byte, opts string, chunk int) (*Session, string) {
	t.Helper()
	l.Alloc(len(data), prev, opts, true)
	for off := 0; off < len(data); off += chunk {
		n := copy(l.Space(off), data[off:min(len(data), off+chunk)])
		l.Wrote(off, n)
	}
	return l.Load(opts, prev, nil)
}

func TestApplyDecides(t *testing.T) {
	var l Loader
	s, ans := load(t, &l, nil, sample(t, "grocery_en.csv"), "", 1<<20)
	if s == nil || gjson.Get(ans, "error").Exists() || gjson.Get(ans, "report.rows_kept").Int() == 0 {
		t.Fatalf("load: %s", ans)
	}
	plan := `{"plan":{"budget":5000}}`
	a := s.Apply(plan, 8, `{"plan":true}`)
	if !gjson.Get(a, "rescored").Bool() || !gjson.Get(a, "plan.plan.total").Exists() || !gjson.Valid(a) {
		t.Fatalf("first run: %.300s", a)
	}
	// The same call again: the same answer, nothing computed.
	if b := s.Apply(plan, 8, `{"plan":true}`); b != a {
		t.Error("the same call answered differently")
	}
	// Only the budget moves: not scored again, planned again.
	b := s.Apply(`{"plan":{"budget":9000}}`, 8, `{"plan":true}`)
	if gjson.Get(b, "rescored").Bool() || gjson.Get(b, "plan.plan.budget").Float() != 9000 {
		t.Errorf("budget move: rescored %v, budget %v", gjson.Get(b, "rescored"), gjson.Get(b, "plan.plan.budget"))
	}
	// A knob that changes scores: scored again.
	c := s.Apply(`{"plan":{"budget":9000},"rfm":{"r":{"method":"cuts","cuts":[30,90,180,365]}}}`, 8, `{"plan":true}`)
	if !gjson.Get(c, "rescored").Bool() {
		t.Error("an R cut change was not scored again")
	}
	// Panels open and answer from their caches.
	d := s.Apply(plan, 8, `{"cohorts":true,"kpi":true}`)
	if !gjson.Get(d, "cohorts.cohorts").IsArray() || !gjson.Get(d, "kpi").Exists() || gjson.Get(d, "plan").Exists() {
		t.Errorf("panels: %.300s", d)
	}
	csv, err := s.CSV(true, false, "")
	if err != nil || !strings.HasPrefix(string(csv), "\ufeffcustomer_id,") {
		t.Errorf("csv: %v %.40q", err, csv)
	}
	if r := s.Rows("", 0, 5); gjson.Get(r, "rows.#").Int() != 5 || gjson.Get(r, "total").Int() == 0 {
		t.Errorf("rows: %.200s", r)
	}
	if p := s.Points(`{"threshold":500}`); gjson.Get(p, "sweep.#").Int() != 5 {
		t.Errorf("points: %.200s", p)
	}
}

func TestApplyErrors(t *testing.T) {
	var l Loader
	s, _ := load(t, &l, nil, sample(t, "grocery_en.csv"), "", 1<<20)
	for _, c := range []struct{ scenario, opts, code, path string }{
		{`{"rfm":{"r":{"method":"quantile","levels":12}}}`, "", "invalid_field", "rfm.r.levels"},
		{`{"rfm":`, "", "error", ""},
		{"", `{"nope":1}`, "bad_options", "run options.nope"},
	} {
		a := s.Apply(c.scenario, 8, c.opts)
		if gjson.Get(a, "code").Str != c.code || gjson.Get(a, "path").Str != c.path {
			t.Errorf("%s %s: %s", c.scenario, c.opts, a)
		}
	}
	if a := (&Session{}).Apply("", 8, ""); gjson.Get(a, "code").Str != "no_data" {
		t.Errorf("no data: %s", a)
	}
}

func TestLoadErrorsKeepRejects(t *testing.T) {
	var l Loader
	s, ans := load(t, &l, nil, []byte("A,B,C\nx,2024-01-02,5\n"), "", 64)
	if gjson.Get(ans, "code").Str != "missing_column" || gjson.Get(ans, "missing.#").Int() != 3 || gjson.Get(ans, "report.preview.#").Int() != 1 {
		t.Errorf("missing columns: %s", ans)
	}
	if a := s.Apply("", 8, ""); gjson.Get(a, "code").Str != "no_data" {
		t.Errorf("a failed load scored: %s", a)
	}
	// Every row skipped: the rows can still be downloaded.
	bad := []byte("customer_id,order_date,amount\na,never,1\nb,2024-13-40,2\n")
	s, ans = load(t, &l, s, bad, `{"rejects":true}`, 64)
	if gjson.Get(ans, "code").Str != "nothing_usable" {
		t.Errorf("nothing usable: %s", ans)
	}
	csv, err := s.Rejects(`{"header":["行","列","值","原因","原始行"],"reasons":{"bad_date":"日期无法识别"}}`)
	if err != nil || !strings.Contains(string(csv), "行,列,值,原因,原始行") || strings.Count(string(csv), "日期无法识别") != 2 || !strings.Contains(string(csv), "b,2024-13-40,2") {
		t.Errorf("rejects: %v\n%s", err, csv)
	}
	if _, ans = load(t, &l, s, []byte("\x89PNG\r\n\x1a\n"), "", 4); gjson.Get(ans, "code").Str != "not_text" || gjson.Get(ans, "kind").Str != "png" {
		t.Errorf("png: %s", ans)
	}
	if _, ans = load(t, &l, nil, bad, `{"encoding":"ebcdic"}`, 64); gjson.Get(ans, "code").Str != "bad_options" {
		t.Errorf("bad options: %s", ans)
	}
}

// TestLoaderStreams hands a large file over in chunks: it is parsed while
// it arrives, and gives what a whole parse gives.
func TestLoaderStreams(t *testing.T) {
	base := sample(t, "grocery_en.csv")
	header, body, _ := strings.Cut(string(base), "\n")
	var b strings.Builder
	b.WriteString(header + "\n")
	for b.Len() < StreamMin+3*StreamStep {
		b.WriteString(body)
	}
	data := []byte(b.String())
	var l Loader
	s, ans := load(t, &l, nil, data, `{"rejects":true}`, 1<<20)
	if !gjson.Get(ans, "streamed").Bool() {
		t.Fatalf("not streamed: %.300s", ans)
	}
	o, rep, err := ingest.Parse(data, ingest.Options{KeepRejects: true})
	if err != nil {
		t.Fatal(err)
	}
	var got ingest.Report
	if err := json.Unmarshal([]byte(gjson.Get(ans, "report").Raw), &got); err != nil {
		t.Fatal(err)
	}
	if got.RowsKept != rep.RowsKept || got.RowsSkipped != rep.RowsSkipped || s.Dataset().Orders.Len() != o.Len() {
		t.Errorf("streamed %d/%d, whole %d/%d", got.RowsKept, got.RowsSkipped, rep.RowsKept, rep.RowsSkipped)
	}
	// Loaded with other options than the stream was started with, the file
	// is parsed again.
	l.Alloc(len(data), s, "", true)
	for off := 0; off < len(data); off += 1 << 20 {
		l.Wrote(off, copy(l.Space(off), data[off:min(len(data), off+1<<20)]))
	}
	_, ans = l.Load(`{"date_format":"ymd"}`, s, nil)
	if gjson.Get(ans, "streamed").Bool() || gjson.Get(ans, "report.rows_kept").Int() != int64(rep.RowsKept) {
		t.Errorf("reload: streamed %v, kept %v, want %d", gjson.Get(ans, "streamed"), gjson.Get(ans, "report.rows_kept"), rep.RowsKept)
	}
}

// TestLoaderRelease drops a loaded file's bytes, as the page does before
// the first run: the session stays usable, and the file written again
// loads as before.
func TestLoaderRelease(t *testing.T) {
	data := sample(t, "grocery_en.csv")
	var l Loader
	s, ans := load(t, &l, nil, data, "", 4096)
	want := s.Apply("", 8, "")
	l.Release()
	if l.buf != nil || l.n != 0 {
		t.Fatalf("released: %d bytes held, %d written", len(l.buf), l.n)
	}
	runtime.GC()
	if got := s.Apply("", 8, ""); got != want {
		t.Errorf("the run after the bytes were released differs:\n%.300s\nwant\n%.300s", got, want)
	}
	s2, ans2 := load(t, &l, s, data, "", 4096)
	if ans2 != ans || s2.Apply("", 8, "") != want {
		t.Errorf("loaded again after a release: %.300s\nwant %.300s", ans2, ans)
	}
}

// TestLoaderSplit reads a file larger than SplitMin in two parts, as the
// page does with two cores, and checks that the load, the first run and
// the customer CSV are those of the file read in one part; a part that
// does not start where a record of the stream ends is refused, and the
// loader reads on alone.
func TestLoaderSplit(t *testing.T) {
	base := sample(t, "apparel_zh.csv")
	header, body, _ := strings.Cut(string(base), "\n")
	var b strings.Builder
	b.WriteString(header + "\n")
	for b.Len() < SplitMin+StreamStep {
		b.WriteString(body)
	}
	data := []byte(b.String())
	const opts = `{"rejects":true}`
	var whole Loader
	ws, wans := load(t, &whole, nil, data, opts, 1<<20)
	wantRun, wantCSV := ws.Apply("", 8, ""), csvOf(t, ws)
	if gjson.Get(wans, "split").Bool() {
		t.Fatalf("read in two parts without Split: %.200s", wans)
	}
	for _, shift := range []int{0, -1, 1} {
		var l Loader
		l.Alloc(len(data), nil, opts, true)
		at := len(data) / 2
		seed := l.Split(at)
		if seed == 0 {
			t.Fatal("Split refused a streamed file")
		}
		pr, err := NewPartReader(data[:1<<20], at, len(data), opts, seed)
		if err != nil {
			t.Fatal(err)
		}
		tail := data[at:]
		for off := 0; off < len(tail); off += 1 << 19 {
			pr.Wrote(off, copy(pr.Space(off), tail[off:min(len(tail), off+1<<19)]))
		}
		part, from, err := pr.Finish()
		if err != nil || from < at {
			t.Fatalf("part: %v (from %d)", err, from)
		}
		// Written up to where the part starts (as the page does), and the
		// rest only when the part was not joined.
		write := func(lo, hi int) {
			for off := lo; off < hi; off += 1 << 20 {
				l.Wrote(off, copy(l.Space(off), data[off:min(hi, off+1<<20)]))
			}
		}
		write(0, from+shift)
		jerr := l.Join(from+shift, part)
		if (jerr == nil) != (shift == 0) {
			t.Errorf("shift %d: Join: %v", shift, jerr)
		}
		if jerr != nil {
			write(from+shift, len(data))
		}
		s, ans := l.Load(opts, nil, nil)
		if gjson.Get(ans, "split").Bool() != (shift == 0) || !gjson.Get(ans, "streamed").Bool() {
			t.Errorf("shift %d: split %v streamed %v", shift, gjson.Get(ans, "split"), gjson.Get(ans, "streamed"))
		}
		if gjson.Get(ans, "report").Raw != gjson.Get(wans, "report").Raw || gjson.Get(ans, "rejects").Int() != gjson.Get(wans, "rejects").Int() {
			t.Fatalf("shift %d: report\n%.400s\nwhole\n%.400s", shift, gjson.Get(ans, "report").Raw, gjson.Get(wans, "report").Raw)
		}
		if run := s.Apply("", 8, ""); run != wantRun {
			t.Errorf("shift %d: the first run differs", shift)
		}
		if !bytes.Equal(csvOf(t, s), wantCSV) {
			t.Errorf("shift %d: the customer CSV differs", shift)
		}
	}
	// A small file is read in one part.
	var small Loader
	small.Alloc(SplitMin-1, nil, opts, true)
	if small.Split((SplitMin-1)/2) != 0 {
		t.Error("Split took a file under SplitMin")
	}
}

// csvOf returns the customer CSV of a session's last run.
func csvOf(t *testing.T, s *Session) []byte {
	t.Helper()
	b, err := s.CSV(false, false, "")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLoaderStats hands a stats file larger than StreamMin over in
// chunks, as the page does: it is not streamed as orders but read whole as
// stats, one customer a row.
func TestLoaderStats(t *testing.T) {
	var b strings.Builder
	b.WriteString("customer_id,first_date,last_date,orders,purchase_days,revenue\n")
	n := 0
	for ; b.Len() < StreamMin+StreamStep; n++ {
		fmt.Fprintf(&b, "C%07d,2025-0%d-01,2025-09-%02d,%d,2,%d.50\n", n, 1+n%8, 10+n%19, 2+n%5, 10+n%900)
	}
	var l Loader
	s, ans := load(t, &l, nil, []byte(b.String()), "", 1<<20)
	if s == nil || gjson.Get(ans, "error").Exists() {
		t.Fatalf("load: %.300s", ans)
	}
	if gjson.Get(ans, "streamed").Bool() || !strings.HasPrefix(gjson.Get(ans, "report.format").Str, "stats") ||
		gjson.Get(ans, "report.customers").Int() != int64(n) {
		t.Fatalf("streamed %v, format %q, %v customers; want stats of %d", gjson.Get(ans, "streamed"), gjson.Get(ans, "report.format").Str, gjson.Get(ans, "report.customers"), n)
	}
	if run := s.Apply("", 8, ""); gjson.Get(run, "error").Exists() {
		t.Fatalf("run: %.300s", run)
	}
	if got := s.Dataset().Customers.Len(); got != n {
		t.Errorf("%d customers scored, want %d", got, n)
	}
}

func TestCheckPlaybookAndDefaults(t *testing.T) {
	if a := CheckPlaybook(`{"segments":[{"segment":"lost","actions":[{"name":"a","channel":"sms","cost":0,"response":0.1,"baseline":0,"order_value":10,"margin":0.3}]}]}`); gjson.Get(a, "path").Str != "segments[0].actions[0].cost" {
		t.Errorf("playbook: %s", a)
	}
	if d := Defaults(); !gjson.Get(d, "rfm.r.method").Exists() {
		t.Errorf("defaults: %.100s", d)
	}
}

// sampleDataset loads a bundled sample with the default options.
func sampleDataset(t testing.TB, name string) *engine.Dataset {
	t.Helper()
	d, err := engine.Load(sample(t, name), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestActionProfits(t *testing.T) {
	got := ActionProfits(`[{"cost":2,"response":0.1,"baseline":0.02,"order_value":100,"margin":0.5},{"cost":"x","response":0.1,"baseline":0,"order_value":1,"margin":1},{}]`)
	var ps []*float64
	if err := json.Unmarshal([]byte(got), &ps); err != nil || len(ps) != 3 || ps[0] == nil || *ps[0] < 1.999 || *ps[0] > 2.001 || ps[1] != nil || ps[2] != nil {
		t.Errorf("%s", got)
	}
	if ActionProfits(`[]`) != "[]" {
		t.Error("an empty list")
	}
}

// TestAnswerEchoesOnlyNormalised checks that an answer carries the
// scenario only when the core wrote it otherwise than it was sent.
func TestAnswerEchoesOnlyNormalised(t *testing.T) {
	var l Loader
	s, _ := load(t, &l, nil, sample(t, "grocery_en.csv"), "", 1<<20)
	a := s.Apply(`{"segments":{"scheme":"rfm8"}}`, 8, "")
	full := gjson.Get(a, "scenario")
	if !full.IsObject() || !full.Get("rfm.r.method").Exists() {
		t.Fatalf("a partial scenario came back without its defaults: %.200s", a)
	}
	// The normalised text sent again: nothing to echo.
	b := s.Apply(full.Raw, 8, "")
	if gjson.Get(b, "scenario").Exists() || !gjson.Get(b, "view").Exists() {
		t.Errorf("an unchanged scenario was echoed: %.200s", b)
	}
}

func TestApplyAfterRefusedScenario(t *testing.T) {
	var l Loader
	s, _ := load(t, &l, nil, sample(t, "grocery_en.csv"), "", 1<<20)
	if a := s.Apply(`{"rfm":{"r":{"method":"quantile","levels":99}}}`, 8, ""); gjson.Get(a, "code").Str != "invalid_field" {
		t.Fatalf("refused: %.200s", a)
	}
	if a := s.Apply(Defaults(), 8, ""); !gjson.Get(a, "view").Exists() {
		t.Fatalf("the defaults after a refused scenario: %.300s", a)
	}
}

// TestCalendarAnswers: the view carries the buyer series, the migration
// panel's projection follows the calendar (two years of data) or says it
// cannot (eight months), and the points what-if says how it weighted
// customers.
func TestCalendarAnswers(t *testing.T) {
	var l Loader
	s, _ := load(t, &l, nil, sample(t, "grocery_en.csv"), "", 1<<20)
	a := s.Apply("", 8, `{"migration":true}`)
	if n := gjson.Get(a, "view.buyer_series.#").Int(); n != 24 {
		t.Errorf("%d months in the buyer series", n)
	}
	p := gjson.Get(a, "migration.projection")
	if p.Get("inflow_basis").Str != "calendar" || p.Get("notes.0.code").Str != "inflow_calendar" || p.Get("periods.0.start").Str == "" || p.Get("periods.0.factor").Float() <= 0 {
		t.Errorf("projection: %.400s", p.Raw)
	}
	if a := s.Apply(`{"window":{"asof":"2025-03-01"}}`, 8, `{"migration":true}`); gjson.Get(a, "migration.projection.notes.1.code").Str != "short_history" {
		t.Errorf("short history: %.400s", gjson.Get(a, "migration.projection").Raw)
	}
	// As of 2025-03-01 the history is 243 days: the look-ahead is half.
	if k := gjson.Get(s.Points(""), "keep"); k.Get("basis").Str != "repurchase" || k.Get("bands.#").Int() != 5 || k.Get("days").Int() != 121 || k.Get("cut").Str != "2024-10-31" {
		t.Errorf("points keep: %s", k.Raw)
	}
}
