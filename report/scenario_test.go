package report_test

import (
	"context"
	"encoding/json"
	"testing"

	"coalition"
	"coalition/analysis"
	"coalition/report"
)

// A spec that says what replace-us says gives replace-us's scenario: the
// same need (2022–2024 average), the same flows, the same members and cap.
func TestRunScenarioMatchesReplaceUS(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	from, _ := coalition.ParseMonth("2025-02")
	spec := report.ScenarioSpec{Withdrawals: []analysis.Withdrawal{{Countries: []string{"usa"}, From: from, Fraction: 1}},
		Group: "COW2025", CapPctGDP: 0.5}
	got, err := report.RunScenario(ctx, s, spec)
	if err != nil {
		t.Fatal(err)
	}
	want, err := report.BuiltinScenario(ctx, s, "replace-us")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "default horizon from", got.Spec.Horizon.From.String(), "2025-01")
	eq(t, "default horizon to", got.Spec.Horizon.To.String(), "2025-12")
	eq(t, "default key", got.Spec.Key, "gdp")
	eq(t, "default coalition", got.Spec.Coalition, "COW2025")
	if !near(got.Result.Covered, want.Scenario.Covered, 1e-9) || !near(got.Result.Unfilled, want.Scenario.Unfilled, 1e-9) {
		t.Fatalf("covered/unfilled %.0f/%.0f, replace-us %.0f/%.0f", got.Result.Covered, got.Result.Unfilled, want.Scenario.Covered, want.Scenario.Unfilled)
	}
	extra := map[string]float64{}
	for _, m := range want.Scenario.Years[0].Members {
		extra[m.ISO3] = m.ExtraEUR
	}
	if len(got.Result.Years) != 1 || len(got.Result.Years[0].Members) != len(extra) {
		t.Fatalf("years/members differ: %d members, want %d", len(got.Result.Years[0].Members), len(extra))
	}
	for _, m := range got.Result.Years[0].Members {
		if !near(m.ExtraEUR, extra[m.ISO3], 1e-9) {
			t.Errorf("%s extra %.0f, replace-us %.0f", m.ISO3, m.ExtraEUR, extra[m.ISO3])
		}
	}
	for iso, monthly := range want.RequirementMonthly {
		if !near(got.RequirementMonthly[iso], monthly, 1e-12) {
			t.Errorf("requirement %s %.0f, want %.0f", iso, got.RequirementMonthly[iso], monthly)
		}
	}
	// The spec round-trips through JSON (it is what gets saved).
	b, err := json.Marshal(got.Spec)
	if err != nil {
		t.Fatal(err)
	}
	back, err := report.ParseScenarioSpec(b)
	if err != nil {
		t.Fatalf("re-parse %s: %v", b, err)
	}
	again, err := report.RunScenario(ctx, s, back)
	if err != nil || again.Result.Covered != got.Result.Covered {
		t.Fatalf("re-run of the saved spec: %v, covered %v vs %v", err, again.Result.Covered, got.Result.Covered)
	}
}

// Half of the UK's military support stops from July 2025; the UK still
// shares, with the others, by population.
func TestRunScenarioPartialByType(t *testing.T) {
	s := seeded(t)
	from, _ := coalition.ParseMonth("2025-07")
	rep, err := report.RunScenario(context.Background(), s, report.ScenarioSpec{
		Withdrawals: []analysis.Withdrawal{{Countries: []string{"GBR"}, From: from, Fraction: 0.5, Categories: []string{"military"}}},
		Key:         "population"})
	if err != nil {
		t.Fatal(err)
	}
	// GBR's own 2022–2024 military average from MonthlySupport: it keeps it
	// for Jan–Jun and half of it for Jul–Dec, so it loses 6 × avg / 2.
	sup, _ := s.MonthlySupport(sys, coalition.DonorFilter{Type: coalition.Military})
	var avg float64
	for _, d := range sup {
		if d.ISO3 == "GBR" && d.Month.Year() >= 2022 && d.Month.Year() <= 2024 {
			avg += d.EUR / 36
		}
	}
	if len(rep.Result.Lost) != 1 || !near(rep.Result.Lost[0].Amount, 3*avg, 1e-9) {
		t.Fatalf("lost %+v, want GBR %.0f", rep.Result.Lost, 3*avg)
	}
	found := false
	for _, m := range rep.Members {
		found = found || m == "GBR"
	}
	if !found {
		t.Error("a partial withdrawer still shares the gap")
	}
	if rep.Result.Key != "population" || rep.Result.Unfilled > 1e-6 { // no cap: all covered
		t.Errorf("key %s unfilled %.0f", rep.Result.Key, rep.Result.Unfilled)
	}
}

func TestRunScenarioErrors(t *testing.T) {
	s := seeded(t)
	m, _ := coalition.ParseMonth("2025-02")
	w := func(c ...string) []analysis.Withdrawal { return []analysis.Withdrawal{{Countries: c, From: m}} }
	cases := []struct {
		spec  report.ScenarioSpec
		field string
	}{
		{report.ScenarioSpec{Withdrawals: w("XYZ")}, "withdrawals[0].countries[0]"},
		{report.ScenarioSpec{Withdrawals: w("USA", "us")}, "withdrawals[0].countries[1]"},
		{report.ScenarioSpec{Withdrawals: []analysis.Withdrawal{{Countries: []string{"USA"}}}}, "withdrawals[0].from"},
		{report.ScenarioSpec{Withdrawals: []analysis.Withdrawal{{Countries: []string{"USA"}, From: m, Fraction: 2}}}, "withdrawals[0].fraction"},
		{report.ScenarioSpec{Withdrawals: []analysis.Withdrawal{{Countries: []string{"USA"}, From: m, Categories: []string{"tanks"}}}}, "withdrawals[0].categories[0]"},
		{report.ScenarioSpec{Withdrawals: w("USA"), Key: "gni"}, "key"},
		{report.ScenarioSpec{Withdrawals: w("USA"), Key: "custom"}, "weights"},
		{report.ScenarioSpec{Withdrawals: w("USA"), Coalition: "NOPE"}, "coalition"},
		{report.ScenarioSpec{Withdrawals: w("USA"), Group: "NOPE"}, "group"},
		{report.ScenarioSpec{Withdrawals: w("USA"), CapPctGDP: -1}, "cap_pct_gdp"},
		{report.ScenarioSpec{Withdrawals: w("USA"), Caps: map[string]float64{"USA": 1e9}}, "caps.USA"},
		{report.ScenarioSpec{}, "horizon"},
		{report.ScenarioSpec{Withdrawals: w("USA"), Horizon: &report.Horizon{From: m, To: m - 1}}, "horizon.to"},
	}
	for _, c := range cases {
		_, err := report.RunScenario(context.Background(), s, c.spec)
		t.Run(c.field, func(t *testing.T) { wantField(t, err, c.field) })
	}
	if _, err := report.ParseScenarioSpec([]byte(`{"withdrawls":[]}`)); coalition.ErrorKind(err) != coalition.Invalid {
		t.Errorf("unknown field: %v, want Invalid", err)
	}
}
