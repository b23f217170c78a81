package main

import (
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tidwall/gjson"

	"segsim/core/clean"
	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/scenario"
	"segsim/core/segment"
	"segsim/core/summary"
	"segsim/core/tier"
)

// The lone path scores a request for one customer (customer_id set) whose
// orders have the shape most callers send, every order an object with the
// same two or three fields, an ISO date, an amount and perhaps an order
// id, without building the engine's tables: the page's engine keeps what it needs to re-score a
// million customers as a slider moves, which costs a lone customer four
// times what scoring it does. It calls the same core functions that
// engine.Dataset.Run calls on one customer's row, so the answers are the
// same byte for byte (TestLoneMatchesEngine and FuzzLone compare them);
// whatever else a request holds or asks goes the usual way.

// loneMaxBody bounds the bodies the lone path reads: larger ones go the
// usual way, which pauses between stages.
const loneMaxBody = 64 << 10

// loneMaxSkips is how many skipped rows an answer describes, as ingest
// does for the usual path (ingest.Options.MaxSkipDetails).
const loneMaxSkips = 20

// loneWork is what the lone path reuses from one request to the next:
// memory that stays warm, where a fresh allocation is new memory to the
// cache, and work for the collector.
type loneWork struct {
	rows []loneRow
	app  *summary.Appender
}

var loneWorks = sync.Pool{New: func() any { return &loneWork{app: summary.NewAppender(nil, nil, 1, 0)} }}

// loneRow is an order row of a lone customer: its day, amount and order
// id ("" without an order id field).
type loneRow struct {
	day   int32
	cents int64
	order string
}

// lone scores a one-customer request under scenario s (named name) with
// the as-of date asOf (s's own is not read), or returns false when the
// request is not one the lone path reads.
func (h *Handler) lone(req request, s *scenario.Scenario, name, asOf string) (*scoreAnswer, bool) {
	id, orders := req.Get("customer_id"), req.Get("orders")
	if id.Type != gjson.String || !plainID(id.Raw) || !orders.IsArray() || req.Get("date_format").Exists() || s.Predict.Enabled {
		return nil, false
	}
	w, err := engine.Window(s.Window.Start, s.Window.End, asOf)
	if err != nil {
		return nil, false
	}
	work := loneWorks.Get().(*loneWork)
	defer func() {
		clear(work.rows) // the order ids point into this request's body
		if cap(work.rows) > 1024 {
			work.rows = nil // a large request's rows are not kept for the next
		}
		loneWorks.Put(work)
	}()
	rows, rep, ok := h.loneRows(orders, work.rows[:0])
	work.rows = rows
	if !ok {
		return nil, false
	}
	// Rows in day order, then in the order they came, as summary.Build
	// reads a customer's rows.
	slices.SortStableFunc(rows, func(a, b loneRow) int { return int(a.day) - int(b.day) })
	tally := clean.NewTally(s.Clean, w)
	test := tally.Test([]byte(id.Str))
	app := work.app
	app.Reset(s.Clean.HunterDiscount)
	for _, r := range rows {
		switch tally.Row(r.day, r.cents, test) {
		case summary.Sale:
			if r.order != "" {
				app.Order(r.day, r.cents, orderHash(r.order))
			} else {
				app.Sale(r.day, r.cents)
			}
		case summary.Adjustment:
			app.Adjust(r.cents)
		}
	}
	tally.Next()
	app.End(0)
	t := app.Table()
	rowRules, custRules := tally.Counts(), clean.Customers(t, s.Clean)
	if t.Len() != 1 {
		return nil, false // nothing left to score: the usual path says why
	}
	c, class, seg, ok := scoreLone(t, s, w.AsOf)
	if !ok {
		return nil, false
	}
	c.ID = id.Str
	l, ae := labelsOf(s)
	if ae != nil {
		return nil, false
	}
	for _, rules := range [][]clean.RuleCount{rowRules, custRules} {
		for _, r := range rules {
			if r.Rows > 0 || r.Customers > 0 {
				rep.Clean = append(rep.Clean, engineRuleCounter{Rule: r.Rule, Action: r.Action, Rows: r.Rows, Customers: r.Customers})
			}
		}
	}
	rep.Customers, rep.Scored = 1, 1
	return &scoreAnswer{API: APIVersion, Scenario: name, AsOf: asOf, Scheme: s.Segments.Scheme,
		Customers: []customerOut{l.customer(c, class, seg)}, Report: rep, lone: true}, true
}

// orderHash hashes an order id (FNV-1a): rows with equal ids are one
// order, as ingest tells them apart by a hash of the id.
func orderHash(id string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint64(id[i])) * 1099511628211
	}
	return h
}

// plainID tells whether a customer id, as its JSON text raw, is one the
// lone path takes: printable, with no escapes and no space, and not a
// number Excel wrote in scientific notation (which the usual path warns
// about).
func plainID(raw string) bool {
	if len(raw) < 3 || ingest.IsScientific([]byte(raw[1:len(raw)-1])) {
		return false
	}
	for i := 1; i < len(raw)-1; i++ {
		if c := raw[i]; c <= ' ' || c == '"' || c == '\\' || c == 0x7f {
			return false
		}
	}
	return true
}

// loneRows reads the order rows as ingest would: every row an object with
// the first row's two or three fields, in the same order, read as the
// order date, the amount and, when there are three, the order id; an ISO
// date (YYYY-MM-DD) in every row; an amount that is a number or a string,
// the rows whose amount does not read as one skipped; an order id that is
// a number or a plain string. It appends the rows to rows and returns
// them with the report of the load, or false for rows of any other shape.
func (h *Handler) loneRows(orders gjson.Result, rows []loneRow) ([]loneRow, loadReport, bool) {
	rep := loadReport{Source: "orders", Skips: []ingest.Skip{}, Clean: []engineRuleCounter{}, Unscored: []string{}}
	var keys loneFields
	var cols loneCols
	var abs float64
	ok := true
	n := 0
	orders.ForEach(func(_, rec gjson.Result) bool {
		var vals [3]gjson.Result
		k := 0
		ok = rec.IsObject() && n < h.limits.Rows
		rec.ForEach(func(key, v gjson.Result) bool {
			switch {
			case k == len(vals) || len(key.Raw) != len(key.Str)+2:
				ok = false
			case n == 0:
				keys[k] = key.Str
			case key.Str != keys[k]:
				ok = false
			}
			if ok {
				vals[k] = v
				k++
			}
			return ok
		})
		if !ok || k < 2 || (n > 0 && k != cols.fields) {
			ok = false
			return false
		}
		if n == 0 {
			if cols = loneRoles(keys, k); cols.date < 0 {
				ok = false
				return false
			}
			rep.Roles = map[string]string{"date": keys[cols.date], "amount": keys[cols.amount]}
			if cols.order >= 0 {
				rep.Roles["order"] = keys[cols.order]
			}
		}
		n++
		date, amount := vals[cols.date], vals[cols.amount]
		if date.Type != gjson.String || len(date.Raw) != 12 || len(date.Str) != 10 || date.Str[4] != '-' || date.Str[7] != '-' {
			ok = false
			return false
		}
		day, dok := ingest.ParseDate([]byte(date.Str), ingest.FormatYMD)
		if !dok {
			ok = false
			return false
		}
		field, fok := loneText(amount)
		// With an order id, an empty amount makes a further line of the
		// order before it.
		if !fok || (cols.order >= 0 && strings.TrimSpace(field) == "") {
			ok = false
			return false
		}
		var order string
		if cols.order >= 0 {
			if order, ok = loneOrderID(vals[cols.order]); !ok {
				return false
			}
		}
		cents, cok := ingest.ParseCents([]byte(field))
		if !cok {
			rep.RowsSkipped++
			if len(rep.Skips) < loneMaxSkips {
				rep.Skips = append(rep.Skips, ingest.AmountSkip(n, keys[cols.amount], field))
			}
			return true
		}
		abs += math.Abs(float64(cents))
		rows = append(rows, loneRow{day: day, cents: cents, order: order})
		return true
	})
	// Sums stay exact far below ingest's bound; beyond, the usual path
	// answers.
	if !ok || len(rows) == 0 || abs > 1e15 {
		return rows, rep, false
	}
	rep.RowsRead, rep.RowsKept = n, len(rows)
	return rows, rep, true
}

// loneText returns a value as ingest reads it from a JSON object: a
// number as written, a string without escapes as it is; false for other
// values.
func loneText(v gjson.Result) (string, bool) {
	switch {
	case v.Type == gjson.Number:
		return v.Raw, true
	case v.Type == gjson.String && len(v.Raw) == len(v.Str)+2:
		return v.Str, true
	}
	return "", false
}

// loneOrderID returns an order id the lone path takes: not empty, with no
// space around it and no Excel text guard (="…"), not in scientific
// notation (which ingest warns about), and not C and digits (which the
// cleaning rules may count as a cancellation).
func loneOrderID(v gjson.Result) (string, bool) {
	id, ok := loneText(v)
	switch {
	case !ok || id == "" || strings.TrimSpace(id) != id || id[0] == '=':
		return "", false
	case ingest.IsScientific([]byte(id)) || ingest.IsCInvoice([]byte(id)):
		return "", false
	}
	return id, true
}

// loneFields are the field names of an order object, in order.
type loneFields [3]string

// loneCols says which field is read as what: the date, the amount and the
// order id (-1: none); fields is how many there are. A date of -1 marks
// fields the lone path does not read.
type loneCols struct {
	date, amount, order, fields int
}

// loneRoles returns which of the first n field names ingest reads as the
// order date, the amount and (of three) the order id, or a date of -1 when
// they are not those roles, or name a shop's export.
func loneRoles(keys loneFields, n int) loneCols {
	if last := lastRoles.Load(); last != nil && last.keys == keys && last.cols.fields == n {
		return last.cols
	}
	cols := detectLoneRoles(keys, n)
	lastRoles.Store(&loneKeys{keys, cols})
	return cols
}

// loneKeys are field names and what loneRoles found them to be.
type loneKeys struct {
	keys loneFields
	cols loneCols
}

// lastRoles holds the field names loneRoles read last: callers send the
// same names with every request.
var lastRoles atomic.Pointer[loneKeys]

// detectLoneRoles is loneRoles without the memory of the last names.
func detectLoneRoles(keys loneFields, n int) loneCols {
	none := loneCols{date: -1}
	m, err := ingest.DetectRoles(keys[:n], nil)
	if err != nil || m.Platform != nil {
		return none
	}
	cols := loneCols{date: m.Columns[ingest.RoleDate], amount: m.Columns[ingest.RoleAmount], order: m.Columns[ingest.RoleOrder], fields: n}
	if cols.date < 0 || cols.amount < 0 || (n == 3) != (cols.order >= 0) {
		return none
	}
	for _, r := range ingest.Roles() {
		if c := m.Columns[r]; c >= 0 && r != ingest.RoleDate && r != ingest.RoleAmount && r != ingest.RoleOrder {
			return none
		}
	}
	return cols
}

// scoreLone scores the one customer of t under scenario s on day asOf as
// engine.Dataset.Run does: its scores, class and segment, tier, stage and
// tags. It returns false for a scenario that compares customers.
func scoreLone(t *summary.Customers, s *scenario.Scenario, asOf int32) (c engine.Customer, class, seg uint8, ok bool) {
	cfg := s.RFM
	var keys [3][]int64
	var key [3]int64
	var sc [3][]uint8
	var thr [3]int64
	var onScore [3]bool
	var buf [8]int64
	out := [3]uint8{}
	for d, dim := range []byte("RFM") {
		th, fixed := cfg.FixedThresholds(dim, asOf, buf[:0])
		if !fixed {
			return c, 0, 0, false
		}
		if thr[d], onScore[d], fixed = cfg.FixedSplit(dim, asOf); !fixed {
			return c, 0, 0, false
		}
		key[d] = cfg.KeyOf(t, 0, dim)
		keys[d] = key[d : d+1]
		sc[d] = out[d : d+1]
		rfm.Score(keys[d], th, sc[d])
	}
	var cl [1]uint8
	rfm.Classify(keys, sc, thr, onScore, cl[:])
	class, seg = cl[0], cl[0]
	feats := segment.NewFeatures(t, asOf)
	feats.SetScores(sc[0], sc[1], sc[2])
	scheme, err := s.Scheme()
	if err != nil {
		return c, 0, 0, false
	}
	if scheme != nil {
		comp, err := engine.CompileScheme(s.Segments.Scheme, scheme)
		if err != nil {
			return c, 0, 0, false
		}
		var sg [1]uint8
		comp.Assign(feats, sc[0], sc[1], sc[2], sg[:])
		seg = sg[0]
	}
	rank := tier.Rank(t.Revenue[:1])
	var ti, st [1]uint8
	tier.Assign(t.Revenue, rank.Thresholds(s.Tiers), ti[:])
	lifecycle.Assign(t, s.Lifecycle, asOf, nil, s.Predict.AtRiskBelow, st[:])
	var tags [1]uint32
	var scratch [1]bool
	segment.Tags(feats, s.Tags, tags[:], scratch[:])
	c = engine.Customer{
		First: t.First[0], Last: t.Last[0], Recency: asOf - t.Last[0],
		Orders: t.Orders[0], Days: t.Days[0], Revenue: t.Revenue[0], AOV: t.AOV(0),
		R: out[0], F: out[1], M: out[2],
		Class: rfm.ClassNames[class],
		Tier:  tier.Names[ti[0]&3],
		Stage: lifecycle.Names[min(int(st[0]), len(lifecycle.Names)-1)],
		Tags:  []string{},
	}
	for k, tg := range s.Tags {
		if tags[0]&(1<<k) != 0 {
			c.Tags = append(c.Tags, tg.Name)
		}
	}
	return c, class, seg, true
}
