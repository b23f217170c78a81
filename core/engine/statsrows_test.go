package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"testing"

	"segsim/core/ingest"
	"segsim/core/scenario"
)

// TestStatsWithoutRows checks that scoring stats customer by customer
// (statsCustomers, statsBuyers, statsLast) gives what cleaning and
// summarizing the order rows FromStats stands for gives, under windows
// that cut histories, test accounts, zero-value and return rules, and
// negative or tiny revenues; and that the stats stay as read when the
// customer table shares their columns (statsTable.share).
func TestStatsWithoutRows(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	var stats []Stats
	for i := range 3000 {
		first := int32(19000 + r.IntN(400))
		orders := int32(1 + r.IntN(8))
		days := 1 + int32(r.IntN(int(orders)))
		last := first
		if days > 1 {
			last = first + days - 1 + int32(r.IntN(200))
		}
		rev := int64(r.IntN(50000))
		switch r.IntN(10) {
		case 0:
			rev = -int64(r.IntN(5000)) - 1
		case 1:
			rev = int64(r.IntN(int(orders) + 1)) // some orders free
		}
		id := fmt.Sprintf("c%05d", i)
		if r.IntN(40) == 0 {
			id = "test_" + id
		}
		stats = append(stats, Stats{ID: id, First: first, Last: last, Orders: orders, Days: days, Revenue: rev})
	}
	direct, err := FromStats(stats)
	if err != nil {
		t.Fatal(err)
	}
	o := &ingest.Orders{Customers: direct.Orders.Customers, Channels: direct.Orders.Channels}
	direct.stats.fill(o)
	rows := NewDataset(o, direct.Load)

	for k, edit := range []func(*scenario.Scenario){
		func(s *scenario.Scenario) {},
		func(s *scenario.Scenario) { s.Window.AsOf = "2022-06-01" },
		func(s *scenario.Scenario) { s.Window.Start, s.Window.End = "2022-03-01", "2022-08-31" },
		func(s *scenario.Scenario) { s.Window.Start = "2022-05-10" },
		func(s *scenario.Scenario) { s.Clean.ZeroValue = "drop" },
		func(s *scenario.Scenario) { s.Clean.Returns = "drop"; s.Clean.TestAccounts = "keep" },
		func(s *scenario.Scenario) { s.Clean.Outliers = "exclude"; s.Lifecycle.PeriodDays = 90 },
		func(s *scenario.Scenario) { s.Clean.Outliers = "cap"; s.Clean.OutlierPercentile = 90 },
		func(s *scenario.Scenario) {}, // after capping, the stats are as read
	} {
		s := scenario.Default()
		edit(s)
		rd, errD := direct.Run(s)
		rr, errR := rows.Run(s)
		if (errD == nil) != (errR == nil) {
			t.Fatalf("scenario %d: error %v from stats, %v from rows", k, errD, errR)
		}
		if errD != nil {
			continue
		}
		if rd.AsOfDay != rr.AsOfDay {
			t.Errorf("scenario %d: as-of %d from stats, %d from rows", k, rd.AsOfDay, rr.AsOfDay)
		}
		dv, rv := reflect.ValueOf(*direct.Customers), reflect.ValueOf(*rows.Customers)
		for f := range dv.NumField() {
			if n := dv.Type().Field(f).Name; n == "Grouped" || n == "Totals" {
				continue // from the rows read, which a stats table has none of
			}
			if !reflect.DeepEqual(dv.Field(f).Interface(), rv.Field(f).Interface()) {
				t.Errorf("scenario %d: customer tables differ in %s", k, dv.Type().Field(f).Name)
			}
		}
		if !reflect.DeepEqual(direct.Clean, rows.Clean) {
			t.Errorf("scenario %d: rule counts differ:\n%+v\n%+v", k, direct.Clean, rows.Clean)
		}
		if rd.Buyers != rr.Buyers {
			t.Errorf("scenario %d: buyers %+v from stats, %+v from rows", k, rd.Buyers, rr.Buyers)
		}
		var a, b bytes.Buffer
		if err := direct.WriteCSV(&a, rd, CSVOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := rows.WriteCSV(&b, rr, CSVOptions{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("scenario %d: customer CSVs differ", k)
		}
		if !reflect.DeepEqual(direct.Disposition(), rows.Disposition()) {
			t.Errorf("scenario %d: row dispositions differ", k)
		}
	}
}

// TestStatsTooManyOrders: a stats row may claim more orders than fit in
// memory. Scoring needs no order rows and works; predictions, migration
// and writing stats, which read each order, say so instead of making them.
func TestStatsTooManyOrders(t *testing.T) {
	d, err := FromStats([]Stats{
		{ID: "a", First: 19000, Last: 19300, Orders: 300_000_000, Days: 200, Revenue: 1_000_000_000},
		{ID: "b", First: 19100, Last: 19100, Orders: 1, Days: 1, Revenue: 5000},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Run(scenario.Default()); err != nil || d.Customers.Len() != 2 || d.Customers.Orders[0] != 300_000_000 {
		t.Fatalf("run: %v", err)
	}
	if _, err := d.FitModels(FitOptions{Model: "bgnbd", CalibrationEnd: 19200}); !errors.Is(err, ErrTooManyOrders) || !errors.Is(err, ErrPrediction) {
		t.Errorf("fit: %v; want too many orders", err)
	}
	if err := d.WriteStats(io.Discard); !errors.Is(err, ErrTooManyOrders) {
		t.Errorf("write stats: %v; want too many orders", err)
	}
	if d.Disposition() != nil || len(d.Orders.Cust) != 0 {
		t.Errorf("rows were made")
	}
}
