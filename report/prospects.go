package report

import (
	"context"
	"fmt"
	"math"
	"slices"

	"coalition"
	"coalition/analysis"
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
	Sources   []Source                 `json:"sources"`
}

// Prospects ranks the states outside coalitionCode (default COW2025) with
// a GDP figure, the recipient excepted, by capacity, alignment and past
// support as a share of GDP (all allocations the user may see), and gives
// each its GDP share of gapEUR (0 means DefaultGapEUR). Zero weights mean
// analysis.DefaultProspectWeights.
func Prospects(ctx context.Context, s coalition.Store, coalitionCode string, gapEUR float64, w analysis.ProspectWeights) (*ProspectsReport, error) {
	gapEUR, w, err := prospectArgs(gapEUR, w)
	if err != nil {
		return nil, err
	}
	coal, err := findCoalition(ctx, s, coalitionCode)
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
	rep := &ProspectsReport{Coalition: coal.Code, GapEUR: gapEUR, Weights: w, Members: coal.JoinedMembers(), GDPYear: year, Prospects: []analysis.Prospect{}}
	if rep.Members == nil {
		rep.Members = []string{}
	}
	if year == 0 {
		return rep, nil
	}
	if rep.USDPerEUR, err = fx.usdPerEUR(ctx, year); err != nil {
		return nil, err
	}
	in := analysis.ProspectInput{Members: rep.Members, GapEUR: gapEUR, USDPerEUR: rep.USDPerEUR, Weights: w}
	if in.Countries, err = prospectCountries(ctx, fx, used, rep.USDPerEUR, support); err != nil {
		return nil, err
	}
	rep.Prospects = analysis.Prospects(in)
	if rep.Sources, err = supportSources(ctx, s); err != nil {
		return nil, err
	}
	rep.Sources = append(rep.Sources, countrySources(used, "gdp and memberships", fmt.Sprint(year))...)
	rep.Sources = append(rep.Sources, fx.sources()...)
	rep.Sources = append(rep.Sources, membersSource(coal))
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
func prospectCountries(ctx context.Context, fx *fx, used []*coalition.Country, rate float64, support map[string]float64) ([]analysis.ProspectCountry, error) {
	var out []analysis.ProspectCountry
	for _, c := range used {
		eur, _, err := fx.gdpEUR(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, analysis.ProspectCountry{ISO3: c.ISO3, Name: c.Name, GDPUSD: eur * rate,
			Memberships: slices.Clone(c.Groups), SupportEUR: support[c.ISO3]})
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
