package parquetfile

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"segsim/core/calendar"
	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/parquetfile/parquettest"
	"segsim/core/scenario"
)

// order is a warehouse's order row as a Parquet writer types it.
type order struct {
	CustomerID string    `parquet:"customer_id"`
	OrderID    int64     `parquet:"order_id"`
	Paid       time.Time `parquet:"paid_at,timestamp(millisecond)"`
	Day        int32     `parquet:"order_date,date"` // days since 1970-01-01
	Amount     int64     `parquet:"amount,decimal(2:18)"`
	Status     *string   `parquet:"status,optional"`
	Score      float64   `parquet:"score"`
	VIP        bool      `parquet:"vip"`
}

func write[T any](t *testing.T, rows []T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestTypes: each Parquet type comes out as the text ingest reads.
func TestTypes(t *testing.T) {
	paid := "paid"
	data := write(t, []order{
		{"c,1", 7, time.Date(2024, 3, 5, 14, 30, 0, 0, time.UTC), calendar.FromCivil(2024, 3, 5), 12345, &paid, 0.5, true},
		{`c"2`, 8, time.Date(2023, 12, 31, 23, 59, 59, 0, time.UTC), calendar.FromCivil(2023, 12, 31), -5, nil, 2, false},
	})
	if ingest.Sniff(data) != "parquet" {
		t.Fatalf("sniffed as %q", ingest.Sniff(data))
	}
	out, info, err := ToCSV(data)
	if err != nil {
		t.Fatal(err)
	}
	want := "customer_id,order_id,paid_at,order_date,amount,status,score,vip\n" +
		"\"c,1\",7,2024-03-05 14:30:00,2024-03-05,123.45,paid,0.5,true\n" +
		"\"c\"\"2\",8,2023-12-31 23:59:59,2023-12-31,-0.05,,2,false\n"
	if string(out) != want || info.Rows != 2 || len(info.Columns) != 8 {
		t.Fatalf("got\n%s\nwant\n%s(%+v)", out, want, info)
	}
}

// TestCDNOW: the CDNOW sample written as Parquet and read back scores
// exactly as the CSV does.
func TestCDNOW(t *testing.T) {
	raw, err := os.ReadFile("../../seeds/samples/cdnow.csv")
	if err != nil {
		t.Fatal(err)
	}
	pq, err := parquettest.CDNOW(raw)
	if err != nil {
		t.Fatal(err)
	}
	out, info, err := ToCSV(pq)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(bytes.Count(raw, []byte("\n")) - 1); info.Rows != want {
		t.Fatalf("%d rows, want %d", info.Rows, want)
	}
	score := func(data []byte) string {
		d, err := engine.Load(data, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := d.Run(scenario.Default())
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := d.WriteCSV(&b, r, engine.CSVOptions{}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if got, want := score(out), score(raw); got != want {
		t.Fatalf("scores differ:\n%.300s\nwant\n%.300s", got, want)
	}
}

// TestRefused: a damaged file and a nested column get errors that say
// what is wrong.
func TestRefused(t *testing.T) {
	data := write(t, []order{{CustomerID: "a"}})
	if _, _, err := ToCSV(data[:len(data)/2]); !errors.Is(err, ErrUnreadable) {
		t.Errorf("a cut file: %v", err)
	}
	type nested struct {
		ID   string   `parquet:"id"`
		Tags []string `parquet:"tags,list"`
	}
	if _, _, err := ToCSV(write(t, []nested{{"a", []string{"x"}}})); !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "tags") {
		t.Errorf("a nested column: %v", err)
	}
}
