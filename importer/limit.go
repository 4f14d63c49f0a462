package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"time"
	"unicode/utf8"

	"coalition"
)

// The limits on what one input may contain. A value over a limit stops the
// read at that point with an error naming the file, the line or row and the
// field; the error quotes at most the first QuoteMax characters of the value.
const (
	// MaxLine is the longest CSV record (a line, or several when a quoted
	// field holds line breaks) and the longest XML text node or tag
	// outside a spreadsheet cell, in bytes.
	MaxLine = 1 << 20
	// MaxJSONToken is the longest JSON string or number (FTS), in bytes.
	MaxJSONToken = 1 << 20
	// MaxJSONElement is the largest element of a JSON array (one FTS flow
	// with everything in it), in bytes.
	MaxJSONElement = 4 << 20
	// MaxCell is the longest XLSX cell or shared string, in characters:
	// Excel's own limit.
	MaxCell = 32767
	// QuoteMax is how many characters of an offending value an error quotes.
	QuoteMax = 80
)

// quote is %q of s cut to its first QuoteMax characters (then "…"), so an
// error never echoes a huge value.
func quote(s string) string {
	n := 0
	for i := range s {
		if n == QuoteMax {
			return fmt.Sprintf("%q…", s[:i])
		}
		n++
	}
	return fmt.Sprintf("%q", s)
}

// skipBOM drops a UTF-8 byte-order mark at the start of r (Excel writes
// one in "CSV UTF-8").
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\ufeff")) {
		br.Discard(3)
	}
	return br
}

// newCSVReader is the reader of every CSV importer: a byte-order mark is
// dropped and a record longer than MaxLine stops the read (see csvLimit).
func newCSVReader(r io.Reader) (*csv.Reader, *csvLimit) {
	l := &csvLimit{r: skipBOM(r), max: MaxLine, line: 1, recLine: 1}
	cr := csv.NewReader(l)
	cr.ReuseRecord = true
	return cr, l
}

// csvLimit passes bytes through and fails as soon as one CSV record
// exceeds max bytes, so a file with a 2 GB line (or a 2 GB quoted field
// over many lines) costs at most max bytes of memory. It follows quotes
// to know where records and fields end.
type csvLimit struct {
	r       io.Reader
	max     int
	quoted  bool
	cur     int // bytes of the current record so far
	field   int // 0-based field of the current record
	line    int // 1-based line of the next byte
	recLine int // line where the current record starts
}

func (l *csvLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		switch c := p[i]; {
		case c == '"':
			l.quoted = !l.quoted
		case c == '\n':
			l.line++
			if !l.quoted {
				l.cur, l.field, l.recLine = 0, 0, l.line
				continue
			}
		case c == ',' && !l.quoted:
			l.field++
		}
		l.cur++
		if l.cur > l.max {
			return i, &LongLineError{Line: l.recLine, Field: l.field, Max: l.max}
		}
	}
	return n, err
}

// LongLineError reports a line (a CSV record, an XML text node or tag)
// longer than the importer accepts. The line is the row of the RowError
// that carries it.
type LongLineError struct {
	Line  int
	Field int    // CSV: the 0-based field where the limit was reached
	What  string // what is too long; "" is "the line"
	Max   int
}

func (e *LongLineError) Error() string {
	what := e.What
	if what == "" {
		what = "the line"
	}
	return fmt.Sprintf("%s is longer than %d bytes: not a file of this format, or a broken one", what, e.Max)
}

func (e *LongLineError) Unwrap() error {
	return &coalition.Error{Kind: coalition.Invalid, Message: "line too long"}
}

// csvText checks that a field is valid UTF-8 without NUL characters: what
// the database stores is text.
func csvText(s string) error {
	if !utf8.ValidString(s) {
		i := 0
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			i += size
		}
		return fmt.Errorf("invalid UTF-8 at byte %d (save the file as UTF-8)", i+1)
	}
	if i := bytes.IndexByte([]byte(s), 0); i >= 0 {
		return fmt.Errorf("a NUL character at byte %d", i+1)
	}
	return nil
}

// spool copies r to a temporary file, at most max bytes (0: no limit),
// passing every byte to check (if not nil) on the way. It returns the file,
// positioned at its start, and its size; the caller removes it with
// removeSpool. Memory: one copy buffer, whatever r is.
func spool(r io.Reader, max int64, check io.Writer) (*os.File, int64, error) {
	f, err := os.CreateTemp("", "coalition-import-*")
	if err != nil {
		return nil, 0, fmt.Errorf("importer: spool: %w", err)
	}
	var w io.Writer = f
	if check != nil {
		w = io.MultiWriter(check, f)
	}
	src := r
	if max > 0 {
		src = io.LimitReader(r, max+1)
	}
	n, err := io.CopyBuffer(w, src, make([]byte, 64<<10))
	if err == nil && max > 0 && n > max {
		err = &TooLargeError{Max: max}
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		removeSpool(f)
		return nil, n, err
	}
	return f, n, nil
}

func removeSpool(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}

// TooLargeError reports an input over a format's size limit.
type TooLargeError struct{ Max int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("larger than %d MB: split it", e.Max>>20)
}

func (e *TooLargeError) Unwrap() error {
	return &coalition.Error{Kind: coalition.Invalid, Message: "file too large"}
}

// MaxSize is the largest file a format reads (0: no limit, it is streamed).
func MaxSize(format string) int64 {
	switch format {
	case "fts":
		return MaxFTSFile
	case "kiel-xlsx":
		return MaxXLSXFile
	}
	return 0
}

// maxScalar is the longest text read as a number or a date: no real one
// is longer, and the domain's parsers quote what they refuse whole.
const maxScalar = 64

func parseDecimal(s string, scale int64, cur string) (int64, error) {
	if len(s) > maxScalar {
		return 0, fmt.Errorf("%s is not a decimal number (longer than %d bytes)", quote(s), maxScalar)
	}
	return coalition.ParseDecimal(s, scale, cur)
}

func parseDate(s string) (coalition.Date, error) {
	if d, ok := plainDate(s); ok {
		return d, nil
	}
	if len(s) > maxScalar {
		return coalition.Date{}, fmt.Errorf("date %s: want a real date as YYYY-MM-DD", quote(s))
	}
	return coalition.ParseDate(s)
}

// plainDate reads a real date written exactly YYYY-MM-DD, as
// coalition.ParseDate (time.Parse) does, without its cost: an IATI import
// reads two dates a transaction. ok is false for anything else, which
// ParseDate then accepts or refuses (TestPlainDateIsParseDate).
func plainDate(s string) (coalition.Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return coalition.Date{}, false
	}
	n := func(s string) int {
		v := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return -1
			}
			v = v*10 + int(s[i]-'0')
		}
		return v
	}
	y, m, d := n(s[:4]), n(s[5:7]), n(s[8:])
	if y < 0 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return coalition.Date{}, false
	}
	return coalition.Date{Y: y, M: time.Month(m), D: d}, true
}

// daysIn is the number of days of month m of year y.
func daysIn(m time.Month, y int) int {
	if m == time.February && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 29
	}
	return [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
}

func parseMonth(s string) (coalition.Month, error) {
	if len(s) > maxScalar {
		return 0, fmt.Errorf("month %s: want YYYY-MM", quote(s))
	}
	return coalition.ParseMonth(s)
}

// maxJSONDepth is the deepest nesting of JSON arrays and objects read.
const maxJSONDepth = 100

// jsonLimit is an io.Writer that follows JSON byte by byte and fails at
// the first string or number longer than MaxJSONToken, array element
// larger than MaxJSONElement, or nesting deeper than maxJSONDepth. It does
// not check the syntax (the decoder does); it keeps encoding/json from
// buffering a huge value.
type jsonLimit struct {
	file      string
	line      int // 1-based line of the next byte
	off       int64
	inStr     bool
	esc       bool
	tok       int // bytes of the current string or literal
	tokLine   int // its line
	stack     []byte
	elemDepth int   // stack depth of the outermost array element being read (0: none)
	elemStart int64 // its offset
	elemLine  int
	prefix    []byte // the start of the current token, for the error
}

func (j *jsonLimit) Write(p []byte) (int, error) {
	for _, c := range p {
		j.off++
		var err error
		if j.inStr {
			err = j.stringByte(c)
		} else {
			err = j.structByte(c)
		}
		if err != nil {
			return 0, err
		}
		if c == '\n' {
			j.line++
		}
		if j.elemDepth > 0 && j.off-j.elemStart > MaxJSONElement {
			return 0, j.err(j.elemLine, fmt.Errorf("an array element (a flow) larger than %d MB", MaxJSONElement>>20))
		}
	}
	return len(p), nil
}

// stringByte follows one byte inside a string, which ends at an unescaped
// quote, and fails once the string is longer than MaxJSONToken.
func (j *jsonLimit) stringByte(c byte) error {
	j.tok++
	j.keep(c)
	switch {
	case j.esc:
		j.esc = false
	case c == '\\':
		j.esc = true
	case c == '"':
		j.inStr, j.tok = false, 0
	}
	if j.tok > MaxJSONToken {
		return j.err(j.tokLine, fmt.Errorf("a string longer than %d bytes: %s", MaxJSONToken, quote(string(j.prefix))))
	}
	return nil
}

// structByte follows one byte outside strings: the start of a string, a
// bracket, a separator, or a byte of a number or literal.
func (j *jsonLimit) structByte(c byte) error {
	switch c {
	case '"':
		j.inStr, j.tok, j.tokLine, j.prefix = true, 0, j.line, j.prefix[:0]
	case '{', '[':
		return j.open(c)
	case '}', ']':
		j.close()
	case ' ', '\t', '\r', '\n', ',', ':':
		j.tok = 0
	default:
		return j.literalByte(c)
	}
	return nil
}

// open pushes an array or object, noting where an element of an array
// starts, since an element is the unit that must stay small.
func (j *jsonLimit) open(c byte) error {
	if j.elemDepth == 0 && len(j.stack) > 0 && j.stack[len(j.stack)-1] == '[' {
		j.elemDepth, j.elemStart, j.elemLine = len(j.stack)+1, j.off-1, j.line
	}
	j.stack = append(j.stack, c)
	if len(j.stack) > maxJSONDepth {
		return j.err(j.line, fmt.Errorf("nested deeper than %d arrays and objects", maxJSONDepth))
	}
	j.tok = 0
	return nil
}

// close pops an array or object, ending the element it was.
func (j *jsonLimit) close() {
	if len(j.stack) > 0 {
		j.stack = j.stack[:len(j.stack)-1]
	}
	if len(j.stack) < j.elemDepth {
		j.elemDepth = 0
	}
	j.tok = 0
}

// literalByte follows one byte of a number or word, which fails once it
// is longer than MaxJSONToken.
func (j *jsonLimit) literalByte(c byte) error {
	if j.tok == 0 {
		j.tokLine, j.prefix = j.line, j.prefix[:0]
	}
	j.tok++
	j.keep(c)
	if j.tok > MaxJSONToken {
		return j.err(j.tokLine, fmt.Errorf("a number or word longer than %d bytes: %s", MaxJSONToken, quote(string(j.prefix))))
	}
	return nil
}

// keep appends c to the start of the current token, which the error quotes.
func (j *jsonLimit) keep(c byte) {
	if len(j.prefix) < 4*QuoteMax+8 {
		j.prefix = append(j.prefix, c)
	}
}

func (j *jsonLimit) err(line int, e error) error {
	return &RowError{File: j.file, Row: line, Field: "json", Err: e}
}
