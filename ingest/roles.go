package ingest

import (
	"fmt"
	"sort"

	"coalition"
)

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

// flagUnverifiedRole warns the reviewer that p's role on the text's date
// (role in country c, read from a term whose source is unverified) is not
// confirmed by a source: the flag sits on p's first mention, so it shows
// on every proposal whose evidence names p.
func (d *doc) flagUnverifiedRole(p *Person, role, c string, spans []Span) {
	var sp *Span
	if len(spans) > 0 {
		s := spans[0]
		sp = &s
	}
	when := "as the knowledge base last knows it"
	if !d.date.IsZero() {
		when = "on " + d.date.String()
	}
	d.flag(FlagRoleUnverified, fmt.Sprintf("%s: the role %q (%s) %s is unverified: the knowledge base has no confirmed source for that term (role unverified)", p.Name, role, d.kb.countryName(c), when), sp)
}
