package session

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/tidwall/gjson"

	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/jsoncheck"
)

// Loader receives a file in chunks (as a browser hands it over) and loads
// it: a large UTF-8 file is parsed while it arrives. It keeps the buffer
// (until Release) and the last table's memory between loads, so that a
// host that loads file after file (a browser tab, whose memory never
// shrinks) does not grow.
type Loader struct {
	buf  []byte // the file's bytes, reused between loads
	n    int    // bytes of buf written
	prev *ingest.Orders
	// A large file is parsed while it arrives: stream reads the records
	// written so far (fed: up to which byte) with the load options
	// streamOpts that Alloc was given; Load finishes it when it is asked
	// for the same options.
	stream     *ingest.Stream
	streamOpts string
	streaming  bool
	fed        int
	// A file read in two parts (Split): the stream reads no further than
	// cut until Join says where the other part starts; seed hashes order
	// ids in both parts; joined is set once the other part was added.
	cut    int
	seed   uint64
	joined bool
}

// StreamMin is the smallest file parsed while it arrives; StreamStep is
// how many new bytes make Wrote read on.
const (
	StreamMin  = 8 << 20
	StreamStep = 2 << 20
)

// Alloc prepares the buffer for a file of size bytes. prev is the session
// of the file loaded before (or nil): its table lends its memory to the
// next. With stream set, a file of StreamMin bytes or more is parsed as it
// arrives, with the load options opts (see ReadLoadOptions), which Load
// must then be given too.
func (l *Loader) Alloc(size int, prev *Session, opts string, stream bool) {
	if cap(l.buf) < size {
		l.buf = make([]byte, size)
	}
	l.buf = l.buf[:size]
	l.n = 0
	if prev != nil && prev.ds != nil && prev.ds.Orders != nil {
		l.prev = prev.ds.Orders
	}
	l.stream, l.fed = nil, 0
	l.streaming = stream && size >= StreamMin
	l.streamOpts = opts
	l.cut, l.seed, l.joined = 0, 0, false
}

// SplitMin is the smallest file Split reads in two parts.
const SplitMin = 16 << 20

// Split prepares to read the file Alloc was given in two parts at once:
// this loader's stream reads it up to the first record after byte at,
// and another instance reads the rest (PartReader, with the seed returned
// here), which Join then adds. It returns 0 (and the loader reads the
// file alone) when the file is not streamed or is smaller than SplitMin.
func (l *Loader) Split(at int) uint64 {
	if !l.streaming || len(l.buf) < SplitMin || at <= 0 || at >= len(l.buf) {
		return 0
	}
	for l.seed == 0 {
		l.seed = rand.Uint64()
	}
	l.cut = at
	return l.seed
}

// Join adds the part another instance read (PartReader), which starts at
// byte from of the file: the stream reads up to there and, when its
// records end there, takes the part's rows instead of reading on. The
// file must have been written up to from; once joined, the rest need not
// be. On an error the loader reads the rest of the file itself, which
// must then be written.
func (l *Loader) Join(from int, part []byte) error {
	l.cut = 0 // from here on the stream may read on, whatever happens
	switch {
	case l.seed == 0:
		return errors.New("join: the file is not read in two parts")
	case l.stream == nil || from > l.n || from < l.fed:
		return fmt.Errorf("join: the part starts at byte %d, where this reader cannot stop", from)
	case !l.stream.FeedTo(l.buf[:from]):
		return fmt.Errorf("join: no record ends at byte %d, where the part starts", from)
	}
	l.fed = from
	if err := l.stream.Join(part); err != nil {
		return fmt.Errorf("join: %w", err)
	}
	l.joined = true
	return nil
}

// PartReader reads the second part of a file while it arrives, for
// another instance's Loader.Join (see ingest.Part).
type PartReader struct {
	buf    []byte // the file from byte at on
	n, fed int
	p      *ingest.Part
}

// NewPartReader starts reading the part of a file of total bytes from the
// first record after byte at that can begin a part: head is the file's
// start, opts the load options and seed the one Split returned.
func NewPartReader(head []byte, at, total int, opts string, seed uint64) (*PartReader, error) {
	opt, err := IngestOptions(opts)
	if err != nil {
		return nil, err
	}
	opt.OrderSeed = seed
	p, err := ingest.NewPart(head, at, total, opt)
	if err != nil {
		return nil, err
	}
	return &PartReader{buf: make([]byte, total-at), p: p}, nil
}

// Space returns the buffer from off on (an offset from byte at of the
// file), for the host to copy a chunk into; Wrote says how many bytes it
// copied there, and reads the records that have arrived every StreamStep
// bytes.
func (r *PartReader) Space(off int) []byte { return r.buf[off:] }

// Wrote records n bytes written at off.
func (r *PartReader) Wrote(off, n int) {
	r.n = max(r.n, off+n)
	if r.n-r.fed >= StreamStep && r.n < len(r.buf) {
		r.fed = r.n
		r.p.Feed(r.buf[:r.n])
	}
}

// Finish reads the rest and returns the part and the offset of its first
// record in the file.
func (r *PartReader) Finish() ([]byte, int, error) {
	if r.n < len(r.buf) {
		return nil, 0, fmt.Errorf("part: %d of %d bytes arrived", r.n, len(r.buf))
	}
	return r.p.Finish(r.buf)
}

// Space returns the buffer from off on, for the host to copy a chunk into;
// Wrote says how many bytes it copied there.
func (l *Loader) Space(off int) []byte { return l.buf[off:] }

// Wrote records n bytes written at off. Every StreamStep bytes of a large
// file, it reads the records that have arrived.
func (l *Loader) Wrote(off, n int) {
	l.n = max(l.n, off+n)
	// A file read in two parts is read up to where the other part begins
	// as soon as the bytes are there, while the other part is read.
	reachedCut := l.cut > 0 && l.n >= l.cut && l.fed < l.cut
	if l.streaming && (l.n-l.fed >= StreamStep || reachedCut) && l.n < len(l.buf) {
		l.feed()
	}
}

// feed starts the stream on the bytes written so far, or reads on.
func (l *Loader) feed() {
	n := l.n
	if l.cut > 0 {
		n = min(n, l.cut)
	}
	if n <= l.fed {
		return
	}
	l.fed = n
	if l.stream != nil {
		l.stream.Feed(l.buf[:n])
		return
	}
	opt, err := IngestOptions(l.streamOpts)
	if err != nil {
		l.streaming = false
		return
	}
	opt.OrderSeed = l.seed
	s, err := ingest.NewStream(l.buf[:n], len(l.buf), opt)
	switch {
	case errors.Is(err, ingest.ErrShortPrefix):
	case err != nil:
		l.streaming = false // JSON, another encoding, or an error Load reports
	default:
		l.stream, l.prev = s, nil // the stream took prev's memory
	}
}

// Release drops the file's bytes once they are loaded, for a host that
// holds the file elsewhere (a browser keeps the File) and writes it again
// for another load: until then their memory can go to the runs. The next
// Alloc makes a new buffer.
func (l *Loader) Release() {
	l.buf, l.n, l.stream, l.streaming, l.fed = nil, 0, nil, false, 0
}

// Load parses the file written, or finishes the stream Alloc started, with
// the load options opts (see ReadLoadOptions); progress (may be nil) is
// called now and then with the bytes read. It returns the new session (nil
// when the load failed) and the answer for the page: {"report": …,
// "streamed": whether the file was read as it arrived, "rejects": how many
// skipped rows were kept} or an error (see ErrorJSON). Reading the same
// bytes again with other options reuses prev's memory.
func (l *Loader) Load(opts string, prev *Session, progress func(done, total int)) (*Session, string) {
	stream := l.stream
	l.stream, l.streaming = nil, false
	if prev != nil && prev.ds != nil && prev.ds.Orders != nil && stream == nil {
		l.prev = prev.ds.Orders
	}
	var ds *engine.Dataset
	var err error
	// A joined part holds the rest of the records: the bytes after where
	// it starts need not have been written.
	streamed := stream != nil && opts == l.streamOpts && (l.n == len(l.buf) || l.joined)
	if streamed {
		o, rep, ferr := stream.Finish(l.buf[:l.n])
		if err = ferr; err == nil {
			ds = engine.NewDataset(o, rep)
		} else if rep != nil {
			ds = &engine.Dataset{Load: rep}
		}
	} else {
		opt, oerr := IngestOptions(opts)
		if oerr != nil {
			return nil, ErrorJSON(oerr, nil)
		}
		opt.Reuse, l.prev = l.prev, nil
		opt.Progress = progress
		ds, err = engine.Load(l.buf[:l.n], opt)
	}
	var rep *ingest.Report
	var rejects []ingest.Skip
	if ds != nil && ds.Load != nil {
		// The skipped rows stay in the session until they are asked for.
		rep = ds.Load
		rejects, rep.Rejects = rep.Rejects, nil
	}
	if err != nil {
		return &Session{rejects: rejects, failed: true}, ErrorJSON(err, rep)
	}
	s := New(ds)
	s.rejects = rejects
	return s, marshal(map[string]any{"report": ds.Load, "streamed": streamed, "split": streamed && l.joined, "rejects": len(rejects)})
}

// LoadOptions are the page's load settings: column roles, the date format,
// the text encoding, whether to keep the skipped rows, and the columns to
// carry into the customer export.
type LoadOptions struct {
	Map        map[string]string `json:"map"`
	DateFormat string            `json:"date_format"`
	Encoding   string            `json:"encoding"`
	Rejects    bool              `json:"rejects"`
	Carry      []string          `json:"carry"`
}

// ErrBadOptions marks an error in the load or run options (not in the file
// or the scenario).
var ErrBadOptions = errors.New("options")

// ReadLoadOptions reads {"map": {role: column}, "date_format": name,
// "encoding": name, "rejects": bool, "carry": [column, ...]}.
func ReadLoadOptions(text string) (LoadOptions, error) {
	var o LoadOptions
	if err := jsoncheck.Check([]byte(text)); err != nil {
		return o, fmt.Errorf("%w: load options: %w", ErrBadOptions, err)
	}
	var err error
	gjson.Parse(text).ForEach(func(k, v gjson.Result) bool {
		switch {
		case v.Type == gjson.Null:
		case k.Str == "date_format" && v.Type == gjson.String:
			o.DateFormat = v.Str
		case k.Str == "encoding" && v.Type == gjson.String:
			o.Encoding = v.Str
		case k.Str == "rejects" && (v.Type == gjson.True || v.Type == gjson.False):
			o.Rejects = v.Bool()
		case k.Str == "carry" && v.IsArray():
			v.ForEach(func(_, col gjson.Result) bool {
				if col.Type != gjson.String {
					err = fmt.Errorf("%w: load options: carry: %s is not a column name", ErrBadOptions, col.Raw)
					return false
				}
				o.Carry = append(o.Carry, col.Str)
				return true
			})
		case k.Str == "map" && v.IsObject():
			o.Map = map[string]string{}
			v.ForEach(func(role, col gjson.Result) bool {
				if col.Type == gjson.Null {
					return true
				}
				if col.Type != gjson.String {
					err = fmt.Errorf("%w: load options: map.%s: %s is not a column name", ErrBadOptions, role.Str, col.Raw)
					return false
				}
				o.Map[role.Str] = col.Str
				return true
			})
		default:
			err = fmt.Errorf("%w: load options: %s: %s is not expected", ErrBadOptions, k.Str, v.Raw)
		}
		return err == nil
	})
	return o, err
}

// IngestOptions turns load options JSON ("" for none) into ingest.Options.
func IngestOptions(text string) (ingest.Options, error) {
	var opt ingest.Options
	var o LoadOptions
	var err error
	if text != "" {
		if o, err = ReadLoadOptions(text); err != nil {
			return opt, err
		}
	}
	if o.DateFormat == "" {
		o.DateFormat = "auto"
	}
	if opt.DateFormat, err = ingest.ParseDateFormat(o.DateFormat); err != nil {
		return opt, fmt.Errorf("%w: %w", ErrBadOptions, err)
	}
	if opt.Encoding, err = ingest.ParseEncoding(o.Encoding); err != nil {
		return opt, fmt.Errorf("%w: %w", ErrBadOptions, err)
	}
	opt.KeepRejects = o.Rejects
	for _, c := range o.Carry {
		if c = strings.TrimSpace(c); c != "" {
			opt.Carry = append(opt.Carry, c)
		}
	}
	if len(o.Map) > 0 {
		opt.Map = map[ingest.Role]string{}
		for role, col := range o.Map {
			r, err := ingest.ParseRole(role)
			if err != nil {
				return opt, fmt.Errorf("%w: %w", ErrBadOptions, err)
			}
			if col != "" {
				opt.Map[r] = col
			}
		}
	}
	return opt, nil
}
