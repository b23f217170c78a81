package main

import (
	"strings"
	"testing"
)

// TestStatsCommand: segsim stats writes every stats field; scoring that
// file gives the orders' customer CSV; cohorts, migration and the buyer
// series on stats say they need the order history, and the points what-if
// that it has none to weight customers by.
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
	// Nor is there a buyer series or a repurchase rate to observe.
	if code, _, errs := runCLI(t, stats, "cohorts", "--buyers", "--quiet", "-"); code != 1 || !strings.Contains(errs, "needs the order history") {
		t.Errorf("cohorts --buyers on stats: exit %d, %q", code, errs)
	}
	if _, out, _ := runCLI(t, stats, "segments", "--quiet", "-"); !strings.Contains(out, "buyers by month: needs the order history") {
		t.Errorf("segments on stats:\n%s", out)
	}
	if _, out, _ := runCLI(t, stats, "plan", "--points", "--quiet", "-"); !strings.Contains(out, "per-customer stats have no order history to measure repurchase in") {
		t.Errorf("plan --points on stats:\n%s", out)
	}
}
