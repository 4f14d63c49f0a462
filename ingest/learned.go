package ingest

import (
	"math"
	"strings"
)

// The learned component of issue 20: a logistic-regression classifier over
// the money mentions the rules see, trained on the corpus (ingest/learn,
// ingest/cmd/train) and measured against the rules on the held-out set
// (docs/ingestion.md). The features are read here, from the same clauses,
// triggers, cues and donors the rules read, so that the classifier sees
// every amount the rules judge and nothing else.

// Candidate is one money amount of a text, as the rules judged it, with
// its features for the classifier.
type Candidate struct {
	Money    Money
	RuleKind string    // the rules' answer: KindPledge or KindMention
	Reason   string    // the rules' reason
	Donors   []string  // who gives it: the rules' donors of a pledge, else the donor finder's answer for a mention
	Features []float64 // in the order of FeatureNames
}

// Feature indices, in the order of FeatureNames.
const (
	fTrigNone = iota
	fTrigBefore
	fTrigAfter
	fVerbPledge
	fVerbWillGive
	fVerbPackage
	fVerbDist
	fDonorDist
	fDonorNone
	fDonorPossessive
	fDonorDominant
	fDonorSeveral
	fDonorOwnCurrency
	fCueTotal
	fCueEarlier
	fCueOther
	fCueStrongAfter
	fCueNearAfter
	fTotalEarlier
	fPastDate
	fBlocked
	fEquivalent
	fBracketed
	fFirstAmount
	fAmounts
	fQualified
	fRange
	fRcptAttached
	fRcptInClause
	fRcptNone
	fOtherActor
	fCommentary
	fFuture
	fFirstSentence
	fFund
	fPartOf
	fMagnitude
	nFeatures
)

// FeatureNames name the classifier's features, in order. Each is 0 or 1
// unless its name says it is scaled.
var FeatureNames = [nFeatures]string{
	fTrigNone:         "trigger: none in the coordinate clause",
	fTrigBefore:       "trigger: before the amount",
	fTrigAfter:        "trigger: after the amount",
	fVerbPledge:       "verb class: pledge word (pledged, announced, approved, sending...)",
	fVerbWillGive:     "verb class: will/to + giving verb (will provide, is to send)",
	fVerbPackage:      "verb class: new package (a new package, additional funding)",
	fVerbDist:         "verb: tokens from trigger to amount (scaled /10, at most 1)",
	fDonorDist:        "donor: tokens from the nearest actor before the amount (scaled /20, at most 1; 1 if none)",
	fDonorNone:        "donor: none found",
	fDonorPossessive:  "donor: possessive (France's €500m)",
	fDonorDominant:    "donor: taken from the text as a whole",
	fDonorSeveral:     "donor: several in the clause",
	fDonorOwnCurrency: "donor: the currency is the donor's own",
	fCueTotal:         "marker: total or running total before the amount",
	fCueEarlier:       "marker: earlier or reaffirmed before the amount",
	fCueOther:         "marker: another mention cue before the amount (cost, need, spending, contract...)",
	fCueStrongAfter:   "marker: strong cue after the amount (since, so far, in total...)",
	fCueNearAfter:     "marker: mention cue within four tokens after the amount",
	fTotalEarlier:     "marker: total named earlier in the coordinate clause",
	fPastDate:         "marker: a date well before the text's date in the clause",
	fBlocked:          "blocked: modal, negation, request or plan before the amount",
	fEquivalent:       "currency: the same amount as the previous one in another currency",
	fBracketed:        "currency: inside brackets",
	fFirstAmount:      "currency: first amount of its sentence",
	fAmounts:          "currency: sentence has several amounts (scaled: (n-1)/4, at most 1)",
	fQualified:        "currency: qualified (more than, up to, about)",
	fRange:            "currency: a range",
	fRcptAttached:     "recipient: attached after the amount (for Ukraine)",
	fRcptInClause:     "recipient: named in the trigger's clause",
	fRcptNone:         "recipient: none in the text",
	fOtherActor:       "other actor in the amount's own clause",
	fCommentary:       "text: commentary label",
	fFuture:           "sentence: a future marker",
	fFirstSentence:    "sentence: the text's first",
	fFund:             "sentence: names a fund for Ukraine",
	fPartOf:           "part of another amount (including, of which)",
	fMagnitude:        "magnitude: log10 of the value (scaled: (log10 v - 6)/4, clipped to [0, 1])",
}

// Candidates reads text as Extract does and returns, besides the
// extraction, every money amount with the rules' answer and its features.
// It is the classifier's input; Extract itself does not compute features.
func Candidates(text string, kb *KB, opt Options) ([]Candidate, *Extraction) {
	var out []Candidate
	x := extract(text, kb, opt, func(d *doc) { out = d.candidates() })
	return out, x
}

// candidates computes each amount's features after the rules classified it.
func (d *doc) candidates() []Candidate {
	rcpt := d.recipient()
	var out []Candidate
	for _, s := range d.sents {
		for n := range s.amts {
			out = append(out, d.candidate(s, n, rcpt))
		}
	}
	d.givingToRecipient = false
	return out
}

// featureSet collects the features of one amount by name index.
type featureSet []float64

func (f featureSet) set(i int, on bool) {
	if on {
		f[i] = 1
	}
}

func clip01(v float64) float64 { return math.Max(0, math.Min(1, v)) }

// candidate reads the features of the n-th amount of s with the rules'
// own readers: clause, coordinate clause, trigger, cues, donors.
func (d *doc) candidate(s sentence, n int, rcpt string) Candidate {
	ai := s.amts[n]
	a := d.amounts[ai]
	var c around
	c.ca, c.cb = d.clause(s, a.i, a.j)
	c.ga, c.gb = d.segment(s, a.i)
	trig := d.triggerOf(c.ga, c.gb, a.i, a.j)
	d.givingToRecipient = trig >= 0 && d.namesRecipient(s, trig, c.gb, rcpt)
	f := featureSet(make([]float64, nFeatures))
	d.triggerFeatures(f, a, trig, c)
	donors := d.donorFeatures(f, s, ai, c, trig, rcpt)
	d.markerFeatures(f, s, a, c)
	d.currencyFeatures(f, s, n, a)
	f.set(fRcptAttached, d.recipientAttached(a.j, s.j, rcpt))
	f.set(fRcptInClause, trig >= 0 && d.givingToRecipient)
	f.set(fRcptNone, rcpt == "")
	f.set(fOtherActor, trig >= 0 && len(donors) > 0 && d.ownerInClause(s, d.ownClauseStart(s, n, c), a.i, trig, donors, rcpt) != "")
	f.set(fCommentary, d.commentary())
	f.set(fFuture, s.future)
	f.set(fFirstSentence, s.i == 0 || a.sent == 0)
	f.set(fFund, d.namesFund(s))
	part := d.partOfAnother(s, n, rcpt)
	f.set(fPartOf, strings.HasPrefix(part, "a part") || strings.HasPrefix(part, "a wider"))
	if a.m.Value > 0 {
		f[fMagnitude] = clip01((math.Log10(a.m.Value) - 6) / 4)
	}
	if a.kind == KindPledge {
		donors = a.donors
		if len(donors) == 0 {
			donors = []string{a.donor}
		}
	}
	return Candidate{Money: a.m, RuleKind: a.kind, Reason: a.reason, Donors: donors, Features: f}
}

// triggerFeatures: where the amount's verb is, which class it is of, and
// how far it is from the amount.
func (d *doc) triggerFeatures(f featureSet, a amountAt, trig int, c around) {
	f.set(fTrigNone, trig < 0)
	if trig < 0 {
		return
	}
	f.set(fTrigBefore, trig < a.i)
	f.set(fTrigAfter, trig >= a.j)
	switch {
	case pledgeWords[d.toks[trig].norm]:
		f[fVerbPledge] = 1
	case d.willGive(trig, c.gb):
		f[fVerbWillGive] = 1
	default:
		f[fVerbPackage] = 1
	}
	dist := a.i - trig
	if trig >= a.j {
		dist = trig - a.j
	}
	f[fVerbDist] = clip01(float64(dist) / 10)
}

// donorFeatures finds the donors the rules' donor finder names for the
// amount (whatever the rules decided about it) and returns them.
func (d *doc) donorFeatures(f featureSet, s sentence, ai int, c around, trig int, rcpt string) []string {
	a := d.amounts[ai]
	dist := 1.0
	for _, mi := range s.ments {
		m := d.ments[mi]
		if m.j <= a.i && d.actorOf(m) != "" && d.actorOf(m) != rcpt {
			dist = math.Min(dist, float64(a.i-m.j)/20)
		}
	}
	f[fDonorDist] = dist
	probe := a // a copy: donorsOf writes its reason and owner
	probe.reason = ""
	donors := d.donorsOf(s, &probe, c, trig, rcpt)
	f.set(fDonorNone, len(donors) == 0)
	f.set(fDonorPossessive, d.possessor(a.i) != "")
	f.set(fDonorDominant, strings.HasPrefix(probe.reason, "pledge; donor taken"))
	f.set(fDonorSeveral, len(donors) > 1)
	if own, ok := nationalCurrency[a.m.Currency]; ok {
		f.set(fDonorOwnCurrency, contains(donors, own))
	}
	if len(donors) > 1 {
		// each its own share, every one the same ("each"), or joint under the first
		first, each, _ := d.splitDonors(s, c.ga, c.gb, ai, donors)
		donors = []string{first}
		if len(each) > 0 {
			donors = each
		}
	}
	return donors
}

// markerFeatures: the cues of earlier, cumulative or other mentions, as
// the rules' cue readers find them, by kind and by place.
func (d *doc) markerFeatures(f featureSet, s sentence, a amountAt, c around) {
	switch r := d.cue(c.ca, a.i, false); {
	case r == "":
	case strings.Contains(r, "total"):
		f[fCueTotal] = 1
	case strings.Contains(r, "earlier") || strings.Contains(r, "reaffirmed"):
		f[fCueEarlier] = 1
	default:
		f[fCueOther] = 1
	}
	f.set(fCueStrongAfter, d.cue(a.j, c.cb, true) != "")
	f.set(fCueNearAfter, d.cue(a.j, min(c.cb, a.j+4), false) != "")
	f.set(fTotalEarlier, d.hasWord(c.ga, c.ca, "since", "cumulative", "total") || d.hasPair(c.ga, c.ca, "so", "far"))
	f.set(fPastDate, d.pastDate(s, c.ca, c.cb) != "")
	f.set(fBlocked, d.blocked(c.ga, a.i) != "")
}

// currencyFeatures: where the amount stands among the sentence's amounts
// and how it is written.
func (d *doc) currencyFeatures(f featureSet, s sentence, n int, a amountAt) {
	f.set(fEquivalent, n > 0 && d.equivalent(d.amounts[s.amts[n-1]], a))
	f.set(fBracketed, a.i > s.i && d.toks[a.i-1].text == "(")
	f.set(fFirstAmount, n == 0)
	f[fAmounts] = clip01(float64(len(s.amts)-1) / 4)
	f.set(fQualified, a.m.Qualifier != "")
	f.set(fRange, a.m.Max > 0)
}

// namesFund: the sentence names a multilateral fund for Ukraine.
func (d *doc) namesFund(s sentence) bool {
	for _, mi := range s.ments {
		m := d.ments[mi]
		if m.kind == eOrg && ukraineFunds[d.kb.Orgs[m.id].ID] {
			return true
		}
	}
	return false
}
