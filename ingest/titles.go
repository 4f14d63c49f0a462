package ingest

import "strings"

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
