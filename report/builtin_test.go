package report_test

import (
	"context"
	"math"
	"testing"
	"time"

	"coalition"
	"coalition/report"
)

func TestBuiltinReplaceUS(t *testing.T) {
	s := seeded(t)
	rep, err := report.BuiltinScenario(context.Background(), s, "replace-us")
	if err != nil {
		t.Fatal(err)
	}
	// GDP in EUR at the ECB 2023 average from the FX table, not a constant;
	// the ECB's published 2023 average is 1.0813 (mean of daily rates).
	rate := usdMean(t, s, 2023)
	if rep.GDPYear != 2023 || !near(rep.USDPerEUR, rate, 1e-12) || math.Abs(rate-1.0813) > 1e-3 {
		t.Fatalf("gdp year %d rate %v, want 2023 and %v (≈1.0813)", rep.GDPYear, rep.USDPerEUR, rate)
	}
	// Independent sums straight from MonthlySupport.
	sup, err := s.MonthlySupport(sys, coalition.DonorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := coalition.MonthOf(2022, time.January), coalition.MonthOf(2024, time.December)
	var usBase float64
	req := map[coalition.SupportType]float64{}
	actual := map[string]float64{}
	for _, d := range sup {
		if d.Month >= lo && d.Month <= hi {
			req[d.Type] += d.EUR / 36
			if d.ISO3 == "USA" {
				usBase += d.EUR / 36 // the US monthly average 2022–2024, all types
			}
		}
		if d.Month.Year() == 2025 {
			actual[d.ISO3] += d.EUR
		}
	}
	for _, typ := range []coalition.SupportType{coalition.Military, coalition.Financial, coalition.Humanitarian} {
		if got := rep.RequirementMonthly[string(typ)]; !near(got, req[typ], 1e-9) {
			t.Errorf("requirement %s = %.0f, want %.0f", typ, got, req[typ])
		}
	}
	// The US withdraws from February: 11 months of its average are lost.
	if len(rep.Scenario.Lost) != 1 || rep.Scenario.Lost[0].ISO3 != "USA" || !near(rep.Scenario.Lost[0].Amount, 11*usBase, 1e-9) {
		t.Fatalf("lost = %+v, want USA %.0f (11 × %.0f)", rep.Scenario.Lost, 11*usBase, usBase)
	}
	cow, err := s.FindCoalitionByCode(sys, "COW2025")
	if err != nil {
		t.Fatal(err)
	}
	members := map[string]bool{}
	for _, m := range cow.JoinedMembers() {
		members[m] = true
	}
	var plan float64
	for _, r := range rep.Rows {
		if !members[r.ISO3] || r.ISO3 == "UKR" {
			t.Errorf("row %s is not a COW2025 member", r.ISO3)
		}
		c, err := s.FindCountry(sys, r.ISO3)
		if err != nil {
			t.Fatal(err)
		}
		gdp := *c.GDPUSDBn * 1e9 / rate
		if !near(r.GDPEUR, gdp, 1e-9) {
			t.Errorf("%s GDP %.0f, want %.0f", r.ISO3, r.GDPEUR, gdp)
		}
		if r.ExtraEUR > 0.005*gdp*(1+1e-9) { // cap 0.5% of GDP per year
			t.Errorf("%s extra %.0f above 0.5%% of GDP %.0f", r.ISO3, r.ExtraEUR, 0.005*gdp)
		}
		if !near(r.ActualEUR, actual[r.ISO3], 1e-9) {
			t.Errorf("%s actual %.0f, want %.0f", r.ISO3, r.ActualEUR, actual[r.ISO3])
		}
		plan += r.PlanEUR
	}
	if !near(rep.PlanEUR, plan, 1e-9) {
		t.Errorf("plan total %.0f, rows sum to %.0f", rep.PlanEUR, plan)
	}
	// The gap the US leaves = covered + unfilled (nothing else is missing:
	// every other donor keeps its average).
	if got := rep.Scenario.Covered + rep.Scenario.Unfilled; !near(got, 11*usBase, 1e-6) {
		t.Errorf("covered + unfilled = %.0f, want the US loss %.0f", got, 11*usBase)
	}
	wantSources(t, rep.Sources, "support", "gdp", "fx", "members")
}

func TestBuiltinNATO40bn(t *testing.T) {
	s := seeded(t)
	rep, err := report.BuiltinScenario(context.Background(), s, "nato-40bn")
	if err != nil {
		t.Fatal(err)
	}
	nato, err := s.FindCountries(sys, coalition.CountryFilter{Group: "NATO"})
	if err != nil {
		t.Fatal(err)
	}
	var sum float64 // Σ GDP USD of allies except Hungary
	for _, c := range nato {
		if c.ISO3 != "HUN" && c.GDPUSDBn != nil {
			sum += *c.GDPUSDBn
		}
	}
	if len(rep.Rows) != len(nato)-1 {
		t.Fatalf("%d rows, want %d allies without Hungary", len(rep.Rows), len(nato)-1)
	}
	for _, r := range rep.Rows {
		if r.ISO3 == "HUN" {
			t.Fatal("Hungary is exempt")
		}
		c, _ := s.FindCountry(sys, r.ISO3)
		want := 40e9 * *c.GDPUSDBn / sum // GDP share of €40bn; the rate cancels
		if !near(r.FairShareEUR, want, 1e-9) {
			t.Errorf("%s fair share %.0f, want %.0f", r.ISO3, r.FairShareEUR, want)
		}
	}
	if !near(rep.PlanEUR, 40e9, 1e-12) {
		t.Errorf("plan total %.0f, want 40e9", rep.PlanEUR)
	}
	wantSources(t, rep.Sources, "support", "gdp", "fx", "target")
}

func TestBuiltinUnknown(t *testing.T) {
	s := seeded(t)
	_, err := report.BuiltinScenario(context.Background(), s, "replace-eu")
	if coalition.ErrorKind(err) != coalition.NotFound {
		t.Fatalf("unknown builtin: %v, want NotFound", err)
	}
}

// wantSources checks that every figure named has a source with an as-of.
func wantSources(t *testing.T, got []report.Source, figures ...string) {
	t.Helper()
	for _, f := range figures {
		found := false
		for _, s := range got {
			if s.Figure == f && s.Source != "" && s.AsOf != "" {
				found = true
			}
		}
		if !found {
			t.Errorf("no source with an as-of date for %q in %+v", f, got)
		}
	}
}
