package report

import (
	"context"
	"fmt"

	"coalition"
	"coalition/analysis"
)

// CoverageReport is a coalition's need against the support the user may
// see, per category and month.
type CoverageReport struct {
	Coalition        string `json:"coalition"`
	Recipient        string `json:"recipient"`
	RequirementBasis string `json:"requirement_basis"`
	// RequirementMonthly is the baseline need per type (without stored
	// requirements).
	RequirementMonthly map[string]float64      `json:"requirement_monthly,omitempty"`
	SupportBasis       string                  `json:"support_basis"`
	Result             analysis.CoverageResult `json:"result"`
	Sources            []Source                `json:"sources"`
}

// Coverage compares coalitionCode's need (default COW2025: its stored
// requirements, else the 2022–2024 average monthly support per type) with
// the visible, not cancelled pledges to its recipient, spread over their
// delivery windows (a pledge in a category the need does not name counts
// under its support type when that is needed). Zero months default to the
// 12 months ending with the last month of visible support; one given bound
// makes a 12-month period with it.
func Coverage(ctx context.Context, s coalition.Store, coalitionCode string, from, to coalition.Month) (*CoverageReport, error) {
	if from != 0 && to != 0 && to < from {
		return nil, coalition.FieldError("to", "is before from (%s < %s)", to, from)
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
	req, err := loadRequirement(ctx, s, coal, from, to)
	if err != nil {
		return nil, err
	}
	flows, srcs, err := pledgeFlows(ctx, s, coal.Recipient, from, to, req.cats)
	if err != nil {
		return nil, err
	}
	rep := &CoverageReport{Coalition: coal.Code, Recipient: coal.Recipient, RequirementBasis: req.basis, RequirementMonthly: req.monthly,
		SupportBasis: fmt.Sprintf("visible pledges to %s (not cancelled) spread over their delivery windows; delivered = recorded deliveries", coal.Recipient),
		Result:       analysis.Coverage(req.needs, flows, from, to)}
	rep.Sources = append(rep.Sources, req.sources...)
	if req.monthly != nil {
		base, err := supportSources(ctx, s)
		if err != nil {
			return nil, err
		}
		for i := range base {
			base[i].Figure = "requirement (2022–2024 support)"
		}
		rep.Sources = append(rep.Sources, base...)
	}
	rep.Sources = append(rep.Sources, srcs...)
	return rep, nil
}
