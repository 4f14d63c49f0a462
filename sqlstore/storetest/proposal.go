package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"coalition"
)

// proposedPledge is the JSON record of a proposed pledge, as
// ingest.Records writes it (no source, visibility or provenance yet).
func proposedPledge(t *testing.T, donor string, eur int64) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(coalition.Pledge{Donor: donor, Recipient: "UKR", Category: "air-defence",
		Amount: coalition.Money{Minor: eur * 100, Currency: "EUR"}, Status: coalition.Announced})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// proposals is the state the stages of testProposals hand on.
type proposals struct {
	s                                  coalition.Store
	c                                  *coalition.Coalition
	fr, coord, analyst, observer, anon context.Context
	in                                 *coalition.IngestText
	ps                                 []*coalition.Proposal
	pending                            []*coalition.Proposal
}

// ingestText is the text the proposals of testProposals come from.
func ingestText() *coalition.IngestText {
	return &coalition.IngestText{Title: "Paris pledges", Text: "France will provide €500m to Ukraine.", Date: coalition.Date{Y: 2025, M: 3, D: 4},
		Source: "https://example.org/paris"}
}

// threeProposals: FRA's pledge (flagged a duplicate), GBR's pledge and an engagement.
func threeProposals(t *testing.T) []*coalition.Proposal {
	eng, err := json.Marshal(coalition.Engagement{Kind: "call", Title: "call", Participants: []coalition.Participant{{Name: "A", ISO3: "FRA"}}})
	must(t, err)
	return []*coalition.Proposal{
		{Type: coalition.ProposePledge, Record: proposedPledge(t, "FRA", 500e6), Owner: "FRA", Evidence: [][2]int{{0, 37}}, Confidence: 0.8,
			Flags: []coalition.ProposalFlag{{Kind: "duplicate", Message: "like pledge 1"}}},
		{Type: coalition.ProposePledge, Record: proposedPledge(t, "GBR", 100e6), Owner: "GBR", Confidence: 0.8},
		{Type: coalition.ProposeEngagement, Record: eng, Owner: "FRA", Confidence: 0.6},
	}
}

// testProposals: texts submitted for review, their proposals listed, read,
// accepted into the record or rejected by those who may, every decision audited.
func testProposals(t *testing.T, s coalition.Store) {
	c := base(t, s)
	p := &proposals{s: s, c: c,
		fr:       coalition.WithUser(context.Background(), &coalition.User{ID: 10, Email: "fr@x", Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{c.ID}}),
		coord:    coalition.WithUser(context.Background(), &coalition.User{ID: 11, Email: "co@x", Role: coalition.Coordinator, Coalitions: []int64{c.ID}}),
		analyst:  coalition.WithUser(context.Background(), &coalition.User{ID: 12, Email: "an@x", Role: coalition.Analyst, Coalitions: []int64{c.ID}}),
		observer: coalition.WithUser(context.Background(), &coalition.User{ID: 13, Email: "ob@x", Role: coalition.Observer}),
		anon:     context.Background(),
	}
	steps(t,
		step{"submit", p.submit},
		step{"read", p.read},
		step{"pages", p.pages},
		step{"who decides", p.whoDecides},
		step{"accept a pledge", p.acceptPledge},
		step{"reject", p.reject},
		step{"accept an engagement", p.acceptEngagement},
		step{"accept a non-euro pledge", p.acceptConverted},
		step{"audited", p.audited},
	)
}

// submit: writers only (delegates, coordinators, admins) submit texts.
func (p *proposals) submit(t *testing.T) {
	wantKind(t, p.s.CreateIngest(p.anon, ingestText(), threeProposals(t)), coalition.Unauthorized)
	wantKind(t, p.s.CreateIngest(p.analyst, ingestText(), threeProposals(t)), coalition.Forbidden)
	wantKind(t, p.s.CreateIngest(p.fr, &coalition.IngestText{}, nil), coalition.Invalid)
	p.in, p.ps = ingestText(), threeProposals(t)
	must(t, p.s.CreateIngest(p.fr, p.in, p.ps))
	holds(t, "the text has an id", p.in.ID != 0)
	eq(t, "submitted by", p.in.SubmittedBy, "fr@x")
	holds(t, "the last proposal has an id", p.ps[2].ID != 0)
	eq(t, "proposal's text", p.ps[0].IngestID, p.in.ID)
	eq(t, "proposal's status", p.ps[0].Status, coalition.ProposalPending)
}

func (p *proposals) read(t *testing.T) {
	got, err := p.s.FindIngest(p.coord, p.in.ID)
	must(t, err)
	eq(t, "text", got.Text, p.in.Text)
	eq(t, "date", got.Date, p.in.Date)
	eq(t, "source", got.Source, p.in.Source)
	_, err = p.s.FindIngest(p.fr, p.in.ID+100)
	wantKind(t, err, coalition.NotFound)
	_, err = p.s.FindProposals(p.observer, coalition.ProposalFilter{})
	wantKind(t, err, coalition.Forbidden)
	_, err = p.s.FindProposals(p.anon, coalition.ProposalFilter{})
	wantKind(t, err, coalition.Unauthorized)
	// Undecided proposals are the submitter's and the reviewers': an
	// analyst, who may decide none, sees none of them, nor their text.
	hidden, err := p.s.FindProposals(p.analyst, coalition.ProposalFilter{Status: coalition.ProposalPending})
	must(t, err)
	eq(t, "pending proposals an analyst lists", len(hidden), 0)
	_, err = p.s.FindIngest(p.analyst, p.in.ID)
	wantKind(t, err, coalition.NotFound)
	p.pending, err = p.s.FindProposals(p.coord, coalition.ProposalFilter{Status: coalition.ProposalPending})
	must(t, err)
	need(t, "pending proposals", len(p.pending), 3)
	eq(t, "first flag", p.pending[0].Flags[0].Kind, "duplicate")
	eq(t, "first evidence", p.pending[0].Evidence[0], [2]int{0, 37})
}

// pages: keyset pages of two, then the rest after the last id, then none.
func (p *proposals) pages(t *testing.T) {
	page1, err := p.s.FindProposals(p.fr, coalition.ProposalFilter{Status: coalition.ProposalPending, Limit: 2})
	must(t, err)
	need(t, "first page", len(page1), 2)
	page2, err := p.s.FindProposals(p.fr, coalition.ProposalFilter{Status: coalition.ProposalPending, Limit: 2, After: page1[1].ID})
	must(t, err)
	need(t, "second page", len(page2), 1)
	eq(t, "page 1, first", page1[0].ID, p.pending[0].ID)
	eq(t, "page 1, second", page1[1].ID, p.pending[1].ID)
	eq(t, "page 2, first", page2[0].ID, p.pending[2].ID)
	rest, err := p.s.FindProposals(p.fr, coalition.ProposalFilter{After: p.pending[2].ID, Status: coalition.ProposalPending})
	must(t, err)
	eq(t, "after the last pending proposal", len(rest), 0)
}

// whoDecides: a delegate decides pledges of its own country only; an analyst none.
func (p *proposals) whoDecides(t *testing.T) {
	_, err := p.s.DecideProposal(p.fr, p.ps[1].ID, 1, coalition.Accept, nil)
	wantKind(t, err, coalition.Forbidden)
	_, err = p.s.DecideProposal(p.fr, p.ps[2].ID, 1, coalition.Accept, nil)
	wantKind(t, err, coalition.Forbidden)
	_, err = p.s.DecideProposal(p.analyst, p.ps[0].ID, 1, coalition.Accept, nil)
	wantKind(t, err, coalition.Forbidden)
	// Nor may a delegate edit a proposal into another country's pledge.
	_, err = p.s.DecideProposal(p.fr, p.ps[0].ID, 1, coalition.Accept, proposedPledge(t, "GBR", 1))
	wantKind(t, err, coalition.Forbidden)
	// A stale version is a conflict.
	_, err = p.s.DecideProposal(p.fr, p.ps[0].ID, 7, coalition.Accept, nil)
	wantKind(t, err, coalition.Conflict)
}

// acceptPledge: nothing is in the record before a person accepts it.
func (p *proposals) acceptPledge(t *testing.T) {
	before, _, err := p.s.FindPledges(sys, coalition.PledgeFilter{Donor: "FRA"})
	must(t, err)
	acc, err := p.s.DecideProposal(p.fr, p.ps[0].ID, 1, coalition.Accept, nil)
	must(t, err)
	eq(t, "status", acc.Status, coalition.ProposalAccepted)
	eq(t, "decided by", acc.DecidedBy, "fr@x")
	eq(t, "version", acc.Version, 2)
	pl, err := p.s.FindPledge(sys, acc.RecordID)
	must(t, err)
	// €500m = 500e6 × 100 cents; the date and source are the text's.
	eq(t, "amount", pl.Amount.Minor, 500e6*100)
	eq(t, "source", pl.Source, p.in.Source)
	eq(t, "announced", pl.Announced, p.in.Date)
	eq(t, "donor", pl.Donor, "FRA")
	holds(t, "a source_ref", pl.SourceRef != "")
	holds(t, "a provenance", pl.Provenance != "")
	after, _, err := p.s.FindPledges(sys, coalition.PledgeFilter{Donor: "FRA"})
	must(t, err)
	eq(t, "pledges of FRA", len(after), len(before)+1)
	_, err = p.s.DecideProposal(p.fr, p.ps[0].ID, 2, coalition.Reject, nil)
	wantKind(t, err, coalition.Conflict) // already decided
}

func (p *proposals) reject(t *testing.T) {
	// An invalid edited record is refused and the proposal stays pending.
	bad, _ := json.Marshal(map[string]any{"donor": "GBR", "recipient": "GBR"})
	_, err := p.s.DecideProposal(p.coord, p.ps[1].ID, 1, coalition.Accept, bad)
	wantKind(t, err, coalition.Invalid)
	still, err := p.s.FindProposal(p.coord, p.ps[1].ID)
	must(t, err)
	eq(t, "status after a refused accept", still.Status, coalition.ProposalPending)
	eq(t, "version after a refused accept", still.Version, 1)
	// A coordinator rejects: nothing is created.
	rej, err := p.s.DecideProposal(p.coord, p.ps[1].ID, 1, coalition.Reject, nil)
	must(t, err)
	eq(t, "status", rej.Status, coalition.ProposalRejected)
	eq(t, "record", rej.RecordID, 0)
	gb, _, err := p.s.FindPledges(sys, coalition.PledgeFilter{Donor: "GBR"})
	must(t, err)
	eq(t, "pledges a rejected proposal created", len(gb), 0)
}

// acceptEngagement: a coordinator accepts an engagement, recorded in its coalition.
func (p *proposals) acceptEngagement(t *testing.T) {
	acc, err := p.s.DecideProposal(p.coord, p.ps[2].ID, 1, coalition.Accept, nil)
	must(t, err)
	e, err := p.s.FindEngagement(sys, acc.RecordID)
	must(t, err)
	eq(t, "source", e.Source, p.in.Source)
	eq(t, "date", e.Date, p.in.Date)
	need(t, "in a coalition", e.CoalitionID != nil, true)
	eq(t, "coalition", *e.CoalitionID, p.c.ID)
}

// acceptConverted: a non-euro pledge is converted at the rate of its month when accepted.
func (p *proposals) acceptConverted(t *testing.T) {
	feb, _ := coalition.ParseMonth("2025-02")
	_, err := p.s.Load(sys, &coalition.Dataset{FXRates: []coalition.FXRate{{Month: feb, Currency: "GBP", UnitsPerEUR: 0.8, Source: "ECB"}}}, false)
	must(t, err)
	gbp, _ := json.Marshal(coalition.Pledge{Donor: "GBR", Recipient: "UKR", Category: "loans", Amount: coalition.Money{Minor: 2_000_000_00, Currency: "GBP"}})
	in2, ps2 := ingestText(), []*coalition.Proposal{{Type: coalition.ProposePledge, Record: gbp, Owner: "GBR", Confidence: 0.8}}
	must(t, p.s.CreateIngest(p.coord, in2, ps2))
	acc, err := p.s.DecideProposal(p.coord, ps2[0].ID, 1, coalition.Accept, nil)
	must(t, err)
	gp, err := p.s.FindPledge(sys, acc.RecordID)
	must(t, err)
	// £2,000,000 at 0.8 GBP per EUR (February's rate, the latest on or before 4 March) = €2,500,000 = 250,000,000 cents
	eq(t, "amount in euro cents", gp.AmountEUR, 250_000_000)
	eq(t, "rate", gp.FXRate, 0.8)
	eq(t, "rate's month", gp.FXMonth, feb)
}

// audited: every decision is audited, and the chain holds.
func (p *proposals) audited(t *testing.T) {
	entries, _, err := p.s.FindAudit(sys, coalition.AuditFilter{})
	must(t, err)
	decisions := map[string]int{}
	for _, a := range entries {
		if a.Entity == "proposal" {
			decisions[a.Action]++
		}
	}
	eq(t, "audited accepts", decisions["accept"], 3)
	eq(t, "audited rejects", decisions["reject"], 1)
	_, broken, reason, err := p.s.VerifyAudit(sys)
	must(t, err)
	eq(t, "audit chain broken at (reason "+reason+")", broken, 0)
}
