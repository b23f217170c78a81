package predict

import (
	"slices"

	"segsim/core/knob"
)

// Config holds the prediction knobs of a scenario.
type Config struct {
	Enabled bool `json:"enabled"`
	// Unit is the model's time unit: "week" (default) or "day".
	Unit string `json:"unit"`
	// HorizonDays is how far expected purchases and CLV look ahead.
	HorizonDays int `json:"horizon_days"`
	// DiscountRate is the yearly discount rate for CLV.
	DiscountRate float64 `json:"discount_rate"`
	// AtRiskBelow marks active, returned and silent customers whose
	// probability of being alive is below it as at risk (0 = off).
	AtRiskBelow float64 `json:"at_risk_below"`
	// Model is the purchase model: "bgnbd" (the default), "mbgnbd", under
	// which a one-time buyer may have dropped out, "pareto-nbd", under
	// which a customer may drop out at any moment, or "auto": the one that
	// predicts the last quarter of the data best from the rest.
	Model string `json:"model"`
}

// Models lists the purchase models Config.Model names; ModelAuto asks
// for the one that predicts a held-out part of the data best.
var Models = []string{"bgnbd", "mbgnbd", "pareto-nbd"}

// ModelAuto is the Config.Model that chooses among Models.
const ModelAuto = "auto"

// DefaultConfig returns prediction off, weekly model, a one-year horizon,
// a 10% yearly discount rate and the at-risk threshold of 0.5.
func DefaultConfig() Config {
	return Config{Unit: "week", HorizonDays: 365, DiscountRate: 0.1, AtRiskBelow: 0.5, Model: "bgnbd"}
}

// Validate reports the first bad knob.
func (c Config) Validate() error {
	switch {
	case c.Unit != "week" && c.Unit != "day":
		return knob.Bad("predict.unit", c.Unit, "is not week or day")
	case c.HorizonDays < 1 || c.HorizonDays > 3650:
		return knob.Bad("predict.horizon_days", c.HorizonDays, "is not in 1..3650")
	case !(c.DiscountRate >= 0 && c.DiscountRate < 1):
		return knob.Bad("predict.discount_rate", c.DiscountRate, "is not in [0, 1)")
	case !(c.AtRiskBelow >= 0 && c.AtRiskBelow <= 1):
		return knob.Bad("predict.at_risk_below", c.AtRiskBelow, "is not in [0, 1]")
	case c.Model != "" && c.Model != ModelAuto && !slices.Contains(Models, c.Model):
		return knob.Bad("predict.model", c.Model, "is not bgnbd, mbgnbd, pareto-nbd or auto")
	}
	return nil
}
