package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEncodeMatchesEncodingJSON checks that the hand-written encoders write
// exactly what encoding/json writes for the same score, plan and readout
// answers.
func TestEncodeMatchesEncodingJSON(t *testing.T) {
	h := NewHandler(DefaultLimits, fixedToday)
	bodies := map[string]string{"one": oneCustomer, "batch": batchBody(300, 3), "stats": statsBody(300)}
	paths, _ := filepath.Glob("testdata/*.json")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		bodies[filepath.Base(p)] = string(b)
	}
	// Names and labels that need escaping.
	bodies["escapes"] = `{"asof":"2026-11-01","orders":[
		{"customer_id":"a<b>&\"q\"\\ \t\u2028\u2029 é 客户","order_date":"2026-10-01","amount":5},
		{"customer_id":"\u0001\u001f\b\f\n\r","order_date":"2026-10-02","amount":7}]}`
	// A report with every part: skips, a warning (a field first seen after
	// the 50th record), cleaning counts and an unscored customer.
	var rep strings.Builder
	rep.WriteString(`{"asof":"2026-11-01","orders":[`)
	for i := range 50 {
		fmt.Fprintf(&rep, `{"customer_id":"c%d","order_date":"2026-10-%02d","amount":%d,"status":"paid"},`, i%7, 1+i%28, 10+i)
	}
	rep.WriteString(`{"customer_id":"r","order_date":"2026-10-03","amount":-5,"status":"refunded","note":"late"},`)
	rep.WriteString(`{"customer_id":"c1","order_date":"someday","amount":"x<y"}]}`)
	bodies["report"] = rep.String()
	for name, body := range bodies {
		ans, ae := h.Score([]byte(body))
		if ae != nil {
			t.Fatalf("%s: %v", name, ae)
		}
		if name == "report" {
			r := ans.Report
			if len(r.Skips) == 0 || len(r.Warnings) == 0 || len(r.Clean) == 0 || len(r.Unscored) == 0 || len(r.Roles) == 0 {
				t.Fatalf("report body: the report lacks a part: %+v", r)
			}
		}
		compareEncodings(t, name, ans, ans.appendJSON)
		pa, ae := h.Plan([]byte(`{"budget":500,` + strings.TrimPrefix(body, "{")))
		if ae != nil {
			t.Fatalf("%s plan: %v", name, ae)
		}
		compareEncodings(t, name+" plan", pa, pa.appendJSON)
	}
	ra, ae := h.Readout([]byte(genCampaign(1).body("")))
	if ae != nil {
		t.Fatalf("readout: %v", ae)
	}
	compareEncodings(t, "readout", ra, ra.appendJSON)
}

func compareEncodings(t *testing.T, name string, v any, enc func([]byte) ([]byte, error)) {
	t.Helper()
	want, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := enc(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Errorf("%s: differs from encoding/json at byte %d:\n got …%.80s\nwant …%.80s", name, i, got[i:], want[i:])
	}
}
