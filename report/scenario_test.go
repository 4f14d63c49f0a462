package report_test

import (
	"context"
	"encoding/json"
	"math"
	"strings"
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

// TestScenarioCapHistory: with --cap-history K no member's extra in a year
// exceeds K × its best 12 months of support; the recipient and a month
// before the data are refused with a message that says why.
func TestScenarioCapHistory(t *testing.T) {
	s := seeded(t)
	m, _ := coalition.ParseMonth("2025-02")
	spec := report.ScenarioSpec{Withdrawals: []analysis.Withdrawal{{Countries: []string{"USA"}, From: m}}, Group: "COW2025", CapHistory: 0.5}
	rep, err := report.RunScenario(context.Background(), s, spec)
	if err != nil {
		t.Fatal(err)
	}
	best := bestTwelveMonths(t, s)
	capped := 0
	for _, y := range rep.Result.Years {
		for _, mem := range y.Members {
			limit := 0.5 * best[mem.ISO3] * float64(y.Months) / 12
			if mem.ExtraEUR > limit*(1+1e-9)+1e-6 {
				t.Errorf("%d %s: extra %.0f over 0.5 × best year %.0f", y.Year, mem.ISO3, mem.ExtraEUR, best[mem.ISO3])
			}
			if mem.ExtraEUR >= limit*(1-1e-9) && limit > 0 {
				capped++
			}
		}
	}
	if capped == 0 {
		t.Errorf("no member at its history cap: the cap is not binding anywhere, the test proves nothing")
	}
	// member × category: each plan row's extra splits into categories
	for _, r := range rep.Plan {
		sum := 0.0
		for _, v := range r.ExtraByCategory {
			sum += v
		}
		if math.Abs(sum-r.ExtraEUR) > 1e-6*math.Max(1, r.ExtraEUR) {
			t.Errorf("%s: extra_by_category %v sums to %.2f, extra %.2f", r.ISO3, r.ExtraByCategory, sum, r.ExtraEUR)
		}
	}
	spec.Withdrawals[0].Countries = []string{"UKR"}
	_, err = report.RunScenario(context.Background(), s, spec)
	if err == nil || !strings.Contains(err.Error(), "recipient") {
		t.Errorf("withdrawing the recipient: %v, want an error that says it is the recipient", err)
	}
	spec.Withdrawals[0].Countries, spec.Withdrawals[0].From = []string{"USA"}, coalition.MonthOf(2019, 1)
	_, err = report.RunScenario(context.Background(), s, spec)
	if err == nil || !strings.Contains(err.Error(), "before the data begins") {
		t.Errorf("withdrawing before the data: %v, want an error that says the data begins later", err)
	}
}

// bestTwelveMonths is each donor's largest 12-month sum of monthly support,
// computed here plainly from the store's monthly series.
func bestTwelveMonths(t *testing.T, s coalition.Store) map[string]float64 {
	t.Helper()
	rows, err := s.MonthlySupport(sys, coalition.DonorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]map[coalition.Month]float64{}
	for _, r := range rows {
		if by[r.ISO3] == nil {
			by[r.ISO3] = map[coalition.Month]float64{}
		}
		by[r.ISO3][r.Month] += r.EUR
	}
	out := map[string]float64{}
	for iso, ms := range by {
		for start := range ms {
			sum := 0.0
			for k := range 12 {
				sum += ms[start.Add(k)]
			}
			out[iso] = max(out[iso], sum)
		}
	}
	return out
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
		{report.ScenarioSpec{Withdrawals: w("UKR")}, "withdrawals[0].countries[0]"}, // the recipient
		{report.ScenarioSpec{Withdrawals: []analysis.Withdrawal{{Countries: []string{"USA"}, From: coalition.MonthOf(2019, 1)}}}, "withdrawals[0].from"},
		{report.ScenarioSpec{Withdrawals: w("USA"), CapHistory: -1}, "cap_history"},
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
