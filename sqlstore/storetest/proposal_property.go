package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"coalition"
)

// testProposalVisibilityProperty: delegates and coordinators submit texts
// whose pledge proposals are accepted with random visibility, rejected or
// left pending; random users of every role then list, read and follow them
// to their texts. A proposal accepted as a record follows that record's
// visibility (coalition.CanSee); an undecided or rejected one is seen by its
// submitter and by those who may decide it (coalition.CanDecide); a text is
// seen by its submitter, or by one who sees one of its proposals and every
// record made from it. Nothing else may be listed, read or counted.
func testProposalVisibilityProperty(t *testing.T, s coalition.Store) {
	c1 := base(t, s)
	c2 := &coalition.Coalition{Code: "T2", Name: "Other", Recipient: "UKR", Members: []coalition.Membership{{ISO3: "DEU", Status: coalition.Joined}}}
	must(t, s.CreateCoalition(sys, c2))
	rng := rand.New(rand.NewPCG(17, 3))
	donors := []string{"DEU", "FRA", "GBR", "EST"}
	coals := []*int64{nil, &c1.ID, &c2.ID}
	vis := []coalition.Visibility{coalition.Public, coalition.CoalitionVis, coalition.Confidential}

	type record struct {
		p         *coalition.Proposal
		submitter string
		pledge    *coalition.Pledge // the record it became, if accepted
	}
	var all []*record
	texts := map[int64][]*record{}
	for i := 0; i < 40; i++ {
		donor := donors[rng.IntN(len(donors))]
		submitter := &coalition.User{ID: int64(500 + i), Email: fmt.Sprintf("del%d@x", i), Role: coalition.Delegate, Country: donor}
		if rng.IntN(4) == 0 {
			submitter = &coalition.User{ID: int64(500 + i), Email: fmt.Sprintf("co%d@x", i), Role: coalition.Coordinator, Coalitions: []int64{c1.ID, c2.ID}}
		}
		ctx := coalition.WithUser(context.Background(), submitter)
		amount := int64(1 + rng.IntN(900))
		in := &coalition.IngestText{Title: fmt.Sprintf("text %d", i), Text: fmt.Sprintf("%s will give €%dm (secret %d).", donor, amount, i),
			Date: coalition.Date{Y: 2025, M: 3, D: 4}, Source: fmt.Sprintf("https://example.org/%d", i)}
		ps := []*coalition.Proposal{
			{Type: coalition.ProposePledge, Record: proposedPledge(t, donor, amount*1e6), Owner: donor, Confidence: 0.8},
			{Type: coalition.ProposePledge, Record: proposedPledge(t, donors[rng.IntN(len(donors))], 5e6), Owner: "", Confidence: 0.5},
		}
		ps[1].Owner = proposalOwner(t, ps[1])
		must(t, s.CreateIngest(ctx, in, ps))
		for j, p := range ps {
			r := &record{p: p, submitter: submitter.Email}
			all = append(all, r)
			texts[in.ID] = append(texts[in.ID], r)
			if j > 0 {
				continue // the second proposal stays pending
			}
			switch rng.IntN(3) {
			case 0: // accepted by an administrator, with random visibility
				var pl coalition.Pledge
				must(t, json.Unmarshal(p.Record, &pl))
				pl.Visibility, pl.CoalitionID = vis[rng.IntN(3)], coals[rng.IntN(3)]
				if pl.Visibility == coalition.CoalitionVis && pl.CoalitionID == nil {
					pl.CoalitionID = &c1.ID
				}
				edited, err := json.Marshal(pl)
				must(t, err)
				acc, err := s.DecideProposal(sys, p.ID, 1, coalition.Accept, edited)
				must(t, err)
				r.p = acc
				r.pledge, err = s.FindPledge(sys, acc.RecordID)
				must(t, err)
			case 1:
				rej, err := s.DecideProposal(sys, p.ID, 1, coalition.Reject, nil)
				must(t, err)
				r.p = rej
			}
		}
	}
	mayDecide := func(u *coalition.User, r *record) bool {
		return coalition.CanDecide(u, r.p)
	}
	maySee := func(u *coalition.User, r *record) bool {
		switch {
		case u == nil || u.Disabled || !coalition.CanReadQueue(u):
			return false
		case u.Role == coalition.Admin:
			return true
		case r.pledge != nil:
			return coalition.CanSee(u, r.pledge.Visibility, r.pledge.Donor, r.pledge.CoalitionID)
		}
		return r.submitter == u.Email || mayDecide(u, r)
	}
	roles := []coalition.Role{coalition.Admin, coalition.Coordinator, coalition.Delegate, coalition.Analyst, coalition.Observer}
	checks := 0
	for i := 0; i < 60; i++ {
		u := &coalition.User{ID: int64(900 + i), Email: fmt.Sprintf("u%d@x", i), Role: roles[rng.IntN(len(roles))], Disabled: rng.IntN(15) == 0}
		if i < 10 { // some readers are submitters
			u = &coalition.User{ID: int64(500 + i), Email: all[2*i*2%len(all)].submitter}
			if strings.HasPrefix(u.Email, "co") {
				u.Role, u.Coalitions = coalition.Coordinator, []int64{c1.ID}
			} else {
				u.Role, u.Country = coalition.Delegate, all[2*i*2%len(all)].p.Owner
			}
		}
		if u.Role == coalition.Delegate && u.Country == "" {
			u.Country = donors[rng.IntN(len(donors))]
		}
		if u.Role != coalition.Admin && u.Role != coalition.Observer && i >= 10 {
			for _, c := range []int64{c1.ID, c2.ID} {
				if rng.IntN(2) == 0 {
					u.Coalitions = append(u.Coalitions, c)
				}
			}
		}
		ctx := coalition.WithUser(context.Background(), u)
		want := map[int64]bool{}
		for _, r := range all {
			if maySee(u, r) {
				want[r.p.ID] = true
			}
		}
		// The list, in pages of 7.
		got := map[int64]bool{}
		f := coalition.ProposalFilter{Limit: 7}
		for {
			page, err := s.FindProposals(ctx, f)
			if !coalition.CanReadQueue(u) {
				if err == nil {
					t.Fatalf("user %+v lists the review queue", u)
				}
				break
			}
			must(t, err)
			for _, p := range page {
				got[p.ID] = true
			}
			if len(page) < f.Limit {
				break
			}
			f.After = page[len(page)-1].ID
		}
		if len(got) != len(want) {
			t.Fatalf("user %+v lists %d proposals, may see %d", u, len(got), len(want))
		}
		for id := range got {
			if !want[id] {
				t.Fatalf("user %+v lists proposal %d it may not see", u, id)
			}
		}
		// Each proposal, and its text.
		for _, r := range all {
			_, err := s.FindProposal(ctx, r.p.ID)
			if (err == nil) != want[r.p.ID] {
				t.Fatalf("user %+v FindProposal(%d) err=%v, may see=%v", u, r.p.ID, err, want[r.p.ID])
			}
			checks++
		}
		for id, rs := range texts {
			wantText := false
			if coalition.CanReadQueue(u) {
				anySeen, allRecordsSeen := false, true
				for _, r := range rs {
					anySeen = anySeen || want[r.p.ID]
					if r.pledge != nil && !want[r.p.ID] {
						allRecordsSeen = false
					}
				}
				wantText = u.Role == coalition.Admin || rs[0].submitter == u.Email || (anySeen && allRecordsSeen)
			}
			_, err := s.FindIngest(ctx, id)
			if (err == nil) != wantText {
				t.Fatalf("user %+v FindIngest(%d) err=%v, may see=%v", u, id, err, wantText)
			}
			checks++
		}
	}
	// The audit log: whoever may read it reads no entry about a pledge
	// made from a proposal that it may not see.
	byRecord := map[string]*record{}
	for _, r := range all {
		if r.pledge != nil {
			byRecord[fmt.Sprint(r.pledge.ID)] = r
		}
	}
	for _, u := range []*coalition.User{
		{ID: 990, Email: "co-a@x", Role: coalition.Coordinator, Coalitions: []int64{c1.ID}},
		{ID: 991, Email: "co-b@x", Role: coalition.Coordinator, Coalitions: []int64{c2.ID}},
	} {
		entries, _, err := s.FindAudit(coalition.WithUser(context.Background(), u), coalition.AuditFilter{Entity: "pledge", Limit: coalition.MaxPageSize})
		must(t, err)
		for _, e := range entries {
			if r := byRecord[e.EntityID]; r != nil && !maySee(u, r) {
				t.Fatalf("coordinator %+v reads audit entry %d about pledge %s it may not see", u, e.Seq, e.EntityID)
			}
			checks++
		}
	}
	if checks < 3000 {
		t.Fatalf("only %d checks", checks)
	}
}

// proposalOwner is the donor of a proposed pledge.
func proposalOwner(t *testing.T, p *coalition.Proposal) string {
	t.Helper()
	var pl coalition.Pledge
	must(t, json.Unmarshal(p.Record, &pl))
	return pl.Donor
}
