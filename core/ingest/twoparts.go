package ingest

import (
	"math/rand/v2"
	"runtime"
)

// twoPartsMin is the smallest input Parse reads in two parts at once.
var twoPartsMin = 8 << 20

// twoParts is an input being read in two parts at once (inTwo).
type twoParts struct {
	s    *Stream
	text []byte // the input as UTF-8
	enc  string // the input's encoding
	bom  bool   // whether the input began with a byte order mark
}

// inTwo starts reading a large delimited input in two parts at once on
// two cores, as a page does with two WebAssembly instances (see Part): a
// goroutine reads from a record near the middle to the end while this one
// reads up to there, and the stream then joins the part. Input in
// GB18030 or Windows-1252 is decoded by halves, each goroutine its own;
// UTF-16 is decoded first. finish gives exactly Parse's result; when the
// part could not be joined (the middle fell inside a quoted field, say)
// the stream reads on alone from where it stopped. inTwo returns nil when
// the input is small, there is one core to run on, or the input is not
// streamed (JSON, not text, a stats file) or cannot be decoded: Parse
// then reads it in one pass and says what is wrong.
func inTwo(data []byte, opt Options) *twoParts {
	if len(data) < twoPartsMin || runtime.GOMAXPROCS(0) < 2 || runtime.GOARCH == "wasm" || Sniff(data) != "text" {
		return nil
	}
	enc, bomLen := textEncoding(data, opt.Encoding)
	raw := data[bomLen:]
	opt.Encoding = EncUTF8
	for opt.OrderSeed == 0 {
		opt.OrderSeed = rand.Uint64()
	}
	progress := opt.Progress
	if progress != nil {
		// Both halves are read at once: the first half's progress
		// stands for the whole, counted in the input's bytes.
		n := len(data)
		opt.Progress = func(done, total int) { progress(min(n, 2*done*n/max(total, 1)), n) }
	}
	partOpt := opt
	partOpt.Reuse, partOpt.Progress = nil, nil // the first part's columns take the lent memory

	// first is the text of the input's first half; the other goroutine
	// gets its length (or -1 to give up) and reads the second half from
	// there: the bytes from mid on, decoded, are the text from at on.
	var first, second, text []byte
	halves := false // whether each goroutine decodes its half
	switch enc {
	case EncUTF8:
		text = raw
	case EncUTF16LE, EncUTF16BE:
		var err error
		if text, err = decode(raw, enc); err != nil {
			return nil
		}
	default: // a line feed byte is a line feed in these encodings
		halves = true
	}
	mid := len(text) / 2
	if halves {
		mid = lineAfterMiddle(raw)
	} else {
		first, second = text[:mid], text[mid:]
	}
	type result struct {
		part     []byte
		second   []byte
		from     int
		err, dec error
	}
	// The goroutines swap the lengths of their texts: first's is where
	// the part's text starts.
	at, size := make(chan int, 1), make(chan int, 1)
	done := make(chan result, 1)
	go func() {
		r := result{second: second}
		if halves {
			r.second, r.dec = decodeInto(raw[mid:], enc, make([]byte, 0, len(raw)-mid+(len(raw)-mid)/2))
		}
		size <- len(r.second)
		n := <-at
		if n >= 0 && r.dec == nil {
			r.part, r.from, r.err = ReadPart(first, r.second, n, n+len(r.second), partOpt)
		}
		done <- r
	}()
	if halves {
		var err error
		if first, err = decodeInto(raw[:mid], enc, make([]byte, 0, mid+mid/2)); err != nil {
			at <- -1
			<-done
			return nil
		}
	}
	at <- len(first)
	s, err := NewStream(first, len(first)+<-size, opt)
	if err != nil {
		<-done
		return nil
	}
	s.Feed(first)
	r := <-done
	if r.dec != nil {
		return nil
	}
	// The stream has read first and goes on in the text: the same bytes,
	// with the second half after them; up to the part's start if it
	// joins, else to the end.
	if halves && r.err == nil {
		text = append(first, r.second[:r.from-len(first)]...)
	}
	if r.err == nil && s.FeedTo(text[:r.from]) {
		s.Join(r.part) // on an error the stream reads on alone
	}
	if halves && !s.joined {
		text = append(first, r.second...)
	}
	if s.joined && progress != nil {
		progress(len(data), len(data))
	}
	return &twoParts{s: s, text: text, enc: enc, bom: bomLen > 0}
}

// finish returns what Parse returns for the input.
func (t *twoParts) finish() (*Orders, *Report, error) {
	o, rep, err := t.s.Finish(t.text)
	rep.Encoding, rep.BOM = t.enc, t.bom
	return o, rep, err
}
