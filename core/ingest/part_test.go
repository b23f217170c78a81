package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// partCSV writes n order rows with everything a part boundary can fall
// on or next to: line items (rows of an order after its first, with an
// empty amount), quoted notes holding newlines, blank lines, CRLF, rows
// with too few fields, bad dates and amounts, empty customers, statuses,
// channels, discounts, a refund column and a carried store column. With
// qty, amounts are quantity × unit price, some with fractions of a cent.
func partCSV(n int, seed uint64, qty bool) []byte {
	rng := rand.New(rand.NewPCG(seed, 11))
	var b strings.Builder
	price := "amount"
	if qty {
		price = "quantity,unit_price"
	}
	fmt.Fprintf(&b, "\xef\xbb\xbfcustomer_id,order_id,order_date,%s,status,channel,discount,refund,store,note\r\n", price)
	order := 0
	for i := 0; i < n; i++ {
		cust := fmt.Sprintf("c%d", rng.IntN(n/4+1))
		if rng.IntN(40) == 0 {
			cust = "  "
		}
		order++
		oid := fmt.Sprintf("o%d", order)
		if rng.IntN(30) == 0 {
			oid = ""
		}
		date := fmt.Sprintf("2025-%02d-%02d %02d:%02d", 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60))
		amount := fmt.Sprintf("%d.%02d", rng.IntN(900), rng.IntN(100))
		if qty {
			amount = fmt.Sprintf("%d,%d.%03d", 1+rng.IntN(4), rng.IntN(90), rng.IntN(1000))
		}
		switch rng.IntN(60) {
		case 0:
			date = "someday"
		case 1:
			amount = "lots"
			if qty {
				amount = "2,lots"
			}
		}
		status := []string{"paid", "paid", "refunded", "unpaid", "Paid", "已完成"}[rng.IntN(6)]
		channel := []string{"web", "app", "", "store"}[rng.IntN(4)]
		disc := []string{"", "0", "5.5", "-2"}[rng.IntN(4)]
		refund := []string{"", "", "", "3", "10000"}[rng.IntN(5)]
		store := []string{"", "north", "south", "\"east, 2\""}[rng.IntN(4)]
		note := []string{"", "fine", "\"two\nlines\"", "\"a \"\"quote\"\"\"", "\"three\r\nlines\nhere\""}[rng.IntN(5)]
		end := "\n"
		if rng.IntN(3) == 0 {
			end = "\r\n"
		}
		switch rng.IntN(80) {
		case 0:
			b.WriteString(end) // a blank line
		case 1:
			fmt.Fprintf(&b, "%s,%s%s", cust, oid, end) // too few fields
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s%s", cust, oid, date, amount, status, channel, disc, refund, store, note, end)
		// Further line items of the order: no amount of their own.
		for k := rng.IntN(4); k > 0 && oid != "" && !qty && rng.IntN(3) == 0; k-- {
			fmt.Fprintf(&b, "%s,%s,,,,,,,%s,item %d%s", cust, oid, store, k, end)
			i++
		}
	}
	return []byte(b.String())
}

// sameTable fails unless two tables hold the same rows, customers,
// order groupings, fractions of cents and carried values.
func sameTable(t *testing.T, what string, a, b *Orders) {
	t.Helper()
	sameOrders(t, what, a, b)
	if !reflect.DeepEqual(a.Sub, b.Sub) || a.Channels.Len() != b.Channels.Len() || len(a.Carry) != len(b.Carry) {
		t.Fatalf("%s: fractions of cents, channels or carried columns differ", what)
	}
	for i := range a.Channels.Len() {
		if !bytes.Equal(a.Channels.Key(int32(i)), b.Channels.Key(int32(i))) {
			t.Fatalf("%s: channel %d is %q, want %q", what, i, a.Channels.Key(int32(i)), b.Channels.Key(int32(i)))
		}
	}
	for i := range a.Customers.Len() {
		if !bytes.Equal(a.Customers.Key(int32(i)), b.Customers.Key(int32(i))) {
			t.Fatalf("%s: customer %d is %q, want %q", what, i, a.Customers.Key(int32(i)), b.Customers.Key(int32(i)))
		}
	}
	for k := range a.Carry {
		for i, v := range a.Carry[k].Row {
			w := b.Carry[k].Row[i]
			if (v < 0) != (w < 0) || v >= 0 && !bytes.Equal(a.Carry[k].Values.Key(v), b.Carry[k].Values.Key(w)) {
				t.Fatalf("%s: carried %s of row %d differs", what, a.Carry[k].Header, i)
			}
		}
	}
}

// reportDiff names the first field in which two reports differ, and for
// the lists of skipped rows the first that differs.
func reportDiff(a, b *Report) string {
	if a == nil || b == nil {
		return fmt.Sprintf("%v / %v", a, b)
	}
	for i, s := range a.Skips {
		if i >= len(b.Skips) || s != b.Skips[i] {
			return fmt.Sprintf("skip %d: %+v, want %+v", i, s, b.Skips[min(i, len(b.Skips)-1)])
		}
	}
	for i, s := range a.Rejects {
		if i >= len(b.Rejects) || s != b.Rejects[i] {
			return fmt.Sprintf("reject %d: %+v, want %+v", i, s, b.Rejects[min(i, len(b.Rejects)-1)])
		}
	}
	va, vb := reflect.ValueOf(*a), reflect.ValueOf(*b)
	for i := range va.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			return fmt.Sprintf("%s: %v, want %v", va.Type().Field(i).Name, va.Field(i).Interface(), vb.Field(i).Interface())
		}
	}
	return "no difference"
}

// readInParts reads data as a page does with two cores: a Stream from the
// start and a part from the first record after byte at, both fed in steps,
// joined when the Stream's records end where the part starts. It returns
// what Finish returns and whether the part was joined.
func readInParts(t *testing.T, data []byte, at int, opt Options, rng *rand.Rand) (*Orders, *Report, error, bool) {
	t.Helper()
	opt.OrderSeed = 0x5eed
	head := data[:min(len(data), 1<<20)]
	// The part is read as its bytes arrive, in steps of random size.
	var part []byte
	var from int
	p, perr := NewPart(head, at, len(data), opt)
	if perr == nil {
		tail := data[at:]
		for n := 0; n < len(tail); {
			n = min(len(tail), n+1+rng.IntN(4096))
			p.Feed(tail[:n])
		}
		part, from, perr = p.Finish(tail)
	}
	cut := at // the Stream reads no further until it knows where the part starts
	if perr == nil {
		if from < at || from > len(data) {
			t.Fatalf("the part starts at %d, before %d or past the end", from, at)
		}
		cut = from
	} else if !errors.Is(perr, ErrNoPart) {
		t.Fatalf("ReadPart: %v", perr)
	}
	var s *Stream
	for n := 0; n < cut; {
		n = min(cut, n+1+rng.IntN(4096))
		if s == nil {
			var err error
			if s, err = NewStream(data[:n], len(data), opt); errors.Is(err, ErrShortPrefix) {
				continue
			} else if err != nil {
				return nil, nil, err, false
			}
		}
		if n < cut {
			s.Feed(data[:n])
		}
	}
	joined := false
	if s != nil && perr == nil && s.FeedTo(data[:from]) {
		if err := s.Join(part); err != nil {
			t.Fatalf("Join after FeedTo: %v", err)
		}
		joined = true
	}
	if s == nil {
		o, rep, err := Parse(data, opt)
		return o, rep, err, false
	}
	o, rep, err := s.Finish(data)
	return o, rep, err, joined
}

// TestPartsMatchParse reads files in two parts split at many points and
// checks that the result is exactly Parse's: rows, customers in the same
// order, report (lines of skipped rows included) and error. It also
// checks that the parts were joined at most points, and that a part that
// started inside a quoted field was refused.
func TestPartsMatchParse(t *testing.T) {
	inputs := map[string][]byte{
		"orders":   partCSV(4000, 1, false),
		"quantity": partCSV(3000, 2, true),
		"messy":    messyCSV(3000, false),
	}
	for _, name := range []string{"cdnow.csv", "apparel_zh.csv", "grocery_en.csv"} {
		b, err := os.ReadFile("../../seeds/samples/" + name)
		if err != nil {
			t.Fatal(err)
		}
		inputs[name] = b
	}
	// Every record holds a quoted newline before text that reads as a
	// record: many split points fall inside a field, where a part's
	// reader cannot tell.
	var quoted bytes.Buffer
	quoted.WriteString("customer_id,order_date,amount,note\n")
	for i := range 3000 {
		fmt.Fprintf(&quoted, "c%d,2025-03-%02d,%d,\"see\nc0,2025-01-01,1,below\"\n", i%700, 1+i%28, i%90)
	}
	inputs["quoted"] = quoted.Bytes()

	rng := rand.New(rand.NewPCG(3, 4))
	options := []Options{{}, {KeepRejects: true, MaxSkipDetails: 3, Carry: []string{"store"}}}
	for _, name := range slices.Sorted(maps.Keys(inputs)) {
		data := inputs[name]
		joins, refusals, trials := 0, 0, 0
		for oi, opt := range options {
			if len(opt.Carry) > 0 && !bytes.Contains(data[:200], []byte("store")) {
				continue
			}
			want := opt
			want.OrderSeed = 0x5eed
			wantO, wantRep, wantErr := parseOne(data, want)
			for range 20 {
				at := len(data)/4 + rng.IntN(len(data)/2)
				what := fmt.Sprintf("%s options %d split %d", name, oi, at)
				o, rep, err, joined := readInParts(t, data, at, opt, rng)
				trials++
				if joined {
					joins++
				} else {
					refusals++
				}
				if fmt.Sprint(err) != fmt.Sprint(wantErr) {
					t.Fatalf("%s: error %v, Parse %v", what, err, wantErr)
				}
				if !reflect.DeepEqual(rep, wantRep) {
					t.Fatalf("%s (joined %v): the report differs from Parse's: %s", what, joined, reportDiff(rep, wantRep))
				}
				if err == nil {
					sameTable(t, what, o, wantO)
				}
			}
		}
		t.Logf("%s: %d of %d splits joined", name, joins, trials)
		switch {
		case name == "quoted" && refusals == 0:
			t.Errorf("%s: no split fell inside a quoted field", name)
		case name != "quoted" && joins < trials/2:
			t.Errorf("%s: only %d of %d splits joined", name, joins, trials)
		}
	}
}

// TestPartRefused checks the cases a part is not read or not joined:
// dates whose format the whole file decides, a part read with other
// settings, and parts cut short or altered.
func TestPartRefused(t *testing.T) {
	amb := messyCSV(400, true)
	if _, _, err := ReadPart(amb, amb[len(amb)/2:], len(amb)/2, len(amb), Options{OrderSeed: 1}); !errors.Is(err, ErrNoPart) {
		t.Errorf("ambiguous dates: %v", err)
	}
	if _, _, err := ReadPart(amb, amb[len(amb)/2:], len(amb)/2, len(amb), Options{}); !errors.Is(err, ErrNoPart) {
		t.Errorf("no seed: %v", err)
	}
	data := partCSV(2000, 9, false)
	at := len(data) / 2
	opt := Options{OrderSeed: 7}
	part, from, err := ReadPart(data, data[at:], at, len(data), opt)
	if err != nil {
		t.Fatal(err)
	}
	stream := func(o Options) *Stream {
		s, err := NewStream(data[:from], len(data), o)
		if err != nil || !s.FeedTo(data[:from]) {
			t.Fatalf("stream: %v", err)
		}
		return s
	}
	if err := stream(Options{OrderSeed: 8}).Join(part); err == nil {
		t.Error("a part hashed with another seed was joined")
	}
	if err := stream(Options{OrderSeed: 7, MaxSkipDetails: 5}).Join(part); err == nil {
		t.Error("a part read with other settings was joined")
	}
	early, err := NewStream(data[:from], len(data), opt)
	if err != nil {
		t.Fatal(err)
	}
	early.Feed(data[:from-1])
	if err := early.Join(part); err == nil {
		t.Error("a part was joined to a stream that stopped before it")
	}
	for _, cut := range []int{0, 7, len(part) / 3, len(part) - 1} {
		if err := stream(opt).Join(part[:cut]); err == nil {
			t.Errorf("a part cut to %d bytes was joined", cut)
		}
	}
	s := stream(opt)
	if err := s.Join(part); err != nil {
		t.Fatal(err)
	}
	o, rep, err := s.Finish(data)
	wo, wrep, werr := parseOne(data, opt)
	if err != nil || werr != nil || !reflect.DeepEqual(rep, wrep) {
		t.Fatalf("joined: %v %v", err, werr)
	}
	sameTable(t, "joined", o, wo)
}

// FuzzPart checks that a file read in two parts split anywhere gives what
// Parse gives, and that joining altered part bytes never fails otherwise
// than with an error.
func FuzzPart(f *testing.F) {
	f.Add(partCSV(60, 1, false), uint16(900), uint16(3))
	f.Add(partCSV(40, 2, true), uint16(1200), uint16(0))
	f.Add(messyCSV(50, false), uint16(700), uint16(40))
	f.Add([]byte("customer_id,order_date,amount\nc1,2025-01-02,3\n\"c\n2\",2025-01-03,4\nc3,2025-01-04,5\n"), uint16(35), uint16(9))
	f.Fuzz(func(t *testing.T, data []byte, at, flip uint16) {
		if len(data) < 2 {
			return
		}
		split := 1 + int(at)%(len(data)-1)
		opt := Options{OrderSeed: 3}
		wantO, wantRep, wantErr := parseOne(data, opt)
		part, from, err := ReadPart(data, data[split:], split, len(data), opt)
		if err != nil {
			return
		}
		s, err := NewStream(data[:from], len(data), opt)
		if err != nil || !s.FeedTo(data[:from]) {
			return
		}
		bad := bytes.Clone(part)
		if len(bad) > 0 {
			bad[int(flip)%len(bad)] ^= 0x5a
			s2, _ := NewStream(data[:from], len(data), opt)
			if s2 != nil && s2.FeedTo(data[:from]) {
				_ = s2.Join(bad) // an error or a join, never a panic
			}
		}
		if err := s.Join(part); err != nil {
			t.Fatalf("Join: %v", err)
		}
		o, rep, err := s.Finish(data)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) || !reflect.DeepEqual(rep, wantRep) {
			t.Fatalf("parts: %v, Parse: %v; %s", err, wantErr, reportDiff(rep, wantRep))
		}
		if err == nil {
			sameTable(t, "parts", o, wantO)
		}
	})
}

// BenchmarkPart measures reading the second half of a file as a part and
// joining it to a stream that read the first.
func BenchmarkPart(b *testing.B) {
	data := partCSV(300000, 5, false)
	at := len(data) / 2
	opt := Options{OrderSeed: 9}
	part, from, err := ReadPart(data[:1<<20], data[at:], at, len(data), opt)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := ReadPart(data[:1<<20], data[at:], at, len(data), opt); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("join", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			s, err := NewStream(data[:from], len(data), opt)
			if err != nil || !s.FeedTo(data[:from]) {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := s.Join(part); err != nil {
				b.Fatal(err)
			}
		}
	})
}
