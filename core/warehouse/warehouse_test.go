package warehouse

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"segsim/core/engine"
	"segsim/core/ingest"
)

var update = flag.Bool("update", false, "rewrite the golden queries in testdata")

// specs are the two column sets the golden queries are rendered for:
// every column, and the fewest.
var specs = map[string]Spec{
	"full": {
		Table: "shop.orders", Customer: "customer_id", Date: "order_date", Amount: "total", PaidAmount: "paid_amount",
		Order: "order_id", Status: "status", Refund: "refund", PaidAt: "paid_at", Discount: "discount", Channel: "channel",
		AsOf: "2026-01-01",
	},
	"minimal": {Table: "cdnow", Customer: "customer_id", Date: "date", Amount: "amount", AsOf: "1998-07-01"},
}

// TestGolden renders every dialect's query for both specs and compares it
// with testdata/DIALECT-SPEC.sql. Run with -update to rewrite them; the
// DuckDB and PostgreSQL queries run on the engines (make test-warehouse),
// the others are checked by reading the golden files.
func TestGolden(t *testing.T) {
	for _, d := range Dialects {
		for name, s := range specs {
			got, err := Render(d.Name, s)
			if err != nil {
				t.Fatalf("%s %s: %v", d.Name, name, err)
			}
			path := filepath.Join("testdata", d.Name+"-"+name+".sql")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the rendered query; run go test ./core/warehouse -run TestGolden -update and review the difference", path)
			}
		}
	}
}

// TestRendered checks what every rendered query holds: the quoted names,
// the as-of date, every status word of the import exactly once (one list,
// ingest's), each output field, and no template text left over.
func TestRendered(t *testing.T) {
	partial, unpaid, returned := ingest.StatusWords()
	words := slices.Concat(partial, unpaid, returned)
	for _, d := range Dialects {
		q, err := Render(d.Name, specs["full"])
		if err != nil {
			t.Fatal(err)
		}
		q2 := string(d.quote)
		for _, want := range []string{
			q2 + "shop" + q2 + "." + q2 + "orders" + q2, q2 + "paid_amount" + q2, q2 + "paid_at" + q2, "2026-01-01",
		} {
			if !strings.Contains(q, want) {
				t.Errorf("%s: no %s in the query", d.Name, want)
			}
		}
		if strings.Contains(q, q2+"total"+q2) {
			t.Errorf("%s: the total is read, not the paid amount", d.Name)
		}
		classes := q[strings.Index(q, "status_classes AS ("):strings.Index(q, "FROM (SELECT DISTINCT status")]
		for _, w := range words {
			if n := strings.Count(classes, "status, '"+w+"'"); n != 1 {
				t.Errorf("%s: status word %q appears %d times", d.Name, w, n)
			}
		}
		out := regexp.MustCompile(`[a-z_]+`).FindAllString(q[strings.LastIndex(q, "\nSELECT\n"):strings.LastIndex(q, "\nFROM ")], -1)
		for _, f := range Fields() {
			if !slices.Contains(out, f) {
				t.Errorf("%s: no output field %s", d.Name, f)
			}
		}
		if strings.Contains(q, "{{") || strings.Contains(q, "<no value>") {
			t.Errorf("%s: template text left in the query", d.Name)
		}
		min, err := Render(d.Name, specs["minimal"])
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(min, "status_classes") || strings.Contains(min, "c_invoices") {
			t.Errorf("%s: the query without status and order columns classifies them", d.Name)
		}
	}
}

// TestFields checks that the query's fields are the ones segsim stats
// writes and segsim reads, in the same order.
func TestFields(t *testing.T) {
	if !slices.Equal(Fields(), engine.StatsHeader) {
		t.Errorf("Fields() = %v; segsim stats writes %v", Fields(), engine.StatsHeader)
	}
}

// TestRejects checks that no name or date can carry SQL into the query.
func TestRejects(t *testing.T) {
	ok := specs["full"]
	for _, tc := range []struct {
		name string
		edit func(*Spec)
	}{
		{"quote in a column", func(s *Spec) { s.Customer = `id" FROM x; DROP TABLE orders; --` }},
		{"backtick in a column", func(s *Spec) { s.PaidAmount = "amount`" }},
		{"bad total beside a paid amount", func(s *Spec) { s.Amount = "total\"" }},
		{"single quote", func(s *Spec) { s.Status = "status'" }},
		{"semicolon", func(s *Spec) { s.Table = "orders;drop" }},
		{"comment", func(s *Spec) { s.Channel = "channel/*" }},
		{"dot in a column", func(s *Spec) { s.Date = "a.b" }},
		{"four table parts", func(s *Spec) { s.Table = "a.b.c.d" }},
		{"empty table part", func(s *Spec) { s.Table = "shop..orders" }},
		{"spaces around", func(s *Spec) { s.Order = " order_id" }},
		{"newline", func(s *Spec) { s.Refund = "refund\nx" }},
		{"no customer", func(s *Spec) { s.Customer = "" }},
		{"no date", func(s *Spec) { s.Date = "" }},
		{"no amount", func(s *Spec) { s.Amount, s.PaidAmount = "", "" }},
		{"no table", func(s *Spec) { s.Table = "" }},
		{"as-of not a date", func(s *Spec) { s.AsOf = "2026-01-01' OR 1=1" }},
		{"as-of impossible", func(s *Spec) { s.AsOf = "2026-02-30" }},
		{"as-of not padded", func(s *Spec) { s.AsOf = "2026-1-1" }},
		{"long name", func(s *Spec) { s.Customer = strings.Repeat("x", 129) }},
	} {
		s := ok
		tc.edit(&s)
		for _, d := range Dialects {
			if q, err := Render(d.Name, s); !errors.Is(err, ErrSpec) {
				t.Errorf("%s %s: err = %v; query %.80q", tc.name, d.Name, err, q)
			}
		}
	}
	if _, err := Render("oracle", ok); !errors.Is(err, ErrSpec) {
		t.Errorf("unknown dialect: err = %v", err)
	}
	s := ok
	s.Table, s.Customer, s.Channel = "my-project.销售.order lines", "会员ID", "渠道 名称"
	q, err := Render("bigquery", s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"`my-project`.`销售`.`order lines`", "`会员ID`", "`渠道 名称`"} {
		if !strings.Contains(q, want) {
			t.Errorf("no %s in the BigQuery query", want)
		}
	}
}
