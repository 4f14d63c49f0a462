package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"coalition"
)

// testVisibilityProperty: random pledges of every visibility by random
// donors in two coalitions, read by random users of every role. No list,
// detail or aggregate may contain, or change because of, a pledge the
// user may not see (coalition.CanSee is the rule).
func testVisibilityProperty(t *testing.T, s coalition.Store) {
	c1 := base(t, s)
	c2 := &coalition.Coalition{Code: "T2", Name: "Other", Recipient: "UKR", Members: []coalition.Membership{{ISO3: "DEU", Status: coalition.Joined}}}
	must(t, s.CreateCoalition(sys, c2))
	rng := rand.New(rand.NewPCG(42, 7))
	donors := []string{"DEU", "FRA", "GBR", "EST"}
	var all []*coalition.Pledge
	for i := 0; i < 240; i++ {
		p := randomVisiblePledge(rng, donors, c1.ID, c2.ID)
		must(t, s.CreatePledge(sys, p))
		all = append(all, p)
	}
	checks := 0
	for i := 0; i < 60; i++ {
		var u *coalition.User
		if i > 0 { // user 0 is anonymous
			u = randomReader(rng, i, donors, c1.ID, c2.ID)
		}
		checks += checkVisiblePledges(t, s, u, all, donors)
	}
	holds(t, fmt.Sprintf("at least 10000 checks (made %d)", checks), checks >= 10000)
}

// randomVisiblePledge is a pledge of a random donor, month, visibility and
// coalition; one in four is humanitarian.
func randomVisiblePledge(rng *rand.Rand, donors []string, c1, c2 int64) *coalition.Pledge {
	coals := []*int64{nil, &c1, &c2}
	vis := []coalition.Visibility{coalition.Public, coalition.CoalitionVis, coalition.Confidential}
	p := pledge(donors[rng.IntN(len(donors))], int64(1+rng.IntN(900)), fmt.Sprintf("2025-%02d", 1+rng.IntN(12)))
	p.Visibility = vis[rng.IntN(3)]
	p.CoalitionID = coals[rng.IntN(3)]
	if p.Visibility == coalition.CoalitionVis && p.CoalitionID == nil {
		p.CoalitionID = &c1
	}
	if rng.IntN(4) == 0 {
		p.Category = "humanitarian"
	}
	return p
}

// randomReader is reader i: a random role, sometimes disabled, a delegate
// of a random donor, a member of random coalitions.
func randomReader(rng *rand.Rand, i int, donors []string, coalitions ...int64) *coalition.User {
	roles := []coalition.Role{coalition.Admin, coalition.Coordinator, coalition.Delegate, coalition.Analyst, coalition.Observer}
	u := &coalition.User{ID: int64(100 + i), Role: roles[rng.IntN(len(roles))], Disabled: rng.IntN(15) == 0}
	if u.Role == coalition.Delegate {
		u.Country = donors[rng.IntN(len(donors))]
	}
	if u.Role != coalition.Admin && u.Role != coalition.Observer {
		for _, c := range coalitions {
			if rng.IntN(2) == 0 {
				u.Coalitions = append(u.Coalitions, c)
			}
		}
	}
	return u
}

// visibleSums is what u should see of all: the ids, each donor's total and
// each donor/month/type cell, in cents.
func visibleSums(u *coalition.User, all []*coalition.Pledge) (ids map[int64]bool, total, monthly map[string]int64) {
	ids, total, monthly = map[int64]bool{}, map[string]int64{}, map[string]int64{}
	for _, p := range all {
		if coalition.CanSee(u, p.Visibility, p.Donor, p.CoalitionID) {
			ids[p.ID] = true
			total[p.Donor] += p.AmountEUR
			cat, _ := coalition.CategoryByCode(p.Category)
			monthly[fmt.Sprintf("%s/%s/%s", p.Donor, p.Announced.Month(), cat.Type)] += p.AmountEUR
		}
	}
	return ids, total, monthly
}

// checkVisiblePledges compares u's list, details and aggregates with the
// sums of what coalition.CanSee lets u see, and returns the checks made.
func checkVisiblePledges(t *testing.T, s coalition.Store, u *coalition.User, all []*coalition.Pledge, donors []string) int {
	t.Helper()
	ctx := coalition.WithUser(context.Background(), u)
	wantIDs, wantTotal, wantMonthly := visibleSums(u, all)
	same(t, fmt.Sprintf("pledges user %+v lists", u), listPledges(t, s, ctx), wantIDs)
	for _, p := range all[:40] {
		_, err := s.FindPledge(ctx, p.ID)
		eq(t, fmt.Sprintf("user %+v reads pledge %d (err %v)", u, p.ID, err), err == nil, wantIDs[p.ID])
	}
	rows, err := s.DonorTotals(ctx, coalition.DonorFilter{})
	must(t, err)
	gotTotal := map[string]int64{}
	for _, r := range rows {
		gotTotal[r.ISO3] = int64(r.TotalEUR*100 + 0.5)
	}
	for _, d := range donors {
		eq(t, fmt.Sprintf("user %+v: %s total", u, d), gotTotal[d], wantTotal[d])
	}
	months, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
	must(t, err)
	gotMonthly := map[string]int64{}
	for _, m := range months {
		gotMonthly[fmt.Sprintf("%s/%s/%s", m.ISO3, m.Month, m.Type)] = int64(m.EUR*100 + 0.5)
	}
	same(t, fmt.Sprintf("user %+v: monthly cells", u), gotMonthly, wantMonthly)
	return len(all) + 40 + len(donors) + len(wantMonthly)
}

// listPledges is the ids of every pledge ctx's user lists, in pages of 50.
func listPledges(t *testing.T, s coalition.Store, ctx context.Context) map[int64]bool {
	t.Helper()
	got := map[int64]bool{}
	f := coalition.PledgeFilter{Limit: 50}
	for {
		page, more, err := s.FindPledges(ctx, f)
		must(t, err)
		for _, p := range page {
			got[p.ID] = true
		}
		if !more {
			return got
		}
		f.After = page[len(page)-1].ID
	}
}
