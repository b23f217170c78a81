package ingest

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// TestParseInTwo checks that Parse, reading an input in two parts at
// once on two cores, returns exactly what one pass returns, on inputs
// whose middle falls between records, inside a quoted field and among
// dates whose format the whole file decides; and that it joins the parts
// where it can.
func TestParseInTwo(t *testing.T) {
	defer func(n int) { twoPartsMin = n }(twoPartsMin)
	twoPartsMin = 1
	defer runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0)))
	runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0)))

	// A note in quotes around the middle holds lines that read as
	// records: the part starts on one of them, and is refused.
	var quoted bytes.Buffer
	quoted.WriteString("customer_id,order_date,amount,note\n")
	for i := range 2000 {
		fmt.Fprintf(&quoted, "c%d,2025-03-%02d,%d,", i%700, 1+i%28, i%90)
		if i == 1000 {
			quoted.WriteByte('"')
			for j := range 3000 {
				fmt.Fprintf(&quoted, "c0,2025-01-%02d,1,\n", 1+j%28)
			}
			quoted.WriteByte('"')
		}
		quoted.WriteByte('\n')
	}
	cdnow, err := os.ReadFile("../../seeds/samples/cdnow.csv")
	if err != nil {
		t.Fatal(err)
	}
	zh, err := os.ReadFile("../../seeds/samples/apparel_zh.csv")
	if err != nil {
		t.Fatal(err)
	}
	var latin strings.Builder
	latin.WriteString("Kunde;Datum;Betrag;Notiz\r\n")
	for i := range 4000 {
		fmt.Fprintf(&latin, "Müller-%d;%02d.03.2025;%d,%02d;Café «%d»\r\n", i%900, 1+i%28, i%300, i%100, i)
	}
	inputs := []struct {
		name   string
		data   []byte
		joined bool
		enc    string
	}{
		{"orders", partCSV(4000, 1, false), true, ""},
		{"quantity", partCSV(3000, 2, true), true, ""},
		{"messy", messyCSV(3000, false), true, ""},
		{"cdnow", cdnow, true, ""},
		{"gbk", encode(t, simplifiedchinese.GBK, string(zh)), true, ""},
		{"utf-16", encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), string(zh)), true, ""},
		{"windows-1252", encode(t, charmap.Windows1252, latin.String()), true, EncCP1252},
		{"quoted middle", quoted.Bytes(), false, ""},
		{"ambiguous dates", messyCSV(3000, true), false, ""},
		{"json", []byte(`[{"customer_id":"a","order_date":"2025-01-02","amount":3}]`), false, ""},
	}
	for _, in := range inputs {
		for _, opt := range []Options{{Encoding: in.enc}, {Encoding: in.enc, OrderSeed: 9, KeepRejects: true, MaxSkipDetails: 3}} {
			what := fmt.Sprintf("%s (seed %d)", in.name, opt.OrderSeed)
			var last, of, calls int
			opt.Progress = func(done, total int) { last, of, calls = done, total, calls+1 }
			tp := inTwo(in.data, opt)
			if joined := tp != nil && tp.s.joined; joined != in.joined {
				t.Errorf("%s: joined %v, want %v", what, joined, in.joined)
			}
			var o *Orders
			var rep *Report
			if tp != nil {
				o, rep, err = tp.finish()
			} else {
				o, rep, err = Parse(in.data, opt)
			}
			if tp != nil && (calls == 0 || last != len(in.data) || of != len(in.data)) {
				t.Errorf("%s: progress ended at %d of %d bytes (%d calls); the input has %d", what, last, of, calls, len(in.data))
			}
			opt.Progress = nil
			wantO, wantRep, wantErr := parseOne(in.data, opt)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("%s: error %v, one pass %v", what, err, wantErr)
			}
			if !reflect.DeepEqual(rep, wantRep) {
				t.Fatalf("%s: the report differs from one pass's: %s", what, reportDiff(rep, wantRep))
			}
			if err == nil {
				sameTable(t, what, o, wantO)
			}
		}
	}
}

// TestParseInTwoOneCore checks that Parse reads in one pass with one core.
func TestParseInTwoOneCore(t *testing.T) {
	defer func(n int) { twoPartsMin = n }(twoPartsMin)
	twoPartsMin = 1
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if tp := inTwo(partCSV(100, 1, false), Options{}); tp != nil {
		t.Error("read in two parts on one core")
	}
}

// FuzzParseInTwo checks that Parse reading an input in two parts at once
// returns what one pass returns, for any input and encoding.
func FuzzParseInTwo(f *testing.F) {
	defer func(n int) { twoPartsMin = n }(twoPartsMin)
	twoPartsMin = 1
	f.Add(partCSV(60, 1, false), uint8(0))
	f.Add(partCSV(40, 2, true), uint8(0))
	f.Add(messyCSV(50, false), uint8(1))
	f.Add([]byte("客户,日期,金额\n张三,2025-01-02,3\n李四,2025-01-03,4\n\"王\n五\",2025-01-04,5\n"), uint8(2))
	f.Add([]byte("Kunde;Datum;Betrag\r\nMüller;02.01.2025;3,50\r\nGroß;03.01.2025;4\r\n"), uint8(1))
	encodings := []string{"", EncCP1252, EncGB18030, EncUTF16LE, EncUTF8}
	f.Fuzz(func(t *testing.T, data []byte, enc uint8) {
		opt := Options{OrderSeed: 5, KeepRejects: true, Encoding: encodings[int(enc)%len(encodings)]}
		o, rep, err := Parse(data, opt)
		wantO, wantRep, wantErr := parseOne(data, opt)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("error %v, one pass %v", err, wantErr)
		}
		if rep != nil && wantRep != nil && !reflect.DeepEqual(rep, wantRep) {
			t.Fatalf("the report differs from one pass's: %s", reportDiff(rep, wantRep))
		}
		if (rep == nil) != (wantRep == nil) {
			t.Fatalf("report %v, one pass %v", rep, wantRep)
		}
		if err == nil {
			sameTable(t, "two parts", o, wantO)
		}
	})
}
