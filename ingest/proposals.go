package ingest

import (
	"fmt"
	"strings"

	"coalition"
)

func (d *doc) participant(id int) Participant {
	p := &d.kb.People[id]
	role, c, t := p.Role(d.date)
	return Participant{Name: p.Name, Role: role, RoleUnverified: t != nil && t.Unverified(), ISO3: c}
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

// plannedDate is the first full date in a planned event's sentences that
// is after the text's date: the dateline says when it was planned.
func (d *doc) plannedDate(sents []int) (coalition.Date, Span, bool) {
	for _, si := range sents {
		for _, x := range d.sents[si].dates {
			if x.Precision == PrecDay && (!d.known || x.Date.After(d.date)) {
				return x.Date, d.ri.span(d.toks[x.i].start, d.toks[x.j-1].end), true
			}
		}
	}
	return coalition.Date{}, Span{}, false
}

// proposeEngagement proposes event ev as an engagement, with its
// participants, a title, its sentences as evidence, its date and a
// confidence; an event with no participant is left out.
func (d *doc) proposeEngagement(ev *event) {
	if ev.kind == "talks" {
		ev.kind = "meeting"
	}
	p := Proposal{Type: ProposeEngagement, Kind: ev.kind, Topics: ev.topics, Asks: strings.Join(ev.asks, "; "), Status: "held"}
	if ev.planned {
		p.Status = "planned"
	}
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
	p.Rule = fmt.Sprintf("%s %s, told in %d sentence(s)", p.Status, ev.kind, len(ev.sents))
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
// date, and flags an event held after the text. A planned event with no
// date of its own stays undated (the text's date is when it was planned,
// not when it happens) and is flagged for the reviewer to date.
func (d *doc) dateEngagement(p *Proposal, ev *event) {
	date, dsp, stated := d.eventDate(ev.sents)
	if ev.planned {
		date, dsp, stated = d.plannedDate(ev.sents)
	}
	if ev.planned && !stated {
		sp := d.sentSpan(ev.sents[0])
		d.flag(FlagDateUnknown, "the "+ev.kind+" is planned and the text gives no date for it", &sp)
		return
	}
	if date.IsZero() || !stated && !d.known {
		return
	}
	p.Date = &date
	if d.known && date.After(d.date) && !ev.planned {
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
	p.Rule = a.reason
	if a.trig >= 0 {
		end := d.toks[d.triggerEnd(a.trig, s.j)-1].end
		p.Evidence = append(p.Evidence, d.ri.span(d.toks[a.trig].start, end))
		p.Rule += fmt.Sprintf("; words %q", d.text[d.toks[a.trig].start:end])
	}
	p.Confidence = pledgeConfidence(p, a)
	if len(a.joint) > 1 {
		d.proposeJoint(&p, a, donor, amt)
	}
	p.Topics = d.sentTopics(s, nil)
	d.out.Proposals = append(d.out.Proposals, p)
}

// pledgeConfidence: less when the donor was taken from the text as a
// whole, when the verb comes after the amount, when no recipient or a
// condition is named, and when the amount is joint.
func pledgeConfidence(p Proposal, a amountAt) float64 {
	conf := 0.8
	if strings.HasPrefix(a.reason, "pledge; donor taken") {
		conf = 0.6
	}
	if a.trig > a.i {
		conf -= 0.1
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
			Recipient: rcpt, Status: status, Evidence: []Span{d.sentSpan(si), d.ri.span(d.toks[m.i].start, d.toks[m.j-1].end)}, Confidence: conf,
			Rule: fmt.Sprintf("membership: %q before the country in a sentence on the coalition", d.toks[k].text)})
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

// categories in order of precedence: the first whose word occurs in the
// sentence wins. A word matches inside a longer word ("drone" in "drones").
var categories = []struct{ code, words string }{
	{"air-defence", "air defence|air defense|air-defence|patriot|iris-t|nasams|interceptor"},
	{"ammunition", "ammunition|artillery|shells|howitzer|155mm|rockets"},
	{"armour", "tanks|armoured|armored|infantry fighting|leopard|abrams|bradley"},
	{"aircraft", "aircraft|f-16|jets|helicopters"},
	{"drones", "drone|uav|uncrewed|unmanned"},
	{"naval", "naval|boats|ships|maritime|vessels"},
	{"training", "training"},
	{"humanitarian", "humanitarian|food aid|medical|refugees|winter aid"},
	{"reconstruction", "reconstruction|energy|rebuild|power grid|generators"},
	{"budget-support", "budget support|budgetary support|budget"},
	{"guarantees", "guarantee"},
	{"loans", "loan"},
	{"military", "military|weapons|defence|defense|arms|equipment"},
	{"financial", "financial|economic|macro-financial"},
}

// categoryPairFirst holds the first words of the two-word category words.
var categoryPairFirst = func() map[string]bool {
	first := map[string]bool{}
	for _, c := range categories {
		for _, w := range strings.Split(c.words, "|") {
			if a, _, ok := strings.Cut(w, " "); ok {
				first[a] = true
			}
		}
	}
	return first
}()

func categoryRankOf(text string) int8 {
	for r, c := range categories {
		for _, w := range strings.Split(c.words, "|") {
			if strings.Contains(text, w) {
				return int8(r)
			}
		}
	}
	return int8(len(categories))
}

// category guesses the pledge category from the sentence's words: the
// category of highest precedence whose word occurs in a token ("drones") or
// across two ("air defence"). Each spelling is looked at once per text.
func (d *doc) category(s sentence) string {
	if c := d.systemCategory(s); c != "" {
		return c // a catalogue system is the most specific word
	}
	if d.cats == nil {
		d.cats = map[string]int8{}
	}
	rank := func(w string) int8 {
		r, ok := d.cats[w]
		if !ok {
			r = categoryRankOf(w)
			d.cats[w] = r
		}
		return r
	}
	best := int8(len(categories))
	for k := s.i; k < s.j; k++ {
		n := d.toks[k].norm
		best = min(best, rank(n))
		if categoryPairFirst[n] && k+1 < s.j {
			best = min(best, rank(n+" "+d.toks[k+1].norm))
		}
	}
	if int(best) < len(categories) {
		return categories[best].code
	}
	return ""
}

// conditions returns an "if ..." or "provided that ..." clause of s.
func (d *doc) conditions(s sentence) string {
	for k := s.i; k < s.j; k++ {
		if d.conditionAt(s, k) {
			_, b := d.clause(s, k, k+1)
			return strings.TrimSpace(d.text[d.toks[k].start:d.toks[b-1].end])
		}
	}
	return ""
}

// conditionWords open a condition, some only with the word given after
// them ("provided that", "subject to").
var conditionWords = map[string]string{"if": "", "provided": "that", "subject": "to", "conditional": "", "unless": ""}

// conditionAt: a condition starts at token k of s.
func (d *doc) conditionAt(s sentence, k int) bool {
	next, ok := conditionWords[d.toks[k].norm]
	return ok && (next == "" || k+1 < s.j && d.toks[k+1].norm == next)
}
