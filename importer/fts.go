package importer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

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
	Type     string   `json:"type"`
	ID       ftsID    `json:"id"`
	Name     string   `json:"name"`
	Behavior string   `json:"behavior"`
	OrgTypes []string `json:"organizationTypes"`
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
	recipient, err := ftsFileRecipient(&opt)
	if err != nil {
		return st, err
	}
	tmp, size, err := ftsSpool(r, opt.File)
	if err != nil {
		return st, err
	}
	defer removeSpool(tmp)
	lines := &lineIndex{r: bufio.NewReaderSize(io.NewSectionReader(tmp, 0, size), 64<<10)}
	// A file that breaks off (truncated, or a syntax error) is an error at
	// that line; the flows before it are read (what --skip-invalid keeps).
	flows, err := ftsFlows(tmp, lines)
	var parseErr *RowError
	if err != nil {
		parseErr = ftsParseError(err, size, lines, opt.File)
	}
	byID, order := ftsOnce(flows, opt.File, e, &st)
	for _, f := range order {
		// A parent of zero (FTS's placeholder for a commitment split
		// into its children) is skipped itself: its children count.
		if p, ok := byID[f.ParentFlowID]; ok && f.ParentFlowID != "" && p.Status == f.Status && !ftsZero(p) {
			st.skip("part of a parent flow in the file")
			continue
		}
		ftsSend(ctx, f, recipient, &opt, sink, e, &st)
	}
	if parseErr != nil {
		e.list = append(e.list, parseErr)
		st.Invalid++
	}
	return st, e.err()
}

// ftsFileRecipient is the recipient of every flow in the file: UKR unless
// the import names another, which must be a known country.
func ftsFileRecipient(opt *Options) (string, error) {
	if opt.Recipient == "" {
		return "UKR", nil
	}
	iso, err := opt.Names.Resolve(opt.Recipient)
	if err != nil {
		return "", coalition.FieldError("recipient", "%v", err)
	}
	return iso, nil
}

// ftsSpool spools the file to disk through jsonLimit: one pass that stops
// at the size limit or at the first token or flow over its limit,
// whatever the input, with a copy buffer's worth of memory. Then it is
// decoded as a stream, one flow at a time.
func ftsSpool(r io.Reader, file string) (*os.File, int64, error) {
	jl := &jsonLimit{file: file, line: 1}
	tmp, size, err := spool(r, MaxFTSFile, jl)
	if err == nil {
		return tmp, size, nil
	}
	var re *RowError
	var tl *TooLargeError
	switch {
	case errors.As(err, &re):
		return nil, 0, Errors{re}
	case errors.As(err, &tl):
		return nil, 0, Errors{{File: file, Row: jl.line, Field: "file", Err: fmt.Errorf("larger than %d MB: split it by page", MaxFTSFile>>20)}}
	}
	return nil, 0, Errors{{File: file, Row: 0, Field: "file", Err: err}}
}

// ftsParseError places the error that ended decoding on its line, and
// words an empty or truncated file as such rather than as a JSON error.
func ftsParseError(err error, size int64, lines *lineIndex, file string) *RowError {
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
	return &RowError{File: file, Row: line, Field: "json", Err: err}
}

// ftsOnce keeps each flow id once, at its highest versionId (API pages
// overlap), in the order first seen; a flow without an id is refused.
func ftsOnce(flows []*ftsFlow, file string, e *errs, st *Stats) (map[ftsID]*ftsFlow, []*ftsFlow) {
	byID := map[ftsID]*ftsFlow{}
	var order []*ftsFlow
	for _, f := range flows {
		st.Rows++
		if f.ID == "" {
			e.add(file, "", f.line, "id", errors.New("is missing"))
			st.Invalid++
			continue
		}
		f.version, _ = f.VersionID.Float64()
		if old, ok := byID[f.ID]; ok {
			st.skip("older or repeated version of a flow")
			if f.version > old.version {
				*old = *f
			}
			continue
		}
		byID[f.ID] = f
		order = append(order, f)
	}
	return byID, order
}

// ftsSend turns one flow into its pledge and sends it, counting the flow as
// skipped, invalid or recorded.
func ftsSend(ctx context.Context, f *ftsFlow, recipient string, opt *Options, sink Sink, e *errs, st *Stats) {
	p, skip, err := ftsPledge(f, recipient, opt)
	if skip != "" {
		st.skip(skip)
		return
	}
	// The flow's id with the line: an API response is one line.
	if err != nil {
		field, cause := rowErrorOf(err, "flow")
		e.add(opt.File, "", f.line, field, &RecordError{Kind: "flow", ID: string(f.ID), Err: cause})
		st.Invalid++
		return
	}
	if err := sink.Pledge(ctx, p); err != nil {
		e.add(opt.File, "", f.line, fieldOf(err, "record"), &RecordError{Kind: "flow", ID: string(f.ID), Err: err})
		st.Invalid++
		return
	}
	if p.Amount.Currency == "USD" && ftsNoECBRate(f, opt) {
		st.flag("amountUSD used: no ECB rate for the original currency")
	}
	st.Records++
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
	fr := &ftsReader{d: json.NewDecoder(r), lines: lines}
	tok, err := fr.d.Token()
	if err != nil {
		return nil, err
	}
	if tok == json.Delim('[') {
		return fr.flows, fr.readArray()
	}
	if tok != json.Delim('{') {
		return nil, &ftsErr{1, errors.New("not an FTS flow response: want a JSON object with data.flows")}
	}
	if err := fr.walk(0); err != nil {
		return fr.flows, err
	}
	if !fr.found {
		return nil, &ftsErr{1, errors.New("no data.flows array: not an FTS flow response")}
	}
	return fr.flows, nil
}

// ftsReader walks a flow response token by token, so that nothing but the
// flows themselves is ever held in memory.
type ftsReader struct {
	d     *json.Decoder
	lines *lineIndex
	flows []*ftsFlow
	found bool // the first flows array was read; later ones are skipped
}

// readArray decodes the flows of an array whose '[' was read, up to
// MaxFTSFlows, each with the line it starts on.
func (fr *ftsReader) readArray() error {
	for fr.d.More() {
		start := fr.lines.start(fr.d.InputOffset())
		if len(fr.flows) == MaxFTSFlows {
			return &ftsErr{start, fmt.Errorf("more than %d flows: split the file by page", MaxFTSFlows)}
		}
		var f ftsFlow
		if err := fr.d.Decode(&f); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return &ftsErr{start, fmt.Errorf("flow field %s: %v", te.Field, err)}
			}
			return err
		}
		f.line = start
		fr.flows = append(fr.flows, &f)
	}
	_, err := fr.d.Token() // ]
	return err
}

// walk reads the members of an object whose '{' was read: it reads the
// first "flows", descends into a top-level "data" and skips the rest.
func (fr *ftsReader) walk(depth int) error {
	for fr.d.More() {
		kt, err := fr.d.Token()
		if err != nil {
			return err
		}
		key, _ := kt.(string)
		switch {
		case key == "flows" && !fr.found:
			err = fr.flowsMember()
		case key == "data" && depth == 0:
			err = fr.dataMember(depth)
		default:
			err = fr.skipValue()
		}
		if err != nil {
			return err
		}
	}
	_, err := fr.d.Token() // }
	return err
}

// flowsMember reads the value of "flows", which must be an array.
func (fr *ftsReader) flowsMember() error {
	t, err := fr.d.Token()
	if err != nil {
		return err
	}
	if t != json.Delim('[') {
		return &ftsErr{fr.lines.at(fr.d.InputOffset()), errors.New("flows is not an array")}
	}
	fr.found = true
	return fr.readArray()
}

// dataMember reads the value of "data": an object is walked for its flows,
// an array (another API's shape) is skipped.
func (fr *ftsReader) dataMember(depth int) error {
	t, err := fr.d.Token()
	if err != nil {
		return err
	}
	switch t {
	case json.Delim('{'):
		return fr.walk(depth + 1)
	case json.Delim('['):
		return skipRest(fr.d)
	}
	return nil
}

// skipValue skips a member's value token by token: the decoder never holds
// more than one token of it.
func (fr *ftsReader) skipValue() error {
	t, err := fr.d.Token()
	if err != nil {
		return err
	}
	if t == json.Delim('[') || t == json.Delim('{') {
		return skipRest(fr.d)
	}
	return nil
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

// ftsPledge is the pledge of one flow, or why the flow is out of scope
// (skip): to another recipient, or from a donor that is not a state or an
// EU institution.
func ftsPledge(f *ftsFlow, recipient string, opt *Options) (p *coalition.Pledge, skip string, err error) {
	status, ok := FTSStatus[strings.ToLower(strings.TrimSpace(f.Status))]
	if !ok {
		return nil, "", fieldErr("status", "%s is not one of pledge, commitment, paid", quote(f.Status))
	}
	to, shared, err := ftsRecipient(f, recipient, opt)
	if err != nil {
		return nil, "", err
	}
	if to == "" {
		return nil, skipOtherRecipient, nil
	}
	donor, skip, err := ftsDonor(f, opt)
	if err != nil || skip != "" {
		return nil, skip, err
	}
	minor, cur, err := ftsAmount(f, opt)
	if err != nil {
		return nil, "", err
	}
	if minor == 0 {
		return nil, "zero amount", nil
	}
	date, field, err := ftsFlowDate(f)
	if err != nil {
		return nil, "", err
	}
	p = &coalition.Pledge{Donor: donor, Recipient: to, Category: "humanitarian", Amount: coalition.Money{Minor: minor, Currency: cur},
		Announced: date, Status: status, Visibility: coalition.Public, Source: opt.Source, SourceRef: "fts-flow-" + string(f.ID), AsOf: opt.AsOf,
		Dataset: coalition.FTSDataset} // one record a flow, whatever the file (coalition.FlowDataset)
	if err := opt.FX.Convert(p, date); err != nil {
		return nil, "", fieldErr("originalCurrency", "%v", err)
	}
	// FTS writes "in kind" in API responses, "in-kind" in some exports.
	if ct := strings.ReplaceAll(strings.ToLower(f.ContributionType), " ", "-"); ct == "in-kind" {
		p.Conditions = "in-kind"
	}
	p.Provenance = opt.provenance("", f.line, ftsExtra(f, field, shared, cur))
	if err := p.Validate(); err != nil {
		return nil, "", err
	}
	return p, "", nil
}

// ftsFlowDate is the first date the flow gives, in the order FTS itself
// uses (the flow date, the decision, the first report), and which field it
// came from, for the provenance.
func ftsFlowDate(f *ftsFlow) (coalition.Date, string, error) {
	for _, c := range []struct{ name, v string }{{"date", f.Date}, {"decisionDate", f.DecisionDate}, {"firstReportedDate", f.FirstReported}} {
		if c.v == "" {
			continue
		}
		date, err := ftsDate(c.v)
		if err != nil {
			return coalition.Date{}, "", fieldErr(c.name, "%v", err)
		}
		return date, c.name, nil
	}
	return coalition.Date{}, "", fieldErr("date", "the flow has no date, decisionDate or firstReportedDate")
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
			// Another place (a region, a country not in the
			// database) is out of scope; a name within two edits of
			// the recipient's is a misspelling of it.
			if _, real := opt.Names.lookup(o.Name); !real && opt.Names.nearName(o.Name, recipient) {
				locErr = err
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
// A source organisation that FTS types as other than a government (an
// NGO, a UN agency, a private donor, a pooled fund) is not a state: the
// flow is skipped (skip says why), never attributed to the country where
// the organisation sits; an EU service that resolves (ECHO, the European
// Commission, typed Inter-governmental) stays the EU's.
func ftsDonor(f *ftsFlow, opt *Options) (donor, skip string, err error) {
	if o, ok := ftsNonState(f, opt); ok {
		return "", "donor not a state or EU institution: " + strings.Join(o.OrgTypes, ", "), nil
	}
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
		return "", "", fieldErr("sourceObjects", "%v", donorErr)
	}
	return donor, "", nil
}

// ftsZero reports whether a flow's amounts are zero (or absent).
func ftsZero(f *ftsFlow) bool {
	usd, _ := f.AmountUSD.Float64()
	orig, _ := f.OriginalAmount.Float64()
	return usd == 0 && orig == 0
}

// ftsNonState is the flow's first source organisation when FTS types it,
// the types include no government, and its name is not one of a state or
// the EU's.
func ftsNonState(f *ftsFlow, opt *Options) (ftsObject, bool) {
	for _, o := range f.Source {
		if o.Type != "Organization" || len(o.OrgTypes) == 0 {
			continue
		}
		for _, t := range o.OrgTypes {
			if strings.EqualFold(t, "Government") {
				return o, false
			}
		}
		if _, known := opt.Names.lookup(o.Name); known {
			return o, false
		}
		return o, true
	}
	return ftsObject{}, false
}

// ftsNoECBRate reports whether the ECB publishes no rate for f's original
// currency at all, so that its amount in USD is what FTS gives for it.
func ftsNoECBRate(f *ftsFlow, opt *Options) bool {
	cur := strings.ToUpper(strings.TrimSpace(f.OriginalCurrency))
	if cur == "" || cur == "USD" || cur == "EUR" || opt.FX == nil || !coalition.ValidCurrency(cur) {
		return false
	}
	// Any rate up to 2100, or in the ECB's history: a currency the ECB
	// publishes has one, even when it has none for the flow's month (which
	// stays an error).
	_, err := opt.FX.Rate(cur, coalition.MonthOf(2100, time.January))
	return err != nil && !coalition.HistoricCurrency(cur)
}

// ftsAmount is f's original amount in minor units of its currency, else
// (no original amount, or a currency the ECB gives no rate for, such as
// SAR or AED) its amount in USD as FTS converted it.
func ftsAmount(f *ftsFlow, opt *Options) (int64, string, error) {
	cur, amount := strings.ToUpper(strings.TrimSpace(f.OriginalCurrency)), f.OriginalAmount.String()
	if cur == "" || amount == "" || (f.AmountUSD.String() != "" && ftsNoECBRate(f, opt)) {
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
func ftsExtra(f *ftsFlow, field string, shared bool, cur string) map[string]string {
	extra := map[string]string{"flow_id": string(f.ID), "version_id": f.VersionID.String(), "value_date_field": field}
	if orig := strings.ToUpper(strings.TrimSpace(f.OriginalCurrency)); orig != "" && orig != cur {
		extra["original"] = f.OriginalAmount.String() + " " + orig + " (no ECB rate: amountUSD used)"
	}
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
