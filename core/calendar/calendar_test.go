package calendar

import (
	"testing"
	"time"
)

// TestAgainstTime checks day numbers, formatting and parsing against the
// time package over four centuries.
func TestAgainstTime(t *testing.T) {
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := 0; d < 146097; d += 7 {
		tm := start.AddDate(0, 0, d)
		want := int32(tm.Unix() / 86400)
		if got := FromCivil(tm.Year(), int(tm.Month()), tm.Day()); got != want {
			t.Fatalf("FromCivil(%s) = %d, want %d", tm.Format(time.DateOnly), got, want)
		}
		if y, m, dd := Civil(want); y != tm.Year() || m != int(tm.Month()) || dd != tm.Day() {
			t.Fatalf("Civil(%d) = %d-%d-%d", want, y, m, dd)
		}
		if s := Format(want); s != tm.Format(time.DateOnly) {
			t.Fatalf("Format(%d) = %s", want, s)
		}
		if tm.Year() <= MaxYear {
			if p, err := Parse(tm.Format(time.DateOnly)); err != nil || p != want {
				t.Fatalf("Parse(%s) = %d, %v", tm.Format(time.DateOnly), p, err)
			}
		}
	}
	for _, bad := range []string{"2024-02-30", "2024-13-01", "1899-12-31", "24-01-01", "2024-1-1", "yesterday", "2024-01-02 10:00"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) passed", bad)
		}
	}
	if FromSerial(45292, false) != FromCivil(2024, 1, 1) || FromSerial(45292.99, false) != FromCivil(2024, 1, 1) ||
		FromSerial(0, true) != FromCivil(1904, 1, 1) || FromSerial(59, false) != FromCivil(1900, 2, 28) || FromSerial(61, false) != FromCivil(1900, 3, 1) {
		t.Error("FromSerial")
	}
}

// TestWriter checks the table's dates against Append, inside the table,
// outside it, and with no table.
func TestWriter(t *testing.T) {
	for _, w := range []Writer{NewWriter(-800, 40000), NewWriter(0, 1<<17), NewWriter(5, 4)} {
		for day := int32(-1000); day < 41000; day += 7 {
			if got, want := string(w.Append(nil, day)), string(Append(nil, day)); got != want {
				t.Fatalf("Writer.Append(%d) = %s, want %s", day, got, want)
			}
		}
	}
}
