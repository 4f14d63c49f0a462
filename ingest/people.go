package ingest

import (
	"slices"

	"coalition"
)

type pendingPerson struct{ entries []entry }

// resolvePeople turns person candidates into people, in document order:
// a full name always; a surname after the full name, behind a title, or
// when only one person of the KB bears it and it is not a common word.
func (d *doc) resolvePeople() {
	d.endAt = newTokMap(d.sc.endAt, len(d.toks))
	d.sc.endAt = d.endAt
	for k, m := range d.ments {
		if m.kind != ePerson {
			d.endAt.set(m.j, k)
		}
	}
	mentioned := d.mentionedCountries()
	for k := range d.ments {
		if m := &d.ments[k]; m.kind == ePerson && m.id < 0 {
			d.resolvePerson(k, mentioned)
		}
	}
}

// mentionedCountries are the countries mentioned anywhere, to break ties
// between namesakes.
func (d *doc) mentionedCountries() map[string]bool {
	mentioned := map[string]bool{}
	for _, m := range d.ments {
		if m.kind == eCountry {
			mentioned[d.kb.Countries[m.id].ISO3] = true
		}
	}
	return mentioned
}

// resolvePerson resolves the person candidate ments[k] to a person, or
// else to what else its words name.
func (d *doc) resolvePerson(k int, mentioned map[string]bool) {
	m := &d.ments[k]
	p := d.pending[-1-m.id]
	ti := d.titleBefore(m.i, d.sents[m.sent].i)
	var cands []entry
	for _, e := range p.entries {
		if e.kind == ePerson {
			cands = append(cands, e)
		}
	}
	id := d.pickPerson(cands, ti, mentioned)
	if id < 0 {
		d.notAPerson(k, p)
		return
	}
	m.id, m.title = id, ti
	ps := d.notePerson(id)
	for _, e := range cands {
		if e.id == id && e.full {
			ps.named = true
		}
	}
	d.endAt.set(m.j, k)
	d.persons = append(d.persons, k)
}

// notePerson returns the state of person id, first noting the person in
// the order of first mention.
func (d *doc) notePerson(id int) *personState {
	ps := d.people[id]
	if ps == nil {
		ps = &personState{id: id}
		d.people[id] = ps
		d.order = append(d.order, id)
	}
	return ps
}

// notAPerson: the candidate ments[k] is nobody here, but keeps what else
// its words name ("Montenegro"), or nothing (kind 255).
func (d *doc) notAPerson(k int, p pendingPerson) {
	m := &d.ments[k]
	m.kind = 255
	for _, e := range p.entries {
		if e.kind == eCountry || e.kind == eOrg || e.kind == eTopic {
			m.kind, m.form, m.id = e.kind, e.form, e.id
			d.endAt.set(m.j, k)
			return
		}
	}
}

// candidates are the KB people one name may mean.
type candidates struct {
	ids  map[int]bool // every person the name may be
	full map[int]bool // those whose full name it is
	weak bool         // some entry is a surname that is also a common word
}

// candidatesOf gathers the person entries of one name, for pickPerson's
// tests.
func candidatesOf(cands []entry) candidates {
	c := candidates{ids: map[int]bool{}, full: map[int]bool{}}
	for _, e := range cands {
		c.ids[e.id] = true
		if e.full {
			c.full[e.id] = true
		}
		c.weak = c.weak || e.weak
	}
	return c
}

// anyOf returns an id of set, which callers know holds exactly one.
func anyOf(set map[int]bool) int {
	for id := range set {
		return id
	}
	return -1
}

// pickPerson decides whom a name means, or -1: the full name of one
// person, someone already named in full, the one holder of the title
// before it, the only bearer of a name that is not a common word, or the
// namesake in office in a country the text names.
func (d *doc) pickPerson(cands []entry, ti *title, mentioned map[string]bool) int {
	c := candidatesOf(cands)
	if len(c.full) == 1 {
		return anyOf(c.full)
	}
	if id, ok := d.namedInFull(c.ids); ok {
		return id
	}
	if ti != nil && ti.group != "" {
		if fit := d.titleHolders(c.ids, ti); len(fit) == 1 {
			return fit[0]
		}
	}
	if len(c.ids) == 1 && (!c.weak || ti != nil) {
		return anyOf(c.ids)
	}
	if fit := d.inOfficeIn(c.ids, mentioned); len(fit) == 1 && (ti != nil || !c.weak) {
		return fit[0]
	}
	return -1
}

// namedInFull returns one of ids already named in full in the text.
func (d *doc) namedInFull(ids map[int]bool) (int, bool) {
	for id := range ids {
		if ps := d.people[id]; ps != nil && ps.named {
			return id, true
		}
	}
	return 0, false
}

// titleHolders are those of ids who ever held the title's office (in its
// country, if it names one): a title narrows namesakes.
func (d *doc) titleHolders(ids map[int]bool, ti *title) []int {
	var fit []int
	for id := range ids {
		if slices.ContainsFunc(d.kb.People[id].Terms, func(t Term) bool { return termFits(t, ti.group, ti.country) }) {
			fit = append(fit, id)
		}
	}
	return fit
}

// inOfficeIn are those of ids in office on the text's date (any date when
// it has none) in a country the text mentions.
func (d *doc) inOfficeIn(ids map[int]bool, mentioned map[string]bool) []int {
	var fit []int
	for id := range ids {
		if slices.ContainsFunc(d.kb.People[id].Terms, func(t Term) bool { return mentioned[t.Country] && (d.date.IsZero() || t.HeldOn(d.date)) }) {
			fit = append(fit, id)
		}
	}
	return fit
}

// termFits reports whether term t is an office of group (in country, if
// one is given): what a title claims.
func termFits(t Term, group, country string) bool {
	return officeGroup(t.Office) == group && (country == "" || t.Country == country)
}

// titleOnlyMentions resolves "the Prime Minister", "the former president",
// "the German Chancellor" to a person: the latest one named whose office
// fits, or, with a country and a date, the holder of that office.
func (d *doc) titleOnlyMentions() {
	used := d.titleTokens()
	n := len(d.ments)
	for k := 0; k < n; k++ {
		m := d.ments[k]
		if m.kind != eOffice || used[m.i] {
			continue
		}
		ti := d.standaloneTitle(m)
		if ti == nil {
			continue
		}
		if id := d.titleReferent(ti, m); id >= 0 {
			d.addTitleMention(m, ti, id)
		}
	}
}

// titleTokens are the tokens that are part of a name's title, which
// cannot stand for a person themselves.
func (d *doc) titleTokens() map[int]bool {
	used := map[int]bool{}
	for _, m := range d.ments {
		if m.kind == ePerson && m.id >= 0 && m.title != nil {
			for k := m.title.i; k < m.title.j; k++ {
				used[k] = true
			}
		}
	}
	return used
}

// standaloneTitle reads the office mention m as a title standing for a
// person: with "the" or a country, not hypothetical, and not followed by a
// name (then it is that name's title); else nil.
func (d *doc) standaloneTitle(m mention) *title {
	ti := d.officeEndingAt(m.j-1, d.sents[m.sent].i)
	if ti == nil {
		return nil
	}
	ti.j = m.j
	hasThe := ti.i > d.sents[m.sent].i && d.toks[ti.i-1].norm == "the"
	if !hasThe && ti.country == "" || ti.hypothetical {
		return nil
	}
	if next, ok := d.mentionStarting(m.j); ok && d.ments[next].kind == ePerson {
		return nil
	}
	return ti
}

// addTitleMention adds a mention of person id by the title ti (with its
// "the") found at office mention m.
func (d *doc) addTitleMention(m mention, ti *title, id int) {
	d.notePerson(id)
	nm := mention{kind: ePerson, i: ti.i, j: ti.j, sent: m.sent, id: id, title: ti}
	if ti.i > 0 && d.toks[ti.i-1].norm == "the" {
		nm.i = ti.i - 1
	}
	d.sents[m.sent].ments = append(d.sents[m.sent].ments, len(d.ments))
	d.ments = append(d.ments, nm)
	d.persons = append(d.persons, len(d.ments)-1)
	if d.startAt != nil {
		if _, taken := d.startAt.get(nm.i); !taken {
			d.startAt.set(nm.i, len(d.ments)-1)
		}
	}
}

func (d *doc) mentionStarting(tok int) (int, bool) {
	if d.startAt == nil {
		d.startAt = newTokMap(d.sc.startAt, len(d.toks))
		d.sc.startAt = d.startAt
		for k := len(d.ments) - 1; k >= 0; k-- {
			if d.ments[k].kind != 255 {
				d.startAt.set(d.ments[k].i, k)
			}
		}
	}
	return d.startAt.get(tok)
}

// titleReferent picks whom a title without a name means: the latest
// person named before whose office fits; for a former office, else the
// latest who ever held it (flagged later if it does not fit the date);
// else, with a country and a date, whoever held the office then.
func (d *doc) titleReferent(ti *title, at mention) int {
	best, fallback := d.namedHolder(ti, at)
	if best >= 0 {
		return best
	}
	if ti.former {
		return fallback
	}
	if ti.country != "" && d.known {
		return d.soleHolder(ti)
	}
	return -1
}

// namedHolder looks back over the last 200 people named before at for one
// whose office fits ti on the text's date (best), and for a former title
// the latest who held that office at any time (fallback); -1 for none.
func (d *doc) namedHolder(ti *title, at mention) (best, fallback int) {
	fallback = -1
	looked := 0
	for q := len(d.persons) - 1; q >= 0 && looked < 200; q-- {
		m := d.ments[d.persons[q]]
		if m.id < 0 || m.i >= at.i {
			continue
		}
		looked++
		p := &d.kb.People[m.id]
		if d.titleFitsNow(p, ti) {
			return m.id, fallback
		}
		if ti.former && fallback < 0 && everHeld(p, ti) {
			fallback = m.id
		}
	}
	return -1, fallback
}

// titleFitsNow reports whether ti is true of p on the text's date.
func (d *doc) titleFitsNow(p *Person, ti *title) bool {
	if ti.former {
		return heldBefore(p, ti.group, ti.country, d.date) && !holdsOn(p, ti.group, ti.country, d.date)
	}
	return holdsOn(p, ti.group, ti.country, d.date)
}

// everHeld reports whether p held or holds ti's office at any time.
func everHeld(p *Person, ti *title) bool {
	return heldBefore(p, ti.group, ti.country, coalition.Date{}) || holdsOn(p, ti.group, ti.country, coalition.Date{})
}

// soleHolder is the one person of the KB holding ti's office on the text's
// date, or -1 when none or two do (an acting one: left to the reviewer).
func (d *doc) soleHolder(ti *title) int {
	found := -1
	for id := range d.kb.People {
		if holdsOn(&d.kb.People[id], ti.group, ti.country, d.date) {
			if found >= 0 {
				return -1
			}
			found = id
		}
	}
	return found
}

func (d *doc) flag(kind, msg string, sp *Span) {
	d.out.Flags = append(d.out.Flags, Flag{Kind: kind, Message: msg, Span: sp})
}
