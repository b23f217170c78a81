package engine

import (
	"errors"
	"fmt"
	"strings"

	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/tier"
)

// ErrFilter says that a filter names a kind or a group the result does
// not have.
var ErrFilter = errors.New("bad filter")

// Filter picks the customers of one group of a result: Kind is segment,
// class, tier, stage or action, Name the group's name (or its Chinese
// label). For action, Name is an action's name, "holdout" for the
// held-out customers or "none" for those neither contacted nor held out.
// The zero Filter picks everyone.
type Filter struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// ParseFilter reads "kind=name" (e.g. "segment=champions", "tier=core",
// "action=holdout"); "" is the zero Filter.
func ParseFilter(s string) (Filter, error) {
	if s == "" {
		return Filter{}, nil
	}
	k, n, ok := strings.Cut(s, "=")
	if !ok || n == "" {
		return Filter{}, fmt.Errorf("%w: %q is not kind=name (kinds: segment, class, tier, stage, action)", ErrFilter, s)
	}
	return Filter{Kind: strings.TrimSpace(k), Name: strings.TrimSpace(n)}, nil
}

// Selector returns whether customer i of r is in f's group (nil for the
// zero Filter, which picks everyone), or an error naming what r does not
// have.
func (r *Result) Selector(f Filter) (func(i int) bool, error) {
	if f.Kind == "" && f.Name == "" {
		return nil, nil
	}
	find := func(names []string, zh func(int) string) (uint8, error) {
		for i, n := range names {
			if n == f.Name || (zh != nil && zh(i) != "" && zh(i) == f.Name) {
				return uint8(i), nil
			}
		}
		return 0, fmt.Errorf("%w: %s %q is not one of %s", ErrFilter, f.Kind, f.Name, strings.Join(names, ", "))
	}
	var labels []uint8
	var want uint8
	var err error
	switch f.Kind {
	case "segment":
		labels = r.Segment
		want, err = find(r.SegmentNames, func(i int) string {
			if i < len(r.SegmentLabels) {
				return r.SegmentLabels[i].Zh
			}
			return ""
		})
	case "class":
		cl := classLabels()
		labels = r.Class
		want, err = find(rfm.ClassNames[:], func(i int) string { return cl[i].Zh })
	case "tier":
		want, err = find(tier.Names[:], func(i int) string { return tier.NamesZh[i] })
		if err != nil {
			return nil, err
		}
		return func(i int) bool { return r.Tier[i]&3 == want }, nil
	case "stage":
		labels = r.Stage
		want, err = find(lifecycle.Names[:], func(i int) string { return lifecycle.NamesZh[i] })
	case "action":
		return r.actionSelector(f.Name)
	default:
		return nil, fmt.Errorf("%w: kind %q is not segment, class, tier, stage or action", ErrFilter, f.Kind)
	}
	if err != nil {
		return nil, err
	}
	return func(i int) bool { return labels[i] == want }, nil
}

// actionSelector picks the customers given an action, held out, or
// neither.
func (r *Result) actionSelector(name string) (func(i int) bool, error) {
	a := r.Assigned
	if a == nil {
		return nil, fmt.Errorf("%w: no plan was made, so no customer has an action", ErrFilter)
	}
	switch name {
	case "holdout":
		return func(i int) bool { return a.Holdout[i] }, nil
	case "none":
		return func(i int) bool { return a.Action[i] < 0 && !a.Holdout[i] }, nil
	}
	var ks []int16
	for k, n := range a.Names {
		if n == name {
			ks = append(ks, int16(k))
		}
	}
	if ks == nil {
		return nil, fmt.Errorf("%w: the plan has no action %q (it has %s, holdout and none)", ErrFilter, name, strings.Join(a.Names, ", "))
	}
	return func(i int) bool {
		for _, k := range ks {
			if a.Action[i] == k {
				return true
			}
		}
		return false
	}, nil
}
