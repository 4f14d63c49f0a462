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
	coals := []*int64{nil, &c1.ID, &c2.ID}
	vis := []coalition.Visibility{coalition.Public, coalition.CoalitionVis, coalition.Confidential}
	var all []*coalition.Pledge
	for i := 0; i < 240; i++ {
		p := pledge(donors[rng.IntN(len(donors))], int64(1+rng.IntN(900)), fmt.Sprintf("2025-%02d", 1+rng.IntN(12)))
		p.Visibility = vis[rng.IntN(3)]
		p.CoalitionID = coals[rng.IntN(3)]
		if p.Visibility == coalition.CoalitionVis && p.CoalitionID == nil {
			p.CoalitionID = &c1.ID
		}
		if rng.IntN(4) == 0 {
			p.Category = "humanitarian"
		}
		must(t, s.CreatePledge(sys, p))
		all = append(all, p)
	}
	roles := []coalition.Role{coalition.Admin, coalition.Coordinator, coalition.Delegate, coalition.Analyst, coalition.Observer}
	checks := 0
	for i := 0; i < 60; i++ {
		var u *coalition.User
		if i > 0 { // user 0 is anonymous
			u = &coalition.User{ID: int64(100 + i), Role: roles[rng.IntN(len(roles))], Disabled: rng.IntN(15) == 0}
			if u.Role == coalition.Delegate {
				u.Country = donors[rng.IntN(len(donors))]
			}
			if u.Role != coalition.Admin && u.Role != coalition.Observer {
				for _, c := range []int64{c1.ID, c2.ID} {
					if rng.IntN(2) == 0 {
						u.Coalitions = append(u.Coalitions, c)
					}
				}
			}
		}
		ctx := coalition.WithUser(context.Background(), u)
		wantIDs := map[int64]bool{}
		wantTotal := map[string]int64{}
		wantMonthly := map[string]int64{}
		for _, p := range all {
			if coalition.CanSee(u, p.Visibility, p.Donor, p.CoalitionID) {
				wantIDs[p.ID] = true
				wantTotal[p.Donor] += p.AmountEUR
				cat, _ := coalition.CategoryByCode(p.Category)
				wantMonthly[fmt.Sprintf("%s/%s/%s", p.Donor, p.Announced.Month(), cat.Type)] += p.AmountEUR
			}
		}
		// List (all pages) and details.
		got := map[int64]bool{}
		f := coalition.PledgeFilter{Limit: 50}
		for {
			page, more, err := s.FindPledges(ctx, f)
			must(t, err)
			for _, p := range page {
				got[p.ID] = true
			}
			if !more {
				break
			}
			f.After = page[len(page)-1].ID
		}
		if len(got) != len(wantIDs) {
			t.Fatalf("user %+v lists %d pledges, may see %d", u, len(got), len(wantIDs))
		}
		for id := range got {
			if !wantIDs[id] {
				t.Fatalf("user %+v lists pledge %d it may not see", u, id)
			}
		}
		for _, p := range all[:40] {
			_, err := s.FindPledge(ctx, p.ID)
			if (err == nil) != wantIDs[p.ID] {
				t.Fatalf("user %+v FindPledge(%d) err=%v, may see=%v", u, p.ID, err, wantIDs[p.ID])
			}
		}
		// Aggregates.
		rows, err := s.DonorTotals(ctx, coalition.DonorFilter{})
		must(t, err)
		gotTotal := map[string]int64{}
		for _, r := range rows {
			gotTotal[r.ISO3] = int64(r.TotalEUR*100 + 0.5)
		}
		for _, d := range donors {
			if gotTotal[d] != wantTotal[d] {
				t.Fatalf("user %+v: %s total %d, visible records sum to %d", u, d, gotTotal[d], wantTotal[d])
			}
		}
		months, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
		must(t, err)
		gotMonthly := map[string]int64{}
		for _, m := range months {
			gotMonthly[fmt.Sprintf("%s/%s/%s", m.ISO3, m.Month, m.Type)] = int64(m.EUR*100 + 0.5)
		}
		if len(gotMonthly) != len(wantMonthly) {
			t.Fatalf("user %+v: %d monthly cells, want %d", u, len(gotMonthly), len(wantMonthly))
		}
		for k, v := range wantMonthly {
			if gotMonthly[k] != v {
				t.Fatalf("user %+v: monthly %s = %d, want %d", u, k, gotMonthly[k], v)
			}
		}
		checks += len(all) + 40 + len(donors) + len(wantMonthly)
	}
	if checks < 10000 {
		t.Fatalf("only %d checks", checks)
	}
}
