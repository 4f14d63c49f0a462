package report_test

import (
	"slices"
	"testing"

	"coalition"
	"coalition/analysis"
	"coalition/refdata"
	"coalition/report"
)

// Nobody who voted against a General Assembly Ukraine resolution is an
// eligible prospect: the aggressor and its backers (RUS, BLR, PRK, IRN and
// every "no" on ES-11/1) whatever the weights; the recipient never is.
func TestProspectsNeverIncludeThoseWhoVotedAgainst(t *testing.T) {
	s := seeded(t)
	_, votes, err := refdata.UNVotes()
	if err != nil {
		t.Fatal(err)
	}
	barred := map[string]bool{"RUS": true, "BLR": true, "PRK": true, "IRN": true}
	for _, v := range votes {
		if v.Vote == refdata.VoteNo {
			barred[v.ISO3] = true
		}
	}
	for _, iso := range []string{"BLR", "ERI", "PRK", "RUS", "SYR", "IRN", "CHN", "USA", "HUN"} {
		if !barred[iso] {
			t.Errorf("%s has no recorded vote against: the data lost it", iso)
		}
	}
	for _, opt := range []report.ProspectOptions{
		{},
		{Weights: analysis.ProspectWeights{Capacity: 1}},
		{Alignment: analysis.AlignmentWeights{Groups: 1}, GapEUR: 1e12},
		{IncludeIneligible: true},
	} {
		rep, err := report.ProspectsWith(sys, s, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Prospects) == 0 {
			t.Fatal("no prospects")
		}
		for _, p := range rep.Prospects {
			if p.ISO3 == "UKR" {
				t.Errorf("%+v: the recipient is a prospect", opt)
			}
			if barred[p.ISO3] && (p.Eligible || p.Rank != 0 || p.AskEUR != 0) {
				t.Errorf("%+v: %s voted against a resolution but is eligible %v, rank %d, ask %.0f", opt, p.ISO3, p.Eligible, p.Rank, p.AskEUR)
			}
			if !barred[p.ISO3] && !p.Eligible {
				t.Errorf("%+v: %s is ineligible without a vote against", opt, p.ISO3)
			}
			if barred[p.ISO3] && !opt.IncludeIneligible {
				t.Errorf("%+v: %s listed although ineligible states are not asked for", opt, p.ISO3)
			}
		}
		var ineligible []string
		for _, i := range rep.Ineligible {
			ineligible = append(ineligible, i.ISO3)
		}
		// Of the seeded states outside COW2025, these voted against.
		if want := []string{"CHN", "HUN", "RUS", "USA"}; !slices.Equal(ineligible, want) {
			t.Errorf("%+v: ineligible %v, want %v", opt, ineligible, want)
		}
	}
}

// Exclusions leave the named states out and say so; bad codes are refused.
func TestProspectsExclude(t *testing.T) {
	s := seeded(t)
	all, err := report.ProspectsWith(sys, s, report.ProspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	listed := func(rep *report.ProspectsReport, iso string) bool {
		return slices.ContainsFunc(rep.Prospects, func(p analysis.Prospect) bool { return p.ISO3 == iso })
	}
	if !listed(all, "SVK") || !listed(all, "IND") {
		t.Fatal("SVK and IND should be prospects without exclusions")
	}
	rep, err := report.ProspectsWith(sys, s, report.ProspectOptions{Exclude: report.ParseISO3List(" svk, HUN ,ind")})
	if err != nil {
		t.Fatal(err)
	}
	for _, iso := range []string{"SVK", "IND", "HUN"} {
		if listed(rep, iso) {
			t.Errorf("%s excluded but listed", iso)
		}
	}
	// HUN is named although it is ineligible anyway; it then is listed as
	// excluded, not as ineligible.
	if want := []string{"HUN", "IND", "SVK"}; !slices.Equal(sortedCopy(rep.Excluded), want) {
		t.Errorf("excluded %v, want %v", rep.Excluded, want)
	}
	if slices.ContainsFunc(rep.Ineligible, func(i report.IneligibleState) bool { return i.ISO3 == "HUN" }) {
		t.Error("HUN excluded and also listed as ineligible")
	}
	if len(rep.Prospects) != len(all.Prospects)-2 {
		t.Errorf("%d prospects after excluding two, had %d", len(rep.Prospects), len(all.Prospects))
	}
	_, err = report.ProspectsWith(sys, s, report.ProspectOptions{Exclude: []string{"HUNGARY"}})
	wantField(t, err, "exclude")
	_, err = report.ProspectsWith(sys, s, report.ProspectOptions{Allow: []string{"U.S."}})
	wantField(t, err, "allow")
	// Allowing HUN (an analyst's judgement after its 2026 election) ranks it
	// again, with the waived reason, and drops it from the ineligible.
	allowed, err := report.ProspectsWith(sys, s, report.ProspectOptions{Allow: []string{"hun"}})
	if err != nil {
		t.Fatal(err)
	}
	var hun *analysis.Prospect
	for i := range allowed.Prospects {
		if allowed.Prospects[i].ISO3 == "HUN" {
			hun = &allowed.Prospects[i]
		}
	}
	if hun == nil {
		t.Fatal("HUN allowed but not among the prospects")
	}
	if !hun.Eligible {
		t.Error("HUN allowed: eligible = false, want true")
	}
	if hun.Rank == 0 {
		t.Error("HUN allowed: rank = 0, want a rank")
	}
	if want := "voted against A/RES/ES-11/7"; hun.Waived != want {
		t.Errorf("HUN allowed: waived = %q, want %q", hun.Waived, want)
	}
	if slices.ContainsFunc(allowed.Ineligible, func(i report.IneligibleState) bool { return i.ISO3 == "HUN" }) {
		t.Error("HUN allowed but listed as ineligible")
	}
	_, err = report.ProspectsWith(sys, s, report.ProspectOptions{CapHistory: -1})
	wantField(t, err, "cap_history")
	_, err = report.ProspectsWith(sys, s, report.ProspectOptions{CapGDPShare: 2})
	wantField(t, err, "cap_gdp_share")
	_, err = report.ProspectsWith(sys, s, report.ProspectOptions{Alignment: analysis.AlignmentWeights{Votes: -1}})
	wantField(t, err, "alignment.votes")
}

// Each ask is capped at k × the state's best 12 consecutive months of
// support, worked out here from the monthly series, or at a share of GDP
// when it has given nothing; a capped ask never exceeds its cap.
func TestProspectsAskCap(t *testing.T) {
	s := seeded(t)
	rows, err := s.MonthlySupport(sys, coalition.DonorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	monthly := map[string]map[coalition.Month]float64{}
	var last coalition.Month
	for _, r := range rows {
		if monthly[r.ISO3] == nil {
			monthly[r.ISO3] = map[coalition.Month]float64{}
		}
		monthly[r.ISO3][r.Month] += r.EUR
		last = max(last, r.Month)
	}
	bestYear := func(iso string) float64 { // brute force over every 12-month window
		var best float64
		for start := range monthly[iso] {
			var sum float64
			for m := start; m < start+12; m++ {
				sum += monthly[iso][m]
			}
			best = max(best, sum)
		}
		return best
	}
	for _, k := range []float64{2, 0.5} {
		rep, err := report.ProspectsWith(sys, s, report.ProspectOptions{CapHistory: k, GapEUR: 1e12})
		if err != nil {
			t.Fatal(err)
		}
		if rep.CapHistory != k {
			t.Errorf("k %v: cap history = %v, want %v", k, rep.CapHistory, k)
		}
		if rep.RecentTo != last {
			t.Errorf("k %v: recent to = %s, want %s (where the data ends)", k, rep.RecentTo, last)
		}
		if want := last.Add(-23); rep.RecentFrom != want {
			t.Errorf("k %v: recent from = %s, want %s", k, rep.RecentFrom, want)
		}
		if rep.CapNote == "" {
			t.Errorf("k %v: cap note is empty, want one", k)
		}
		capped, byGDP := 0, 0
		for _, p := range rep.Prospects {
			c, _ := s.FindCountry(sys, p.ISO3)
			gdpEUR := *c.GDPUSDBn * 1e9 / rep.USDPerEUR
			want, rule := k*bestYear(p.ISO3), analysis.CapRuleHistory
			if want == 0 {
				want, rule, byGDP = analysis.DefaultCapGDPShare*gdpEUR, analysis.CapRuleGDP, byGDP+1
			}
			if !near(p.AskCapEUR, want, 1e-9) || p.AskCapRule != rule {
				t.Errorf("k %v: %s cap %.0f (%s), want %.0f (%s)", k, p.ISO3, p.AskCapEUR, p.AskCapRule, want, rule)
			}
			if p.AskEUR > p.AskCapEUR {
				t.Errorf("k %v: %s ask %.0f above its cap %.0f", k, p.ISO3, p.AskEUR, p.AskCapEUR)
			}
			if p.AskEUR < p.FairShareEUR {
				capped++
			}
			var recent float64
			for m, eur := range monthly[p.ISO3] {
				if m > last.Add(-24) {
					recent += eur
				}
			}
			if !near(p.RecentSupportEUR, recent, 1e-9) {
				t.Errorf("%s recent support %.0f, want %.0f", p.ISO3, p.RecentSupportEUR, recent)
			}
		}
		// With a €1 tn gap every fair share exceeds what anyone has given.
		if capped != len(rep.Prospects) || byGDP == 0 {
			t.Errorf("k %v: %d of %d asks capped, %d by GDP share", k, capped, len(rep.Prospects), byGDP)
		}
	}
}

func sortedCopy(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

// Over every UN member in the bundled votes, not only the seeded countries:
// the aggressor, its backers and everyone who voted against ES-11/1 are
// never eligible, whatever their size, memberships or support.
func TestProspectsBundledVotesBarEveryNo(t *testing.T) {
	_, votes, err := refdata.UNVotes()
	if err != nil {
		t.Fatal(err)
	}
	byState := map[string]map[string]string{}
	for _, v := range votes {
		if byState[v.ISO3] == nil {
			byState[v.ISO3] = map[string]string{}
		}
		byState[v.ISO3][v.Resolution] = v.Vote
	}
	in := analysis.ProspectInput{GapEUR: 40e9, USDPerEUR: 1.08, IncludeIneligible: true}
	for iso, v := range byState {
		// The barred states get the largest economies, every membership and
		// the most support, so only eligibility can keep them out.
		c := analysis.ProspectCountry{ISO3: iso, GDPUSD: 1e12, Votes: v}
		if iso == "RUS" || iso == "BLR" || iso == "PRK" || iso == "IRN" || v["A/RES/ES-11/1"] == refdata.VoteNo {
			c = analysis.ProspectCountry{ISO3: iso, GDPUSD: 3e13, Memberships: []string{"NATO", "EU", "G7", "AUKUS", "FVEY"},
				SupportEUR: 1e11, RecentSupportEUR: 1e11, BestYearEUR: 5e10, Votes: v}
		}
		in.Countries = append(in.Countries, c)
	}
	got := analysis.Prospects(in)
	if len(got) != len(byState) {
		t.Fatalf("%d listed of %d states", len(got), len(byState))
	}
	for _, p := range got {
		barred := p.ISO3 == "RUS" || p.ISO3 == "BLR" || p.ISO3 == "PRK" || p.ISO3 == "IRN" || byState[p.ISO3]["A/RES/ES-11/1"] == refdata.VoteNo
		if barred && (p.Eligible || p.Rank != 0 || p.AskEUR != 0) {
			t.Errorf("%s is eligible %v, rank %d, ask %.0f", p.ISO3, p.Eligible, p.Rank, p.AskEUR)
		}
	}
	if got[0].ISO3 == "" || !got[0].Eligible {
		t.Errorf("first listed %+v is not an eligible prospect", got[0])
	}
}
