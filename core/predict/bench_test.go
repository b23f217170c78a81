package predict

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// simulateDays draws n customers from m as purchase days, like CDNOW: first
// purchases spread over the first 84 days, purchase times in weeks rounded
// down to days, same-day purchases merged by SummaryFromDays. It returns the
// histories and the calibration end day (39 weeks after day 0).
func simulateDays(rng *rand.Rand, m BGNBD, n int) ([][]int32, int32) {
	const calEnd = 272
	gam := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: rng}
	bet := distuv.Beta{Alpha: m.A, Beta: m.B, Src: rng}
	days := make([][]int32, n)
	for i := range days {
		first := int32(rng.IntN(84))
		end := float64(calEnd-first) / 7
		d := []int32{first}
		lambda, p := gam.Rand(), bet.Rand()
		var t float64
		for {
			t += rng.ExpFloat64() / lambda
			if t > end {
				break
			}
			d = append(d, first+int32(math.Floor(t*7)))
			if rng.Float64() < p {
				break
			}
		}
		days[i] = d
	}
	return days, calEnd
}

var (
	million struct {
		once       sync.Once
		days       [][]int32
		calEnd     int32
		summary    Summary
		continuous Summary
	}
)

// millionCustomers simulates the 1M-customer data sets once per test binary.
func millionCustomers(b *testing.B) {
	million.once.Do(func() {
		rng := rand.New(rand.NewPCG(1, 1000000))
		million.days, million.calEnd = simulateDays(rng, paperBGNBD, 1000000)
		s, err := SummaryFromDays(million.days, nil, million.calEnd, Week)
		if err != nil {
			b.Fatal(err)
		}
		million.summary = s
		T := make([]float64, 1000000)
		for i := range T {
			T[i] = 27 + 12*rng.Float64()
		}
		million.continuous = simulateBGNBD(rng, paperBGNBD, T)
	})
}

// fitFunc fits a model to s and returns the fit report.
type fitFunc func(s Summary) (FitReport, error)

func fitBGNBD(s Summary) (FitReport, error) {
	_, rep, err := FitBGNBD(s, FitOptions{})
	return rep, err
}

func fitMBGNBD(s Summary) (FitReport, error) {
	_, rep, err := FitMBGNBD(s, FitOptions{})
	return rep, err
}

func fitParetoNBD(s Summary) (FitReport, error) {
	_, rep, err := FitParetoNBD(s, FitOptions{})
	return rep, err
}

func benchmarkFit(b *testing.B, fit fitFunc, s Summary) {
	var rep FitReport
	for b.Loop() {
		var err error
		if rep, err = fit(s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(s.Len()), "ns/customer")
	b.ReportMetric(float64(rep.Groups), "patterns")
	b.ReportMetric(float64(rep.FuncEvaluations), "evals")
}

// BenchmarkFitBGNBD_CDNOW fits the 2,357-customer CDNOW calibration summary.
func BenchmarkFitBGNBD_CDNOW(b *testing.B) {
	_, s := cdnowSummary(b)
	benchmarkFit(b, fitBGNBD, s)
}

// BenchmarkFitMBGNBD_CDNOW fits MBG/NBD to the CDNOW calibration summary.
func BenchmarkFitMBGNBD_CDNOW(b *testing.B) {
	_, s := cdnowSummary(b)
	benchmarkFit(b, fitMBGNBD, s)
}

// BenchmarkFitParetoNBD_CDNOW fits Pareto/NBD to the CDNOW calibration
// summary.
func BenchmarkFitParetoNBD_CDNOW(b *testing.B) {
	_, s := cdnowSummary(b)
	benchmarkFit(b, fitParetoNBD, s)
}

// BenchmarkFitBGNBD_1M fits one million simulated customers whose
// purchases, like real data, fall on whole days (see simulateDays).
func BenchmarkFitBGNBD_1M(b *testing.B) {
	millionCustomers(b)
	benchmarkFit(b, fitBGNBD, million.summary)
}

// BenchmarkFitMBGNBD_1M fits MBG/NBD to the one million customers of
// BenchmarkFitBGNBD_1M.
func BenchmarkFitMBGNBD_1M(b *testing.B) {
	millionCustomers(b)
	benchmarkFit(b, fitMBGNBD, million.summary)
}

// BenchmarkFitParetoNBD_1M fits Pareto/NBD to the one million customers of
// BenchmarkFitBGNBD_1M.
func BenchmarkFitParetoNBD_1M(b *testing.B) {
	millionCustomers(b)
	benchmarkFit(b, fitParetoNBD, million.summary)
}

// BenchmarkFitBGNBD_1MContinuous is the worst case for pattern grouping:
// one million customers with continuous purchase times, all distinct.
func BenchmarkFitBGNBD_1MContinuous(b *testing.B) {
	millionCustomers(b)
	benchmarkFit(b, fitBGNBD, million.continuous)
}

// BenchmarkSummaryFromDays_1M builds the summary of one million histories.
func BenchmarkSummaryFromDays_1M(b *testing.B) {
	millionCustomers(b)
	for b.Loop() {
		if _, err := SummaryFromDays(million.days, nil, million.calEnd, Week); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ns/customer")
}

// BenchmarkExpectedPurchases scores the CDNOW customers over 39 weeks.
func BenchmarkExpectedPurchases(b *testing.B) {
	_, s := cdnowSummary(b)
	for b.Loop() {
		for i := range s.Len() {
			paperBGNBD.ExpectedPurchases(39, s.Frequency[i], s.Recency[i], s.T[i])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(s.Len()), "ns/customer")
}
