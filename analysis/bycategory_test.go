package analysis

import (
	"testing"
)

// TestScenarioByCategory: each member's extra splits into categories that
// sum to it, on both paths (water-filling: in the gap's proportions; LP:
// the allocations, category caps respected).
func TestScenarioByCategory(t *testing.T) {
	jan, dec := mon("2025-01"), mon("2025-12")
	in := ScenarioInput{
		Needs: append(monthlyNeeds("mil", 100, jan, dec), monthlyNeeds("fin", 50, jan, dec)...),
		Flows: []Flow{
			{Donor: "USA", Category: "mil", From: jan, To: dec, Amount: 1200},
			{Donor: "USA", Category: "fin", From: jan, To: dec, Amount: 600},
		},
		Withdrawals: []Withdrawal{{Countries: []string{"USA"}, From: jan}}, // gap: mil 1200, fin 600
		From:        jan, To: dec,
		Members: []ScenarioMember{{ISO3: "DEU", GDPEUR: 3000}, {ISO3: "FRA", GDPEUR: 1000}},
	}
	check := func(t *testing.T, got ScenarioResult, want map[string]map[string]float64) {
		t.Helper()
		for _, m := range got.Years[0].Members {
			sum := 0.0
			for c, v := range m.ByCategory {
				sum += v
				if w := want[m.ISO3][c]; !near(v, w, 1e-9) {
					t.Errorf("%s %s: %v, want %v", m.ISO3, c, v, w)
				}
			}
			if !near(sum, m.ExtraEUR, 1e-9) {
				t.Errorf("%s: by_category sums to %v, extra %v", m.ISO3, sum, m.ExtraEUR)
			}
		}
	}
	t.Run("water-filling", func(t *testing.T) {
		got, err := Scenario(in)
		if err != nil {
			t.Fatal(err)
		}
		// DEU 3/4 of 1800 = 1350: mil 900, fin 450; FRA 450: mil 300, fin 150
		check(t, got, map[string]map[string]float64{"DEU": {"mil": 900, "fin": 450}, "FRA": {"mil": 300, "fin": 150}})
	})
	t.Run("lp with a category cap", func(t *testing.T) {
		in := in
		in.Members = []ScenarioMember{{ISO3: "DEU", GDPEUR: 3000}, {ISO3: "FRA", GDPEUR: 1000, CategoryCaps: map[string]float64{"mil": 0}}}
		got, err := Scenario(in)
		if err != nil {
			t.Fatal(err)
		}
		// FRA gives no mil: fin only, its fair 450 all in fin; DEU the rest
		check(t, got, map[string]map[string]float64{"DEU": {"mil": 1200, "fin": 150}, "FRA": {"fin": 450}})
	})
}

// TestBuiltinByCategory: every row's plan splits into categories that sum
// to it, on the bundled data.
func TestBuiltinByCategory(t *testing.T) {
	in, _, _ := loadBuiltin(t)
	for _, name := range BuiltinNames {
		res, err := RunBuiltin(name, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Rows {
			sum := 0.0
			for _, v := range r.ByCategory {
				sum += v
			}
			if !near(sum, r.PlanEUR, 1e-9) {
				t.Errorf("%s %s: by_category %v sums to %v, plan %v", name, r.ISO3, r.ByCategory, sum, r.PlanEUR)
			}
		}
	}
}
