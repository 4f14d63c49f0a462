package ingest

import (
	"encoding/json"
	"math"

	"coalition"
)

// Records turns an extraction into proposals for the review queue: each
// proposed engagement, pledge, equipment or membership as the record it would create
// (a coalition.Engagement, a coalition.Pledge, a coalition.Equipment, a coalition.Member with the
// coalition's name), its evidence, confidence and the flags that concern it
// (a flag with a span concerns the proposals whose evidence holds it; a flag
// without one concerns them all). Why it was proposed (Proposal.Rule) comes
// first among those flags, with the kind "rule", so that /review and the
// CLI show it beside the evidence without a column of its own. Source,
// visibility and provenance are filled in by the store when a person
// accepts the proposal.
func Records(x *Extraction) []*coalition.Proposal {
	out := make([]*coalition.Proposal, 0, len(x.Proposals))
	for _, p := range x.Proposals {
		rec, owner, ok := recordOf(p)
		if !ok {
			continue
		}
		b, err := json.Marshal(rec)
		if err != nil {
			continue // plain structs of strings and numbers always marshal
		}
		cp := &coalition.Proposal{Type: coalition.ProposalType(p.Type), Record: b, Owner: owner, Confidence: p.Confidence,
			Evidence: make([][2]int, 0, len(p.Evidence)), Flags: proposalFlags(p.Rule, x.Flags, p.Evidence)}
		for _, e := range p.Evidence {
			cp.Evidence = append(cp.Evidence, [2]int(e))
		}
		out = append(out, cp)
	}
	return out
}

// recordOf is the record proposal p would create and the country that owns
// it; ok is false for a type it does not know.
func recordOf(p Proposal) (rec any, owner string, ok bool) {
	switch p.Type {
	case ProposePledge:
		return pledgeRecord(p), p.Donor, true
	case ProposeEngagement:
		e := engagementRecord(p)
		if len(e.Participants) > 0 {
			owner = e.Participants[0].ISO3
		}
		return e, owner, true
	case ProposeEquipment:
		return equipmentRecord(p), p.Donor, true
	case ProposeMembership:
		return struct {
			Coalition string `json:"coalition"`
			ISO3      string `json:"iso3"`
			Status    string `json:"status"`
		}{p.Coalition, p.Country, p.Status}, p.Country, true
	}
	return nil, "", false
}

// pledgeRecord is the pledge a pledge proposal creates; a pledge of no
// known category is military.
func pledgeRecord(p Proposal) coalition.Pledge {
	pl := coalition.Pledge{Donor: p.Donor, Recipient: p.Recipient, Category: p.Category, Status: coalition.Announced, Conditions: p.Conditions}
	if p.Amount != nil {
		pl.Amount = coalition.Money{Minor: minorUnits(p.Amount.Value, p.Amount.Currency), Currency: p.Amount.Currency}
	}
	if p.Announced != nil {
		pl.Announced = *p.Announced
	}
	if pl.Category == "" {
		pl.Category = "military"
	}
	return pl
}

// equipmentRecord is the equipment record an equipment proposal creates:
// the quantity pledged of the system, its capability category.
func equipmentRecord(p Proposal) coalition.Equipment {
	e := coalition.Equipment{Donor: p.Donor, System: p.System, Category: p.Category, Pledged: p.Quantity}
	if p.Announced != nil {
		e.PledgedOn = *p.Announced
	}
	return e
}

// engagementRecord is the engagement an engagement proposal creates, with
// the participants that have a country code.
func engagementRecord(p Proposal) coalition.Engagement {
	e := coalition.Engagement{Kind: coalition.EngagementKind(p.Kind), Title: p.Title, Summary: p.Summary, Topics: p.Topics, Asks: p.Asks}
	if p.Date != nil {
		e.Date = *p.Date
	}
	for _, pt := range p.Participants {
		if coalition.ValidISO3(pt.ISO3) { // NATO, EU and UN officials have no country code to record
			e.Participants = append(e.Participants, coalition.Participant{Name: pt.Name, Role: participantRole(pt), ISO3: pt.ISO3})
		}
	}
	return e
}

// RoleUnverifiedMark follows a participant's role in a proposed engagement
// when the role comes from an unverified office-holder term, so that the
// record, /review and, once accepted, the engagement say so.
const RoleUnverifiedMark = " (role unverified)"

// participantRole is pt's role as the engagement record keeps it.
func participantRole(pt Participant) string {
	if pt.RoleUnverified && pt.Role != "" {
		return pt.Role + RoleUnverifiedMark
	}
	return pt.Role
}

// proposalFlags are the flags of the extraction that concern a proposal
// with evidence: those whose span it holds, and those without a span.
func proposalFlags(rule string, flags []Flag, evidence []Span) []coalition.ProposalFlag {
	out := []coalition.ProposalFlag{}
	if rule != "" {
		out = append(out, coalition.ProposalFlag{Kind: FlagRule, Message: rule})
	}
	for _, f := range flags {
		if f.Span != nil && !covers(evidence, *f.Span) {
			continue
		}
		pf := coalition.ProposalFlag{Kind: f.Kind, Message: f.Message}
		if f.Span != nil {
			s := [2]int(*f.Span)
			pf.Span = &s
		}
		out = append(out, pf)
	}
	return out
}

func covers(evidence []Span, s Span) bool {
	for _, e := range evidence {
		if e[0] <= s[0] && s[1] <= e[1] {
			return true
		}
	}
	return false
}

// minorUnits converts a value in major units to the currency's minor units.
func minorUnits(v float64, currency string) int64 {
	return coalition.SaturateInt64(math.Round(v * math.Pow10(coalition.MinorDigits(currency))))
}
