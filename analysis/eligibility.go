package analysis

import (
	"slices"
	"sort"
	"strings"
)

// Votes as the UN General Assembly records them (refdata.UNVote).
const (
	VoteYes     = "yes"
	VoteNo      = "no"
	VoteAbstain = "abstain"
	VoteAbsent  = "absent"
)

// voteValue is what one recorded vote says about a state's alignment with
// the recipient: a yes is full support, an abstention a little (the state
// chose not to side with the aggressor but would not condemn it), not
// voting none. A no is not scored: it makes the state ineligible.
var voteValue = map[string]float64{VoteYes: 1, VoteAbstain: 0.25, VoteAbsent: 0}

// AlignmentWeights weigh the three parts of a prospect's alignment: its
// votes on the General Assembly's Ukraine resolutions, its memberships
// (NATO, EU, G7, AUKUS, Five Eyes) and its recent support. Zero weights all
// round mean DefaultAlignmentWeights; they are normalised to sum to 1.
type AlignmentWeights struct {
	Votes  float64 `json:"votes"`
	Groups float64 `json:"groups"`
	Recent float64 `json:"recent"`
}

// DefaultAlignmentWeights are used when all alignment weights are zero.
var DefaultAlignmentWeights = AlignmentWeights{Votes: 0.4, Groups: 0.3, Recent: 0.3}

// Ask caps: a prospect is asked at most DefaultCapHistory times its best 12
// months of support so far; one with no support at all at most
// DefaultCapGDPShare of its GDP (0.01%), a first step rather than a share
// of a gap it has never helped close (0.1% would ask Brazil, which has given
// nothing, for €2 bn a year, more than most donors give).
const (
	DefaultCapHistory  = 2.0
	DefaultCapGDPShare = 0.0001
)

// Ask-cap rules, as reported with each prospect.
const (
	CapRuleHistory = "history" // k × best 12 months of support
	CapRuleGDP     = "gdp"     // share of GDP, no support recorded
)

// Ineligibility returns why a state with these recorded votes may not be a
// prospect ("" when it may): a vote against any of the resolutions. The
// resolutions are named in order so the reason reads the same every run.
func Ineligibility(votes map[string]string) string {
	var against []string
	for res, v := range votes {
		if v == VoteNo {
			against = append(against, res)
		}
	}
	if len(against) == 0 {
		return ""
	}
	sort.Strings(against)
	return "voted against " + strings.Join(against, ", ")
}

// VoteScore is the mean value of a state's recorded votes (yes 1, abstain
// 0.25, absent 0); ok is false when none is recorded (e.g. a state that is
// not a UN member), and then the votes leave its alignment out.
func VoteScore(votes map[string]string) (score float64, ok bool) {
	n := 0
	for _, v := range votes {
		if x, scored := voteValue[v]; scored {
			score += x
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return score / float64(n), true
}

// AskCap bounds a prospect's ask by what it has shown it can give: k times
// its best 12 months of support, or, with none recorded, share × its GDP.
func AskCap(bestYearEUR, gdpEUR, k, share float64) (float64, string) {
	if bestYearEUR > 0 {
		return k * bestYearEUR, CapRuleHistory
	}
	return share * gdpEUR, CapRuleGDP
}

// alignment combines the parts that are known, renormalising the weights
// over them; the group and support parts are always known.
func alignment(w AlignmentWeights, votes *float64, groups, recent float64) float64 {
	sum := w.Groups*groups + w.Recent*recent
	wsum := w.Groups + w.Recent
	if votes != nil {
		sum += w.Votes * *votes
		wsum += w.Votes
	}
	if wsum == 0 {
		return 0
	}
	return sum / wsum
}

// fillDefaults puts in the default ask caps and alignment weights where the
// caller left them zero; the report layer checks the values it is given.
func (in *ProspectInput) fillDefaults() {
	if !(in.CapHistory > 0) {
		in.CapHistory = DefaultCapHistory
	}
	if !(in.CapGDPShare > 0) {
		in.CapGDPShare = DefaultCapGDPShare
	}
	a := &in.Alignment
	if a.Votes <= 0 && a.Groups <= 0 && a.Recent <= 0 {
		*a = DefaultAlignmentWeights
	}
	a.Votes, a.Groups, a.Recent = max(0, a.Votes), max(0, a.Groups), max(0, a.Recent)
}

// excluded reports whether iso3 is in the caller's exclusion list.
func excluded(list []string, iso3 string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.EqualFold(s, iso3) })
}
