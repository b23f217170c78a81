package session

import (
	"testing"

	"github.com/tidwall/gjson"
)

// TestSnapshots keeps a snapshot of the grocery sample by class as of
// 2026-01-01 and compares it with a run as of 2026-03-01: each customer of
// the later run is counted once (stayed, moved or new), each of the
// snapshot once (compared or gone), and the moves agree with a direct
// count by customer id.
func TestSnapshots(t *testing.T) {
	var l Loader
	s, ans := load(t, &l, nil, sample(t, "grocery_en.csv"), "", 1<<20)
	if s == nil {
		t.Fatal(ans)
	}
	s.Apply(`{"window":{"asof":"2026-01-01"}}`, 8, "")
	snap := s.Snapshot("class")
	if gjson.Get(snap, "asof").String() != "2026-01-01" || gjson.Get(snap, "ids.#").Int() == 0 {
		t.Fatalf("snapshot %.200s", snap)
	}
	before := map[string]string{}
	states := gjson.Get(snap, "states").Array()
	labels := gjson.Get(snap, "labels").Array()
	for i, id := range gjson.Get(snap, "ids").Array() {
		before[id.String()] = states[labels[i].Int()].String()
	}
	s.Apply(`{"window":{"asof":"2026-03-01"}}`, 8, "")
	now := s.Snapshot("class")
	after := map[string]string{}
	labels = gjson.Get(now, "labels").Array()
	for i, id := range gjson.Get(now, "ids").Array() {
		after[id.String()] = states[labels[i].Int()].String()
	}
	cmp := s.CompareSnapshot(snap)
	if gjson.Get(cmp, "error").Exists() {
		t.Fatal(cmp)
	}
	names := gjson.Get(cmp, "matrix.states").Array()
	want := map[[2]string]int{}
	wantNew, wantGone := map[string]int{}, map[string]int{}
	for id, to := range after {
		if from, ok := before[id]; ok {
			want[[2]string{from, to}]++
		} else {
			wantNew[to]++
		}
	}
	for id, from := range before {
		if _, ok := after[id]; !ok {
			wantGone[from]++
		}
	}
	moved := 0
	for i, row := range gjson.Get(cmp, "matrix.counts").Array() {
		for j, c := range row.Array() {
			if int(c.Int()) != want[[2]string{names[i].String(), names[j].String()}] {
				t.Errorf("%s → %s: %d, want %d", names[i], names[j], c.Int(), want[[2]string{names[i].String(), names[j].String()}])
			}
			if i != j {
				moved += int(c.Int())
			}
		}
		if g := int(gjson.Get(cmp, "gone").Array()[i].Int()); g != wantGone[names[i].String()] {
			t.Errorf("gone from %s: %d, want %d", names[i], g, wantGone[names[i].String()])
		}
		if e := int(gjson.Get(cmp, "matrix.entered").Array()[i].Int()); e != wantNew[names[i].String()] {
			t.Errorf("new in %s: %d, want %d", names[i], e, wantNew[names[i].String()])
		}
	}
	if moved == 0 || len(wantNew) == 0 {
		t.Errorf("two months apart, %d moved and %v new: the test shows nothing", moved, wantNew)
	}
	if c := s.CompareSnapshot(`{"by":"stage","states":["nope"],"ids":[],"labels":[]}`); gjson.Get(c, "code").String() != "bad_snapshot" {
		t.Errorf("bad snapshot: %.200s", c)
	}
}
