package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"segsim/core/predict"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const sample = "会员ID,订单号,下单时间,实付金额\nM1,O1,2024-01-02 10:00:00,100.00\nM1,O2,2024-02-02 10:00:00,50.50\nM2,O3,2024-02-10 09:00:00,20\nM3,O4,bad,5\n"

func TestScoreCSV(t *testing.T) {
	code, out, errs := runCLI(t, sample, "score", "-", "--asof", "2024-03-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0][:7], ",") != "customer_id,first_date,last_date,recency_days,frequency,purchase_days,monetary" || len(recs) != 3 {
		t.Fatalf("output:\n%s", out)
	}
	if strings.Join(recs[1][:7], ",") != "M1,2024-01-02,2024-02-02,28,2,2,150.50" {
		t.Errorf("M1 row %v", recs[1])
	}
	for _, want := range []string{"4 rows read", "3 kept", "1 skipped", `line 5, column 下单时间 "bad"`, "as-of 2024-03-01"} {
		if !strings.Contains(errs, want) {
			t.Errorf("report lacks %q:\n%s", want, errs)
		}
	}
}

func TestScoreJSONAndFiles(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "orders.csv")
	os.WriteFile(in, []byte(sample), 0o644)
	sc := filepath.Join(dir, "s.json")
	os.WriteFile(sc, []byte(`{"segments":{"scheme":"rfm8"},"rfm":{"r":{"method":"cuts","cuts":[10,40]}}}`), 0o644)
	outPath := filepath.Join(dir, "out.json")
	code, _, errs := runCLI(t, "", "score", "--format", "json", "--scenario", sc, "--out", outPath, "--quiet", in)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(outPath)
	var doc struct {
		Report struct {
			Scheme string `json:"scheme"`
		} `json:"report"`
		Customers []map[string]any `json:"customers"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if len(doc.Customers) != 2 || doc.Report.Scheme != "rfm8" || doc.Customers[0]["segment"] != doc.Customers[0]["rfm_class"] {
		t.Errorf("json: %+v", doc)
	}
	// As-of 2024-02-11 (the day after the last order). Cuts [10, 40]:
	// M1 (recency 9) and M2 (1) are within 10 → score 3.
	if doc.Customers[1]["r_score"].(float64) != 3 || doc.Customers[1]["recency_days"].(float64) != 1 {
		t.Errorf("M2 %v", doc.Customers[1])
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"", []string{}, 2, "Usage"},
		{"", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"", []string{"score"}, 2, "want one input FILE"},
		{"", []string{"score", "--format", "xml", "-"}, 2, `--format "xml"`},
		{"", []string{"score", "/no/such/file.csv"}, 1, "no such file"},
		{"a,b\n1,2\n", []string{"score", "-"}, 1, "required column not found"},
		{"customer_id,date,amount\nc,03/04/2024,1\n", []string{"score", "-"}, 1, "--date-format mdy"},
		{"customer_id,date,amount\nc,never,1\n", []string{"score", "-"}, 1, "no usable rows"},
		{"customer_id,date,amount\nc,2024-01-01,1\n", []string{"score", "--asof", "01/02/2024", "-"}, 1, "--asof"},
		{"customer_id,date,amount\nc,2024-01-01,1\n", []string{"score", "--map", "shoe=x", "-"}, 1, "--map"},
		{"customer_id,date,amount\nc,2024-01-01,1\n", []string{"score", "--date-format", "ydm", "-"}, 1, "--date-format"},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, c.stdin, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
	code, out, _ := runCLI(t, "", "help")
	if code != 0 || !strings.Contains(out, "segsim score") {
		t.Errorf("help: %d %q", code, out)
	}
	code, _, errs := runCLI(t, "", "score", "--help")
	if code != 0 || !strings.Contains(errs, "-date-format") || !strings.Contains(errs, "rfm_class") {
		t.Errorf("score --help: %d %q", code, errs)
	}
}

func TestSegmentsTable(t *testing.T) {
	code, out, errs := runCLI(t, sample, "segments", "--quiet", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"segments (rfm11)", "RFM classes", "important_value", "value tiers", "lifecycle stages", "median recency"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// TestFitCDNOW fits the CDNOW sample as in Fader, Hardie & Lee (2005) and
// checks the published BG/NBD parameters within 1%.
func TestFitCDNOW(t *testing.T) {
	path := "../../predict/testdata/cdnow_sample.csv"
	sum := filepath.Join(t.TempDir(), "summary.csv")
	code, out, errs := runCLI(t, "", "fit", "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--unit", "week", "--summary-out", sum, path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		BGNBD      struct{ R, Alpha, A, B, Loglik float64 } `json:"bgnbd"`
		GammaGamma struct{ P, Q, V float64 }                `json:"gamma_gamma"`
		Customers  int                                      `json:"customers"`
		Holdout    []struct{ Customers int }                `json:"holdout"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	b := doc.BGNBD
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"r", b.R, 0.243}, {"alpha", b.Alpha, 4.414}, {"a", b.A, 0.793}, {"b", b.B, 2.426}, {"loglik", b.Loglik, -9582.4}} {
		if d := (c.got - c.want) / c.want; d > 0.01 || d < -0.01 {
			t.Errorf("%s = %v, paper %v", c.name, c.got, c.want)
		}
	}
	if doc.Customers != 2357 || len(doc.Holdout) != 8 {
		t.Errorf("customers %d, holdout rows %d", doc.Customers, len(doc.Holdout))
	}
	recs, err := csv.NewReader(mustOpen(t, sum)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Customer 00004 bought on 1997-01-01, 01-18, 08-02 and 12-12: in the
	// calibration period x = 2 repeat days, recency 213/7 weeks, T = 272/7,
	// monetary = mean of 29.73 and 14.96.
	if strings.Join(recs[0], ",") != "customer_id,frequency,recency,T,monetary_value" || strings.Join(recs[1], ",") != "00004,2,30.428571428571427,38.857142857142854,22.345" {
		t.Errorf("summary rows %v %v", recs[0], recs[1])
	}
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestFormats checks that every subcommand writes CSV and JSON that read
// back, with plain numbers in the CSV.
func TestFormats(t *testing.T) {
	file := "../../../seeds/samples/grocery_en.csv"
	for _, c := range []struct {
		args   []string
		header string
	}{
		{[]string{"segments", "--format", "csv"}, "grouping,name,customers,customer_share,orders,revenue,revenue_share,aov,median_recency"},
		{[]string{"cohorts", "--format", "csv"}, "cohort,size,period,active,retention,revenue"},
		{[]string{"project", "--format", "csv", "--by", "stage"}, "table,period,state,to,customers,share"},
		{[]string{"plan", "--format", "csv", "--budget", "5000"}, "segment,customers,holdout,holdout_needed,worth_from,note,action,channel,contacted,cost,expected_orders,incremental_revenue,profit,roi"},
		{[]string{"fit", "--format", "csv"}, "model,parameter,value"},
		{[]string{"score", "--format", "csv"}, "customer_id,first_date,last_date"},
	} {
		code, out, errs := runCLI(t, "", append(c.args, "--quiet", file)...)
		if c.args[0] == "fit" {
			code, out, errs = runCLI(t, "", append(c.args, file)...)
		}
		if code != 0 {
			t.Errorf("%v: exit %d: %s", c.args, code, errs)
			continue
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(recs) < 2 || !strings.HasPrefix(strings.Join(recs[0], ","), c.header) {
			t.Errorf("%v: %v, header %v", c.args, err, recs[0])
			continue
		}
		for _, r := range recs[1:] {
			for _, f := range r {
				if strings.Contains(f, ",") || strings.HasSuffix(f, "%") {
					t.Errorf("%v: formatted number %q in CSV", c.args, f)
				}
			}
		}
	}
	for _, args := range [][]string{{"segments"}, {"cohorts"}, {"project"}, {"plan", "--budget", "5000"}, {"fit"}, {"score"}} {
		a := append(append([]string{}, args...), "--format", "json", file)
		if args[0] != "fit" {
			a = append(a, "--quiet")
		}
		code, out, errs := runCLI(t, "", a...)
		if code != 0 || !json.Valid([]byte(out)) {
			t.Errorf("%v --format json: exit %d, valid %v: %s", args, code, json.Valid([]byte(out)), errs)
		}
	}
	if code, _, errs := runCLI(t, "", "cohorts", "--format", "xml", file); code != 2 || !strings.Contains(errs, "want table, csv or json") {
		t.Errorf("bad format: %d %s", code, errs)
	}
	code, _, errs := runCLI(t, "", "project", "--by", "class", "--shift", "at_risk:active:0.1", "--quiet", file)
	if code != 1 || !strings.Contains(errs, "migrate by stage") {
		t.Errorf("a stage shift by class: %d %s", code, errs)
	}
}

// TestPlanCompareDelta plans scenario A and B on one file and checks B − A
// against the two plans' own totals.
func TestPlanCompareDelta(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "b.json")
	os.WriteFile(b, []byte(`{"segments":{"scheme":"rfm8"},"plan":{"budget":3000}}`), 0o644)
	code, out, errs := runCLI(t, "", "plan", "--budget", "5000", "--compare", b, "--format", "json", "--quiet", "../../../seeds/samples/grocery_en.csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Plan, Compare struct {
			Total struct {
				Profit float64 `json:"profit"`
			} `json:"total"`
		}
		Numbers map[string]struct {
			Customers int `json:"customers"`
			Segments  map[string]struct {
				Customers int `json:"customers"`
			} `json:"segments"`
		} `json:"numbers"`
		Delta struct {
			Customers struct{ Abs float64 } `json:"customers"`
			Plan      map[string]struct {
				Abs float64  `json:"abs"`
				Pct *float64 `json:"pct"`
			} `json:"plan"`
		} `json:"delta"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	want := doc.Compare.Total.Profit - doc.Plan.Total.Profit
	if got := doc.Delta.Plan["profit"].Abs; math.Abs(got-want) > 1e-6 || doc.Delta.Customers.Abs != 0 {
		t.Errorf("delta profit %v, want %v; customers %v", got, want, doc.Delta.Customers.Abs)
	}
	if _, ok := doc.Numbers["b"].Segments["important_value"]; !ok {
		t.Errorf("B's segments are not the eight classes: %v", doc.Numbers["b"].Segments)
	}
	if _, ok := doc.Numbers["a"].Segments["champions"]; !ok {
		t.Errorf("A's segments are not the eleven segments: %v", doc.Numbers["a"].Segments)
	}
}

// TestScoreStatsFile computes per-customer stats from the CDNOW master
// file with encoding/csv and maps (as a warehouse query would), writes
// them as a stats file, and checks that `segsim score` on it gives what
// scoring the orders gives in every column the stats determine.
func TestScoreStatsFile(t *testing.T) {
	f, err := os.Open("../../../seeds/samples/cdnow.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	type agg struct {
		first, last string
		orders      int
		days        map[string]bool
		cents       int64
	}
	by := map[string]*agg{}
	var ids []string
	for _, r := range recs[1:] {
		id, d := r[0], r[1][:4]+"-"+r[1][4:6]+"-"+r[1][6:]
		a := by[id]
		if a == nil {
			a = &agg{first: d, last: d, days: map[string]bool{}}
			by[id] = a
			ids = append(ids, id)
		}
		a.first, a.last = min(a.first, d), max(a.last, d)
		a.orders++
		a.days[d] = true
		whole, frac, _ := strings.Cut(r[3], ".")
		w, _ := strconv.ParseInt(whole, 10, 64)
		fr, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
		a.cents += w*100 + fr
	}
	var b strings.Builder
	b.WriteString("customer_id,first_date,last_date,orders,purchase_days,revenue\n")
	for _, id := range ids {
		a := by[id]
		fmt.Fprintf(&b, "%s,%s,%s,%d,%d,%d.%02d\n", id, a.first, a.last, a.orders, len(a.days), a.cents/100, a.cents%100)
	}
	stats := filepath.Join(t.TempDir(), "stats.csv")
	os.WriteFile(stats, []byte(b.String()), 0o644)
	code, fromStats, errs := runCLI(t, "", "score", "--quiet", stats)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	code, fromOrders, errs := runCLI(t, "", "score", "--quiet", "../../../seeds/samples/cdnow.csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	s, _ := csv.NewReader(strings.NewReader(fromStats)).ReadAll()
	o, _ := csv.NewReader(strings.NewReader(fromOrders)).ReadAll()
	if len(s) != len(o) || len(s) != len(ids)+1 {
		t.Fatalf("%d rows from stats, %d from orders, %d customers", len(s), len(o), len(ids))
	}
	// customer_id … rfm_class, tier; segment and aov: every column but
	// stage and tags, which need the order history.
	cols := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15}
	for i := range s {
		for _, c := range cols {
			if s[i][c] != o[i][c] {
				t.Fatalf("row %d column %s: %q from stats, %q from orders", i, o[0][c], s[i][c], o[i][c])
			}
		}
	}
}

// TestMBGNBD fits MBG/NBD from the command line and scores with it (and
// with Pareto/NBD): a one-time buyer's P(alive) is below 1, where BG/NBD
// gives exactly 1.
func TestMBGNBD(t *testing.T) {
	file := "../../predict/testdata/cdnow_sample.csv"
	code, out, errs := runCLI(t, "", "fit", "--model", "mbgnbd", "--calibration-end", "1997-09-30", file)
	if code != 0 || gjson.Get(out, "model").Str != "mbgnbd" || !gjson.Get(out, "bgnbd.report.converged").Bool() || gjson.Get(out, "population.0.p_n").Exists() {
		t.Fatalf("fit: %d %s %.300s", code, errs, out)
	}
	dir := t.TempDir()
	for _, model := range []string{"bgnbd", "mbgnbd", "pareto-nbd"} {
		sc := filepath.Join(dir, model+".json")
		os.WriteFile(sc, []byte(`{"predict":{"enabled":true,"model":"`+model+`"}}`), 0o644)
		code, out, errs := runCLI(t, "", "score", "--quiet", "--scenario", sc, file)
		if code != 0 {
			t.Fatalf("%s: %d %s", model, code, errs)
		}
		recs, _ := csv.NewReader(strings.NewReader(out)).ReadAll()
		col := slices.Index(recs[0], "p_alive")
		below := 0
		for _, r := range recs[1:] {
			if r[4] == "1" { // frequency 1: no repeat purchase
				if p, _ := strconv.ParseFloat(r[col], 64); p < 1 {
					below++
				}
			}
		}
		if (model == "bgnbd") != (below == 0) {
			t.Errorf("%s: %d one-time buyers with P(alive) below 1", model, below)
		}
	}
	if code, _, errs := runCLI(t, "", "fit", "--model", "pareto", file); code != 2 || !strings.Contains(errs, "want bgnbd, mbgnbd, pareto-nbd or auto") {
		t.Errorf("unknown model: %d %s", code, errs)
	}
}

// TestParetoNBDCommand fits Pareto/NBD from the command line on the CDNOW
// sample: the published parameters, named in "params", and a CSV with the
// model's own parameter names.
func TestParetoNBDCommand(t *testing.T) {
	file := "../../predict/testdata/cdnow_sample.csv"
	code, out, errs := runCLI(t, "", "fit", "--model", "pareto-nbd", "--calibration-end", "1997-09-30", "--unit", "week", file)
	if code != 0 || gjson.Get(out, "model").Str != "pareto-nbd" {
		t.Fatalf("fit: %d %s %.300s", code, errs, out)
	}
	for k, want := range map[string]float64{"r": 0.553, "alpha": 10.58, "s": 0.606, "beta": 11.67} {
		if got := gjson.Get(out, "params."+k).Float(); math.Abs(got-want)/want > 0.01 {
			t.Errorf("%s = %v, published %v", k, got, want)
		}
	}
	code, out, _ = runCLI(t, "", "fit", "--model", "pareto-nbd", "--format", "csv", "--calibration-end", "1997-09-30", file)
	if code != 0 || !strings.Contains(out, "pareto-nbd,beta,") || strings.Contains(out, ",a,") {
		t.Errorf("csv: %s", out)
	}
}

// TestFitAuto fits the three purchase models on the CDNOW sample's
// calibration period and keeps the one closest to the holdout: the
// comparison lists all three by bucket error, the kept model is the
// first, and without a holdout period auto is refused with the reason.
func TestFitAuto(t *testing.T) {
	file := "../../predict/testdata/cdnow_sample.csv"
	code, out, errs := runCLI(t, "", "fit", "--model", "auto", "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", file)
	if code != 0 {
		t.Fatalf("fit: %d %s", code, errs)
	}
	cmp := gjson.Get(out, "comparison").Array()
	if len(cmp) != 3 || gjson.Get(out, "model").Str != cmp[0].Get("model").Str || !strings.Contains(gjson.Get(out, "chosen_by").Str, "smallest holdout error") {
		t.Fatalf("comparison %s, model %s, chosen_by %s", gjson.Get(out, "comparison").Raw, gjson.Get(out, "model"), gjson.Get(out, "chosen_by"))
	}
	seen := map[string]bool{}
	for i, c := range cmp {
		seen[c.Get("model").Str] = true
		if i > 0 && c.Get("bucket_error").Float() < cmp[i-1].Get("bucket_error").Float() {
			t.Errorf("comparison not sorted: %s", gjson.Get(out, "comparison").Raw)
		}
		if c.Get("bucket_error").Float() <= 0 || c.Get("loglik").Float() >= 0 {
			t.Errorf("score %s", c.Raw)
		}
	}
	if !seen["bgnbd"] || !seen["mbgnbd"] || !seen["pareto-nbd"] {
		t.Errorf("models compared: %v", seen)
	}
	if code, _, errs := runCLI(t, "", "fit", "--model", "auto", "--calibration-end", "1997-09-30", file); code == 0 || !strings.Contains(errs, "holdout") {
		t.Errorf("auto without a holdout: %d %s", code, errs)
	}
}

// TestPredictionsOut writes per-customer predictions at three horizons:
// one row per calibration customer, BG/NBD's P(alive) = 1 for those
// without repeat purchases, expected purchases growing with the horizon,
// and the columns equal to the model evaluated with the printed parameters.
func TestPredictionsOut(t *testing.T) {
	file := "../../predict/testdata/cdnow_sample.csv"
	out := filepath.Join(t.TempDir(), "pred.csv")
	code, js, errs := runCLI(t, "", "fit", "--calibration-end", "1997-09-30", "--horizon", "52,13,26", "--predictions-out", out, file)
	if code != 0 {
		t.Fatalf("fit: %d %s", code, errs)
	}
	recs := readCSV(t, out)
	if strings.Join(recs[0], ",") != "customer_id,frequency,recency,T,p_alive,expected_purchases_13,expected_purchases_26,expected_purchases_52,expected_spend,clv_13,clv_26,clv_52" || len(recs) != 2358 {
		t.Fatalf("header %v, %d rows", recs[0], len(recs)-1)
	}
	m := predict.BGNBD{R: gjson.Get(js, "params.r").Float(), Alpha: gjson.Get(js, "params.alpha").Float(), A: gjson.Get(js, "params.a").Float(), B: gjson.Get(js, "params.b").Float()}
	num := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	for _, r := range recs[1:] {
		x, tx, T := num(r[1]), num(r[2]), num(r[3])
		if x == 0 && r[4] != "1.0000" {
			t.Fatalf("%s: no repeat purchase but P(alive) %s", r[0], r[4])
		}
		if !(num(r[5]) <= num(r[6]) && num(r[6]) <= num(r[7])) || !(num(r[9]) <= num(r[10]) && num(r[10]) <= num(r[11])) {
			t.Fatalf("%s: not growing with the horizon: %v", r[0], r)
		}
		if want := m.ExpectedPurchases(52, x, tx, T); math.Abs(num(r[7])-want) > 1e-4 {
			t.Fatalf("%s: expected_purchases_52 %s, model %.4f", r[0], r[7], want)
		}
	}
	if code, _, errs := runCLI(t, "", "fit", "--horizon", "0", file); code != 2 || !strings.Contains(errs, "--horizon") {
		t.Errorf("bad horizon: %d %s", code, errs)
	}
}

// TestPredictionsIntervals adds 90% delta-method intervals to the
// predictions: every interval holds its estimate, lies in its domain, and
// widens the longer the horizon.
func TestPredictionsIntervals(t *testing.T) {
	file := "../../predict/testdata/cdnow_sample.csv"
	out := filepath.Join(t.TempDir(), "pred.csv")
	if code, _, errs := runCLI(t, "", "fit", "--model", "mbgnbd", "--calibration-end", "1997-09-30", "--intervals", "0.9", "--predictions-out", out, file); code != 0 {
		t.Fatalf("fit: %d %s", code, errs)
	}
	recs := readCSV(t, out)
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	num := func(r []string, k string) float64 { v, _ := strconv.ParseFloat(r[col[k]], 64); return v }
	for _, r := range recs[1:] {
		if lo, v, hi := num(r, "p_alive_lo"), num(r, "p_alive"), num(r, "p_alive_hi"); !(0 <= lo && lo <= v+5e-5 && v <= hi+5e-5 && hi <= 1) {
			t.Fatalf("%s: P(alive) %v outside [%v, %v]", r[0], v, lo, hi)
		}
		prev := -1.0
		for _, h := range []string{"13", "26", "52"} {
			lo, v, hi := num(r, "expected_purchases_"+h+"_lo"), num(r, "expected_purchases_"+h), num(r, "expected_purchases_"+h+"_hi")
			if !(lo <= v+5e-5 && v <= hi+5e-5) || hi-lo < prev-5e-5 {
				t.Fatalf("%s: E[Y(%s)] %v in [%v, %v], narrower than the shorter horizon's %v", r[0], h, v, lo, hi, prev)
			}
			prev = hi - lo
		}
	}
	if code, _, errs := runCLI(t, "", "fit", "--intervals", "2", file); code != 2 || !strings.Contains(errs, "--intervals") {
		t.Errorf("bad level: %d %s", code, errs)
	}
}
