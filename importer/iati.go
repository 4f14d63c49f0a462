package importer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"coalition"
)

// IATITransactionStatus maps IATI TransactionType codes to the pledge
// lifecycle (docs/importers.md). Types not listed (5 interest repayment,
// 6 loan repayment, 7 reimbursement, 8 purchase of equity, 9 sale of
// equity, 10 credit guarantee) are not support to the recipient and are
// skipped.
var IATITransactionStatus = map[string]coalition.PledgeStatus{
	"12": coalition.Announced, // outgoing pledge
	"13": coalition.Announced, // incoming pledge
	"2":  coalition.Committed, // outgoing commitment
	"11": coalition.Committed, // incoming commitment
	"3":  coalition.Delivered, // disbursement
	"4":  coalition.Delivered, // expenditure
	"1":  coalition.Delivered, // incoming funds
}

// incoming are the transaction types reported by the receiving side.
var incoming = map[string]bool{"1": true, "11": true, "13": true}

// iatiOrg is an organisation element: ref, type, narrative, activity id.
type iatiOrg struct{ ref, typ, name, activity string }

type iatiTx struct {
	line                 int
	ref, typ, date       string
	value, cur, valDate  string
	provider, receiver   iatiOrg
	humanitarian         string
	financeType, country string
	sector               string
	net                  iatiNet // what reversals did to it
}

type iatiActivity struct {
	line                       int
	id, defCur, humanitarian   string
	reporting                  iatiOrg
	funding                    iatiOrg // participating-org role 1
	countries                  []iatiCountry
	sector, financeType, scope string
	start, end                 string
	txs                        []*iatiTx
	budgets, planned           int
}

type iatiCountry struct {
	code string
	pct  float64
}

// IATI streams IATI 2.x activity XML: one pledge per transaction of a
// mapped type (see IATITransactionStatus) to opt.Recipient (every recipient
// when empty). Memory stays constant in the file size: one activity is
// held at a time.
//
// The parser walks RawToken and keeps its state in an iatiParser, one
// method per kind of token. Decoding each <iati-activity> with
// xml.Decoder.DecodeElement into tagged structs would be shorter but is not
// done: DecodeElement gives no position for the elements inside the
// activity, and every error here names the line of its own transaction or
// recipient-country element (file:line:field); it also goes through
// Token (namespace translation, nesting checks) and reflection, where the
// import's goal is at most 2× a bare RawToken pass (issue 22;
// docs/benchmarks.md has where it stands).
func IATI(ctx context.Context, r io.Reader, opt Options, sink Sink) (Stats, error) {
	opt.defaults("iati")
	p := &iatiParser{ctx: ctx, opt: &opt, sink: sink, e: &errs{max: opt.MaxErrors}}
	if opt.Recipient != "" {
		iso, err := opt.Names.Resolve(opt.Recipient)
		if err != nil {
			return p.st, coalition.FieldError("recipient", "%v", err)
		}
		p.recipient = iso
	}
	// Read in 64 KB pieces: the decoder's own buffer is 4 KB, a read of
	// the file each.
	p.d = xml.NewDecoder(&tagLimit{r: bufio.NewReaderSize(r, 64<<10), max: MaxLine})
	p.d.Strict = true
	for n := 0; ; n++ {
		// Every 64 tokens: ctx.Err takes a lock, and a token is ~1 µs.
		if n%64 == 0 {
			if err := ctx.Err(); err != nil {
				return p.st, err
			}
		}
		tok, err := p.d.RawToken()
		if err != nil {
			p.readError(err)
			break
		}
		stop := false
		switch t := tok.(type) {
		case xml.StartElement:
			stop = p.start(t)
		case xml.CharData:
			stop = p.charData(t)
		case xml.EndElement:
			stop = p.end(t)
		}
		if stop {
			break
		}
	}
	return p.st, p.e.err()
}

// iatiParser is IATI's state between tokens.
type iatiParser struct {
	ctx       context.Context
	opt       *Options
	sink      Sink
	recipient string // ISO3; "" for every recipient
	d         *xml.Decoder
	e         *errs
	st        Stats

	path   []string // the open elements
	act    *iatiActivity
	tx     *iatiTx
	org    *iatiOrg // the organisation whose narrative is its name
	text   []byte
	inText bool // text is being collected for the open element
	root   bool // <iati-activities> was seen

	// Kept from one activity to the next, not to allocate them again:
	// the transactions of emitted activities and their list, the
	// references an activity used (iatiEmitter.seen), and the
	// organisation names read (a file repeats the same few).
	free  []*iatiTx
	txs   []*iatiTx // an emitted activity's list, empty
	seen  map[string]int
	names map[string]string
}

// readError records the error (or the end of the file) that ended the
// token stream.
func (p *iatiParser) readError(err error) {
	opt, e := p.opt, p.e
	if err == io.EOF {
		if len(p.path) > 0 {
			line, _ := p.d.InputPos()
			e.add(opt.File, "", line, "xml", fmt.Errorf("the file ends inside <%s>: truncated?", p.path[len(p.path)-1]))
		} else if !p.root {
			e.add(opt.File, "", 1, "xml", errors.New("no <iati-activities> element: not an IATI activity file"))
		}
		return
	}
	line, _ := p.d.InputPos()
	var le *LongLineError
	var se *xml.SyntaxError
	switch {
	case errors.As(err, &le):
		e.add(opt.File, "", le.Line, "xml", le)
	case errors.As(err, &se):
		// The line is the error's row, not repeated in its text.
		e.add(opt.File, "", se.Line, "xml", fmt.Errorf("XML syntax error: %s", se.Msg))
	default:
		e.add(opt.File, "", line, "xml", err)
	}
}

// collect starts collecting the open element's text.
func (p *iatiParser) collect() { p.inText, p.text = true, p.text[:0] }

// start opens an element; it reports whether parsing must stop.
func (p *iatiParser) start(t xml.StartElement) bool {
	name := t.Name.Local
	p.path = append(p.path, name)
	line, _ := p.d.InputPos()
	switch {
	case len(p.path) == 1:
		if name != "iati-activities" {
			p.e.add(p.opt.File, "", line, "xml", fmt.Errorf("root element <%s>: want <iati-activities> (an IATI activity file)", name))
			return true
		}
		p.root = true
	case name == "iati-activity" && len(p.path) == 2:
		p.act = &iatiActivity{line: line, defCur: attr(t, "default-currency"), humanitarian: attr(t, "humanitarian"), txs: p.txs}
		p.txs = nil
	case p.act == nil:
	case name == "transaction" && len(p.path) == 3:
		p.tx = p.newTx()
		p.tx.line, p.tx.ref, p.tx.humanitarian = line, attr(t, "ref"), attr(t, "humanitarian")
	case p.tx != nil:
		p.txElement(name, t)
	case len(p.path) == 3:
		p.activityElement(name, t, line)
	case name == "narrative" && p.org != nil && p.org.name == "" && len(p.path) == 4:
		p.collect()
	}
	return false
}

// txElement reads an element inside a transaction.
func (p *iatiParser) txElement(name string, t xml.StartElement) {
	tx := p.tx
	switch name {
	case "transaction-type":
		tx.typ = attr(t, "code")
	case "transaction-date":
		tx.date = attr(t, "iso-date")
	case "value":
		tx.cur, tx.valDate = attr(t, "currency"), attr(t, "value-date")
		p.collect()
	case "provider-org":
		tx.provider = iatiOrg{ref: attr(t, "ref"), typ: attr(t, "type"), activity: attr(t, "provider-activity-id")}
		p.org = &tx.provider
	case "receiver-org":
		tx.receiver = iatiOrg{ref: attr(t, "ref"), typ: attr(t, "type"), activity: attr(t, "receiver-activity-id")}
		p.org = &tx.receiver
	case "finance-type":
		tx.financeType = attr(t, "code")
	case "recipient-country":
		tx.country = attr(t, "code")
	case "sector":
		if tx.sector == "" {
			tx.sector = attr(t, "code")
		}
	case "narrative":
		if p.org != nil && p.org.name == "" {
			p.collect()
		}
	}
}

// activityElement reads a child element of an activity (not a
// transaction), at line.
func (p *iatiParser) activityElement(name string, t xml.StartElement, line int) {
	act := p.act
	switch name {
	case "iati-identifier":
		p.collect()
	case "reporting-org":
		act.reporting = iatiOrg{ref: attr(t, "ref"), typ: attr(t, "type")}
		p.org = &act.reporting
	case "participating-org":
		p.participatingOrg(t)
	case "recipient-country":
		p.recipientCountry(t, line)
	case "sector":
		act.sectorOf(t)
	case "default-finance-type":
		act.financeType = attr(t, "code")
	case "humanitarian-scope":
		act.scope = attr(t, "code")
	case "activity-date":
		act.date(t)
	case "budget":
		act.budgets++
	case "planned-disbursement":
		act.planned++
	}
}

// participatingOrg keeps the first funding participant (role 1): the
// donor when neither provider nor reporting organisation names one.
func (p *iatiParser) participatingOrg(t xml.StartElement) {
	act := p.act
	if attr(t, "role") == "1" && act.funding.ref == "" && act.funding.name == "" {
		act.funding = iatiOrg{ref: attr(t, "ref"), typ: attr(t, "type"), activity: attr(t, "activity-id")}
		p.org = &act.funding
	}
}

// sectorOf keeps the activity's first sector in a DAC vocabulary (1, 2,
// or none given), the only codes iatiCategory knows.
func (act *iatiActivity) sectorOf(t xml.StartElement) {
	if v := attr(t, "vocabulary"); (v == "" || v == "1" || v == "2") && act.sector == "" {
		act.sector = attr(t, "code")
	}
}

// recipientCountry reads an activity's recipient-country at line: its
// percentage defaults to 100.
func (p *iatiParser) recipientCountry(t xml.StartElement, line int) {
	pct := 100.0
	if s := attr(t, "percentage"); s != "" {
		if v, err := strconv.ParseFloat(s, 64); err == nil && v >= 0 && v <= 100 {
			pct = v
		} else {
			p.e.add(p.opt.File, "", line, "recipient-country/@percentage", fmt.Errorf("%s is not a percentage 0–100", quote(s)))
		}
	}
	p.act.countries = append(p.act.countries, iatiCountry{strings.ToUpper(attr(t, "code")), pct})
}

// date reads an activity-date: the actual start (2) or end (4) wins over
// the planned one (1, 3).
func (act *iatiActivity) date(t xml.StartElement) {
	switch attr(t, "type") {
	case "1", "2":
		if act.start == "" || attr(t, "type") == "2" {
			act.start = attr(t, "iso-date")
		}
	case "3", "4":
		if act.end == "" || attr(t, "type") == "4" {
			act.end = attr(t, "iso-date")
		}
	}
}

// charData collects text; it reports whether parsing must stop.
func (p *iatiParser) charData(t xml.CharData) bool {
	if !p.inText {
		return false
	}
	if len(p.text)+len(t) > MaxLine {
		line, _ := p.d.InputPos()
		p.e.add(p.opt.File, "", line, p.path[len(p.path)-1], fmt.Errorf("text longer than %d bytes", MaxLine))
		return true
	}
	p.text = append(p.text, t...)
	return false
}

// end closes an element, emitting an activity's pledges when it closes;
// it reports whether parsing must stop.
func (p *iatiParser) end(t xml.EndElement) bool {
	if len(p.path) == 0 {
		return false // RawToken does not check nesting; Strict mode reports a stray end tag
	}
	name := p.path[len(p.path)-1]
	if name != t.Name.Local {
		line, _ := p.d.InputPos()
		p.e.add(p.opt.File, "", line, "xml", fmt.Errorf("</%s> closes <%s>", t.Name.Local, name))
		return true
	}
	p.path = p.path[:len(p.path)-1]
	if p.inText {
		s := bytes.TrimSpace(p.text)
		switch {
		case name == "iati-identifier" && p.act != nil:
			p.act.id = string(s)
		case name == "value" && p.tx != nil:
			p.tx.value = string(s)
		case name == "narrative" && p.org != nil:
			p.org.name = p.name(s)
		}
		p.inText = false
	}
	switch {
	case name == "provider-org", name == "receiver-org", name == "reporting-org", name == "participating-org":
		p.org = nil
	case name == "transaction" && p.tx != nil && p.act != nil:
		p.act.txs = append(p.act.txs, p.tx)
		p.tx = nil
	case name == "iati-activity" && p.act != nil:
		if p.seen == nil {
			p.seen = map[string]int{}
		}
		clear(p.seen)
		iatiEmit(p.ctx, p.act, p.recipient, p.opt, p.sink, p.e, &p.st, p.seen)
		p.free = append(p.free, p.act.txs...)
		clear(p.act.txs)
		p.txs = p.act.txs[:0]
		p.act = nil
	}
	return false
}

// newTx is a blank transaction, one of an emitted activity's if there is
// one (nothing refers to those after iatiEmit).
func (p *iatiParser) newTx() *iatiTx {
	if n := len(p.free); n > 0 {
		tx := p.free[n-1]
		p.free[n-1] = nil
		p.free = p.free[:n-1]
		*tx = iatiTx{net: iatiNet{by: tx.net.by[:0]}}
		return tx
	}
	return &iatiTx{}
}

// name is an organisation's name: a string made once for each of up to
// 1,024 distinct names of up to 128 bytes.
func (p *iatiParser) name(b []byte) string {
	if s, ok := p.names[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(b) <= 128 && len(p.names) < 1024 {
		if p.names == nil {
			p.names = map[string]string{}
		}
		p.names[s] = s
	}
	return s
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// iatiCategory picks the category of a transaction.
func iatiCategory(act *iatiActivity, tx *iatiTx) string {
	fin := tx.financeType
	if fin == "" {
		fin = act.financeType
	}
	sector := tx.sector
	if sector == "" {
		sector = act.sector
	}
	switch {
	case tx.humanitarian == "1" || (tx.humanitarian == "" && (act.humanitarian == "1" || act.scope != "")):
		return "humanitarian"
	case strings.HasPrefix(fin, "4"):
		return "loans"
	case strings.HasPrefix(sector, "72"), strings.HasPrefix(sector, "73"), strings.HasPrefix(sector, "74"):
		return "humanitarian"
	case sector == "51010":
		return "budget-support"
	case strings.HasPrefix(sector, "23"), strings.HasPrefix(sector, "21"), strings.HasPrefix(sector, "14"):
		return "reconstruction"
	}
	return "financial"
}

// iatiEmit sends the pledges of one activity's transactions to sink,
// counting each transaction as skipped, invalid or recorded.
// seen is empty, for the references the activity uses.
func iatiEmit(ctx context.Context, act *iatiActivity, recipient string, opt *Options, sink Sink, e *errs, st *Stats, seen map[string]int) {
	if act.id == "" {
		e.add(opt.File, "", act.line, "iati-identifier", errors.New("is missing"))
		st.Invalid += len(act.txs)
		return
	}
	em := &iatiEmitter{opt: opt, sink: sink, e: e, st: st, act: act, recipient: recipient, seen: seen}
	em.actRecipient, em.share, em.countryErr = iatiActivityRecipient(act, recipient, opt)
	em.from, em.to = iatiWindow(act)
	iatiNetReversals(act)
	for _, tx := range act.txs {
		st.Rows++
		em.transaction(ctx, tx)
	}
}

// iatiEmitter carries what the transactions of one activity share: the
// activity's recipient and its share, and the references already used.
type iatiEmitter struct {
	opt          *Options
	sink         Sink
	e            *errs
	st           *Stats
	act          *iatiActivity
	recipient    string // the recipient asked for, "" for any
	actRecipient string // the activity's recipient, "" when none
	share        float64
	countryErr   error // the last recipient country that did not resolve
	seen         map[string]int
	from, to     coalition.Month // the activity's delivery window (iatiWindow)
	// the last receiver written in a provenance, and what it was made of
	recvName, recvRef, recv string
}

// iatiActivityRecipient is the activity's recipient and its share of
// activity-level amounts: the recipient asked for, with its percentage, or,
// when none was asked for, the country with the largest percentage.
func iatiActivityRecipient(act *iatiActivity, recipient string, opt *Options) (string, float64, error) {
	actRecipient, share := "", 1.0
	var countryErr error
	for _, c := range act.countries {
		iso, err := opt.resolve(c.code)
		if err != nil {
			countryErr = fmt.Errorf("recipient-country %s: %v", quote(c.code), err)
			continue
		}
		if recipient != "" && iso == recipient {
			actRecipient, share = iso, c.pct/100
		}
	}
	if recipient == "" && len(act.countries) > 0 {
		best := act.countries[0]
		for _, c := range act.countries[1:] {
			if c.pct > best.pct {
				best = c
			}
		}
		actRecipient, _ = opt.resolve(best.code)
	}
	return actRecipient, share, countryErr
}

// transaction sends the pledge of one transaction whose type is a pledge
// stage and whose recipient is the one asked for.
func (em *iatiEmitter) transaction(ctx context.Context, tx *iatiTx) {
	status, ok := IATITransactionStatus[tx.typ]
	if !ok {
		if tx.typ == "" {
			em.refuse(tx.line, "transaction-type", errors.New("is missing"))
		} else {
			em.st.skip("transaction type not a pledge stage")
		}
		return
	}
	to, share, ok := em.txRecipient(tx)
	if !ok {
		return
	}
	if why := iatiNetSkip(em.act, tx); why != "" {
		em.st.skip(why)
		return
	}
	p, err := em.pledge(tx, to, share, status)
	if err != nil {
		var out *outOfScope
		if errors.As(err, &out) {
			em.st.skip(out.reason)
			return
		}
		field, cause := rowErrorOf(err, "transaction")
		em.refuse(tx.line, field, cause)
		return
	}
	n := em.seen[p.SourceRef]
	em.seen[p.SourceRef] = n + 1
	if n > 0 {
		p.SourceRef += "#" + strconv.Itoa(n+1) // a repeated reference, numbered in file order
	}
	if err := em.sink.Pledge(ctx, p); err != nil {
		em.refuse(tx.line, fieldOf(err, "record"), err)
		return
	}
	em.st.Records++
}

// txRecipient is a transaction's recipient and share: its own country
// (all of it), else the activity's; ok is false when the transaction was
// counted as skipped or invalid instead.
func (em *iatiEmitter) txRecipient(tx *iatiTx) (string, float64, bool) {
	if tx.country != "" {
		iso, err := em.opt.resolve(tx.country)
		switch {
		case err != nil && em.recipient != "":
			// A country the database does not know is not the
			// recipient asked for: out of scope, not an error.
			em.st.skip(skipOtherRecipient)
			return "", 0, false
		case err != nil:
			em.refuse(tx.line, "recipient-country", err)
			return "", 0, false
		case em.recipient != "" && iso != em.recipient:
			em.st.skip(skipOtherRecipient)
			return "", 0, false
		}
		return iso, 1, true
	}
	if em.actRecipient != "" {
		return em.actRecipient, em.share, true
	}
	switch {
	case em.recipient != "":
		em.st.skip(skipOtherRecipient)
	case em.countryErr != nil:
		em.refuse(em.act.line, "recipient-country", em.countryErr)
	default:
		em.refuse(tx.line, "recipient-country", errors.New("the activity names no recipient country"))
	}
	return "", 0, false
}

// skipOtherRecipient is the reason counted for a transaction or flow to
// another recipient than the one asked for (--recipient).
const skipOtherRecipient = "another recipient"

// refuse records a transaction as invalid; the error names its activity
// (the iati-identifier) with the line.
func (em *iatiEmitter) refuse(line int, field string, err error) {
	em.e.add(em.opt.File, "", line, field, &RecordError{Kind: "activity", ID: em.act.id, Err: err})
	em.st.Invalid++
}

func fieldErr(field string, format string, args ...any) error {
	return &RowError{Field: field, Err: fmt.Errorf(format, args...)}
}

// pledge is the pledge of transaction tx to recipient to, for share of its
// value.
func (em *iatiEmitter) pledge(tx *iatiTx, to string, share float64, status coalition.PledgeStatus) (*coalition.Pledge, error) {
	act, opt := em.act, em.opt
	donor, err := iatiDonor(act, tx, opt)
	if err != nil {
		return nil, err
	}
	minor, cur, err := iatiAmount(act, tx, share)
	if err != nil {
		return nil, err
	}
	date, vd, err := iatiDates(tx)
	if err != nil {
		return nil, err
	}
	p := &coalition.Pledge{Donor: donor, Recipient: to, Category: iatiCategory(act, tx), Amount: coalition.Money{Minor: minor, Currency: cur},
		Announced: date, Status: status, Visibility: coalition.Public, Source: opt.Source, SourceRef: act.id + "/" + iatiRef(tx, cur), AsOf: opt.AsOf}
	if status != coalition.Delivered {
		p.DeliverFrom, p.DeliverTo = em.from, em.to
	}
	if err := opt.FX.Convert(p, vd); err != nil {
		return nil, fieldErr("value/@currency", "%v", err)
	}
	p.Provenance = opt.provenanceFields("", tx.line, iatiExtra(make([]extraField, 0, 8), act, tx, share, vd, em.receiver(tx)))
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// iatiDates are a transaction's date and the date its value is converted
// at: the value date, which falls back to the transaction date.
func iatiDates(tx *iatiTx) (date, valueDate coalition.Date, err error) {
	if tx.date == "" {
		return date, date, fieldErr("transaction-date/@iso-date", "is missing")
	}
	if date, err = parseDate(tx.date); err != nil {
		return date, date, fieldErr("transaction-date/@iso-date", "%v", err)
	}
	if tx.valDate == "" {
		return date, date, nil
	}
	if valueDate, err = parseDate(tx.valDate); err != nil {
		return date, date, fieldErr("value/@value-date", "%v", err)
	}
	return date, valueDate, nil
}

// iatiRef is the transaction's own reference or, when it has none, a hash
// of the fields that tell two transactions apart, so that re-importing
// keys it the same.
func iatiRef(tx *iatiTx, cur string) string {
	if tx.ref != "" {
		return tx.ref
	}
	h := sha256.Sum256([]byte(strings.Join([]string{tx.typ, tx.date, tx.value, cur, tx.valDate, tx.provider.ref, tx.receiver.ref, tx.receiver.name}, "\x00")))
	return "sha256:" + hex.EncodeToString(h[:])[:16]
}

// iatiWindow is the delivery window of a pledge not yet delivered: the
// activity's start to end months, or none unless both are readable and in
// order.
func iatiWindow(act *iatiActivity) (from, to coalition.Month) {
	if d, err := parseDate(act.start); err == nil {
		from = d.Month()
	}
	if d, err := parseDate(act.end); err == nil && d.Month() >= from {
		to = d.Month()
	}
	if from == 0 || to == 0 {
		return 0, 0
	}
	return from, to
}

// iatiDonor is the donor of a transaction: the provider, else (for
// outgoing types) the reporting organisation, else the funding participant.
func iatiDonor(act *iatiActivity, tx *iatiTx, opt *Options) (string, error) {
	var buf [3]*iatiOrg
	cands := append(buf[:0], &tx.provider)
	if !incoming[tx.typ] {
		cands = append(cands, &act.reporting)
	}
	cands = append(cands, &act.funding)
	donor, tried := "", ""
	var lastErr error
	for _, o := range cands {
		for _, s := range [2]string{o.ref, o.name} {
			if s == "" {
				continue
			}
			if tried == "" {
				tried = s
			}
			iso, err := opt.resolve(s)
			if !iatiGovType[o.typ] && (err != nil || iso != "EUI") {
				// An NGO, a multilateral, a company: never a
				// government, whatever its ref's country prefix.
				return "", &outOfScope{"donor not a state or EU institution: organisation type " + o.typ}
			}
			if err == nil {
				donor = iso
				break
			}
			if lastErr == nil {
				lastErr = err
			}
		}
		if donor != "" {
			break
		}
	}
	if donor == "" {
		if lastErr == nil {
			return "", fieldErr("provider-org", "no provider or reporting organisation names the donor")
		}
		return "", fieldErr("provider-org", "%v", lastErr)
	}
	return donor, nil
}

// iatiGovType are the IATI OrganisationType codes of the public sector
// (10 government, 11 local government, 15 other public sector); "" is an
// organisation whose type is not given, judged by its ref or name alone.
var iatiGovType = map[string]bool{"": true, "10": true, "11": true, "15": true}

// outOfScope is a record the file has but Coalition does not track (a
// donor that is not a state or the EU): skipped and counted by reason,
// not an error.
type outOfScope struct{ reason string }

func (o *outOfScope) Error() string { return o.reason }

// iatiAmount is a transaction's value in minor units of its currency (the
// activity's default when it names none), times share when the recipient
// has only that share of the activity.
func iatiAmount(act *iatiActivity, tx *iatiTx, share float64) (int64, string, error) {
	cur := strings.ToUpper(tx.cur)
	if cur == "" {
		cur = strings.ToUpper(act.defCur)
	}
	if cur == "" {
		return 0, "", fieldErr("value/@currency", "no currency on the value and no default-currency on the activity")
	}
	if !coalition.ValidCurrency(cur) {
		return 0, "", fieldErr("value/@currency", "%s is not an ISO 4217 currency code", quote(cur))
	}
	if tx.value == "" {
		return 0, "", fieldErr("value", "is missing")
	}
	minor, err := parseDecimal(tx.value, 1, cur)
	if err != nil {
		return 0, "", fieldErr("value", "%v", err)
	}
	minor -= tx.net.minus // reversals netted against it (iatireversal.go)
	if minor < 0 {
		return 0, "", fieldErr("value", "negative amount %s", tx.value)
	}
	if share < 1 {
		minor = int64(float64(minor)*share + 0.5)
	}
	return minor, cur, nil
}

// receiver is iatiReceiver(tx), made once for the transactions of an
// activity that name the same receiver.
func (em *iatiEmitter) receiver(tx *iatiTx) string {
	if em.recv == "" || tx.receiver.name != em.recvName || tx.receiver.ref != em.recvRef {
		em.recvName, em.recvRef, em.recv = tx.receiver.name, tx.receiver.ref, iatiReceiver(tx)
	}
	return em.recv
}

// iatiReceiver is the receiver a provenance names: the receiving
// organisation's name and ref.
func iatiReceiver(tx *iatiTx) string {
	return strings.TrimSpace(tx.receiver.name + " " + tx.receiver.ref)
}

// iatiExtra appends to extra what a pledge's provenance keeps of its
// transaction, in the order of the keys; receiver is iatiReceiver(tx).
func iatiExtra(extra []extraField, act *iatiActivity, tx *iatiTx, share float64, vd coalition.Date, receiver string) []extraField {
	extra = append(extra, extraField{"activity", act.id})
	if tx.net.minus > 0 {
		_, cur, _ := iatiMinor(act, tx)
		extra = append(extra, extraField{"netted", iatiNetNote(tx, cur)})
	}
	if tx.provider.activity != "" {
		extra = append(extra, extraField{"provider_activity_id", tx.provider.activity})
	}
	if tx.receiver.name != "" || tx.receiver.ref != "" {
		extra = append(extra, extraField{"receiver", receiver})
	}
	if tx.receiver.activity != "" {
		extra = append(extra, extraField{"receiver_activity_id", tx.receiver.activity})
	}
	if share < 1 {
		extra = append(extra, extraField{"recipient_share", strconv.FormatFloat(share, 'f', -1, 64)})
	}
	return append(extra, extraField{"transaction_type", tx.typ}, extraField{"value_date", iatiDateString(tx, vd)})
}

// iatiDateString is vd, the value date read from tx, written YYYY-MM-DD:
// the text it was read from when that is already so (plainDate).
func iatiDateString(tx *iatiTx, vd coalition.Date) string {
	src := tx.valDate
	if src == "" {
		src = tx.date
	}
	if d, ok := plainDate(src); ok && d == vd {
		return src
	}
	return vd.String()
}

// tagLimit fails when more than max bytes pass without a '<' or '>': no
// text node or tag of a real file is that long, and the XML decoder would
// otherwise buffer it whole. The error carries the line where the run
// starts.
type tagLimit struct {
	r       io.Reader
	max     int
	run     int
	line    int // 1-based line of the next byte
	runLine int
}

func (t *tagLimit) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > t.max {
		return t.check(p, n, err) // a gap may lie inside the piece
	}
	// A gap between two delimiters inside the piece is shorter than the
	// piece, so within max: only the run carried in, up to the piece's
	// first delimiter, can pass it. Lines are counted with bytes.Count.
	b := p[:n]
	first := bytes.IndexAny(b, "<>")
	if first < 0 {
		if t.run == 0 && n > 0 {
			t.runLine = t.line + 1
		}
		if t.run+n > t.max {
			i := t.max - t.run
			t.line += bytes.Count(b[:i], newline)
			return i, &LongLineError{Line: t.runLine, What: "a text or tag", Max: t.max}
		}
		t.run += n
		t.line += bytes.Count(b, newline)
		return n, err
	}
	if t.run+first > t.max {
		if t.run == 0 {
			t.runLine = t.line + 1
		}
		i := t.max - t.run
		t.line += bytes.Count(b[:i], newline)
		return i, &LongLineError{Line: t.runLine, What: "a text or tag", Max: t.max}
	}
	last := first + bytes.LastIndexAny(b[first:], "<>")
	t.line += bytes.Count(b[:last+1], newline)
	t.run = n - last - 1
	if t.run > 0 {
		t.runLine = t.line + 1
	}
	t.line += bytes.Count(b[last+1:], newline)
	return n, err
}

var newline = []byte{'\n'}

// check is Read's byte-by-byte way, for a piece longer than max.
func (t *tagLimit) check(p []byte, n int, err error) (int, error) {
	for i := 0; i < n; i++ {
		if p[i] == '<' || p[i] == '>' {
			t.run = 0
			continue
		}
		if t.run == 0 {
			t.runLine = t.line + 1
		}
		if p[i] == '\n' {
			t.line++
		}
		t.run++
		if t.run > t.max {
			return i, &LongLineError{Line: t.runLine, What: "a text or tag", Max: t.max}
		}
	}
	return n, err
}
