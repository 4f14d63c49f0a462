package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"coalition"
)

// Options are what every importer needs besides the file.
type Options struct {
	File       string         // the file name, for errors and provenance
	SHA256     string         // hex digest of the file's bytes (see HashingReader)
	Source     string         // citation carried by every record; default "<format>: <file>"
	AsOf       coalition.Date // the date the source's data is current to (default: import day)
	User       string         // the importing user (email), for provenance
	ImportedAt time.Time      // for provenance; default now
	Recipient  string         // ISO3: keep only flows to this recipient (IATI, FTS); default recipient for Kiel
	Names      *Names         // donor and recipient names → ISO3; default: every country known to NewNames(nil)
	FX         *FXTable       // euro conversion; required for non-euro amounts
	// MaxErrors is how many row errors are listed (default 1000); the
	// rest are counted, and every row is read whatever their number.
	MaxErrors int

	// the parts of every record's provenance that do not change, and the
	// fields they were made from
	provHead, provTail []byte
	provFor            [3]string // File, SHA256, User
	provAt             time.Time
	// names resolved so far (resolve)
	resolved map[string]resolution
}

// resolution is what Names.Resolve said of a name.
type resolution struct {
	iso string
	err error
}

// resolve is Names.Resolve, remembered for up to 4,096 names: a file names
// the same few organisations and countries on every record.
func (o *Options) resolve(name string) (string, error) {
	if r, ok := o.resolved[name]; ok {
		return r.iso, r.err
	}
	iso, err := o.Names.Resolve(name)
	if len(o.resolved) < 4096 {
		if o.resolved == nil {
			o.resolved = map[string]resolution{}
		}
		o.resolved[name] = resolution{iso, err}
	}
	return iso, err
}

func (o *Options) defaults(format string) {
	if o.Source == "" {
		o.Source = format + ": " + o.File
	}
	if o.ImportedAt.IsZero() {
		o.ImportedAt = time.Now().UTC()
	}
	if o.AsOf.IsZero() {
		o.AsOf = coalition.DateOf(o.ImportedAt)
	}
	if o.Names == nil {
		o.Names = NewNames(nil)
	}
	if o.FX == nil {
		o.FX = &FXTable{}
	}
	if o.MaxErrors <= 0 {
		o.MaxErrors = 1000
	}
}

// Provenance is the JSON recorded on every imported record.
type Provenance struct {
	File       string    `json:"file"`
	SHA256     string    `json:"sha256"`
	Sheet      string    `json:"sheet,omitempty"`
	Row        int       `json:"row"`
	ImportedAt time.Time `json:"imported_at"`
	User       string    `json:"user"`
	// Extra keeps source details that have no column: original values,
	// IATI activity ids for tracing, FTS parent flows.
	Extra map[string]string `json:"extra,omitempty"`
}

func (o *Options) provenance(sheet string, row int, extra map[string]string) string {
	var buf [8]extraField
	fields := buf[:0]
	for k, v := range extra {
		fields = append(fields, extraField{k, v})
	}
	slices.SortFunc(fields, func(a, b extraField) int { return strings.Compare(a.k, b.k) })
	return o.provenanceFields(sheet, row, fields)
}

// extraField is one entry of a provenance's extra.
type extraField struct{ k, v string }

// provenanceFields is provenance with the extra entries given in the order
// of their keys (encoding/json's), as a parser that knows them writes
// them without a map.
func (o *Options) provenanceFields(sheet string, row int, extra []extraField) string {
	// Written by hand: it is on the path of every record of a large import.
	if o.provHead == nil || o.provFor != [3]string{o.File, o.SHA256, o.User} || !o.provAt.Equal(o.ImportedAt) {
		o.provFor, o.provAt = [3]string{o.File, o.SHA256, o.User}, o.ImportedAt
		o.provHead = appendJSONString(append(appendJSONString([]byte(`{"file":`), o.File), `,"sha256":`...), o.SHA256)
		o.provTail = appendJSONString(append(appendJSONString([]byte(`,"imported_at":`), o.ImportedAt.Format(time.RFC3339Nano)),
			`,"user":`...), o.User)
	}
	b := make([]byte, 0, 512) // on the stack; an IATI record's is ~350 bytes
	b = append(b, o.provHead...)
	if sheet != "" {
		b = append(b, `,"sheet":`...)
		b = appendJSONString(b, sheet)
	}
	b = append(b, `,"row":`...)
	b = strconv.AppendInt(b, int64(row), 10)
	b = append(b, o.provTail...)
	if len(extra) > 0 {
		b = append(b, `,"extra":{`...)
		for i, f := range extra {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, f.k)
			b = append(b, ':')
			b = appendJSONString(b, f.v)
		}
		b = append(b, '}')
	}
	b = append(b, '}')
	return string(b)
}

// jsonPlain are the bytes a JSON string holds as they are: ASCII but the
// control characters, '"' and '\\'.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendJSONString appends s as a JSON string, as encoding/json writes it
// (invalid UTF-8 becomes U+FFFD), without its HTML escapes.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		// A run of bytes that need no escape, appended at once.
		j := i
		for j < len(s) && jsonPlain[s[j]] {
			j++
		}
		if j > i {
			b = append(b, s[i:j]...)
			i = j
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029': // valid JSON, but not JavaScript
			b = append(b, `\u202`...)
			b = append(b, hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// Sink receives records as they are read; sqlstore's *Import is one, and
// Collect another. A Sink error is reported against the row.
type Sink interface {
	Pledge(ctx context.Context, p *coalition.Pledge) error
	// Delivery against the pledge (pledgeSource, pledgeRef), or d.PledgeID if pledgeRef is empty.
	Delivery(ctx context.Context, pledgeSource, pledgeRef, ref, provenance string, d *coalition.Delivery) error
	Requirement(ctx context.Context, ref, provenance string, r *coalition.Requirement) error
	Engagement(ctx context.Context, e *coalition.Engagement) error
	RiskEvent(ctx context.Context, r *coalition.RiskEvent) error
}

// Delivery is a delivery with the natural keys that link it.
type Delivery struct {
	PledgeSource, PledgeRef, Ref, Provenance string
	coalition.Delivery
}

// Requirement is a requirement with its natural key.
type Requirement struct {
	Ref, Provenance string
	coalition.Requirement
}

// Collect is a Sink that keeps every record in memory (tests, small uploads).
type Collect struct {
	Pledges      []*coalition.Pledge
	Deliveries   []*Delivery
	Requirements []*Requirement
	Engagements  []*coalition.Engagement
	RiskEvents   []*coalition.RiskEvent
}

func (c *Collect) Pledge(_ context.Context, p *coalition.Pledge) error {
	c.Pledges = append(c.Pledges, p)
	return nil
}

func (c *Collect) Delivery(_ context.Context, ps, pr, ref, prov string, d *coalition.Delivery) error {
	c.Deliveries = append(c.Deliveries, &Delivery{ps, pr, ref, prov, *d})
	return nil
}

func (c *Collect) Requirement(_ context.Context, ref, prov string, r *coalition.Requirement) error {
	c.Requirements = append(c.Requirements, &Requirement{ref, prov, *r})
	return nil
}

func (c *Collect) Engagement(_ context.Context, e *coalition.Engagement) error {
	c.Engagements = append(c.Engagements, e)
	return nil
}

func (c *Collect) RiskEvent(_ context.Context, r *coalition.RiskEvent) error {
	c.RiskEvents = append(c.RiskEvents, r)
	return nil
}

// Stats counts what a parser read.
type Stats struct {
	Rows     int      `json:"rows"`     // data rows, transactions or flows read
	Records  int      `json:"records"`  // records sent to the sink
	Skipped  int      `json:"skipped"`  // rows left out on purpose (filters, unmapped types, duplicates)
	Invalid  int      `json:"invalid"`  // rows with errors
	Warnings []string `json:"warnings"` // checks that did not match (e.g. Kiel country totals)

	// SkippedBy splits Skipped by reason ("another recipient", …).
	SkippedBy map[string]int `json:"skipped_by,omitempty"`
	// Flagged counts records imported with a caveat, by caveat
	// ("approximate announcement date", "undisclosed quantity"); each
	// such record says so in its provenance.
	Flagged map[string]int `json:"flagged,omitempty"`
}

// skip counts a row left out on purpose, and why.
func (s *Stats) skip(reason string) {
	s.Skipped++
	if s.SkippedBy == nil {
		s.SkippedBy = map[string]int{}
	}
	s.SkippedBy[reason]++
}

// flag counts a record imported with a caveat.
func (s *Stats) flag(caveat string) {
	if s.Flagged == nil {
		s.Flagged = map[string]int{}
	}
	s.Flagged[caveat]++
}

// errs collects row errors: the first max are listed, the others only
// counted, and reading goes on to the end of the file whatever their
// number (issue 24: a silent cap stopped reading at the 1,000th error).
type errs struct {
	list Errors
	max  int
	more int    // errors past max, counted and not listed
	file string // the file of the last error, for the note on the rest
}

func (e *errs) add(file, sheet string, row int, field string, err error) {
	e.file = file
	if len(e.list) < e.max {
		e.list = append(e.list, &RowError{File: file, Sheet: sheet, Row: row, Field: field, Err: err})
		return
	}
	e.more++
}

// err is the listed errors, and a last one saying how many more there
// were when there were more than max.
func (e *errs) err() error {
	if len(e.list) == 0 {
		return nil
	}
	if e.more > 0 {
		return append(e.list[:len(e.list):len(e.list)], &RowError{File: e.file, Field: "errors",
			Err: fmt.Errorf("%d more invalid rows, not listed (the first %d are; every row was read)", e.more, e.max)})
	}
	return e.list
}

// HashingReader hashes what is read through it.
type HashingReader struct {
	r io.Reader
	h interface {
		io.Writer
		Sum([]byte) []byte
	}
	N int64 // bytes read so far
}

// NewHashingReader wraps r.
func NewHashingReader(r io.Reader) *HashingReader { return &HashingReader{r: r, h: sha256.New()} }

func (h *HashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	h.N += int64(n)
	return n, err
}

// Sum returns the hex SHA-256 of the bytes read so far.
func (h *HashingReader) Sum() string { return hex.EncodeToString(h.h.Sum(nil)) }

// HashFile returns the hex SHA-256 of r's bytes.
func HashFile(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
