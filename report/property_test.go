package report_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"coalition"
	"coalition/report"
	"coalition/sqlstore"
)

// TestResultsDoNotDependOnHiddenRecords: for random users, every report
// computed on a store holding hidden records equals the same report on a
// store holding only what the user may see. A French delegate cannot
// infer the United Kingdom's confidential amount from any result.
func TestResultsDoNotDependOnHiddenRecords(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	sys := coalition.WithUser(context.Background(), coalition.System)
	probe, err := seeded(t).FindCoalitionByCode(sys, "COW2025")
	if err != nil {
		t.Fatal(err)
	}
	cow := probe.ID
	// Extra 2025–2026 records of every visibility.
	var extra []*coalition.Pledge
	donors := []string{"GBR", "FRA", "DEU", "POL", "USA"}
	vis := []coalition.Visibility{coalition.Public, coalition.CoalitionVis, coalition.Confidential}
	for i := 0; i < 40; i++ {
		m, _ := coalition.ParseMonth(fmt.Sprintf("202%d-%02d", 5+rng.IntN(2), 1+rng.IntN(12)))
		p := &coalition.Pledge{Donor: donors[rng.IntN(len(donors))], Recipient: "UKR", Category: []string{"military", "financial", "humanitarian", "air-defence"}[rng.IntN(4)],
			Amount: coalition.Money{Minor: int64(1+rng.IntN(3000)) * 1_000_000_00, Currency: "EUR"}, Announced: m.FirstDay(),
			DeliverFrom: m, DeliverTo: m.Add(rng.IntN(6)), Status: coalition.Allocated, Visibility: vis[rng.IntN(3)], Source: "property test"}
		if p.Visibility != coalition.Public || rng.IntN(2) == 0 {
			p.CoalitionID = &cow
		}
		extra = append(extra, p)
	}
	users := []*coalition.User{
		nil,
		{ID: 1, Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{cow}},
		{ID: 2, Role: coalition.Delegate, Country: "GBR", Coalitions: []int64{cow}},
		{ID: 3, Role: coalition.Analyst, Coalitions: []int64{cow}},
		{ID: 4, Role: coalition.Observer},
	}
	spec := report.ScenarioSpec{}
	if err := json.Unmarshal([]byte(`{"withdrawals":[{"countries":["USA"],"from":"2025-02"}],"group":"COW2025","cap_pct_gdp":0.5}`), &spec); err != nil {
		t.Fatal(err)
	}
	from, _ := coalition.ParseMonth("2025-01")
	to, _ := coalition.ParseMonth("2026-12")
	results := func(ctx context.Context, s *sqlstore.Store) string {
		cov, err := report.Coverage(ctx, s, "COW2025", report.CoverageOptions{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		sc, err := report.RunScenario(ctx, s, spec)
		if err != nil {
			t.Fatal(err)
		}
		bi, err := report.BuiltinScenario(ctx, s, "replace-us")
		if err != nil {
			t.Fatal(err)
		}
		// The coalition page's recent pledges, without ids and times (the
		// two stores number their records differently).
		act, err := report.RecentActivity(ctx, s, "COW2025", coalition.Date{Y: 2026, M: 12, D: 31})
		if err != nil {
			t.Fatal(err)
		}
		recent := []string{fmt.Sprint(act.PledgeCount, act.DeliveryCount, act.EngagementCount)}
		for _, p := range act.Pledges {
			recent = append(recent, fmt.Sprint(p.Donor, p.Announced, p.Category, p.AmountEUR, p.Visibility))
		}
		b, _ := json.Marshal([]any{cov, sc, bi, recent})
		return string(b)
	}
	for _, u := range users {
		full, only := seeded(t), seeded(t)
		for _, p := range extra {
			q := *p
			if err := full.CreatePledge(sys, &q); err != nil {
				t.Fatal(err)
			}
			if coalition.CanSee(u, p.Visibility, p.Donor, p.CoalitionID) {
				r := *p
				if err := only.CreatePledge(sys, &r); err != nil {
					t.Fatal(err)
				}
			}
		}
		ctx := coalition.WithUser(context.Background(), u)
		if a, b := results(ctx, full), results(ctx, only); !sameJSON(a, b) {
			t.Errorf("user %+v: results depend on records the user may not see:\n%.600s\n%.600s", u, a, b)
		}
	}
	// And the property has teeth: an admin's results do see the hidden records.
	full, pub := seeded(t), seeded(t)
	for _, p := range extra {
		q := *p
		full.CreatePledge(sys, &q)
		if p.Visibility == coalition.Public {
			r := *p
			pub.CreatePledge(sys, &r)
		}
	}
	admin := coalition.WithUser(context.Background(), &coalition.User{ID: 9, Role: coalition.Admin})
	if sameJSON(results(admin, full), results(admin, pub)) {
		t.Fatal("hidden records change nothing even for an admin: the test would pass vacuously")
	}
}

// sameJSON compares two JSON documents, numbers to 1e-9 relative (sums
// taken in another order differ in the last bits).
func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return sameValue(x, y)
}

func sameValue(x, y any) bool {
	switch xv := x.(type) {
	case float64:
		yv, ok := y.(float64)
		return ok && math.Abs(xv-yv) <= 1e-9*math.Max(1, math.Max(math.Abs(xv), math.Abs(yv)))
	case []any:
		yv, ok := y.([]any)
		if !ok || len(xv) != len(yv) {
			return false
		}
		for i := range xv {
			if !sameValue(xv[i], yv[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		yv, ok := y.(map[string]any)
		if !ok || len(xv) != len(yv) {
			return false
		}
		for k, v := range xv {
			if !sameValue(v, yv[k]) {
				return false
			}
		}
		return true
	}
	return x == y
}
