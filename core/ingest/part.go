package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"

	"segsim/core/wire"
)

// A large delimited file can be read in two parts at once (a page has a
// second core, each part a WebAssembly instance of its own): a Stream
// reads the file from its start, and ReadPart reads it from a record near
// its middle to its end into a part, which Stream.Join then appends. The
// part's reader sees where it starts but not what came before, so the
// start is chosen where nothing before matters (see ReadPart), and Join
// checks that the Stream ended its reading exactly there: if the part
// started inside a quoted field, the Stream cannot end on a record there,
// the part is refused and the Stream reads on alone. Either way the
// result is exactly Parse's.

// ErrNoPart says that ReadPart cannot read a part of this file (JSON,
// another encoding, dates whose format the whole file decides, no record
// start after the split point): the Stream reads it alone.
var ErrNoPart = errors.New("the file is read in one part")

// partSearch bounds how many records ReadPart passes over looking for its
// first record.
const partSearch = 1000

// ReadPart reads the records of a delimited file from the first record
// that starts after byte at and can begin a part, to the end. head is the
// file's start (as NewStream needs it), tail the file from byte at on,
// total the file's size; opt must be the Stream's options, with the same
// OrderSeed. It returns the part (for Stream.Join) and the offset of its
// first record in the file.
//
// A part begins on a record the reader takes the same way wherever it
// starts: with every field and, when order rows may continue the order
// above them (line items), an amount of its own.
func ReadPart(head, tail []byte, at, total int, opt Options) ([]byte, int, error) {
	p, err := NewPart(head, at, total, opt)
	if err != nil {
		return nil, 0, err
	}
	return p.Finish(tail)
}

// Part reads the second part of a file (see ReadPart) while it arrives:
// NewPart starts it on the file's head, Feed reads the complete records of
// a longer prefix of the tail, and Finish reads the rest.
type Part struct {
	s    *Stream
	at   int
	from int // where in the tail the part starts; -1 until found
	r    *recordReader
}

// NewPart starts reading the part of a file of total bytes from the first
// record after byte at that can begin a part; head is the file's start.
func NewPart(head []byte, at, total int, opt Options) (*Part, error) {
	if opt.OrderSeed == 0 {
		return nil, fmt.Errorf("part: %w: no order seed", ErrNoPart)
	}
	s, err := NewStream(head, total, opt)
	if err != nil {
		return nil, fmt.Errorf("part: %w: %w", ErrNoPart, err)
	}
	if s.b.pending {
		return nil, fmt.Errorf("part: %w: the date format is decided by the whole file", ErrNoPart)
	}
	return &Part{s: s, at: at, from: -1}, nil
}

// Feed reads the complete records of tail, a prefix of the file from byte
// at on.
func (p *Part) Feed(tail []byte) { p.feed(tail, false) }

// Finish reads the rest of tail, the file from byte at to its end, and
// returns the part and the offset of its first record in the file.
func (p *Part) Finish(tail []byte) ([]byte, int, error) {
	if !p.feed(tail, true) {
		return nil, 0, fmt.Errorf("part: %w: no record to start on", ErrNoPart)
	}
	b := p.s.b
	b.flushIDs()
	return b.appendPart(nil, p.at+p.from), p.at + p.from, nil
}

// feed finds the part's first record once tail holds it, and reads the
// records after it; it tells whether the first record was found.
func (p *Part) feed(tail []byte, final bool) bool {
	if p.from < 0 {
		from, ok := partStart(tail, p.s.src.delim, p.s.b, final)
		if !ok {
			return false
		}
		p.from = from
		p.r = newRecordReader(tail[from:], p.s.src.delim)
	}
	p.r.data = tail[p.from:]
	p.s.src.feed(p.s.b, p.r, final)
	return true
}

// partStart returns where in tail the part's first record starts: after
// the first newline, passing over records that could depend on the ones
// before them. Unless final, tail may end anywhere, and a record that
// reaches its end is not taken (it may go on).
func partStart(tail []byte, delim byte, b *builder, final bool) (int, bool) {
	i := bytes.IndexByte(tail, '\n')
	if i < 0 {
		return 0, false
	}
	pos := i + 1
	amount := b.cols.Columns[RoleAmount]
	for range partSearch {
		r := newRecordReader(tail[pos:], delim)
		fields, _, err, ok := r.next()
		if !ok || !final && pos+r.pos >= len(tail) {
			return 0, false
		}
		if err == nil && len(fields) == b.need && (!b.lineItems || len(trimSpace(fields[amount])) > 0) {
			return pos, true
		}
		pos += r.pos
	}
	return 0, false
}

// FeedTo reads the records of prefix, a prefix of the input that ends
// where a part read by ReadPart starts, and tells whether the last of them
// ended exactly at its end, as Join needs.
func (s *Stream) FeedTo(prefix []byte) bool {
	if s.stalled || len(prefix) < s.bom {
		return false
	}
	s.r.data = prefix[s.bom:]
	s.src.feedUntil(s.b, s.r, false, true)
	return s.r.pos == len(s.r.data)
}

// Join appends a part (ReadPart) to the records read so far, which must
// have ended where the part starts (FeedTo). Finish then reads nothing
// more. On an error the Stream is unchanged and reads on alone.
func (s *Stream) Join(part []byte) error {
	p, err := readPartData(part)
	if err != nil {
		return fmt.Errorf("part: %w", err)
	}
	if !bytes.Equal(p.config, s.b.appendConfig(nil)) {
		return errors.New("part: read with other settings than this stream")
	}
	o := s.b.o
	if p.hasOrder != (o.Order != nil) || p.hasDisc != (o.Discount != nil) || p.hasChannel != (o.Channel != nil) ||
		len(p.carryRows) != len(o.Carry) || len(p.statusN) > 0 && s.b.statuses == nil {
		return errors.New("part: it has other columns than this stream")
	}
	if s.stalled || s.bom+s.r.pos != p.from || s.r.pos != len(s.r.data) {
		return fmt.Errorf("part: it starts at byte %d, and this stream's records end at byte %d", p.from, s.bom+s.r.pos)
	}
	s.b.join(p, s.r.line-1)
	s.joined = true
	return nil
}

// appendConfig appends what a part must have been read with to be joined
// to this builder's rows.
func (b *builder) appendConfig(dst []byte) []byte {
	w := wire.Writer{B: dst}
	w.Int(b.need)
	for _, h := range b.headers {
		w.Str(h)
	}
	for _, c := range b.cols.Columns {
		w.U64(uint64(c))
	}
	w.U64(uint64(b.format))
	w.Bool(b.lineItems)
	w.Bool(b.keepRejects)
	w.Int(b.maxSkips)
	w.U64(b.idSeed)
	w.Str(string(b.fixedCustomer))
	for _, c := range b.carry {
		w.Int(c)
	}
	return w.B
}

// partData is a decoded part.
type partData struct {
	config []byte
	from   int

	cust                []int32
	day                 []int32
	cents               []int64
	flags               []uint8
	order               []uint64
	discount            []int64
	channel, sub        []int32
	customers, channels partDict
	carryValues         []partDict
	carryRows           [][]int32
	statuses            partDict
	statusN             []int
	statusC             []uint8
	reasons, codes      []string
	reasonN             []int
	skips, rejects      []Skip
	read, kept, skipped int
	lineItems, partial  int
	sciCust, sciOrder   int
	digitIDs            int
	absCents            float64
	hasOrder, hasDisc   bool
	hasChannel, hasSub  bool
}

// appendPart appends the builder's rows and counts as a part starting at
// byte from of the input.
func (b *builder) appendPart(dst []byte, from int) []byte {
	o := b.o
	w := wire.Writer{B: slices.Grow(dst, 64<<10+len(o.Cust)*(4+4+8+1+8+8+4+4+4*len(o.Carry))+24*o.Customers.Len())}
	w.Bytes(b.appendConfig(nil))
	w.Int(from)
	wire.Column(&w, o.Cust)
	wire.Column(&w, o.Day)
	wire.Column(&w, o.Cents)
	w.Bytes(o.Flags)
	w.Bool(o.Order != nil)
	wire.Column(&w, o.Order)
	w.Bool(o.Discount != nil)
	wire.Column(&w, o.Discount)
	w.Bool(o.Channel != nil)
	wire.Column(&w, o.Channel)
	w.Bool(o.Sub != nil)
	wire.Column(&w, o.Sub)
	writeDict(&w, o.Customers)
	writeDict(&w, o.Channels)
	w.Int(len(o.Carry))
	for _, c := range o.Carry {
		writeDict(&w, c.Values)
		wire.Column(&w, c.Row)
	}
	statuses := NewDict(0) // none without a status column
	if b.statuses != nil {
		statuses = b.statuses.d
	}
	writeDict(&w, statuses)
	w.Int(len(b.statusN))
	for i, n := range b.statusN {
		w.Int(n)
		w.B = append(w.B, b.statusC[i])
	}
	w.Int(len(b.order))
	for _, r := range b.order {
		w.Str(r)
		w.Str(b.codes[r])
		w.Int(b.reasons[r])
	}
	writeSkips(&w, b.rep.Skips)
	writeSkips(&w, b.rep.Rejects)
	rep := b.rep
	for _, n := range []int{rep.RowsRead, rep.RowsKept, rep.RowsSkipped, rep.LineItems, rep.PartialRefunds, b.sciCustomers, b.sciOrders, o.DigitOrderIDs} {
		w.Int(n)
	}
	w.F64(b.absCents)
	return w.B
}

// readPartData decodes a part.
func readPartData(data []byte) (*partData, error) {
	r := wire.NewReader(data)
	p := &partData{config: r.Bytes()}
	p.from = r.Int()
	p.cust = wire.GetColumn[int32](r)
	p.day = wire.GetColumn[int32](r)
	p.cents = wire.GetColumn[int64](r)
	p.flags = r.Bytes()
	p.hasOrder, p.order = r.Bool(), wire.GetColumn[uint64](r)
	p.hasDisc, p.discount = r.Bool(), wire.GetColumn[int64](r)
	p.hasChannel, p.channel = r.Bool(), wire.GetColumn[int32](r)
	p.hasSub, p.sub = r.Bool(), wire.GetColumn[int32](r)
	p.customers = readDict(r)
	p.channels = readDict(r)
	for range r.Count(16) {
		p.carryValues = append(p.carryValues, readDict(r))
		p.carryRows = append(p.carryRows, wire.GetColumn[int32](r))
	}
	p.statuses = readDict(r)
	for range r.Count(9) {
		p.statusN = append(p.statusN, r.Int())
		p.statusC = append(p.statusC, r.Byte())
	}
	for range r.Count(24) {
		p.reasons = append(p.reasons, r.Str())
		p.codes = append(p.codes, r.Str())
		p.reasonN = append(p.reasonN, r.Int())
	}
	p.skips = readSkips(r)
	p.rejects = readSkips(r)
	for _, n := range []*int{&p.read, &p.kept, &p.skipped, &p.lineItems, &p.partial, &p.sciCust, &p.sciOrder, &p.digitIDs} {
		*n = r.Int()
	}
	p.absCents = r.F64()
	if r.Err != nil {
		return nil, r.Err
	}
	if r.Left() != 0 {
		return nil, errors.New("the part has bytes after its end")
	}
	n := len(p.cust)
	length := func(has bool, m int) bool { return has && m == n || !has && m == 0 }
	if len(p.day) != n || len(p.cents) != n || len(p.flags) != n || !length(p.hasOrder, len(p.order)) || !length(p.hasDisc, len(p.discount)) ||
		!length(p.hasChannel, len(p.channel)) || !length(p.hasSub, len(p.sub)) || len(p.statusN) != p.statuses.len() {
		return nil, errors.New("the part's columns differ in length")
	}
	if !within(p.cust, 0, p.customers.len()) || !within(p.channel, -1, p.channels.len()) {
		return nil, errors.New("the part names customers or channels it does not have")
	}
	for k, rows := range p.carryRows {
		if len(rows) != n || !within(rows, -1, p.carryValues[k].len()) {
			return nil, errors.New("the part's carried columns differ in length or name values it does not have")
		}
	}
	return p, nil
}

// join appends a part's rows and counts; lineOff is the line before its
// first record.
func (b *builder) join(p *partData, lineOff int) {
	b.flushIDs()
	o := b.o
	ids := p.customers.indexIn(o.Customers)
	n := len(o.Cust)
	o.Cust = remap(o.Cust, p.cust, ids)
	o.Day = append(o.Day, p.day...)
	o.Cents = append(o.Cents, p.cents...)
	o.Flags = append(o.Flags, p.flags...)
	if o.Order != nil {
		o.Order = append(o.Order, p.order...)
	}
	if o.Discount != nil {
		o.Discount = append(o.Discount, p.discount...)
	}
	if o.Channel != nil {
		chans := make([]int32, p.channels.len())
		for k := range chans {
			chans[k] = b.channels.index(p.channels.key(k))
		}
		o.Channel = remap(o.Channel, p.channel, chans)
	}
	switch {
	case p.hasSub && o.Sub == nil:
		o.Sub = append(make([]int32, n, n+len(p.sub)), p.sub...)
	case p.hasSub:
		o.Sub = append(o.Sub, p.sub...)
	case o.Sub != nil:
		o.Sub = append(o.Sub, make([]int32, len(p.cust))...)
	}
	for k := range o.Carry {
		values := p.carryValues[k].indexIn(o.Carry[k].Values)
		o.Carry[k].Row = remap(o.Carry[k].Row, p.carryRows[k], values)
	}
	for i := range p.statusN {
		j := b.statuses.index(p.statuses.key(i))
		if int(j) == len(b.statusN) {
			b.statusN = append(b.statusN, 0)
			b.statusC = append(b.statusC, p.statusC[i])
		}
		b.statusN[j] += p.statusN[i]
	}
	for i, r := range p.reasons {
		if _, ok := b.reasons[r]; !ok {
			b.order = append(b.order, r)
			if b.codes == nil {
				b.codes = map[string]string{}
			}
			b.codes[r] = p.codes[i]
		}
		b.reasons[r] += p.reasonN[i]
	}
	rep := b.rep
	for _, s := range p.skips {
		if len(rep.Skips) >= b.maxSkips {
			break
		}
		s.Line += lineOff
		rep.Skips = append(rep.Skips, s)
	}
	for _, s := range p.rejects {
		s.Line += lineOff
		rep.Rejects = append(rep.Rejects, s)
	}
	rep.RowsRead += p.read
	rep.RowsKept += p.kept
	rep.RowsSkipped += p.skipped
	rep.LineItems += p.lineItems
	rep.PartialRefunds += p.partial
	b.sciCustomers += p.sciCust
	b.sciOrders += p.sciOrder
	o.DigitOrderIDs += p.digitIDs
	b.absCents += p.absCents
}

// block is how many indexes within and remap check or map per call: a
// loop runs optimized in WebAssembly only in a function called again (see
// block in package summary).
const block = 1 << 14

// within tells whether every index in v is at least lo and below n, in
// blocks.
func within(v []int32, lo int32, n int) bool {
	for i := 0; i < len(v); i += block {
		if !withinBlock(v[i:min(len(v), i+block)], lo, int32(min(n, math.MaxInt32))) {
			return false
		}
	}
	return true
}

func withinBlock(v []int32, lo, hi int32) bool {
	for _, x := range v {
		if x < lo || x >= hi {
			return false
		}
	}
	return true
}

// remap appends src to dst with each index i ≥ 0 replaced by to[i], in
// blocks.
func remap(dst, src, to []int32) []int32 {
	dst = slices.Grow(dst, len(src))
	for lo := 0; lo < len(src); lo += block {
		dst = remapBlock(dst, src[lo:min(len(src), lo+block)], to)
	}
	return dst
}

func remapBlock(dst, src, to []int32) []int32 {
	for _, v := range src {
		if v >= 0 {
			v = to[v]
		}
		dst = append(dst, v)
	}
	return dst
}

// writeDict writes a dictionary's keys as its arena and the keys' ends.
func writeDict(w *wire.Writer, d *Dict) {
	w.Bytes(d.arena[:d.bounds[len(d.bounds)-1]])
	wire.Column(w, d.bounds[1:])
}

// partDict is a dictionary's keys in a part: key k is
// keys[ends[k-1]:ends[k]] (ends[-1] = 0).
type partDict struct {
	keys []byte
	ends []uint32
}

func readDict(r *wire.Reader) partDict {
	d := partDict{keys: r.Bytes(), ends: wire.GetColumn[uint32](r)}
	prev := uint32(0)
	for _, e := range d.ends {
		if e < prev || int(e) > len(d.keys) {
			r.Fail(errors.New("the part's keys are out of order"))
			return partDict{}
		}
		prev = e
	}
	return d
}

func (d partDict) len() int { return len(d.ends) }

func (d partDict) key(k int) []byte {
	start := uint32(0)
	if k > 0 {
		start = d.ends[k-1]
	}
	return d.keys[start:d.ends[k]]
}

// indexIn returns the index of each key in dict, adding those it lacks in
// their order, as reading the part's rows after the dict's would have.
// The keys go in batches: WebAssembly engines optimize a function when it
// is called again.
func (d partDict) indexIn(dict *Dict) []int32 {
	ids := make([]int32, len(d.ends))
	words := make([]KeyWords, min(len(d.ends), 4096))
	start := uint32(0)
	for lo := 0; lo < len(d.ends); lo += len(words) {
		hi := min(len(d.ends), lo+len(words))
		ends := make([]uint32, 0, hi-lo)
		for _, e := range d.ends[lo:hi] {
			ends = append(ends, e-start)
		}
		dict.IndexAll(d.keys[start:d.ends[hi-1]], ends, ids[lo:hi], words)
		start = d.ends[hi-1]
	}
	return ids
}

func writeSkips(w *wire.Writer, s []Skip) {
	w.Int(len(s))
	for _, k := range s {
		w.Int(k.Line)
		w.Str(k.Column)
		w.Str(k.Value)
		w.Str(k.Reason)
		w.Str(k.Code)
		w.Str(k.Raw)
	}
}

func readSkips(r *wire.Reader) []Skip {
	n := r.Count(48)
	s := make([]Skip, 0, n)
	for range n {
		s = append(s, Skip{Line: r.Int(), Column: r.Str(), Value: r.Str(), Reason: r.Str(), Code: r.Str(), Raw: r.Str()})
	}
	return s
}
