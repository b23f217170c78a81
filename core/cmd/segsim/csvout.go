package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"segsim/core/engine"
	"segsim/core/lifecycle"
	"segsim/core/simulate"
	"segsim/core/strategy"
)

// checkFormat says whether format is one a subcommand offers, and
// explains the choice when it is not.
func checkFormat(cmd, format string, stderr io.Writer, allowed ...string) bool {
	for _, a := range allowed {
		if format == a {
			return true
		}
	}
	fmt.Fprintf(stderr, "segsim %s: --format %q: want %s\n", cmd, format, orList(allowed))
	return false
}

func orList(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, v := range s[1 : len(s)-1] {
		out += ", " + v
	}
	return out + " or " + s[len(s)-1]
}

// CSV output: one tidy table per subcommand, numbers as plain decimals
// (a point, no thousands separators), money with two decimals, shares as
// fractions, names as in the JSON output.

func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	cw.WriteAll(rows)
	return cw.Error()
}

func itoa(n int) string       { return strconv.Itoa(n) }
func ftoa(v float64) string   { return strconv.FormatFloat(v, 'f', -1, 64) }
func money2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
func share4(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
func round1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
func whole(v float64) string  { return strconv.FormatFloat(v, 'f', 0, 64) }
func optMoney(v float64) string { // -1 means never
	if v < 0 {
		return ""
	}
	return money2(v)
}

// segmentsCSV writes the segment, class, tier and stage tables.
func segmentsCSV(w io.Writer, rep *engine.Report) error {
	var rows [][]string
	for _, t := range []struct {
		grouping string
		groups   []engine.Group
	}{{"segment", rep.Segments}, {"class", rep.Classes}, {"tier", rep.TierTable}, {"stage", rep.Stages}} {
		for _, g := range t.groups {
			rows = append(rows, []string{t.grouping, g.Name, itoa(g.Customers), share4(g.CustomerShare), strconv.FormatInt(g.Orders, 10),
				money2(g.Revenue), share4(g.RevenueShare), money2(g.AOV), whole(g.MedianRecency)})
		}
	}
	return writeCSV(w, []string{"grouping", "name", "customers", "customer_share", "orders", "revenue", "revenue_share", "aov", "median_recency"}, rows)
}

// cohortsCSV writes one row per cohort and period after the first.
func cohortsCSV(w io.Writer, tab *simulate.CohortTable) error {
	var rows [][]string
	for _, c := range tab.Cohorts {
		for k := range c.Active {
			rows = append(rows, []string{c.Start, itoa(c.Size), itoa(k), itoa(c.Active[k]), share4(c.Retention[k]), money2(c.Revenue[k])})
		}
	}
	return writeCSV(w, []string{"cohort", "size", "period", "active", "retention", "revenue"}, rows)
}

// buyerSeriesCSV writes one row per month of the buyer series.
func buyerSeriesCSV(w io.Writer, series []lifecycle.Month) error {
	rows := make([][]string, 0, len(series))
	for _, m := range series {
		rows = append(rows, []string{m.Month, itoa(m.Days), itoa(m.Base), itoa(m.NewBuyers), itoa(m.NewOrders), money2(m.NewRevenue), money2(m.NewAOV),
			itoa(m.ReturningBuyers), itoa(m.ReturningOrders), money2(m.ReturningRevenue), money2(m.ReturningAOV)})
	}
	return writeCSV(w, []string{"month", "days", "base", "new_buyers", "new_orders", "new_revenue", "new_aov",
		"returning_buyers", "returning_orders", "returning_revenue", "returning_aov"}, rows)
}

// projectCSV writes the migration matrix (one row per pair of states)
// and the projection (one row per period and state, then its inflow,
// month-of-year factor and totals).
func projectCSV(w io.Writer, m *simulate.Matrix, p *simulate.Projection) error {
	var rows [][]string
	for i, from := range m.States {
		for j, to := range m.States {
			rows = append(rows, []string{"migration", "0", from, to, itoa(m.Counts[i][j]), share4(m.Prob[i][j])})
		}
	}
	for j, s := range m.States {
		rows = append(rows, []string{"projection", "0", s, "", itoa(m.Now[j]), ""})
	}
	for _, per := range p.Periods {
		for j, s := range p.States {
			rows = append(rows, []string{"projection", itoa(per.Period), s, "", round1(per.Customers[j]), ""})
		}
		rows = append(rows,
			[]string{"projection", itoa(per.Period), "inflow", "", round1(per.Inflow), ""},
			[]string{"projection", itoa(per.Period), "factor", "", ftoa(per.Factor), ""},
			[]string{"projection", itoa(per.Period), "total", "", round1(per.Total), ""},
			[]string{"projection", itoa(per.Period), "active", "", round1(per.Active), ""},
			[]string{"projection", itoa(per.Period), "gmv", "", money2(per.GMV), ""})
	}
	return writeCSV(w, []string{"table", "period", "state", "to", "customers", "share"}, rows)
}

// planCSV writes one row per segment and action of the plan (a segment
// not contacted has one row without an action), then the total.
func planCSV(w io.Writer, p *strategy.Plan) error {
	var rows [][]string
	for _, s := range p.Segments {
		seg := []string{s.Segment, itoa(s.Customers), itoa(s.Holdout), itoa(s.HoldoutNeeded), optMoney(s.WorthFrom), s.NoteCode}
		n := 0
		for _, a := range s.Actions {
			if a.Contacted == 0 {
				continue
			}
			rows = append(rows, append(seg[:6:6], a.Action, a.Channel, itoa(a.Contacted), money2(a.Cost), ftoa(a.ExpectedOrders),
				money2(a.IncrementalRevenue), money2(a.Profit), ftoa(a.ROI), money2(a.OrderValue), ftoa(a.Response), ftoa(a.Baseline), a.Basis))
			n++
		}
		if n == 0 {
			rows = append(rows, append(seg[:6:6], "", "", "0", "0.00", "0", "0.00", "0.00", "0", "", "", "", ""))
		}
	}
	t := p.Total
	rows = append(rows, []string{"total", "", "", "", "", "", "", "", itoa(t.Contacted), money2(t.Cost), ftoa(t.ExpectedOrders),
		money2(t.IncrementalRevenue), money2(t.Profit), ftoa(t.ROI), "", "", "", ""})
	return writeCSV(w, []string{"segment", "customers", "holdout", "holdout_needed", "worth_from", "note", "action", "channel",
		"contacted", "cost", "expected_orders", "incremental_revenue", "profit", "roi", "order_value", "response", "baseline", "basis"}, rows)
}

// writeIndentedJSON writes v as indented JSON, with <, > and & as they are.
func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
