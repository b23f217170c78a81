package exports

import (
	"fmt"
	"hash/fnv"
)

// File is one generated export and the answer segsim must give for it.
type File struct {
	Name     string // file name, e.g. "taobao_gbk.csv"
	Shape    string // what the file imitates, in one line
	Data     []byte
	Expected []Result // sorted by customer id
	// Rows counts data rows below the header (on the order sheet of a
	// workbook), deliberately bad rows included.
	Rows      int
	BadRows   int // rows that must be skipped (no customer, a total line)
	Orders    int // orders in the ground truth (refund lines and cancellation invoices excluded)
	Customers int // distinct customers in the ground truth, counted or not

	truth []Order // the ground truth (nil for the UCI shape)
	cols  columns // the rule-deciding columns the file has
}

// ExpectedName is the name of f's expected-answer file.
func (f File) ExpectedName() string { return f.Name + ".expected.csv" }

// builders make the corpus, in the order of the README table.
var builders = []func() (File, error){
	zhUTF8BOM, zhGBK, zhUTF16LE, enUTF16BE, deCP1252, frCP1252, esUTF8BOM, itCP1252,
	backendXLSX, excel1904,
	taobao, youzan, douyin, jd, pdd, shopify, woocommerce, onlineRetail,
	datesMixed, datesMDY, datesDMY, amountsMixed,
}

// Corpus generates every file of the corpus. The same bytes come out on
// every run.
func Corpus() ([]File, error) {
	files := make([]File, 0, len(builders))
	for _, b := range builders {
		f, err := b()
		if err != nil {
			return nil, fmt.Errorf("exports: %s: %w", f.Name, err)
		}
		files = append(files, f)
	}
	return files, nil
}

// seedOf derives a file's seed from its name, so that files do not share
// random numbers and adding a file changes no other.
func seedOf(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// orderFile assembles a File from ground-truth orders.
func orderFile(name, shape string, data []byte, orders []Order, cols columns, rows, bad int) File {
	return File{
		Name: name, Shape: shape, Data: data,
		Expected: expect(orders, cols),
		Rows:     rows, BadRows: bad,
		Orders: countOrders(orders), Customers: customerCount(orders),
		truth: orders, cols: cols,
	}
}
