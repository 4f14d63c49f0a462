package report

import (
	"context"
	"sort"

	"coalition"
)

// HomeListMax bounds the lists of recent pledges and deliveries on a
// coalition's home page, HomeEngagementsMax its list of engagements.
const (
	HomeListMax        = 10
	HomeEngagementsMax = 5
)

// CoalitionHeadline is the headline of a coalition's brief for the
// BriefPeriodMonths from the as-of month: Coverage with the default counts
// and need, on the records as they stood on the as-of day, with its
// per-category gaps (the largest net gap first) and its sources. Brief
// calls it for its headline and the coalition's page for its own, so that
// both say the same.
func CoalitionHeadline(ctx context.Context, s coalition.Store, code string, asOf coalition.Date) (*BriefHeadline, []BriefGap, []Source, error) {
	if asOf.IsZero() {
		return nil, nil, nil, coalition.FieldError("as_of", "is required")
	}
	from := asOf.Month()
	var rep BriefReport
	if err := briefHeadline(ctx, RecordsAsOf(s, asOf), code, from, from.Add(BriefPeriodMonths-1), &rep); err != nil {
		return nil, nil, nil, err
	}
	rep.Headline.RecordsAsOf = asOf
	return rep.Headline, rep.Gaps, rep.Sources, nil
}

// CoalitionActivity is what a coalition's members recently pledged to its
// recipient and delivered, and the engagements that concern it, as the
// user in ctx may see them (the store's visibility rule): the latest
// first, at most HomeListMax of each, with how many there are in all.
type CoalitionActivity struct {
	Pledges         []*coalition.Pledge     `json:"pledges"`
	PledgeCount     int                     `json:"pledge_count"`
	Deliveries      []ActivityDelivery      `json:"deliveries"`
	DeliveryCount   int                     `json:"delivery_count"`
	Engagements     []*coalition.Engagement `json:"engagements"`
	EngagementCount int                     `json:"engagement_count"`
}

// ActivityDelivery is a delivery with the pledge it is made against.
type ActivityDelivery struct {
	*coalition.Delivery
	Pledge *coalition.Pledge `json:"pledge"`
}

// RecentActivity lists a coalition's recent records on or before asOf:
// pledges to the recipient by its joined members and leads (or recorded in
// the coalition) by announcement date, deliveries against them by date,
// and the engagements recorded in the coalition or with a joined member or
// lead taking part (the brief's rule) by date.
func RecentActivity(ctx context.Context, s coalition.Store, code string, asOf coalition.Date) (*CoalitionActivity, error) {
	coal, err := findCoalition(ctx, s, code)
	if err != nil {
		return nil, err
	}
	members := map[string]bool{}
	for _, iso := range append(coal.JoinedMembers(), coal.Leads...) {
		members[iso] = true
	}
	out := &CoalitionActivity{Pledges: []*coalition.Pledge{}, Deliveries: []ActivityDelivery{}, Engagements: []*coalition.Engagement{}}
	pledges, err := allPledges(ctx, s, coalition.PledgeFilter{Recipient: coal.Recipient, To: asOf})
	if err != nil {
		return nil, err
	}
	byID := map[int64]*coalition.Pledge{}
	for _, p := range pledges {
		if members[p.Donor] || (p.CoalitionID != nil && *p.CoalitionID == coal.ID) {
			byID[p.ID] = p
			out.Pledges = append(out.Pledges, p)
		}
	}
	sort.SliceStable(out.Pledges, func(i, j int) bool {
		a, b := out.Pledges[i], out.Pledges[j]
		if a.Announced != b.Announced {
			return a.Announced.After(b.Announced)
		}
		return a.ID > b.ID
	})
	out.PledgeCount = len(out.Pledges)
	out.Pledges = out.Pledges[:min(len(out.Pledges), HomeListMax)]
	if out.Deliveries, out.DeliveryCount, err = recentDeliveries(ctx, s, byID, asOf); err != nil {
		return nil, err
	}
	es, err := findEngagements(ctx, s, coalition.EngagementFilter{To: asOf})
	if err != nil {
		return nil, err
	}
	keep := coalitionEngagement(coal)
	for _, e := range es {
		if keep(e) && !e.Date.After(asOf) {
			out.Engagements = append(out.Engagements, e)
		}
	}
	sort.SliceStable(out.Engagements, func(i, j int) bool { return out.Engagements[i].Date.After(out.Engagements[j].Date) })
	out.EngagementCount = len(out.Engagements)
	out.Engagements = out.Engagements[:min(len(out.Engagements), HomeEngagementsMax)]
	return out, nil
}

// recentDeliveries are the deliveries against the pledges of byID dated on
// or before asOf, the latest first, cut to HomeListMax, and how many there are.
func recentDeliveries(ctx context.Context, s coalition.DeliveryStore, byID map[int64]*coalition.Pledge, asOf coalition.Date) ([]ActivityDelivery, int, error) {
	ds, err := allDeliveries(ctx, s)
	if err != nil {
		return nil, 0, err
	}
	out := []ActivityDelivery{}
	for _, d := range ds {
		if p := byID[d.PledgeID]; p != nil && !d.Date.After(asOf) {
			out = append(out, ActivityDelivery{Delivery: d, Pledge: p})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date.After(out[j].Date)
		}
		return out[i].ID > out[j].ID
	})
	return out[:min(len(out), HomeListMax)], len(out), nil
}

// allPledges reads every pledge f selects, a page at a time.
func allPledges(ctx context.Context, s coalition.PledgeStore, f coalition.PledgeFilter) ([]*coalition.Pledge, error) {
	return readAll(func(after int64) ([]*coalition.Pledge, bool, error) {
		f.After, f.Limit = after, coalition.MaxPageSize
		return s.FindPledges(ctx, f)
	}, pledgeID)
}
