package importer

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"coalition"
)

// CSVKinds are the record kinds of Coalition's own CSV format.
var CSVKinds = []string{"pledges", "deliveries", "requirements", "engagements", "risk-events"}

// CSVColumns is the documented header of each kind (docs/importers.md).
// Columns may come in any order; unknown columns are an error, missing
// optional ones are empty.
var CSVColumns = map[string][]string{
	"pledges": {"source_ref", "donor", "recipient", "category", "status", "amount", "currency", "value_date", "amount_eur", "fx_rate",
		"fx_month", "quantity", "unit", "announced", "deliver_from", "deliver_to", "conditions", "visibility", "coalition_id", "source", "as_of"},
	"deliveries":   {"source_ref", "pledge_source", "pledge_ref", "pledge_id", "date", "amount_eur", "quantity", "source", "over_delivery"},
	"requirements": {"source_ref", "recipient", "category", "amount_eur", "quantity", "unit_value_eur", "from", "to", "priority", "visibility", "coalition_id", "source"},
	"engagements":  {"source_ref", "date", "kind", "title", "summary", "participants", "topics", "asks", "outcomes", "visibility", "coalition_id", "source"},
	"risk-events":  {"iso3", "date", "kind", "label", "probability", "factor", "source", "assumption"},
}

// csvRequired are the columns each kind cannot do without.
var csvRequired = map[string][]string{
	"pledges":      {"donor", "category", "amount", "currency", "announced"},
	"deliveries":   {"date"},
	"requirements": {"recipient", "category", "from", "to"},
	"engagements":  {"date", "kind", "participants"},
	"risk-events":  {"iso3", "date", "kind", "probability", "factor"},
}

var csvExamples = map[string][]string{
	"pledges": {"NO-2024-001", "Norway", "UKR", "air-defence", "committed", "1200000000", "NOK", "2024-01-15", "", "", "", "2", "NASAMS launcher",
		"2024-01-15", "2024-03", "2024-12", "", "public", "", "https://www.regjeringen.no/…", "2024-06-30"},
	"deliveries":   {"NO-2024-001/d1", "csv: pledges.csv", "NO-2024-001", "", "2024-05-02", "50000000.00", "1", "https://…", ""},
	"requirements": {"UKR-AD-2025", "UKR", "air-defence", "250000000.00", "", "", "2025-01", "2025-12", "1", "public", "", "https://…"},
	"engagements": {"call-2025-03-15", "2025-03-15", "call", "Leaders' call on a coalition of the willing",
		"Video call of 26 leaders on security guarantees", "Keir Starmer|Prime Minister|GBR;Emmanuel Macron|President|FRA", "coalition;security guarantees",
		"", "", "public", "", "https://www.gov.uk/…"},
	"risk-events": {"USA", "2026-11-03", "election", "US midterm elections", "0.3", "0.5", "https://www.fec.gov/…", "analyst assumption"},
}

// CSVTemplate writes the header and an example row of kind.
func CSVTemplate(w io.Writer, kind string) error {
	cols, ok := CSVColumns[kind]
	if !ok {
		return coalition.Errorf(coalition.Invalid, "--template %q: want one of %s", kind, strings.Join(CSVKinds, ", "))
	}
	cw := csv.NewWriter(w)
	cw.Write(cols)
	cw.Write(csvExamples[kind])
	cw.Flush()
	return cw.Error()
}

// DetectCSVKind tells the kind from the whole header: the one kind whose
// required columns are all present and that has every column of the
// header (issue 24: one column such as "date" decided it). Two kinds that
// fit equally are not told apart: the caller asks for --kind.
func DetectCSVKind(header []string) (string, bool) {
	best, bestN, tie := "", 0, false
	for _, k := range CSVKinds {
		missing, unknown, n := csvFit(header, k)
		if len(missing) > 0 || len(unknown) > 0 {
			continue
		}
		switch {
		case n > bestN:
			best, bestN, tie = k, n, false
		case n == bestN:
			tie = true
		}
	}
	return best, best != "" && !tie
}

// csvFit compares a header with kind's columns: the required columns it
// lacks, the columns the kind does not have, and how many it shares.
func csvFit(header []string, kind string) (missing, unknown []string, shared int) {
	have := map[string]bool{}
	for _, h := range header {
		have[cleanHeader(h)] = true
	}
	for _, c := range csvRequired[kind] {
		if !have[c] {
			missing = append(missing, c)
		}
	}
	cols := map[string]bool{}
	for _, c := range CSVColumns[kind] {
		cols[c] = true
	}
	for _, h := range header {
		if c := cleanHeader(h); c != "" && !cols[c] {
			unknown = append(unknown, c)
		} else if c != "" {
			shared++
		}
	}
	return missing, unknown, shared
}

// csvClosestKind says which kind the header comes nearest to and what it
// lacks, for the error when no kind fits.
func csvClosestKind(header []string) string {
	best, bestN := "", -1
	var why []string
	for _, k := range CSVKinds {
		missing, unknown, n := csvFit(header, k)
		if n-len(missing)-len(unknown) > bestN {
			best, bestN = k, n-len(missing)-len(unknown)
			why = nil
			if len(missing) > 0 {
				why = append(why, "missing "+strings.Join(missing, ", "))
			}
			if len(unknown) > 0 {
				why = append(why, "not its columns: "+strings.Join(unknown, ", "))
			}
		}
	}
	if len(why) == 0 {
		return best
	}
	return best + " (" + strings.Join(why, "; ") + ")"
}

func cleanHeader(h string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
}

// csvRow is one record with its line, addressed by column name.
type csvRow struct {
	col  map[string]int
	rec  []string
	line int
	file string
	e    *errs
	bad  bool
}

func (r *csvRow) get(name string) string {
	i, ok := r.col[name]
	if !ok {
		return ""
	}
	v := strings.TrimSpace(r.rec[i])
	if v == "." {
		return ""
	}
	return v
}

func (r *csvRow) fail(field string, format string, args ...any) {
	r.bad = true
	r.e.add(r.file, "", r.line, field, fmt.Errorf(format, args...))
}

func (r *csvRow) date(name string, required bool) coalition.Date {
	s := r.get(name)
	if s == "" {
		if required {
			r.fail(name, "is required")
		}
		return coalition.Date{}
	}
	d, err := parseDate(s)
	if err != nil {
		r.fail(name, "%v", err)
	}
	return d
}

func (r *csvRow) month(name string, required bool) coalition.Month {
	s := r.get(name)
	if s == "" {
		if required {
			r.fail(name, "is required")
		}
		return 0
	}
	m, err := parseMonth(s)
	if err != nil {
		r.fail(name, "%v", err)
	}
	return m
}

// money parses a non-negative decimal in major units into minor units of cur.
func (r *csvRow) money(name, cur string, required bool) int64 {
	s := r.get(name)
	if s == "" {
		if required {
			r.fail(name, "is required")
		}
		return 0
	}
	v, err := parseDecimal(s, 1, cur)
	switch {
	case err != nil:
		r.fail(name, "%v", err)
	case v < 0:
		r.fail(name, "negative amount %s", s)
	}
	return v
}

func (r *csvRow) optInt(name string) *int64 {
	s := r.get(name)
	if s == "" {
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		r.fail(name, "%s is not a whole number", quote(s))
		return nil
	}
	if v < 0 {
		r.fail(name, "must not be negative")
	}
	return &v
}

func (r *csvRow) float(name string) float64 {
	s := r.get(name)
	if s == "" {
		r.fail(name, "is required")
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		r.fail(name, "%s is not a number", quote(s))
	}
	return v
}

// hashRef is the natural key of a row whose source gives none.
func (r *csvRow) hashRef() string {
	h := sha256.New()
	for _, f := range r.rec {
		h.Write([]byte(strings.TrimSpace(f)))
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:24]
}

// csvFields checks every field with csvText; it returns the index of the
// first bad one.
func csvFields(rec []string) (int, error) {
	for i, f := range rec {
		if err := csvText(f); err != nil {
			return i, err
		}
	}
	return 0, nil
}

// fieldOf returns the field a domain error names, or def.
func fieldOf(err error, def string) string {
	var ce *coalition.Error
	if errors.As(err, &ce) && ce.Field != "" {
		return ce.Field
	}
	return def
}

// CSV reads Coalition's own CSV of one kind ("" detects it from the
// header) and sends every valid record to sink. All row errors are returned
// together; the caller decides whether the valid records stand.
func CSV(ctx context.Context, r io.Reader, kind string, opt Options, sink Sink) (Stats, error) {
	opt.defaults("csv")
	var st Stats
	e := &errs{max: opt.MaxErrors}
	cr, _ := newCSVReader(r)
	header, err := csvHeader(cr, opt.File)
	if err != nil {
		return st, err
	}
	kind, err = csvKindOf(kind, header, opt.File)
	if err != nil {
		return st, err
	}
	col := csvColumnsOf(header, kind, opt.File, e)
	if len(e.list) > 0 {
		return st, e.err()
	}
	parse := csvParsers[kind]
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if !csvReadError(err, header, opt.File, e, &st) {
				return st, e.err()
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		st.Rows++
		if i, err := csvFields(rec); err != nil {
			e.add(opt.File, "", line, cleanHeader(header[i]), err)
			st.Invalid++
			continue
		}
		row := &csvRow{col: col, rec: rec, line: line, file: opt.File, e: e}
		send := parse(ctx, row, &opt, sink)
		if row.bad || send == nil {
			st.Invalid++
			continue
		}
		if err := send(); err != nil {
			e.add(opt.File, "", line, fieldOf(err, "record"), err)
			st.Invalid++
			continue
		}
		st.Records++
	}
	return st, e.err()
}

// csvParsers turn a row of each kind into the call that sends its record
// (nil when the row is invalid, its errors recorded on the row).
var csvParsers = map[string]func(context.Context, *csvRow, *Options, Sink) func() error{
	"pledges":      csvPledge,
	"deliveries":   csvDelivery,
	"requirements": csvRequirement,
	"engagements":  csvEngagement,
	"risk-events":  csvRiskEvent,
}

// csvHeader reads the header row and checks its text, because a file that
// is not text should be refused at line 1, not row by row.
func csvHeader(cr *csv.Reader, file string) ([]string, error) {
	header, err := readCSVHeader(cr, file)
	if err != nil {
		return nil, err
	}
	if i, err := csvFields(header); err != nil {
		return nil, Errors{{File: file, Row: 1, Field: fmt.Sprintf("column %d", i+1), Err: err}}
	}
	return header, nil
}

// csvKindOf is the kind asked for, or the one the header shows; the error
// points to the templates, as a wrong header is the usual mistake.
func csvKindOf(kind string, header []string, file string) (string, error) {
	if kind == "" {
		k, ok := DetectCSVKind(header)
		if !ok {
			return "", Errors{{File: file, Row: 1, Field: "header", Err: fmt.Errorf("the header %s is not exactly one of the kinds %s; closest: %s (see coalition import csv --template KIND, or give --kind)",
				quote(strings.Join(header, ",")), strings.Join(CSVKinds, ", "), csvClosestKind(header))}}
		}
		kind = k
	}
	if _, ok := CSVColumns[kind]; !ok {
		return "", coalition.Errorf(coalition.Invalid, "csv kind %q: want one of %s", kind, strings.Join(CSVKinds, ", "))
	}
	return kind, nil
}

// csvColumnsOf maps the header's columns to their index, recording every
// unknown, repeated or missing required column at once, so that one run
// shows all that is wrong with a header.
func csvColumnsOf(header []string, kind, file string, e *errs) map[string]int {
	cols := CSVColumns[kind]
	known := map[string]bool{}
	for _, c := range cols {
		known[c] = true
	}
	col := map[string]int{}
	for i, h := range header {
		h = cleanHeader(h)
		if !known[h] {
			e.add(file, "", 1, h, fmt.Errorf("unknown column for %s (want %s)", kind, strings.Join(cols, ",")))
			continue
		}
		if _, dup := col[h]; dup {
			e.add(file, "", 1, h, fmt.Errorf("column appears twice"))
		}
		col[h] = i
	}
	for _, c := range csvRequired[kind] {
		if _, ok := col[c]; !ok {
			e.add(file, "", 1, c, fmt.Errorf("missing required column"))
		}
	}
	return col
}

// csvReadError records a row the CSV reader refused and says whether
// reading may go on: only after a wrong field count, since after a quote
// error or a long line the rest of the file cannot be trusted.
func csvReadError(err error, header []string, file string, e *errs, st *Stats) bool {
	var le *LongLineError
	var pe *csv.ParseError
	switch {
	case errors.As(err, &le):
		field := "row"
		if le.Field < len(header) {
			field = cleanHeader(header[le.Field])
		}
		e.add(file, "", le.Line, field, le)
		st.Invalid++
		return false
	case errors.As(err, &pe):
		line := pe.Line
		fieldCount := errors.Is(pe.Err, csv.ErrFieldCount)
		if pe.StartLine != 0 && fieldCount {
			line = pe.StartLine
		}
		e.add(file, "", line, "row", pe.Err)
		st.Invalid++
		return fieldCount
	}
	e.add(file, "", 0, "file", err)
	return false
}

func (r *csvRow) source(opt *Options) string {
	if s := r.get("source"); s != "" {
		return s
	}
	return opt.Source
}

func (r *csvRow) visibility() coalition.Visibility {
	v := coalition.Visibility(r.get("visibility"))
	if v == "" {
		return coalition.Public
	}
	if !v.Valid() {
		r.fail("visibility", "%s is not one of public, coalition, confidential", quote(string(v)))
	}
	return v
}

func (r *csvRow) country(name string, opt *Options, def string) string {
	s := r.get(name)
	if s == "" {
		if def != "" {
			return def
		}
		r.fail(name, "is required")
		return ""
	}
	iso, err := opt.Names.Resolve(s)
	if err != nil {
		r.fail(name, "%v", err)
	}
	return iso
}

func csvPledge(ctx context.Context, r *csvRow, opt *Options, sink Sink) func() error {
	cur := strings.ToUpper(r.get("currency"))
	if !coalition.ValidCurrency(cur) {
		r.fail("currency", "%s is not an ISO 4217 currency code", quote(r.get("currency")))
		return nil
	}
	rec := opt.Recipient
	if rec == "" {
		rec = "UKR"
	}
	p := &coalition.Pledge{
		Donor: r.country("donor", opt, ""), Recipient: r.country("recipient", opt, rec),
		Category: r.get("category"), Status: coalition.PledgeStatus(r.get("status")),
		Amount:    coalition.Money{Minor: r.money("amount", cur, true), Currency: cur},
		Quantity:  r.optInt("quantity"),
		Unit:      r.get("unit"),
		Announced: r.date("announced", true), DeliverFrom: r.month("deliver_from", false), DeliverTo: r.month("deliver_to", false),
		Conditions: r.get("conditions"), Visibility: r.visibility(), CoalitionID: r.optInt("coalition_id"),
		Source: r.source(opt), SourceRef: r.get("source_ref"), AsOf: r.date("as_of", false),
	}
	if p.Status == "" {
		p.Status = coalition.Announced
	}
	if p.AsOf.IsZero() {
		p.AsOf = opt.AsOf
	}
	if p.SourceRef == "" {
		p.SourceRef = r.hashRef()
	}
	if r.get("amount_eur") != "" {
		r.givenEUR(p)
	} else if !r.bad {
		r.convertEUR(p, opt)
	}
	if r.bad {
		return nil
	}
	p.Provenance = opt.provenance("", r.line, nil)
	if err := p.Validate(); err != nil {
		r.fail(fieldOf(err, "record"), "%v", err)
		return nil
	}
	return func() error { return sink.Pledge(ctx, p) }
}

// givenEUR keeps the euro amount the row gives, with its rate and month:
// an export read back must not be converted a second time.
func (r *csvRow) givenEUR(p *coalition.Pledge) {
	p.AmountEUR = r.money("amount_eur", "EUR", false)
	p.FXMonth = r.month("fx_month", false)
	if s := r.get("fx_rate"); s != "" {
		p.FXRate = r.float("fx_rate")
	}
}

// convertEUR converts the pledge at the rate of its value date, which
// defaults to the announcement as for every importer.
func (r *csvRow) convertEUR(p *coalition.Pledge, opt *Options) {
	vd := r.date("value_date", false)
	if vd.IsZero() {
		vd = p.Announced
	}
	if err := opt.FX.Convert(p, vd); err != nil {
		r.fail("currency", "%v", err)
	}
}

func csvDelivery(ctx context.Context, r *csvRow, opt *Options, sink Sink) func() error {
	d := &coalition.Delivery{Date: r.date("date", true), AmountEUR: r.money("amount_eur", "EUR", false), Quantity: r.optInt("quantity"), Source: r.source(opt),
		OverDelivery: r.get("over_delivery")}
	pref, psrc := r.get("pledge_ref"), r.get("pledge_source")
	if psrc == "" {
		psrc = d.Source
	}
	if pref == "" {
		id := r.optInt("pledge_id")
		if id == nil {
			r.fail("pledge_ref", "a delivery needs pledge_ref (with pledge_source) or pledge_id")
		} else {
			d.PledgeID = *id
		}
	} else {
		d.PledgeID = 1 // resolved by the sink; set so that Validate passes
	}
	ref := r.get("source_ref")
	if ref == "" {
		ref = r.hashRef()
	}
	if r.bad {
		return nil
	}
	if err := d.Validate(); err != nil {
		r.fail(fieldOf(err, "record"), "%v", err)
		return nil
	}
	if pref != "" {
		d.PledgeID = 0
	}
	prov := opt.provenance("", r.line, nil)
	return func() error { return sink.Delivery(ctx, psrc, pref, ref, prov, d) }
}

func csvRequirement(ctx context.Context, r *csvRow, opt *Options, sink Sink) func() error {
	q := &coalition.Requirement{Recipient: r.country("recipient", opt, ""), Category: r.get("category"),
		AmountEUR: r.money("amount_eur", "EUR", false), Quantity: r.optInt("quantity"), UnitValue: r.money("unit_value_eur", "EUR", false),
		From: r.month("from", true), To: r.month("to", true), Visibility: r.visibility(), CoalitionID: r.optInt("coalition_id"), Source: r.source(opt)}
	if s := r.get("priority"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			r.fail("priority", "%s is not a whole number", quote(s))
		}
		q.Priority = v
	}
	ref := r.get("source_ref")
	if ref == "" {
		ref = r.hashRef()
	}
	if r.bad {
		return nil
	}
	if err := q.Validate(); err != nil {
		r.fail(fieldOf(err, "record"), "%v", err)
		return nil
	}
	prov := opt.provenance("", r.line, nil)
	return func() error { return sink.Requirement(ctx, ref, prov, q) }
}

// splitList splits "a;b; c" into trimmed, non-empty parts.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func csvEngagement(ctx context.Context, r *csvRow, opt *Options, sink Sink) func() error {
	e := &coalition.Engagement{Date: r.date("date", true), Kind: coalition.EngagementKind(r.get("kind")), Title: r.get("title"),
		Summary: r.get("summary"), Topics: splitList(r.get("topics")), Asks: r.get("asks"), Outcomes: r.get("outcomes"),
		Visibility: r.visibility(), CoalitionID: r.optInt("coalition_id"), Source: r.source(opt), SourceRef: r.get("source_ref")}
	if e.Topics == nil {
		e.Topics = []string{}
	}
	// participants: "Name|Role|Country; …", or just "Country; …".
	for _, p := range splitList(r.get("participants")) {
		f := strings.Split(p, "|")
		var part coalition.Participant
		switch len(f) {
		case 1:
			part.ISO3 = f[0]
		case 3:
			part.Name, part.Role, part.ISO3 = strings.TrimSpace(f[0]), strings.TrimSpace(f[1]), f[2]
		default:
			r.fail("participants", "%s: want Name|Role|Country or Country", quote(p))
			continue
		}
		iso, err := opt.Names.Resolve(part.ISO3)
		if err != nil {
			r.fail("participants", "%v", err)
			continue
		}
		part.ISO3 = iso
		e.Participants = append(e.Participants, part)
	}
	if e.SourceRef == "" {
		e.SourceRef = r.hashRef()
	}
	if r.bad {
		return nil
	}
	e.Provenance = opt.provenance("", r.line, nil)
	if err := e.Validate(); err != nil {
		r.fail(fieldOf(err, "record"), "%v", err)
		return nil
	}
	return func() error { return sink.Engagement(ctx, e) }
}

func csvRiskEvent(ctx context.Context, r *csvRow, opt *Options, sink Sink) func() error {
	ev := &coalition.RiskEvent{ISO3: r.country("iso3", opt, ""), Date: r.date("date", true), Kind: r.get("kind"), Label: r.get("label"),
		Probability: r.float("probability"), Factor: r.float("factor"), Source: r.source(opt), Assumption: r.get("assumption")}
	if r.bad {
		return nil
	}
	if err := ev.Validate(); err != nil {
		r.fail(fieldOf(err, "record"), "%v", err)
		return nil
	}
	return func() error { return sink.RiskEvent(ctx, ev) }
}
