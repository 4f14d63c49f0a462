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
	Alignment     float64  `json:"alignment"`       // alliances counted / 5, 0..1
	SupportScore  float64  `json:"support_score"`   // support_pct_gdp / largest among candidates, 0..1
	Score         float64  `json:"score"`           // weighted sum, 0..1
	// AskEUR is its GDP-weighted share of the gap had it joined:
	// gap × GDP / (Σ members' GDP + its GDP).
	AskEUR float64 `json:"ask_eur"`
}

// alliancesOf are the alignment groups among a country's memberships, in
// the order of alignmentGroups (memberships are matched without case, as
// sources spell them differently).
func alliancesOf(memberships []string) []string {
	out := []string{}
	for _, g := range alignmentGroups {
		if slices.ContainsFunc(memberships, func(m string) bool { return strings.EqualFold(m, g) }) {
			out = append(out, g)
		}
	}
	return out
}

// Prospects ranks the countries not in Members by score, highest first (ties
// by iso3). Capacity and support are scaled by the largest value among the
// candidates, so scores compare candidates with each other, not across runs.
func Prospects(in ProspectInput) []Prospect {
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
	var cands []Prospect
	var maxGDP, maxSupport float64
	for _, c := range in.Countries {
		if slices.Contains(in.Members, c.ISO3) {
			memberGDP += c.GDPUSD
			continue
		}
		p := Prospect{ISO3: c.ISO3, Name: c.Name, GDPUSD: c.GDPUSD, Alliances: alliancesOf(c.Memberships)}
		if c.GDPUSD > 0 {
			p.SupportPctGDP = c.SupportEUR / (c.GDPUSD / rate) * 100
		}
		maxGDP = max(maxGDP, c.GDPUSD)
		maxSupport = max(maxSupport, p.SupportPctGDP)
		cands = append(cands, p)
	}
	for i := range cands {
		p := &cands[i]
		if maxGDP > 0 {
			p.Capacity = p.GDPUSD / maxGDP
		}
		if maxSupport > 0 {
			p.SupportScore = p.SupportPctGDP / maxSupport
		}
		p.Alignment = float64(len(p.Alliances)) / float64(len(alignmentGroups))
		p.Score = (max(0, w.Capacity)*p.Capacity + max(0, w.Alliances)*p.Alignment + max(0, w.Support)*p.SupportScore) / wsum
		if tot := memberGDP + p.GDPUSD; tot > 0 {
			p.AskEUR = in.GapEUR * p.GDPUSD / tot
		}
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
	return cands
}
