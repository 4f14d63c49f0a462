package analysis

import (
	"slices"
	"sort"
	"strings"
)

// Alliances counted for alignment, as membership labels.
var alignmentGroups = []string{"NATO", "EU", "G7", "AUKUS", "FVEY"}

// ProspectCountry is a country that is, or could become, a coalition member.
type ProspectCountry struct {
	ISO3   string  `json:"iso3"`
	Name   string  `json:"name"`
	GDPUSD float64 `json:"gdp_usd"`
	// Memberships are group labels; NATO, EU, G7, AUKUS and FVEY (Five Eyes)
	// count for alignment, case-insensitively. Others are ignored here.
	Memberships []string `json:"memberships"`
	// SupportEUR is its past support to the recipient (e.g. Kiel allocations).
	SupportEUR float64 `json:"support_eur"`
	// RecentSupportEUR is the part of it in the last 24 months of the data.
	RecentSupportEUR float64 `json:"recent_support_eur"`
	// BestYearEUR is its largest support in any 12 consecutive months so far.
	BestYearEUR float64 `json:"best_year_eur"`
	// Votes are its recorded votes on the General Assembly's Ukraine
	// resolutions, resolution symbol → yes, no, abstain or absent.
	Votes map[string]string `json:"votes,omitempty"`
}

// ProspectWeights weigh the three parts of the score. Zero weights all round
// mean the defaults: capacity 0.4, alliances 0.3, support 0.3. Weights are
// normalised to sum to 1.
type ProspectWeights struct {
	Capacity  float64 `json:"capacity"`
	Alliances float64 `json:"alliances"`
	Support   float64 `json:"support"`
}

// DefaultProspectWeights are used when all weights are zero.
var DefaultProspectWeights = ProspectWeights{Capacity: 0.4, Alliances: 0.3, Support: 0.3}

// ProspectInput lists countries, the coalition's members among them, and the
// gap a newcomer would help close.
type ProspectInput struct {
	Countries []ProspectCountry `json:"countries"`
	Members   []string          `json:"members"` // iso3 of current members
	GapEUR    float64           `json:"gap_eur"` // per year
	USDPerEUR float64           `json:"usd_per_eur"`
	Weights   ProspectWeights   `json:"weights"`
	// Alignment weighs votes, memberships and recent support within the
	// alignment part of the score (zero: DefaultAlignmentWeights).
	Alignment AlignmentWeights `json:"alignment"`
	// Exclude lists states not to rank (ISO3, any case), e.g. HUN, SVK.
	Exclude []string `json:"exclude"`
	// CapHistory is k in "ask at most k × the best 12 months of support"
	// (zero: DefaultCapHistory); CapGDPShare the share of GDP asked at most
	// of a state with no support (zero: DefaultCapGDPShare).
	CapHistory  float64 `json:"cap_history"`
	CapGDPShare float64 `json:"cap_gdp_share"`
	// IncludeIneligible lists the states that voted against a resolution
	// after the ranked ones, unranked, with eligible false and no ask.
	IncludeIneligible bool `json:"include_ineligible"`
	// Allow lists states (ISO3, any case) whose votes against are waived by
	// the analyst, e.g. after a change of government; they are ranked like
	// the others and their Waived field keeps the reason they had.
	Allow []string `json:"allow"`
}

// Prospect is one non-member with its score and ask.
type Prospect struct {
	Rank          int      `json:"rank"`
	ISO3          string   `json:"iso3"`
	Name          string   `json:"name"`
	GDPUSD        float64  `json:"gdp_usd"`
	Alliances     []string `json:"alliances"`       // the counted groups it belongs to
	SupportPctGDP float64  `json:"support_pct_gdp"` // past support / GDP in EUR × 100
	Capacity      float64  `json:"capacity"`        // GDP / largest candidate GDP, 0..1
	// Eligible is false for a state that voted against one of the General
	// Assembly's Ukraine resolutions; Ineligible then says which.
	Eligible   bool   `json:"eligible"`
	Ineligible string `json:"ineligible,omitempty"`
	// Waived keeps the reason a state allowed by the analyst would otherwise
	// be ineligible.
	Waived string `json:"waived,omitempty"`
	// Votes are its recorded votes; VoteScore their mean value (yes 1,
	// abstain 0.25, absent 0), absent when none is recorded.
	Votes      map[string]string `json:"votes,omitempty"`
	VoteScore  *float64          `json:"vote_score,omitempty"`
	GroupScore float64           `json:"group_score"` // alliances counted / 5, 0..1
	// RecentSupportEUR is its support in the last 24 months of the data,
	// RecentSupportPctGDP the same as a share of GDP in EUR × 100.
	RecentSupportEUR    float64 `json:"recent_support_eur"`
	RecentSupportPctGDP float64 `json:"recent_support_pct_gdp"`
	// Alignment combines vote score, group score and support score with the
	// alignment weights, 0..1.
	Alignment    float64 `json:"alignment"`
	SupportScore float64 `json:"support_score"` // recent_support_pct_gdp / largest among eligible candidates, 0..1
	Score        float64 `json:"score"`         // weighted sum, 0..1
	// FairShareEUR is its GDP-weighted share of the gap had it joined:
	// gap × GDP / (Σ members' GDP + its GDP). AskCapEUR bounds it by what
	// the state has shown it can give (AskCapRule: "history", k × its best
	// 12 months of support; "gdp", a share of GDP when it has given
	// nothing), and AskEUR is the smaller of the two.
	FairShareEUR float64 `json:"fair_share_eur"`
	AskCapEUR    float64 `json:"ask_cap_eur"`
	AskCapRule   string  `json:"ask_cap_rule"`
	AskEUR       float64 `json:"ask_eur"`

	bestYearEUR float64 // for the cap, not shown: the report names it
}

// Prospects ranks the countries neither in Members nor in Exclude, and
// eligible (no vote against a General Assembly Ukraine resolution), by
// score, highest first (ties by iso3). Capacity and support are scaled by the
// largest value among the eligible candidates, so scores compare candidates
// with each other, not across runs. With IncludeIneligible the ineligible
// follow, unranked (rank 0) and not asked for anything.
func Prospects(in ProspectInput) []Prospect {
	in.fillDefaults()
	w := in.Weights
	if w.Capacity <= 0 && w.Alliances <= 0 && w.Support <= 0 {
		w = DefaultProspectWeights
	}
	wsum := max(0, w.Capacity) + max(0, w.Alliances) + max(0, w.Support)
	rate := in.USDPerEUR
	if !(rate > 0) {
		rate = 1
	}
	var memberGDP float64
	var cands, barred []Prospect
	var maxGDP, maxSupport float64
	for _, c := range in.Countries {
		if slices.Contains(in.Members, c.ISO3) {
			memberGDP += c.GDPUSD
			continue
		}
		if excluded(in.Exclude, c.ISO3) {
			continue
		}
		p := newProspect(c, rate)
		if !p.Eligible && excluded(in.Allow, c.ISO3) {
			p.Eligible, p.Waived, p.Ineligible = true, p.Ineligible, ""
		}
		if !p.Eligible {
			barred = append(barred, p)
			continue
		}
		maxGDP = max(maxGDP, c.GDPUSD)
		maxSupport = max(maxSupport, p.RecentSupportPctGDP)
		cands = append(cands, p)
	}
	for i := range cands {
		p := &cands[i]
		if maxGDP > 0 {
			p.Capacity = p.GDPUSD / maxGDP
		}
		if maxSupport > 0 {
			p.SupportScore = p.RecentSupportPctGDP / maxSupport
		}
		p.Alignment = alignment(in.Alignment, p.VoteScore, p.GroupScore, p.SupportScore)
		p.Score = (max(0, w.Capacity)*p.Capacity + max(0, w.Alliances)*p.Alignment + max(0, w.Support)*p.SupportScore) / wsum
		p.ask(in, memberGDP, rate)
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].Score != cands[j].Score {
			return cands[i].Score > cands[j].Score
		}
		return cands[i].ISO3 < cands[j].ISO3
	})
	for i := range cands {
		cands[i].Rank = i + 1
	}
	if in.IncludeIneligible {
		sort.SliceStable(barred, func(i, j int) bool { return barred[i].ISO3 < barred[j].ISO3 })
		cands = append(cands, barred...)
	}
	return cands
}

// newProspect reads what one country brings before it is compared with the
// others: memberships, votes and eligibility, support as a share of GDP.
func newProspect(c ProspectCountry, usdPerEUR float64) Prospect {
	p := Prospect{ISO3: c.ISO3, Name: c.Name, GDPUSD: c.GDPUSD, Alliances: []string{}, Votes: c.Votes,
		RecentSupportEUR: c.RecentSupportEUR, bestYearEUR: c.BestYearEUR}
	for _, g := range alignmentGroups {
		if slices.ContainsFunc(c.Memberships, func(m string) bool { return strings.EqualFold(m, g) }) {
			p.Alliances = append(p.Alliances, g)
		}
	}
	p.GroupScore = float64(len(p.Alliances)) / float64(len(alignmentGroups))
	p.Ineligible = Ineligibility(c.Votes)
	p.Eligible = p.Ineligible == ""
	if v, ok := VoteScore(c.Votes); ok {
		p.VoteScore = &v
	}
	if c.GDPUSD > 0 {
		p.SupportPctGDP = c.SupportEUR / (c.GDPUSD / usdPerEUR) * 100
		p.RecentSupportPctGDP = c.RecentSupportEUR / (c.GDPUSD / usdPerEUR) * 100
	}
	return p
}

// ask sets the fair share of the gap, its cap and the ask, the smaller of
// the two.
func (p *Prospect) ask(in ProspectInput, memberGDP, usdPerEUR float64) {
	if tot := memberGDP + p.GDPUSD; tot > 0 {
		p.FairShareEUR = in.GapEUR * p.GDPUSD / tot
	}
	p.AskCapEUR, p.AskCapRule = AskCap(p.bestYearEUR, p.GDPUSD/usdPerEUR, in.CapHistory, in.CapGDPShare)
	p.AskEUR = min(p.FairShareEUR, p.AskCapEUR)
}
