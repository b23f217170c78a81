package warehousetest

import (
	"testing"
	"time"
)

// Engine runs a case's query on a database engine: it loads c.Table
// (in dir, a directory of the test's own, when it needs a file) and
// returns the query's result as the engine writes it to CSV.
type Engine func(t *testing.T, dir string, c *Case) ([]byte, error)

// Check runs every case (Cases) on an engine, each as a subtest: it makes
// the case, runs the engine, holds the stats against segsim's own (segsim
// stats) and segsim's scores of the
// stats against its scores of the orders: the six basic fields give the
// columns they determine, every field the whole customer CSV. It logs how
// long each step took.
func Check(t *testing.T, run Engine) {
	for _, m := range Cases() {
		t.Run(m.Name, func(t *testing.T) {
			start := time.Now()
			dir := t.TempDir()
			c, err := m.Make(dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("prepared %d rows in %v", c.Rows, since(start))
			stats, err := run(t, dir, c)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.CompareStats(stats); err != nil {
				t.Errorf("stats: %v", err)
			}
			start = time.Now()
			if err := c.CompareBasicScores(stats); err != nil {
				t.Errorf("scores from the six basic fields: %v", err)
			}
			if err := c.CompareFullScores(stats); err != nil {
				t.Errorf("scores from every field: %v", err)
			}
			t.Logf("scores compared in %v", since(start))
		})
	}
}

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }
