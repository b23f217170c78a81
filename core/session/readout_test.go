package session

import (
	"testing"

	"github.com/tidwall/gjson"
)

// TestReadoutOwnPlan plans the grocery sample as of 2026-03-01 and reads
// March out twice: from the session's own plan and loaded orders, and from
// the exported plan CSV and the file's bytes, as the page's two modes do.
// The two readouts must be equal.
func TestReadoutOwnPlan(t *testing.T) {
	var l Loader
	data := sample(t, "grocery_en.csv")
	s, ans := load(t, &l, nil, data, "", 1<<20)
	if s == nil {
		t.Fatalf("load: %s", ans)
	}
	opts := `{"start":"2026-03-01","end":"2026-03-31"}`
	if a := s.MeasuredPlaybook(); gjson.Get(a, "code").String() != "no_readout" {
		t.Errorf("measured before a readout: %.200s", a)
	}
	if a := s.Readout(nil, nil, opts); gjson.Get(a, "code").String() != "no_plan" {
		t.Errorf("readout before a plan: %.200s", a)
	}
	if a := s.Apply(`{"window":{"asof":"2026-03-01"}}`, 8, `{"plan":true}`); gjson.Get(a, "error").Exists() {
		t.Fatal(a)
	}
	own := s.Readout(nil, nil, opts)
	if gjson.Get(own, "error").Exists() || gjson.Get(own, "readout.total.contacted").Int() == 0 || gjson.Get(own, "plan_load").Exists() {
		t.Fatalf("own plan: %.300s", own)
	}
	plan, err := s.CSV(true, true, "") // the Chinese export, as a Chinese user downloads it
	if err != nil {
		t.Fatal(err)
	}
	files := s.Readout(plan, data, opts)
	if gjson.Get(files, "plan_load.rows_kept").Int() != gjson.Get(own, "readout.outcomes.untouched").Int()+gjson.Get(own, "readout.total.contacted").Int()+gjson.Get(own, "readout.total.holdout").Int() {
		t.Errorf("plan file rows %v", gjson.Get(files, "plan_load.rows_kept"))
	}
	m := s.MeasuredPlaybook()
	if n := gjson.Get(m, "changes.#").Int(); n == 0 || !gjson.Get(m, "playbook.name").Exists() {
		t.Errorf("measured playbook: %.300s", m)
	}
	// Segment names differ (the Chinese export names them in Chinese), so
	// compare actions and the total.
	for _, k := range []string{"readout.actions", "readout.total", "readout.outcomes"} {
		if a, b := gjson.Get(own, k).Raw, gjson.Get(files, k).Raw; a != b {
			t.Errorf("%s differs:\nown   %.400s\nfiles %.400s", k, a, b)
		}
	}
	for opt, code := range map[string]string{`{"start":"2026-03-01"}`: "readout_window", `{"start":"2026-03-31","end":"2026-03-01"}`: "readout_window", `{"start":"March","end":"2026-03-01"}`: "readout_window"} {
		if a := s.Readout(nil, nil, opt); gjson.Get(a, "code").String() != code {
			t.Errorf("%s: %.200s, want code %s", opt, a, code)
		}
	}
	if a := s.Readout([]byte("customer_id,amount\na,1\n"), nil, opts); gjson.Get(a, "code").String() != "missing_column" || gjson.Get(a, "file").String() != "plan" || !gjson.Get(a, "report.headers").IsArray() {
		t.Errorf("orders as a plan: %.300s", a)
	}
	if a := s.Readout(nil, []byte("x\n1\n"), opts); gjson.Get(a, "file").String() != "orders" || gjson.Get(a, "code").String() != "missing_column" {
		t.Errorf("orders without columns: %.300s", a)
	}
	var empty Session
	if a := empty.Readout(plan, nil, opts); gjson.Get(a, "code").String() != "no_data" {
		t.Errorf("no orders: %.200s", a)
	}
}
