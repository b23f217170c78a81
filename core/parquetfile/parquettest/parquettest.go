// Package parquettest writes Parquet files for tests: the CDNOW sample as
// a warehouse would export it.
package parquettest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"segsim/core/ingest"
)

// cdnowRow is one CDNOW order typed as a warehouse types it: the date as
// DATE (days since 1970-01-01), the amount as DECIMAL(18, 2).
type cdnowRow struct {
	CustomerID string `parquet:"customer_id"`
	Date       int32  `parquet:"date,date"`
	CDs        int32  `parquet:"cds"`
	Amount     int64  `parquet:"amount,decimal(2:18)"`
}

// CDNOW returns the CDNOW sample (its CSV text, customer_id,date,cds,amount
// with YYYYMMDD dates) as a Parquet file.
func CDNOW(csvText []byte) ([]byte, error) {
	recs, err := csv.NewReader(bytes.NewReader(csvText)).ReadAll()
	if err != nil {
		return nil, err
	}
	rows := make([]cdnowRow, 0, len(recs))
	for i, r := range recs[1:] {
		day, ok := ingest.ParseDate([]byte(r[1]), ingest.FormatYMD)
		cents, ok2 := ingest.ParseCents([]byte(r[3]))
		cds, err := strconv.Atoi(r[2])
		if !ok || !ok2 || err != nil {
			return nil, fmt.Errorf("cdnow line %d: %q", i+2, r)
		}
		rows = append(rows, cdnowRow{r[0], day, int32(cds), cents})
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[cdnowRow](&buf)
	if _, err := w.Write(rows); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
