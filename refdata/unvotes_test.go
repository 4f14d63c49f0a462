package refdata_test

import (
	"slices"
	"strings"
	"testing"

	"coalition/refdata"
)

// The bundled member votes add up, per resolution, to the totals the UN
// published: every category where all members are bundled, the "no" votes
// where only those are.
func TestUNVotesMatchPublishedTotals(t *testing.T) {
	res, votes, err := refdata.UNVotes()
	if err != nil {
		t.Fatal(err)
	}
	// The published totals themselves, as the UN announced them, so an edit of
	// the resolutions file cannot move the goalposts.
	published := map[string][4]int{ // yes, no, abstain, non-voting
		"A/RES/ES-11/1": {141, 5, 35, 12},
		"A/RES/ES-11/4": {143, 5, 35, 10},
		"A/RES/ES-11/5": {94, 14, 73, 12},
		"A/RES/ES-11/6": {141, 7, 32, 13},
		"A/RES/ES-11/7": {93, 18, 65, 17},
	}
	if len(res) != len(published) {
		t.Fatalf("%d resolutions bundled, want %d", len(res), len(published))
	}
	for _, r := range res {
		t.Run(r.Symbol, func(t *testing.T) {
			want, ok := published[r.Symbol]
			if !ok {
				t.Fatalf("%s has no published totals in this test", r.Symbol)
			}
			if got := [4]int{r.Yes, r.No, r.Abstain, r.NonVoting}; got != want {
				t.Errorf("file's totals %v, UN published %v", got, want)
			}
			if sum := want[0] + want[1] + want[2] + want[3]; sum != 193 {
				t.Errorf("totals add to %d members, want 193", sum)
			}
			n := map[string]int{}
			for _, v := range votes {
				if v.Resolution == r.Symbol {
					n[v.Vote]++
				}
			}
			if n[refdata.VoteNo] != want[1] {
				t.Errorf("%d no votes bundled, UN published %d", n[refdata.VoteNo], want[1])
			}
			switch r.Coverage {
			case refdata.CoverageAll:
				got := [4]int{n[refdata.VoteYes], n[refdata.VoteNo], n[refdata.VoteAbstain], n[refdata.VoteAbsent]}
				if got != want {
					t.Errorf("bundled yes/no/abstain/absent %v, UN published %v", got, want)
				}
			case refdata.CoverageNoOnly:
				if n[refdata.VoteYes]+n[refdata.VoteAbstain]+n[refdata.VoteAbsent] != 0 {
					t.Errorf("no-only resolution carries other votes: %v", n)
				}
			}
		})
	}
}

// The aggressor and those who voted with it on the first resolution are
// where the UN records them.
func TestUNVotesES111Against(t *testing.T) {
	_, votes, err := refdata.UNVotes()
	if err != nil {
		t.Fatal(err)
	}
	var against []string
	vote := map[string]string{}
	for _, v := range votes {
		if v.Resolution == "A/RES/ES-11/1" {
			vote[v.ISO3] = v.Vote
			if v.Vote == refdata.VoteNo {
				against = append(against, v.ISO3)
			}
		}
	}
	slices.Sort(against)
	if want := []string{"BLR", "ERI", "PRK", "RUS", "SYR"}; !slices.Equal(against, want) {
		t.Errorf("against ES-11/1: %v, want %v", against, want)
	}
	for iso, want := range map[string]string{"DEU": "yes", "UKR": "yes", "CHN": "abstain", "IND": "abstain", "IRN": "abstain", "VEN": "absent"} {
		if vote[iso] != want {
			t.Errorf("%s on ES-11/1: %q, want %q", iso, vote[iso], want)
		}
	}
}

func TestUNVotesSourceNamesTheFile(t *testing.T) {
	if s := refdata.UNVotesSource(); !strings.Contains(s, refdata.UNVotesFile) {
		t.Errorf("source %q does not name %s", s, refdata.UNVotesFile)
	}
}
