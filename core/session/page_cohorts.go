package session

import (
	"fmt"

	"segsim/core/engine"
	"segsim/core/simulate"
)

// maxCohorts bounds the cohorts the page's heatmap shows (the latest).
const maxCohorts = 36

// CohortCache keeps the page's monthly acquisition cohort table between
// runs: it is computed again only when the cleaned data changes, not when a
// scoring knob moves.
type CohortCache struct {
	key string
	tab *simulate.CohortTable
	err error
}

// Get returns the monthly cohort table of the last Run of d (the latest
// maxCohorts cohorts).
func (c *CohortCache) Get(d *engine.Dataset) (*simulate.CohortTable, error) {
	if d == nil || d.Customers == nil {
		return nil, fmt.Errorf("no data loaded")
	}
	key := fmt.Sprintf("%d|%p|%p", d.CleanGen(), d.Customers, d.Orders)
	if key == c.key {
		return c.tab, c.err
	}
	tab, err := simulate.Cohorts(d.Orders, d.Disposition(), d.Customers, "month")
	if err == nil && len(tab.Cohorts) > maxCohorts {
		t := *tab
		t.Cohorts = t.Cohorts[len(t.Cohorts)-maxCohorts:]
		tab = &t
	}
	c.key, c.tab, c.err = key, tab, err
	return tab, err
}
