package importer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"coalition"
)

// MaxFTSFile is the largest FTS JSON file read (the API pages hold far less).
const MaxFTSFile = 256 << 20

// ftsID is an id given as a string or a number.
type ftsID string

func (f *ftsID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*f = ""
		return nil
	}
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = ftsID(strings.TrimSpace(s))
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("id %s: want a string or a number", b)
	}
	*f = ftsID(n.String())
	return nil
}

type ftsObject struct {
	Type     string `json:"type"`
	ID       ftsID  `json:"id"`
	Name     string `json:"name"`
	Behavior string `json:"behavior"`
}

type ftsFlow struct {
	ID               ftsID       `json:"id"`
	VersionID        json.Number `json:"versionId"`
	Status           string      `json:"status"`
	Boundary         string      `json:"boundary"`
	AmountUSD        json.Number `json:"amountUSD"`
	OriginalAmount   json.Number `json:"originalAmount"`
	OriginalCurrency string      `json:"originalCurrency"`
	Date             string      `json:"date"`
	DecisionDate     string      `json:"decisionDate"`
	FirstReported    string      `json:"firstReportedDate"`
	ContributionType string      `json:"contributionType"`
	NewMoney         *bool       `json:"newMoney"`
	ParentFlowID     ftsID       `json:"parentFlowId"`
	ChildFlowIDs     []ftsID     `json:"childFlowIds"`
	RefCode          string      `json:"refCode"`
	Source           []ftsObject `json:"sourceObjects"`
	Destination      []ftsObject `json:"destinationObjects"`

	line    int
	version float64
}

// FTSStatus maps FTS flow statuses to the pledge lifecycle.
var FTSStatus = map[string]coalition.PledgeStatus{
	"pledge": coalition.Announced, "commitment": coalition.Committed, "paid": coalition.Delivered,
}

// FTS reads an OCHA FTS v1 flow response ({"data": {"flows": [...]}}, or
// a bare array of flows): one humanitarian pledge per flow to
// opt.Recipient (default UKR). Each flow counts once: a flow id repeated
// (pages overlapping) keeps its highest versionId; a child flow whose parent
// is in the file with the same status is a part of the parent and is
// skipped.
func FTS(ctx context.Context, r io.Reader, opt Options, sink Sink) (Stats, error) {
	opt.defaults("fts")
	var st Stats
	e := &errs{max: opt.MaxErrors}
	recipient := "UKR"
	if opt.Recipient != "" {
		iso, err := opt.Names.Resolve(opt.Recipient)
		if err != nil {
			return st, coalition.FieldError("recipient", "%v", err)
		}
		recipient = iso
	}
	// The file is spooled to disk through jsonLimit: one pass that stops
	// at the size limit or at the first token or flow over its limit,
	// whatever the input, with a copy buffer's worth of memory. Then it
	// is decoded as a stream, one flow at a time.
	jl := &jsonLimit{file: opt.File, line: 1}
	tmp, size, err := spool(r, MaxFTSFile, jl)
	if err != nil {
		var re *RowError
		var tl *TooLargeError
		switch {
		case errors.As(err, &re):
			return st, Errors{re}
		case errors.As(err, &tl):
			return st, Errors{{File: opt.File, Row: jl.line, Field: "file", Err: fmt.Errorf("larger than %d MB: split it by page", MaxFTSFile>>20)}}
		}
		return st, Errors{{File: opt.File, Row: 0, Field: "file", Err: err}}
	}
	defer removeSpool(tmp)
	lines := &lineIndex{r: bufio.NewReaderSize(io.NewSectionReader(tmp, 0, size), 64<<10)}
	// A file that breaks off (truncated, or a syntax error) is an error at
	// that line; the flows before it are read (what --skip-invalid keeps).
	flows, err := ftsFlows(tmp, lines)
	var parseErr *RowError
	if err != nil {
		var se *json.SyntaxError
		line := 1
		if errors.As(err, &se) {
			line = lines.at(se.Offset)
		}
		switch {
		case size == 0:
			err = errors.New("the file is empty")
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			line = lines.at(size)
			err = fmt.Errorf("the file ends inside a value: truncated? (%w)", io.ErrUnexpectedEOF)
		}
		var fe *ftsErr
		if errors.As(err, &fe) {
			line, err = fe.line, fe.err
		}
		parseErr = &RowError{File: opt.File, Row: line, Field: "json", Err: err}
	}
	// Count each flow once.
	byID := map[ftsID]*ftsFlow{}
	var order []*ftsFlow
	for _, f := range flows {
		st.Rows++
		if f.ID == "" {
			e.add(opt.File, "", f.line, "id", errors.New("is missing"))
			st.Invalid++
			continue
		}
		f.version, _ = f.VersionID.Float64()
		if old, ok := byID[f.ID]; ok {
			st.Skipped++
			if f.version > old.version {
				*old = *f
			}
			continue
		}
		byID[f.ID] = f
		order = append(order, f)
	}
	for _, f := range order {
		if p, ok := byID[f.ParentFlowID]; ok && f.ParentFlowID != "" && p.Status == f.Status {
			st.Skipped++ // a part of its parent, counted there
			continue
		}
		p, skip, err := ftsPledge(f, recipient, &opt)
		if skip {
			st.Skipped++
			continue
		}
		if err != nil {
			var re *RowError
			if errors.As(err, &re) {
				e.add(opt.File, "", f.line, re.Field, re.Err)
			} else {
				e.add(opt.File, "", f.line, fieldOf(err, "flow"), err)
			}
			st.Invalid++
			continue
		}
		if err := sink.Pledge(ctx, p); err != nil {
			e.add(opt.File, "", f.line, fieldOf(err, "record"), err)
			st.Invalid++
			continue
		}
		st.Records++
	}
	if parseErr != nil {
		e.list = append(e.list, parseErr)
		st.Invalid++
	}
	return st, e.err()
}

type ftsErr struct {
	line int
	err  error
}

func (e *ftsErr) Error() string { return e.err.Error() }

// MaxFTSFlows is the most flows one FTS file may hold (every flow is held
// until the file is read, to count each once).
const MaxFTSFlows = 200_000

// ftsFlows finds data.flows (or flows, or a top-level array) and decodes
// each flow, noting its line.
func ftsFlows(r io.Reader, lines *lineIndex) ([]*ftsFlow, error) {
	d := json.NewDecoder(r)
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	var flows []*ftsFlow
	readArray := func() error {
		for d.More() {
			start := lines.start(d.InputOffset())
			if len(flows) == MaxFTSFlows {
				return &ftsErr{start, fmt.Errorf("more than %d flows: split the file by page", MaxFTSFlows)}
			}
			var f ftsFlow
			if err := d.Decode(&f); err != nil {
				var te *json.UnmarshalTypeError
				if errors.As(err, &te) {
					return &ftsErr{start, fmt.Errorf("flow field %s: %v", te.Field, err)}
				}
				return err
			}
			f.line = start
			flows = append(flows, &f)
		}
		_, err := d.Token() // ]
		return err
	}
	if tok == json.Delim('[') {
		return flows, readArray()
	}
	if tok != json.Delim('{') {
		return nil, &ftsErr{1, errors.New("not an FTS flow response: want a JSON object with data.flows")}
	}
	found := false
	// Walk objects; descend into "data"; read "flows".
	var walk func(depth int) error
	walk = func(depth int) error {
		for d.More() {
			kt, err := d.Token()
			if err != nil {
				return err
			}
			key, _ := kt.(string)
			switch {
			case key == "flows" && !found:
				t, err := d.Token()
				if err != nil {
					return err
				}
				if t != json.Delim('[') {
					return &ftsErr{lines.at(d.InputOffset()), errors.New("flows is not an array")}
				}
				found = true
				if err := readArray(); err != nil {
					return err
				}
			case key == "data" && depth == 0:
				t, err := d.Token()
				if err != nil {
					return err
				}
				if t == json.Delim('{') {
					if err := walk(depth + 1); err != nil {
						return err
					}
				} else if t == json.Delim('[') {
					if err := skipRest(d); err != nil {
						return err
					}
				}
			default:
				// Skipped token by token: the decoder never holds more
				// than one token of it.
				t, err := d.Token()
				if err != nil {
					return err
				}
				if t == json.Delim('[') || t == json.Delim('{') {
					if err := skipRest(d); err != nil {
						return err
					}
				}
			}
		}
		_, err := d.Token() // }
		return err
	}
	if err := walk(0); err != nil {
		return flows, err
	}
	if !found {
		return nil, &ftsErr{1, errors.New("no data.flows array: not an FTS flow response")}
	}
	return flows, nil
}

func skipRest(d *json.Decoder) error {
	depth := 1
	for depth > 0 {
		t, err := d.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('['), json.Delim('{'):
			depth++
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
	}
	return nil
}

// lineIndex turns byte offsets that grow into 1-based lines, reading the
// file a second time alongside the decoder.
type lineIndex struct {
	r    *bufio.Reader
	off  int64
	line int
}

// at is the line of the byte at off (or of the last byte read, if off is
// behind it).
func (l *lineIndex) at(off int64) int {
	for l.off < off {
		b, err := l.r.ReadByte()
		if err != nil {
			break
		}
		l.off++
		if b == '\n' {
			l.line++
		}
	}
	return l.line + 1
}

// start is the line of the first byte at or after off that is not space
// or a comma: where the next value starts.
func (l *lineIndex) start(off int64) int {
	l.at(off)
	for {
		b, err := l.r.Peek(1)
		if err != nil || (b[0] != ' ' && b[0] != '\n' && b[0] != '\r' && b[0] != '\t' && b[0] != ',') {
			return l.line + 1
		}
		l.at(l.off + 1)
	}
}

func ftsDate(s string) (coalition.Date, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 10 {
		s = s[:10]
	}
	return parseDate(s)
}

func ftsPledge(f *ftsFlow, recipient string, opt *Options) (*coalition.Pledge, bool, error) {
	status, ok := FTSStatus[strings.ToLower(strings.TrimSpace(f.Status))]
	if !ok {
		return nil, false, fieldErr("status", "%s is not one of pledge, commitment, paid", quote(f.Status))
	}
	to, shared, err := ftsRecipient(f, recipient, opt)
	if err != nil {
		return nil, false, err
	}
	if to == "" {
		return nil, true, nil // not a flow to the recipient
	}
	donor, err := ftsDonor(f, opt)
	if err != nil {
		return nil, false, err
	}
	minor, cur, err := ftsAmount(f)
	if err != nil {
		return nil, false, err
	}
	var date coalition.Date
	field := ""
	for _, c := range []struct{ name, v string }{{"date", f.Date}, {"decisionDate", f.DecisionDate}, {"firstReportedDate", f.FirstReported}} {
		if c.v == "" {
			continue
		}
		if date, err = ftsDate(c.v); err != nil {
			return nil, false, fieldErr(c.name, "%v", err)
		}
		field = c.name
		break
	}
	if field == "" {
		return nil, false, fieldErr("date", "the flow has no date, decisionDate or firstReportedDate")
	}
	p := &coalition.Pledge{Donor: donor, Recipient: to, Category: "humanitarian", Amount: coalition.Money{Minor: minor, Currency: cur},
		Announced: date, Status: status, Visibility: coalition.Public, Source: opt.Source, SourceRef: "fts-flow-" + string(f.ID), AsOf: opt.AsOf}
	if err := opt.FX.Convert(p, date); err != nil {
		return nil, false, fieldErr("originalCurrency", "%v", err)
	}
	if f.ContributionType == "in-kind" {
		p.Conditions = "in-kind"
	}
	p.Provenance = opt.provenance("", f.line, ftsExtra(f, field, shared))
	if err := p.Validate(); err != nil {
		return nil, false, err
	}
	return p, false, nil
}

// ftsRecipient is recipient when a destination location of f names it
// ("" when none does), and whether that destination is shared; a
// destination that names no known place, maybe a misspelling of the
// recipient, is an error when none names it.
func ftsRecipient(f *ftsFlow, recipient string, opt *Options) (to string, shared bool, err error) {
	var locErr error
	for _, o := range f.Destination {
		if o.Type != "Location" {
			continue
		}
		iso, err := opt.Names.Resolve(o.Name)
		if err != nil {
			if _, real := opt.Names.lookup(o.Name); !real {
				locErr = err // a misspelling, maybe of the recipient
			}
			continue
		}
		if iso == recipient {
			to, shared = iso, o.Behavior == "shared"
		}
	}
	if to == "" && locErr != nil {
		return "", false, fieldErr("destinationObjects", "%v", locErr)
	}
	return to, shared, nil
}

// ftsDonor is the source organisation of f, else its source location.
func ftsDonor(f *ftsFlow, opt *Options) (string, error) {
	donor := ""
	var donorErr error
	for _, typ := range []string{"Organization", "Location"} {
		for _, o := range f.Source {
			if o.Type != typ || donor != "" {
				continue
			}
			iso, err := opt.Names.Resolve(o.Name)
			if err != nil {
				if donorErr == nil {
					donorErr = err
				}
				continue
			}
			donor = iso
		}
	}
	if donor == "" {
		if donorErr == nil {
			donorErr = errors.New("no source organisation or location")
		}
		return "", fieldErr("sourceObjects", "%v", donorErr)
	}
	return donor, nil
}

// ftsAmount is f's original amount in minor units of its currency, else its
// amount in USD.
func ftsAmount(f *ftsFlow) (int64, string, error) {
	cur, amount := strings.ToUpper(strings.TrimSpace(f.OriginalCurrency)), f.OriginalAmount.String()
	if cur == "" || amount == "" {
		cur, amount = "USD", f.AmountUSD.String()
	}
	if amount == "" {
		return 0, "", fieldErr("amountUSD", "the flow has no amount")
	}
	if !coalition.ValidCurrency(cur) {
		return 0, "", fieldErr("originalCurrency", "%s is not an ISO 4217 currency code", quote(f.OriginalCurrency))
	}
	minor, err := parseDecimal(amount, 1, cur)
	if err != nil {
		return 0, "", fieldErr("originalAmount", "%v", err)
	}
	if minor < 0 {
		return 0, "", fieldErr("originalAmount", "negative amount %s", amount)
	}
	return minor, cur, nil
}

// ftsExtra is what a pledge's provenance keeps of its flow; field names the
// flow's date used.
func ftsExtra(f *ftsFlow, field string, shared bool) map[string]string {
	extra := map[string]string{"flow_id": string(f.ID), "version_id": f.VersionID.String(), "value_date_field": field}
	if f.ParentFlowID != "" {
		extra["parent_flow_id"] = string(f.ParentFlowID)
	}
	if shared {
		extra["destination"] = "shared with other locations: the full amount is recorded"
	}
	if f.NewMoney != nil && !*f.NewMoney {
		extra["new_money"] = "false"
	}
	if f.RefCode != "" {
		extra["ref_code"] = f.RefCode
	}
	return extra
}
