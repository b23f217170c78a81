package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// The text encodings Parse reads. Options.Encoding takes one of these
// names (or "" to detect); Report.Encoding names the one used.
const (
	EncUTF8    = "utf-8"
	EncUTF16LE = "utf-16le"
	EncUTF16BE = "utf-16be"
	EncGB18030 = "gb18030"
	EncCP1252  = "windows-1252"
)

// Encodings lists the encoding names Options.Encoding accepts.
func Encodings() []string {
	return []string{EncUTF8, EncUTF16LE, EncUTF16BE, EncGB18030, EncCP1252}
}

// ParseEncoding reads an encoding name as given to --encoding. It accepts
// the names of Encodings, "auto" (returned as ""), and the usual aliases
// (utf8, gbk, gb2312, cp1252, latin1, utf16…).
func ParseEncoding(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return "", nil
	case "utf-8", "utf8":
		return EncUTF8, nil
	case "utf-16le", "utf16le", "utf-16", "utf16", "unicode":
		return EncUTF16LE, nil
	case "utf-16be", "utf16be":
		return EncUTF16BE, nil
	case "gb18030", "gbk", "gb2312", "cp936":
		return EncGB18030, nil
	case "windows-1252", "cp1252", "latin1", "iso-8859-1", "latin-1":
		return EncCP1252, nil
	}
	return "", fmt.Errorf("unknown encoding %q (want auto or one of %s)", s, strings.Join(Encodings(), ", "))
}

// ErrNotText says that the input is not an order export in text: a
// workbook, an archive, a picture or a document. The error's message says
// what the bytes are and what to do.
var ErrNotText = errors.New("not a text file")

// KindError reports an input that is not text Parse can read. Kind is a
// short stable name (xlsx, xls, zip, pdf, png, jpeg, gif, gzip, html,
// binary) and Advice what to do about it.
type KindError struct {
	Kind   string
	What   string // what the file is, e.g. "an Excel 97–2003 workbook (.xls)"
	Advice string
}

func (e *KindError) Error() string {
	return fmt.Sprintf("the file is %s, not an order export in text: %s", e.What, e.Advice)
}

// Unwrap makes errors.Is(err, ErrNotText) true.
func (e *KindError) Unwrap() error { return ErrNotText }

// Sniff names what data is by its first bytes: "xlsx", "xls", "zip",
// "pdf", "png", "jpeg", "gif", "gzip", "html", "binary", or "text".
func Sniff(data []byte) string {
	head := data[:min(len(data), 512)]
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		// An OOXML workbook names its parts near the start of the archive.
		probe := data[:min(len(data), 64<<10)]
		if bytes.Contains(probe, []byte("xl/")) {
			return "xlsx"
		}
		return "zip"
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return "xls"
	case bytes.HasPrefix(head, []byte("PAR1")):
		return "parquet"
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "pdf"
	case bytes.HasPrefix(head, []byte("\x89PNG")):
		return "png"
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return "jpeg"
	case bytes.HasPrefix(head, []byte("GIF8")):
		return "gif"
	case bytes.HasPrefix(head, []byte("\x1f\x8b")):
		return "gzip"
	}
	if bom := utf16BOM(head); bom != "" {
		return "text"
	}
	if utf16Guess(head) != "" {
		return "text"
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return "binary"
	}
	var buf [512]byte
	lower := asciiLower(buf[:0], bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n"))
	if bytes.HasPrefix(lower, []byte("<html")) || bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<table")) ||
		(bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(lower, []byte("spreadsheet"))) {
		return "html"
	}
	return "text"
}

// asciiLower appends b to dst with ASCII letters in lower case (all
// Sniff compares), leaving other bytes as they are.
func asciiLower(dst, b []byte) []byte {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// kindError describes a kind Sniff found that Parse cannot read as text,
// or returns nil for text (and for xlsx when xlsxOK).
func kindError(kind string) error {
	var what, advice string
	switch kind {
	case "text":
		return nil
	case "xlsx":
		what, advice = "an Excel workbook (.xlsx)", "load it where .xlsx is read (the segsim page or command line), or save it as CSV UTF-8"
	case "parquet":
		what, advice = "a Parquet file", "load it where Parquet is read (the segsim page or command line), or export CSV"
	case "xls":
		what, advice = "an Excel 97–2003 workbook (.xls)", "open it in Excel or WPS and save it as .xlsx or as CSV UTF-8"
	case "zip":
		what, advice = "a zip archive", "unzip it and load the CSV or .xlsx inside"
	case "pdf":
		what, advice = "a PDF document", "export the orders from your shop back-end as CSV or .xlsx instead"
	case "png", "jpeg", "gif":
		what, advice = "a picture ("+kind+")", "export the orders from your shop back-end as CSV or .xlsx instead"
	case "gzip":
		what, advice = "a gzip archive", "decompress it (gunzip) and load the file inside"
	case "html":
		what, advice = "a web page or an Excel XML table (some back-ends save .xls files this way)", "open it in Excel or WPS and save it as .xlsx or as CSV UTF-8"
	default:
		what, advice = "binary data", "export the orders as CSV, TSV, JSON or .xlsx"
	}
	return fmt.Errorf("parse: %w", &KindError{Kind: kind, What: what, Advice: advice})
}

// utf16BOM returns the UTF-16 encoding a byte order mark names, or "".
func utf16BOM(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		return EncUTF16LE
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return EncUTF16BE
	}
	return ""
}

// utf16Guess recognises UTF-16 text without a byte order mark by its zero
// bytes: mostly-ASCII text has a zero in every other byte.
func utf16Guess(b []byte) string {
	b = b[:len(b)&^1]
	if len(b) < 8 {
		return ""
	}
	var even, odd int
	for i := 0; i < len(b); i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	half := len(b) / 2
	switch {
	case odd*10 >= half*6 && even*10 < half:
		return EncUTF16LE
	case even*10 >= half*6 && odd*10 < half:
		return EncUTF16BE
	}
	return ""
}

// DetectEncoding names the encoding of text: a byte order mark decides;
// else UTF-16 is recognised by its zero bytes, valid UTF-8 is UTF-8, and
// other bytes are GB18030 (Chinese Windows, Taobao downloads) when their
// high bytes pair up as Chinese characters do, or Windows-1252 (European
// Excel saves) when they stand alone among ASCII letters. bom is the
// length of the byte order mark.
func DetectEncoding(data []byte) (enc string, bom int) {
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return EncUTF8, 3
	}
	if e := utf16BOM(data); e != "" {
		return e, 2
	}
	if e := utf16Guess(data[:min(len(data), 4096)]); e != "" {
		return e, 0
	}
	if validUTF8Sampled(data) {
		return EncUTF8, 0
	}
	if looksGB18030(data[:min(len(data), 1<<20)]) {
		return EncGB18030, 0
	}
	return EncCP1252, 0
}

// validUTF8Sampled checks the first MiB of data and then 64 KiB of every
// further MiB: enough to tell an encoding apart, without reading all of a
// large file twice.
func validUTF8Sampled(data []byte) bool {
	const head, every, probe = 1 << 20, 1 << 20, 64 << 10
	if !validUTF8Part(data, 0, min(len(data), head)) {
		return false
	}
	for off := head; off < len(data); off += every {
		if !validUTF8Part(data, off, min(len(data), off+probe)) {
			return false
		}
	}
	return true
}

// validUTF8Part checks data[from:to], moved to whole characters: from
// skips continuation bytes, and a character cut at to is let pass.
func validUTF8Part(data []byte, from, to int) bool {
	start := from
	for from < to && from-start < 3 && !utf8.RuneStart(data[from]) {
		from++
	}
	{
		// Back off to the start of the last (possibly cut) character:
		// data may be a prefix of a file that is still arriving.
		k := to
		for k > from && to-k < 4 && !utf8.RuneStart(data[k-1]) {
			k--
		}
		if k > from && data[k-1] >= 0x80 {
			k--
		}
		to = k
	}
	return utf8.Valid(data[from:to])
}

// looksGB18030 tells whether the high bytes of b read as GB18030: every
// sequence is well formed, and most two-byte characters have both bytes
// above 0xA0, as the GB2312 characters that make up nearly all Chinese
// text do. Windows-1252 letters such as é, ü and ß usually stand alone
// between ASCII bytes, which GB18030 either rejects or reads as rare
// characters with an ASCII second byte.
func looksGB18030(b []byte) bool {
	var bad, common, rare int
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			i++
			continue
		}
		if c == 0x80 || c == 0xff || i+1 >= len(b) {
			bad++
			i++
			continue
		}
		t := b[i+1]
		switch {
		case t >= 0x30 && t <= 0x39: // four-byte sequence
			if i+3 < len(b) && b[i+2] >= 0x81 && b[i+2] <= 0xfe && b[i+3] >= 0x30 && b[i+3] <= 0x39 {
				rare++
				i += 4
				continue
			}
			bad++
			i++
		case t >= 0x40 && t <= 0xfe && t != 0x7f:
			if c >= 0xa1 && t >= 0xa1 {
				common++
			} else {
				rare++
			}
			i += 2
		default:
			bad++
			i++
		}
	}
	pairs := common + rare
	return pairs > 0 && bad*50 <= pairs && common*2 >= pairs
}

// decoderFor returns the x/text encoding for a name other than UTF-8.
func decoderFor(enc string) encoding.Encoding {
	switch enc {
	case EncUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case EncUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	case EncGB18030:
		return simplifiedchinese.GB18030
	case EncCP1252:
		return charmap.Windows1252
	}
	return nil
}

// toUTF8 returns data as UTF-8 text without a byte order mark: as it is
// when it is UTF-8 already, else decoded into a new buffer. enc is the
// encoding to read (detected when ""), and is returned.
func toUTF8(data []byte, enc string) (text []byte, used string, bom bool, err error) {
	enc, bomLen := textEncoding(data, enc)
	data = data[bomLen:]
	if enc == EncUTF8 {
		return data, enc, bomLen > 0, nil
	}
	out, err := decode(data, enc)
	if err != nil {
		return nil, enc, bomLen > 0, fmt.Errorf("parse: reading the file as %s: %w", enc, err)
	}
	return out, enc, bomLen > 0, nil
}

// textEncoding returns the encoding to read data in (enc, or the detected
// one when enc is "") and the length of the byte order mark to skip.
func textEncoding(data []byte, enc string) (string, int) {
	detected, bomLen := DetectEncoding(data)
	if enc == "" {
		return detected, bomLen
	}
	if detected != enc || (enc != EncUTF8 && bomLen == 3) {
		bomLen = 0
		if enc == EncUTF8 && bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
			bomLen = 3
		}
		if (enc == EncUTF16LE || enc == EncUTF16BE) && utf16BOM(data) == enc {
			bomLen = 2
		}
	}
	return enc, bomLen
}

// decode converts data from enc to UTF-8. Runs of ASCII are copied as
// they are (every encoding here but UTF-16 keeps ASCII as it is), so only
// the other bytes are decoded.
func decode(data []byte, enc string) ([]byte, error) {
	switch enc {
	case EncUTF16LE, EncUTF16BE:
		return decoderFor(enc).NewDecoder().Bytes(data)
	case EncCP1252:
		return decodeSingleByte(data, charmap.Windows1252, make([]byte, 0, len(data)+len(data)/8)), nil
	case EncGB18030:
		return decodeGB18030(data)
	}
	return nil, fmt.Errorf("unknown encoding %q", enc)
}

// decodeInto appends the decoding of data to out, for the encodings in
// which a line feed byte is always a line feed (GB18030, Windows-1252):
// text split after one decodes in pieces.
func decodeInto(data []byte, enc string, out []byte) ([]byte, error) {
	switch enc {
	case EncCP1252:
		return decodeSingleByte(data, charmap.Windows1252, out), nil
	case EncGB18030:
		return decodeGBPart(data, out)
	}
	return nil, fmt.Errorf("unknown encoding %q", enc)
}

// decodeSingleByte appends the decoding of a single-byte encoding, with
// its own byte table, to out.
func decodeSingleByte(data []byte, cm *charmap.Charmap, out []byte) []byte {
	for len(data) > 0 {
		i := asciiPrefix(data)
		out = append(out, data[:i]...)
		data = data[i:]
		for len(data) > 0 && data[0] >= 0x80 {
			out = utf8.AppendRune(out, cm.DecodeByte(data[0]))
			data = data[1:]
		}
	}
	return out
}

// gbPairs holds, for every two-byte GB18030 sequence (lead 0x81–0xFE,
// trail 0x40–0xFE), the UTF-8 bytes of the character x/text's decoder
// reads it as (up to 3, in the low bytes, their count in the top byte), or
// 0 when it does not read the pair as one character. It is filled on
// first use by decoding all pairs at once.
var gbPairs struct {
	once sync.Once
	utf8 []uint32
}

const gbTrails = 0xff - 0x40 // trail bytes 0x40..0xfe

func gbPairTable() []uint32 {
	gbPairs.once.Do(func() {
		src := make([]byte, 0, 126*gbTrails*3)
		for lead := 0x81; lead <= 0xfe; lead++ {
			for trail := 0x40; trail <= 0xfe; trail++ {
				src = append(src, byte(lead), byte(trail), '\n')
			}
		}
		text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(src)
		table := make([]uint32, 126*gbTrails)
		if err == nil {
			for i, piece := range bytes.Split(text, []byte{'\n'})[:len(table)] {
				if r, n := utf8.DecodeRune(piece); n == len(piece) && r != utf8.RuneError && n <= 3 {
					v := uint32(n) << 24
					for k, c := range piece {
						v |= uint32(c) << (8 * k)
					}
					table[i] = v
				}
			}
		}
		gbPairs.utf8 = table
	})
	return gbPairs.utf8
}

// lineAfterMiddle returns where the first line after the middle of data
// starts (its length when no line feed follows the middle): a point to
// split text whose line feed bytes are always line feeds.
func lineAfterMiddle(data []byte) int {
	mid := len(data) / 2
	if i := bytes.IndexByte(data[mid:], '\n'); i >= 0 {
		return mid + i + 1
	}
	return len(data)
}

// decodeGB18030 decodes GB18030 (and so GBK and GB2312): ASCII is copied,
// two-byte characters come from the pair table, and the rest (four-byte
// sequences, bytes that do not pair) go through x/text's decoder. A large
// input is decoded in two halves at once, split at a line feed (which no
// GB18030 character contains).
func decodeGB18030(data []byte) ([]byte, error) {
	if len(data) < 4<<20 || runtime.GOMAXPROCS(0) < 2 {
		return decodeGBPart(data, make([]byte, 0, len(data)+len(data)/4))
	}
	mid := lineAfterMiddle(data)
	var second []byte
	var err2 error
	done := make(chan struct{})
	go func() {
		defer close(done)
		second, err2 = decodeGBPart(data[mid:], make([]byte, 0, len(data)-mid+(len(data)-mid)/4))
	}()
	out, err := decodeGBPart(data[:mid], make([]byte, 0, len(data)+len(data)/4))
	<-done
	if err == nil {
		err = err2
	}
	return append(out, second...), err
}

// decodeGBPart appends the decoding of data to out.
func decodeGBPart(data, out []byte) ([]byte, error) {
	pairs := gbPairTable()
	dec := simplifiedchinese.GB18030.NewDecoder()
	for len(data) > 0 {
		i := asciiPrefix(data)
		out = append(out, data[:i]...)
		data = data[i:]
		for len(data) > 0 && data[0] >= 0x80 {
			if len(data) >= 2 && data[0] >= 0x81 && data[0] <= 0xfe && data[1] >= 0x40 && data[1] <= 0xfe {
				if v := pairs[int(data[0]-0x81)*gbTrails+int(data[1]-0x40)]; v != 0 {
					out = append(out, byte(v), byte(v>>8), byte(v>>16))[:len(out)+int(v>>24)]
					data = data[2:]
					continue
				}
			}
			j := highRun(data, EncGB18030)
			out = slices.Grow(out, 4*j)
			n, _, err := dec.Transform(out[len(out):cap(out)], data[:j], true)
			if err != nil {
				return nil, err
			}
			out = out[:len(out)+n]
			data = data[j:]
		}
	}
	return out, nil
}

// asciiPrefix returns the length of data's leading run of ASCII bytes.
func asciiPrefix(data []byte) int {
	i := 0
	for i+8 <= len(data) {
		w := uint64(data[i]) | uint64(data[i+1])<<8 | uint64(data[i+2])<<16 | uint64(data[i+3])<<24 |
			uint64(data[i+4])<<32 | uint64(data[i+5])<<40 | uint64(data[i+6])<<48 | uint64(data[i+7])<<56
		if w&0x8080808080808080 != 0 {
			break
		}
		i += 8
	}
	for i < len(data) && data[i] < 0x80 {
		i++
	}
	return i
}

// highRun returns how many bytes from the start of data (which begins
// with a high byte) form whole characters of enc up to the first ASCII
// byte that starts a character.
func highRun(data []byte, enc string) int {
	i := 0
	for i < len(data) && data[i] >= 0x80 {
		if enc == EncGB18030 && data[i] >= 0x81 && data[i] <= 0xfe && i+1 < len(data) {
			if t := data[i+1]; t >= 0x30 && t <= 0x39 && i+3 < len(data) {
				i += 4
			} else {
				i += 2
			}
			continue
		}
		i++
	}
	return min(i, len(data))
}
