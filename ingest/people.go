package ingest

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"coalition"
)

type pendingPerson struct{ entries []entry }

// title is what precedes a name or stands for one: "former US President",
// "Mr", "the Prime Minister", "Germany's defence minister".
type title struct {
	i, j         int    // tokens of the whole title (with any punctuation before the name)
	end          int    // token after the office phrase or honorific
	group        string // office group, "" for an honorific alone
	country      string // ISO3 or org donor code stated with it ("US", "NATO")
	former       bool   // former, ex-, then-
	hypothetical bool   // returning, potential, future, incoming, -elect...
	honorific    bool   // Mr, Mrs, Sir...
}

var honorifics = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "sir": true, "dame": true, "lord": true, "lady": true, "madam": true, "mme": true, "monsieur": true, "madame": true, "herr": true, "frau": true}

var formerWords = map[string]bool{"former": true, "ex": true, "then": true, "erstwhile": true, "previous": true, "one-time": true, "onetime": true, "late": true}

var hypotheticalWords = map[string]bool{"returning": true, "potential": true, "possible": true, "future": true, "incoming": true, "would-be": true,
	"prospective": true, "next": true, "likely": true, "presumptive": true, "designate": true, "nominee": true, "candidate": true, "new": true, "outgoing": true, "caretaker": true}

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

// titleBefore reads a title ending right before token k, within the
// sentence starting at token s.
func (d *doc) titleBefore(k, s int) *title {
	p := k - 1
	skipped := 0
	for p >= s && skipped < 2 && isAppositivePunct(d.toks[p].text) {
		p--
		skipped++
	}
	if p < s {
		return nil
	}
	if skipped == 0 && honorifics[d.toks[p].norm] {
		return &title{i: p, j: k, end: p + 1, honorific: true}
	}
	ti := d.officeEndingAt(p, s)
	if ti == nil {
		return nil
	}
	if skipped > 0 && !(ti.i > s && d.toks[ti.i-1].norm == "the" || ti.country != "" || ti.former) {
		return nil // "..., President" needs "the sitting US President," before a name
	}
	ti.j = k
	return ti
}

func isAppositivePunct(s string) bool {
	switch s {
	case ",", "\"", "“", "”", "'", "‘", "’":
		return true
	}
	return false
}

// officeEndingAt finds an office phrase ending at token p (inclusive), and
// the country and modifiers before it.
func (d *doc) officeEndingAt(p, s int) *title {
	ti := d.officePhrase(p, s)
	if ti == nil {
		return nil
	}
	ti.end = p + 1
	if isElect(d.toks[p].norm) {
		ti.hypothetical = true
	}
	d.officeCountry(ti, s)
	d.officeModifiers(ti, s)
	return ti
}

// officePhrase finds the longest office phrase that ends at token p and
// starts at most four tokens before it, within the sentence from s; a
// prefix ("ex-President", "then-Secretary", "President-elect") says it is
// former or hypothetical.
func (d *doc) officePhrase(p, s int) *title {
	var buf []byte
	for st := max(s, p-4); st <= p; st++ {
		if pre, rest, ok := splitPrefix(d.toks[st].norm); ok {
			if g := d.prefixedOffice(st, p, rest, &buf); g != "" {
				return &title{i: st, group: g, former: pre != "elect", hypothetical: pre == "elect"}
			}
			continue
		}
		if g := d.officeAt(d.toks, st, p+1, &buf); g != "" {
			return &title{i: st, group: g}
		}
	}
	return nil
}

// officeAt returns the office group of a phrase of the index covering
// exactly toks[st:end], or "".
func (d *doc) officeAt(toks []token, st, end int, buf *[]byte) string {
	m, ok := d.ix.lookup(toks, st, end, buf)
	if !ok || m.j != end {
		return ""
	}
	return officeEntry(m)
}

// prefixedOffice looks the tokens st..p up with the prefix of the first
// cut off (rest), on a copy so that the text's tokens stay as written.
func (d *doc) prefixedOffice(st, p int, rest string, buf *[]byte) string {
	cp := make([]token, p-st+1)
	copy(cp, d.toks[st:p+1])
	cp[0].norm = rest
	return d.officeAt(cp, 0, len(cp), buf)
}

// officeCountry reads the country or organisation before the office ("US
// President", "Germany's defence minister", "European Commission
// President") and widens the title to it.
func (d *doc) officeCountry(ti *title, s int) {
	q := ti.i
	if q-1 >= s && d.toks[q-1].norm == "'s" {
		q--
	}
	k, ok := d.endAt.get(q)
	if !ok || q <= s {
		return
	}
	m := d.ments[k]
	switch m.kind {
	case eCountry:
		ti.country = d.kb.Countries[m.id].ISO3
	case eOrg:
		ti.ofOrg(d.kb.Orgs[m.id])
	default:
		return
	}
	ti.i = m.i
}

// orgPresidents are the organisations whose president is an office group
// of its own.
var orgPresidents = map[string]string{"EC": "commission-president", "EUCO": "council-president"}

// orgCountries are the codes the terms of NATO and UN officials carry.
var orgCountries = map[string]string{"NATO": "NATO", "UN": "UNO"}

// ofOrg makes the title one of organisation o: its donor code, or the code
// of its officials' terms, and its own presidency.
func (ti *title) ofOrg(o Org) {
	ti.country = o.Donor
	if g, ok := orgPresidents[o.ID]; ok && ti.group == "president" {
		ti.group = g
	}
	if c, ok := orgCountries[o.ID]; ok {
		ti.country = c
	}
}

// sittingWords say that a title is current, which it is anyway.
var sittingWords = map[string]bool{"sitting": true, "current": true, "incumbent": true, "serving": true, "acting": true, "interim": true}

// officeModifiers reads up to two modifiers before the title ("former",
// "sitting", "returning", "ex-") and widens the title to them.
func (d *doc) officeModifiers(ti *title, s int) {
	for n := 0; n < 2 && ti.i-1 >= s; n++ {
		if !ti.modifiedBy(d.toks[ti.i-1].norm) {
			return
		}
		ti.i--
	}
}

// modifiedBy records what the word w before a title says of it; false if w
// is no modifier.
func (ti *title) modifiedBy(w string) bool {
	switch {
	case formerWords[w]:
		ti.former = true
	case hypotheticalWords[w]:
		ti.hypothetical = true
	case sittingWords[w]:
	default:
		pre, _, ok := splitPrefix(w)
		if !ok || pre == "elect" {
			return false
		}
		ti.former = true
	}
	return true
}

// splitPrefix splits "ex-president" into "ex" and "president" (also
// "then-", "former-"), and "president-elect" into "elect" and "president".
func splitPrefix(w string) (pre, rest string, ok bool) {
	for _, p := range []string{"ex-", "then-", "former-"} {
		if len(w) > len(p) && w[:len(p)] == p {
			return p[:len(p)-1], w[len(p):], true
		}
	}
	if isElect(w) {
		return "elect", w[:len(w)-6], true
	}
	return "", "", false
}

// isElect: "president-elect", not "-elect" alone.
func isElect(w string) bool { return len(w) > 6 && strings.HasSuffix(w, "-elect") }

func officeEntry(m match) string {
	for _, e := range m.entries {
		if e.kind == eOffice {
			return e.group
		}
	}
	return ""
}

// holdsOn reports whether p holds an office of group g (in country c, if
// given) on date; with no date, whether such a term is still open.
func holdsOn(p *Person, g, c string, date coalition.Date) bool {
	for _, t := range p.Terms {
		if !termFits(t, g, c) {
			continue
		}
		if date.IsZero() && t.End.IsZero() || !date.IsZero() && t.HeldOn(date) {
			return true
		}
	}
	return false
}

// heldBefore reports whether p left an office of group g (in c) before date.
func heldBefore(p *Person, g, c string, date coalition.Date) bool {
	for _, t := range p.Terms {
		if termFits(t, g, c) && !t.End.IsZero() && (date.IsZero() || !date.Before(t.End)) {
			return true
		}
	}
	return false
}

// interval is [from, to); a zero to is open.
type interval struct{ from, to coalition.Date }

func (iv interval) empty() bool { return !iv.to.IsZero() && !iv.from.Before(iv.to) }

// claimWindows returns when a title's claim about p is true.
func claimWindows(p *Person, ti *title) []interval {
	var terms []Term
	for _, t := range p.Terms {
		if termFits(t, ti.group, ti.country) {
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return nil
	}
	sort.Slice(terms, func(a, b int) bool { return terms[a].Start.Before(terms[b].Start) })
	if ti.former {
		return gapsAfter(terms)
	}
	var out []interval
	for _, t := range terms {
		out = append(out, interval{t.Start, t.End})
	}
	return out
}

// gapsAfter returns when someone was a former holder of the offices terms
// (sorted by start): from the end of each term to the start of the next.
func gapsAfter(terms []Term) []interval {
	var out []interval
	for k, t := range terms {
		if t.End.IsZero() {
			break
		}
		iv := interval{from: t.End}
		if k+1 < len(terms) {
			iv.to = terms[k+1].Start
		}
		if !iv.empty() {
			out = append(out, iv)
		}
	}
	return out
}

func intersect(a, b []interval) []interval {
	var out []interval
	for _, x := range a {
		for _, y := range b {
			iv := interval{from: x.from, to: x.to}
			if y.from.After(iv.from) {
				iv.from = y.from
			}
			if iv.to.IsZero() || !y.to.IsZero() && y.to.Before(iv.to) {
				iv.to = y.to
			}
			if !iv.empty() {
				out = append(out, iv)
			}
		}
	}
	return out
}

// inferDate: the text states no date and none was given. The titles it
// uses ("former US President Donald Trump", "the sitting US President, Joe
// Biden") are true only in some windows of time; when they meet in one
// closed window, roles are read as of its last day.
func (d *doc) inferDate() {
	win := d.titleWindows()
	if len(win) == 0 {
		d.flag(FlagDateUnknown, "the text states no date and none was given (--date): offices are read as the knowledge base last knows them", nil)
		return
	}
	last := latest(win)
	if last.to.IsZero() {
		d.flag(FlagDateUnknown, fmt.Sprintf("the text states no date and none was given (--date); its titles fit any date from %s on: offices are read as the knowledge base last knows them", last.from), nil)
		return
	}
	d.date = addDays(last.to, -1)
	d.flag(FlagDateWindow, fmt.Sprintf("the text states no date and none was given (--date); the titles it gives people fit %s to %s, so offices are read as of %s", last.from, d.date, d.date), nil)
}

// titleWindows returns the windows of time in which every title of the
// text is true; none when no title says anything about the date.
func (d *doc) titleWindows() []interval {
	var win []interval
	claims := 0
	for _, m := range d.ments {
		if !titledPerson(m) {
			continue
		}
		w := claimWindows(&d.kb.People[m.id], m.title)
		if w == nil {
			continue
		}
		if claims == 0 {
			win = w
		} else {
			win = intersect(win, w)
		}
		claims++
	}
	return win
}

// latest returns the window of win that ends last (an open one first).
func latest(win []interval) interval {
	last := win[len(win)-1]
	for _, iv := range win {
		if iv.to.IsZero() || !last.to.IsZero() && iv.to.After(last.to) {
			last = iv
		}
	}
	return last
}

// titledPerson: a resolved person named with an office title that claims
// something about the date (an "incoming" one does not).
func titledPerson(m mention) bool {
	return m.kind == ePerson && m.id >= 0 && m.title != nil && m.title.group != "" && !m.title.hypothetical
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

// roleFlags: a title that does not fit the text's date ("former US
// President" while in office; a minister named after leaving office).
func (d *doc) roleFlags() {
	if !d.known {
		return
	}
	seen := map[string]bool{}
	for _, m := range d.ments {
		if !titledPerson(m) {
			continue
		}
		msg := d.roleMismatch(m)
		key := fmt.Sprint(m.id, m.title.group, m.title.former)
		if msg == "" || seen[key] {
			continue
		}
		seen[key] = true
		sp := d.ri.span(d.toks[m.title.i].start, d.toks[m.j-1].end)
		d.flag(FlagRole, msg, &sp)
	}
}

// roleMismatch says how the title of person mention m contradicts the
// text's date, or "" when it fits.
func (d *doc) roleMismatch(m mention) string {
	p := &d.kb.People[m.id]
	ti := m.title
	written := d.text[d.toks[ti.i].start:d.toks[ti.end-1].end]
	holds := holdsOn(p, ti.group, ti.country, d.date)
	switch {
	case ti.former && holds:
		role, c, t := p.Role(d.date)
		return fmt.Sprintf("%q calls %s a former office holder, but on %s %s is %s (%s) since %s", written, p.Name, d.date, p.Name, role, d.kb.countryName(c), t.Start)
	case ti.former || holds:
		return ""
	}
	ended, starts := d.termsAround(p, ti)
	switch {
	case ended != nil:
		return fmt.Sprintf("%q: %s left the office of %s (%s) on %s, before the text's date %s", written, p.Name, ended.Office, d.kb.countryName(ended.Country), ended.End, d.date)
	case starts != nil:
		return fmt.Sprintf("%q: %s took the office of %s (%s) only on %s, after the text's date %s", written, p.Name, starts.Office, d.kb.countryName(starts.Country), starts.Start, d.date)
	}
	return ""
}

// termsAround returns p's last term of ti's office that ended by the
// text's date, and the first that starts after it.
func (d *doc) termsAround(p *Person, ti *title) (ended, starts *Term) {
	for i := range p.Terms {
		t := &p.Terms[i]
		if !termFits(*t, ti.group, ti.country) {
			continue
		}
		if !t.End.IsZero() && !d.date.Before(t.End) {
			ended = t
		} else if d.date.Before(t.Start) && starts == nil {
			starts = t
		}
	}
	return ended, starts
}

func (d *doc) flag(kind, msg string, sp *Span) {
	d.out.Flags = append(d.out.Flags, Flag{Kind: kind, Message: msg, Span: sp})
}
