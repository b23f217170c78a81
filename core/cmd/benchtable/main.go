// Command benchtable measures the core engine on generated order files and
// prints a table of medians: ingest speed next to encoding/csv reading the
// same bytes in the same run, summarize time, re-score time per customer
// and in total, allocations per re-score and the peak heap against the
// file's size. `make bench` runs it.
package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"segsim/core/calendar"
	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/predict"
	"segsim/core/scenario"
	"segsim/core/xlsx"
	"segsim/seeds/gen"
)

func main() {
	runs := flag.Int("runs", 5, "runs per measurement; the median is reported")
	orders := flag.Int("orders", 1_000_000, "orders in the generated file")
	file := flag.String("file", "", "measure this order file instead of a generated one")
	stats := flag.String("stats", "1000000,10000000", "customers in the generated stats files to score, comma-separated (\"\" for none)")
	profile := flag.String("cpuprofile", "", "write a CPU profile to `FILE`")
	statsOut := flag.String("stats-out", "", "write the generated stats file of the first -stats size to `FILE` and stop (for the page's benchmark)")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	var sizes []int
	for _, s := range strings.Split(*stats, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "benchtable: -stats: %q is not a number of customers\n", s)
			os.Exit(2)
		}
		sizes = append(sizes, n)
	}
	if *statsOut != "" {
		if len(sizes) == 0 {
			fmt.Fprintln(os.Stderr, "benchtable: -stats-out needs a -stats size")
			os.Exit(2)
		}
		if err := os.WriteFile(*statsOut, statsFile(sizes[0]), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*runs, *orders, *file, sizes); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

// median times fn runs times after one warm-up run.
func median(runs int, fn func() error) (time.Duration, error) {
	if err := fn(); err != nil {
		return 0, err
	}
	var ds []time.Duration
	for i := 0; i < runs; i++ {
		t := time.Now()
		if err := fn(); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(t))
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}

func generate(industry string, orders int) ([]byte, error) {
	return generateConfig(gen.Config{Industry: industry, Orders: orders})
}

func generateConfig(c gen.Config) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := gen.Generate(&buf, c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// encodedRows times a Chinese file read as UTF-8 and the same file saved
// as GBK (as Excel on Chinese Windows and Taobao write it), in turns.
func encodedRows(runs, orders int, add func(what, value, note string)) error {
	utf8Data, err := generateConfig(gen.Config{Industry: "apparel", Orders: orders, Chinese: true})
	if err != nil {
		return err
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(utf8Data)
	if err != nil {
		return err
	}
	var tU, tG []time.Duration
	for i := 0; i <= runs; i++ {
		for k, data := range [][]byte{utf8Data, gbk} {
			t := time.Now()
			_, rep, err := ingest.Parse(data, ingest.Options{})
			if err != nil {
				return err
			}
			if want := []string{ingest.EncUTF8, ingest.EncGB18030}[k]; rep.Encoding != want {
				return fmt.Errorf("the %s file was read as %s", want, rep.Encoding)
			}
			if i > 0 { // the first round warms up
				if k == 0 {
					tU = append(tU, time.Since(t))
				} else {
					tG = append(tG, time.Since(t))
				}
			}
		}
	}
	slices.Sort(tU)
	slices.Sort(tG)
	u, g := tU[len(tU)/2], tG[len(tG)/2]
	add("ingest, Chinese file as UTF-8", fmt.Sprintf("%.0f ms", ms(u)), fmt.Sprintf("%.1f MB, %d orders", float64(len(utf8Data))/1e6, orders))
	add("ingest, same file as GBK", fmt.Sprintf("%.0f ms", ms(g)), fmt.Sprintf("%.1f MB; %.2f× the UTF-8 time, target ≤ 1.3×", float64(len(gbk))/1e6, g.Seconds()/u.Seconds()))
	return nil
}

// xlsxRows times reading a 100,000-row workbook (date cells, number
// cells, text) through the xlsx reader and ingest.
func xlsxRows(runs int, add func(what, value, note string)) error {
	book, err := workbook(100_000)
	if err != nil {
		return err
	}
	var rows int
	t, err := median(max(1, runs/2), func() error {
		text, _, err := xlsx.ToCSV(book, "")
		if err != nil {
			return err
		}
		o, _, err := ingest.Parse(text, ingest.Options{})
		if err == nil {
			rows = o.Len()
		}
		return err
	})
	if err != nil {
		return err
	}
	add(".xlsx, 100k rows: read + ingest", fmt.Sprintf("%.0f ms", ms(t)), fmt.Sprintf("%.1f MB workbook, %d rows kept; target ≤ 2 s", float64(len(book))/1e6, rows))
	return nil
}

// workbook writes an orders workbook of n rows with excelize's stream
// writer: order ids and amounts as numbers, dates as date cells.
func workbook(n int) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 22})
	if err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", []any{"订单号", "会员ID", "下单时间", "实付金额", "订单状态", "渠道"}); err != nil {
		return nil, err
	}
	start := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := []any{
			int64(238700000000000000 + i),
			fmt.Sprintf("M%07d", i*7919%(n/3+1)),
			excelize.Cell{StyleID: dateStyle, Value: start.Add(time.Duration(i) * 7 * time.Minute)},
			float64(i%5000)/10 + 9.9,
			[]string{"交易成功", "交易成功", "交易成功", "等待买家付款", "交易关闭"}[i%5],
			[]string{"APP", "小程序", "门店"}[i%3],
		}
		if err := sw.SetRow(cell, row); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type row struct{ what, value, note string }

func run(runs, orders int, file string, statsSizes []int) error {
	var data []byte
	var err error
	name := fmt.Sprintf("generated grocery file, %d orders", orders)
	if file != "" {
		data, err = os.ReadFile(file)
		name = file
	} else {
		data, err = generate("grocery", orders)
	}
	if err != nil {
		return err
	}
	mb := float64(len(data)) / 1e6
	var rows []row
	add := func(what, value, note string) { rows = append(rows, row{what, value, note}) }

	// Ingest against encoding/csv, alternating so both see the same machine.
	var prev *ingest.Orders
	tIngest, err := median(runs, func() error {
		o, _, err := ingest.Parse(data, ingest.Options{Reuse: prev})
		prev = o
		return err
	})
	if err != nil {
		return err
	}
	tCSV, err := median(runs, func() error { return readCSV(data) })
	if err != nil {
		return err
	}
	tCold, err := median(runs, func() error { _, _, err := ingest.Parse(data, ingest.Options{}); return err })
	if err != nil {
		return err
	}
	add("file", fmt.Sprintf("%.1f MB", mb), name)
	add("ingest (reused buffers)", fmt.Sprintf("%.0f MB/s", mb/tIngest.Seconds()), fmt.Sprintf("%.0f ms", ms(tIngest)))
	add("ingest (fresh memory)", fmt.Sprintf("%.0f MB/s", mb/tCold.Seconds()), fmt.Sprintf("%.0f ms", ms(tCold)))
	add("encoding/csv, same bytes", fmt.Sprintf("%.0f MB/s", mb/tCSV.Seconds()), fmt.Sprintf("%.0f ms", ms(tCSV)))
	add("ingest ÷ encoding/csv", fmt.Sprintf("%.2f×", tCSV.Seconds()/tIngest.Seconds()), "target ≥ 3×")

	ds, err := engine.Load(data, ingest.Options{})
	if err != nil {
		return err
	}
	sc := scenario.Default()
	tSum, err := median(runs, func() error {
		ds.Invalidate()
		_, err := ds.Run(sc)
		return err
	})
	if err != nil {
		return err
	}
	add("clean + summarize + first score", fmt.Sprintf("%.0f ms", ms(tSum)), fmt.Sprintf("%d customers", ds.Customers.Len()))
	if err := versusScanner(runs, data, add); err != nil {
		return err
	}

	sample, end, err := cdnowSample()
	if err != nil {
		return err
	}
	if err := fitTimes(runs, sample, end, "CDNOW sample", add); err != nil {
		return err
	}

	resc, n, allocs, err := rescore(ds, runs)
	if err != nil {
		return err
	}
	add("re-score (slider move)", fmt.Sprintf("%.2f ms", ms(resc)), fmt.Sprintf("%.1f ns/customer, %d customers, %d B allocated", float64(resc.Nanoseconds())/float64(n), n, allocs))
	resc, share, err := nudge(ds, runs)
	if err != nil {
		return err
	}
	add("re-score, one M cut one step", fmt.Sprintf("%.2f ms", ms(resc)), fmt.Sprintf("%.1f%% of the customers change M score", 100*share))

	if err := encodedRows(runs, orders, add); err != nil {
		return err
	}
	if err := xlsxRows(runs, add); err != nil {
		return err
	}

	peak, err := peakHeap(data)
	if err != nil {
		return err
	}
	add("peak heap: load + summarize + score", fmt.Sprintf("%.2f× file", float64(peak)/float64(len(data))), fmt.Sprintf("%.0f MB, target ≤ 3×", float64(peak)/1e6))

	// A file with about a million customers for the re-score target.
	big, err := generate("education", 1_900_000)
	if err != nil {
		return err
	}
	dsBig, err := engine.Load(big, ingest.Options{})
	if err != nil {
		return err
	}
	big = nil
	if _, err := dsBig.Run(scenario.Default()); err != nil {
		return err
	}
	resc, n, allocs, err = rescore(dsBig, runs*4)
	if err != nil {
		return err
	}
	add("re-score, ~1M customers", fmt.Sprintf("%.2f ms", ms(resc)), fmt.Sprintf("%.1f ns/customer, %d customers, %d B allocated; target ≤ 10 ms", float64(resc.Nanoseconds())/float64(n), n, allocs))

	// Model fits on all the data: the bundled CDNOW file and the
	// million-customer file, each purchase model with Gamma-Gamma.
	cdnow, err := os.ReadFile("seeds/samples/cdnow.csv")
	if err != nil {
		return err
	}
	master, err := engine.Load(cdnow, ingest.Options{})
	if err != nil {
		return err
	}
	if _, err := master.Run(scenario.Default()); err != nil {
		return err
	}
	if err := fitTimes(max(1, runs/2), master, master.LastDay, "CDNOW master", add); err != nil {
		return err
	}
	if err := fitTimes(max(1, runs/2), dsBig, dsBig.LastDay, "~1M customers", add); err != nil {
		return err
	}

	if err := statsRows(runs, statsSizes, add); err != nil {
		return err
	}

	fmt.Printf("segsim core benchmarks (median of %d runs, GOMAXPROCS=%d, %s)\n\n", runs, runtime.GOMAXPROCS(0), runtime.Version())
	w := 0
	for _, r := range rows {
		w = max(w, len([]rune(r.what)))
	}
	for _, r := range rows {
		fmt.Printf("%-*s  %12s  %s\n", w, r.what, r.value, r.note)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

func readCSV(data []byte) error {
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	for {
		if _, err := r.Read(); err == io.EOF {
			return nil
		} else if err != nil {
			if _, ok := err.(*csv.ParseError); !ok {
				return err
			}
		}
	}
}

// rescore moves the R slider back and forth, as a user does, and returns
// the median time of one re-score and the bytes allocated per re-score.
func rescore(ds *engine.Dataset, runs int) (time.Duration, int, uint64, error) {
	sc := scenario.Default()
	sc.RFM.R.Method = "cuts"
	cuts := [][]float64{{30, 90, 180, 365}, {20, 60, 120, 300}, {45, 100, 200, 400}}
	i := 0
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	t, err := median(runs, func() error {
		i++
		sc.RFM.R.Cuts = cuts[i%len(cuts)]
		_, err := ds.Run(sc)
		return err
	})
	runtime.ReadMemStats(&after)
	return t, ds.Customers.Len(), (after.TotalAlloc - before.TotalAlloc) / uint64(runs+1), err
}

// nudge moves the first M cut one currency unit back and forth, as the
// page's slider does, where only the customers between the old and the
// new cut are scored again, and returns the median time of one re-score
// and the share of customers whose M score changes per move.
func nudge(ds *engine.Dataset, runs int) (time.Duration, float64, error) {
	sc := scenario.Default()
	sc.RFM.M.Method = "cuts"
	sc.RFM.M.Cuts = []float64{30, 100, 200, 400}
	r, err := ds.Run(sc)
	if err != nil {
		return 0, 0, err
	}
	before := slices.Clone(r.M)
	i := 0
	t, err := median(runs, func() error {
		i++
		sc.RFM.M.Cuts = []float64{float64(30 + i%2), 100, 200, 400}
		_, err := ds.Run(sc)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	sc.RFM.M.Cuts = []float64{31, 100, 200, 400}
	if r, err = ds.Run(sc); err != nil {
		return 0, 0, err
	}
	changed := 0
	for j, m := range r.M {
		if m != before[j] {
			changed++
		}
	}
	return t, float64(changed) / float64(len(before)), nil
}

// peakHeap loads, summarizes and scores data while sampling the heap in
// use, and returns the peak above the heap before the load (the file's own
// bytes are not counted: they are the input).
func peakHeap(data []byte) (uint64, error) {
	var ds *engine.Dataset
	peak, err := peakDuring(func() error {
		var err error
		if ds, err = engine.Load(data, ingest.Options{}); err == nil {
			_, err = ds.Run(scenario.Default())
		}
		return err
	})
	runtime.KeepAlive(ds)
	return peak, err
}

// cdnowSample loads the CDNOW sample and returns it with the end of its
// 39-week calibration period, as the papers fit it.
func cdnowSample() (*engine.Dataset, int32, error) {
	data, err := os.ReadFile("core/predict/testdata/cdnow_sample.csv")
	if err != nil {
		return nil, 0, fmt.Errorf("CDNOW sample (run from the repository root): %w", err)
	}
	ds, err := engine.Load(data, ingest.Options{})
	if err != nil {
		return nil, 0, err
	}
	if _, err := ds.Run(scenario.Default()); err != nil {
		return nil, 0, err
	}
	end, _ := calendar.Parse("1997-09-30")
	return ds, end, nil
}

// fitTimes fits each purchase model (with Gamma-Gamma, and the standard
// errors of both) to the customers of ds who bought by the calibration
// end, in weeks, and adds a row per model: the median time, the customers
// and patterns fitted, the likelihood evaluations and the time against
// BG/NBD's.
func fitTimes(runs int, ds *engine.Dataset, end int32, what string, add func(string, string, string)) error {
	var base time.Duration
	for _, model := range predict.Models {
		var f *engine.Fit
		d, err := median(runs, func() error {
			var err error
			f, err = ds.FitModels(engine.FitOptions{CalibrationEnd: end, Unit: predict.Week, Model: model})
			return err
		})
		if err != nil {
			return fmt.Errorf("fit %s, %s: %w", model, what, err)
		}
		r := f.BGNBDReport
		note := fmt.Sprintf("%d customers, %d patterns, %d evaluations, log-likelihood %.1f", r.Customers, r.Groups, r.FuncEvaluations, r.LogLikelihood)
		if model == "bgnbd" {
			base = d
		} else {
			note += fmt.Sprintf(", %.1f× BG/NBD", d.Seconds()/base.Seconds())
		}
		add("fit "+model+", "+what, fmt.Sprintf("%.1f ms", ms(d)), note)
	}
	return nil
}
