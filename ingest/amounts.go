package ingest

import (
	"fmt"
	"slices"
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
	"addition to": "an earlier commitment", "top of": "an earlier commitment", // "in addition to the €500m it gave"
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
	// the progressive gives now too: "Sweden is sending", "Stockholm was sending"
	"sending": true, "supplying": true, "contributing": true, "financing": true, "lending": true, "donating": true, "transferring": true,
}

// Verbs of giving after "will", "to", "is": "will provide", "is to send".
var giveVerbs = map[string]bool{
	"provide": true, "give": true, "send": true, "deliver": true, "contribute": true, "supply": true, "fund": true, "finance": true,
	"invest": true, "increase": true, "raise": true, "boost": true, "double": true, "allocate": true, "disburse": true, "transfer": true, "donate": true, "spend": true, "make": true, "lend": true, "offer": true,
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
	if w == "than" && d.afterWord(k, "more", "less", "fewer") {
		return "" // "more than 5,000 missiles" counts, it compares nothing
	}
	if contractWords[w] && d.givingToRecipient {
		return "" // "will supply Ukraine … under a £1.6 billion contract"
	}
	return r
}

// contractWords make an amount a procurement contract unless its clause
// gives to the recipient.
var contractWords = map[string]bool{"contract": true, "contracts": true}

// repayWords are the repayment cues that "to be" turns into a loan given now.
var repayWords = map[string]bool{"repaid": true, "repay": true}

// afterWord reports whether token k follows one of words, so that a cue can
// look one word back.
func (d *doc) afterWord(k int, words ...string) bool {
	return k > 0 && slices.Contains(words, d.toks[k-1].norm)
}

// triggerOf finds the pledge trigger of the amount at tokens [i, j) in its
// coordinate clause [a, b): the last one before the amount, which is its
// verb when one sentence lists several donors ("X would provide £150m, Y
// announced NOK 1bn"), else the first after it; -1 if none.
func (d *doc) triggerOf(a, b, i, j int) int {
	last := -1
	for k := a; k < i; k++ {
		if d.isTrigger(k, b) {
			last = k
		}
	}
	if last >= 0 {
		return last
	}
	for k := j; k < b; k++ {
		if d.isTrigger(k, b) {
			return k
		}
	}
	return -1
}

// triggerEnd is the token after the words of the trigger at k, for the
// evidence: "will jointly fund" and "a new package", not "will" or "new"
// alone.
func (d *doc) triggerEnd(k, b int) int {
	if pledgeWords[d.toks[k].norm] {
		return k + 1
	}
	for q := k + 1; q < min(b, k+4); q++ {
		if giveVerbs[d.toks[q].norm] || packageWords[d.toks[q].norm] {
			return q + 1
		}
	}
	return k + 1
}

// isTrigger: token k, in a clause ending at b, announces or gives now.
func (d *doc) isTrigger(k, b int) bool {
	if d.toks[k].cls&(cPledge|cTriggerHead|cNewish) == 0 {
		return false
	}
	return pledgeWords[d.toks[k].norm] || d.willGive(k, b) || d.newPackage(k, b)
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
	d.commentaryMentions()
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
	trig := d.triggerOf(c.ga, c.gb, a.i, a.j)
	d.givingToRecipient = trig >= 0 && d.namesRecipient(s, trig, c.gb, rcpt)
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
	if other := d.ownerInClause(s, d.ownClauseStart(s, n, c), a.i, trig, donors, rcpt); other != "" {
		a.reason = "an amount of " + d.kb.countryName(other)
		return
	}
	a.kind, a.trig = KindPledge, trig
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
	actor := d.actorBefore(s, a.i, rcpt)
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
	if d.hasWord(c.ga, c.ca, "since", "cumulative", "total") || d.hasPair(c.ga, c.ca, "so", "far") {
		return "a total since a date"
	}
	return ""
}

// hasPair reports whether the two words w1 w2 follow each other in tokens
// [a, b): hasWord sees one token at a time, so a two-word cue ("so far")
// needs this.
func (d *doc) hasPair(a, b int, w1, w2 string) bool {
	for k := a; k+1 < b; k++ {
		if d.toks[k].norm == w1 && d.toks[k+1].norm == w2 {
			return true
		}
	}
	return false
}

// partOfAnother: an amount that a sentence of several amounts gives as a
// wider total, as the previous amount in another currency, or as a part
// of it ("including"); never one that is attached to the recipient.
func (d *doc) partOfAnother(s sentence, n int, rcpt string) string {
	ai := s.amts[n]
	a := d.amounts[ai]
	if n > 0 && d.equivalent(d.amounts[s.amts[n-1]], a) {
		return "the same amount in another currency"
	}
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
	if d.hasWord(s.i, a.i, includingWords...) && d.hasWord(prev.j, a.i, includingWords...) {
		return "a part of another amount"
	}
	return ""
}

// hedges may stand between an amount and its equivalent in another
// currency: "(about €1.4 billion)", ", or roughly $540 million,".
var hedges = map[string]bool{"about": true, "around": true, "roughly": true, "approximately": true, "some": true, "nearly": true,
	"almost": true, "or": true, "equivalent": true, "to": true, "approx": true, ".": true, "~": true, "c.": true}

// equivalent reports whether amount a restates prev in another currency:
// right after it, in brackets ("450 million pounds ($590 million)") or
// after a comma, dash or "or" with a hedge ("45 billion yen, about $290
// million"). A list of amounts in several currencies has no hedge.
func (d *doc) equivalent(prev, a amountAt) bool {
	if prev.m.Currency == a.m.Currency || a.i <= prev.j || a.i-prev.j > 4 {
		return false
	}
	open := d.toks[prev.j].text
	hedged := open == "(" || open == "or"
	if !hedged && open != "," && open != "—" && open != "–" {
		return false
	}
	for k := prev.j + 1; k < a.i; k++ {
		if !hedges[d.toks[k].norm] {
			return false
		}
		hedged = true
	}
	return hedged || hedges[strings.ToLower(a.m.Qualifier)] // "about" read into the amount
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
			if d.toks[k].norm == "would" && d.reported(a, k) {
				continue // "said the UK would provide": the future of reported speech
			}
			return r
		}
	}
	return ""
}

// reportedWords introduce reported speech, where "would" is the future of
// "will" and no possibility.
var reportedWords = map[string]bool{"said": true, "says": true, "told": true, "announced": true, "confirmed": true, "stated": true}

// reported: a verb of saying in the six tokens before k (within [a, k))
// and no "if" between, so that "would" at k reports a decision.
func (d *doc) reported(a, k int) bool {
	for q := max(a, k-6); q < k; q++ {
		if reportedWords[d.toks[q].norm] {
			return !d.hasWord(q, k, "if")
		}
	}
	return false
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

// namesRecipient reports whether the recipient is named in tokens [a, b)
// of s: "will supply Ukraine", "a package for Ukraine".
func (d *doc) namesRecipient(s sentence, a, b int, rcpt string) bool {
	if rcpt == "" {
		return false
	}
	for _, mi := range s.ments {
		m := d.ments[mi]
		if m.i >= a && m.i < b && d.actorOf(m) == rcpt {
			return true
		}
	}
	return false
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
