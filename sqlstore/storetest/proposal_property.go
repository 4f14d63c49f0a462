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
	w := &proposalWorld{s: s, c1: c1, c2: c2, rng: rand.New(rand.NewPCG(17, 3)), texts: map[int64][]*proposed{}}
	for i := 0; i < 40; i++ {
		w.submit(t, i)
	}
	checks := 0
	for i := 0; i < 60; i++ {
		checks += w.checkReader(t, w.reader(i))
	}
	checks += w.checkAudit(t)
	holds(t, fmt.Sprintf("at least 3000 checks (made %d)", checks), checks >= 3000)
}

// proposed is a proposal of the property test and what became of it.
type proposed struct {
	p         *coalition.Proposal
	submitter string
	pledge    *coalition.Pledge // the record it became, if accepted
}

// proposalWorld is the store and the proposals the property test made.
type proposalWorld struct {
	s      coalition.Store
	c1, c2 *coalition.Coalition
	rng    *rand.Rand
	all    []*proposed
	texts  map[int64][]*proposed // by the text they came from
}

var propDonors = []string{"DEU", "FRA", "GBR", "EST"}

// submit: submitter i (a delegate, or one time in four a coordinator)
// submits a text of two pledge proposals; the first is accepted, rejected
// or left pending, the second stays pending.
func (w *proposalWorld) submit(t *testing.T, i int) {
	donor := propDonors[w.rng.IntN(len(propDonors))]
	submitter := &coalition.User{ID: int64(500 + i), Email: fmt.Sprintf("del%d@x", i), Role: coalition.Delegate, Country: donor}
	if w.rng.IntN(4) == 0 {
		submitter = &coalition.User{ID: int64(500 + i), Email: fmt.Sprintf("co%d@x", i), Role: coalition.Coordinator, Coalitions: []int64{w.c1.ID, w.c2.ID}}
	}
	amount := int64(1 + w.rng.IntN(900))
	in := &coalition.IngestText{Title: fmt.Sprintf("text %d", i), Text: fmt.Sprintf("%s will give €%dm (secret %d).", donor, amount, i),
		Date: coalition.Date{Y: 2025, M: 3, D: 4}, Source: fmt.Sprintf("https://example.org/%d", i)}
	ps := []*coalition.Proposal{
		{Type: coalition.ProposePledge, Record: proposedPledge(t, donor, amount*1e6), Owner: donor, Confidence: 0.8},
		{Type: coalition.ProposePledge, Record: proposedPledge(t, propDonors[w.rng.IntN(len(propDonors))], 5e6), Owner: "", Confidence: 0.5},
	}
	ps[1].Owner = proposalOwner(t, ps[1])
	must(t, w.s.CreateIngest(coalition.WithUser(context.Background(), submitter), in, ps))
	for _, p := range ps {
		r := &proposed{p: p, submitter: submitter.Email}
		w.all = append(w.all, r)
		w.texts[in.ID] = append(w.texts[in.ID], r)
	}
	w.decide(t, w.texts[in.ID][0])
}

// decide accepts r (by an administrator, with random visibility), rejects
// it or leaves it pending, one time in three each.
func (w *proposalWorld) decide(t *testing.T, r *proposed) {
	switch w.rng.IntN(3) {
	case 0:
		var pl coalition.Pledge
		must(t, json.Unmarshal(r.p.Record, &pl))
		coals := []*int64{nil, &w.c1.ID, &w.c2.ID}
		vis := []coalition.Visibility{coalition.Public, coalition.CoalitionVis, coalition.Confidential}
		pl.Visibility, pl.CoalitionID = vis[w.rng.IntN(3)], coals[w.rng.IntN(3)]
		if pl.Visibility == coalition.CoalitionVis && pl.CoalitionID == nil {
			pl.CoalitionID = &w.c1.ID
		}
		edited, err := json.Marshal(pl)
		must(t, err)
		acc, err := w.s.DecideProposal(sys, r.p.ID, 1, coalition.Accept, edited)
		must(t, err)
		r.p = acc
		r.pledge, err = w.s.FindPledge(sys, acc.RecordID)
		must(t, err)
	case 1:
		rej, err := w.s.DecideProposal(sys, r.p.ID, 1, coalition.Reject, nil)
		must(t, err)
		r.p = rej
	}
}

// reader is reader i: the first ten are submitters, the others random
// users of every role, some disabled.
func (w *proposalWorld) reader(i int) *coalition.User {
	roles := []coalition.Role{coalition.Admin, coalition.Coordinator, coalition.Delegate, coalition.Analyst, coalition.Observer}
	u := &coalition.User{ID: int64(900 + i), Email: fmt.Sprintf("u%d@x", i), Role: roles[w.rng.IntN(len(roles))], Disabled: w.rng.IntN(15) == 0}
	if i < 10 {
		sub := w.all[2*i*2%len(w.all)]
		u = &coalition.User{ID: int64(500 + i), Email: sub.submitter}
		if strings.HasPrefix(u.Email, "co") {
			u.Role, u.Coalitions = coalition.Coordinator, []int64{w.c1.ID}
		} else {
			u.Role, u.Country = coalition.Delegate, sub.p.Owner
		}
	}
	if u.Role == coalition.Delegate && u.Country == "" {
		u.Country = propDonors[w.rng.IntN(len(propDonors))]
	}
	if u.Role != coalition.Admin && u.Role != coalition.Observer && i >= 10 {
		for _, c := range []int64{w.c1.ID, w.c2.ID} {
			if w.rng.IntN(2) == 0 {
				u.Coalitions = append(u.Coalitions, c)
			}
		}
	}
	return u
}

// maySee is the rule the store must follow, written from the domain's predicates.
func maySeeProposal(u *coalition.User, r *proposed) bool {
	switch {
	case u == nil || u.Disabled || !coalition.CanReadQueue(u):
		return false
	case u.Role == coalition.Admin:
		return true
	case r.pledge != nil:
		return coalition.CanSee(u, r.pledge.Visibility, r.pledge.Donor, r.pledge.CoalitionID)
	}
	return r.submitter == u.Email || coalition.CanDecide(u, r.p)
}

// checkReader compares what u lists and reads with the rule, and returns
// the number of checks made.
func (w *proposalWorld) checkReader(t *testing.T, u *coalition.User) int {
	t.Helper()
	ctx := coalition.WithUser(context.Background(), u)
	want := map[int64]bool{}
	for _, r := range w.all {
		if maySeeProposal(u, r) {
			want[r.p.ID] = true
		}
	}
	same(t, fmt.Sprintf("proposals user %+v lists", u), w.listed(t, ctx, u), want)
	checks := 0
	for _, r := range w.all {
		_, err := w.s.FindProposal(ctx, r.p.ID)
		eq(t, fmt.Sprintf("user %+v reads proposal %d (err %v)", u, r.p.ID, err), err == nil, want[r.p.ID])
		checks++
	}
	for id, rs := range w.texts {
		_, err := w.s.FindIngest(ctx, id)
		eq(t, fmt.Sprintf("user %+v reads text %d (err %v)", u, id, err), err == nil, maySeeText(u, rs, want))
		checks++
	}
	return checks
}

// listed is every proposal u lists, in pages of 7; nothing for one who may
// not read the queue, whose request must fail.
func (w *proposalWorld) listed(t *testing.T, ctx context.Context, u *coalition.User) map[int64]bool {
	t.Helper()
	got := map[int64]bool{}
	f := coalition.ProposalFilter{Limit: 7}
	for {
		page, err := w.s.FindProposals(ctx, f)
		if !coalition.CanReadQueue(u) {
			holds(t, fmt.Sprintf("user %+v may not list the review queue", u), err != nil)
			return got
		}
		must(t, err)
		for _, p := range page {
			got[p.ID] = true
		}
		if len(page) < f.Limit {
			return got
		}
		f.After = page[len(page)-1].ID
	}
}

// maySeeText: a text is seen by an administrator, its submitter, or one who
// sees one of its proposals and every record made from them.
func maySeeText(u *coalition.User, rs []*proposed, seen map[int64]bool) bool {
	if !coalition.CanReadQueue(u) {
		return false
	}
	anySeen, allRecordsSeen := false, true
	for _, r := range rs {
		anySeen = anySeen || seen[r.p.ID]
		if r.pledge != nil && !seen[r.p.ID] {
			allRecordsSeen = false
		}
	}
	return u.Role == coalition.Admin || rs[0].submitter == u.Email || (anySeen && allRecordsSeen)
}

// checkAudit: whoever may read the audit log reads no entry about a pledge
// made from a proposal that it may not see.
func (w *proposalWorld) checkAudit(t *testing.T) int {
	t.Helper()
	byRecord := map[string]*proposed{}
	for _, r := range w.all {
		if r.pledge != nil {
			byRecord[fmt.Sprint(r.pledge.ID)] = r
		}
	}
	checks := 0
	for _, u := range []*coalition.User{
		{ID: 990, Email: "co-a@x", Role: coalition.Coordinator, Coalitions: []int64{w.c1.ID}},
		{ID: 991, Email: "co-b@x", Role: coalition.Coordinator, Coalitions: []int64{w.c2.ID}},
	} {
		entries, _, err := w.s.FindAudit(coalition.WithUser(context.Background(), u), coalition.AuditFilter{Entity: "pledge", Limit: coalition.MaxPageSize})
		must(t, err)
		for _, e := range entries {
			r := byRecord[e.EntityID]
			holds(t, fmt.Sprintf("coordinator %+v reads no audit entry (%d) about pledge %s it may not see", u, e.Seq, e.EntityID), r == nil || maySeeProposal(u, r))
			checks++
		}
	}
	return checks
}

// proposalOwner is the donor of a proposed pledge.
func proposalOwner(t *testing.T, p *coalition.Proposal) string {
	t.Helper()
	var pl coalition.Pledge
	must(t, json.Unmarshal(p.Record, &pl))
	return pl.Donor
}
