package predict

import (
	"errors"
	"fmt"
)

var (
	// ErrInvalidInput reports a summary or purchase history that breaks the
	// model's assumptions (negative counts, recency beyond T, unsorted days,
	// mismatched slice lengths, non-positive spend of a repeat buyer).
	ErrInvalidInput = errors.New("predict: invalid input")

	// ErrNoCalibrationPurchase reports a customer whose first purchase falls
	// after the calibration end, so the customer has no calibration history.
	ErrNoCalibrationPurchase = errors.New("predict: no purchase on or before calibration end")

	// ErrTooFewCustomers reports a data set with fewer customers than
	// MinCustomers (or, for Gamma-Gamma, fewer repeat buyers).
	ErrTooFewCustomers = errors.New("predict: too few customers to fit a model")

	// ErrNoRepeatBuyers reports a data set in which nobody bought twice; the
	// purchase rate and dropout process are then not identified.
	ErrNoRepeatBuyers = errors.New("predict: no repeat buyers")

	// ErrNotConverged reports that the optimiser stopped before reaching a
	// maximum of the likelihood. The accompanying model holds the last
	// iterate and the FitReport says why it stopped.
	ErrNotConverged = errors.New("predict: likelihood maximisation did not converge")

	// ErrDegenerate reports that the likelihood keeps increasing towards the
	// boundary of the parameter space (a parameter below 10⁻⁶ or above
	// 10⁶), so the data do not identify the model. The accompanying model
	// holds the last iterate, which may still describe the data but should
	// not be trusted for extrapolation.
	ErrDegenerate = errors.New("predict: degenerate estimate at the boundary of the parameter space")
)

// MinCustomers is the smallest number of customers (repeat buyers for
// Gamma-Gamma) a fit accepts. Four (three) parameters need far more data
// than this to be estimated well; the limit only rejects inputs that cannot
// carry a model at all.
const MinCustomers = 10

// CustomerError locates an invalid value in per-customer input, in the
// manner of encoding/csv's ParseError: which customer, which field, the raw
// value and why it was rejected. Err is a sentinel such as ErrInvalidInput
// and can be tested with errors.Is.
type CustomerError struct {
	Index  int     // position of the customer in the input slices
	Field  string  // "frequency", "recency", "T", "monetary", "days" or "amounts"
	Value  float64 // offending value
	Reason string  // human-readable explanation
	Err    error   // sentinel error
}

// Error implements the error interface.
func (e *CustomerError) Error() string {
	return fmt.Sprintf("%v: customer %d: %s = %g: %s", e.Err, e.Index, e.Field, e.Value, e.Reason)
}

// Unwrap returns the sentinel error.
func (e *CustomerError) Unwrap() error { return e.Err }
