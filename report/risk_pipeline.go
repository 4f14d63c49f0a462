package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"coalition"
)

// notePipeline says what the supply leaves out: the modelled donors'
// commitments still to be allocated (Kiel's pipeline), which are support
// promised but not yet given a month or a type, so the model cannot place
// them. The largest are named with their sum, so that a reader sees how
// much of a shortfall they could close and how to model them.
func (b *riskBuild) notePipeline(ctx context.Context) error {
	totals, err := b.s.CommitmentTotals(ctx, coalition.DonorFilter{})
	if err != nil {
		return err
	}
	in := map[string]bool{}
	for _, iso := range b.members {
		in[iso] = true
	}
	for code := range b.channels {
		in[code] = true
	}
	var pipe []coalition.CommitmentTotal
	var sum float64
	for _, t := range totals {
		if in[t.ISO3] && t.ToBeAllocatedEUR > 0 {
			pipe = append(pipe, t)
			sum += t.ToBeAllocatedEUR
		}
	}
	if len(pipe) == 0 {
		return nil
	}
	slices.SortStableFunc(pipe, func(a, b coalition.CommitmentTotal) int { return cmp.Compare(b.ToBeAllocatedEUR, a.ToBeAllocatedEUR) })
	var parts []string
	asOf, src := pipe[0].AsOf, pipe[0].Source
	for i, t := range pipe {
		if i < 5 {
			parts = append(parts, fmt.Sprintf("%s %s", t.ISO3, coalition.FormatEUR(t.ToBeAllocatedEUR, 1)))
		}
		if t.AsOf.After(asOf) {
			asOf, src = t.AsOf, t.Source
		}
	}
	b.note("Not in the supply: %s of the modelled donors' commitments still to be allocated (largest: %s; as of %s), since a commitment has no month or type until it is allocated. Record one as a pledge with a delivery window (e.g. the EU's EUR 90 bn loan for 2026-2027) to model it.",
		coalition.FormatEUR(sum, 1), strings.Join(parts, ", "), asOf)
	b.in.Sources = append(b.in.Sources, Source{Figure: "not in the supply: commitments to be allocated", Source: src, AsOf: asOf.String()})
	return nil
}
