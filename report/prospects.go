package report

import (
	"context"
	"fmt"
	"math"
	"slices"

	"coalition"
	"coalition/analysis"
	"coalition/refdata"
)

// DefaultGapEUR is the yearly gap a prospect is asked to help close when
// none is given: the Washington 2024 €40bn baseline.
const DefaultGapEUR = analysis.NATO40bnBaseline

// ProspectsReport ranks the countries outside a coalition for recruitment.
type ProspectsReport struct {
	Coalition string                   `json:"coalition"`
	GapEUR    float64                  `json:"gap_eur"`
	Weights   analysis.ProspectWeights `json:"weights"` // as used (defaults filled in)
	Members   []string                 `json:"members"`
	GDPYear   int                      `json:"gdp_year"`
	USDPerEUR float64                  `json:"usd_per_eur"`
	Prospects []analysis.Prospect      `json:"prospects"`
	// Alignment weighs votes, memberships and recent support within alignment.
	Alignment analysis.AlignmentWeights `json:"alignment_weights"`
	// RecentFrom..RecentTo are the months counted as recent support.
	RecentFrom  coalition.Month `json:"recent_from"`
	RecentTo    coalition.Month `json:"recent_to"`
	CapHistory  float64         `json:"cap_history"`
	CapGDPShare float64         `json:"cap_gdp_share"`
	CapNote     string          `json:"cap_note"`
	// Excluded are the states left out on request; Ineligible those left out
	// because they voted against a General Assembly Ukraine resolution.
	Excluded   []string          `json:"excluded"`
	Ineligible []IneligibleState `json:"ineligible"`
	Sources    []Source          `json:"sources"`
}

// Prospects ranks the states outside coalitionCode (default COW2025) with
// a GDP figure, the recipient excepted and those that voted against a UN
// General Assembly Ukraine resolution left out, by capacity, alignment (UN
// votes, memberships, recent support) and recent support as a share of GDP
// (allocations the user may see in the data's last RecentMonths months), and
// gives each its GDP share of gapEUR (0 means DefaultGapEUR), capped at
// analysis.DefaultCapHistory × its best 12 months. Zero weights mean
// analysis.DefaultProspectWeights. ProspectsWith takes the other options.
func Prospects(ctx context.Context, s coalition.Store, coalitionCode string, gapEUR float64, w analysis.ProspectWeights) (*ProspectsReport, error) {
	return ProspectsWith(ctx, s, ProspectOptions{Coalition: coalitionCode, GapEUR: gapEUR, Weights: w})
}

// ProspectsWith is Prospects with every option: states that voted against
// a General Assembly Ukraine resolution are left out (listed in Ineligible),
// so are those in opt.Exclude, and each ask is capped (CapNote).
func ProspectsWith(ctx context.Context, s coalition.Store, opt ProspectOptions) (*ProspectsReport, error) {
	opt, err := prospectOptions(opt)
	if err != nil {
		return nil, err
	}
	gapEUR, w := opt.GapEUR, opt.Weights
	coal, err := findCoalition(ctx, s, opt.Coalition)
	if err != nil {
		return nil, err
	}
	cs, err := s.FindCountries(ctx, coalition.CountryFilter{})
	if err != nil {
		return nil, err
	}
	support, err := supportByDonor(ctx, s)
	if err != nil {
		return nil, err
	}
	used := prospectCandidates(cs, coal.Recipient)
	fx := newFX(s)
	year := refYear(used)
	ev, err := gatherEvidence(ctx, s)
	if err != nil {
		return nil, err
	}
	rep := &ProspectsReport{Coalition: coal.Code, GapEUR: gapEUR, Weights: w, Members: coal.JoinedMembers(), GDPYear: year, Prospects: []analysis.Prospect{},
		Alignment: opt.Alignment, RecentFrom: ev.from, RecentTo: ev.to, CapHistory: opt.CapHistory, CapGDPShare: opt.CapGDPShare, CapNote: capNote(opt.CapHistory, opt.CapGDPShare),
		Excluded: []string{}, Ineligible: []IneligibleState{}}
	if rep.Members == nil {
		rep.Members = []string{}
	}
	if year == 0 {
		return rep, nil
	}
	if rep.USDPerEUR, err = fx.usdPerEUR(ctx, year); err != nil {
		return nil, err
	}
	in := analysis.ProspectInput{Members: rep.Members, GapEUR: gapEUR, USDPerEUR: rep.USDPerEUR, Weights: w, Alignment: opt.Alignment,
		Exclude: opt.Exclude, CapHistory: opt.CapHistory, CapGDPShare: opt.CapGDPShare, IncludeIneligible: opt.IncludeIneligible, Allow: opt.Allow}
	if in.Countries, err = prospectCountries(ctx, fx, used, rep.USDPerEUR, support, ev); err != nil {
		return nil, err
	}
	rep.Prospects = analysis.Prospects(in)
	rep.Excluded, rep.Ineligible = leftOut(in)
	if rep.Sources, err = supportSources(ctx, s); err != nil {
		return nil, err
	}
	rep.Sources = append(rep.Sources, countrySources(used, "gdp and memberships", fmt.Sprint(year))...)
	rep.Sources = append(rep.Sources, fx.sources()...)
	rep.Sources = append(rep.Sources, membersSource(coal), Source{Figure: "un votes", Source: refdata.UNVotesSource(), AsOf: "2025-02-24"})
	return rep, nil
}

// supportByDonor is each donor's total visible allocations in EUR.
func supportByDonor(ctx context.Context, s coalition.DonorStore) (map[string]float64, error) {
	totals, err := s.DonorTotals(ctx, coalition.DonorFilter{})
	if err != nil {
		return nil, err
	}
	support := map[string]float64{}
	for _, t := range totals {
		support[t.ISO3] = t.TotalEUR
	}
	return support, nil
}

// prospectCountries are the candidates as the engine takes them. It takes
// one rate for all, so a GDP of another year is restated at the reference
// rate.
func prospectCountries(ctx context.Context, fx *fx, used []*coalition.Country, rate float64, support map[string]float64, ev *evidence) ([]analysis.ProspectCountry, error) {
	var out []analysis.ProspectCountry
	for _, c := range used {
		eur, _, err := fx.gdpEUR(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, analysis.ProspectCountry{ISO3: c.ISO3, Name: c.Name, GDPUSD: eur * rate,
			Memberships: slices.Clone(c.Groups), SupportEUR: support[c.ISO3], RecentSupportEUR: ev.recent[c.ISO3], BestYearEUR: ev.bestYear[c.ISO3],
			Votes: ev.votes[c.ISO3]})
	}
	return out, nil
}

// prospectArgs checks the gap and the weights, and fills their defaults.
func prospectArgs(gapEUR float64, w analysis.ProspectWeights) (float64, analysis.ProspectWeights, error) {
	if !nonNegative(gapEUR) {
		return 0, w, coalition.FieldError("gap_eur", "must be a non-negative amount in EUR (got %g)", gapEUR)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"capacity", w.Capacity}, {"alliances", w.Alliances}, {"support", w.Support}} {
		if !nonNegative(f.v) {
			return 0, w, coalition.FieldError("weights."+f.name, "must be a non-negative number (got %g)", f.v)
		}
	}
	if w.Capacity == 0 && w.Alliances == 0 && w.Support == 0 {
		w = analysis.DefaultProspectWeights
	}
	if gapEUR == 0 {
		gapEUR = DefaultGapEUR
	}
	return gapEUR, w, nil
}

// nonNegative reports whether v is a finite number >= 0, as every amount
// and weight a user gives must be.
func nonNegative(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= 0
}

// prospectCandidates are the states other than the recipient with a GDP
// figure.
func prospectCandidates(cs []*coalition.Country, recipient string) []*coalition.Country {
	var used []*coalition.Country
	for _, c := range cs {
		if c.State && c.ISO3 != recipient && hasGDP(c) {
			used = append(used, c)
		}
	}
	return used
}
