package ingest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestStreamMatchesParse feeds inputs to a Stream in prefixes of random
// lengths (cutting records, quoted newlines and CRLF pairs anywhere) and
// checks that Finish returns what Parse returns for the whole input: the
// same rows, ids, report and error.
func TestStreamMatchesParse(t *testing.T) {
	inputs := map[string][]byte{"messy": messyCSV(3000, false), "ambiguous": messyCSV(400, true), "short": messyCSV(50, false)}
	for _, name := range []string{"cdnow.csv", "apparel_zh.csv", "grocery_en.csv", "livestream_zh.csv"} {
		b, err := os.ReadFile("../../seeds/samples/" + name)
		if err != nil {
			t.Fatal(err)
		}
		inputs[name] = b
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for name, data := range inputs {
		wantO, wantRep, wantErr := Parse(data, Options{})
		for trial := range 6 {
			maxStep := []int{7, 300, 5000, 70000, 1 << 20, 1 << 30}[trial]
			var s *Stream
			n := 0
			for n < len(data) {
				n = min(len(data), n+1+rng.IntN(maxStep))
				if s == nil {
					var err error
					s, err = NewStream(data[:n], len(data), Options{})
					if errors.Is(err, ErrShortPrefix) {
						continue
					}
					if err != nil {
						if wantErr == nil || err.Error() != wantErr.Error() {
							t.Fatalf("%s: NewStream: %v; Parse: %v", name, err, wantErr)
						}
						break
					}
				}
				if n < len(data) {
					s.Feed(data[:n])
				}
			}
			if s == nil {
				continue // Parse failed at the header, and so did NewStream
			}
			o, rep, err := s.Finish(data)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("%s step %d: Finish error %v, Parse %v", name, maxStep, err, wantErr)
			}
			if !reflect.DeepEqual(rep, wantRep) {
				t.Fatalf("%s step %d: report\n%+v\nParse\n%+v", name, maxStep, rep, wantRep)
			}
			if err == nil {
				sameOrders(t, fmt.Sprintf("%s step %d", name, maxStep), o, wantO)
			}
		}
	}
}

// TestStreamRefusesJSON checks that JSON is left to Parse.
func TestStreamRefusesJSON(t *testing.T) {
	for _, in := range []string{`[{"a":1}]`, "\xef\xbb\xbf  {\"a\":1}\n"} {
		if _, err := NewStream([]byte(in), len(in), Options{}); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("%q: %v, want ErrUnsupported", in, err)
		}
	}
}

// sameOrders compares two order tables row by row: ids by their text and
// order ids by which rows share one (their hashes are seeded).
func sameOrders(t *testing.T, what string, a, b *Orders) {
	t.Helper()
	if a.Len() != b.Len() || a.Customers.Len() != b.Customers.Len() || a.DigitOrderIDs != b.DigitOrderIDs {
		t.Fatalf("%s: %d rows, %d customers, %d digit ids; want %d, %d, %d", what, a.Len(), a.Customers.Len(), a.DigitOrderIDs, b.Len(), b.Customers.Len(), b.DigitOrderIDs)
	}
	for i := range a.Cust {
		if a.CustomerID(a.Cust[i]) != b.CustomerID(b.Cust[i]) {
			t.Fatalf("%s: row %d customer %q, want %q", what, i, a.CustomerID(a.Cust[i]), b.CustomerID(b.Cust[i]))
		}
	}
	if !reflect.DeepEqual(a.Day, b.Day) || !reflect.DeepEqual(a.Cents, b.Cents) || !reflect.DeepEqual(a.Discount, b.Discount) ||
		!reflect.DeepEqual(a.Channel, b.Channel) || !reflect.DeepEqual(a.Flags, b.Flags) {
		t.Fatalf("%s: columns differ", what)
	}
	if !reflect.DeepEqual(canonical(a.Order), canonical(b.Order)) {
		t.Fatalf("%s: order ids group rows differently", what)
	}
}

// canonical replaces each hash by the first row that has it.
func canonical(h []uint64) []int {
	if h == nil {
		return nil
	}
	first := map[uint64]int{}
	out := make([]int, len(h))
	for i, v := range h {
		if _, ok := first[v]; !ok {
			first[v] = i
		}
		out[i] = first[v]
	}
	return out
}

// messyCSV writes n orders with a byte order mark, CRLF and LF line ends,
// blank lines, quoted fields holding commas, quotes and newlines, bad
// dates and amounts, and no newline after the last line. With ambiguous,
// every date reads as A/B/YYYY with both parts at most 12.
func messyCSV(n int, ambiguous bool) []byte {
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	var b strings.Builder
	b.WriteString("\xef\xbb\xbfcustomer_id,order_id,order_date,amount,note\r\n")
	for i := range n {
		date := fmt.Sprintf("2025-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28))
		if ambiguous {
			date = fmt.Sprintf("%02d/%02d/2025", 1+rng.IntN(12), 1+rng.IntN(12))
		}
		note := []string{"", "plain", `"with, comma"`, `"say ""hi"""`, "\"two\nlines\"", "\"three\r\nlines\nhere\""}[rng.IntN(6)]
		amount := fmt.Sprintf("%d.%02d", rng.IntN(500), rng.IntN(100))
		switch rng.IntN(50) {
		case 0:
			date = "not a date"
		case 1:
			amount = "12,34,56"
		case 2:
			b.WriteString("\n")
		}
		end := "\n"
		if rng.IntN(3) == 0 {
			end = "\r\n"
		}
		if i == n-1 {
			end = ""
		}
		fmt.Fprintf(&b, "c%d,o%d,%s,%s,%s%s", rng.IntN(n/3+1), rng.IntN(n), date, amount, note, end)
	}
	return []byte(b.String())
}

// FuzzStream checks that a Stream fed in steps of step bytes returns what
// Parse returns for the whole input.
func FuzzStream(f *testing.F) {
	f.Add([]byte("customer_id,order_date,amount\nc1,2025-01-02,3.50\n\"c,2\",2025-01-03,\"4\"\r\n"), uint16(3))
	f.Add(messyCSV(40, false), uint16(17))
	f.Add(messyCSV(30, true), uint16(1))
	f.Fuzz(func(t *testing.T, data []byte, step uint16) {
		wantO, wantRep, wantErr := Parse(data, Options{})
		var s *Stream
		for n := 0; n < len(data) && s == nil; {
			n = min(len(data), n+1+int(step))
			var err error
			s, err = NewStream(data[:n], len(data), Options{})
			switch {
			case errors.Is(err, ErrShortPrefix) || errors.Is(err, errors.ErrUnsupported):
				s = nil
			case err != nil:
				if wantErr == nil {
					t.Fatalf("NewStream: %v; Parse: no error", err)
				}
				return
			default:
				for m := n; m < len(data); m += 1 + int(step) {
					s.Feed(data[:m])
				}
			}
		}
		if s == nil {
			return
		}
		o, rep, err := s.Finish(data)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) || !reflect.DeepEqual(rep, wantRep) {
			t.Fatalf("Finish: %v %+v; Parse: %v %+v", err, rep, wantErr, wantRep)
		}
		if err == nil {
			sameOrders(t, "fuzz", o, wantO)
		}
	})
}

// TestStreamStalls checks that a record left open by an unclosed quote is
// read again only until it passes stallBytes, and that the result is still
// Parse's.
func TestStreamStalls(t *testing.T) {
	data := append(messyCSV(300, false), "\nc1,o1,2025-01-01,1.00,\"never closed\n"...)
	data = append(data, strings.Repeat("c2,o2,2025-01-02,2.00,x\n", (stallBytes+stallBytes/2)/24)...)
	wantO, wantRep, wantErr := Parse(data, Options{})
	s, err := NewStream(data[:1<<20], len(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for n := 2 << 20; n < len(data); n += 1 << 20 {
		s.Feed(data[:n])
	}
	if !s.stalled {
		t.Error("the open record was read again on every feed")
	}
	o, rep, err := s.Finish(data)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) || !reflect.DeepEqual(rep, wantRep) {
		t.Fatalf("Finish: %v %+v; Parse: %v %+v", err, rep, wantErr, wantRep)
	}
	if err == nil {
		sameOrders(t, "stalled", o, wantO)
	}
}

// TestStreamCRLFBlankAtCut cuts a prefix between the "\r" and the "\n" of
// a blank CRLF line: the line must be counted once, so that the skipped
// row after it keeps its line number.
func TestStreamCRLFBlankAtCut(t *testing.T) {
	var b strings.Builder
	b.WriteString("customer_id,order_date,amount\r\n")
	for i := range 300 {
		fmt.Fprintf(&b, "c%d,2025-01-%02d,%d\r\n", i, 1+i%28, i)
	}
	b.WriteString("\r")
	cut := b.Len()
	b.WriteString("\nc9,someday,3\r\nc10,2025-02-01,4\r\n")
	data := []byte(b.String())
	_, want, err := Parse(data, Options{})
	if err != nil || len(want.Skips) != 1 || want.Skips[0].Line != 303 {
		t.Fatalf("Parse: %v %+v", err, want.Skips)
	}
	s, err := NewStream(data[:cut], len(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Feed(data[:cut])
	_, rep, err := s.Finish(data)
	if err != nil || !reflect.DeepEqual(rep, want) {
		t.Fatalf("stream: %v %+v, want %+v", err, rep.Skips, want.Skips)
	}
}
