package ingest

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// TestParallelMatchesSequential parses a file big enough to be split in
// two halves and compares everything with a one-goroutine parse.
func TestParallelMatchesSequential(t *testing.T) {
	var b strings.Builder
	b.WriteString("customer_id,order_id,order_date,amount,discount,channel,status\n")
	channels := []string{"app", "web", "store"}
	for i := 0; b.Len() < minParallel+(2<<20); i++ {
		c := (i*7919)%50000 + i/40000 // new customers keep appearing
		switch {
		case i%100003 == 5:
			fmt.Fprintf(&b, "c%d,o%d,not-a-date,1,0,app,paid\n", c, i)
		case i%70001 == 9:
			fmt.Fprintf(&b, "c%d,o%d,2024-01-01\n", c, i)
		default:
			fmt.Fprintf(&b, "c%d,o%d,2024-%02d-%02d 10:00:00,%d.%02d,%d,%s,%s\n", c, i, 1+i%12, 1+i%28, i%500, i%100, i%7,
				channels[(i/3)%3], []string{"paid", "refunded", "已支付"}[i%5%3])
		}
	}
	data := []byte(b.String())
	prev := runtime.GOMAXPROCS(1)
	seqO, seqR, err := Parse(data, Options{})
	runtime.GOMAXPROCS(max(prev, 2))
	if err != nil {
		t.Fatal(err)
	}
	parO, parR, err := Parse(data, Options{})
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	if seqR.RowsSkipped == 0 {
		t.Fatal("the test file should have bad rows in both halves")
	}
	if !reflect.DeepEqual(seqR, parR) {
		t.Fatalf("reports differ:\n%+v\n%+v", seqR, parR)
	}
	for _, c := range []struct {
		name string
		a, b any
	}{
		{"Cust", seqO.Cust, parO.Cust}, {"Day", seqO.Day, parO.Day}, {"Cents", seqO.Cents, parO.Cents},
		{"Discount", seqO.Discount, parO.Discount}, {"Channel", seqO.Channel, parO.Channel}, {"Flags", seqO.Flags, parO.Flags},
		{"DigitOrderIDs", seqO.DigitOrderIDs, parO.DigitOrderIDs}, {"Order len", len(seqO.Order), len(parO.Order)},
	} {
		if !reflect.DeepEqual(c.a, c.b) {
			t.Errorf("%s differs", c.name)
		}
	}
	for i := int32(0); i < int32(seqO.Customers.Len()); i++ {
		if string(seqO.Customers.Key(i)) != string(parO.Customers.Key(i)) {
			t.Fatalf("customer %d: %q vs %q", i, seqO.Customers.Key(i), parO.Customers.Key(i))
		}
	}
	// Order ids: equal ids must hash equal across the halves.
	first := map[uint64]int{}
	for i, h := range parO.Order {
		if j, ok := first[h]; ok && seqO.Order[i] != seqO.Order[j] {
			t.Fatalf("rows %d and %d share an order hash only in the parallel parse", i, j)
		}
		first[h] = i
	}
}
