// Package parquetfile turns a Parquet file into CSV text that ingest
// reads like any export: one column per leaf column, named by its path,
// dates as YYYY-MM-DD, timestamps as YYYY-MM-DD HH:MM:SS (UTC), decimals
// with their scale, nulls empty. A warehouse exports orders or
// per-customer stats this way.
package parquetfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"segsim/core/calendar"
)

// ErrUnreadable wraps every error reading a Parquet file.
var ErrUnreadable = errors.New("parquet")

// Info says what ToCSV read.
type Info struct {
	Columns []string
	Rows    int64
}

// ToCSV reads the Parquet file in data into CSV text with a header row.
// Nested or repeated columns are refused with their path: flatten them in
// the query that writes the file.
func ToCSV(data []byte) (out []byte, info Info, err error) {
	defer func() {
		// The library panics on some corrupt files: a file must not stop
		// the program that reads it.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: the file is damaged: %v", ErrUnreadable, r)
		}
	}()
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, info, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	schema := f.Schema()
	cols := schema.Columns()
	conv := make([]func([]byte, parquet.Value) []byte, len(cols))
	var b []byte
	for i, path := range cols {
		leaf, ok := schema.Lookup(path...)
		name := strings.Join(path, ".")
		if !ok || leaf.MaxRepetitionLevel > 0 || len(path) > 1 {
			return nil, info, fmt.Errorf("%w: column %q is nested or repeated; write a flat table (one value per row and column)", ErrUnreadable, name)
		}
		conv[i] = converter(leaf.Node.Type())
		info.Columns = append(info.Columns, name)
		if i > 0 {
			b = append(b, ',')
		}
		b = appendField(b, []byte(name))
	}
	b = append(b, '\n')
	buf := make([]parquet.Row, 256)
	for _, rg := range f.RowGroups() {
		rows := rg.Rows()
		for {
			n, rerr := rows.ReadRows(buf)
			for _, row := range buf[:n] {
				for j, v := range row {
					if j > 0 {
						b = append(b, ',')
					}
					if !v.IsNull() && v.Column() < len(conv) {
						b = conv[v.Column()](b, v)
					}
				}
				b = append(b, '\n')
				info.Rows++
			}
			if rerr == io.EOF {
				break
			}
			if rerr != nil {
				rows.Close()
				return nil, info, fmt.Errorf("%w: row %d: %w", ErrUnreadable, info.Rows+1, rerr)
			}
		}
		rows.Close()
	}
	return b, info, nil
}

// converter returns how a column of type t is written as text.
func converter(t parquet.Type) func([]byte, parquet.Value) []byte {
	if lt := t.LogicalType(); lt != nil {
		switch l := lt.Value.(type) {
		case *format.DateType:
			return func(b []byte, v parquet.Value) []byte { return calendar.Append(b, v.Int32()) }
		case *format.TimestampType:
			unit := time.Millisecond
			if u, ok := l.Unit.Value.(interface{ Duration() time.Duration }); ok {
				unit = u.Duration()
			}
			return func(b []byte, v parquet.Value) []byte {
				return time.Unix(0, 0).Add(time.Duration(v.Int64())*unit).UTC().AppendFormat(b, time.DateTime)
			}
		case *format.DecimalType:
			scale := int(l.Scale)
			return func(b []byte, v parquet.Value) []byte { return appendDecimal(b, decimalInt(v), scale) }
		case *format.StringType, *format.EnumType, *format.JsonType, *format.UUIDType:
			return func(b []byte, v parquet.Value) []byte { return appendField(b, v.ByteArray()) }
		}
	}
	switch t.Kind() {
	case parquet.Boolean:
		return func(b []byte, v parquet.Value) []byte { return strconv.AppendBool(b, v.Boolean()) }
	case parquet.Int32:
		return func(b []byte, v parquet.Value) []byte { return strconv.AppendInt(b, int64(v.Int32()), 10) }
	case parquet.Int64:
		return func(b []byte, v parquet.Value) []byte { return strconv.AppendInt(b, v.Int64(), 10) }
	case parquet.Int96:
		// Legacy timestamps (Spark, Impala): nanoseconds of the day and
		// the Julian day number.
		return func(b []byte, v parquet.Value) []byte {
			q := v.Int96()
			nanos := int64(uint64(q[1])<<32 | uint64(q[0]))
			day := int64(q[2]) - 2440588
			return time.Unix(day*86400, nanos).UTC().AppendFormat(b, time.DateTime)
		}
	case parquet.Float:
		return func(b []byte, v parquet.Value) []byte { return strconv.AppendFloat(b, float64(v.Float()), 'f', -1, 32) }
	case parquet.Double:
		return func(b []byte, v parquet.Value) []byte { return strconv.AppendFloat(b, v.Double(), 'f', -1, 64) }
	}
	return func(b []byte, v parquet.Value) []byte { return appendField(b, v.ByteArray()) }
}

// decimalInt returns a decimal's unscaled value: an INT32, an INT64 or a
// big-endian two's complement byte array.
func decimalInt(v parquet.Value) *big.Int {
	switch v.Kind() {
	case parquet.Int32:
		return big.NewInt(int64(v.Int32()))
	case parquet.Int64:
		return big.NewInt(v.Int64())
	}
	raw := v.ByteArray()
	n := new(big.Int).SetBytes(raw)
	if len(raw) > 0 && raw[0]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(raw))))
	}
	return n
}

// appendDecimal appends n / 10^scale in plain decimal notation.
func appendDecimal(b []byte, n *big.Int, scale int) []byte {
	s := n.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if neg {
		b = append(b, '-')
	}
	if scale <= 0 {
		b = append(b, s...)
		for range -scale {
			b = append(b, '0')
		}
		return b
	}
	if len(s) <= scale {
		s = strings.Repeat("0", scale-len(s)+1) + s
	}
	b = append(b, s[:len(s)-scale]...)
	b = append(b, '.')
	return append(b, s[len(s)-scale:]...)
}

// appendField appends f as one CSV field, quoted when it must be.
func appendField(b, f []byte) []byte {
	if bytes.IndexAny(f, ",\"\r\n") < 0 {
		return append(b, f...)
	}
	b = append(b, '"')
	b = append(b, bytes.ReplaceAll(f, []byte(`"`), []byte(`""`))...)
	return append(b, '"')
}
