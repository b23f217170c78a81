package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"segsim/core/strategy"
)

const grocery = "../../../seeds/samples/grocery_en.csv"

// TestReadoutRoundTrip plans a campaign on the grocery sample as of
// 2026-03-01 with score --plan (in English and in Chinese), reads it out
// against the same file's March orders, and checks the counts and revenue
// against a direct count over the two CSV files.
func TestReadoutRoundTrip(t *testing.T) {
	dir := t.TempDir()
	totals := map[string]string{}
	for _, lang := range []string{"en", "zh"} {
		plan := filepath.Join(dir, "plan_"+lang+".csv")
		if code, _, errs := runCLI(t, "", "score", "--plan", "--quiet", "--lang", lang, "--asof", "2026-03-01", "--out", plan, grocery); code != 0 {
			t.Fatalf("score --plan: exit %d: %s", code, errs)
		}
		code, out, errs := runCLI(t, "", "readout", "--plan", plan, "--start", "2026-03-01", "--end", "2026-03-31", "--format", "json", grocery)
		if code != 0 {
			t.Fatalf("readout: exit %d: %s", code, errs)
		}
		if !strings.Contains(errs, "plan: ") || !strings.Contains(errs, "orders: ") {
			t.Errorf("stderr does not describe both files:\n%s", errs)
		}
		doc := gjson.Parse(out)

		// Direct count: who was contacted or held out, who bought in March
		// (a paid order, 0-yuan ones included), and their March revenue net of
		// refund lines; refunded orders do not count.
		planRecs := readCSV(t, plan)
		col := map[string]int{}
		for i, h := range planRecs[0] {
			col[strings.TrimPrefix(h, "\ufeff")] = i
		}
		id, action, hold := col["customer_id"], col["action"], col["holdout"]
		if lang == "zh" {
			id, action, hold = col["客户ID"], col["运营动作"], col["对照组"]
		}
		group := map[string]string{}
		for _, r := range planRecs[1:] {
			switch {
			case r[hold] == "true" || r[hold] == "是":
				group[r[id]] = "holdout"
			case r[action] != "":
				group[r[id]] = "contacted"
			}
		}
		bought, revenue := map[string]bool{}, map[string]float64{}
		for _, r := range readCSV(t, grocery)[1:] {
			if len(r) != 7 || len(r[2]) < 10 {
				continue // a short row and an N/A date: ingest skips them too
			}
			if day := r[2][:10]; day < "2026-03-01" || day > "2026-03-31" {
				continue
			}
			amt, _ := strconv.ParseFloat(r[3], 64)
			switch {
			case amt < 0: // a refund line nets revenue
				revenue[r[0]] += amt
			case r[6] == "paid": // a sale, 0-yuan ones included (the default zero_value rule keeps them)
				revenue[r[0]] += amt
				bought[r[0]] = true
			}
		}
		n := map[string]int{}
		buyers := map[string]int{}
		rev := map[string]float64{}
		for c, g := range group {
			n[g]++
			if bought[c] {
				buyers[g]++
				rev[g] += revenue[c]
			}
		}
		tot := doc.Get("total")
		totals[lang] = tot.Raw
		for k, want := range map[string]int{"contacted": n["contacted"], "holdout": n["holdout"], "contacted_buyers": buyers["contacted"], "holdout_buyers": buyers["holdout"]} {
			if got := int(tot.Get(k).Int()); got != want {
				t.Errorf("%s: total %s = %d, want %d", lang, k, got, want)
			}
		}
		for k, want := range map[string]float64{"contacted_revenue": rev["contacted"], "holdout_revenue": rev["holdout"]} {
			if got := tot.Get(k).Float(); math.Abs(got-want) > 0.005 {
				t.Errorf("%s: total %s = %.2f, want %.2f", lang, k, got, want)
			}
		}
		if n["contacted"] == 0 || n["holdout"] == 0 || buyers["contacted"] == 0 {
			t.Fatalf("%s: a campaign with no one in it: %v %v", lang, n, buyers)
		}
		// The playbook prices every action: a cost and an ROI.
		if tot.Get("cost").Float() <= 0 || !tot.Get("roi").Exists() || tot.Get("roi").Type == gjson.Null {
			t.Errorf("%s: total cost %v roi %v", lang, tot.Get("cost"), tot.Get("roi"))
		}
		if doc.Get("start").String() != "2026-03-01" || doc.Get("method.uplift_ci").String() != "newcombe_hybrid_score" || len(doc.Get("actions").Array()) == 0 {
			t.Errorf("%s: header %s %s, %d actions", lang, doc.Get("start"), doc.Get("method"), len(doc.Get("actions").Array()))
		}
	}
	// The Chinese plan names segments in Chinese; the playbook still
	// prices them, so both totals (cost and ROI included) are the same.
	if totals["en"] != totals["zh"] {
		t.Errorf("totals differ:\nen %s\nzh %s", totals["en"], totals["zh"])
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1 // the samples hold a short row on purpose
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestReadoutFormats: the table names the methods and verdicts, the CSV
// has one row per action, segment and the total, and bad flags are
// named.
func TestReadoutFormats(t *testing.T) {
	plan, orders := "../../readout/testdata/campaign_plan.csv", "../../readout/testdata/campaign_orders.csv"
	code, out, errs := runCLI(t, "", "readout", "--quiet", "--plan", plan, "--start", "2025-03-01", "--end", "2025-03-14", orders)
	if code != 0 || !strings.Contains(out, "Newcombe hybrid score 95%") || !strings.Contains(out, "action coupon_20: worked") || errs != "" {
		t.Errorf("table: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runCLI(t, "", "readout", "--quiet", "--format", "csv", "--plan", plan, "--start", "2025-03-01", "--end", "2025-03-14", orders)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(recs) != 1+3+4+1 || recs[0][0] != "level" || recs[len(recs)-1][0] != "total" {
		t.Errorf("csv: exit %d, %v\n%s", code, err, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--plan", plan, "--start", "2025-03-01", orders}, "--plan, --start and --end are required"},
		{[]string{"--plan", plan, "--start", "2025-03-01", "--end", "2025-02-01", orders}, "ends (2025-02-01) before it starts (2025-03-01)"},
		{[]string{"--plan", orders, "--start", "2025-03-01", "--end", "2025-03-14", orders}, "action, holdout not found"},
		{[]string{"--plan", plan, "--start", "March", "--end", "2025-03-14", orders}, "--start"},
		{[]string{"--plan", plan, "--group", "tier", "--start", "2025-03-01", "--end", "2025-03-14", orders}, `group column "tier"`},
	} {
		code, _, errs := runCLI(t, "", append([]string{"readout", "--quiet"}, c.args...)...)
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", c.args, code, errs, c.want)
		}
	}
}

// TestReadoutPlaybookOut writes the playbook with measured rates and plans
// with it: the measured actions carry the readout's rates.
func TestReadoutPlaybookOut(t *testing.T) {
	dir := t.TempDir()
	plan, pb := filepath.Join(dir, "plan.csv"), filepath.Join(dir, "measured.json")
	if code, _, errs := runCLI(t, "", "score", "--plan", "--quiet", "--asof", "2026-03-01", "--out", plan, grocery); code != 0 {
		t.Fatalf("score --plan: exit %d: %s", code, errs)
	}
	code, out, errs := runCLI(t, "", "readout", "--plan", plan, "--start", "2026-03-01", "--end", "2026-03-31", "--format", "json", "--playbook-out", pb, grocery)
	if code != 0 || !strings.Contains(errs, "playbook with measured rates: ") {
		t.Fatalf("readout: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(pb)
	if err != nil {
		t.Fatal(err)
	}
	m, err := strategy.ParsePlaybook(b)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Name, "(measured 2026-03-01 – 2026-03-31)") {
		t.Errorf("measured playbook named %q", m.Name)
	}
	measured := 0
	for _, a := range gjson.Get(out, "actions").Array() {
		if a.Get("holdout").Int() == 0 {
			continue
		}
		for _, e := range m.Entries {
			for _, x := range e.Actions {
				if x.Name == a.Get("action").String() {
					measured++
					if x.Response != a.Get("contacted_rate").Float() || x.Baseline != a.Get("holdout_rate").Float() {
						t.Errorf("%s/%s: response %v baseline %v; measured %v %v", e.Segment, x.Name, x.Response, x.Baseline, a.Get("contacted_rate"), a.Get("holdout_rate"))
					}
				}
			}
		}
	}
	if measured == 0 {
		t.Fatal("no measured action found in the playbook")
	}
	if code, _, errs := runCLI(t, "", "plan", "--quiet", "--playbook", pb, "--format", "json", grocery); code != 0 {
		t.Errorf("plan with the measured playbook: exit %d: %s", code, errs)
	}
}
