package ingest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Words that, in an amount's clause, make it a mention and not a new
// pledge: totals, earlier commitments, repayments, needs, comparisons.
var mentionWords = map[string]string{
	"since": "a total since a date", "total": "a total", "totals": "a total", "totalling": "a total", "totaling": "a total",
	"bringing": "a running total", "brings": "a running total", "brought": "a running total", "cumulative": "a total",
	"overall": "a total", "already": "an earlier commitment", "previously": "an earlier commitment", "earlier": "an earlier commitment",
	"reaffirmed": "a reaffirmed commitment", "reaffirms": "a reaffirmed commitment", "reaffirm": "a reaffirmed commitment", "reaffirming": "a reaffirmed commitment",
	"reiterated": "a reaffirmed commitment", "reiterates": "a reaffirmed commitment", "reiterating": "a reaffirmed commitment",
	"repaid": "a repayment", "repay": "a repayment", "repays": "a repayment", "repaying": "a repayment", "repayment": "a repayment", "repayments": "a repayment",
	"gdp": "an economic figure", "economy": "an economic figure", "spending": "spending, not support", "spends": "spending, not support",
	"spent": "spending, not support", "costs": "a cost", "cost": "a cost", "damage": "a cost", "losses": "a cost", "needs": "a need",
	"need": "a need", "needed": "a need", "shortfall": "a need", "gap": "a need", "estimated": "an estimate", "estimates": "an estimate",
	"frozen": "frozen assets", "assets": "frozen assets", "compared": "a comparison", "than": "a comparison", "matching": "a comparison",
	"requested": "a request", "request": "a request", "asked": "a request", "seeking": "a request", "seeks": "a request", "sought": "a request",
	"appeal": "a request", "wants": "a request", "worth": "", "budget": "a budget", "revenue": "an economic figure", "revenues": "an economic figure",
	"exports": "trade", "imports": "trade", "salary": "a cost", "contract": "a procurement contract", "contracts": "a procurement contract",
	"paid": "a payment", "follows": "another donor's earlier amount", "following": "another donor's earlier amount", "matches": "a comparison", "received": "received, not given", "receives": "received, not given", "remaining": "a remainder",
}

var mentionPhrases = map[string]string{
	"so far": "a total", "to date": "a total", "in all": "a total", "of which": "a part of another amount", "part of": "a part of another amount",
	"has provided": "a total", "have provided": "a total", "had provided": "a total", "has given": "a total", "have given": "a total",
	"has delivered": "a total", "have delivered": "a total", "has spent": "spending, not support", "had pledged": "an earlier commitment",
	"had promised": "an earlier commitment", "had committed": "an earlier commitment", "last year": "an earlier commitment",
	"has allocated": "a total", "have allocated": "a total", "budget support": "",
}

// Words before an amount in its sentence that keep it from being given now.
var blockWords = map[string]string{
	"could": "a possibility", "might": "a possibility", "may": "a possibility", "would": "a possibility", "considering": "under consideration",
	"consider": "under consideration", "mulling": "under consideration", "weighing": "under consideration", "proposed": "a proposal",
	"proposal": "a proposal", "proposes": "a proposal", "urged": "a request", "urges": "a request", "not": "a negation", "n't": "a negation",
	"never": "a negation", "refused": "a refusal", "declined": "a refusal", "rejected": "a refusal", "blocked": "blocked", "vetoed": "blocked",
	"halted": "halted", "suspended": "halted", "paused": "halted", "cancelled": "cancelled", "canceled": "cancelled", "withdrew": "withdrawn",
	"hopes": "a hope", "hope": "a hope", "expects": "an expectation", "expected": "an expectation", "wants": "a request", "calls": "a request",
	"called": "a request", "demanded": "a request", "if": "", "discuss": "under discussion", "discussed": "under discussion", "discussing": "under discussion",
	"plans": "a plan", "planned": "a plan", "intends": "a plan", "aims": "a plan", "accused": "an accusation", "claimed": "a claim",
}

// Pledge triggers: announcing or giving now.
var pledgeWords = map[string]bool{
	"pledge": true, "pledged": true, "pledges": true, "pledging": true, "announce": true, "announced": true, "announces": true,
	"announcing": true, "unveil": true, "unveiled": true, "unveils": true, "commit": true, "commits": true, "committed": true,
	"approve": true, "approved": true, "approves": true, "allocate": true, "allocated": true, "allocates": true, "earmark": true,
	"earmarked": true, "earmarks": true, "donate": true, "donated": true, "donates": true, "provides": true, "providing": true,
	"disburse": true, "disbursed": true, "disburses": true, "grant": true, "granted": true, "grants": true, "gives": true,
	"sends": true, "delivers": true, "contributes": true, "finances": true, "funds": true, "signed": true, "transfers": true,
}

// Verbs of giving after "will", "to", "is": "will provide", "is to send".
var giveVerbs = map[string]bool{
	"provide": true, "give": true, "send": true, "deliver": true, "contribute": true, "supply": true, "fund": true, "finance": true,
	"invest": true, "increase": true, "raise": true, "boost": true, "double": true, "allocate": true, "disburse": true, "transfer": true, "donate": true, "spend": true, "make": true, "lend": true, "offer": true,
}

func isClauseBoundary(t token) bool {
	if t.kind != tPunct {
		return false
	}
	switch t.text {
	case ",", ";", ":", "(", ")", "—", "–", "-":
		return true
	}
	return false
}

// clause returns the tokens [a, b) of the clause around [i, j) in sentence s.
func (d *doc) clause(s sentence, i, j int) (int, int) {
	a, b := i, j
	for a > s.i && !isClauseBoundary(d.toks[a-1]) {
		a--
	}
	for b < s.j && !isClauseBoundary(d.toks[b]) {
		b++
	}
	return a, b
}

// strongAfter are the cues that count anywhere after the amount in its
// clause ("A$1.5 billion in support to Ukraine since 2022").
var strongAfter = map[string]bool{"since": true, "total": true, "so far": true, "to date": true, "in all": true, "bringing": true,
	"cumulative": true, "overall": true, "already": true, "previously": true, "earlier": true, "last year": true, "of which": true}

// cue looks for a mention cue in tokens [a, b); strong: only strongAfter cues.
func (d *doc) cue(a, b int, strong bool) string {
	for k := a; k < b; k++ {
		if d.toks[k].cls&cMention == 0 {
			continue
		}
		r, category := d.phraseCue(k, b, strong)
		if r != "" {
			return r
		}
		if category {
			k++ // "budget support" is a category, not a budget
			continue
		}
		if r := d.wordCue(k, strong); r != "" {
			return r
		}
	}
	return ""
}

// phraseCue reads a two-word mention cue at k ("so far"); category says the
// pair names a category ("budget support") whose words are no cue.
func (d *doc) phraseCue(k, b int, strong bool) (reason string, category bool) {
	if k+1 >= b {
		return "", false
	}
	ph := d.toks[k].norm + " " + d.toks[k+1].norm
	r, ok := mentionPhrases[ph]
	if !ok || strong && !strongAfter[ph] {
		return "", false
	}
	return r, r == ""
}

// wordCue reads a one-word mention cue at k, except "to be repaid", which
// is a loan given now.
func (d *doc) wordCue(k int, strong bool) string {
	w := d.toks[k].norm
	r := mentionWords[w]
	if r == "" || strong && !strongAfter[w] || repayWords[w] && d.afterWord(k, "be", "to") {
		return ""
	}
	return r
}

// repayWords are the repayment cues that "to be" turns into a loan given now.
var repayWords = map[string]bool{"repaid": true, "repay": true}

// afterWord reports whether token k follows one of words, so that a cue can
// look one word back.
func (d *doc) afterWord(k int, words ...string) bool {
	return k > 0 && slices.Contains(words, d.toks[k-1].norm)
}

// trigger finds a pledge trigger in tokens [a, b) (the amount's coordinate
// clause); it returns its token or -1.
func (d *doc) trigger(a, b int) int {
	for k := a; k < b; k++ {
		if d.toks[k].cls&(cPledge|cTriggerHead|cNewish) == 0 {
			continue
		}
		if pledgeWords[d.toks[k].norm] || d.willGive(k, b) || d.newPackage(k, b) {
			return k
		}
	}
	return -1
}

// willGive: "will", "to", "shall" with a giving verb within three tokens
// ("will provide", "is to send") announces a gift although no pledge word
// is written.
func (d *doc) willGive(k, b int) bool {
	if d.toks[k].cls&cTriggerHead == 0 {
		return false
	}
	for q := k + 1; q < min(b, k+4); q++ {
		if giveVerbs[d.toks[q].norm] {
			return true
		}
	}
	return false
}

// packageWords follow "new", "additional"... in a new package of aid.
var packageWords = map[string]bool{"package": true, "aid": true, "tranche": true, "funding": true, "support": true, "assistance": true}

// newPackage: "a new package", "additional funding" announces a gift now;
// it needs three tokens after the adjective, as the rule was tuned.
func (d *doc) newPackage(k, b int) bool {
	if d.toks[k].cls&cNewish == 0 || k+3 >= b {
		return false
	}
	for q := k + 1; q < k+4; q++ {
		if packageWords[d.toks[q].norm] {
			return true
		}
	}
	return false
}

// Conjunctions that, after a comma, open a new clause with its own subject.
var clauseConjunctions = map[string]bool{"and": true, "but": true, "while": true, "whereas": true, "although": true, "though": true,
	"which": true, "who": true, "after": true, "as": true, "when": true, "before": true, "whilst": true}

// Auxiliaries and modals: with a pledge or statement word they show that a
// clause already has its verb.
var auxWords = map[string]bool{"has": true, "have": true, "had": true, "is": true, "are": true, "was": true, "were": true, "will": true,
	"would": true, "'ll": true, "shall": true, "can": true, "could": true, "did": true, "does": true}

func (d *doc) verbish(k int) bool {
	t := d.toks[k]
	return t.cls&(cPledge|cGive|cStatement) != 0 || auxWords[t.norm]
}

// segment returns the coordinate clause [a, b) of sentence s around token
// k. Clauses are cut at ";", at a comma followed by a conjunction
// (", and Denmark pledged", ", which the World Bank estimates"), and at
// "and"/"but" when the part before has a verb and an actor with its own
// verb follows ("Germany announced €500m and the Netherlands pledged
// €150m"), so that a pledge verb and its subject count only for the amounts
// of their own clause.
func (d *doc) segment(s sentence, k int) (int, int) {
	a, b := s.i, s.j
	for q := s.i; q < s.j; q++ {
		if d.cutBefore(s, q) {
			if q <= k {
				a = q
			} else {
				b = q
				break
			}
		}
	}
	return a, b
}

// cutBefore reports whether a new coordinate clause starts at token q.
func (d *doc) cutBefore(s sentence, q int) bool {
	if q <= s.i {
		return false
	}
	t, prev := d.toks[q], d.toks[q-1]
	switch {
	case isPunct(prev, ";"):
		return true
	case t.kind != tWord:
		return false
	case isPunct(prev, ",") && clauseConjunctions[t.norm]:
		return true
	case t.norm != "and" && t.norm != "but":
		return false
	}
	return d.verbBefore(s, q) && d.actorWithVerbAt(s, q+1)
}

// isPunct reports whether t is the punctuation p, not a word spelt so.
func isPunct(t token, p string) bool { return t.kind == tPunct && t.text == p }

// verbBefore: the part of the clause before an "and" at q has a verb, so
// that "and" may join two clauses rather than two donors.
func (d *doc) verbBefore(s sentence, q int) bool {
	for x := q - 1; x >= s.i && !isPunct(d.toks[x], ";"); x-- {
		if d.verbish(x) {
			return true
		}
	}
	return false
}

// actorWithVerbAt: an actor starting at token at (after an optional "the")
// with a verb of its own within three tokens opens a clause ("and the
// Netherlands pledged").
func (d *doc) actorWithVerbAt(s sentence, at int) bool {
	if at < s.j && d.toks[at].norm == "the" {
		at++
	}
	mi, ok := d.mentionStarting(at)
	if !ok || d.actorOf(d.ments[mi]) == "" {
		return false
	}
	for x := d.ments[mi].j; x < min(s.j, d.ments[mi].j+3); x++ {
		if d.verbish(x) {
			return true
		}
	}
	return false
}

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

// actorAt returns the donor code of an actor mention: a country, an
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
// is not skip, and whether it came with "from" (a giver named after a
// receiver).
func (d *doc) actorBefore(s sentence, k int, skip string) (string, int) {
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
	return best, at
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

func (d *doc) mentionsCountry(s sentence, iso string) bool {
	for _, mi := range s.ments {
		if d.actorOf(d.ments[mi]) == iso && d.ments[mi].kind == eCountry {
			return true
		}
	}
	return false
}

// recipient is Ukraine when the text names it (the first coalition's
// recipient), else nobody.
func (d *doc) recipient() string {
	if d.rcpt != nil {
		return *d.rcpt
	}
	r := ""
	for _, m := range d.ments {
		if m.kind == eCountry && d.kb.Countries[m.id].ISO3 == "UKR" {
			r = "UKR"
			break
		}
	}
	d.rcpt = &r
	return r
}

var dollarOf = map[string]string{"AUS": "AUD", "CAN": "CAD", "NZL": "NZD"}

// classifyAmounts decides, for each amount, whether the text says a donor
// gives it now (a pledge) or only mentions it, and why.
func (d *doc) classifyAmounts() {
	rcpt := d.recipient()
	for _, s := range d.sents {
		for n := range s.amts {
			d.classifyAmount(s, n, rcpt)
		}
	}
}

// around are the token ranges an amount is judged in: its clause [ca, cb)
// between commas and the like, and its coordinate clause [ga, gb) with its
// own verb and subject (segment).
type around struct{ ca, cb, ga, gb int }

// classifyAmount classifies the n-th amount of sentence s: a mention, with
// the first reason that makes it one, else a pledge with its donors.
func (d *doc) classifyAmount(s sentence, n int, rcpt string) {
	ai := s.amts[n]
	a := &d.amounts[ai]
	var c around
	c.ca, c.cb = d.clause(s, a.i, a.j)
	c.ga, c.gb = d.segment(s, a.i)
	trig := d.trigger(c.ga, c.gb)
	d.readBareDollar(s, a, rcpt)
	a.kind, a.reason = KindMention, ""
	if a.reason = d.mentionReason(s, n, c, rcpt); a.reason != "" {
		return
	}
	if trig < 0 {
		a.reason = "no announcement or giving verb in the amount's clause"
		return
	}
	if a.reason = d.blocked(c.ga, a.i); a.reason != "" {
		return
	}
	donors := d.donorsOf(s, a, c, trig, rcpt)
	if len(donors) == 0 {
		a.reason = "no donor named"
		return
	}
	if other := d.ownerInClause(s, d.ownClauseStart(s, n, c), a.i, donors, rcpt); other != "" {
		a.reason = "an amount of " + d.kb.countryName(other)
		return
	}
	a.kind = KindPledge
	if a.reason == "" {
		a.reason = "pledge: announced or given now"
	}
	a.donor, a.donors, a.joint = d.splitDonors(s, c.ga, c.gb, ai, donors)
}

// readBareDollar reads a bare "$" as the dollar of the amount's actor when
// that is Australia, Canada or New Zealand and the sentence names no
// United States, and flags the reading for the reviewer.
func (d *doc) readBareDollar(s sentence, a *amountAt, rcpt string) {
	if !a.m.bareDollar {
		return
	}
	actor, _ := d.actorBefore(s, a.i, rcpt)
	if actor == "" {
		actor = d.dominant(rcpt)
	}
	c, ok := dollarOf[actor]
	if !ok || d.mentionsCountry(s, "USA") {
		return
	}
	a.m.Currency = c
	sp := d.ri.span(d.toks[a.i].start, d.toks[a.j-1].end)
	d.flag(FlagAmbiguous, fmt.Sprintf("a bare \"$\" read as %s because the amount is %s's", c, d.kb.countryName(actor)), &sp)
}

// mentionReason is why the n-th amount of s is only mentioned, judged by
// its words, by the other amounts of the sentence and by its dates; "" if
// none of these makes it a mention.
func (d *doc) mentionReason(s sentence, n int, c around, rcpt string) string {
	a := d.amounts[s.amts[n]]
	if r := d.cueReason(a, c); r != "" {
		return r
	}
	if r := d.partOfAnother(s, n, rcpt); r != "" {
		return r
	}
	return d.pastDate(s, c.ca, c.cb)
}

// cueReason: a mention cue before the amount in its clause, a strong one
// anywhere after it, any within four tokens after it, or a total named
// earlier in its coordinate clause.
func (d *doc) cueReason(a amountAt, c around) string {
	if r := d.cue(c.ca, a.i, false); r != "" {
		return r
	}
	if r := d.cue(a.j, c.cb, true); r != "" {
		return r
	}
	if r := d.cue(a.j, min(c.cb, a.j+4), false); r != "" {
		return r
	}
	if d.hasWord(c.ga, c.ca, "since", "so far", "cumulative", "total") {
		return "a total since a date"
	}
	return ""
}

// partOfAnother: an amount that a sentence of several amounts gives as a
// wider total, as the previous amount in another currency, or as a part
// of it ("including"); never one that is attached to the recipient.
func (d *doc) partOfAnother(s sentence, n int, rcpt string) string {
	ai := s.amts[n]
	a := d.amounts[ai]
	if len(s.amts) < 2 || d.recipientAttached(a.j, s.j, rcpt) {
		return ""
	}
	if d.hasWord(s.i, s.j, includingWords...) && d.otherAttached(s, ai, rcpt) {
		return "a wider total; the amount for the recipient is given apart"
	}
	if n == 0 {
		return ""
	}
	prev := d.amounts[s.amts[n-1]]
	if a.i > 0 && d.toks[a.i-1].text == "(" && prev.j == a.i-1 {
		return "the same amount in another currency"
	}
	if d.hasWord(s.i, a.i, includingWords...) && d.hasWord(prev.j, a.i, includingWords...) {
		return "a part of another amount"
	}
	return ""
}

// includingWords announce the parts of a total.
var includingWords = []string{"including", "includes", "include"}

// otherAttached reports whether another amount of s than ai is attached to
// the recipient, which makes ai the wider total.
func (d *doc) otherAttached(s sentence, ai int, rcpt string) bool {
	for _, other := range s.amts {
		if other != ai && d.recipientAttached(d.amounts[other].j, s.j, rcpt) {
			return true
		}
	}
	return false
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
	// the subject of the clause's verb, else an actor earlier in the
	// sentence ("Germany said on Monday, ..., it will provide")
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
// gave €1bn").
func (d *doc) ownerInClause(s sentence, ca, ai int, donors []string, rcpt string) string {
	for _, mi := range s.ments {
		m := d.ments[mi]
		if m.i >= ca && m.i < ai {
			if x := d.actorOf(m); x != "" && !contains(donors, x) && x != rcpt {
				return x
			}
		}
	}
	return ""
}

func (d *doc) hasWord(a, b int, words ...string) bool {
	for k := a; k < b; k++ {
		for _, w := range words {
			if d.toks[k].norm == w {
				return true
			}
		}
	}
	return false
}

// blocked: a modal, a negation or a request before the amount.
func (d *doc) blocked(a, b int) string {
	for k := a; k < b; k++ {
		if d.toks[k].cls&cBlock == 0 {
			continue
		}
		if r, ok := blockWords[d.toks[k].norm]; ok && r != "" {
			if d.toks[k].norm == "may" && d.toks[k].upper {
				continue // the month
			}
			return r
		}
	}
	return ""
}

// pastDate: a date in the clause well before the text's date ("pledged in
// March 2023").
func (d *doc) pastDate(s sentence, a, b int) string {
	if d.date.IsZero() {
		return ""
	}
	for _, x := range s.dates {
		if x.i < a || x.i >= b {
			continue
		}
		past := false
		switch x.Precision {
		case PrecYear:
			past = x.Date.Y < d.date.Y
		case PrecMonth:
			past = x.Date.Month() < d.date.Month().Add(-1)
		default:
			past = x.Date.Before(addDays(d.date, -45))
		}
		if past {
			return "an earlier commitment (" + x.Date.String() + ")"
		}
	}
	return ""
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

// recipientAttached: "for Ukraine" or "to Ukraine" within three tokens
// after an amount.
func (d *doc) recipientAttached(j, end int, rcpt string) bool {
	if rcpt == "" {
		return false
	}
	for k := j; k < min(end, j+3); k++ {
		if n := d.toks[k].norm; n == "for" || n == "to" {
			if mi, ok := d.mentionStarting(k + 1); ok && d.actorOf(d.ments[mi]) == rcpt {
				return true
			}
		}
	}
	return false
}
