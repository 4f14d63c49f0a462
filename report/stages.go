package report

import (
	"context"
	"slices"
	"strings"

	"coalition"
)

// The stages of support a donor table can show (`donors --status STAGE`,
// `/api/v1/donors?status=STAGE`). They are stages of the same support,
// never added together: committed includes what was allocated since, and
// the pipeline is committed − allocated.
const (
	// StageCommitted is everything committed: the allocated stage plus the
	// pipeline.
	StageCommitted = "committed"
	// StageAllocated is Kiel's headline, the pledges allocated or delivered.
	StageAllocated = "allocated"
	// StageDelivered is the pledges marked delivered.
	StageDelivered = "delivered"
	// StagePipeline is what is committed and not yet allocated: the
	// datasets' to-be-allocated (Kiel's column) and the pledges still at
	// status committed.
	StagePipeline = "pipeline"
)

// Stages lists the stages, in order.
var Stages = []string{StageCommitted, StageAllocated, StageDelivered, StagePipeline}

// IsStage reports whether a status parameter is one stage (the donor
// table then shows that stage) rather than a list of pledge statuses.
func IsStage(status string) bool { return slices.Contains(Stages, status) }

// DonorStage is the donor table at one stage of support under f (whose
// Statuses it sets). Committed and pipeline add the stored commitments of
// published datasets (Kiel's to_be_allocated) to the pledges: Kiel gives
// them as one total per donor and month, not per type, so they are in
// total_eur only, and left out when f asks for one type.
func DonorStage(ctx context.Context, s coalition.Store, f coalition.DonorFilter, stage string) ([]coalition.DonorTotal, error) {
	switch stage {
	case StageAllocated:
		f.Statuses = nil // the store's default: allocated and delivered
		return s.DonorTotals(ctx, f)
	case StageDelivered:
		f.Statuses = []coalition.PledgeStatus{coalition.Delivered}
		return s.DonorTotals(ctx, f)
	case StageCommitted, StagePipeline:
	default:
		return nil, coalition.FieldError("status", "%q is not one of %v", stage, Stages)
	}
	t := newDonorTable(nil)
	if stage == StageCommitted {
		alloc := f
		alloc.Statuses = nil
		rows, err := s.DonorTotals(ctx, alloc)
		if err != nil {
			return nil, err
		}
		t = newDonorTable(rows)
	}
	pending := f
	pending.Statuses = []coalition.PledgeStatus{coalition.Committed}
	rows, err := s.DonorTotals(ctx, pending)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		t.addTotal(r)
	}
	if f.Type == "" {
		if err := t.addCommitments(ctx, s, f); err != nil {
			return nil, err
		}
	}
	if err := t.fillNew(ctx, s, nil); err != nil {
		return nil, err
	}
	return t.sorted(), nil
}

// addTotal adds a row's figures to the table's row of the same donor.
func (t *donorTable) addTotal(r coalition.DonorTotal) {
	row := t.row(r.ISO3, r)
	if row.GDPEUR == nil {
		row.Name, row.GDPEUR, row.GDPBasis = r.Name, r.GDPEUR, r.GDPBasis
	}
	if _, ok := t.pop[r.ISO3]; !ok {
		t.notePopulation(r)
	}
	row.MilitaryEUR += r.MilitaryEUR
	row.FinancialEUR += r.FinancialEUR
	row.HumanitarianEUR += r.HumanitarianEUR
	row.ReconstructionEUR += r.ReconstructionEUR
	row.TotalEUR += r.TotalEUR
	t.cite(row, r.Source, r.AsOf)
}

// addCommitments adds the stored datasets' to-be-allocated amounts in f's
// months (and group) to the donors' totals.
func (t *donorTable) addCommitments(ctx context.Context, s coalition.Store, f coalition.DonorFilter) error {
	cs, err := s.CommitmentTotals(ctx, f)
	if err != nil {
		return err
	}
	inGroup, err := groupMembers(ctx, s, f.Group)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if inGroup != nil && !inGroup[c.ISO3] {
			continue
		}
		row := t.row(c.ISO3, coalition.DonorTotal{Source: c.Source, AsOf: c.AsOf})
		row.TotalEUR += c.ToBeAllocatedEUR
		t.cite(row, c.Source+" (commitments, to_be_allocated: not split by type)", c.AsOf)
	}
	return nil
}

// cite adds a source to a row (the store joins several with " ; ") and
// keeps the latest as-of date.
func (t *donorTable) cite(row *coalition.DonorTotal, src string, asOf coalition.Date) {
	switch {
	case row.Source == "":
		row.Source = src
	case src != "" && !slices.Contains(strings.Split(row.Source, " ; "), src):
		row.Source += " ; " + src
	}
	if asOf.After(row.AsOf) {
		row.AsOf = asOf
	}
}

// Donors is the donor table the CLI (`coalition donors`) and the API
// (/api/v1/donors) show: at one stage when stage is set (committed,
// allocated, delivered, pipeline), else under f's pledge statuses; by
// channel or attributed to contributors (attribute). A channel's
// commitments are not attributed: committed and pipeline are shown by
// channel only.
func Donors(ctx context.Context, s coalition.Store, f coalition.DonorFilter, stage, attribute string) ([]coalition.DonorTotal, error) {
	attribute, err := ParseAttribute(attribute)
	if err != nil {
		return nil, err
	}
	switch stage {
	case "":
		return DonorTotals(ctx, s, f, attribute)
	case StageAllocated:
		f.Statuses = nil
		return DonorTotals(ctx, s, f, attribute)
	case StageDelivered:
		f.Statuses = []coalition.PledgeStatus{coalition.Delivered}
		return DonorTotals(ctx, s, f, attribute)
	}
	if attribute == AttributeContributors {
		return nil, coalition.FieldError("attribute", "the %s stage is shown by channel only (Kiel's commitments of the EU institutions are not attributed)", stage)
	}
	return DonorStage(ctx, s, f, stage)
}
