package ingest

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"coalition"
)

// Options are the caller's settings for one extraction.
type Options struct {
	// Date is the text's date when the text states none (the --date flag).
	// A date stated in the text's first lines wins over it.
	Date coalition.Date
}

// Extraction is what Extract finds in one text. Every span is [start, end)
// in runes (Unicode code points, as Go's utf8 decoding counts them; an
// invalid byte counts as one rune) from the start of the input.
type Extraction struct {
	Date          coalition.Date   `json:"date"` // the text's date: stated, else Options.Date, else null
	People        []PersonMention  `json:"people"`
	Countries     []CountryMention `json:"countries"`
	Organisations []OrgMention     `json:"organisations"`
	Amounts       []Amount         `json:"amounts"`
	Proposals     []Proposal       `json:"proposals"`
	Flags         []Flag           `json:"flags"`
}

// PersonMention is a person of the KB found in the text, with the office
// held on the text's date.
type PersonMention struct {
	Name    string `json:"name"`
	Role    string `json:"role"`    // "Prime Minister", "former President", "" if none yet
	Country string `json:"country"` // ISO3, or NATO, EUI, UNO
	// RoleUnverified: the term the role comes from rests on no verified
	// source in the knowledge base (graded unverified in officeholders.csv).
	RoleUnverified bool   `json:"role_unverified,omitempty"`
	Spans          []Span `json:"spans"`
}

// CountryMention is a country referred to by name, adjective, demonym or
// capital/seat.
type CountryMention struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Spans []Span `json:"spans"`
}

// OrgMention is an organisation, institution, pact or coalition.
type OrgMention struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Spans []Span `json:"spans"`
}

// Amount kinds.
const (
	KindPledge  = "pledge"  // a donor gives it now: a new package, an announcement
	KindMention = "mention" // a total, an earlier commitment, someone else's, a need...
)

// Amount is money stated in the text.
type Amount struct {
	Money
	Kind   string `json:"kind"`
	Reason string `json:"reason"` // why it is a mention or a pledge, for the reviewer
	Span   Span   `json:"span"`
}

// Participant is a person or a government taking part in an engagement.
type Participant struct {
	Name string `json:"name,omitempty"`
	Role string `json:"role,omitempty"`
	// RoleUnverified: Role comes from a term whose source is unverified.
	RoleUnverified bool   `json:"role_unverified,omitempty"`
	ISO3           string `json:"iso3"`
}

// Proposal types.
const (
	ProposeEngagement = "engagement"
	ProposePledge     = "pledge"
	ProposeMembership = "membership" // a country named as a (possible) member of a coalition
	ProposeEquipment  = "equipment"  // a quantity of a weapon system given by a donor: never a money pledge
)

// Proposal is a record proposed for review, with the spans that support it.
// The fields used depend on Type; the others are left out of the JSON.
type Proposal struct {
	Type string `json:"type"`

	// engagement
	Kind         string          `json:"kind,omitempty"` // call, meeting, summit, letter, statement
	Date         *coalition.Date `json:"date,omitempty"`
	Title        string          `json:"title,omitempty"`
	Summary      string          `json:"summary,omitempty"`
	Participants []Participant   `json:"participants,omitempty"`
	Countries    []string        `json:"countries,omitempty"`
	Topics       []string        `json:"topics,omitempty"`
	Asks         string          `json:"asks,omitempty"`

	// pledge
	Donor      string          `json:"donor,omitempty"`
	JointWith  []string        `json:"joint_with,omitempty"` // other donors of a joint amount
	Recipient  string          `json:"recipient,omitempty"`
	Category   string          `json:"category,omitempty"`
	Amount     *Money          `json:"amount,omitempty"`
	Announced  *coalition.Date `json:"announced,omitempty"`
	Status     string          `json:"status,omitempty"` // pledge: announced; membership: prospect, invited, joined; engagement: held, planned
	Conditions string          `json:"conditions,omitempty"`

	// equipment: Donor, Recipient, Announced and System with its Quantity;
	// Category is then the system's capability category (coalition.Equipment)
	System   string `json:"system,omitempty"`
	Quantity int64  `json:"quantity,omitempty"`

	// membership
	Coalition string `json:"coalition,omitempty"`
	Country   string `json:"country,omitempty"`

	Evidence   []Span  `json:"evidence"`
	Confidence float64 `json:"confidence"`
	// Rule says why the proposal was made: the rule that fired and the
	// words it read ("pledge: announced or given now; verb \"is sending\"")
	Rule string `json:"rule,omitempty"`
}

// Flag kinds.
const (
	FlagRole        = "role_mismatch"   // a title that does not fit the date
	FlagFutureDate  = "future_date"     // an event dated after the text
	FlagDuplicate   = "duplicate"       // a pledge like one already recorded
	FlagDateUnknown = "date_unknown"    // no date stated or given
	FlagDateWindow  = "date_inferred"   // no date, but the titles fit a window
	FlagAmbiguous   = "ambiguous_money" // a bare "$" read as another dollar
	FlagJoint       = "joint_pledge"    // one amount announced by several donors together
	FlagRule        = "rule"            // in Records only: why a proposal was made, not a warning
	// FlagRoleUnverified: a person's role on the text's date comes from a
	// term of the knowledge base whose source is unverified.
	FlagRoleUnverified = "role_unverified"
)

// Flag is a consistency warning for the reviewer.
type Flag struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	Span    *Span  `json:"span"`
}

// doc is the working state of one extraction.
type doc struct {
	kb    *KB
	ix    *index
	text  string
	toks  []token
	ri    *runeIndex
	sents []sentence
	date  coalition.Date // for roles: stated, given, or the end of an inferred window
	known bool           // date is the text's or the caller's, not inferred

	ments   []mention
	pending []pendingPerson
	persons []int   // indices of resolved person mentions, in document order
	endAt   tokMap  // token index after a mention → its index in ments
	startAt tokMap  // token index of a mention's first token → its index in ments
	rcpt    *string // recipient(), once computed
	dom     map[string]string
	amounts []amountAt
	people  map[int]*personState
	order   []int // people in order of first mention
	out     *Extraction
	sc      *scratch
	pmBuf   []mention
	cats    map[string]int8 // category rank of a folded word

	// givingToRecipient: the amount being classified is in a clause that
	// gives to the recipient ("will supply Ukraine"), where a contract is
	// the donor's pledge and not a purchase of its own
	givingToRecipient bool
}

type sentence struct {
	i, j   int // tokens
	future bool
	ments  []int // indices into doc.ments
	amts   []int // indices into doc.amounts
	dates  []datedAt
}

type datedAt struct {
	DateExpr
	i, j int
}

type mention struct {
	kind  uint8
	form  uint8
	i, j  int
	sent  int
	id    int
	group string
	title *title
}

type amountAt struct {
	m      Money
	i, j   int
	sent   int
	kind   string
	reason string
	donor  string
	trig   int      // the token of the verb that made it a pledge, or -1
	donors []string // "each": every one of them gives the amount
	joint  []string // given together, not split: proposed once, flagged
}

type personState struct {
	id    int
	named bool // the full name appeared
}

// Extract reads text against kb. It never fails: what it cannot read it
// leaves out, and what looks wrong it flags.
func Extract(text string, kb *KB, opt Options) *Extraction {
	return extract(text, kb, opt, nil)
}

// extract is Extract; judged, if not nil, is called once the rules have
// judged every amount and before proposals are made (Candidates).
func extract(text string, kb *KB, opt Options, judged func(*doc)) *Extraction {
	if !utf8.ValidString(text) {
		// one U+FFFD per invalid byte keeps rune offsets equal to utf8.RuneCountInString's
		text = strings.Map(func(r rune) rune { return r }, text)
	}
	sc := getScratch()
	defer putScratch(sc)
	d := &doc{kb: kb, ix: kb.index, text: text, ri: newRuneIndex(text), people: map[int]*personState{}, out: &Extraction{}, sc: sc}
	sc.toks = tokenizeInto(sc.toks, sc.folded, text)
	d.toks = sc.toks
	d.ments = sc.ments[:0]
	d.splitSentences()
	if td, ok := d.statedDate(); ok {
		d.date, d.known = td, true
	} else if !opt.Date.IsZero() {
		d.date, d.known = opt.Date, true
	}
	d.out.Date = coalition.Date{}
	if d.known {
		d.out.Date = d.date
	}
	d.scan()
	d.resolvePeople()
	if !d.known {
		d.inferDate()
	}
	d.titleOnlyMentions()
	d.roleFlags()
	d.classifyAmounts()
	if judged != nil {
		judged(d)
	}
	d.events()
	d.collect()
	sc.ments = d.ments
	return d.out
}

// scratch holds the large buffers of one extraction, reused by the next
// (a free list): tokens, mentions, token maps and the spellings cache. The
// Extraction returned never points into them.
type scratch struct {
	toks           []token
	ments          []mention
	folded         map[string]folding
	endAt, startAt tokMap
	mentIdx        []int
	sents          []sentence
}

// Spare scratches: a short free list, not a sync.Pool, because a 5 MB text
// runs several garbage collections, and a pool is emptied by two of them.
var (
	scratchMu   sync.Mutex
	scratchFree []*scratch
)

const maxSpareScratches = 4

func getScratch() *scratch {
	scratchMu.Lock()
	defer scratchMu.Unlock()
	if n := len(scratchFree); n > 0 {
		sc := scratchFree[n-1]
		scratchFree = scratchFree[:n-1]
		return sc
	}
	return &scratch{folded: map[string]folding{}}
}

func putScratch(sc *scratch) {
	if len(sc.folded) >= maxFolded {
		clear(sc.folded)
	}
	const keep = 4 << 20 // tokens: do not hold more than ~256 MB for one huge text
	if cap(sc.toks) > keep {
		sc.toks = nil
	}
	clear(sc.toks[:cap(sc.toks)]) // drop references to the text
	sc.toks = sc.toks[:0]
	clear(sc.sents[:cap(sc.sents)])
	sc.sents = sc.sents[:0]
	scratchMu.Lock()
	defer scratchMu.Unlock()
	if len(scratchFree) < maxSpareScratches {
		scratchFree = append(scratchFree, sc)
	}
}

// splitSentences cuts the tokens at . ! ? (not after an abbreviation or an
// initial) and at line breaks.
func (d *doc) splitSentences() {
	d.sents = d.sc.sents[:0]
	defer func() { d.sc.sents = d.sents }()
	start := 0
	n := len(d.toks)
	for k := 0; k < n; k++ {
		if k > start && d.toks[k].newline {
			d.sents = append(d.sents, sentence{i: start, j: k})
			start = k
		}
		if !d.sentenceStop(k) {
			continue
		}
		end := d.afterClosingQuotes(k + 1)
		if d.lowerWordAt(end) {
			continue // "... 2.5 p.m. yesterday": no capital after, no break
		}
		d.sents = append(d.sents, sentence{i: start, j: end})
		start = end
		k = end - 1
	}
	if start < n {
		d.sents = append(d.sents, sentence{i: start, j: n})
	}
	for si := range d.sents {
		s := &d.sents[si]
		s.future = d.firstOfClass(*s, cFuture) >= 0
	}
}

// sentenceStop: a . ! ? that may end a sentence; a dot glued to an
// abbreviation ("Mr.") or an initial ("J.") does not.
func (d *doc) sentenceStop(k int) bool {
	t := d.toks[k]
	if t.kind != tPunct || !stops[t.text] {
		return false
	}
	return t.text != "." || !d.abbreviationDot(k)
}

// stops are the punctuation that ends sentences.
var stops = map[string]bool{".": true, "!": true, "?": true}

// abbreviationDot: the dot at k is glued to an abbreviation or a single
// capital letter.
func (d *doc) abbreviationDot(k int) bool {
	if k == 0 || d.toks[k-1].end != d.toks[k].start {
		return false
	}
	prev := d.toks[k-1]
	return abbreviations[prev.norm] || utf8.RuneCountInString(prev.text) == 1 && prev.upper
}

// afterClosingQuotes returns the token after the closing quotes and
// brackets on the same line from end, which belong to the sentence they
// close.
func (d *doc) afterClosingQuotes(end int) int {
	for end < len(d.toks) && !d.toks[end].newline && isClosingQuote(d.toks[end].text) {
		end++
	}
	return end
}

// lowerWordAt: a lower-case word on the same line at end, which a stop
// before it does not end a sentence at.
func (d *doc) lowerWordAt(end int) bool {
	if end >= len(d.toks) {
		return false
	}
	t := d.toks[end]
	return !t.newline && !t.upper && t.kind == tWord
}

var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "gen": true, "lt": true, "col": true,
	"sen": true, "rep": true, "gov": true, "jr": true, "sr": true, "no": true, "vs": true, "etc": true, "approx": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true, "sept": true,
	"oct": true, "nov": true, "dec": true, "maj": true, "capt": true, "adm": true, "sgt": true, "hon": true, "rt": true,
	"u.s": true, "u.k": true, "e.g": true, "i.e": true, "inc": true, "ltd": true, "co": true, "corp": true,
}

var futureWords = map[string]bool{"will": true, "shall": true, "next": true, "tomorrow": true, "scheduled": true, "upcoming": true, "due": true, "'ll": true, "plans": true}

func isClosingQuote(s string) bool {
	switch s {
	case "\"", "”", "'", "’", ")":
		return true
	}
	return false
}

// statedDate finds the text's own date: a full date in its first three
// lines (a dateline, "Published 3 June 2024").
func (d *doc) statedDate() (coalition.Date, bool) {
	lines := 0
	for k := 0; k < len(d.toks) && k < 80; k++ {
		if d.toks[k].newline {
			lines++
			if lines >= 3 {
				break
			}
		}
		if e, _, ok := dateAt(d.toks, k, min(len(d.toks), k+8), coalition.Date{}, false); ok && e.Precision == PrecDay && !e.Relative {
			return e.Date, true
		}
	}
	return coalition.Date{}, false
}

// scan finds money, dates and index phrases sentence by sentence.
func (d *doc) scan() {
	var buf []byte
	idx := d.sc.mentIdx[:0] // every sentence's mention indices, one backing array
	for si := range d.sents {
		s := &d.sents[si]
		from := len(idx)
		s.ments = idx
		for k := s.i; k < s.j; {
			k = d.scanAt(si, k, &buf)
		}
		idx = s.ments
		s.ments = idx[from:len(idx):len(idx)] // a later append copies instead of overwriting the next sentence's
	}
	d.sc.mentIdx = idx
}

// scanAt reads what starts at token k of sentence si, money first, then a
// date, then an index phrase, and returns the token to read next.
func (d *doc) scanAt(si, k int, buf *[]byte) int {
	s := &d.sents[si]
	if d.mayStartMoney(s, k) {
		if m, next, ok := d.ix.moneyAt(d.toks, k, s.j); ok {
			s.amts = append(s.amts, len(d.amounts))
			d.amounts = append(d.amounts, amountAt{m: m, i: k, j: next, sent: si, trig: -1})
			return next
		}
	}
	if d.mayStartDate(k) {
		if e, next, ok := dateAt(d.toks, k, s.j, d.date, s.future); ok {
			s.dates = append(s.dates, datedAt{e, k, next})
			return next
		}
	}
	if d.toks[k].kind == tWord {
		if m, ok := d.ix.lookup(d.toks, k, s.j, buf); ok {
			d.addMatch(si, m)
			if onlyTopics(m) {
				return k + 1 // a topic phrase ("aid to Ukraine") does not hide the names inside it
			}
			return m.j
		}
	}
	return k + 1
}

// mayStartMoney: only a number, a currency sign, a qualifier ("more than")
// or a capitalised code or dollar mark ("NOK", "A$") can start money, so
// that other tokens skip the money reader.
func (d *doc) mayStartMoney(s *sentence, k int) bool {
	t := d.toks[k]
	switch t.kind {
	case tNumber, tSymbol:
		return true
	case tWord:
		return qualifierStart[t.norm] || t.upper && (isCode(t.text) || k+1 < s.j && d.toks[k+1].kind == tSymbol)
	}
	return false
}

// mayStartDate: only a number or a date word can start a date.
func (d *doc) mayStartDate(k int) bool {
	t := d.toks[k]
	return t.kind == tNumber || t.kind == tWord && dateStart()[t.norm]
}

// addMatch records an index match as mentions; people are resolved later,
// so a match that may be a person keeps all its entries for now.
func (d *doc) addMatch(si int, m match) {
	s := &d.sents[si]
	add := func(x mention) {
		x.i, x.j, x.sent = m.i, m.j, si
		s.ments = append(s.ments, len(d.ments))
		d.ments = append(d.ments, x)
	}
	var persons []entry
	for _, e := range m.entries {
		if e.kind == ePerson {
			persons = append(persons, e)
		}
	}
	if len(persons) > 0 {
		// a person candidate: kind ePerson with id -1 until resolved; its
		// entries are kept in pending.
		add(mention{kind: ePerson, id: -1 - len(d.pending)})
		d.pending = append(d.pending, pendingPerson{entries: m.entries})
		return
	}
	seen := map[[2]int]bool{}
	for _, e := range m.entries {
		key := [2]int{int(e.kind), e.id}
		if seen[key] || e.kind == eCurrencyName {
			continue
		}
		seen[key] = true
		add(mention{kind: e.kind, form: e.form, id: e.id, group: e.group})
	}
}

func onlyTopics(m match) bool {
	for _, e := range m.entries {
		if e.kind != eTopic {
			return false
		}
	}
	return true
}

// tokMap maps a token index to a mention index; -1 is none.
type tokMap []int32

func newTokMap(m tokMap, n int) tokMap {
	if cap(m) < n+1 {
		m = make(tokMap, n+1)
	}
	m = m[:n+1]
	for i := range m {
		m[i] = -1
	}
	return m
}

func (m tokMap) get(tok int) (int, bool) {
	if tok < 0 || tok >= len(m) || m[tok] < 0 {
		return 0, false
	}
	return int(m[tok]), true
}

func (m tokMap) set(tok, k int) { m[tok] = int32(k) }

// collect writes the mentions into the output, in order of first mention.
func (d *doc) collect() {
	out := d.out
	byPerson, countries, orgs := d.spansByID()
	out.People = []PersonMention{}
	for _, id := range d.order {
		p := &d.kb.People[id]
		role, c, term := p.Role(d.date)
		sp := byPerson[id]
		sortSpans(sp)
		unverified := term != nil && term.Unverified()
		out.People = append(out.People, PersonMention{Name: p.Name, Role: role, Country: c, RoleUnverified: unverified, Spans: sp})
		if unverified {
			d.flagUnverifiedRole(p, role, c, sp)
		}
	}
	out.Countries = []CountryMention{}
	for id, spans := range countries {
		sortSpans(spans)
		c := d.kb.Countries[id]
		out.Countries = append(out.Countries, CountryMention{Code: c.ISO3, Name: c.Name, Spans: spans})
	}
	sort.Slice(out.Countries, func(i, j int) bool { return out.Countries[i].Spans[0][0] < out.Countries[j].Spans[0][0] })
	out.Organisations = []OrgMention{}
	for id, spans := range orgs {
		sortSpans(spans)
		o := d.kb.Orgs[id]
		out.Organisations = append(out.Organisations, OrgMention{ID: o.ID, Name: o.Name, Spans: spans})
	}
	sort.Slice(out.Organisations, func(i, j int) bool { return out.Organisations[i].Spans[0][0] < out.Organisations[j].Spans[0][0] })
	out.Amounts = make([]Amount, 0, len(d.amounts))
	for _, a := range d.amounts {
		out.Amounts = append(out.Amounts, Amount{Money: a.m, Kind: a.kind, Reason: a.reason, Span: d.ri.span(d.toks[a.i].start, d.toks[a.j-1].end)})
	}
	if out.Proposals == nil {
		out.Proposals = []Proposal{}
	}
	if out.Flags == nil {
		out.Flags = []Flag{}
	}
}

// spansByID gathers the spans of the mentions of each resolved person,
// country and organisation, by KB index.
func (d *doc) spansByID() (people, countries, orgs map[int][]Span) {
	people, countries, orgs = map[int][]Span{}, map[int][]Span{}, map[int][]Span{}
	for _, m := range d.ments {
		sp := d.ri.span(d.toks[m.i].start, d.toks[m.j-1].end)
		switch {
		case m.kind == ePerson && m.id >= 0:
			people[m.id] = append(people[m.id], sp)
		case m.kind == eCountry:
			countries[m.id] = append(countries[m.id], sp)
		case m.kind == eOrg:
			orgs[m.id] = append(orgs[m.id], sp)
		}
	}
	return people, countries, orgs
}

// sortSpans puts spans in text order.
func sortSpans(s []Span) {
	sort.Slice(s, func(i, j int) bool { return s[i][0] < s[j][0] })
}
