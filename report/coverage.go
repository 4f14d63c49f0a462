package report

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"coalition"
	"coalition/analysis"
)

// Who counts towards a coalition's coverage: one parameter, the same for
// the CLI, the API and the pages.
const (
	// CountsAll counts every donor's visible pledges to the recipient: is
	// the recipient's need covered, by anyone?
	CountsAll = "all"
	// CountsMembers counts the pledges of the coalition's joined members
	// and those recorded in the coalition: does the coalition cover it?
	CountsMembers = "members"
	// CountsMembersChannels counts the members' pledges and, of a pledge
	// recorded under a channel (the EU institutions), the part the joined
	// members fund: the sum of their shares of the channel.
	CountsMembersChannels = "members+channels"
	// DefaultCounts is what coverage counts when nobody says.
	DefaultCounts = CountsAll
)

// CoverageOptions are the parameters of a coverage question.
type CoverageOptions struct {
	// From and To bound the period; zero months default to the 12 months
	// ending with the last month of visible support, and one given bound
	// makes a 12-month period with it.
	From, To coalition.Month
	// Counts is CountsAll, CountsMembers or CountsMembersChannels; empty
	// means DefaultCounts.
	Counts string
	// Need is NeedStored or NeedHistorical; empty means DefaultNeed.
	Need string
}

// CoverageReport is a coalition's need against the support the user may
// see, per category and month.
type CoverageReport struct {
	Coalition        string `json:"coalition"`
	Recipient        string `json:"recipient"`
	RequirementBasis string `json:"requirement_basis"`
	// Need is the need basis asked for (NeedStored or NeedHistorical);
	// RequirementBases says, per support type, which basis its need has.
	Need             string            `json:"need"`
	RequirementBases map[string]string `json:"requirement_bases"`
	// RequirementMonthly is the historical model's need per type, for the
	// types (and months) that use it.
	RequirementMonthly map[string]float64 `json:"requirement_monthly,omitempty"`
	SupportBasis       string             `json:"support_basis"`
	// Counts says whose support counts (CountsAll, CountsMembers or
	// CountsMembersChannels).
	Counts string `json:"counts"`
	// NetGapEUR is the headline: Σ over categories of max(0, need −
	// support) over the whole period. MonthlyGapEUR is the sum of the
	// monthly shortfalls (a surplus in one month fills no other), always at
	// least the net gap.
	NetGapEUR     float64                 `json:"net_gap_eur"`
	MonthlyGapEUR float64                 `json:"monthly_gap_eur"`
	Result        analysis.CoverageResult `json:"result"`
	// Units is coverage in units, for requirements stated in units of a
	// catalogued system, against that system's equipment records
	// (unitCoverage); UnitsUnmatched the requirements with a quantity that
	// name no system or another unit, counted in euros only.
	Units          []analysis.UnitCoverage `json:"units"`
	UnitsUnmatched []string                `json:"units_unmatched"`
	Sources        []Source                `json:"sources"`
}

// Coverage compares coalitionCode's need (default COW2025; opt.Need: its
// stored requirements, and per support type and month without any the
// historical model, the 2022–2024 average monthly support per type) with
// the visible, not cancelled pledges to its recipient of those opt.Counts
// names, spread over their delivery windows (a pledge in a category the
// need does not name counts under its support type when that is needed).
// The CLI, the API and the coalition page (and its CSV downloads) all call
// it.
func Coverage(ctx context.Context, s coalition.Store, coalitionCode string, opt CoverageOptions) (*CoverageReport, error) {
	if err := opt.normalise(); err != nil {
		return nil, err
	}
	coal, err := findCoalition(ctx, s, coalitionCode)
	if err != nil {
		return nil, err
	}
	from, to, err := coveragePeriod(ctx, s, opt.From, opt.To)
	if err != nil {
		return nil, err
	}
	req, err := loadNeed(ctx, s, coal, from, to, opt.Need)
	if err != nil {
		return nil, err
	}
	who, err := whoCounts(ctx, s, coal, opt.Counts)
	if err != nil {
		return nil, err
	}
	flows, srcs, err := pledgeFlows(ctx, s, coal.Recipient, from, to, req.cats, who.weight)
	if err != nil {
		return nil, err
	}
	rep := &CoverageReport{Coalition: coal.Code, Recipient: coal.Recipient, RequirementBasis: req.basis, RequirementMonthly: req.monthly,
		Need: opt.Need, RequirementBases: req.bases,
		SupportBasis: fmt.Sprintf("%s visible pledges to %s (not cancelled) spread evenly over their delivery windows (a pledge without one counts in its announcement month); delivered = recorded deliveries", who.basis, coal.Recipient),
		Counts:       opt.Counts,
		Result:       analysis.Coverage(req.needs, flows, from, to)}
	rep.NetGapEUR, rep.MonthlyGapEUR = rep.Result.Total.NetGap, rep.Result.Total.Gap
	if rep.Units, rep.UnitsUnmatched, err = unitCoverage(ctx, s, coal, from, to, opt.Counts); err != nil {
		return nil, err
	}
	if rep.Sources, err = needSources(ctx, s, req); err != nil {
		return nil, err
	}
	rep.Sources = append(rep.Sources, who.sources...)
	rep.Sources = append(rep.Sources, srcs...)
	return rep, nil
}

// normalise checks the options and fills in the defaults of counts and
// need, so that the report says which it used.
func (opt *CoverageOptions) normalise() error {
	if opt.From != 0 && opt.To != 0 && opt.To < opt.From {
		return coalition.FieldError("to", "is before from (%s < %s)", opt.To, opt.From)
	}
	switch opt.Counts {
	case "":
		opt.Counts = DefaultCounts
	case CountsAll, CountsMembers, CountsMembersChannels:
	default:
		return coalition.FieldError("counts", "%q is not one of %s, %s, %s", opt.Counts, CountsAll, CountsMembers, CountsMembersChannels)
	}
	switch opt.Need {
	case "":
		opt.Need = DefaultNeed
	case NeedStored, NeedHistorical:
	default:
		return coalition.FieldError("need", "%q is not one of %s, %s", opt.Need, NeedStored, NeedHistorical)
	}
	return nil
}

// coveragePeriod completes from..to: without either, the 12 months ending
// with the last month of visible support; with one, 12 months from or to
// it. A period over 50 years is refused (it would be computed cell by
// cell).
func coveragePeriod(ctx context.Context, s coalition.DonorStore, from, to coalition.Month) (coalition.Month, coalition.Month, error) {
	if from == 0 && to == 0 {
		sup, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
		if err != nil {
			return 0, 0, err
		}
		for _, d := range sup {
			to = max(to, d.Month)
		}
		if to == 0 {
			return 0, 0, coalition.Errorf(coalition.NotFound, "no support is recorded: give from and to")
		}
	}
	switch {
	case from == 0:
		from = to.Add(-11)
	case to == 0:
		to = from.Add(11)
	}
	if to-from >= 12*50 {
		return 0, 0, coalition.FieldError("to", "the period is longer than 50 years")
	}
	return from, to, nil
}

// needSources cites the need: the stored requirements' sources, and the
// support the historical model averages when a type uses it.
func needSources(ctx context.Context, s coalition.DonorStore, req *requirement) ([]Source, error) {
	out := append([]Source(nil), req.sources...)
	if req.monthly == nil {
		return out, nil
	}
	base, err := supportSources(ctx, s)
	if err != nil {
		return nil, err
	}
	for i := range base {
		base[i].Figure = "requirement (historical model: 2022–2024 support)"
	}
	return append(out, base...), nil
}

// counting is the answer to "who counts": the weight of each pledge (1:
// all of it, a channel's members' share of it, 0: none), what to call it,
// and the sources of the channel shares used.
type counting struct {
	weight  func(*coalition.Pledge) float64
	basis   string
	sources []Source
}

// whoCounts turns a counts parameter into the weight of each pledge. With
// CountsMembersChannels, a pledge recorded under a channel (the EU
// institutions) counts for the sum of the joined members' shares of that
// channel (coalition.Channel.ShareOf): the part of it the members fund.
func whoCounts(ctx context.Context, s coalition.Store, coal *coalition.Coalition, counts string) (counting, error) {
	if counts == CountsAll {
		return counting{weight: func(*coalition.Pledge) float64 { return 1 }, basis: "every donor's"}, nil
	}
	joined := map[string]bool{}
	for _, iso := range coal.JoinedMembers() {
		joined[iso] = true
	}
	member := func(p *coalition.Pledge) bool {
		return joined[p.Donor] || (p.CoalitionID != nil && *p.CoalitionID == coal.ID)
	}
	c := counting{basis: fmt.Sprintf("joined members' (and %s's own)", coal.Code)}
	c.weight = func(p *coalition.Pledge) float64 {
		if member(p) {
			return 1
		}
		return 0
	}
	if counts == CountsMembers {
		return c, nil
	}
	chans, err := s.FindChannels(ctx)
	if err != nil {
		return counting{}, err
	}
	share := map[string]float64{}
	var named []string
	for donor, ch := range recordingChannels(chans) {
		for iso := range joined {
			share[donor] += ch.ShareOf(iso)
		}
		share[donor] = min(share[donor], 1)
		named = append(named, fmt.Sprintf("%s %.1f%%", donor, 100*share[donor]))
		c.sources = append(c.sources, Source{Figure: "channel shares (" + ch.Code + ")", Source: ch.Key + " — " + ch.Source, AsOf: ch.AsOf})
	}
	sort.Strings(named)
	sort.Slice(c.sources, func(i, j int) bool { return c.sources[i].Figure < c.sources[j].Figure })
	c.weight = func(p *coalition.Pledge) float64 {
		if member(p) {
			return 1
		}
		return share[p.Donor]
	}
	c.basis += fmt.Sprintf(" and, of the channels they fund, the members' share (%s) of the channels'", strings.Join(named, ", "))
	return c, nil
}
