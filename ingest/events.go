package ingest

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"coalition"
)

type event struct {
	kind      string // call, meeting, talks (a call or meeting), summit, letter, statement
	sents     []int
	people    []int    // person ids, in order
	govs      []string // governments taking part without a person (ISO3)
	topics    []string
	asks      []string
	criticism bool
	target    int // person criticised, or -1
}

var callWords = map[string]bool{"phone": true, "telephone": true, "phoned": true, "videoconference": true, "call": true, "calls": true, "called": true, "conversation": true, "spoke": true, "rang": true}
var meetWords = map[string]bool{"met": true, "meet": true, "meets": true, "meeting": true, "hosted": true, "hosts": true, "visited": true, "visit": true, "visiting": true, "bilateral": true, "talks": true}
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
	d.proposeMemberships()
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
	// statements with a speaker come first
	if g.statement(si, s) {
		return
	}
	kind, _ := d.eventTrigger(s)
	anaphor := d.sentAnaphor(s)
	if kind == "" && anaphor == "" && len(people) < 2 {
		return
	}
	if into := g.eventFor(si, people, kind, anaphor); into != nil {
		into.add(d, si, s, people)
	}
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

func (d *doc) participant(id int) Participant {
	p := &d.kb.People[id]
	role, c, _ := p.Role(d.date)
	return Participant{Name: p.Name, Role: role, ISO3: c}
}

func (d *doc) sentSpan(si int) Span {
	s := d.sents[si]
	return d.ri.span(d.toks[s.i].start, d.toks[s.j-1].end)
}

func (d *doc) sentText(si int) string {
	s := d.sents[si]
	raw := d.text[d.toks[s.i].start:d.toks[s.j-1].end]
	if len(raw) > 600 {
		raw = raw[:600] // enough for 300 bytes after folding the spaces
	}
	t := strings.Join(strings.Fields(raw), " ")
	if len(t) > 300 {
		cut := strings.LastIndex(t[:300], " ")
		if cut < 0 {
			cut = 300
		}
		t = t[:cut] + "…"
	}
	return t
}

// eventDate is the first full date in the event's sentences, else the
// text's date.
func (d *doc) eventDate(sents []int) (coalition.Date, Span, bool) {
	for _, si := range sents {
		for _, x := range d.sents[si].dates {
			if x.Precision == PrecDay {
				return x.Date, d.ri.span(d.toks[x.i].start, d.toks[x.j-1].end), true
			}
		}
	}
	return d.date, Span{}, false
}

// proposeEngagement proposes event ev as an engagement, with its
// participants, a title, its sentences as evidence, its date and a
// confidence; an event with no participant is left out.
func (d *doc) proposeEngagement(ev *event) {
	if ev.kind == "talks" {
		ev.kind = "meeting"
	}
	p := Proposal{Type: ProposeEngagement, Kind: ev.kind, Topics: ev.topics, Asks: strings.Join(ev.asks, "; ")}
	names := d.addParticipants(&p, ev)
	if len(p.Participants) == 0 {
		return
	}
	p.Title = d.engagementTitle(&p, ev, names)
	for _, si := range ev.sents {
		p.Evidence = append(p.Evidence, d.sentSpan(si))
	}
	p.Summary = d.sentText(ev.sents[0])
	d.dateEngagement(&p, ev)
	p.Confidence = engagementConfidence(ev)
	d.out.Proposals = append(d.out.Proposals, p)
}

// addParticipants adds ev's people and governments to p as participants
// and countries; it returns their names for the title.
func (d *doc) addParticipants(p *Proposal, ev *event) []string {
	var names []string
	for _, id := range ev.people {
		pt := d.participant(id)
		p.Participants = append(p.Participants, pt)
		names = append(names, fmt.Sprintf("%s (%s)", pt.Name, pt.ISO3))
		p.Countries = appendNew(p.Countries, pt.ISO3)
	}
	for _, g := range ev.govs {
		p.Participants = append(p.Participants, Participant{Name: "Government of " + d.kb.countryName(g), ISO3: g})
		names = append(names, "the government of "+d.kb.countryName(g))
		p.Countries = appendNew(p.Countries, g)
	}
	return names
}

// engagementTitle names the engagement; a criticism also adds whom it
// criticises to p's participants.
func (d *doc) engagementTitle(p *Proposal, ev *event, names []string) string {
	switch {
	case ev.kind == "statement" && ev.criticism && ev.target >= 0:
		p.Participants = append(p.Participants, d.participant(ev.target))
		return fmt.Sprintf("%s criticises %s", names[0], d.kb.People[ev.target].Name)
	case ev.kind == "statement":
		return "Statement by " + names[0]
	}
	return fmt.Sprintf("%s: %s", ev.kind, strings.Join(names, ", "))
}

// dateEngagement dates p by its first full date, else the text's known
// date, and flags an event dated after the text.
func (d *doc) dateEngagement(p *Proposal, ev *event) {
	date, dsp, stated := d.eventDate(ev.sents)
	if date.IsZero() || !stated && !d.known {
		return
	}
	p.Date = &date
	if d.known && date.After(d.date) {
		d.flag(FlagFutureDate, "the "+ev.kind+" is dated "+date.String()+", after the text's date "+d.date.String()+" (planned, or a wrong date?)", &dsp)
	}
}

// engagementConfidence: calls and meetings with two people or told over
// several sentences, and statements by a person, are surer.
func engagementConfidence(ev *event) float64 {
	switch ev.kind {
	case "call", "meeting":
		conf := 0.6
		if len(ev.people) >= 2 {
			conf += 0.2
		}
		if len(ev.sents) >= 2 {
			conf += 0.1
		}
		return conf
	case "summit":
		return 0.6
	case "statement":
		conf := 0.6
		if len(ev.people) > 0 {
			conf += 0.1
		}
		return conf
	}
	return 0.5
}

func (d *doc) proposePledges() {
	rcpt := d.recipient()
	for si, s := range d.sents {
		for _, ai := range s.amts {
			a := d.amounts[ai]
			if a.kind != KindPledge {
				continue
			}
			donors := a.donors
			if len(donors) == 0 {
				donors = []string{a.donor}
			}
			for _, donor := range donors {
				d.proposePledge(si, s, a, donor, rcpt)
			}
		}
	}
}

// proposePledge proposes amount a of sentence si (s) as donor's pledge to
// rcpt, with its category, conditions, date, evidence and confidence.
func (d *doc) proposePledge(si int, s sentence, a amountAt, donor, rcpt string) {
	m := a.m
	p := Proposal{Type: ProposePledge, Donor: donor, Recipient: rcpt, Category: d.category(s), Amount: &m, Status: "announced", Conditions: d.conditions(s)}
	if donor == rcpt {
		p.Recipient = ""
	}
	date, _, stated := d.eventDate([]int{si})
	if !date.IsZero() && (stated || d.known) {
		p.Announced = &date
	}
	amt := d.ri.span(d.toks[a.i].start, d.toks[a.j-1].end)
	p.Evidence = []Span{d.sentSpan(si), amt}
	p.Confidence = pledgeConfidence(p, a)
	if len(a.joint) > 1 {
		d.proposeJoint(&p, a, donor, amt)
	}
	p.Topics = d.sentTopics(s, nil)
	d.out.Proposals = append(d.out.Proposals, p)
}

// pledgeConfidence: less when the donor was taken from the text as a
// whole, when no recipient or a condition is named, and when the amount is
// joint.
func pledgeConfidence(p Proposal, a amountAt) float64 {
	conf := 0.8
	if strings.HasPrefix(a.reason, "pledge; donor taken") {
		conf = 0.6
	}
	if p.Recipient == "" {
		conf -= 0.1
	}
	if p.Conditions != "" {
		conf -= 0.1
	}
	if len(a.joint) > 1 {
		conf -= 0.2
	}
	return conf
}

// proposeJoint names the other donors of a joint amount in p and flags it,
// since it is proposed once under donor.
func (d *doc) proposeJoint(p *Proposal, a amountAt, donor string, amt Span) {
	var names []string
	for _, x := range a.joint {
		if x != donor {
			p.JointWith = append(p.JointWith, x)
		}
		names = append(names, d.kb.countryName(x))
	}
	d.flag(FlagJoint, fmt.Sprintf("%s is announced jointly by %s: proposed once under %s; split it by hand if the shares are known",
		a.m.String(), strings.Join(names, " and "), d.kb.countryName(donor)), &amt)
}

var inclusionWords = map[string]string{"including": "prospect", "include": "prospect", "includes": "prospect", "like": "prospect", "such": "prospect",
	"joined": "joined", "join": "prospect", "joining": "prospect", "invited": "invited", "members": "joined"}
var potentialWords = map[string]bool{"potentially": true, "could": true, "may": true, "might": true, "would": true, "possible": true, "possibly": true,
	"proposed": true, "envisioned": true, "envisaged": true, "expected": true, "likely": true, "considering": true, "invited": true}

// proposeMemberships: countries named as (possible) members of a coalition
// ("a multinational alliance, potentially including the United Kingdom").
func (d *doc) proposeMemberships() {
	name := d.coalitionName()
	if name == "" {
		return
	}
	rcpt := d.recipient()
	seen := map[string]bool{}
	for si, s := range d.sents {
		if !d.hasWord(s.i, s.j, "coalition", "alliance", "group") {
			continue
		}
		for k := s.i; k < s.j; k++ {
			if status, ok := inclusionWords[d.toks[k].norm]; ok {
				d.proposeMembers(si, s, k, d.membershipStatus(s, k, status), name, rcpt, seen)
			}
		}
	}
}

// coalitionName is the name of the first coalition the text mentions, or "".
func (d *doc) coalitionName() string {
	for _, m := range d.ments {
		if m.kind == eOrg && d.kb.Orgs[m.id].Kind == "coalition" {
			return d.kb.Orgs[m.id].Name
		}
	}
	return ""
}

// membershipStatus: "joined" said of a possibility ("could join", "would
// include") is only a prospect.
func (d *doc) membershipStatus(s sentence, k int, status string) string {
	if d.hasWordList(s.i, k, potentialWords) && status == "joined" {
		return "prospect"
	}
	return status
}

// proposeMembers proposes the countries named after the inclusion word at
// k in its clause as members of the coalition name, each country once.
func (d *doc) proposeMembers(si int, s sentence, k int, status, name, rcpt string, seen map[string]bool) {
	_, b := d.clause(s, k, k+1)
	for _, mi := range s.ments {
		m := d.ments[mi]
		if m.kind != eCountry || m.i <= k || m.i >= b || m.form == formDemonym {
			continue
		}
		iso := d.kb.Countries[m.id].ISO3
		if iso == rcpt || seen[iso] {
			continue
		}
		seen[iso] = true
		conf := 0.5
		if status == "joined" {
			conf = 0.7
		}
		d.out.Proposals = append(d.out.Proposals, Proposal{Type: ProposeMembership, Coalition: name, Country: iso,
			Recipient: rcpt, Status: status, Evidence: []Span{d.sentSpan(si), d.ri.span(d.toks[m.i].start, d.toks[m.j-1].end)}, Confidence: conf})
	}
}

// hasWordList reports whether a word of set occurs in tokens [a, b).
func (d *doc) hasWordList(a, b int, set map[string]bool) bool {
	for k := a; k < b; k++ {
		if set[d.toks[k].norm] {
			return true
		}
	}
	return false
}

// collect writes the mentions into the output, in order of first mention.
func (d *doc) collect() {
	out := d.out
	byPerson, countries, orgs := d.spansByID()
	out.People = []PersonMention{}
	for _, id := range d.order {
		p := &d.kb.People[id]
		role, c, _ := p.Role(d.date)
		sp := byPerson[id]
		sortSpans(sp)
		out.People = append(out.People, PersonMention{Name: p.Name, Role: role, Country: c, Spans: sp})
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
