package report

import (
	"context"
	"math"
	"slices"
	"sort"

	"coalition"
)

// How a channel's support is shown: one parameter (--attribute,
// attribute=) for the CLI and the API.
const (
	// AttributeChannel shows a channel as one donor (the EU institutions
	// as Kiel shows them).
	AttributeChannel = "channel"
	// AttributeContributors gives each contributor its share of what the
	// channel gave (coalition.Channel.Attribute) instead.
	AttributeContributors = "contributors"
	// DefaultAttribute is how figures are shown when nobody says.
	DefaultAttribute = AttributeChannel
)

// ParseAttribute checks an attribute parameter; empty is DefaultAttribute.
func ParseAttribute(v string) (string, error) {
	switch v {
	case "":
		return DefaultAttribute, nil
	case AttributeChannel, AttributeContributors:
		return v, nil
	}
	return "", coalition.FieldError("attribute", "%q is not one of %s, %s", v, AttributeChannel, AttributeContributors)
}

// ChannelsReport lists the channels with their contributors' shares.
type ChannelsReport struct {
	Channels []*coalition.Channel `json:"channels"`
}

// Channels lists the stored channels, by code. The CLI (`coalition
// channels`) and the API (/api/v1/channels) both call it.
func Channels(ctx context.Context, s coalition.ChannelStore) (*ChannelsReport, error) {
	cs, err := s.FindChannels(ctx)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		cs = []*coalition.Channel{}
	}
	return &ChannelsReport{Channels: cs}, nil
}

// recordingChannels returns the channels whose support is recorded under a
// donor code of their own, by that code: the only ones attribution moves.
func recordingChannels(cs []*coalition.Channel) map[string]*coalition.Channel {
	out := map[string]*coalition.Channel{}
	for _, c := range cs {
		if c.Donor != "" {
			out[c.Donor] = c
		}
	}
	return out
}

// attributeMonthly splits the support recorded under channels into the
// contributors' parts: own is every other row, plus what a channel's
// shares leave to it; attributed is the contributors' parts, per month and
// type, in the order of the rows. own and attributed together add up to
// rows (Channel.Attribute), so every total is the same both ways.
func attributeMonthly(rows []coalition.DonorMonth, cs []*coalition.Channel) (own, attributed []coalition.DonorMonth) {
	by := recordingChannels(cs)
	for _, r := range rows {
		c := by[r.ISO3]
		if c == nil {
			own = append(own, r)
			continue
		}
		parts, rest := c.Attribute(r.EUR)
		for _, p := range parts {
			attributed = append(attributed, coalition.DonorMonth{ISO3: p.ISO3, Month: r.Month, Type: r.Type, EUR: p.EUR})
		}
		if rest != 0 {
			own = append(own, coalition.DonorMonth{ISO3: r.ISO3, Month: r.Month, Type: r.Type, EUR: rest})
		}
	}
	return own, attributed
}

// DonorTotals is the donor table under f, shown as attribute says: by
// channel (the store's DonorTotals), or with each channel's support
// attributed to its contributors. Attributed, a contributor's row adds its
// part of the channel's support of each type (within f's type, months and
// statuses; a group filter selects the contributors, not the channel), its
// share of GDP and per-person figures follow, and the channel's row keeps
// only what its shares leave. Without a group filter the grand total is
// the same both ways.
func DonorTotals(ctx context.Context, s coalition.Store, f coalition.DonorFilter, attribute string) ([]coalition.DonorTotal, error) {
	attribute, err := ParseAttribute(attribute)
	if err != nil {
		return nil, err
	}
	rows, err := s.DonorTotals(ctx, f)
	if err != nil || attribute == AttributeChannel {
		return rows, err
	}
	cs, err := s.FindChannels(ctx)
	if err != nil {
		return nil, err
	}
	by := recordingChannels(cs)
	if len(by) == 0 {
		return rows, nil
	}
	all := f
	all.Group = ""
	chanRows, err := s.DonorTotals(ctx, all)
	if err != nil {
		return nil, err
	}
	inGroup, err := groupMembers(ctx, s, f.Group)
	if err != nil {
		return nil, err
	}
	t := newDonorTable(rows)
	for _, cr := range chanRows {
		c := by[cr.ISO3]
		if c == nil {
			continue
		}
		t.attribute(c, cr, inGroup)
	}
	if err := t.fillNew(ctx, s, f.Statuses); err != nil {
		return nil, err
	}
	return t.sorted(), nil
}

// groupMembers is the set of countries in group (nil: no group filter).
func groupMembers(ctx context.Context, s coalition.CountryStore, group string) (map[string]bool, error) {
	if group == "" {
		return nil, nil
	}
	cs, err := s.FindCountries(ctx, coalition.CountryFilter{Group: group})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, c := range cs {
		out[c.ISO3] = true
	}
	return out, nil
}

// donorTable is a donor table being attributed: rows by ISO3, each
// donor's population (from its total and per-person figure before), and
// the rows added for contributors without support of their own under the
// filter.
type donorTable struct {
	rows  map[string]*coalition.DonorTotal
	pop   map[string]float64
	added []string
}

func newDonorTable(rows []coalition.DonorTotal) *donorTable {
	t := &donorTable{rows: map[string]*coalition.DonorTotal{}, pop: map[string]float64{}}
	for i := range rows {
		r := rows[i]
		t.rows[r.ISO3] = &r
		t.notePopulation(r)
	}
	return t
}

// notePopulation keeps the population a row's per-person figure implies.
func (t *donorTable) notePopulation(r coalition.DonorTotal) {
	if r.PerCapitaEUR != nil && *r.PerCapitaEUR > 0 && r.TotalEUR > 0 {
		t.pop[r.ISO3] = r.TotalEUR / *r.PerCapitaEUR
	}
}

// attribute moves channel c's row cr to its contributors (those in
// inGroup, when a group is asked for).
func (t *donorTable) attribute(c *coalition.Channel, cr coalition.DonorTotal, inGroup map[string]bool) {
	type typed struct {
		get func(*coalition.DonorTotal) *float64
		eur float64
	}
	types := []typed{
		{func(r *coalition.DonorTotal) *float64 { return &r.MilitaryEUR }, cr.MilitaryEUR},
		{func(r *coalition.DonorTotal) *float64 { return &r.FinancialEUR }, cr.FinancialEUR},
		{func(r *coalition.DonorTotal) *float64 { return &r.HumanitarianEUR }, cr.HumanitarianEUR},
		{func(r *coalition.DonorTotal) *float64 { return &r.ReconstructionEUR }, cr.ReconstructionEUR},
	}
	own := t.rows[cr.ISO3] // nil when a group filter left the channel out
	for _, ty := range types {
		parts, rest := c.Attribute(ty.eur)
		for _, p := range parts {
			if inGroup != nil && !inGroup[p.ISO3] {
				continue
			}
			r := t.row(p.ISO3, cr)
			*ty.get(r) += p.EUR
			r.TotalEUR += p.EUR
		}
		if own != nil {
			*ty.get(own) -= ty.eur - rest
			own.TotalEUR -= ty.eur - rest
		}
	}
	if own != nil && math.Abs(own.TotalEUR) < 0.005 {
		delete(t.rows, cr.ISO3) // nothing left to the channel
	}
}

// row returns iso's row, adding one (cited like the channel's) if it has
// none.
func (t *donorTable) row(iso string, like coalition.DonorTotal) *coalition.DonorTotal {
	if r := t.rows[iso]; r != nil {
		return r
	}
	r := &coalition.DonorTotal{ISO3: iso, Name: iso, AsOf: like.AsOf, Source: like.Source}
	t.rows[iso] = r
	t.added = append(t.added, iso)
	return r
}

// fillNew gives the rows added for contributors their names, GDP and
// population from their rows without a filter (every EU member has some
// support of its own), then recomputes every row's share of GDP and
// support per person from its new total.
func (t *donorTable) fillNew(ctx context.Context, s coalition.DonorStore, statuses []coalition.PledgeStatus) error {
	if len(t.added) > 0 {
		rows, err := s.DonorTotals(ctx, coalition.DonorFilter{Statuses: statuses})
		if err != nil {
			return err
		}
		for _, base := range rows {
			if r := t.rows[base.ISO3]; r != nil && slices.Contains(t.added, base.ISO3) {
				r.Name, r.GDPEUR, r.GDPBasis = base.Name, base.GDPEUR, base.GDPBasis
				t.notePopulation(base)
			}
		}
	}
	for iso, r := range t.rows {
		r.PctGDP, r.PerCapitaEUR = nil, nil
		if r.GDPEUR != nil && *r.GDPEUR > 0 {
			v := r.TotalEUR / *r.GDPEUR * 100
			r.PctGDP = &v
		}
		if pop := t.pop[iso]; pop > 0 {
			v := r.TotalEUR / pop
			r.PerCapitaEUR = &v
		}
	}
	return nil
}

// sorted returns the rows, largest total first (ties by ISO3), as the
// store orders them.
func (t *donorTable) sorted() []coalition.DonorTotal {
	out := make([]coalition.DonorTotal, 0, len(t.rows))
	for _, r := range t.rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].TotalEUR != out[j].TotalEUR {
			return out[i].TotalEUR > out[j].TotalEUR
		}
		return out[i].ISO3 < out[j].ISO3
	})
	return out
}
