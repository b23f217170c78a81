package session

import (
	"encoding/json"
	"errors"
	"fmt"

	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/knob"
	"segsim/core/readout"
)

// ErrorJSON writes an error for the page: {"error": the core's message,
// "code": a stable name the page translates, "report": what was read}
// and, by code, more data: missing_column has "missing" (the roles not
// found), not_text "kind" (xls, pdf, png…), ambiguous_dates "ambiguous"
// (the column and examples), and an error in a knob "path" and "value".
// Codes: missing_column, not_text, ambiguous_dates, empty,
// nothing_usable, bad_json, amount_too_large, bad_options, no_data,
// prediction, no_plan, no_readout, bad_snapshot, bad_filter, readout_window, invalid_field and error for
// anything else.
func ErrorJSON(err error, rep *ingest.Report) string {
	return errorJSON(err, rep, "")
}

// errorJSON is ErrorJSON with "file", the input the error is in, when a
// call reads more than one ("plan" or "orders").
func errorJSON(err error, rep *ingest.Report, file string) string {
	out := map[string]any{"error": err.Error(), "code": Code(err), "report": rep}
	if file != "" {
		out["file"] = file
	}
	var amb *ingest.AmbiguousDateError
	var kind *ingest.KindError
	var miss *ingest.MissingColumnError
	var k *knob.Error
	switch {
	case errors.As(err, &amb):
		out["ambiguous"] = map[string]any{"column": amb.Column, "examples": amb.Examples}
	case errors.As(err, &kind):
		out["kind"] = kind.Kind
	case errors.As(err, &miss):
		roles := make([]string, len(miss.Roles))
		for i, r := range miss.Roles {
			roles[i] = r.String()
		}
		out["missing"] = roles
	case errors.As(err, &k):
		out["path"], out["value"] = k.Path, k.Value
	}
	b, merr := json.Marshal(out)
	if merr != nil {
		return fmt.Sprintf(`{"error":%q,"code":"error"}`, merr.Error())
	}
	return string(b)
}

// Code names an error by the core's sentinels and types.
func Code(err error) string {
	var k *knob.Error
	switch {
	case errors.Is(err, ErrBadOptions):
		return "bad_options"
	case errors.Is(err, ErrNoData):
		return "no_data"
	case errors.Is(err, ingest.ErrMissingColumn):
		return "missing_column"
	case errors.Is(err, ingest.ErrNotText):
		return "not_text"
	case errors.Is(err, ingest.ErrAmbiguousDates):
		return "ambiguous_dates"
	case errors.Is(err, ingest.ErrEmpty):
		return "empty"
	case errors.Is(err, ingest.ErrNothingUsable):
		return "nothing_usable"
	case errors.Is(err, ingest.ErrBadJSON):
		return "bad_json"
	case errors.Is(err, ingest.ErrTooLarge):
		return "amount_too_large"
	case errors.Is(err, engine.ErrPrediction):
		return "prediction"
	case errors.Is(err, ErrNoPlan):
		return "no_plan"
	case errors.Is(err, ErrNoReadout):
		return "no_readout"
	case errors.Is(err, ErrBadSnapshot):
		return "bad_snapshot"
	case errors.Is(err, engine.ErrFilter):
		return "bad_filter"
	case errors.Is(err, readout.ErrWindow):
		return "readout_window"
	case errors.As(err, &k):
		return "invalid_field"
	}
	return "error"
}
