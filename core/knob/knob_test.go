package knob

import (
	"errors"
	"fmt"
	"testing"
)

func TestError(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{Bad("rfm.r.levels", 12, "is not in 2..%d", 10), "rfm.r.levels: 12 is not in 2..10"},
		{Bad("clean.returns", "x", "is not one of net, drop"), `clean.returns: "x" is not one of net, drop`},
		{Bad("segments[0].name", nil, "empty"), "segments[0].name: empty"},
		{Wrap("window.start", errors.New(`date "x" is not YYYY-MM-DD`)), `window.start: date "x" is not YYYY-MM-DD`},
	} {
		if c.err.Error() != c.want {
			t.Errorf("%q, want %q", c.err, c.want)
		}
	}
	err := fmt.Errorf("invalid scenario: %w", Bad("tiers.cuts[1]", 0.5, "is below the previous cut %v", 0.8))
	var k *Error
	if !errors.As(err, &k) || k.Path != "tiers.cuts[1]" || k.Value != "0.5" || Path(err) != "tiers.cuts[1]" || Path(errors.New("x")) != "" {
		t.Errorf("errors.As: %+v", k)
	}
	inner := errors.New("boom")
	if w := Wrap("a.b", inner); !errors.Is(w, inner) {
		t.Error("Wrap does not unwrap to its cause")
	}
}

func TestWithin(t *testing.T) {
	inner := fmt.Errorf("invalid playbook: %w", Bad("segments[0].actions[1].cost", 0, "must be above 0"))
	err := Within("plan.custom", inner)
	if Path(err) != "plan.custom.segments[0].actions[1].cost" || err.Error() != "plan.custom.segments[0].actions[1].cost: 0 must be above 0" || !errors.Is(err, inner) {
		t.Errorf("%v (path %q)", err, Path(err))
	}
	if err := Within("tags", Bad("[2].name", nil, "empty")); Path(err) != "tags[2].name" {
		t.Errorf("index path %q", Path(err))
	}
	if err := Within("window", errors.New("boom")); Path(err) != "window" {
		t.Errorf("plain error path %q", Path(err))
	}
}
