package enginetest

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"segsim/core/warehouse/warehousetest"
)

// duckTypes are the DuckDB types of the cases' column types.
var duckTypes = map[string]string{"text": "VARCHAR", "timestamp": "TIMESTAMP", "decimal": "DECIMAL(18, 6)"}

// TestDuckDB loads each case's orders into DuckDB, runs the rendered
// DuckDB query and exports its result with COPY … TO as CSV, which
// warehousetest.Check holds against segsim's own stats and scores.
func TestDuckDB(t *testing.T) {
	warehousetest.Check(t, runDuckDB)
}

// runDuckDB loads the case's table into an in-memory database and returns
// the query's result as DuckDB writes it to a CSV file.
func runDuckDB(t *testing.T, dir string, c *warehousetest.Case) ([]byte, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	in := filepath.Join(dir, "table.csv")
	if err := os.WriteFile(in, c.Table, 0o644); err != nil {
		return nil, err
	}
	start := time.Now()
	for _, stmt := range []string{
		`CREATE SCHEMA shop`,
		c.CreateTable(duckTypes),
		`COPY shop."order lines" FROM '` + in + `' (FORMAT csv, HEADER)`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			return nil, fmt.Errorf("%.60s: %w", stmt, err)
		}
	}
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM shop."order lines"`).Scan(&n); err != nil || n != c.Rows {
		return nil, fmt.Errorf("loaded %d rows (%v); want %d", n, err, c.Rows)
	}
	t.Logf("loaded in %v", time.Since(start).Round(time.Millisecond))
	q, err := c.Query("duckdb")
	if err != nil {
		return nil, err
	}
	out := filepath.Join(dir, "stats.csv")
	start = time.Now()
	if _, err := db.Exec(`COPY (` + q + `) TO '` + out + `' (FORMAT csv, HEADER)`); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	t.Logf("query ran in %v", time.Since(start).Round(time.Millisecond))
	return os.ReadFile(out)
}
