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

func testProposals(t *testing.T, s coalition.Store) {
	c := base(t, s)
	fr := coalition.WithUser(context.Background(), &coalition.User{ID: 10, Email: "fr@x", Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{c.ID}})
	coord := coalition.WithUser(context.Background(), &coalition.User{ID: 11, Email: "co@x", Role: coalition.Coordinator, Coalitions: []int64{c.ID}})
	analyst := coalition.WithUser(context.Background(), &coalition.User{ID: 12, Email: "an@x", Role: coalition.Analyst, Coalitions: []int64{c.ID}})
	observer := coalition.WithUser(context.Background(), &coalition.User{ID: 13, Email: "ob@x", Role: coalition.Observer})
	anon := context.Background()

	text := func() *coalition.IngestText {
		return &coalition.IngestText{Title: "Paris pledges", Text: "France will provide €500m to Ukraine.", Date: coalition.Date{Y: 2025, M: 3, D: 4},
			Source: "https://example.org/paris"}
	}
	eng, _ := json.Marshal(coalition.Engagement{Kind: "call", Title: "call", Participants: []coalition.Participant{{Name: "A", ISO3: "FRA"}}})
	proposals := func() []*coalition.Proposal {
		return []*coalition.Proposal{
			{Type: coalition.ProposePledge, Record: proposedPledge(t, "FRA", 500e6), Owner: "FRA", Evidence: [][2]int{{0, 37}}, Confidence: 0.8,
				Flags: []coalition.ProposalFlag{{Kind: "duplicate", Message: "like pledge 1"}}},
			{Type: coalition.ProposePledge, Record: proposedPledge(t, "GBR", 100e6), Owner: "GBR", Confidence: 0.8},
			{Type: coalition.ProposeEngagement, Record: eng, Owner: "FRA", Confidence: 0.6},
		}
	}
	// Writers only: delegates, coordinators, admins submit texts.
	wantKind(t, s.CreateIngest(anon, text(), proposals()), coalition.Unauthorized)
	wantKind(t, s.CreateIngest(analyst, text(), proposals()), coalition.Forbidden)
	wantKind(t, s.CreateIngest(fr, &coalition.IngestText{}, nil), coalition.Invalid)
	in, ps := text(), proposals()
	must(t, s.CreateIngest(fr, in, ps))
	if in.ID == 0 || in.SubmittedBy != "fr@x" || ps[2].ID == 0 || ps[0].IngestID != in.ID || ps[0].Status != coalition.ProposalPending {
		t.Fatalf("CreateIngest: text %+v, proposal %+v", in, ps[0])
	}
	got, err := s.FindIngest(coord, in.ID)
	must(t, err)
	if got.Text != in.Text || got.Date != in.Date || got.Source != in.Source {
		t.Errorf("FindIngest = %+v, want %+v", got, in)
	}
	_, err = s.FindIngest(fr, in.ID+100)
	wantKind(t, err, coalition.NotFound)
	_, err = s.FindProposals(observer, coalition.ProposalFilter{})
	wantKind(t, err, coalition.Forbidden)
	_, err = s.FindProposals(anon, coalition.ProposalFilter{})
	wantKind(t, err, coalition.Unauthorized)
	// Undecided proposals are the submitter's and the reviewers': an
	// analyst, who may decide none, sees none of them, nor their text.
	if hidden, err := s.FindProposals(analyst, coalition.ProposalFilter{Status: coalition.ProposalPending}); err != nil || len(hidden) != 0 {
		t.Fatalf("analyst lists %d pending proposals (%v), want 0", len(hidden), err)
	}
	_, err = s.FindIngest(analyst, in.ID)
	wantKind(t, err, coalition.NotFound)
	pending, err := s.FindProposals(coord, coalition.ProposalFilter{Status: coalition.ProposalPending})
	must(t, err)
	if len(pending) != 3 || pending[0].Flags[0].Kind != "duplicate" || pending[0].Evidence[0] != [2]int{0, 37} {
		t.Fatalf("FindProposals(pending) = %d proposals (want 3), first %+v", len(pending), pending[0])
	}
	// Keyset pages: two, then the rest after the last id, then none.
	page1, err := s.FindProposals(fr, coalition.ProposalFilter{Status: coalition.ProposalPending, Limit: 2})
	must(t, err)
	page2, err := s.FindProposals(fr, coalition.ProposalFilter{Status: coalition.ProposalPending, Limit: 2, After: page1[len(page1)-1].ID})
	must(t, err)
	if len(page1) != 2 || len(page2) != 1 || page1[0].ID != pending[0].ID || page1[1].ID != pending[1].ID || page2[0].ID != pending[2].ID {
		t.Fatalf("pages of 2: %d then %d proposals, not the 3 pending in order", len(page1), len(page2))
	}
	if rest, err := s.FindProposals(fr, coalition.ProposalFilter{After: pending[2].ID, Status: coalition.ProposalPending}); err != nil || len(rest) != 0 {
		t.Fatalf("after the last pending proposal: %d, %v", len(rest), err)
	}

	// Nothing is in the record before a person accepts it.
	before, _, err := s.FindPledges(sys, coalition.PledgeFilter{Donor: "FRA"})
	must(t, err)

	// A delegate decides pledges of its own country only; an analyst none.
	_, err = s.DecideProposal(fr, ps[1].ID, 1, coalition.Accept, nil)
	wantKind(t, err, coalition.Forbidden)
	_, err = s.DecideProposal(fr, ps[2].ID, 1, coalition.Accept, nil)
	wantKind(t, err, coalition.Forbidden)
	_, err = s.DecideProposal(analyst, ps[0].ID, 1, coalition.Accept, nil)
	wantKind(t, err, coalition.Forbidden)
	// Nor may a delegate edit a proposal into another country's pledge.
	_, err = s.DecideProposal(fr, ps[0].ID, 1, coalition.Accept, proposedPledge(t, "GBR", 1))
	wantKind(t, err, coalition.Forbidden)
	// A stale version is a conflict.
	_, err = s.DecideProposal(fr, ps[0].ID, 7, coalition.Accept, nil)
	wantKind(t, err, coalition.Conflict)

	acc, err := s.DecideProposal(fr, ps[0].ID, 1, coalition.Accept, nil)
	must(t, err)
	if acc.Status != coalition.ProposalAccepted || acc.DecidedBy != "fr@x" || acc.RecordID == 0 || acc.Version != 2 {
		t.Fatalf("accepted proposal = %+v", acc)
	}
	p, err := s.FindPledge(sys, acc.RecordID)
	must(t, err)
	// €500m = 500e6 × 100 cents; the date and source are the text's.
	if p.Amount.Minor != 500e6*100 || p.Source != in.Source || p.Announced != in.Date || p.SourceRef == "" || p.Provenance == "" || p.Donor != "FRA" {
		t.Errorf("pledge from proposal = %+v", p)
	}
	after, _, _ := s.FindPledges(sys, coalition.PledgeFilter{Donor: "FRA"})
	if len(after) != len(before)+1 {
		t.Errorf("pledges of FRA: %d after accepting, want %d", len(after), len(before)+1)
	}
	_, err = s.DecideProposal(fr, ps[0].ID, 2, coalition.Reject, nil)
	wantKind(t, err, coalition.Conflict) // already decided

	// An invalid edited record is refused and the proposal stays pending.
	bad, _ := json.Marshal(map[string]any{"donor": "GBR", "recipient": "GBR"})
	_, err = s.DecideProposal(coord, ps[1].ID, 1, coalition.Accept, bad)
	wantKind(t, err, coalition.Invalid)
	still, err := s.FindProposal(coord, ps[1].ID)
	must(t, err)
	if still.Status != coalition.ProposalPending || still.Version != 1 {
		t.Errorf("after a refused accept: %+v", still)
	}
	// A coordinator rejects: nothing is created.
	rej, err := s.DecideProposal(coord, ps[1].ID, 1, coalition.Reject, nil)
	must(t, err)
	if rej.Status != coalition.ProposalRejected || rej.RecordID != 0 {
		t.Errorf("rejected proposal = %+v", rej)
	}
	if gb, _, _ := s.FindPledges(sys, coalition.PledgeFilter{Donor: "GBR"}); len(gb) != 0 {
		t.Errorf("a rejected proposal created %d pledges", len(gb))
	}
	// A coordinator accepts an engagement, recorded in its coalition.
	acc, err = s.DecideProposal(coord, ps[2].ID, 1, coalition.Accept, nil)
	must(t, err)
	e, err := s.FindEngagement(sys, acc.RecordID)
	must(t, err)
	if e.Source != in.Source || e.Date != in.Date || e.CoalitionID == nil || *e.CoalitionID != c.ID {
		t.Errorf("engagement from proposal = %+v", e)
	}

	// A non-euro pledge is converted at the rate of its month when accepted.
	feb, _ := coalition.ParseMonth("2025-02")
	_, err = s.Load(sys, &coalition.Dataset{FXRates: []coalition.FXRate{{Month: feb, Currency: "GBP", UnitsPerEUR: 0.8, Source: "ECB"}}}, false)
	must(t, err)
	gbp, _ := json.Marshal(coalition.Pledge{Donor: "GBR", Recipient: "UKR", Category: "loans", Amount: coalition.Money{Minor: 2_000_000_00, Currency: "GBP"}})
	in2, ps2 := text(), []*coalition.Proposal{{Type: coalition.ProposePledge, Record: gbp, Owner: "GBR", Confidence: 0.8}}
	must(t, s.CreateIngest(coord, in2, ps2))
	acc, err = s.DecideProposal(coord, ps2[0].ID, 1, coalition.Accept, nil)
	must(t, err)
	gp, err := s.FindPledge(sys, acc.RecordID)
	must(t, err)
	// £2,000,000 at 0.8 GBP per EUR (February's rate, the latest on or before 4 March) = €2,500,000 = 250,000,000 cents
	if gp.AmountEUR != 250_000_000 || gp.FXRate != 0.8 || gp.FXMonth != feb {
		t.Errorf("converted pledge: eur minor %d, rate %v, month %v", gp.AmountEUR, gp.FXRate, gp.FXMonth)
	}

	// Every decision is audited, and the chain holds.
	entries, _, err := s.FindAudit(sys, coalition.AuditFilter{})
	must(t, err)
	decisions := map[string]int{}
	for _, a := range entries {
		if a.Entity == "proposal" {
			decisions[a.Action]++
		}
	}
	if decisions["accept"] != 3 || decisions["reject"] != 1 {
		t.Errorf("audited decisions = %v, want 3 accept and 1 reject", decisions)
	}
	if _, broken, reason, err := s.VerifyAudit(sys); err != nil || broken != 0 {
		t.Errorf("audit chain broken at %d: %s %v", broken, reason, err)
	}
}
