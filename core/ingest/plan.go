package ingest

import (
	"fmt"
	"strings"
)

// PlanRow is one customer of a campaign plan as `segsim score --plan`
// writes it: the action planned (empty when the customer was not
// contacted), whether the customer was held out as a control, and, when
// the file has those columns, the group (segment) and the cost of the
// contact.
type PlanRow struct {
	Line    int // the row's line in the file
	ID      string
	Action  string
	Holdout bool
	Group   string
	// Cost is the cost of the contact in currency units; HasCost is false
	// when the file has no cost column or the cell is empty.
	Cost    float64
	HasCost bool
}

// planColumns are the normalised headers of the plan fields, best first;
// the customer is found by the usual aliases.
var planColumns = map[string][]string{
	"action":  {"action", "plannedaction", "运营动作", "动作"},
	"holdout": {"holdout", "isholdout", "heldout", "control", "对照组", "是否对照组"},
	"cost":    {"cost", "contactcost", "成本", "触达成本"},
}

// PlanOptions are the choices of ParsePlan beyond Options.
type PlanOptions struct {
	// Group is the header of the column that groups the readout (default
	// "segment", or 细分 in a Chinese export); "-" means none.
	Group string
}

// planMapping returns each plan field's column ("customer_id", "action",
// "holdout", and "group" and "cost" when present), or names what is
// missing.
func planMapping(headers []string, group string) (map[string]int, error) {
	norm := make([]string, len(headers))
	for i, h := range headers {
		norm[i] = normalizeHeader(h)
	}
	m := map[string]int{}
	for field, names := range planColumns {
		for _, n := range names {
			if i := indexOf(norm, n); i >= 0 {
				m[field] = i
				break
			}
		}
	}
	roles, err := DetectRoles(headers, nil)
	if err == nil && roles.Columns[RoleCustomer] >= 0 {
		m["customer_id"] = roles.Columns[RoleCustomer]
	}
	var missing []string
	for _, f := range []string{"customer_id", "action", "holdout"} {
		if _, ok := m[f]; !ok {
			missing = append(missing, f)
		}
	}
	if missing != nil {
		return nil, fmt.Errorf("%w: a plan needs customer_id, action and holdout columns (as segsim score --plan writes them); %s not found in the header %s",
			ErrMissingColumn, strings.Join(missing, ", "), quoteList(headers))
	}
	switch group {
	case "-":
	case "":
		for _, n := range []string{"segment", "细分"} {
			if i := indexOf(norm, n); i >= 0 {
				m["group"] = i
				break
			}
		}
	default:
		i := indexOf(headers, group)
		if i < 0 {
			i = indexOf(norm, normalizeHeader(group))
		}
		if i < 0 {
			return nil, fmt.Errorf("%w: group column %q is not in the header %s", ErrMissingColumn, group, quoteList(headers))
		}
		m["group"] = i
	}
	return m, nil
}

// ParsePlan reads a campaign plan (CSV, TSV…, in any encoding Parse
// reads). A row that cannot be read is skipped and reported, as Parse
// does: an empty customer id, a hold-out flag that is not yes or no, a
// cost that is not a number, or a customer listed twice.
func ParsePlan(data []byte, opt Options, popt PlanOptions) ([]PlanRow, *Report, error) {
	if err := kindError(Sniff(data)); err != nil {
		return nil, nil, err
	}
	rep := &Report{Roles: map[string]string{}}
	text, enc, bom, err := toUTF8(data, opt.Encoding)
	if err != nil {
		return nil, rep, err
	}
	rep.Encoding, rep.BOM = enc, bom
	if startsJSON(text) {
		return nil, rep, fmt.Errorf("parse plan: %w: this is JSON; a plan file is the CSV that segsim score --plan writes", ErrMissingColumn)
	}
	src := newDelimitedSource(text)
	rep.Format = "plan " + src.formatName()
	headers, err := src.headers()
	if err != nil {
		return nil, rep, err
	}
	rep.Headers = headers
	m, err := planMapping(headers, popt.Group)
	if err != nil {
		return nil, rep, fmt.Errorf("parse plan: %w", err)
	}
	for f, c := range m {
		rep.Roles[f] = headers[c]
	}
	b := recordBuilder(rep, headers, opt)
	var rows []PlanRow
	seen := map[string]int{}
	b.eachRecord(src, func(fields [][]byte, line int) {
		row, field, code, reason := planRow(fields, m)
		row.Line = line
		if field == "" {
			if first, dup := seen[row.ID]; dup {
				field, code, reason = "customer_id", "duplicate_customer", fmt.Sprintf("customer listed twice (first on line %d)", first)
			}
		}
		if field != "" {
			b.skipColumn(line, headers[m[field]], fields[m[field]], code, reason)
			return
		}
		seen[row.ID] = line
		rows = append(rows, row)
		rep.RowsRead++
		rep.RowsKept++
	})
	rep.Customers = len(rows)
	if len(rows) == 0 {
		return nil, rep, fmt.Errorf("parse plan: %w: no plan row could be read", ErrNothingUsable)
	}
	return rows, rep, nil
}

// planRow reads one record, or names the field it cannot read, the skip
// code and why.
func planRow(fields [][]byte, m map[string]int) (row PlanRow, field, code, reason string) {
	row.ID = string(CustomerKey(fields[m["customer_id"]]))
	if row.ID == "" {
		return row, "customer_id", "no_customer", "customer id is empty"
	}
	row.Action = string(trimSpace(fields[m["action"]]))
	var ok bool
	if row.Holdout, ok = parseYesNo(fields[m["holdout"]]); !ok {
		return row, "holdout", "bad_holdout", "hold-out flag is not one of true/false, yes/no, 1/0, 是/否"
	}
	if c, has := m["group"]; has {
		row.Group = string(trimSpace(fields[c]))
	}
	if c, has := m["cost"]; has && len(trimSpace(fields[c])) > 0 {
		cents, ok := ParseCents(fields[c])
		if !ok || cents < 0 {
			return row, "cost", "bad_amount", "cost is not a number of at least 0"
		}
		row.Cost, row.HasCost = float64(cents)/100, true
	}
	return row, "", "", ""
}

// parseYesNo reads a flag; an empty cell is no.
func parseYesNo(b []byte) (v, ok bool) {
	switch strings.ToLower(string(trimSpace(b))) {
	case "true", "yes", "y", "1", "t", "是", "对照组", "对照":
		return true, true
	case "false", "no", "n", "0", "f", "否", "":
		return false, true
	}
	return false, false
}
