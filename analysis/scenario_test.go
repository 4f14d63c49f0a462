package analysis

import (
	"math"
	"testing"

	"coalition"
)

// monthlyNeeds is amount per month in category c over from..to.
func monthlyNeeds(c string, amount float64, from, to coalition.Month) []Need {
	var out []Need
	for m := from; m <= to; m++ {
		out = append(out, Need{Category: c, Month: m, Amount: amount})
	}
	return out
}

func TestScenarioHandComputed(t *testing.T) {
	jan, dec := mon("2025-01"), mon("2025-12")
	base := ScenarioInput{
		Needs: monthlyNeeds("mil", 100, jan, dec), // 1200 a year
		Flows: []Flow{ // 50 a month each: no gap before the withdrawal
			{Donor: "USA", Category: "mil", From: jan, To: dec, Amount: 600},
			{Donor: "DEU", Category: "mil", From: jan, To: dec, Amount: 600},
		},
		// USA stops from July: 6 × 50 = 300 lost, the 2025 gap.
		Withdrawals: []Withdrawal{{Countries: []string{"USA"}, From: mon("2025-07")}},
		From:        jan, To: dec,
		Members: []ScenarioMember{{ISO3: "DEU", GDPEUR: 3000, Population: 10}, {ISO3: "FRA", GDPEUR: 1000, Population: 30}},
	}
	type memberWant struct{ extra, extraPct, newPct float64 }
	tests := []struct {
		name         string
		edit         func(in *ScenarioInput)
		wantCovered  float64
		wantUnfilled float64
		want         map[string]memberWant
	}{
		{
			// GDP key, no cap: DEU 3/4 × 300 = 225, FRA 75. DEU's existing
			// support 600: new total (600+225)/3000 = 27.5 %.
			name: "gdp, no cap", edit: func(in *ScenarioInput) {},
			wantCovered: 300,
			want:        map[string]memberWant{"DEU": {225, 7.5, 27.5}, "FRA": {75, 7.5, 7.5}},
		},
		{
			// Cap 5 % of GDP: DEU ≤ 150, FRA ≤ 50; fair 225/75 both exceed
			// their caps, so 200 covered and 100 unfilled.
			name: "gdp, capped", edit: func(in *ScenarioInput) { in.CapPctGDP = 5 },
			wantCovered: 200, wantUnfilled: 100,
			want: map[string]memberWant{"DEU": {150, 5, 25}, "FRA": {50, 5, 5}},
		},
		{
			// Equal key: 150 each; FRA 150/1000 = 15 %.
			name: "equal", edit: func(in *ScenarioInput) { in.Key = KeyEqual },
			wantCovered: 300,
			want:        map[string]memberWant{"DEU": {150, 5, 25}, "FRA": {150, 15, 15}},
		},
		{
			// Population 10:30: DEU 75, FRA 225.
			name: "population", edit: func(in *ScenarioInput) { in.Key = KeyPopulation },
			wantCovered: 300,
			want:        map[string]memberWant{"DEU": {75, 2.5, 22.5}, "FRA": {225, 22.5, 22.5}},
		},
		{
			// FRA can give at most 30 a year in mil (category cap; LP path):
			// FRA 30, DEU takes the other 270.
			name: "category cap", edit: func(in *ScenarioInput) {
				in.Members[1].CategoryCaps = map[string]float64{"mil": 30}
			},
			wantCovered: 300,
			want:        map[string]memberWant{"DEU": {270, 9, 29}, "FRA": {30, 3, 3}},
		},
		{
			// Absolute ceiling 60 on DEU: DEU 60, FRA takes 240.
			name: "absolute cap", edit: func(in *ScenarioInput) {
				in.Members[0].CapEUR = ptr(60)
			},
			wantCovered: 300,
			want:        map[string]memberWant{"DEU": {60, 2, 22}, "FRA": {240, 24, 24}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			in.Members = append([]ScenarioMember(nil), base.Members...)
			tt.edit(&in)
			got, err := Scenario(in)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Lost) != 1 || got.Lost[0].ISO3 != "USA" || !near(got.Lost[0].Amount, 300, 1e-12) {
				t.Errorf("lost = %+v, want USA 300", got.Lost)
			}
			if got.Before.Gap != 0 || !near(got.After.Total.Gap, 300, 1e-12) {
				t.Errorf("gap before %v after %v, want 0 and 300", got.Before.Gap, got.After.Total.Gap)
			}
			if !near(got.Covered, tt.wantCovered, 1e-12) || !near(got.Unfilled, tt.wantUnfilled, 1e-12) {
				t.Errorf("covered %v unfilled %v, want %v %v", got.Covered, got.Unfilled, tt.wantCovered, tt.wantUnfilled)
			}
			for _, m := range got.Years[0].Members {
				w := tt.want[m.ISO3]
				if !near(m.ExtraEUR, w.extra, 1e-9) || !near(m.ExtraPctGDP, w.extraPct, 1e-9) || !near(m.NewTotalPctGDP, w.newPct, 1e-9) {
					t.Errorf("%s: extra %v (%v %%) new total %v %%, want %v (%v %%) %v %%", m.ISO3, m.ExtraEUR, m.ExtraPctGDP, m.NewTotalPctGDP, w.extra, w.extraPct, w.newPct)
				}
			}
		})
	}
}

func TestScenarioPartYears(t *testing.T) {
	from, to := mon("2025-07"), mon("2026-06")
	in := ScenarioInput{
		Needs: monthlyNeeds("mil", 100, from, to),
		Flows: []Flow{
			{Donor: "USA", Category: "mil", From: from, To: to, Amount: 600},
			{Donor: "DEU", Category: "mil", From: from, To: to, Amount: 600},
		},
		// USA stops in 2026: gap 6 × 50 = 300 in 2026, none in 2025.
		Withdrawals: []Withdrawal{{Countries: []string{"USA"}, From: mon("2026-01")}},
		From:        from, To: to,
		Members:   []ScenarioMember{{ISO3: "DEU", GDPEUR: 3000}, {ISO3: "FRA", GDPEUR: 1000}},
		CapPctGDP: 10, // per year; for six months DEU ≤ 10 % × 3000 × 6/12 = 150, FRA ≤ 50
	}
	got, err := Scenario(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Years) != 2 || got.Years[0].Months != 6 || got.Years[1].Months != 6 {
		t.Fatalf("years = %+v, want 2025 and 2026 with 6 months each", got.Years)
	}
	if got.Years[0].Covered != 0 || !near(got.Years[1].Covered, 200, 1e-12) || !near(got.Unfilled, 100, 1e-12) {
		t.Errorf("covered 2025 %v 2026 %v unfilled %v, want 0, 200, 100", got.Years[0].Covered, got.Years[1].Covered, got.Unfilled)
	}
	// DEU gives 150 in six months: annualised 150/(3000 × 0.5) = 10 %.
	if m := got.Years[1].Members[0]; !near(m.ExtraEUR, 150, 1e-12) || !near(m.ExtraPctGDP, 10, 1e-12) {
		t.Errorf("DEU 2026 = %+v, want extra 150 = 10 %%", m)
	}
}

func TestScenarioValidate(t *testing.T) {
	ok := ScenarioInput{From: mon("2025-01"), To: mon("2025-12"), Members: []ScenarioMember{{ISO3: "DEU", GDPEUR: 1}}}
	tests := []struct {
		name      string
		edit      func(in *ScenarioInput)
		wantField string
	}{
		{"to before from", func(in *ScenarioInput) { in.To = mon("2024-12") }, "to"},
		{"bad fraction", func(in *ScenarioInput) {
			in.Withdrawals = []Withdrawal{{Countries: []string{"USA"}, Fraction: 1.5}}
		}, "withdrawals[0].fraction"},
		{"no countries", func(in *ScenarioInput) { in.Withdrawals = []Withdrawal{{}} }, "withdrawals[0].countries"},
		{"unknown key", func(in *ScenarioInput) { in.Key = "gni" }, "key"},
		{"negative gdp", func(in *ScenarioInput) { in.Members[0].GDPEUR = -1 }, "members[0].gdp_eur"},
		{"NaN cap", func(in *ScenarioInput) { in.CapPctGDP = math.NaN() }, "cap_pct_gdp"},
		{"zero weights", func(in *ScenarioInput) { in.Key = KeyCustom }, "members"},
	}
	if _, err := Scenario(ok); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			in.Members = append([]ScenarioMember(nil), ok.Members...)
			tt.edit(&in)
			_, err := Scenario(in)
			if coalition.ErrorKind(err) != coalition.Invalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			if f := err.(*coalition.Error).Field; f != tt.wantField {
				t.Errorf("field = %q, want %q", f, tt.wantField)
			}
		})
	}
}

func TestTargetsHandComputed(t *testing.T) {
	can25 := 2.01
	got := Targets([]TargetInput{
		{ISO3: "POL", GDPUSD: 811.2e9, DefencePct: 3.79, Year: 2024, Source: "NATO 2024e"},
		{ISO3: "ESP", GDPUSD: 1580.7e9, DefencePct: 1.43, Year: 2024, Source: "NATO 2024e"},
		{ISO3: "AUS", GDPUSD: 1723.8e9, DefencePct: 1.9, Year: 2024, Source: "SIPRI 2024"},
		{ISO3: "CAN", GDPUSD: 2140.1e9, DefencePct: 1.47, Year: 2024, Source: "NATO 2024e", DefencePct2025e: &can25},
	})
	tests := []struct {
		iso                            string
		def                            string
		current                        float64
		meets2                         bool
		gap2, gap2USD, gap35, gap35USD float64
		gap5, annual                   float64
	}{
		// POL 3.79: above 2 and 3.5; 5 − 3.79 = 1.21 points; no increase needed.
		{"POL", "NATO", 3.79, true, 0, 0, 0, 0, 1.21, 0},
		// ESP 1.43: 0.57 points × 1580.7e9 = 9.00999e9; 2.07 × 1580.7e9 =
		// 32.72049e9; 3.57 to 5; 2.07 over 2035 − 2024 = 11 years = 0.18818…
		{"ESP", "NATO", 1.43, false, 0.57, 9.00999e9, 2.07, 32.72049e9, 3.57, 2.07 / 11},
		// AUS is a SIPRI figure: 0.1 points to 2 = 1.7238e9.
		{"AUS", "SIPRI", 1.9, false, 0.1, 1.7238e9, 1.6, 27.5808e9, 3.1, 1.6 / 11},
		// CAN: the 2025 estimate 2.01 replaces 1.47; (3.5 − 2.01)/10 = 0.149.
		{"CAN", "NATO", 2.01, true, 0, 0, 1.49, 31.88749e9, 2.99, 0.149},
	}
	for i, tt := range tests {
		g := got[i]
		eq(t, tt.iso+" iso3", g.ISO3, tt.iso)
		eq(t, tt.iso+" definition", g.Definition, tt.def)
		eq(t, tt.iso+" meets 2%", g.Meets2, tt.meets2)
		if !near(g.CurrentPct, tt.current, 1e-12) {
			t.Errorf("%s current = %v, want %v", tt.iso, g.CurrentPct, tt.current)
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"gap2", g.Gap2Pts, tt.gap2}, {"gap2 usd", g.Gap2USD, tt.gap2USD}, {"gap3.5", g.Gap35Pts, tt.gap35},
			{"gap3.5 usd", g.Gap35USD, tt.gap35USD}, {"gap5", g.Gap5Pts, tt.gap5}, {"annual", g.AnnualIncrease, tt.annual}} {
			if !near(c.got, c.want, 1e-9) {
				t.Errorf("%s %s = %v, want %v", tt.iso, c.name, c.got, c.want)
			}
		}
	}
	if got[3].ReportedPct != 1.47 || got[3].ReportedYear != 2024 || got[3].Year != 2025 {
		t.Errorf("CAN keeps reported 1.47/2024 and current year 2025, got %+v", got[3])
	}
}

// TestScenarioSplitWithCategoryCaps: with a category cap (a member that
// cannot give military support), the LP fixes each member's total and what
// each category receives, and the split of a member's total over the
// categories is the one closest to "as the gap does". By hand: a gap of
// 600 military and 1,200 financial a year, four members of equal GDP, so
// 450 each; JPN gives no military, so its 450 is financial, and the other
// three share 600 military and 750 financial alike: 200 and 250 each.
// Before, the solver's corner could put one member all in military and
// another all in financial.
func TestScenarioSplitWithCategoryCaps(t *testing.T) {
	jan, dec := mon("2025-01"), mon("2025-12")
	needs := append(monthlyNeeds("military", 50, jan, dec), monthlyNeeds("financial", 100, jan, dec)...) // 600 + 1200
	in := ScenarioInput{Needs: needs, From: jan, To: dec,
		Members: []ScenarioMember{
			{ISO3: "JPN", GDPEUR: 1000, CategoryCaps: map[string]float64{"military": 0}},
			{ISO3: "DEU", GDPEUR: 1000}, {ISO3: "FRA", GDPEUR: 1000}, {ISO3: "ITA", GDPEUR: 1000}}}
	res, err := Scenario(in)
	if err != nil {
		t.Fatal(err)
	}
	y := res.Years[0]
	by := map[string]map[string]float64{}
	for _, m := range y.Members {
		by[m.ISO3] = m.ByCategory
		if math.Abs(m.ExtraEUR-450) > 1e-6 {
			t.Errorf("%s total %v, want 450 (1800 / 4)", m.ISO3, m.ExtraEUR)
		}
	}
	if by["JPN"]["military"] != 0 || math.Abs(by["JPN"]["financial"]-450) > 1e-6 {
		t.Errorf("JPN %v, want financial 450 and no military", by["JPN"])
	}
	// The others share military 600 and financial 1200 − 450 = 750 alike:
	// 200 military and 250 financial each, not a corner.
	for _, iso := range []string{"DEU", "FRA", "ITA"} {
		if math.Abs(by[iso]["military"]-200) > 1e-6 || math.Abs(by[iso]["financial"]-250) > 1e-6 {
			t.Errorf("%s %v, want military 200, financial 250", iso, by[iso])
		}
	}
}
