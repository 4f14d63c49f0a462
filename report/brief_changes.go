package report

import (
	"context"
	"fmt"
	"sort"

	"coalition"
)

// briefChanges lists what changed in [since, as-of] from the records' own
// dates: pledges to the recipient, deliveries against them and membership
// changes. An imported pledge (from a published dataset or a file) changes
// when it is announced, not when it was loaded (a fresh database loads them
// all today); a pledge entered by a person also when it was created or
// updated.
func briefChanges(ctx context.Context, s coalition.Store, coal *coalition.Coalition, opt BriefOptions) (*BriefChanges, error) {
	in := func(d coalition.Date) bool { return !d.Before(opt.Since) && !d.After(opt.AsOf) }
	var items []BriefChange
	pledges := map[int64]*coalition.Pledge{}
	var edited []*coalition.Pledge
	err := eachPledge(ctx, s, coal.Recipient, func(p *coalition.Pledge) {
		pledges[p.ID] = p
		if p.Version > 1 && !coalition.DateOf(p.UpdatedAt).Before(opt.Since) {
			edited = append(edited, p) // its steps are in its history
		}
		// An update is listed by its steps (stageChanges).
		if c, ok := pledgeChange(p, in); ok && c.Kind != "updated pledge" {
			items = append(items, c)
		}
	})
	if err != nil {
		return nil, err
	}
	steps, err := stageChanges(ctx, s, edited, in)
	if err != nil {
		return nil, err
	}
	items = append(items, steps...)
	deliveries, err := deliveryChanges(ctx, s, pledges, in)
	if err != nil {
		return nil, err
	}
	items = append(items, deliveries...)
	for _, m := range coal.Members {
		if c, ok := memberChange(m, coal.Source, in); ok {
			items = append(items, c)
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].AmountEUR != items[j].AmountEUR {
			return items[i].AmountEUR > items[j].AmountEUR
		}
		return items[i].Date.After(items[j].Date)
	})
	return &BriefChanges{Items: items[:min(len(items), briefListMax-2)], Count: len(items),
		Rule: "by the records' own dates; an imported pledge by its announcement date"}, nil
}

// pledgeChange is p as a change in the window, if it is one.
func pledgeChange(p *coalition.Pledge, in func(coalition.Date) bool) (BriefChange, bool) {
	c := BriefChange{Who: p.Donor, AmountEUR: p.EUR(), Source: sourceAsOf(p.Source, p.AsOf),
		What: fmt.Sprintf("%s, %s (%s)", p.Category, p.Status, coalition.FormatEUR(p.EUR(), 2))}
	created, updated := coalition.DateOf(p.CreatedAt), coalition.DateOf(p.UpdatedAt)
	// An imported record (a dataset release, or a file with its source's
	// natural key) is dated by the source; its load date is not news.
	byPerson := p.Dataset == "" && p.SourceRef == "" && p.Provenance == ""
	switch {
	case in(p.Announced) && !byPerson && (p.Status == coalition.Allocated || p.Status == coalition.Delivered):
		// A dataset's allocations are monthly totals per donor and type,
		// not single announcements.
		c.Kind, c.Date = "allocation (month)", p.Announced
	case in(p.Announced):
		c.Kind, c.Date = "new pledge", p.Announced
	case byPerson && in(created):
		c.Kind, c.Date = "new pledge", created
	case byPerson && in(updated) && p.Version > 1:
		c.Kind, c.Date = "updated pledge", updated
	default:
		return c, false
	}
	return c, true
}

// stageChanges are the steps of the edited pledges' histories that a
// person recorded in the window: an upgrade (committed, allocated,
// delivered), a cancellation or a change of the announced amount, each
// with the source the step names. A pledge edited in the window without
// a step there (a change of its text) is listed as updated.
func stageChanges(ctx context.Context, s coalition.Store, edited []*coalition.Pledge, in func(coalition.Date) bool) ([]BriefChange, error) {
	var out []BriefChange
	for _, p := range edited {
		h, _, err := s.PledgeHistory(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		n := len(out)
		for _, e := range h {
			recorded := coalition.DateOf(e.CreatedAt)
			if e.Implied || e.DeliveryID != 0 || !e.CreatedAt.After(p.CreatedAt) || !in(recorded) {
				continue
			}
			out = append(out, stepChange(p, e, recorded))
		}
		if len(out) == n && in(coalition.DateOf(p.UpdatedAt)) {
			out = append(out, BriefChange{Date: coalition.DateOf(p.UpdatedAt), Kind: "updated pledge", Who: p.Donor, AmountEUR: p.EUR(),
				Source: sourceAsOf(p.Source, p.AsOf), What: fmt.Sprintf("%s, %s (%s)", p.Category, p.Status, coalition.FormatEUR(p.EUR(), 2))})
		}
	}
	return out, nil
}

// stepChange is a history step as a change, dated when it was recorded.
func stepChange(p *coalition.Pledge, e coalition.StageEntry, recorded coalition.Date) BriefChange {
	eur := float64(e.AmountEUR) / 100
	c := BriefChange{Date: recorded, Who: p.Donor, AmountEUR: max(eur, -eur), Source: e.Source}
	switch {
	case e.Stage == coalition.Announced:
		c.Kind = "amount changed"
		c.What = fmt.Sprintf("%s, %s: %s to %s", p.Category, e.Correction, signedEUR(eur), coalition.FormatEUR(p.EUR(), 2))
	case e.Stage == coalition.Cancelled:
		c.Kind = "cancelled"
		c.What = fmt.Sprintf("%s (%s)", p.Category, coalition.FormatEUR(eur, 2))
	case e.Correction != "":
		c.Kind = "corrected (" + string(e.Stage) + ")"
		c.What = fmt.Sprintf("%s, %s: %s", p.Category, e.Correction, signedEUR(eur))
	default:
		c.Kind = "upgraded to " + string(e.Stage)
		c.What = fmt.Sprintf("%s (%s of %s, as of %s)", p.Category, coalition.FormatEUR(eur, 2), coalition.FormatEUR(p.EUR(), 2), e.Date)
	}
	return c
}

// signedEUR writes a change in euros with its sign.
func signedEUR(v float64) string {
	if v < 0 {
		return "−" + coalition.FormatEUR(-v, 2)
	}
	return "+" + coalition.FormatEUR(v, 2)
}

// deliveryChanges are the visible deliveries dated in the window against
// the recipient's pledges.
func deliveryChanges(ctx context.Context, s coalition.DeliveryStore, pledges map[int64]*coalition.Pledge, in func(coalition.Date) bool) ([]BriefChange, error) {
	ds, err := allDeliveries(ctx, s)
	if err != nil {
		return nil, err
	}
	var out []BriefChange
	for _, d := range ds {
		p := pledges[d.PledgeID]
		if p == nil || !in(d.Date) {
			continue
		}
		eur := float64(d.AmountEUR) / 100
		out = append(out, BriefChange{Date: d.Date, Kind: "delivery", Who: p.Donor, AmountEUR: eur, Source: d.Source,
			What: fmt.Sprintf("%s against pledge %d (%s)", p.Category, p.ID, coalition.FormatEUR(eur, 2))})
	}
	return out, nil
}

// memberChange is a membership dated in the window: a new member, or one
// that withdrew or was suspended.
func memberChange(m coalition.Membership, source string, in func(coalition.Date) bool) (BriefChange, bool) {
	kinds := map[coalition.MembershipStatus]string{coalition.Joined: "joined", coalition.Withdrawn: "withdrew", coalition.Suspended: "suspended"}
	kind, ok := kinds[m.Status]
	if !ok || !in(m.Since) {
		return BriefChange{}, false
	}
	src := m.Note
	if src == "" {
		src = source
	}
	return BriefChange{Date: m.Since, Kind: kind, Who: m.ISO3, What: "membership " + string(m.Status), Source: src}, true
}

// sourceAsOf cites a source with its as-of date.
func sourceAsOf(src string, asOf coalition.Date) string {
	if asOf.IsZero() {
		return src
	}
	return fmt.Sprintf("%s (as of %s)", src, asOf)
}
