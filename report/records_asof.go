package report

import (
	"context"

	"coalition"
)

// RecordsAsOf is s with its pledges, requirements and deliveries as they
// stood on day (its end), by their own history, for the reports that read
// them (Coverage, RunScenario): the brief's headline "then" and "now".
//
//   - A pledge was on record if it was announced by then and, when a person
//     entered it, created by then; one imported from a published dataset or
//     a file counts from its announcement date (its load date is not news).
//     Its amount and whether it was cancelled are its stage history's
//     (coalition.DeriveStages) over the entries dated by then and, when a
//     person recorded them, recorded by then (an imported pledge's entries
//     recorded with it count from their dates). Its delivery window and
//     category are today's: the history does not keep them.
//
//   - A requirement counts from the date of its figure (as_of), else from
//     the day it was stored; an edited requirement has its figures of today.
//
//   - A delivery counts from its date.
//
//   - The monthly allocations (MonthlySupport) are those of months up to the
//     day's month, the months whose allocations were on record (a published
//     allocation is dated by its month, as the pledges above).
//
// Everything else (countries, rates) is read as it is: the store keeps no
// history of it. A record deleted since is not seen.
func RecordsAsOf(s coalition.Store, day coalition.Date) coalition.Store {
	return &recordsAsOf{Store: s, day: day}
}

type recordsAsOf struct {
	coalition.Store
	day coalition.Date
}

// by reports whether d is on or before the day.
func (r *recordsAsOf) by(d coalition.Date) bool { return !d.After(r.day) }

// FindPledges returns the pledges on record on the day, as they stood; a
// page that loses all its pledges is followed by the next one, so that a
// caller paging until "no more" sees them all.
func (r *recordsAsOf) FindPledges(ctx context.Context, f coalition.PledgeFilter) ([]*coalition.Pledge, bool, error) {
	for {
		page, more, err := r.Store.FindPledges(ctx, f)
		if err != nil {
			return nil, false, err
		}
		out := make([]*coalition.Pledge, 0, len(page))
		for _, p := range page {
			q, ok, err := r.pledgeAt(ctx, p)
			if err != nil {
				return nil, false, err
			}
			if ok {
				out = append(out, q)
			}
		}
		if len(out) > 0 || !more || len(page) == 0 {
			return out, more, nil
		}
		f.After = page[len(page)-1].ID
	}
}

// importedPledge reports whether p came from a published dataset or a
// file (its source's natural key or the importer's provenance).
func importedPledge(p *coalition.Pledge) bool {
	return p.Dataset != "" || p.SourceRef != "" || p.Provenance != ""
}

// pledgeAt is p as it stood on the day, and whether it was on record.
func (r *recordsAsOf) pledgeAt(ctx context.Context, p *coalition.Pledge) (*coalition.Pledge, bool, error) {
	imported := importedPledge(p)
	if !r.by(p.Announced) || (!imported && !r.by(coalition.DateOf(p.CreatedAt))) {
		return nil, false, nil
	}
	if p.Version <= 1 || r.by(coalition.DateOf(p.UpdatedAt)) {
		return p, true, nil // not changed since
	}
	h, _, err := r.Store.PledgeHistory(ctx, p.ID)
	if err != nil {
		return nil, false, err
	}
	var kept []coalition.StageEntry
	for _, e := range h {
		// An imported pledge's entries recorded with it (in the same
		// transaction) are as old as its announcement, as it is.
		withIt := imported && !e.CreatedAt.After(p.CreatedAt)
		if e.DeliveryID == 0 && r.by(e.Date) && (e.Implied || withIt || r.by(coalition.DateOf(e.CreatedAt))) {
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 {
		return nil, false, nil
	}
	fig := coalition.DeriveStages(kept)
	q := *p
	if q.AmountEUR != 0 && q.Amount.Currency == "EUR" {
		q.Amount.Minor = fig.AnnouncedEUR
	}
	q.AmountEUR, q.Status = fig.AnnouncedEUR, fig.Stage
	return &q, true, nil
}

// MonthlySupport returns the allocations of the months up to the day's
// month: a brief for a past day averages, and starts its risk run after,
// only the months that were on record.
func (r *recordsAsOf) MonthlySupport(ctx context.Context, f coalition.DonorFilter) ([]coalition.DonorMonth, error) {
	rows, err := r.Store.MonthlySupport(ctx, f)
	if err != nil {
		return nil, err
	}
	last := r.day.Month()
	out := rows[:0:0]
	for _, d := range rows {
		if d.Month <= last {
			out = append(out, d)
		}
	}
	return out, nil
}

// FindRequirements returns the requirements whose figures were on record
// on the day.
func (r *recordsAsOf) FindRequirements(ctx context.Context, f coalition.RequirementFilter) ([]*coalition.Requirement, bool, error) {
	for {
		page, more, err := r.Store.FindRequirements(ctx, f)
		if err != nil {
			return nil, false, err
		}
		out := make([]*coalition.Requirement, 0, len(page))
		for _, q := range page {
			d := coalition.DateOf(q.CreatedAt)
			if asOf, err := coalition.ParseDate(q.AsOf); err == nil {
				d = asOf
			}
			if r.by(d) {
				out = append(out, q)
			}
		}
		if len(out) > 0 || !more || len(page) == 0 {
			return out, more, nil
		}
		f.After = page[len(page)-1].ID
	}
}

// FindDeliveries returns the deliveries dated by the day.
func (r *recordsAsOf) FindDeliveries(ctx context.Context, f coalition.DeliveryFilter) ([]*coalition.Delivery, bool, error) {
	for {
		page, more, err := r.Store.FindDeliveries(ctx, f)
		if err != nil {
			return nil, false, err
		}
		out := make([]*coalition.Delivery, 0, len(page))
		for _, d := range page {
			if r.by(d.Date) {
				out = append(out, d)
			}
		}
		if len(out) > 0 || !more || len(page) == 0 {
			return out, more, nil
		}
		f.After = page[len(page)-1].ID
	}
}
