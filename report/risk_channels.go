package report

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"coalition"
)

// The risk model's channels (issue 14 §3): a channel recorded under a donor
// code of its own (the EU institutions) is modelled like a member first —
// its pledges over their windows, or its recent average — and its support
// is then attributed to its contributors by their shares, so that each
// part is exposed to that contributor's political risk (its events and
// reliability). A contributor not otherwise in the model is added with
// only that part (role RoleChannelContributor).

// Roles of the risk model's members besides "joined" and "united-states".
const (
	// RoleChannelContributor is a contributor to a channel that is not a
	// joined member: it carries only its part of the channel's support.
	RoleChannelContributor = "channel-contributor"
	// roleChannel marks a channel while its support is computed; a channel
	// whose shares add up to less than 100% keeps the rest under this role.
	roleChannel = "channel"
)

// addChannels puts the channels recorded under a donor code of their own
// into the model as members, so that the support steps give them their
// pledges or their baseline like any member.
func (b *riskBuild) addChannels(ctx context.Context) error {
	cs, err := b.s.FindChannels(ctx)
	if err != nil {
		return err
	}
	b.channels = map[string]*coalition.Channel{}
	for donor, c := range recordingChannels(cs) {
		if b.role[donor] != "" || donor == b.coal.Recipient {
			continue
		}
		b.channels[donor] = c
	}
	for _, donor := range sortedKeys(b.channels) {
		b.members = append(b.members, donor)
		b.role[donor] = roleChannel
		c := b.channels[donor]
		b.in.Sources = append(b.in.Sources, Source{Figure: "channel shares (" + c.Code + ")", Source: c.Key + " — " + c.Source, AsOf: c.AsOf})
	}
	return nil
}

// attributeChannels moves each channel's support, month by month, to its
// contributors by their shares (coalition.Channel.Attribute), adding the
// contributors that are not yet members; a channel keeps only what its
// shares leave.
func (b *riskBuild) attributeChannels(context.Context) error {
	if b.channelEUR == nil {
		b.channelEUR = map[string]float64{}
	}
	for _, donor := range sortedKeys(b.channels) {
		c := b.channels[donor]
		var total float64
		var added []string
		for _, cat := range b.cats {
			series := b.support[donor][cat]
			for t, v := range series {
				if v == 0 {
					continue
				}
				total += v
				parts, rest := c.Attribute(v)
				for _, p := range parts {
					if b.role[p.ISO3] == "" {
						b.members = append(b.members, p.ISO3)
						b.role[p.ISO3] = RoleChannelContributor
						added = append(added, p.ISO3)
					}
					b.add(p.ISO3, cat, t, p.EUR)
					b.channelEUR[p.ISO3] += p.EUR
				}
				series[t] = rest
			}
		}
		if b.restIsZero(donor) {
			delete(b.support, donor)
			b.members = slices.DeleteFunc(b.members, func(iso string) bool { return iso == donor })
			delete(b.role, donor)
		}
		basis := "its pledges in the horizon"
		if slices.Contains(b.baseline, donor) {
			basis = fmt.Sprintf("its average monthly allocations of the last %d months of data", BaselineMonths)
		}
		msg := fmt.Sprintf("%s (%s): %s over the horizon (%s) is attributed to its %d contributors by their shares (%s), each part exposed to that contributor's risk events and reliability",
			c.Name, donor, coalition.FormatEUR(total, 2), basis, len(c.Contributors), c.Code)
		if len(added) > 0 {
			msg += fmt.Sprintf("; %s, not joined members, are in the model with only their part", strings.Join(added, ", "))
		}
		b.note("%s.", msg)
	}
	return nil
}

// restIsZero reports whether a channel has no support left after
// attribution.
func (b *riskBuild) restIsZero(donor string) bool {
	for _, series := range b.support[donor] {
		for _, v := range series {
			if v != 0 {
				return false
			}
		}
	}
	return true
}
