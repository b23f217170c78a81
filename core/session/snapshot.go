package session

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/tidwall/gjson"

	"segsim/core/calendar"
	"segsim/core/engine"
	"segsim/core/jsonenc"
	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/simulate"
)

// ErrBadSnapshot says that a kept snapshot cannot be compared.
var ErrBadSnapshot = errors.New("snapshot cannot be compared")

// states returns the names of the states by (class, stage or segment) and
// each customer's state in r.
func states(r *engine.Result, by string) ([]string, []uint8, error) {
	switch by {
	case "class":
		return rfm.ClassNames[:], r.Class, nil
	case "stage":
		return lifecycle.Names[:], r.Stage, nil
	case "segment":
		return r.SegmentNames, r.Segment, nil
	}
	return nil, nil, fmt.Errorf("%w: by %q is not class, stage or segment", ErrBadSnapshot, by)
}

// Snapshot returns the last run's customers by state (by: class, stage or
// segment), for the page to keep between visits: {"asof", "by",
// "states": [names], "ids": [customer ids], "labels": [state index per
// customer]}.
func (s *Session) Snapshot(by string) string {
	if s.res == nil || s.ds == nil || s.ds.Customers == nil {
		return ErrorJSON(fmt.Errorf("%w: nothing run yet", ErrNoData), nil)
	}
	names, labels, err := states(s.res, by)
	if err != nil {
		return ErrorJSON(err, nil)
	}
	t := s.ds.Customers
	b := make([]byte, 0, 64+t.Len()*16)
	b = append(b, `{"asof":"`...)
	b = calendar.Append(b, s.res.AsOfDay)
	b = append(b, `","by":`...)
	b = jsonenc.AppendString(b, by)
	b = append(b, `,"states":`...)
	b = append(b, marshal(names)...)
	b = append(b, `,"ids":[`...)
	for i := 0; i < t.Len(); i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonenc.AppendString(b, t.ID(i))
	}
	b = append(b, `],"labels":[`...)
	for i := 0; i < t.Len(); i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(labels[i]), 10)
	}
	b = append(b, "]}"...)
	return string(b)
}

// SnapshotComparison is a kept snapshot against the last run: the moves
// between states (Matrix.Counts, and Matrix.Entered for customers the
// snapshot did not have) and, per state of the snapshot, the customers
// this run no longer has.
type SnapshotComparison struct {
	From   string           `json:"from"` // the snapshot's as-of date
	To     string           `json:"to"`   // this run's
	By     string           `json:"by"`
	Matrix *simulate.Matrix `json:"matrix"`
	Gone   []int            `json:"gone"`
}

// CompareSnapshot compares a snapshot Snapshot wrote (kept by the page)
// with the last run, state by state by name.
func (s *Session) CompareSnapshot(text string) string {
	if s.res == nil || s.ds == nil || s.ds.Customers == nil {
		return ErrorJSON(fmt.Errorf("%w: nothing run yet", ErrNoData), nil)
	}
	snap := gjson.Parse(text)
	by := snap.Get("by").String()
	names, labels, err := states(s.res, by)
	if err != nil {
		return ErrorJSON(err, nil)
	}
	index := make(map[string]int, len(names))
	for i, n := range names {
		index[n] = i
	}
	// The snapshot's state numbers, as this run numbers them.
	var remap []int
	for _, n := range snap.Get("states").Array() {
		i, ok := index[n.String()]
		if !ok {
			return ErrorJSON(fmt.Errorf("%w: its state %q is not one of this run's (%s)", ErrBadSnapshot, n.String(), by), nil)
		}
		remap = append(remap, i)
	}
	ids, labs := snap.Get("ids").Array(), snap.Get("labels").Array()
	if len(ids) != len(labs) {
		return ErrorJSON(fmt.Errorf("%w: %d ids but %d labels", ErrBadSnapshot, len(ids), len(labs)), nil)
	}
	t := s.ds.Customers
	after := simulate.Snapshot{Keys: make([]int32, t.Len()), Labels: labels}
	key := make(map[string]int32, t.Len())
	for i := range after.Keys {
		after.Keys[i] = int32(i)
		key[t.ID(i)] = int32(i)
	}
	before := simulate.Snapshot{Keys: make([]int32, 0, len(ids)), Labels: make([]uint8, 0, len(ids))}
	gone := make([]int, len(names))
	for i, id := range ids {
		l := labs[i].Int()
		if l < 0 || int(l) >= len(remap) {
			return ErrorJSON(fmt.Errorf("%w: customer %d has state %d of %d", ErrBadSnapshot, i, l, len(remap)), nil)
		}
		k, ok := key[id.String()]
		if !ok {
			gone[remap[l]]++
			continue
		}
		before.Keys = append(before.Keys, k)
		before.Labels = append(before.Labels, uint8(remap[l]))
	}
	m, err := simulate.Migrate(names, before, after)
	if err != nil {
		return ErrorJSON(err, nil)
	}
	return marshal(SnapshotComparison{From: snap.Get("asof").String(), To: calendar.Format(s.res.AsOfDay), By: by, Matrix: m, Gone: gone})
}
