package analysis

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func handProspectInput() ProspectInput {
	return ProspectInput{
		Countries: []ProspectCountry{
			{ISO3: "AAA", GDPUSD: 300, Memberships: []string{"NATO"}},
			{ISO3: "BBB", GDPUSD: 100, Memberships: []string{"NATO", "eu", "COW2025"}, SupportEUR: 3, RecentSupportEUR: 2, BestYearEUR: 1.5,
				Votes: map[string]string{"ES-11/1": VoteYes}},
			{ISO3: "CCC", GDPUSD: 200, Votes: map[string]string{"ES-11/1": VoteAbstain}},
			{ISO3: "DDD", GDPUSD: 50, Memberships: []string{"NATO", "EU", "G7", "AUKUS", "FVEY"}, SupportEUR: 0.5, RecentSupportEUR: 0.5, BestYearEUR: 0.2},
			{ISO3: "RUS", GDPUSD: 400, Votes: map[string]string{"ES-11/1": VoteNo, "ES-11/7": VoteNo}},
			{ISO3: "IRN", GDPUSD: 80, Votes: map[string]string{"ES-11/1": VoteAbstain, "ES-11/5": VoteNo}},
			{ISO3: "HUN", GDPUSD: 40, Memberships: []string{"NATO", "EU"}, Votes: map[string]string{"ES-11/1": VoteYes}},
		},
		Members:   []string{"AAA"},
		GapEUR:    1000,
		USDPerEUR: 1,
		Exclude:   []string{"hun"},
	}
}

// The score, alignment and capped ask worked out by hand for a small world.
func TestProspectsHandComputed(t *testing.T) {
	// Eligible: BBB, CCC, DDD (RUS and IRN voted against a resolution, HUN is
	// excluded). Largest eligible GDP 200; recent support 2 %, 0, 1 % of GDP.
	//        capacity support groups votes
	// BBB    0.5      1       0.4    1     alignment .4×1 + .3×.4 + .3×1 = 0.82
	// CCC    1        0       0      0.25  alignment .4×.25           = 0.10
	// DDD    0.25     0.5     1      –     alignment (.3×1 + .3×.5)/.6 = 0.75
	// Score = .4 capacity + .3 alignment + .3 support:
	// BBB .2 + .246 + .3 = .746; DDD .1 + .225 + .15 = .475; CCC .4 + .03 = .43.
	// Fair share gap × GDP / (300 + GDP): BBB 250, DDD 1000×50/350, CCC 400.
	// Caps (k 2, 0.01% of GDP without support): BBB 2×1.5, DDD 2×0.2, CCC 0.02.
	got := Prospects(handProspectInput())
	want := []struct {
		iso               string
		alignment, score  float64
		fair, capEUR, ask float64
		rule              string
	}{
		{"BBB", 0.82, 0.746, 250, 3, 3, CapRuleHistory},
		{"DDD", 0.75, 0.475, 1000.0 * 50 / 350, 0.4, 0.4, CapRuleHistory},
		{"CCC", 0.1, 0.43, 400, 0.02, 0.02, CapRuleGDP},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d prospects, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		p := got[i]
		t.Run(w.iso, func(t *testing.T) {
			if p.ISO3 != w.iso || p.Rank != i+1 || !p.Eligible {
				t.Fatalf("rank %d = %s (eligible %v), want %s", i+1, p.ISO3, p.Eligible, w.iso)
			}
			for _, f := range []struct {
				name      string
				got, want float64
			}{{"alignment", p.Alignment, w.alignment}, {"score", p.Score, w.score}, {"fair share", p.FairShareEUR, w.fair},
				{"ask cap", p.AskCapEUR, w.capEUR}, {"ask", p.AskEUR, w.ask}} {
				if !near(f.got, f.want, 1e-12) {
					t.Errorf("%s %v, want %v", f.name, f.got, f.want)
				}
			}
			if p.AskCapRule != w.rule {
				t.Errorf("cap rule %q, want %q", p.AskCapRule, w.rule)
			}
		})
	}
	if got[1].VoteScore != nil {
		t.Errorf("DDD has no recorded vote but a vote score %v", *got[1].VoteScore)
	}
	// Capacity only: the largest eligible economy first (RUS is larger).
	in := handProspectInput()
	in.Weights = ProspectWeights{Capacity: 1}
	if got := Prospects(in); got[0].ISO3 != "CCC" {
		t.Errorf("capacity-only ranking starts with %s, want CCC", got[0].ISO3)
	}
}

// States that voted against a resolution are listed only on request, after
// the ranked ones, unranked and asked for nothing; exclusions never appear.
func TestProspectsIneligibleListedOnRequest(t *testing.T) {
	in := handProspectInput()
	in.IncludeIneligible = true
	got := Prospects(in)
	var isos []string
	for _, p := range got {
		isos = append(isos, p.ISO3)
	}
	if want := []string{"BBB", "DDD", "CCC", "IRN", "RUS"}; !slices.Equal(isos, want) {
		t.Fatalf("listed %v, want %v", isos, want)
	}
	for _, p := range got[3:] {
		eq(t, p.ISO3+" eligible", p.Eligible, false)
		eq(t, p.ISO3+" rank", p.Rank, 0)
		eq(t, p.ISO3+" ask EUR", p.AskEUR, 0)
		eq(t, p.ISO3+" score", p.Score, 0)
	}
	if got[3].Ineligible != "voted against ES-11/5" || got[4].Ineligible != "voted against ES-11/1, ES-11/7" {
		t.Errorf("reasons %q, %q", got[3].Ineligible, got[4].Ineligible)
	}
}

// Property: over random worlds, no state that voted against any resolution
// is an eligible prospect, an excluded state never appears, and every ask is
// at most its cap and its fair share.
func TestProspectsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 1))
	votes := []string{VoteYes, VoteNo, VoteAbstain, VoteAbsent}
	for run := range 300 {
		in := ProspectInput{GapEUR: r.Float64() * 1e11, USDPerEUR: 0.8 + r.Float64()*0.4, CapHistory: r.Float64() * 3,
			IncludeIneligible: r.IntN(2) == 0}
		for i := range 2 + r.IntN(20) {
			c := ProspectCountry{ISO3: string(rune('A'+i)) + "X" + string(rune('A'+run%26)), GDPUSD: r.Float64() * 1e13}
			if r.IntN(3) > 0 {
				c.SupportEUR = r.Float64() * 1e10
				c.RecentSupportEUR = c.SupportEUR * r.Float64()
				c.BestYearEUR = c.SupportEUR * r.Float64()
			}
			c.Votes = map[string]string{}
			for _, res := range []string{"ES-11/1", "ES-11/7"} {
				if r.IntN(4) > 0 {
					c.Votes[res] = votes[r.IntN(len(votes))]
				}
			}
			switch r.IntN(5) {
			case 0:
				in.Members = append(in.Members, c.ISO3)
			case 1:
				in.Exclude = append(in.Exclude, c.ISO3)
			}
			in.Countries = append(in.Countries, c)
		}
		against := map[string]bool{}
		for _, c := range in.Countries {
			against[c.ISO3] = Ineligibility(c.Votes) != ""
		}
		for _, p := range Prospects(in) {
			if slices.Contains(in.Exclude, p.ISO3) || slices.Contains(in.Members, p.ISO3) {
				t.Fatalf("run %d: %s is excluded or a member but listed", run, p.ISO3)
			}
			if p.Eligible == against[p.ISO3] {
				t.Fatalf("run %d: %s eligible %v, voted against %v", run, p.ISO3, p.Eligible, against[p.ISO3])
			}
			if p.AskEUR > p.AskCapEUR || p.AskEUR > p.FairShareEUR || p.AskEUR < 0 {
				t.Fatalf("run %d: %s ask %v above cap %v or fair share %v", run, p.ISO3, p.AskEUR, p.AskCapEUR, p.FairShareEUR)
			}
			if p.Eligible && (p.Alignment < 0 || p.Alignment > 1+1e-12) {
				t.Fatalf("run %d: %s alignment = %v, want within 0..1", run, p.ISO3, p.Alignment)
			}
			if p.Eligible && (p.Score < 0 || p.Score > 1+1e-12) {
				t.Fatalf("run %d: %s score = %v, want within 0..1", run, p.ISO3, p.Score)
			}
		}
	}
}

func TestVoteScoreAndIneligibility(t *testing.T) {
	for _, c := range []struct {
		votes  map[string]string
		score  float64
		known  bool
		reason string
	}{
		{nil, 0, false, ""},
		{map[string]string{"a": VoteYes, "b": VoteAbstain}, 0.625, true, ""},
		{map[string]string{"a": VoteAbsent}, 0, true, ""},
		{map[string]string{"b": VoteNo, "a": VoteYes}, 1, true, "voted against b"},
	} {
		score, known := VoteScore(c.votes)
		if !near(score, c.score, 1e-12) || known != c.known {
			t.Errorf("VoteScore(%v) = %v %v, want %v %v", c.votes, score, known, c.score, c.known)
		}
		if got := Ineligibility(c.votes); got != c.reason {
			t.Errorf("Ineligibility(%v) = %q, want %q", c.votes, got, c.reason)
		}
	}
}

// An analyst may waive a state's votes against (e.g. after a change of
// government): it is then ranked like the others and keeps the reason.
func TestProspectsAllowWaivesVotesAgainst(t *testing.T) {
	in := handProspectInput()
	in.Allow = []string{"irn"}
	got := Prospects(in)
	var irn *Prospect
	for i := range got {
		switch got[i].ISO3 {
		case "IRN":
			irn = &got[i]
		case "RUS":
			t.Error("RUS listed although only IRN was allowed")
		}
	}
	if irn == nil {
		t.Fatal("IRN allowed but not listed")
	}
	eq(t, "IRN eligible", irn.Eligible, true)
	if irn.Rank == 0 {
		t.Error("IRN rank = 0, want a rank")
	}
	eq(t, "IRN ineligible", irn.Ineligible, "")
	eq(t, "IRN waived", irn.Waived, "voted against ES-11/5")
	if irn.AskEUR <= 0 {
		t.Errorf("IRN ask = %v EUR, want above 0", irn.AskEUR)
	}
	if len(got) != 4 {
		t.Errorf("%d prospects, want BBB, CCC, DDD and IRN", len(got))
	}
}
