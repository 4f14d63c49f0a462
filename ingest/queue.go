package ingest

import (
	"context"
	"fmt"

	"coalition"
)

// QueueStore is what Queue needs of the store.
type QueueStore interface {
	coalition.PersonStore
	coalition.PledgeStore
	coalition.ProposalStore
}

// KBFor returns base with the store's people when the store has any (so
// that people edited there take effect), else base.
func KBFor(ctx context.Context, s coalition.PersonStore, base *KB) (*KB, error) {
	people, err := s.FindPeople(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("ingest: people from the store: %w", err)
	}
	if ps := PeopleFromStore(people); len(ps) > 0 {
		return base.WithPeople(ps), nil
	}
	return base, nil
}

// Queue extracts t.Text against kb (t.Date when the text states no date),
// flags proposed pledges that duplicate pledges already in the store, and
// stores the text with its proposals, pending review, as the user in ctx.
// t.Date is set to the text's date as read.
func Queue(ctx context.Context, s QueueStore, kb *KB, t *coalition.IngestText) (*Extraction, []*coalition.Proposal, error) {
	if err := t.Validate(); err != nil {
		return nil, nil, err
	}
	x := Extract(t.Text, kb, Options{Date: t.Date})
	existing, err := existingPledges(ctx, s, x)
	if err != nil {
		return nil, nil, err
	}
	x.Flags = append(x.Flags, DuplicateFlags(x, existing, nil)...)
	t.Date = x.Date
	ps := Records(x)
	if err := s.CreateIngest(ctx, t, ps); err != nil {
		return nil, nil, err
	}
	return x, ps, nil
}

// existingPledges returns the store's pledges (visible to the user in ctx)
// of the donors of x's proposed pledges, within DuplicateDays of their date.
func existingPledges(ctx context.Context, s coalition.PledgeStore, x *Extraction) ([]ExistingPledge, error) {
	var out []ExistingPledge
	seen := map[string]bool{}
	for _, p := range x.Proposals {
		if p.Type != ProposePledge || seen[p.Donor] || !coalition.ValidISO3(p.Donor) {
			continue
		}
		seen[p.Donor] = true
		f := coalition.PledgeFilter{Donor: p.Donor, Limit: coalition.MaxPageSize}
		if p.Announced != nil {
			f.From, f.To = addDays(*p.Announced, -DuplicateDays), addDays(*p.Announced, DuplicateDays)
		}
		more, err := pledgesWhere(ctx, s, f)
		if err != nil {
			return nil, fmt.Errorf("ingest: pledges of %s: %w", p.Donor, err)
		}
		out = append(out, more...)
	}
	return out, nil
}

// pledgesWhere returns every pledge of f, page after page.
func pledgesWhere(ctx context.Context, s coalition.PledgeStore, f coalition.PledgeFilter) ([]ExistingPledge, error) {
	var out []ExistingPledge
	for {
		page, more, err := s.FindPledges(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			out = append(out, ExistingPledge{ID: e.ID, Donor: e.Donor, Value: float64(e.Amount.Minor) / pow10(coalition.MinorDigits(e.Amount.Currency)),
				Currency: e.Amount.Currency, EUR: e.EUR(), Date: e.Announced})
			f.After = e.ID
		}
		if !more || len(page) == 0 {
			return out, nil
		}
	}
}

func pow10(n int) float64 {
	v := 1.0
	for range n {
		v *= 10
	}
	return v
}
