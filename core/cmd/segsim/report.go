package main

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"segsim/core/calendar"
	"segsim/core/clean"
	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/lifecycle"
)

// num formats an integer with thousands separators.
func num(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func money(v float64) string {
	whole := num(int(math.Trunc(v)))
	if v < 0 && whole[0] != '-' {
		whole = "-" + whole
	}
	return fmt.Sprintf("%s.%02d", whole, int(math.Round(math.Abs(v)*100))%100)
}

// cents formats an amount in minor units exactly, with thousands commas.
func cents(c int64) string {
	sign := ""
	u := uint64(c)
	if c < 0 {
		sign, u = "-", uint64(-c)
	}
	return fmt.Sprintf("%s%s.%02d", sign, num(int(u/100)), u%100)
}

// printReport writes the load and clean report.
func printReport(w io.Writer, ds *engine.Dataset, res *engine.Result) {
	printLoad(w, "load", ds.Load)
	for _, c := range ds.Clean {
		fmt.Fprintf(w, "clean %s: %s rows, %s customers (%s)%s\n", c.Rule, num(c.Rows), num(c.Customers), c.Action, note(c))
	}
	if res.Pred != nil && res.Pred.Model != nil {
		for _, warn := range res.Pred.Model.Warnings() {
			fmt.Fprintf(w, "  prediction warning: %s\n", warn)
		}
	}
	fmt.Fprintf(w, "as-of %s: %s customers, revenue %s\n", calendar.Format(res.AsOfDay), num(res.Len()), cents(res.Revenue))
	var unused []string
	for _, b := range res.Bins {
		fmt.Fprintf(w, "  %s (%s): edges %v, customers per score %v", b.Dim, b.Method, b.Edges, b.Counts)
		if b.Note != "" {
			fmt.Fprintf(w, "; %s", b.Note)
		}
		fmt.Fprintln(w)
		if b.Effective < b.Levels {
			unused = append(unused, fmt.Sprintf("%s uses %d of %d scores", b.Dim, b.Effective, b.Levels))
		}
	}
	if empty := res.EmptySegments(); len(empty) > 0 {
		why := "no customer matches their rules at these thresholds"
		if len(unused) > 0 {
			why = strings.Join(unused, ", ") + ": customers with equal values share a score, so the segments that need the unused scores stay empty (--ties split, or fewer levels, fills them)"
		}
		fmt.Fprintf(w, "  empty segments: %s — %s\n", strings.Join(empty, ", "), why)
	}
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func note(c clean.RuleCount) string {
	if c.Note == "" {
		return ""
	}
	return "; " + c.Note
}

// printTables writes the business numbers per segment, class, tier and stage.
func printTables(w io.Writer, ds *engine.Dataset, res *engine.Result) {
	rep := ds.Report(res)
	for _, t := range []struct {
		title  string
		groups []engine.Group
	}{
		{"segments (" + rep.Scheme + ")", rep.Segments},
		{"RFM classes", rep.Classes},
		{"value tiers", rep.TierTable},
		{"lifecycle stages", rep.Stages},
	} {
		fmt.Fprintf(w, "\n%s\n", t.title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "name\tcustomers\tshare\torders\trevenue\trevenue share\tAOV\tmedian recency\t")
		for _, g := range t.groups {
			fmt.Fprintf(tw, "%s\t%s\t%.1f%%\t%s\t%s\t%.1f%%\t%s\t%.0f\t\n", g.Name, num(g.Customers), g.CustomerShare*100,
				num(int(g.Orders)), money(g.Revenue), g.RevenueShare*100, money(g.AOV), g.MedianRecency)
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\ntags\n")
	for _, t := range rep.Tags {
		fmt.Fprintf(w, "  %-16s %s\n", t.Name, num(t.Customers))
	}
	b := rep.Buyers
	fmt.Fprintf(w, "\nbuyers %s..%s: %s new, %s old (%s repeat)\n", b.Start, b.End, num(b.NewBuyers), num(b.OldBuyers), num(b.OldRepeatBuyers))
	if err := ds.OrderLevel(); err != nil {
		fmt.Fprintf(w, "\nbuyers by month: %v\n", err)
	} else {
		printBuyerSeries(w, rep.BuyerSeries)
	}
	if rep.Check != nil && (len(rep.Check.Overlaps) > 0 || rep.Check.Gaps > 0 || len(rep.Check.Unreachable) > 0) {
		fmt.Fprintf(w, "scheme check: %d cells, %d gaps, overlaps %v, unreachable %v\n", rep.Check.Cells, rep.Check.Gaps, rep.Check.Overlaps, rep.Check.Unreachable)
	}
}

// printBuyerSeries writes the new and returning buyers month by month.
func printBuyerSeries(w io.Writer, series []lifecycle.Month) {
	fmt.Fprint(w, "\nbuyers by month: new (first order in the month) and returning (ordered before); AOV = revenue per order\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "month\tdays\tnew\tnew revenue\tnew AOV\treturning\treturning revenue\treturning AOV\tof base\t")
	for _, m := range series {
		of := "–"
		if m.Base > 0 {
			of = fmt.Sprintf("%.1f%%", float64(m.ReturningBuyers)/float64(m.Base)*100)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", m.Month, m.Days, num(m.NewBuyers), money(m.NewRevenue), money(m.NewAOV),
			num(m.ReturningBuyers), money(m.ReturningRevenue), money(m.ReturningAOV), of)
	}
	tw.Flush()
}

// printLoad writes what reading one file found: rows read, kept and
// skipped, columns, skip reasons, warnings and statuses.
func printLoad(w io.Writer, what string, l *ingest.Report) {
	src := l.Format + ", " + l.Encoding
	if l.BOM {
		src += " with BOM"
	}
	if l.Sheet != "" {
		src = fmt.Sprintf(".xlsx sheet %q", l.Sheet)
	}
	fmt.Fprintf(w, "%s: %s rows read (%s), %s kept, %s skipped\n", what, num(l.RowsRead), src, num(l.RowsKept), num(l.RowsSkipped))
	if p := ingest.PlatformByKey(l.Platform); p != nil {
		fmt.Fprintf(w, "recognised as: %s\n", p.Name)
	}
	if len(l.StatsMissing) > 0 {
		fmt.Fprintf(w, "stats without %s: gaps, discounts, weekend orders, first channels and repeat spend are estimated from evenly spaced purchases (some tags, the returned stage, predicted spend); `segsim stats` and `segsim sql` write every field\n", strings.Join(l.StatsMissing, ", "))
	}
	var roles []string
	if l.Stats() { // a stats file: its own fields
		for _, k := range slices.Sorted(maps.Keys(l.Roles)) {
			roles = append(roles, fmt.Sprintf("%s=%q", k, l.Roles[k]))
		}
	} else {
		for _, r := range ingest.Roles() {
			if h, ok := l.Roles[r.String()]; ok {
				roles = append(roles, fmt.Sprintf("%s=%q", r, h))
			}
		}
	}
	if l.DateFormat != "" {
		fmt.Fprintf(w, "columns: %s; dates %s\n", strings.Join(roles, " "), l.DateFormat)
	} else {
		fmt.Fprintf(w, "columns: %s\n", strings.Join(roles, " "))
	}
	for _, c := range l.SkipReasons {
		fmt.Fprintf(w, "  skipped %s rows: %s\n", num(c.Rows), c.Label)
	}
	for i, s := range l.Skips {
		if i == 5 {
			fmt.Fprintf(w, "  … %d more skipped rows described in the JSON report\n", len(l.Skips)-5)
			break
		}
		fmt.Fprintf(w, "  %v\n", s)
	}
	for _, warn := range l.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", warn)
	}
	if len(l.Statuses) > 0 {
		var counted, not []string
		for _, c := range l.Statuses {
			item := fmt.Sprintf("%q %s", c.Label, num(c.Rows))
			switch {
			case c.Unpaid:
				not = append(not, item+" (never paid)")
			case c.Return:
				not = append(not, item)
			default:
				counted = append(counted, item)
			}
		}
		fmt.Fprintf(w, "statuses counted: %s\n", orNone(counted))
		fmt.Fprintf(w, "statuses not counted: %s\n", orNone(not))
	}
	if l.LineItems > 0 {
		fmt.Fprintf(w, "  %s further line-item rows joined to their orders\n", num(l.LineItems))
	}
	if l.PartialRefunds > 0 {
		fmt.Fprintf(w, "  %s partial refunds netted from their orders\n", num(l.PartialRefunds))
	}
}
