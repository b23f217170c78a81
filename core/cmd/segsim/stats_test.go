package main

import (
	"strings"
	"testing"
)

// TestStatsCommand: segsim stats writes every stats field; scoring that
// file gives the orders' customer CSV; cohorts and migration on stats say
// they need the order history.
func TestStatsCommand(t *testing.T) {
	code, stats, errs := runCLI(t, sample, "stats", "--quiet", "-", "--asof", "2024-03-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if head, _, _ := strings.Cut(stats, "\n"); !strings.HasSuffix(head, ",first_channel,repeat_revenue") {
		t.Fatalf("header %q", head)
	}
	_, want, _ := runCLI(t, sample, "score", "--quiet", "-", "--asof", "2024-03-01")
	code, got, errs := runCLI(t, stats, "score", "--quiet", "-", "--asof", "2024-03-01")
	if code != 0 || got != want {
		t.Fatalf("exit %d (%s): score of the stats\n%s\nscore of the orders\n%s", code, errs, got, want)
	}
	for _, cmd := range []string{"cohorts", "project"} {
		code, _, errs := runCLI(t, stats, cmd, "--quiet", "-")
		if code != 1 || !strings.Contains(errs, "needs the order history") {
			t.Errorf("%s on stats: exit %d, %q", cmd, code, errs)
		}
	}
}
