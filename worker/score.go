package main

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/tidwall/gjson"

	"segsim/core/calendar"
	"segsim/core/clean"
	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/jsoncheck"
	"segsim/core/jsonenc"
	"segsim/core/knob"
	"segsim/core/scenario"
	"segsim/core/segment"
)

// scoreFields are the fields a score request may carry.
var scoreFields = []string{"scenario", "asof", "customer_id", "orders", "stats", "date_format"}

// money is an amount in cents, written as a JSON number with two decimals.
type money int64

// MarshalJSON writes the amount with two decimals.
func (m money) MarshalJSON() ([]byte, error) { return engine.AppendMoney(nil, int64(m)), nil }

// named is a label with its display names.
type named struct {
	Name  string        `json:"name"`
	Label segment.Label `json:"label"`
}

// scores are one customer's R, F and M scores.
type scores struct {
	R uint8 `json:"r"`
	F uint8 `json:"f"`
	M uint8 `json:"m"`
}

// customerOut is one scored customer in a score answer.
type customerOut struct {
	CustomerID   string        `json:"customer_id"`
	FirstDate    string        `json:"first_date"`
	LastDate     string        `json:"last_date"`
	RecencyDays  int32         `json:"recency_days"`
	Frequency    int32         `json:"frequency"`
	PurchaseDays int32         `json:"purchase_days"`
	Monetary     money         `json:"monetary"`
	AOV          money         `json:"aov"`
	Scores       scores        `json:"scores"`
	RFM          string        `json:"rfm"`
	RFMClass     named         `json:"rfm_class"`
	Segment      named         `json:"segment"`
	Tier         string        `json:"tier"`
	Stage        string        `json:"stage"`
	Tags         []string      `json:"tags"`
	Action       segment.Label `json:"action"`
}

// loadReport says what was read from the request and what was left out.
type loadReport struct {
	Source      string              `json:"source"` // orders or stats
	RowsRead    int                 `json:"rows_read"`
	RowsKept    int                 `json:"rows_kept"`
	RowsSkipped int                 `json:"rows_skipped"`
	Skips       []ingest.Skip       `json:"skips"`
	Warnings    []string            `json:"warnings,omitempty"`
	Roles       map[string]string   `json:"roles,omitempty"`
	Clean       []engineRuleCounter `json:"clean"`
	Customers   int                 `json:"customers"`
	Scored      int                 `json:"scored"`
	Unscored    []string            `json:"unscored"`
}

// engineRuleCounter is a cleaning rule that touched something.
type engineRuleCounter struct {
	Rule      string `json:"rule"`
	Action    string `json:"action"`
	Rows      int    `json:"rows"`
	Customers int    `json:"customers"`
}

// scoreAnswer is the body of a successful POST /v1/score.
type scoreAnswer struct {
	API       string        `json:"api"`
	Scenario  string        `json:"scenario"`
	AsOf      string        `json:"asof"`
	Scheme    string        `json:"scheme"`
	Customers []customerOut `json:"customers"`
	Report    loadReport    `json:"report"`
	lone      bool          // answered by the lone path (lone.go)
}

// answerSize is the buffer a score answer for n customers is written into:
// a customer takes about 550 bytes with the default labels, and a buffer
// that has to grow is copied whole, which in wasm also means touching
// fresh memory.
func answerSize(n int) int { return 1024 + 640*n }

// sizeHint is the buffer the score answer is written into.
func (a *scoreAnswer) sizeHint() int { return answerSize(len(a.Customers)) }

// Score scores a request body (see the package documentation and the
// README for its fields).
func (h *Handler) Score(body []byte) (*scoreAnswer, *apiError) {
	ans, _, _, _, _, ae := h.run(body, scoreFields, true)
	return ans, ae
}

// run reads and scores a request that may carry the given fields,
// returning the answer and what it was made from. Unless describe is set,
// the answer holds only the scenario's name and the as-of date (a plan
// answers with its own description of the customers).
func (h *Handler) run(body []byte, fields []string, describe bool) (*scoreAnswer, *engine.Dataset, *engine.Result, *scenario.Scenario, request, *apiError) {
	fail := func(ae *apiError) (*scoreAnswer, *engine.Dataset, *engine.Result, *scenario.Scenario, request, *apiError) {
		return nil, nil, nil, nil, request{}, ae
	}
	req, ae := parseRequest(body, fields, `"orders" or "stats"`)
	if ae != nil {
		return fail(ae)
	}
	h.pause(len(body))
	s, name, ae := scenarioOf(req.Get("scenario"), true)
	if ae != nil {
		return fail(ae)
	}
	asOf := s.Window.AsOf
	if v := req.Get("asof"); v.Exists() {
		if v.Type != gjson.String {
			return fail(errorf(http.StatusUnprocessableEntity, "invalid_field", "asof", "asof: %s is not a YYYY-MM-DD string", short(v.Raw)))
		}
		if _, err := calendar.Parse(v.Str); err != nil {
			return fail(errorf(http.StatusUnprocessableEntity, "invalid_field", "asof", "asof: %v", err))
		}
		asOf = v.Str
	} else if asOf == "" {
		asOf = h.today() // asking the clock is a call out of wasm
	}
	orders, stats := req.Get("orders"), req.Get("stats")
	if describe && !h.noLone && len(body) <= loneMaxBody && orders.Exists() && !stats.Exists() {
		if ans, ok := h.lone(req, s, name, asOf); ok {
			return ans, nil, nil, nil, req, nil // a score answer: nothing reads the rest
		}
	}
	run := *s // the engine's run: not the lone path's, which copies nothing
	run.Window.AsOf = asOf
	var d *engine.Dataset
	rep := loadReport{Skips: []ingest.Skip{}, Clean: []engineRuleCounter{}, Unscored: []string{}}
	switch {
	case orders.Exists() && stats.Exists():
		return fail(errorf(http.StatusUnprocessableEntity, "conflicting_fields", "stats", "send either \"orders\" or \"stats\", not both"))
	case orders.Exists():
		d, ae = h.loadOrders(orders, req.Get("customer_id"), req.Get("date_format"))
		if ae == nil {
			ae = h.checkCustomers(d)
		}
		rep.Source = "orders"
	case stats.Exists():
		for _, f := range []string{"customer_id", "date_format"} {
			if req.Get(f).Exists() {
				return fail(errorf(http.StatusUnprocessableEntity, "conflicting_fields", f, "%q goes with \"orders\", not \"stats\"", f))
			}
		}
		d, ae = h.loadStats(stats)
		rep.Source = "stats"
	default:
		return fail(errorf(http.StatusUnprocessableEntity, "missing_field", "orders", "the request has neither \"orders\" (order rows) nor \"stats\" (per-customer stats)"))
	}
	if ae != nil {
		return fail(ae)
	}
	d.Lean = true // the answers describe customers, not the table's buyers over time
	h.pause(len(body))
	res, err := d.Run(&run)
	if err != nil {
		return fail(errorf(http.StatusUnprocessableEntity, "cannot_score", "asof", "%v", err))
	}
	h.pause(len(body))
	ans := &scoreAnswer{API: APIVersion, Scenario: name, AsOf: run.Window.AsOf, Scheme: run.Segments.Scheme}
	if !describe {
		return ans, d, res, &run, req, nil
	}
	if ae := describeResult(ans, d, res, &run); ae != nil {
		return fail(ae)
	}
	fillReport(&rep, d, res)
	ans.Report = rep
	return ans, d, res, &run, req, nil
}

// parseRequest checks a request body and reads its top-level fields in one
// pass, refusing a field not in fields and a field sent twice; want says
// what the body should hold, for the error messages.
func parseRequest(body []byte, fields []string, want string) (request, *apiError) {
	if len(bytes.TrimSpace(body)) == 0 {
		return request{}, errorf(http.StatusBadRequest, "empty_body", "", "the body is empty; send a JSON object with %s", want)
	}
	if err := jsoncheck.Check(body); err != nil {
		var deep *jsoncheck.DepthError // on the heap only for a bad body
		if errors.As(err, &deep) {
			return request{}, errorf(http.StatusBadRequest, "too_deep", "", "the body nests arrays and objects more than %d levels deep (at byte %d)", jsoncheck.MaxDepth, deep.Offset)
		}
		return request{}, errorf(http.StatusBadRequest, "bad_json", "", "the body is not valid JSON")
	}
	if !utf8.Valid(body) {
		at := firstInvalidUTF8(body)
		return request{}, errorf(http.StatusBadRequest, "invalid_utf8", "", "the body is not UTF-8: byte %d is 0x%02X; JSON bodies must be UTF-8 (RFC 8259), so ids and names are never guessed", at, body[at])
	}
	// The body is read as a string without a copy (gjson.ParseBytes
	// makes one): nothing writes to it while the request is served.
	doc := gjson.Parse(unsafe.String(unsafe.SliceData(body), len(body)))
	if !doc.IsObject() {
		return request{}, errorf(http.StatusBadRequest, "bad_request", "", "the body is %s; want a JSON object with %s", kind(doc), want)
	}
	var ae *apiError
	req := request{fields: fields, vals: make([]gjson.Result, len(fields))}
	doc.ForEach(func(k, v gjson.Result) bool {
		i := slices.Index(fields, k.Str)
		switch {
		case i < 0:
			ae = errorf(http.StatusUnprocessableEntity, "unknown_field", k.Str, "unknown field %q; the request may have %s", k.Str, strings.Join(fields, ", "))
		case req.vals[i].Exists():
			ae = errorf(http.StatusUnprocessableEntity, "duplicate_field", k.Str, "field %q appears twice; send each field once", k.Str)
		default:
			req.vals[i] = v
			return true
		}
		return false
	})
	if ae != nil {
		return request{}, ae
	}
	return req, nil
}

// request holds a request's top-level fields, read in one pass over the
// body (each gjson.Get would scan the whole body again): vals[i] is the
// value of fields[i].
type request struct {
	fields []string
	vals   []gjson.Result
}

// Get returns a field; a missing field does not exist (Result.Exists).
func (r request) Get(name string) gjson.Result {
	if i := slices.Index(r.fields, name); i >= 0 {
		return r.vals[i]
	}
	return gjson.Result{}
}

// scenarioOf resolves the request's scenario: a preset name, an object laid
// over the default preset, or (absent) the default preset. With alone, the
// scenario must score each customer as it would alone (checkFixed).
func scenarioOf(v gjson.Result, alone bool) (*scenario.Scenario, string, *apiError) {
	switch {
	case !v.Exists() || v.Type == gjson.Null:
		s, ae := presetScenario(DefaultScenario, alone)
		return s, DefaultScenario, ae
	case v.Type == gjson.String:
		s, ae := presetScenario(v.Str, alone)
		return s, v.Str, ae
	case v.IsObject():
		base, ae := presetScenario(DefaultScenario, alone)
		if ae != nil {
			return nil, "", ae
		}
		if ae := checkLists(v); ae != nil {
			return nil, "", ae
		}
		s := base.Clone()
		if err := s.Overlay([]byte(v.Raw)); err != nil {
			return nil, "", scenarioError(err)
		}
		if ae := checkFixed(s, "scenario"); alone && ae != nil {
			return nil, "", ae
		}
		name := s.Name
		if name == "" || name == DefaultScenario {
			name = "custom"
		}
		return s, name, nil
	}
	return nil, "", errorf(http.StatusUnprocessableEntity, "invalid_field", "scenario", "scenario: %s is not a preset name or a scenario object", short(v.Raw))
}

// scenarioLists are the lists of a scenario whose length the core checks
// only after decoding every element, with the core's limit and reason.
var scenarioLists = []struct {
	path   string
	max    int
	reason string
}{
	{"clean.test_patterns", clean.MaxTestPatterns, "patterns; at most %d"},
	{"segments.custom.rules", segment.MaxRules, "rules; at most %d (with the default, a scheme has at most 255 segments)"},
	{"tags", 32, "tags; at most %d"},
}

// checkLists refuses a scenario object with a list longer than its limit
// (scenarioLists) after counting the elements, before a decode whose
// work grows with each of them: 60,000 test patterns took 50–80 ms to
// decode and refuse under workerd.
func checkLists(v gjson.Result) *apiError {
	for _, l := range scenarioLists {
		list := v.Get(l.path)
		if !list.IsArray() {
			continue
		}
		n := 0
		list.ForEach(func(_, _ gjson.Result) bool { n++; return true })
		if n > l.max {
			return scenarioError(fmt.Errorf("%w: %w", scenario.ErrInvalid, knob.Bad(l.path, n, l.reason, l.max)))
		}
	}
	return nil
}

// scenarioError turns a scenario validation error into an answer naming
// the field.
func scenarioError(err error) *apiError {
	field := "scenario"
	if p := knob.Path(err); p != "" {
		field += "." + p
	}
	return errorf(http.StatusUnprocessableEntity, "invalid_scenario", field, "%v", err)
}

// checkFixed rejects a scenario that compares a customer with the others
// (scenario.CheckAlone): a request may hold one customer, and a batch must
// score each customer as it would alone.
func checkFixed(s *scenario.Scenario, prefix string) *apiError {
	if err := s.CheckAlone(); err != nil {
		return errorf(http.StatusUnprocessableEntity, "needs_fixed_cuts", prefix+"."+knob.Path(err), "%v", err)
	}
	return nil
}

// loadOrders reads order rows: an array of order objects with any of the
// column names segsim detects; with customerID every row is that
// customer's.
func (h *Handler) loadOrders(orders, customerID, dateFormat gjson.Result) (*engine.Dataset, *apiError) {
	if !orders.IsArray() {
		return nil, errorf(http.StatusUnprocessableEntity, "invalid_field", "orders", "orders: %s is not an array of order objects", short(orders.Raw))
	}
	if strings.TrimSpace(orders.Raw[1:len(orders.Raw)-1]) == "" {
		return nil, errorf(http.StatusUnprocessableEntity, "invalid_field", "orders", "orders: the array is empty")
	}
	tooMany := func(n int) *apiError {
		return errorf(http.StatusRequestEntityTooLarge, "too_many_rows", "orders", "orders: %d rows; the limit is %d per request", n, h.limits.Rows)
	}
	opt := ingest.Options{MaxSkipDetails: 20, ValidJSON: true, NoPreview: true} // the handler checked the body; answers show no preview
	if dateFormat.Exists() {
		f, err := ingest.ParseDateFormat(dateFormat.Str)
		if dateFormat.Type != gjson.String || err != nil {
			return nil, errorf(http.StatusUnprocessableEntity, "invalid_field", "date_format", "date_format: %s is not one of auto, ymd, mdy, dmy, unix, unixms", short(dateFormat.Raw))
		}
		opt.DateFormat = f
	}
	own, ae := h.checkRows(orders, customerID.Exists())
	if ae != nil {
		return nil, ae
	}
	if customerID.Exists() {
		if opt.Customer, ae = fixedCustomer(customerID, own); ae != nil {
			return nil, ae
		}
	}
	raw := []byte(orders.Raw)
	h.pause(len(raw))
	// The row limit is checked on what was read, which the body limit
	// bounds, rather than by a pass over the rows before reading them.
	d, err := engine.Load(raw, opt)
	if err != nil {
		n := 0
		orders.ForEach(func(_, _ gjson.Result) bool { n++; return true })
		if n > h.limits.Rows {
			return nil, tooMany(n)
		}
		return nil, ingestError(err, d)
	}
	if n := d.Load.RowsRead; n > h.limits.Rows {
		return nil, tooMany(n)
	}
	return d, nil
}

// checkCustomers refuses orders of more customers than a score or plan
// answers (a readout answers per action and segment, and has no such
// limit).
func (h *Handler) checkCustomers(d *engine.Dataset) *apiError {
	if c := d.Orders.Customers.Len(); c > h.limits.Customers {
		return errorf(http.StatusRequestEntityTooLarge, "too_many_customers", "orders", "orders: %d customers; the limit is %d per request", c, h.limits.Customers)
	}
	return nil
}

// checkRows refuses an order object with more fields than the limit
// before ingest makes a column of each; counting stops at the limit, so
// the pass is linear in the body. In the same pass it finds the first row
// naming a customer_id of its own when the request names the customer of
// every row (fixed); own is its index, or -1.
func (h *Handler) checkRows(orders gjson.Result, fixed bool) (own int, ae *apiError) {
	own = -1
	i := 0
	orders.ForEach(func(_, row gjson.Result) bool {
		if row.IsObject() {
			n := 0
			row.ForEach(func(k, _ gjson.Result) bool {
				n++
				if fixed && own < 0 && k.Str == "customer_id" {
					own = i
				}
				return n <= h.limits.Keys
			})
			if n > h.limits.Keys {
				ae = errorf(http.StatusRequestEntityTooLarge, "too_many_keys", fmt.Sprintf("orders[%d]", i),
					"orders[%d] has more than %d fields; the limit is %d per order", i, h.limits.Keys, h.limits.Keys)
				return false
			}
		}
		i++
		return true
	})
	return own, ae
}

// fixedCustomer checks customer_id, the customer of every row, and that
// no row names a customer_id of its own (own is the first that does, or
// -1).
func fixedCustomer(id gjson.Result, own int) (string, *apiError) {
	if id.Type != gjson.String && id.Type != gjson.Number || strings.TrimSpace(id.String()) == "" {
		return "", errorf(http.StatusUnprocessableEntity, "invalid_field", "customer_id", "customer_id: %s is not a non-empty string", short(id.Raw))
	}
	if own >= 0 {
		return "", errorf(http.StatusUnprocessableEntity, "conflicting_fields", fmt.Sprintf("orders[%d].customer_id", own),
			"orders[%d] has its own customer_id while the request names customer_id %s for all rows", own, jsonenc.AppendString(nil, id.String()))
	}
	return id.String(), nil
}

// ingestError describes an order parsing error; d may be nil.
func ingestError(err error, d *engine.Dataset) *apiError {
	code := "invalid_orders"
	var amb *ingest.AmbiguousDateError
	switch {
	case errors.As(err, &amb):
		return errorf(http.StatusUnprocessableEntity, "ambiguous_dates", "date_format", "%v (send \"date_format\": \"mdy\" or \"dmy\")", err)
	case errors.Is(err, ingest.ErrMissingColumn):
		code = "missing_column"
	case errors.Is(err, ingest.ErrTooLarge):
		code = "amount_too_large"
	case errors.Is(err, ingest.ErrNothingUsable):
		code = "no_usable_rows"
	}
	return errorf(http.StatusUnprocessableEntity, code, "orders", "orders: %v", err)
}

// statsAliases maps accepted field names of a stats record to the
// canonical ones.
var statsAliases = map[string]string{
	"customer_id": "customer_id", "id": "customer_id", "user_id": "customer_id",
	"first_date": "first_date", "first_purchase": "first_date", "first_order_date": "first_date",
	"last_date": "last_date", "last_purchase": "last_date", "last_order_date": "last_date",
	"orders": "orders", "frequency": "orders", "order_count": "orders",
	"purchase_days": "purchase_days", "days": "purchase_days",
	"revenue": "revenue", "monetary": "revenue", "amount": "revenue",
	// The optional fields (ingest.StatsOptional), by their own names.
	"max_order": "max_order", "median_gap": "median_gap", "last_gap": "last_gap", "discount": "discount",
	"discount_orders": "discount_orders", "heavy_orders": "heavy_orders", "weekend_orders": "weekend_orders",
	"refund_lines": "refund_lines", "first_channel": "first_channel", "repeat_revenue": "repeat_revenue",
}

// loadStats reads per-customer stats: one object or an array of them.
func (h *Handler) loadStats(v gjson.Result) (*engine.Dataset, *apiError) {
	var recs []gjson.Result
	switch {
	case v.IsObject():
		recs = []gjson.Result{v}
	case v.IsArray():
		n := 0
		v.ForEach(func(_, _ gjson.Result) bool { n++; return n <= h.limits.Customers })
		if n > h.limits.Customers {
			return nil, errorf(http.StatusRequestEntityTooLarge, "too_many_customers", "stats", "stats: more than %d customers; the limit is %d per request", h.limits.Customers, h.limits.Customers)
		}
		recs = v.Array()
	default:
		return nil, errorf(http.StatusUnprocessableEntity, "invalid_field", "stats", "stats: %s is not a stats object or an array of them", short(v.Raw))
	}
	if len(recs) == 0 {
		return nil, errorf(http.StatusUnprocessableEntity, "invalid_field", "stats", "stats: the array is empty")
	}
	out := make([]engine.Stats, len(recs))
	var total int64
	var fields []string // the optional fields of the first record, which every record must give
	for i, rec := range recs {
		st, has, ae := readStats(i, rec)
		if ae != nil {
			return nil, ae
		}
		if i == 0 {
			fields = has
		} else if f, ok := sameFields(fields, has); !ok {
			return nil, errorf(http.StatusUnprocessableEntity, "invalid_field", fmt.Sprintf("stats[%d].%s", i, f),
				"stats[%d]: the optional fields differ from stats[0]'s (%s): every record gives the same ones", i, strings.Join(fields, ", "))
		}
		total += int64(st.Orders)
		if total > int64(h.limits.StatsOrders) {
			return nil, errorf(http.StatusRequestEntityTooLarge, "too_many_orders", fmt.Sprintf("stats[%d].orders", i), "stats: more than %d orders in all; the limit is %d per request", h.limits.StatsOrders, h.limits.StatsOrders)
		}
		out[i] = st
	}
	d, err := engine.FromStats(out, fields...)
	if err != nil {
		var se *engine.StatsError
		field := "stats"
		if errors.As(err, &se) {
			field = fmt.Sprintf("stats[%d].%s", se.Index, se.Field)
		}
		return nil, errorf(http.StatusUnprocessableEntity, "invalid_field", field, "%v", err)
	}
	return d, nil
}

// sameFields tells whether two records give the same optional fields,
// else names one that only one of them gives.
func sameFields(a, b []string) (string, bool) {
	for _, f := range a {
		if !slices.Contains(b, f) {
			return f, false
		}
	}
	for _, f := range b {
		if !slices.Contains(a, f) {
			return f, false
		}
	}
	return "", true
}

// readStats reads stats record i, and names the optional fields it gives.
func readStats(i int, rec gjson.Result) (engine.Stats, []string, *apiError) {
	st, ae := readBasicStats(i, rec)
	if ae != nil {
		return st, nil, ae
	}
	e := &st.Extra
	e.MedianGap, e.LastGap = -1, -1
	var has []string
	var bad *apiError
	rec.ForEach(func(k, v gjson.Result) bool {
		name := statsAliases[strings.ToLower(k.Str)]
		if !slices.Contains(ingest.StatsOptional, name) {
			return true
		}
		has = append(has, name)
		field := fmt.Sprintf("stats[%d].%s", i, name)
		money := func(dst *int64) {
			if v.Type != gjson.Number || math.IsNaN(v.Num) || math.Abs(v.Num) > maxStatsRevenue {
				bad = errorf(http.StatusUnprocessableEntity, "invalid_field", field, "%s: %s is not an amount within ±10¹³", field, short(v.Raw))
				return
			}
			*dst = int64(math.Round(v.Num * 100))
		}
		count := func(dst *int32) {
			if v.Type == gjson.Null && (name == "last_gap") {
				return // one purchase day: no gap
			}
			if v.Type != gjson.Number || v.Num != math.Trunc(v.Num) || v.Num < 0 || v.Num > 1e9 {
				bad = errorf(http.StatusUnprocessableEntity, "invalid_field", field, "%s: %s is not a whole number ≥ 0", field, short(v.Raw))
				return
			}
			*dst = int32(v.Num)
		}
		switch name {
		case "max_order":
			money(&e.MaxOrder)
		case "discount":
			money(&e.Discount)
		case "repeat_revenue":
			money(&e.Repeat)
		case "last_gap":
			count(&e.LastGap)
		case "discount_orders":
			count(&e.DiscountOrders)
		case "heavy_orders":
			count(&e.HeavyOrders)
		case "weekend_orders":
			count(&e.WeekendOrders)
		case "refund_lines":
			count(&e.Refunds)
		case "median_gap":
			if v.Type == gjson.Null {
				break
			}
			if v.Type != gjson.Number || !(v.Num >= 0) || v.Num > 1e6 {
				bad = errorf(http.StatusUnprocessableEntity, "invalid_field", field, "%s: %s is not a number of days ≥ 0", field, short(v.Raw))
				break
			}
			e.MedianGap = float32(v.Num)
		case "first_channel":
			if v.Type != gjson.String && v.Type != gjson.Null {
				bad = errorf(http.StatusUnprocessableEntity, "invalid_field", field, "%s: %s is not a string", field, short(v.Raw))
				break
			}
			e.FirstChannel = v.Str
		}
		return bad == nil
	})
	return st, has, bad
}

// readBasicStats reads the six basic fields of stats record i.
func readBasicStats(i int, rec gjson.Result) (engine.Stats, *apiError) {
	var st engine.Stats
	if !rec.IsObject() {
		return st, errorf(http.StatusUnprocessableEntity, "invalid_field", fmt.Sprintf("stats[%d]", i), "stats[%d]: %s is not an object", i, short(rec.Raw))
	}
	vals := map[string]gjson.Result{}
	var ae *apiError
	rec.ForEach(func(k, v gjson.Result) bool {
		name, ok := statsAliases[strings.ToLower(k.Str)]
		if !ok {
			ae = errorf(http.StatusUnprocessableEntity, "unknown_field", fmt.Sprintf("stats[%d].%s", i, k.Str),
				"stats[%d]: unknown field %q; a stats record has customer_id, first_date, last_date, orders, purchase_days (optional), revenue and optionally %s", i, k.Str, strings.Join(ingest.StatsOptional, ", "))
			return false
		}
		vals[name] = v
		return true
	})
	if ae != nil {
		return st, ae
	}
	field := func(name string) string { return fmt.Sprintf("stats[%d].%s", i, name) }
	bad := func(name, format string, args ...any) *apiError {
		return errorf(http.StatusUnprocessableEntity, "invalid_field", field(name), field(name)+": "+format, args...)
	}
	for _, name := range []string{"customer_id", "first_date", "last_date", "orders", "revenue"} {
		if _, ok := vals[name]; !ok {
			return st, errorf(http.StatusUnprocessableEntity, "missing_field", field(name), "%s: missing", field(name))
		}
	}
	id := vals["customer_id"]
	if (id.Type != gjson.String && id.Type != gjson.Number) || strings.TrimSpace(id.String()) == "" {
		return st, bad("customer_id", "%s is not a non-empty string", short(id.Raw))
	}
	st.ID = id.String()
	for _, d := range []struct {
		name string
		dst  *int32
	}{{"first_date", &st.First}, {"last_date", &st.Last}} {
		v := vals[d.name]
		day, ok := ingest.ParseDate([]byte(v.Str), ingest.FormatYMD)
		if v.Type != gjson.String || !ok {
			return st, bad(d.name, "%s is not a date (YYYY-MM-DD)", short(v.Raw))
		}
		*d.dst = day
	}
	count := func(name string) (int32, *apiError) {
		v := vals[name]
		if v.Type != gjson.Number || v.Num != math.Trunc(v.Num) || v.Num < 0 || v.Num > 1e9 {
			return 0, bad(name, "%s is not a whole number ≥ 0", short(v.Raw))
		}
		return int32(v.Num), nil
	}
	if st.Orders, ae = count("orders"); ae != nil {
		return st, ae
	}
	if _, ok := vals["purchase_days"]; ok {
		if st.Days, ae = count("purchase_days"); ae != nil {
			return st, ae
		}
	} else {
		st.Days = st.DefaultDays()
	}
	rev := vals["revenue"]
	if rev.Type != gjson.Number || math.IsNaN(rev.Num) || math.IsInf(rev.Num, 0) {
		return st, bad("revenue", "%s is not an amount", short(rev.Raw))
	}
	if math.Abs(rev.Num) > maxStatsRevenue {
		return st, bad("revenue", "%s is beyond ±10¹³, the largest revenue of one customer segsim scores", short(rev.Raw))
	}
	st.Revenue = int64(math.Round(rev.Num * 100))
	return st, nil
}

// maxStatsRevenue bounds one customer's revenue in a stats record, so
// that the limit's 1,000 customers sum far below any overflow.
const maxStatsRevenue = 1e13

// describeResult writes one customerOut per scored customer.
func describeResult(ans *scoreAnswer, d *engine.Dataset, r *engine.Result, s *scenario.Scenario) *apiError {
	l, ae := labelsOf(s)
	if ae != nil {
		return ae
	}
	ans.Customers = make([]customerOut, d.Customers.Len())
	for i := range ans.Customers {
		ans.Customers[i] = l.customer(d.Customer(r, i), r.Class[i], r.Segment[i])
	}
	return nil
}

// labels are the names, labels and actions of a scenario's classes and
// segments.
type labels struct {
	classes []segmentInfo
	segs    []segmentInfo // nil when the segments are the classes (rfm8)
}

// labelsOf returns the labels of scenario s's classes and segments.
func labelsOf(s *scenario.Scenario) (labels, *apiError) {
	classes, err := classInfo()
	if err != nil {
		return labels{}, errorf(http.StatusInternalServerError, "internal", "", "%v", err)
	}
	sc, err := s.Scheme()
	if err != nil {
		return labels{}, errorf(http.StatusInternalServerError, "internal", "", "%v", err)
	}
	l := labels{classes: classes.Segments}
	if sc != nil {
		l.segs = describeScheme(s.Segments.Scheme, sc).Segments
	}
	return l, nil
}

// customer describes customer c of class class and segment seg: the
// segment's action, or its class's when the segment has none.
func (l labels) customer(c engine.Customer, class, seg uint8) customerOut {
	cl := l.classes[class]
	sg := cl
	if l.segs != nil {
		sg = l.segs[seg]
	}
	action := sg.Action
	if action.En == "" && action.Zh == "" {
		action = cl.Action
	}
	if c.Tags == nil {
		c.Tags = []string{}
	}
	return customerOut{
		CustomerID:   c.ID,
		FirstDate:    calendar.Format(c.First),
		LastDate:     calendar.Format(c.Last),
		RecencyDays:  c.Recency,
		Frequency:    c.Orders,
		PurchaseDays: c.Days,
		Monetary:     money(c.Revenue),
		AOV:          money(c.AOV),
		Scores:       scores{c.R, c.F, c.M},
		RFM:          string([]byte{'0' + c.R, '0' + c.F, '0' + c.M}),
		RFMClass:     named{Name: cl.Name, Label: cl.Label},
		Segment:      named{Name: sg.Name, Label: sg.Label},
		Tier:         c.Tier,
		Stage:        c.Stage,
		Tags:         c.Tags,
		Action:       action,
	}
}

// fillReport summarizes the load, the cleaning and who was not scored.
func fillReport(rep *loadReport, d *engine.Dataset, r *engine.Result) {
	if l := d.Load; l != nil {
		rep.RowsRead, rep.RowsKept, rep.RowsSkipped = l.RowsRead, l.RowsKept, l.RowsSkipped
		if l.Skips != nil {
			rep.Skips = l.Skips
		}
		rep.Warnings = l.Warnings
		if rep.Source == "orders" {
			rep.Roles = l.Roles
		}
	}
	for _, c := range d.Clean {
		if c.Rows > 0 || c.Customers > 0 {
			rep.Clean = append(rep.Clean, engineRuleCounter{Rule: c.Rule, Action: c.Action, Rows: c.Rows, Customers: c.Customers})
		}
	}
	all := d.Orders.Customers
	rep.Customers, rep.Scored = all.Len(), r.Len()
	if rep.Scored < rep.Customers {
		scored := make([]bool, all.Len())
		for _, k := range d.Customers.Key {
			scored[k] = true
		}
		for k, ok := range scored {
			if !ok {
				rep.Unscored = append(rep.Unscored, string(all.Key(int32(k))))
			}
		}
	}
}

func kind(v gjson.Result) string {
	switch {
	case v.IsArray():
		return "an array"
	case v.Type == gjson.String:
		return "a string"
	case v.Type == gjson.Number:
		return "a number"
	case v.Type == gjson.Null:
		return "null"
	case v.IsBool():
		return "a boolean"
	}
	return "not an object"
}

func short(raw string) string {
	if len(raw) > 60 {
		return raw[:60] + "…"
	}
	return raw
}

// firstInvalidUTF8 returns the offset of the first byte of b that does
// not begin a valid UTF-8 sequence (b is not valid UTF-8).
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}
