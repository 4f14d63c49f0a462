package report

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"coalition"
	"coalition/analysis"
	"coalition/refdata"
)

// RecentMonths is how far back "recent support" reaches, counted back from
// the data's last month: what a state gives now, not what it gave in 2022.
const RecentMonths = 24

// ProspectOptions are the knobs of a prospects report; zero values mean the
// defaults (COW2025, DefaultGapEUR, analysis.DefaultProspectWeights,
// analysis.DefaultAlignmentWeights, analysis.DefaultCapHistory).
type ProspectOptions struct {
	Coalition string
	GapEUR    float64
	Weights   analysis.ProspectWeights
	Alignment analysis.AlignmentWeights
	// Exclude lists states (ISO3) not to rank, e.g. HUN, SVK.
	Exclude []string
	// CapHistory is k: a prospect is asked at most k × its best 12 months.
	CapHistory float64
	// CapGDPShare bounds the ask of a state with no support recorded, as a
	// share of its GDP.
	CapGDPShare float64
	// IncludeIneligible lists the states that voted against a resolution
	// after the ranked ones, unranked, with eligible false.
	IncludeIneligible bool
	// Allow lists states (ISO3) whose votes against are waived, e.g. after a
	// change of government since the vote.
	Allow []string
}

// IneligibleState is a candidate left out because of its UN votes.
type IneligibleState struct {
	ISO3   string `json:"iso3"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// prospectOptions checks what the caller may get wrong and fills the defaults.
func prospectOptions(opt ProspectOptions) (ProspectOptions, error) {
	var err error
	if opt.GapEUR, opt.Weights, err = prospectArgs(opt.GapEUR, opt.Weights); err != nil {
		return opt, err
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"cap_history", opt.CapHistory}, {"cap_gdp_share", opt.CapGDPShare}, {"alignment.votes", opt.Alignment.Votes}, {"alignment.groups", opt.Alignment.Groups},
		{"alignment.recent", opt.Alignment.Recent}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
			return opt, coalition.FieldError(f.name, "must be a non-negative number (got %g)", f.v)
		}
	}
	if opt.CapHistory == 0 {
		opt.CapHistory = analysis.DefaultCapHistory
	}
	if opt.CapGDPShare == 0 {
		opt.CapGDPShare = analysis.DefaultCapGDPShare
	}
	if opt.CapGDPShare > 1 {
		return opt, coalition.FieldError("cap_gdp_share", "is a share of GDP, at most 1 (got %g)", opt.CapGDPShare)
	}
	if a := opt.Alignment; a.Votes == 0 && a.Groups == 0 && a.Recent == 0 {
		opt.Alignment = analysis.DefaultAlignmentWeights
	}
	if opt.Exclude, err = isoList("exclude", opt.Exclude); err != nil {
		return opt, err
	}
	opt.Allow, err = isoList("allow", opt.Allow)
	return opt, err
}

// isoList upper-cases and de-duplicates the ISO3 codes of one option,
// refusing anything that is not one (a country's name, say).
func isoList(field string, list []string) ([]string, error) {
	var ex []string
	for _, e := range list {
		e = strings.ToUpper(strings.TrimSpace(e))
		if e == "" {
			continue
		}
		if len(e) != 3 || strings.Trim(e, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			return nil, coalition.FieldError(field, "%q is not an ISO3 code (e.g. HUN,SVK)", e)
		}
		if !slices.Contains(ex, e) {
			ex = append(ex, e)
		}
	}
	return ex, nil
}

// ParseISO3List splits "HUN, svk" into ["HUN", "SVK"]; the report checks
// each code.
func ParseISO3List(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, strings.ToUpper(f))
		}
	}
	return out
}

// supportHistory is each donor's support in the last RecentMonths months
// of the data and its best 12 consecutive months so far, from the monthly
// series; to is the data's last month (0 when there is no support).
func supportHistory(ctx context.Context, s coalition.Store) (recent, bestYear map[string]float64, from, to coalition.Month, err error) {
	monthly, _, to, err := monthlyByDonor(ctx, s)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	from = to.Add(-(RecentMonths - 1))
	recent, bestYear = map[string]float64{}, map[string]float64{}
	for iso, byMonth := range monthly {
		first := to
		for m, eur := range byMonth {
			first = min(first, m)
			if m >= from {
				recent[iso] += eur
			}
		}
		bestYear[iso] = best12(byMonth, first, to)
	}
	return recent, bestYear, from, to, nil
}

// monthlyByDonor is the visible support per donor and month, with the
// data's first and last month (both 0 without support).
func monthlyByDonor(ctx context.Context, s coalition.Store) (monthly map[string]map[coalition.Month]float64, first, last coalition.Month, err error) {
	rows, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
	if err != nil {
		return nil, 0, 0, err
	}
	monthly = map[string]map[coalition.Month]float64{}
	for i, r := range rows {
		if monthly[r.ISO3] == nil {
			monthly[r.ISO3] = map[coalition.Month]float64{}
		}
		monthly[r.ISO3][r.Month] += r.EUR
		if i == 0 {
			first = r.Month
		}
		first, last = min(first, r.Month), max(last, r.Month)
	}
	return monthly, first, last, nil
}

// bestYears is each donor's best 12 consecutive months of support (best12)
// and the data's first month: the capacity rule that prospects' asks and
// scenarios' --cap-history share.
func bestYears(ctx context.Context, s coalition.Store) (best map[string]float64, first coalition.Month, err error) {
	monthly, first, last, err := monthlyByDonor(ctx, s)
	if err != nil {
		return nil, 0, err
	}
	best = map[string]float64{}
	for iso, byMonth := range monthly {
		donorFirst := last
		for m := range byMonth {
			donorFirst = min(donorFirst, m)
		}
		best[iso] = best12(byMonth, donorFirst, last)
	}
	return best, first, nil
}

// best12 is the largest sum over 12 consecutive months between first and last.
func best12(byMonth map[coalition.Month]float64, first, last coalition.Month) float64 {
	var window, best float64
	for m := first; m <= last; m++ {
		window += byMonth[m]
		if m-12 >= first {
			window -= byMonth[m-12]
		}
		best = max(best, window)
	}
	return best
}

// unVotesByState maps ISO3 → resolution → recorded vote.
func unVotesByState() (map[string]map[string]string, error) {
	_, votes, err := refdata.UNVotes()
	if err != nil {
		return nil, err
	}
	by := map[string]map[string]string{}
	for _, v := range votes {
		if by[v.ISO3] == nil {
			by[v.ISO3] = map[string]string{}
		}
		by[v.ISO3][v.Resolution] = v.Vote
	}
	return by, nil
}

// leftOut lists the candidates excluded on request (in the input's order)
// and, of the others, those that voted against a resolution (in ISO3
// order); members are neither.
func leftOut(in analysis.ProspectInput) (excluded []string, ineligible []IneligibleState) {
	excluded, ineligible = []string{}, []IneligibleState{}
	for _, c := range in.Countries {
		switch r := analysis.Ineligibility(c.Votes); {
		case slices.Contains(in.Members, c.ISO3):
		case slices.Contains(in.Exclude, c.ISO3):
			excluded = append(excluded, c.ISO3)
		case r != "" && !slices.Contains(in.Allow, c.ISO3):
			ineligible = append(ineligible, IneligibleState{ISO3: c.ISO3, Name: c.Name, Reason: r})
		}
	}
	slices.SortFunc(ineligible, func(a, b IneligibleState) int { return strings.Compare(a.ISO3, b.ISO3) })
	return excluded, ineligible
}

// evidence is what the prospects report reads besides countries and
// totals: the support history and the UN votes.
type evidence struct {
	recent, bestYear map[string]float64
	from, to         coalition.Month
	votes            map[string]map[string]string
}

func gatherEvidence(ctx context.Context, s coalition.Store) (*evidence, error) {
	var ev evidence
	var err error
	if ev.recent, ev.bestYear, ev.from, ev.to, err = supportHistory(ctx, s); err != nil {
		return nil, err
	}
	if ev.votes, err = unVotesByState(); err != nil {
		return nil, err
	}
	return &ev, nil
}

// capNote says on the output how the asks were bounded.
func capNote(k, share float64) string {
	return fmt.Sprintf("each ask is at most %g × the state's best 12 consecutive months of support so far; a state with none recorded is asked at most %g%% of its GDP (ask_cap_rule \"gdp\")",
		k, share*100)
}
