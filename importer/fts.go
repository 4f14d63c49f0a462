package importer

import (
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
	Description      string      `json:"description"`
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
	data, err := io.ReadAll(io.LimitReader(r, MaxFTSFile+1))
	if err != nil {
		return st, Errors{{File: opt.File, Row: 0, Field: "file", Err: err}}
	}
	if len(data) > MaxFTSFile {
		return st, Errors{{File: opt.File, Row: 0, Field: "file", Err: fmt.Errorf("larger than %d MB: split it by page", MaxFTSFile>>20)}}
	}
	lines := lineIndex{data: data}
	flows, err := ftsFlows(data, &lines)
	if err != nil {
		var se *json.SyntaxError
		line := 1
		if errors.As(err, &se) {
			line = lines.at(se.Offset)
		}
		var fe *ftsErr
		if errors.As(err, &fe) {
			line, err = fe.line, fe.err
		}
		return st, Errors{{File: opt.File, Row: line, Field: "json", Err: err}}
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
	return st, e.err()
}

type ftsErr struct {
	line int
	err  error
}

func (e *ftsErr) Error() string { return e.err.Error() }

// ftsFlows finds data.flows (or flows, or a top-level array) and decodes
// each flow, noting its line.
func ftsFlows(data []byte, lines *lineIndex) ([]*ftsFlow, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	var flows []*ftsFlow
	readArray := func() error {
		for d.More() {
			off := d.InputOffset()
			var f ftsFlow
			if err := d.Decode(&f); err != nil {
				var te *json.UnmarshalTypeError
				if errors.As(err, &te) {
					return &ftsErr{lines.at(off + skipSpace(data[off:])), fmt.Errorf("flow field %s: %v", te.Field, err)}
				}
				return err
			}
			f.line = lines.at(off + skipSpace(data[off:]))
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
				var skip json.RawMessage
				if err := d.Decode(&skip); err != nil {
					return err
				}
			}
		}
		_, err := d.Token() // }
		return err
	}
	if err := walk(0); err != nil {
		return nil, err
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

func skipSpace(b []byte) int64 {
	for i, c := range b {
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != ',' {
			return int64(i)
		}
	}
	return int64(len(b))
}

// lineIndex turns byte offsets into 1-based lines, for offsets that grow.
type lineIndex struct {
	data []byte
	off  int64
	line int
}

func (l *lineIndex) at(off int64) int {
	if off < l.off {
		l.off, l.line = 0, 0
	}
	if off > int64(len(l.data)) {
		off = int64(len(l.data))
	}
	l.line += bytes.Count(l.data[l.off:off], []byte{'\n'})
	l.off = off
	return l.line + 1
}

func ftsDate(s string) (coalition.Date, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 10 {
		s = s[:10]
	}
	return coalition.ParseDate(s)
}

func ftsPledge(f *ftsFlow, recipient string, opt *Options) (*coalition.Pledge, bool, error) {
	status, ok := FTSStatus[strings.ToLower(strings.TrimSpace(f.Status))]
	if !ok {
		return nil, false, fieldErr("status", "%q is not one of pledge, commitment, paid", f.Status)
	}
	// Recipient: a destination location.
	to, shared := "", false
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
	if to == "" {
		if locErr != nil {
			return nil, false, fieldErr("destinationObjects", "%v", locErr)
		}
		return nil, true, nil // not a flow to the recipient
	}
	// Donor: the source organisation, else the source location.
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
		return nil, false, fieldErr("sourceObjects", "%v", donorErr)
	}
	cur, amount := strings.ToUpper(strings.TrimSpace(f.OriginalCurrency)), f.OriginalAmount.String()
	if cur == "" || amount == "" {
		cur, amount = "USD", f.AmountUSD.String()
	}
	if amount == "" {
		return nil, false, fieldErr("amountUSD", "the flow has no amount")
	}
	if !coalition.ValidCurrency(cur) {
		return nil, false, fieldErr("originalCurrency", "%q is not an ISO 4217 currency code", f.OriginalCurrency)
	}
	minor, err := coalition.ParseDecimal(amount, 1, cur)
	if err != nil {
		return nil, false, fieldErr("originalAmount", "%v", err)
	}
	if minor < 0 {
		return nil, false, fieldErr("originalAmount", "negative amount %s", amount)
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
	p.Provenance = opt.provenance("", f.line, extra)
	if err := p.Validate(); err != nil {
		return nil, false, err
	}
	return p, false, nil
}
