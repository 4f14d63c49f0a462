package refdata

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"
)

// The UN General Assembly's votes on its Ukraine resolutions
// (un_ga_votes_sources.md): the resolutions with their published totals, and
// the member votes bundled for each.
const (
	UNResolutionsFile = "un_ga_resolutions.csv"
	UNVotesFile       = "un_ga_ukraine_votes.csv"
)

// Votes as the UN records them; absent is the UN's "non-voting".
const (
	VoteYes     = "yes"
	VoteNo      = "no"
	VoteAbstain = "abstain"
	VoteAbsent  = "absent"
)

// Coverage of a resolution's member rows: every member, or only those who
// voted against (the others voted yes, abstained or did not vote, unknown).
const (
	CoverageAll    = "all"
	CoverageNoOnly = "no-only"
)

// UNResolution is one resolution with the totals the UN published.
type UNResolution struct {
	Symbol    string // A/RES/ES-11/1
	Date      string // YYYY-MM-DD of the vote
	Title     string
	Yes       int
	No        int
	Abstain   int
	NonVoting int
	Coverage  string // CoverageAll or CoverageNoOnly
	Grade     string // primary, press or secondary
	Source    string
}

// UNVote is one member's recorded vote on one resolution.
type UNVote struct {
	ISO3       string
	Resolution string
	Date       string
	Vote       string // VoteYes, VoteNo, VoteAbstain or VoteAbsent
}

var unVotes struct {
	once  sync.Once
	res   []UNResolution
	votes []UNVote
	err   error
}

// UNVotes returns the bundled resolutions (in the file's order) and member
// votes, parsed once. A vote on a resolution the first file does not list,
// an unknown vote, or a member listed twice for one resolution is an error
// naming the line: the totals test can then trust every row.
func UNVotes() ([]UNResolution, []UNVote, error) {
	unVotes.once.Do(func() { unVotes.res, unVotes.votes, unVotes.err = readUNVotes() })
	return unVotes.res, unVotes.votes, unVotes.err
}

var iso3Pattern = regexp.MustCompile(`^[A-Z]{3}$`)

func readUNVotes() ([]UNResolution, []UNVote, error) {
	res, err := readUNResolutions()
	if err != nil {
		return nil, nil, err
	}
	dates := map[string]string{}
	for _, r := range res {
		dates[r.Symbol] = r.Date
	}
	t, err := readTable(UNVotesFile)
	if err != nil {
		return nil, nil, err
	}
	seen := map[[2]string]bool{}
	votes := make([]UNVote, 0, len(t.rows))
	for i, row := range t.rows {
		v := UNVote{ISO3: row["iso3"], Resolution: row["resolution"], Date: row["date"], Vote: row["vote"]}
		switch {
		case !iso3Pattern.MatchString(v.ISO3):
			return nil, nil, t.errorf(i, "iso3", "%q is not an ISO 3166 alpha-3 code", v.ISO3)
		case dates[v.Resolution] == "":
			return nil, nil, t.errorf(i, "resolution", "%q is not in %s", v.Resolution, UNResolutionsFile)
		case v.Date != dates[v.Resolution]:
			return nil, nil, t.errorf(i, "date", "%s was voted on %s, not %s", v.Resolution, dates[v.Resolution], v.Date)
		case v.Vote != VoteYes && v.Vote != VoteNo && v.Vote != VoteAbstain && v.Vote != VoteAbsent:
			return nil, nil, t.errorf(i, "vote", "%q is not yes, no, abstain or absent", v.Vote)
		case seen[[2]string{v.ISO3, v.Resolution}]:
			return nil, nil, t.errorf(i, "iso3", "%s is listed twice for %s", v.ISO3, v.Resolution)
		}
		seen[[2]string{v.ISO3, v.Resolution}] = true
		votes = append(votes, v)
	}
	return res, votes, nil
}

func readUNResolutions() ([]UNResolution, error) {
	t, err := readTable(UNResolutionsFile)
	if err != nil {
		return nil, err
	}
	var res []UNResolution
	for i, row := range t.rows {
		r := UNResolution{Symbol: row["resolution"], Date: row["date"], Title: row["title"], Coverage: row["coverage"],
			Grade: row["grade"], Source: row["source"]}
		for _, f := range []struct {
			name string
			to   *int
		}{{"yes", &r.Yes}, {"no", &r.No}, {"abstain", &r.Abstain}, {"non_voting", &r.NonVoting}} {
			n, err := strconv.Atoi(row[f.name])
			if err != nil || n < 0 {
				return nil, t.errorf(i, f.name, "%q is not a count", row[f.name])
			}
			*f.to = n
		}
		if r.Coverage != CoverageAll && r.Coverage != CoverageNoOnly {
			return nil, t.errorf(i, "coverage", "%q is not %s or %s", r.Coverage, CoverageAll, CoverageNoOnly)
		}
		if r.Symbol == "" || r.Source == "" {
			return nil, t.errorf(i, "resolution", "a resolution needs its symbol and a source")
		}
		res = append(res, r)
	}
	return res, nil
}

// UNVotesSource cites the bundled votes in one line for reports.
func UNVotesSource() string {
	res, _, err := UNVotes()
	if err != nil || len(res) == 0 {
		return "UN General Assembly votes: not available"
	}
	return fmt.Sprintf("UN General Assembly recorded votes on %d Ukraine resolutions, %s to %s (refdata %s; ES-11/1 member by member, the later ones their \"no\" votes; grades and gaps in un_ga_votes_sources.md)",
		len(res), res[0].Symbol, res[len(res)-1].Symbol, UNVotesFile)
}
