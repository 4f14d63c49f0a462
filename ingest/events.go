package ingest

import (
	"cmp"
	"slices"
	"strings"
)

type event struct {
	kind      string // call, meeting, talks (a call or meeting), summit, letter, statement
	sents     []int
	people    []int    // person ids, in order
	govs      []string // governments taking part without a person (ISO3)
	topics    []string
	asks      []string
	criticism bool
	target    int  // person criticised, or -1
	planned   bool // told in the future tense: "will travel to Washington on Friday to meet"
}

var callWords = map[string]bool{"phone": true, "telephone": true, "phoned": true, "videoconference": true, "call": true, "calls": true, "called": true, "conversation": true, "spoke": true, "rang": true}
var meetWords = map[string]bool{"met": true, "meet": true, "meets": true, "meeting": true, "hosted": true, "hosts": true, "host": true, "visited": true, "visit": true, "visiting": true, "bilateral": true, "talks": true}
var summitWords = map[string]bool{"summit": true, "conference": true, "ministerial": true, "ramstein": true, "udcg": true}
var letterWords = map[string]bool{"letter": true, "wrote": true}
var statementWords = map[string]bool{"said": true, "says": true, "told": true, "stated": true, "stating": true, "statement": true, "accused": true,
	"accuses": true, "criticised": true, "criticized": true, "criticises": true, "criticizes": true, "condemned": true, "condemns": true,
	"warned": true, "warns": true, "urged": true, "urges": true, "insisted": true, "insists": true, "argued": true, "declared": true,
	"denounced": true, "welcomed": true, "welcomes": true, "praised": true, "slammed": true, "rejected": true, "dismissed": true, "announced": true}
var criticismWords = map[string]bool{"accused": true, "accuses": true, "criticised": true, "criticized": true, "criticises": true, "criticizes": true,
	"condemned": true, "condemns": true, "denounced": true, "slammed": true, "attacked": true}
var anaphors = map[string]string{"call": "call", "conversation": "call", "talks": "talks", "meeting": "meeting", "summit": "summit", "discussion": "talks", "engagement": "talks"}
var askWords = map[string]bool{"sought": true, "seeks": true, "seeking": true, "pressed": true, "presses": true, "asked": true, "urged": true, "requested": true}
var govWords = map[string]bool{"government": true, "ministry": true, "spokesperson": true, "spokesman": true, "spokeswoman": true, "officials": true, "embassy": true, "office": true}

var orgTopic = map[string]string{"AUKUS": "aukus", "NATO": "nato", "COW": "coalition", "UDCG": "ukraine-support"}

// eventTrigger finds a call/meeting/summit/letter word in s that is not
// "called for", "calls on", "so-called".
func (d *doc) eventTrigger(s sentence) (kind string, at int) {
	for k := s.i; k < s.j; k++ {
		if d.toks[k].cls&(cCall|cMeet|cSummit|cLetter) == 0 {
			continue
		}
		n := d.toks[k].norm
		next := ""
		if k+1 < s.j {
			next = d.toks[k+1].norm
		}
		switch {
		case callWords[n]:
			if !d.isCall(s, k, n, next) {
				continue
			}
			return "call", k
		case meetWords[n]:
			if n == "talks" {
				return "talks", k
			}
			return "meeting", k
		case summitWords[n]:
			return "summit", k
		case letterWords[n]:
			return "letter", k
		}
	}
	return "", -1
}

// isCall reports whether the call word n at k, followed by next, is a
// call: not "called for", "calls on"; "called Trump", "Call to Trump",
// "call with Zelensky", "the call"; "spoke with", not "spoke" alone.
func (d *doc) isCall(s sentence, k int, n, next string) bool {
	switch {
	case callVerbs[n]:
		return !notCallNext[next] && (d.personAt(k+1, 3) || k > s.i && callBefore[d.toks[k-1].norm] || callPartners[next])
	case n == "spoke":
		return spokeNext[next]
	}
	return true
}

// Words around a call word that make it a call or not.
var (
	callVerbs    = map[string]bool{"called": true, "calls": true, "call": true}
	notCallNext  = map[string]bool{"for": true, "on": true, "it": true, "upon": true, "the": true, "a": true, "this": true} // "called for", "calls on"
	callBefore   = map[string]bool{"phone": true, "the": true, "video": true}                                               // "the call"
	callPartners = map[string]bool{"with": true, "to": true, "between": true}                                               // "call with Zelensky"
	spokeNext    = map[string]bool{"with": true, "to": true, "by": true}                                                    // "spoke with"
)

// personAt reports whether a person mention starts within n tokens of k.
func (d *doc) personAt(k, n int) bool {
	for q := k; q < k+n && q < len(d.toks); q++ {
		if mi, ok := d.mentionStarting(q); ok && d.ments[mi].kind == ePerson && d.ments[mi].id >= 0 {
			return true
		}
	}
	return false
}

func (d *doc) sentPeople(s sentence) []int {
	var ids []int
	for _, m := range d.sentPersonMentions(s) {
		if !containsInt(ids, m.id) {
			ids = append(ids, m.id)
		}
	}
	return ids
}

// sentPersonMentions returns the resolved person mentions of s in text
// order, in a buffer that the next call reuses.
func (d *doc) sentPersonMentions(s sentence) []mention {
	out := d.pmBuf[:0]
	defer func() { d.pmBuf = out[:0] }()
	for _, mi := range s.ments {
		if m := d.ments[mi]; m.kind == ePerson && m.id >= 0 {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b mention) int { return a.i - b.i })
	return out
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// appendNew appends t to list unless it is there: topics and countries
// are listed once, in order of first mention.
func appendNew(list []string, t string) []string {
	for _, x := range list {
		if x == t {
			return list
		}
	}
	return append(list, t)
}

func (d *doc) sentTopics(s sentence, into []string) []string {
	for _, mi := range s.ments {
		m := d.ments[mi]
		switch m.kind {
		case eTopic:
			into = appendNew(into, d.kb.Topics[m.id].ID)
		case eOrg:
			if t, ok := orgTopic[d.kb.Orgs[m.id].ID]; ok {
				into = appendNew(into, t)
			}
		}
	}
	return into
}

// speaker finds who makes a statement: the person or government named
// nearest before the statement word, or right after it ("..., said Rutte").
func (d *doc) speaker(s sentence, at int) (person int, gov string) {
	people := d.sentPersonMentions(s)
	person, bestTok := -1, -1
	for _, m := range people {
		if m.j <= at && m.i > bestTok {
			person, bestTok = m.id, m.i
		}
	}
	if gov := d.governmentBefore(s, at, bestTok); gov != "" {
		return -1, gov
	}
	if person >= 0 {
		return person, ""
	}
	for _, m := range people {
		if m.i > at && m.i <= at+4 {
			return m.id, ""
		}
	}
	return -1, ""
}

// governmentBefore is the government speaking at token at when it is named
// after the nearest person (from token from): "the Australian government",
// "Downing Street", "the Kremlin"; else "".
func (d *doc) governmentBefore(s sentence, at, from int) string {
	gov := ""
	for _, mi := range s.ments {
		m := d.ments[mi]
		if m.kind == eCountry && m.j <= at && m.i >= from && d.speaksForGovernment(s, m, at) {
			gov, from = d.kb.Countries[m.id].ISO3, m.i
		}
	}
	return gov
}

// speaksForGovernment: a seat right before the statement word ("Downing
// Street said"), or a country followed by "government", "ministry"...
func (d *doc) speaksForGovernment(s sentence, m mention, at int) bool {
	return m.form == formMetonym && m.j == at || m.j < s.j && govWords[d.toks[m.j].norm] && m.j+1 <= at
}

// events groups sentences into engagements, and proposes pledges and
// memberships.
func (d *doc) events() {
	g := &eventGrouper{d: d}
	for si, s := range d.sents {
		g.sentence(si, s)
	}
	evs := g.evs
	npledge := 0
	for _, a := range d.amounts {
		if a.kind == KindPledge {
			npledge += max(1, len(a.donors))
		}
	}
	// one allocation: a Proposal is large, and growing the slice copies it
	d.out.Proposals = make([]Proposal, 0, len(evs)+npledge+4)
	for _, ev := range evs {
		d.proposeEngagement(ev)
	}
	d.proposePledges()
	d.proposeEquipment()
	d.proposeMemberships()
	// recall first: a reviewer rejects what is wrong, so the surest come
	// first and the weak ones stay in the queue instead of being dropped
	slices.SortStableFunc(d.out.Proposals, func(x, y Proposal) int { return cmp.Compare(y.Confidence, x.Confidence) })
}

// eventGrouper collects the events of a text, one sentence at a time.
type eventGrouper struct {
	d   *doc
	evs []*event
}

// lastOf is the latest event of one of kinds, or nil.
func (g *eventGrouper) lastOf(kinds ...string) *event {
	for k := len(g.evs) - 1; k >= 0; k-- {
		for _, kind := range kinds {
			if g.evs[k].kind == kind {
				return g.evs[k]
			}
		}
	}
	return nil
}

// sentence adds sentence si (s) to the events: as a statement, as the
// start of a new call or meeting, or as the continuation of an earlier one.
func (g *eventGrouper) sentence(si int, s sentence) {
	d := g.d
	people := d.sentPeople(s)
	kind, at := d.eventTrigger(s)
	planned := kind != "" && d.futureBefore(s, at)
	// statements with a speaker come first, unless the sentence plans a
	// meeting ("… will travel to Washington to meet Trump, his office said")
	if !planned && g.statement(si, s) {
		return
	}
	anaphor := d.sentAnaphor(s)
	if kind == "" && anaphor == "" && len(people) < 2 {
		return
	}
	if into := g.eventFor(si, people, kind, anaphor); into != nil {
		into.planned = into.planned || planned && len(into.sents) == 0
		into.add(d, si, s, people)
	}
}

// futureBefore: a future marker ("will", "shall", "next", "due", "plans",
// "expected") in the eight tokens before the event word at k, so that the
// engagement is planned and not held.
func (d *doc) futureBefore(s sentence, k int) bool {
	for q := max(s.i, k-8); q < k; q++ {
		if d.toks[q].cls&cFuture != 0 || d.toks[q].norm == "expected" {
			return true
		}
	}
	return false
}

// eventFor is the event a sentence belongs to: the earlier one it
// continues, else a new one when it has a trigger and people; else nil.
func (g *eventGrouper) eventFor(si int, people []int, kind, anaphor string) *event {
	if into := g.continuation(si, people, kind, anaphor); into != nil {
		into.refine(kind, anaphor)
		return into
	}
	if kind == "" || len(people) == 0 {
		return nil
	}
	into := &event{kind: kind, target: -1}
	g.evs = append(g.evs, into)
	return into
}

// refine turns talks into a call or a meeting when a later sentence says
// which.
func (e *event) refine(kind, anaphor string) {
	if e.kind != "talks" {
		return
	}
	switch {
	case anaphor == "call":
		e.kind = "call"
	case kind == "call" || kind == "meeting":
		e.kind = kind
	}
}

// add adds sentence si (s), with its people, topics and asks, to e.
func (e *event) add(d *doc, si int, s sentence, people []int) {
	e.sents = append(e.sents, si)
	for _, p := range people {
		if !containsInt(e.people, p) {
			e.people = append(e.people, p)
		}
	}
	e.topics = d.sentTopics(s, e.topics)
	e.asks = append(e.asks, d.asks(s)...)
}

// statement adds sentence si (s) as a statement when it has a statement
// verb with a speaker and no pledge, joining the previous sentence's
// statement by the same speaker unless it criticises; it reports whether
// it did.
func (g *eventGrouper) statement(si int, s sentence) bool {
	d := g.d
	stmtAt := d.firstOfClass(s, cStatement)
	if stmtAt < 0 {
		return false
	}
	sp, gov := d.speaker(s, stmtAt)
	if sp < 0 && gov == "" || d.hasPledge(s) {
		return false
	}
	ev := d.statementEvent(si, s, stmtAt, sp, gov)
	if last := g.lastOf("statement"); last != nil && last.sents[len(last.sents)-1] == si-1 && sameSpeaker(last, ev) && !ev.criticism {
		last.sents = append(last.sents, si)
		last.topics = d.sentTopics(s, last.topics)
		return true
	}
	g.evs = append(g.evs, ev)
	return true
}

// firstOfClass is the first token of s in word class c, or -1.
func (d *doc) firstOfClass(s sentence, c uint32) int {
	for k := s.i; k < s.j; k++ {
		if d.toks[k].cls&c != 0 {
			return k
		}
	}
	return -1
}

// hasPledge: a sentence that pledges is a pledge, not a statement.
func (d *doc) hasPledge(s sentence) bool {
	return slices.ContainsFunc(s.amts, func(ai int) bool { return d.amounts[ai].kind == KindPledge })
}

// statementEvent is the statement of sentence si by person sp or else
// government gov, with the statement word at stmtAt; a criticism names
// whom it criticises.
func (d *doc) statementEvent(si int, s sentence, stmtAt, sp int, gov string) *event {
	ev := &event{kind: "statement", sents: []int{si}, target: -1}
	if sp >= 0 {
		ev.people = []int{sp}
	} else {
		ev.govs = []string{gov}
	}
	for k := stmtAt; k < min(stmtAt+2, s.j); k++ {
		ev.criticism = ev.criticism || criticismWords[d.toks[k].norm]
	}
	if ev.criticism {
		ev.target = d.personAfter(s, stmtAt, sp)
	}
	ev.topics = d.sentTopics(s, nil)
	return ev
}

// personAfter is the first person of s after token k other than the
// speaker sp, or -1: whom a criticism is aimed at.
func (d *doc) personAfter(s sentence, k, sp int) int {
	for _, m := range d.sentPersonMentions(s) {
		if m.i > k && m.id != sp {
			return m.id
		}
	}
	return -1
}

// sentAnaphor is the kind of event a phrase like "the call" in s refers
// back to, or "".
func (d *doc) sentAnaphor(s sentence) string {
	for k := s.i + 1; k < s.j; k++ {
		if d.toks[k].cls&cAnaphor == 0 {
			continue
		}
		if d.toks[k-1].norm == "the" || d.toks[k-1].norm == "this" || d.toks[k-1].norm == "that" || k >= s.i+2 && d.toks[k-2].norm == "the" {
			if a, ok := anaphors[d.toks[k].norm]; ok {
				return a
			}
		}
	}
	return ""
}

// continuation is the earlier call or meeting that sentence si continues
// (same people, or "the call"), or nil.
func (g *eventGrouper) continuation(si int, people []int, kind, anaphor string) *event {
	for k := len(g.evs) - 1; k >= 0 && k >= len(g.evs)-8; k-- {
		e := g.evs[k]
		if si-e.sents[len(e.sents)-1] > 40 {
			return nil // a continuation is told close to the event
		}
		if e.kind == "statement" || e.kind == "summit" && kind != "summit" {
			continue
		}
		if e.continuedBy(people, anaphor) {
			return e
		}
	}
	return nil
}

// continuedBy: a sentence continues e when it shares two people with it;
// with an anaphor ("the call") when its people are all e's, or when it
// names nobody and the anaphor fits e's kind.
func (e *event) continuedBy(people []int, anaphor string) bool {
	shared := 0
	for _, p := range people {
		if containsInt(e.people, p) {
			shared++
		}
	}
	switch {
	case shared >= 2:
		return true
	case anaphor == "":
		return false
	case len(people) == 0:
		return anaphor == e.kind || anaphor == "talks" || e.kind == "talks"
	}
	return shared >= 1 && len(people) == shared
}

func sameSpeaker(a, b *event) bool {
	if len(a.people) > 0 && len(b.people) > 0 {
		return a.people[0] == b.people[0]
	}
	return len(a.govs) > 0 && len(b.govs) > 0 && a.govs[0] == b.govs[0]
}

// asks: "sought assurances from Trump regarding...", "pressed Trump on...".
func (d *doc) asks(s sentence) []string {
	var out []string
	for k := s.i; k < s.j; k++ {
		if d.toks[k].cls&cAsk != 0 {
			_, b := d.clause(s, k, k+1)
			out = append(out, strings.TrimSpace(d.text[d.toks[k].start:d.toks[b-1].end]))
		}
	}
	return out
}
