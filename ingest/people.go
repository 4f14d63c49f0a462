package ingest

import (
	"fmt"
	"sort"

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
	// countries mentioned anywhere, to break ties between namesakes
	mentioned := map[string]bool{}
	for _, m := range d.ments {
		if m.kind == eCountry {
			mentioned[d.kb.Countries[m.id].ISO3] = true
		}
	}
	for k := range d.ments {
		m := &d.ments[k]
		if m.kind != ePerson || m.id >= 0 {
			continue
		}
		p := d.pending[-1-m.id]
		ti := d.titleBefore(m.i, d.sents[m.sent].i)
		var cands []entry
		for _, e := range p.entries {
			if e.kind == ePerson {
				cands = append(cands, e)
			}
		}
		id := d.pickPerson(cands, ti, mentioned)
		if id >= 0 {
			m.id, m.title = id, ti
			ps := d.people[id]
			if ps == nil {
				ps = &personState{id: id}
				d.people[id] = ps
				d.order = append(d.order, id)
			}
			for _, e := range cands {
				if e.id == id && e.full {
					ps.named = true
				}
			}
			d.endAt.set(m.j, k)
			d.persons = append(d.persons, k)
			continue
		}
		// not a person here: keep what else the words name ("Montenegro")
		m.kind = 255
		for _, e := range p.entries {
			if e.kind == eCountry || e.kind == eOrg || e.kind == eTopic {
				m.kind, m.form, m.id = e.kind, e.form, e.id
				d.endAt.set(m.j, k)
				break
			}
		}
	}
}

func (d *doc) pickPerson(cands []entry, ti *title, mentioned map[string]bool) int {
	ids := map[int]bool{}
	full := map[int]bool{}
	weak := false
	for _, e := range cands {
		ids[e.id] = true
		if e.full {
			full[e.id] = true
		}
		if e.weak {
			weak = true
		}
	}
	// a full name of one person
	if len(full) == 1 {
		for id := range full {
			return id
		}
	}
	// someone already named in full
	for id := range ids {
		if ps := d.people[id]; ps != nil && ps.named {
			return id
		}
	}
	// a title narrows namesakes to the office holder
	if ti != nil && ti.group != "" {
		var fit []int
		for id := range ids {
			p := &d.kb.People[id]
			for _, t := range p.Terms {
				if officeGroup(t.Office) == ti.group && (ti.country == "" || ti.country == t.Country) {
					fit = append(fit, id)
					break
				}
			}
		}
		if len(fit) == 1 {
			return fit[0]
		}
	}
	if len(ids) == 1 && (!weak || ti != nil) {
		for id := range ids {
			return id
		}
	}
	// namesakes: the one in office on the date whose country the text names
	var fit []int
	for id := range ids {
		p := &d.kb.People[id]
		for _, t := range p.Terms {
			if mentioned[t.Country] && (d.date.IsZero() || t.HeldOn(d.date)) {
				fit = append(fit, id)
				break
			}
		}
	}
	if len(fit) == 1 && (ti != nil || !weak) {
		return fit[0]
	}
	return -1
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
	var ti *title
	var buf []byte
	for st := max(s, p-4); st <= p; st++ {
		toks := d.toks
		t0 := toks[st]
		former, hyp := false, false
		if pre, rest, ok := splitPrefix(t0.norm); ok {
			// "ex-President", "then-Secretary": look the rest up on a copy
			cp := make([]token, p-st+1)
			copy(cp, toks[st:p+1])
			cp[0].norm = rest
			toks = cp
			former = pre != "elect"
			hyp = pre == "elect"
			if m, ok := d.ix.lookup(toks, 0, len(toks), &buf); ok && m.j == len(toks) {
				if g := officeEntry(m); g != "" {
					ti = &title{i: st, group: g, former: former, hypothetical: hyp}
					break
				}
			}
			continue
		}
		if m, ok := d.ix.lookup(toks, st, p+1, &buf); ok && m.j == p+1 {
			if g := officeEntry(m); g != "" {
				ti = &title{i: st, group: g}
				break
			}
		}
	}
	if ti == nil {
		return nil
	}
	ti.end = p + 1
	if last := d.toks[p].norm; len(last) > 6 && last[len(last)-6:] == "-elect" {
		ti.hypothetical = true
	}
	// country or organisation before the office: "US President", "Germany's
	// defence minister", "European Commission President"
	q := ti.i
	if q-1 >= s && d.toks[q-1].norm == "'s" {
		q--
	}
	if k, ok := d.endAt.get(q); ok && q > s {
		m := d.ments[k]
		switch m.kind {
		case eCountry:
			ti.country = d.kb.Countries[m.id].ISO3
			ti.i = m.i
		case eOrg:
			o := d.kb.Orgs[m.id]
			ti.country = o.Donor
			if o.ID == "EC" && ti.group == "president" {
				ti.group = "commission-president"
			}
			if o.ID == "EUCO" && ti.group == "president" {
				ti.group = "council-president"
			}
			if o.ID == "NATO" || o.ID == "UN" {
				ti.country = map[string]string{"NATO": "NATO", "UN": "UNO"}[o.ID]
			}
			ti.i = m.i
		}
	}
	// modifiers: "former", "sitting", "returning"...
	for n := 0; n < 2 && ti.i-1 >= s; n++ {
		w := d.toks[ti.i-1].norm
		switch {
		case formerWords[w]:
			ti.former = true
		case hypotheticalWords[w]:
			ti.hypothetical = true
		case w == "sitting" || w == "current" || w == "incumbent" || w == "serving" || w == "acting" || w == "interim":
		default:
			if pre, _, ok := splitPrefix(w); ok && pre != "elect" {
				ti.former = true
			} else {
				return ti
			}
		}
		ti.i--
	}
	return ti
}

// splitPrefix splits "ex-president" into "ex" and "president" (also
// "then-", "former-"), and "president-elect" into "elect" and "president".
func splitPrefix(w string) (pre, rest string, ok bool) {
	for _, p := range []string{"ex-", "then-", "former-"} {
		if len(w) > len(p) && w[:len(p)] == p {
			return p[:len(p)-1], w[len(p):], true
		}
	}
	if len(w) > 6 && w[len(w)-6:] == "-elect" {
		return "elect", w[:len(w)-6], true
	}
	return "", "", false
}

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
		if officeGroup(t.Office) != g || c != "" && t.Country != c {
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
		if officeGroup(t.Office) != g || c != "" && t.Country != c {
			continue
		}
		if !t.End.IsZero() && (date.IsZero() || !date.Before(t.End)) {
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
		if officeGroup(t.Office) == ti.group && (ti.country == "" || ti.country == t.Country) {
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return nil
	}
	sort.Slice(terms, func(a, b int) bool { return terms[a].Start.Before(terms[b].Start) })
	if !ti.former {
		var out []interval
		for _, t := range terms {
			out = append(out, interval{t.Start, t.End})
		}
		return out
	}
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
	var win []interval
	claims := 0
	for _, m := range d.ments {
		if m.kind != ePerson || m.id < 0 || m.title == nil || m.title.group == "" || m.title.hypothetical {
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
	if claims == 0 || len(win) == 0 {
		d.flag(FlagDateUnknown, "the text states no date and none was given (--date): offices are read as the knowledge base last knows them", nil)
		return
	}
	last := win[len(win)-1]
	for _, iv := range win {
		if iv.to.IsZero() || !last.to.IsZero() && iv.to.After(last.to) {
			last = iv
		}
	}
	if last.to.IsZero() {
		d.flag(FlagDateUnknown, fmt.Sprintf("the text states no date and none was given (--date); its titles fit any date from %s on: offices are read as the knowledge base last knows them", last.from), nil)
		return
	}
	d.date = addDays(last.to, -1)
	d.flag(FlagDateWindow, fmt.Sprintf("the text states no date and none was given (--date); the titles it gives people fit %s to %s, so offices are read as of %s", last.from, d.date, d.date), nil)
}

// titleOnlyMentions resolves "the Prime Minister", "the former president",
// "the German Chancellor" to a person: the latest one named whose office
// fits, or, with a country and a date, the holder of that office.
func (d *doc) titleOnlyMentions() {
	used := map[int]bool{} // tokens that are part of a name's title
	for _, m := range d.ments {
		if m.kind == ePerson && m.id >= 0 && m.title != nil {
			for k := m.title.i; k < m.title.j; k++ {
				used[k] = true
			}
		}
	}
	n := len(d.ments)
	for k := 0; k < n; k++ {
		m := d.ments[k]
		if m.kind != eOffice || used[m.i] {
			continue
		}
		ti := d.officeEndingAt(m.j-1, d.sents[m.sent].i)
		if ti == nil {
			continue
		}
		ti.j = m.j
		hasThe := ti.i > d.sents[m.sent].i && d.toks[ti.i-1].norm == "the"
		if !hasThe && ti.country == "" {
			continue
		}
		if ti.hypothetical {
			continue
		}
		// a name right after is a title, handled with the name
		if next, ok := d.mentionStarting(m.j); ok && d.ments[next].kind == ePerson {
			continue
		}
		id := d.titleReferent(ti, m)
		if id < 0 {
			continue
		}
		ps := d.people[id]
		if ps == nil {
			ps = &personState{id: id}
			d.people[id] = ps
			d.order = append(d.order, id)
		}
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

// titleReferent picks whom a title without a name means.
func (d *doc) titleReferent(ti *title, at mention) int {
	// the latest person named before, whose office fits
	best, fallback := -1, -1
	looked := 0
	for q := len(d.persons) - 1; q >= 0 && looked < 200; q-- {
		m := d.ments[d.persons[q]]
		if m.id < 0 || m.i >= at.i {
			continue
		}
		looked++
		p := &d.kb.People[m.id]
		fits := false
		if ti.former {
			fits = heldBefore(p, ti.group, ti.country, d.date) && !holdsOn(p, ti.group, ti.country, d.date)
		} else {
			fits = holdsOn(p, ti.group, ti.country, d.date)
		}
		if fits {
			best = m.id
			break
		}
		if ti.former && fallback < 0 && (heldBefore(p, ti.group, ti.country, coalition.Date{}) || holdsOn(p, ti.group, ti.country, coalition.Date{})) {
			fallback = m.id
		}
	}
	if best >= 0 {
		return best
	}
	if ti.former {
		return fallback // flagged later if the office does not fit the date
	}
	// with a country and a date: whoever held the office then
	if ti.country != "" && d.known {
		found := -1
		for id := range d.kb.People {
			if holdsOn(&d.kb.People[id], ti.group, ti.country, d.date) {
				if found >= 0 {
					return -1 // two holders (an acting one): leave it to the reviewer
				}
				found = id
			}
		}
		return found
	}
	return -1
}

// roleFlags: a title that does not fit the text's date ("former US
// President" while in office; a minister named after leaving office).
func (d *doc) roleFlags() {
	if !d.known {
		return
	}
	seen := map[string]bool{}
	for _, m := range d.ments {
		if m.kind != ePerson || m.id < 0 || m.title == nil || m.title.group == "" || m.title.hypothetical {
			continue
		}
		p := &d.kb.People[m.id]
		ti := m.title
		written := d.text[d.toks[ti.i].start:d.toks[ti.end-1].end]
		var msg string
		if ti.former {
			if holdsOn(p, ti.group, ti.country, d.date) {
				role, c, t := p.Role(d.date)
				msg = fmt.Sprintf("%q calls %s a former office holder, but on %s %s is %s (%s) since %s", written, p.Name, d.date, p.Name, role, d.kb.countryName(c), t.Start)
			}
		} else if !holdsOn(p, ti.group, ti.country, d.date) {
			var ended, starts *Term
			for i := range p.Terms {
				t := &p.Terms[i]
				if officeGroup(t.Office) != ti.group || ti.country != "" && t.Country != ti.country {
					continue
				}
				if !t.End.IsZero() && !d.date.Before(t.End) {
					ended = t
				} else if d.date.Before(t.Start) && starts == nil {
					starts = t
				}
			}
			switch {
			case ended != nil:
				msg = fmt.Sprintf("%q: %s left the office of %s (%s) on %s, before the text's date %s", written, p.Name, ended.Office, d.kb.countryName(ended.Country), ended.End, d.date)
			case starts != nil:
				msg = fmt.Sprintf("%q: %s took the office of %s (%s) only on %s, after the text's date %s", written, p.Name, starts.Office, d.kb.countryName(starts.Country), starts.Start, d.date)
			}
		}
		key := fmt.Sprint(m.id, ti.group, ti.former)
		if msg == "" || seen[key] {
			continue
		}
		seen[key] = true
		sp := d.ri.span(d.toks[ti.i].start, d.toks[m.j-1].end)
		d.flag(FlagRole, msg, &sp)
	}
}

func (d *doc) flag(kind, msg string, sp *Span) {
	d.out.Flags = append(d.out.Flags, Flag{Kind: kind, Message: msg, Span: sp})
}
