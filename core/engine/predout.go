package engine

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"segsim/core/predict"
)

// PredictionsOptions say what WritePredictions writes: horizons in the
// fit's units, the yearly discount rate of the CLV, the level of the
// intervals (0 for none), the language of the header ("en" or "zh") and
// whether a byte order mark starts the file (for Excel; a Chinese header
// always has one).
type PredictionsOptions struct {
	Horizons []float64
	Yearly   float64
	Level    float64
	Lang     string
	BOM      bool
}

// DefaultHorizons are 3, 6 and 12 months in unit (weeks or days).
func DefaultHorizons(unit predict.Unit) []float64 {
	if unit == predict.Day {
		return []float64{91, 182, 365}
	}
	return []float64{13, 26, 52}
}

// predictionsZh are the Chinese names of the predictions columns' stems.
var predictionsZh = map[string]string{
	"customer_id": "客户ID", "frequency": "重复购买天数", "recency": "末次重复购买时点", "T": "观察时长",
	"p_alive": "存活概率", "expected_purchases": "预计购买次数", "expected_spend": "预计客单价", "clv": "客户终身价值",
	"lo": "下限", "hi": "上限",
}

// WritePredictions writes one row per customer of the fit:
// customer_id,frequency,recency,T,p_alive, then expected_purchases_H per
// horizon H, expected_spend (Gamma-Gamma's expected value of an order;
// empty without a spend model) and clv_H per horizon (discounted per model
// unit at the yearly rate; empty without a spend model). With a level it
// goes on, in this order, with p_alive_lo,p_alive_hi,
// expected_purchases_H_lo,expected_purchases_H_hi per horizon,
// expected_spend_lo,expected_spend_hi and clv_H_lo,clv_H_hi per horizon:
// the first by the delta method on the purchase model's covariance,
// clamped to the quantity's range; the spend and CLV ones on the log scale
// with Gamma-Gamma's covariance too (see predict.CLVUncertainty), empty
// when they cannot be computed. In Chinese the header's names are
// translated and a byte order mark starts the file (for Excel).
func (f *Fit) WritePredictions(w io.Writer, p PredictionsOptions) error {
	if p.Level > 0 && f.BGNBDReport.LogCov == nil {
		return errors.New("intervals: the fit has no covariance (its information matrix is singular)")
	}
	bw := bufio.NewWriter(w)
	name := func(stem string, parts ...string) string {
		if p.Lang != "zh" {
			return strings.Join(append([]string{stem}, parts...), "_")
		}
		out := predictionsZh[stem]
		for _, x := range parts {
			if z, ok := predictionsZh[x]; ok {
				x = z
			}
			out += "_" + x
		}
		return out
	}
	var head []string
	hz := func(stem string, suffix ...string) {
		for _, x := range p.Horizons {
			head = append(head, name(stem, append([]string{strconv.Itoa(int(x))}, suffix...)...))
		}
	}
	head = append(head, name("customer_id"), name("frequency"), name("recency"), name("T"), name("p_alive"))
	hz("expected_purchases")
	head = append(head, name("expected_spend"))
	hz("clv")
	if p.Level > 0 {
		head = append(head, name("p_alive", "lo"), name("p_alive", "hi"))
		for _, x := range p.Horizons {
			h := strconv.Itoa(int(x))
			head = append(head, name("expected_purchases", h, "lo"), name("expected_purchases", h, "hi"))
		}
		head = append(head, name("expected_spend", "lo"), name("expected_spend", "hi"))
		for _, x := range p.Horizons {
			h := strconv.Itoa(int(x))
			head = append(head, name("clv", h, "lo"), name("clv", h, "hi"))
		}
	}
	if p.BOM || p.Lang == "zh" {
		bw.WriteString("\ufeff")
	}
	bw.WriteString(strings.Join(head, ",") + "\n")
	_, est := f.Parameters()
	perUnit := math.Pow(1+p.Yearly, float64(f.Options.Unit)/365.25) - 1
	u := predict.CLVUncertainty{PurchasesAt: f.ModelAt, Params: est, LogCov: f.BGNBDReport.LogCov, Spend: f.GammaGamma, SpendLogCov: f.GGReport.LogCov}
	periods := make([]int, len(p.Horizons))
	for j, h := range p.Horizons {
		periods[j] = int(h)
	}
	s := f.Summary
	var line []byte
	for i, id := range f.IDs {
		x, tx, T := s.Frequency[i], s.Recency[i], s.T[i]
		line = appendCSVField(line[:0], []byte(id))
		for _, v := range []float64{x, tx, T} {
			line = append(line, ',')
			line = strconv.AppendFloat(line, v, 'f', -1, 64)
		}
		line = append(line, ',')
		line = strconv.AppendFloat(line, f.Purchases.PAlive(x, tx, T), 'f', 4, 64)
		for _, h := range p.Horizons {
			line = append(line, ',')
			line = strconv.AppendFloat(line, f.Purchases.ExpectedPurchases(h, x, tx, T), 'f', 4, 64)
		}
		line = append(line, ',')
		if f.GGErr == nil {
			line = strconv.AppendFloat(line, f.GammaGamma.ConditionalExpectedValue(x, s.Monetary[i]), 'f', 2, 64)
		}
		for _, h := range p.Horizons {
			line = append(line, ',')
			if f.GGErr == nil {
				line = strconv.AppendFloat(line, predict.CLV(f.Purchases, f.GammaGamma, x, tx, T, s.Monetary[i], int(h), 1, perUnit), 'f', 2, 64)
			}
		}
		if p.Level > 0 {
			add := func(g func(m predict.PurchaseModel) float64, lo0, hi1 float64) {
				lo, hi, _ := predict.DeltaInterval(func(q []float64) float64 { return g(f.ModelAt(q)) }, est, f.BGNBDReport.LogCov, p.Level)
				line = appendBounds(line, math.Max(lo, lo0), math.Min(hi, hi1), true, 4)
			}
			add(func(m predict.PurchaseModel) float64 { return m.PAlive(x, tx, T) }, 0, 1)
			for _, h := range p.Horizons {
				add(func(m predict.PurchaseModel) float64 { return m.ExpectedPurchases(h, x, tx, T) }, 0, math.Inf(1))
			}
			var spend predict.Interval
			clv := make([]predict.Interval, len(periods))
			var spendOK, clvOK bool
			if f.GGErr == nil {
				spend, spendOK = u.SpendInterval(x, s.Monetary[i], p.Level)
				clv, clvOK = u.CLVIntervals(x, tx, T, s.Monetary[i], periods, 1, perUnit, p.Level)
			}
			line = appendBounds(line, spend.Lo, spend.Hi, spendOK, 2)
			for _, c := range clv {
				line = appendBounds(line, c.Lo, c.Hi, clvOK, 2)
			}
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("predictions: %w", err)
		}
	}
	return bw.Flush()
}

// appendBounds appends ",lo,hi" with prec decimals, or two empty fields
// when ok is false.
func appendBounds(line []byte, lo, hi float64, ok bool, prec int) []byte {
	line = append(line, ',')
	if ok {
		line = strconv.AppendFloat(line, lo, 'f', prec, 64)
	}
	line = append(line, ',')
	if ok {
		line = strconv.AppendFloat(line, hi, 'f', prec, 64)
	}
	return line
}
