package report

import (
	"context"
	"fmt"

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
	// DefaultCounts is what coverage counts when nobody says.
	DefaultCounts = CountsAll
)

// CoverageOptions are the parameters of a coverage question.
type CoverageOptions struct {
	// From and To bound the period; zero months default to the 12 months
	// ending with the last month of visible support, and one given bound
	// makes a 12-month period with it.
	From, To coalition.Month
	// Counts is CountsAll or CountsMembers; empty means DefaultCounts.
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
	// Counts says whose support counts (CountsAll or CountsMembers).
	Counts string `json:"counts"`
	// NetGapEUR is the headline: Σ over categories of max(0, need −
	// support) over the whole period. MonthlyGapEUR is the sum of the
	// monthly shortfalls (a surplus in one month fills no other), always at
	// least the net gap.
	NetGapEUR     float64                 `json:"net_gap_eur"`
	MonthlyGapEUR float64                 `json:"monthly_gap_eur"`
	Result        analysis.CoverageResult `json:"result"`
	Sources       []Source                `json:"sources"`
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
	from, to := opt.From, opt.To
	if from != 0 && to != 0 && to < from {
		return nil, coalition.FieldError("to", "is before from (%s < %s)", to, from)
	}
	counts := opt.Counts
	switch counts {
	case "":
		counts = DefaultCounts
	case CountsAll, CountsMembers:
	default:
		return nil, coalition.FieldError("counts", "%q is not one of %s, %s", counts, CountsAll, CountsMembers)
	}
	need := opt.Need
	switch need {
	case "":
		need = DefaultNeed
	case NeedStored, NeedHistorical:
	default:
		return nil, coalition.FieldError("need", "%q is not one of %s, %s", need, NeedStored, NeedHistorical)
	}
	coal, err := findCoalition(ctx, s, coalitionCode)
	if err != nil {
		return nil, err
	}
	if from == 0 && to == 0 {
		sup, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
		if err != nil {
			return nil, err
		}
		for _, d := range sup {
			to = max(to, d.Month)
		}
		if to == 0 {
			return nil, coalition.Errorf(coalition.NotFound, "no support is recorded: give from and to")
		}
	}
	switch {
	case from == 0:
		from = to.Add(-11)
	case to == 0:
		to = from.Add(11)
	}
	if to-from >= 12*50 {
		return nil, coalition.FieldError("to", "the period is longer than 50 years")
	}
	req, err := loadNeed(ctx, s, coal, from, to, need)
	if err != nil {
		return nil, err
	}
	who, basis := func(*coalition.Pledge) bool { return true }, "every donor's"
	if counts == CountsMembers {
		joined := map[string]bool{}
		for _, iso := range coal.JoinedMembers() {
			joined[iso] = true
		}
		who = func(p *coalition.Pledge) bool {
			return joined[p.Donor] || (p.CoalitionID != nil && *p.CoalitionID == coal.ID)
		}
		basis = fmt.Sprintf("joined members' (and %s's own)", coal.Code)
	}
	flows, srcs, err := pledgeFlows(ctx, s, coal.Recipient, from, to, req.cats, who)
	if err != nil {
		return nil, err
	}
	rep := &CoverageReport{Coalition: coal.Code, Recipient: coal.Recipient, RequirementBasis: req.basis, RequirementMonthly: req.monthly,
		Need: need, RequirementBases: req.bases,
		SupportBasis: fmt.Sprintf("%s visible pledges to %s (not cancelled) spread evenly over their delivery windows (a pledge without one counts in its announcement month); delivered = recorded deliveries", basis, coal.Recipient),
		Counts:       counts,
		Result:       analysis.Coverage(req.needs, flows, from, to)}
	rep.NetGapEUR, rep.MonthlyGapEUR = rep.Result.Total.NetGap, rep.Result.Total.Gap
	rep.Sources = append(rep.Sources, req.sources...)
	if req.monthly != nil {
		base, err := supportSources(ctx, s)
		if err != nil {
			return nil, err
		}
		for i := range base {
			base[i].Figure = "requirement (historical model: 2022–2024 support)"
		}
		rep.Sources = append(rep.Sources, base...)
	}
	rep.Sources = append(rep.Sources, srcs...)
	return rep, nil
}
