package ingest

import "sort"

// donorsBefore returns the actors coordinated as the subject of the verb at
// k in [a, k): the nearest actor before k, and those joined to it by "and"
// or commas ("Sweden and Norway will jointly fund", "Norway, Denmark and
// Iceland pledged"), in text order, without skip.
func (d *doc) donorsBefore(s sentence, a, k int, skip string) []string {
	ms := d.actorMentions(s, a, k)
	last := len(ms) - 1
	for last >= 0 && d.actorOf(ms[last]) == skip {
		last--
	}
	if last < 0 {
		return nil
	}
	first := last
	for first > 0 && d.joined(ms[first-1], ms[first]) {
		first--
	}
	var out []string
	for _, m := range ms[first : last+1] {
		if x := d.actorOf(m); x != skip && !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// actorMentions returns the actor mentions of s within tokens [a, k), in
// text order: the candidates for a verb's subject.
func (d *doc) actorMentions(s sentence, a, k int) []mention {
	var ms []mention
	for _, mi := range s.ments {
		m := d.ments[mi]
		if m.i >= a && m.j <= k && d.actorOf(m) != "" {
			ms = append(ms, m)
		}
	}
	sort.Slice(ms, func(x, y int) bool { return ms[x].i < ms[y].i })
	return ms
}

// joined reports whether mentions x and y are coordinated: one or two
// tokens apart, and those only "and", "," or "the" ("Norway, Denmark and
// the Netherlands").
func (d *doc) joined(x, y mention) bool {
	gap := y.i - x.j
	if gap < 1 || gap > 2 {
		return false
	}
	for k := x.j; k < y.i; k++ {
		if !coordinators[d.toks[k].norm] {
			return false
		}
	}
	return true
}

// coordinators are the only tokens allowed between coordinated donors.
var coordinators = map[string]bool{"and": true, ",": true, "the": true}

// nationalCurrency: the donor an amount belongs to when several give and
// the currency is one of theirs alone.
var nationalCurrency = map[string]string{"NOK": "NOR", "DKK": "DNK", "SEK": "SWE", "GBP": "GBR", "JPY": "JPN", "CAD": "CAN",
	"AUD": "AUS", "NZD": "NZL", "USD": "USA", "CHF": "CHE", "PLN": "POL", "CZK": "CZE", "KRW": "KOR", "HUF": "HUN", "ISK": "ISL", "RON": "ROU", "BGN": "BGR"}

// actorOf returns the donor code of an actor mention: a country, an
// organisation that gives (EU bodies as EUI), or a person's country.
func (d *doc) actorOf(m mention) string {
	switch m.kind {
	case eCountry:
		if m.form == formDemonym {
			return ""
		}
		return d.kb.Countries[m.id].ISO3
	case eOrg:
		o := d.kb.Orgs[m.id]
		if o.Donor != "" {
			return o.Donor
		}
	case ePerson:
		if m.id >= 0 {
			_, c, _ := d.kb.People[m.id].Role(d.date)
			return c
		}
	}
	return ""
}

// actorBefore returns the nearest actor before token k in sentence s that
// is not skip, or "".
func (d *doc) actorBefore(s sentence, k int, skip string) string {
	best, at := "", -1
	for _, mi := range s.ments {
		m := d.ments[mi]
		if m.i >= k || m.i < at {
			continue
		}
		if a := d.actorOf(m); a != "" && a != skip {
			best, at = a, m.i
		}
	}
	return best
}

// fromActor returns the actor right after "from" in [a, b).
func (d *doc) fromActor(s sentence, a, b int, skip string) string {
	for k := a; k < b; k++ {
		if d.toks[k].norm != "from" {
			continue
		}
		for _, mi := range s.ments {
			m := d.ments[mi]
			if m.i > k && m.i <= k+3 {
				if x := d.actorOf(m); x != "" && x != skip {
					return x
				}
			}
		}
	}
	return ""
}

// dominant returns the most mentioned country of the text other than skip
// (and Russia), for "the Government will provide..." in a press release.
func (d *doc) dominant(skip string) string {
	if v, ok := d.dom[skip]; ok {
		return v
	}
	if d.dom == nil {
		d.dom = map[string]string{}
	}
	v := d.dominantUncached(skip)
	d.dom[skip] = v
	return v
}

// dominantUncached returns the actor of most mentions other than skip and
// Russia, of equal counts the first mentioned.
func (d *doc) dominantUncached(skip string) string {
	count := map[string]int{}
	first := map[string]int{}
	for k, m := range d.ments {
		a := d.actorOf(m)
		if a == "" || a == skip || a == "RUS" {
			continue
		}
		if _, ok := first[a]; !ok {
			first[a] = k
		}
		count[a]++
	}
	best := ""
	for a, n := range count {
		if best == "" || n > count[best] || n == count[best] && first[a] < first[best] {
			best = a
		}
	}
	return best
}

// mentionsCountry reports whether s names the country iso (a person of it
// does not count).
func (d *doc) mentionsCountry(s sentence, iso string) bool {
	for _, mi := range s.ments {
		if d.actorOf(d.ments[mi]) == iso && d.ments[mi].kind == eCountry {
			return true
		}
	}
	return false
}

// ukraineFunds are the multilateral funds whose money goes to Ukraine: a
// donor paying into one pledges to Ukraine.
var ukraineFunds = map[string]bool{"PURL": true, "DRONES": true, "CZAMMO": true, "UESF": true}

// recipient is Ukraine when the text names it or a fund for it (the first
// coalition's recipient), else nobody.
func (d *doc) recipient() string {
	if d.rcpt != nil {
		return *d.rcpt
	}
	r := ""
	for _, m := range d.ments {
		if m.kind == eCountry && d.kb.Countries[m.id].ISO3 == "UKR" || m.kind == eOrg && ukraineFunds[d.kb.Orgs[m.id].ID] {
			r = "UKR"
			break
		}
	}
	d.rcpt = &r
	return r
}

// donorsOf returns who gives amount a, whose clause has a pledge trigger
// at trig: the owner named with "'s", else the subject of the verb, else
// an actor earlier in the sentence or after "from", else the text's
// dominant actor (then a.reason says so).
func (d *doc) donorsOf(s sentence, a *amountAt, c around, trig int, rcpt string) []string {
	if owner := d.possessor(a.i); owner != "" {
		a.donor = owner // attributed to another country: "France's €500m"
		return []string{owner}
	}
	if x := d.gappedDonor(s, a.i, trig, rcpt); x != "" {
		return []string{x}
	}
	// the subject of the clause's verb, else an actor earlier in the
	// sentence ("Germany said on Monday, ..., it will provide"); an actor
	// between the verb and the amount is what is given or bought ("will
	// finance a package of American air defence systems … worth €500 million")
	if trig < a.i {
		if donors := d.donorsBefore(s, c.ga, trig, rcpt); len(donors) > 0 {
			return donors
		}
	}
	if donors := d.donorsBefore(s, c.ga, max(trig, a.i), rcpt); len(donors) > 0 {
		return donors
	}
	if donors := d.donorsBefore(s, s.i, max(trig, a.i), rcpt); len(donors) > 0 {
		return donors
	}
	if x := d.fromActor(s, c.ga, c.gb, rcpt); x != "" {
		return []string{x}
	}
	if x := d.dominant(rcpt); x != "" {
		a.reason = "pledge; donor taken from the text as a whole"
		return []string{x}
	}
	return nil
}

// gappedDonor is the country named right before the amount at i, after
// the verb at trig, that the verb is understood for: "Germany announced
// €500 million, the Netherlands €150 million and Belgium €100 million".
func (d *doc) gappedDonor(s sentence, i, trig int, rcpt string) string {
	k, ok := d.endAt.get(i)
	if !ok || trig < 0 {
		return ""
	}
	m := d.ments[k]
	if m.kind != eCountry || m.form != formName || m.i <= trig {
		return ""
	}
	if x := d.actorOf(m); x != rcpt {
		return x
	}
	return ""
}

// possessor is the actor of a mention ending in "'s" right before token i
// ("France's €500m"), or "".
func (d *doc) possessor(i int) string {
	if i < 2 || d.toks[i-1].norm != "'s" {
		return ""
	}
	if k, ok := d.endAt.get(i - 1); ok {
		return d.actorOf(d.ments[k])
	}
	return ""
}

// ownClauseStart is where the n-th amount of s has its own clause: after
// its clause's and coordinate clause's starts and after the previous
// amount, so that ownerInClause looks only at what belongs to it.
func (d *doc) ownClauseStart(s sentence, n int, c around) int {
	from := max(c.ca, c.ga)
	if n > 0 {
		from = max(from, d.amounts[s.amts[n-1]].j)
	}
	return from
}

// splitDonors decides who gives an amount whose clause names several
// donors: each its own share when the text says "respectively" (in order)
// or the currency is one donor's own; every donor the same amount with
// "each"; else the amount is joint, proposed once under the first donor.
func (d *doc) splitDonors(s sentence, ga, gb, ai int, donors []string) (donor string, each []string, joint []string) {
	if len(donors) == 1 {
		return donors[0], nil, nil
	}
	a := d.amounts[ai]
	var inSeg []int
	for _, x := range s.amts {
		if d.amounts[x].i >= ga && d.amounts[x].j <= gb {
			inSeg = append(inSeg, x)
		}
	}
	if d.hasWord(a.j, gb, "respectively") && len(inSeg) == len(donors) {
		for n, x := range inSeg {
			if x == ai {
				return donors[n], nil, nil
			}
		}
	}
	if c, ok := nationalCurrency[a.m.Currency]; ok && contains(donors, c) {
		return c, nil, nil
	}
	if d.hasWord(ga, min(gb, a.j+2), "each") { // "will each provide", "€50m each"
		return donors[0], donors, nil
	}
	return donors[0], nil, donors
}

// ownerInClause: another actor than donor named in the amount's own clause
// when that clause is not the first of the sentence ("..., after France
// gave €1bn"); an adjective after the giving verb at trig names what is
// given, not who gives ("will finance a package of American air defence
// systems").
func (d *doc) ownerInClause(s sentence, ca, ai, trig int, donors []string, rcpt string) string {
	for _, mi := range s.ments {
		m := d.ments[mi]
		if m.form == formAdjective && m.i > trig {
			continue
		}
		if m.i >= ca && m.i < ai {
			if x := d.actorOf(m); x != "" && !contains(donors, x) && x != rcpt {
				return x
			}
		}
	}
	return ""
}
