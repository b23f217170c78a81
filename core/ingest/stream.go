package ingest

import (
	"bytes"
	"errors"
)

// ErrShortPrefix says that a prefix given to NewStream does not yet hold
// the header and the records Parse looks at to choose the columns and the
// date format: call again with more of the input.
var ErrShortPrefix = errors.New("the prefix is too short to start reading")

// streamSample is how many records after the header a Stream's first
// prefix must hold complete: sniffFormat looks at 200.
const streamSample = 200

// Stream reads a delimited file (CSV, TSV, …) while it arrives, so that a
// page can parse the part of a file it has while the browser reads the
// rest. NewStream starts on a prefix, Feed reads the complete records of a
// longer prefix, and Finish reads the rest and returns exactly what Parse
// returns for the whole input. Every prefix must be a prefix of the same
// input, in memory that is not changed afterwards. JSON input is not
// streamed.
type Stream struct {
	src *delimitedSource
	b   *builder
	r   *recordReader
	rep *Report
	bom int // bytes of byte order mark before the text
	// stalled is set when a record has grown past stallBytes without
	// ending (an unclosed quote, say): reading it again on every Feed
	// would cost more than reading it once in Finish.
	stalled bool
	// joined is set when a part (ReadPart) holds the rest of the records.
	joined bool
}

// stallBytes is how long an unfinished record may grow before Feed stops
// reading it again.
const stallBytes = 4 << 20

// NewStream starts reading an input of total bytes from its first bytes,
// prefix. It returns ErrShortPrefix when the prefix is too short to start
// as Parse would, and errors.ErrUnsupported for JSON input, a
// per-customer stats file (IsStats), text in another encoding than UTF-8
// and input that is not text (read those whole); other errors are those Parse returns for the input.
func NewStream(prefix []byte, total int, opt Options) (*Stream, error) {
	if Sniff(prefix) != "text" {
		return nil, errors.ErrUnsupported // Parse says what the file is
	}
	if enc, _ := DetectEncoding(prefix); enc != EncUTF8 || (opt.Encoding != "" && opt.Encoding != EncUTF8) {
		return nil, errors.ErrUnsupported // decoded whole by Parse
	}
	bom := 0
	if bytes.HasPrefix(prefix, []byte("\xef\xbb\xbf")) {
		bom = 3
	}
	text := prefix[bom:]
	if startsJSON(text) {
		return nil, errors.ErrUnsupported
	}
	if len(opt.Map) == 0 && IsStats(prefix) {
		return nil, errors.ErrUnsupported // one row per customer: engine.Load reads it whole
	}
	// The header and the sampled records must end inside the prefix (not
	// at its end, where a record may be cut short).
	delim, _ := delimiterOf(text)
	r := newRecordReader(text, delim)
	for range streamSample + 1 {
		if _, _, _, ok := r.next(); !ok || r.pos >= len(text) {
			if len(prefix) == total {
				break // the whole input: Parse would see the same
			}
			return nil, ErrShortPrefix
		}
	}
	src, b, rep, err := begin(prefix, total, opt)
	if err != nil {
		return nil, err
	}
	s := src.(*delimitedSource)
	return &Stream{src: s, b: b, r: s.reader(), rep: rep, bom: bom}, nil
}

// Feed reads the complete records of prefix, a longer prefix of the input.
func (s *Stream) Feed(prefix []byte) {
	if s.stalled {
		return
	}
	s.r.data = prefix[s.bom:]
	s.src.feed(s.b, s.r, false)
	s.stalled = len(s.r.data)-s.r.pos > stallBytes
}

// Finish reads the rest of data, the whole input, and returns what Parse
// returns for it.
func (s *Stream) Finish(data []byte) (*Orders, *Report, error) {
	if !s.joined {
		s.src.data = data[s.bom:]
		s.r.data = s.src.data
		s.src.feed(s.b, s.r, true)
	}
	if err := s.b.finish(); err != nil {
		return s.b.o, s.rep, err
	}
	return s.b.o, s.rep, nil
}

// firstLine returns data up to its first newline.
func firstLine(data []byte) []byte {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return data[:i]
	}
	return data
}
