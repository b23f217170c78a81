package session

import (
	"fmt"

	"segsim/core/engine"
	"segsim/core/simulate"
)

// KPICache keeps the page's GMV tree between runs: it is measured again
// only when the cleaned data, the as-of date, the period or the churn
// window changes.
type KPICache struct {
	key string
	kpi simulate.KPI
}

// Get returns the GMV tree of the periodDays days before r's as-of date
// (simulate.MeasureKPI on the rows cleaning kept).
func (c *KPICache) Get(d *engine.Dataset, r *engine.Result, periodDays, churnDays int) (simulate.KPI, error) {
	if d == nil || d.Customers == nil || r == nil {
		return simulate.KPI{}, fmt.Errorf("no data loaded")
	}
	if periodDays < 1 {
		return simulate.KPI{}, fmt.Errorf("period: %d days; want at least 1", periodDays)
	}
	key := fmt.Sprintf("%d|%p|%p|%d|%d|%d", d.CleanGen(), d.Customers, d.Orders, r.AsOfDay, periodDays, churnDays)
	if key != c.key {
		c.kpi = simulate.MeasureKPI(d.Orders, d.Disposition(), d.Customers, r.AsOfDay, periodDays, churnDays)
		c.key = key
	}
	return c.kpi, nil
}
