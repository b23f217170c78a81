package main

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"segsim/core/clean"
	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/scenario"
	"segsim/core/summary"
)

// scanOrders is what a hand-written program that knows its file would do:
// one pass over the bytes of a plain CSV (no quoting), the customer, date
// and amount columns found by name in the header, a Go map from id to
// per-customer sums (first and last day, orders, cents), then quintile R, F
// and M scores by sorting each key. It reads no statuses, refunds or order
// ids, and checks nothing. It returns the customers.
func scanOrders(data []byte) (int, error) {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 {
		return 0, fmt.Errorf("scan: no header")
	}
	cust, date, amount := -1, -1, -1
	for i, h := range bytes.Split(bytes.TrimRight(data[:nl], "\r"), []byte{','}) {
		switch string(h) {
		case "customer_id":
			cust = i
		case "order_date":
			date = i
		case "amount":
			amount = i
		}
	}
	if cust < 0 || date < 0 || amount < 0 {
		return 0, fmt.Errorf("scan: customer_id, order_date or amount missing")
	}
	ids := map[string]int32{}
	var first, last, orders []int32
	var cents []int64
	fields := make([][]byte, 0, 16)
	for rest := data[nl+1:]; len(rest) > 0; {
		end := bytes.IndexByte(rest, '\n')
		if end < 0 {
			end = len(rest)
		}
		line := rest[:end]
		rest = rest[min(end+1, len(rest)):]
		fields = fields[:0]
		for len(line) > 0 {
			c := bytes.IndexByte(line, ',')
			if c < 0 {
				fields = append(fields, line)
				break
			}
			fields = append(fields, line[:c])
			line = line[c+1:]
		}
		if len(fields) <= max(cust, date, amount) {
			continue
		}
		day := scanDay(fields[date])
		v := scanCents(fields[amount])
		k, ok := ids[string(fields[cust])]
		if !ok {
			k = int32(len(first))
			ids[string(fields[cust])] = k
			first, last, orders, cents = append(first, day), append(last, day), append(orders, 0), append(cents, 0)
		}
		first[k], last[k] = min(first[k], day), max(last[k], day)
		orders[k]++
		cents[k] += v
	}
	n := len(first)
	r, f, m := make([]uint8, n), make([]uint8, n), make([]uint8, n)
	quintiles(func(i int) int64 { return int64(last[i]) }, n, r)
	quintiles(func(i int) int64 { return int64(orders[i]) }, n, f)
	quintiles(func(i int) int64 { return cents[i] }, n, m)
	return n, nil
}

// scanDay reads the YYYY-MM-DD at the start of b as a day count (not a
// calendar's: enough to order days).
func scanDay(b []byte) int32 {
	if len(b) < 10 {
		return 0
	}
	d := func(s []byte) int32 {
		v := int32(0)
		for _, c := range s {
			v = v*10 + int32(c-'0')
		}
		return v
	}
	return d(b[:4])*372 + d(b[5:7])*31 + d(b[8:10])
}

// scanCents reads a decimal amount with up to two decimals.
func scanCents(b []byte) int64 {
	var v int64
	frac := -1
	for _, c := range b {
		switch {
		case c == '.':
			frac = 0
		case c >= '0' && c <= '9' && frac < 2:
			v = v*10 + int64(c-'0')
			if frac >= 0 {
				frac++
			}
		}
	}
	for frac = max(frac, 0); frac < 2; frac++ {
		v *= 10
	}
	return v
}

// quintiles scores key 1..5 by rank.
func quintiles(key func(int) int64, n int, out []uint8) {
	sorted := make([]int64, n)
	for i := range sorted {
		sorted[i] = key(i)
	}
	slices.Sort(sorted)
	var cuts [4]int64
	for j := range cuts {
		cuts[j] = sorted[(j+1)*n/5]
	}
	for i := range out {
		s, v := uint8(1), key(i)
		for _, c := range cuts {
			if v >= c {
				s++
			}
		}
		out[i] = s
	}
}

// versusScanner times, on the same bytes from fresh memory and taking
// turns, segsim's ingest + clean + summarize, the same plus the first
// score (a whole Run), and scanOrders, and adds the medians and ratios.
func versusScanner(runs int, data []byte, add func(what, value, note string)) error {
	summarize := func() error {
		o, _, err := ingest.Parse(data, ingest.Options{})
		if err != nil {
			return err
		}
		r := clean.Default()
		last := slices.Max(o.Day)
		disp, _ := clean.Rows(o, r, clean.Window{AsOf: last + 1})
		summary.Build(o, disp, r.HunterDiscount)
		return nil
	}
	score := func() error {
		o, rep, err := ingest.Parse(data, ingest.Options{})
		if err != nil {
			return err
		}
		_, err = engine.NewDataset(o, rep).Run(scenario.Default())
		return err
	}
	var customers int
	scan := func() error {
		var err error
		customers, err = scanOrders(data)
		return err
	}
	fns := []func() error{summarize, score, scan}
	times := make([][]time.Duration, len(fns))
	for i := -1; i < runs; i++ { // round -1 warms up
		for k := range fns {
			k = (k + max(i, 0)) % len(fns) // each round starts with another
			t := time.Now()
			if err := fns[k](); err != nil {
				return err
			}
			if i >= 0 {
				times[k] = append(times[k], time.Since(t))
			}
		}
	}
	med := make([]time.Duration, len(fns))
	for k, ts := range times {
		slices.Sort(ts)
		med[k] = ts[len(ts)/2]
	}
	add("minimal byte scanner + map, same file", fmt.Sprintf("%.0f ms", ms(med[2])), fmt.Sprintf("%d customers, quintile scores (reads no statuses, refunds or order ids)", customers))
	add("ingest + clean + summarize, same turns", fmt.Sprintf("%.0f ms", ms(med[0])), fmt.Sprintf("%.2f× the scanner; target ≤ 1.0×", med[0].Seconds()/med[2].Seconds()))
	add("ingest + first run (every panel's figures)", fmt.Sprintf("%.0f ms", ms(med[1])), fmt.Sprintf("%.2f× the scanner", med[1].Seconds()/med[2].Seconds()))
	return nil
}
