package clean

import (
	"fmt"
	"slices"

	"segsim/core/summary"
)

// Customers applies the customer-level rules (reward hunters, outliers) to
// t in place: it sets flags, caps revenue or removes customers, and says
// what it did.
func Customers(t *summary.Customers, r Rules) []RuleCount {
	return []RuleCount{rewardHunters(t, r), outliers(t, r)}
}

func rewardHunters(t *summary.Customers, r Rules) RuleCount {
	rc := RuleCount{Rule: "reward_hunters", Action: r.RewardHunters}
	if r.RewardHunters == "off" {
		return rc
	}
	if !t.HasDiscount {
		rc.Note = "no discount column: rule not applied"
		return rc
	}
	rc.Note = fmt.Sprintf("≥%d orders, ≥%.0f%% of them discounted by ≥%.0f%%", r.HunterMinOrders, r.HunterShare*100, r.HunterDiscount*100)
	keep := make([]bool, t.Len())
	for i := range keep {
		keep[i] = true
		if int(t.Orders[i]) >= r.HunterMinOrders && float64(t.HeavyOrders[i]) >= r.HunterShare*float64(t.Orders[i]) {
			t.Flags[i] |= summary.FlagRewardHunter
			rc.Customers++
			rc.Rows += int(t.Orders[i])
			keep[i] = r.RewardHunters != "exclude"
		}
	}
	if r.RewardHunters == "exclude" && rc.Customers > 0 {
		t.Filter(keep)
	}
	return rc
}

func outliers(t *summary.Customers, r Rules) RuleCount {
	rc := RuleCount{Rule: "outliers", Action: r.Outliers}
	if r.Outliers == "off" || t.Len() == 0 {
		return rc
	}
	limit := RevenuePercentile(t.Revenue, r.OutlierPercentile)
	rc.Note = fmt.Sprintf("revenue above the %g percentile (%.2f)", r.OutlierPercentile, float64(limit)/100)
	keep := make([]bool, t.Len())
	for i, v := range t.Revenue {
		keep[i] = true
		if v > limit {
			t.Flags[i] |= summary.FlagOutlier
			rc.Customers++
			rc.Rows += int(t.Orders[i])
			switch r.Outliers {
			case "cap":
				t.Revenue[i] = limit
				t.Flags[i] |= summary.FlagCapped
			case "exclude":
				keep[i] = false
			}
		}
	}
	if r.Outliers == "exclude" && rc.Customers > 0 {
		t.Filter(keep)
	}
	return rc
}

// RevenuePercentile returns the value at percentile p (0..100) of v by the
// nearest-rank method: the smallest value with at least p% of values at or
// below it.
func RevenuePercentile(v []int64, p float64) int64 {
	return summary.Percentile(slices.Clone(v), p)
}
