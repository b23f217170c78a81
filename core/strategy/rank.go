package strategy

import (
	"fmt"

	"segsim/core/summary"
)

// RankKeys returns the key that orders customers within a segment, higher
// first: "score" is R+F+M scores with revenue breaking ties, "revenue" the
// revenue, "predicted" the caller's predicted values (e.g. CLV).
func RankKeys(kind string, t *summary.Customers, r, f, m []uint8, predicted []float64) ([]float64, error) {
	keys := make([]float64, t.Len())
	switch kind {
	case "score":
		// Revenue in cents stays below 1e13, so ×1e-14 never crosses a score step.
		for i := range keys {
			keys[i] = float64(int(r[i])+int(f[i])+int(m[i])) + float64(t.Revenue[i])*1e-14
		}
	case "revenue":
		for i := range keys {
			keys[i] = float64(t.Revenue[i])
		}
	case "predicted":
		if len(predicted) != t.Len() {
			return nil, fmt.Errorf("%w: rank: %d predicted values for %d customers", ErrInvalid, len(predicted), t.Len())
		}
		copy(keys, predicted)
	default:
		return nil, fmt.Errorf("%w: rank: %q is not score, revenue or predicted", ErrInvalid, kind)
	}
	return keys, nil
}
