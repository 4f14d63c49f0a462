package report_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"coalition"
	"coalition/analysis"
	"coalition/report"
)

// usaMilitary is the US withdrawing its military support from 2025-02:
// the gap is military, shared by the coalition's members by GDP.
func usaMilitary(t *testing.T) report.ScenarioSpec {
	from, _ := coalition.ParseMonth("2025-02")
	return report.ScenarioSpec{Withdrawals: []analysis.Withdrawal{{Countries: []string{"USA"}, From: from, Fraction: 1, Categories: []string{"military"}}},
		Group: "COW2025"}
}

// TestScenarioCapabilityLimits: Japan's legal limits on lethal aid
// (capability_limits.csv) cap its military ask at 0, and the output says
// so with its source; without the option Japan is asked for military
// support by its GDP share.
func TestScenarioCapabilityLimits(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	plain, err := report.RunScenario(ctx, s, usaMilitary(t))
	if err != nil {
		t.Fatal(err)
	}
	if jpn := planRow(t, plain, "JPN"); jpn.ExtraByCategory["military"] <= 0 {
		t.Fatalf("without limits JPN is asked %v; want a military ask (the gap is military)", jpn.ExtraByCategory)
	}
	spec := usaMilitary(t)
	spec.CapabilityLimits = true
	rep, err := report.RunScenario(ctx, s, spec)
	if err != nil {
		t.Fatal(err)
	}
	if jpn := planRow(t, rep, "JPN"); jpn.ExtraByCategory["military"] != 0 {
		t.Errorf("JPN military ask %v with capability limits, want 0", jpn.ExtraByCategory["military"])
	}
	found := false
	for _, c := range rep.Caps {
		if c.ISO3 == "JPN" && c.Kind == "capability" && c.Category == "military" && c.CapEUR == 0 && c.Source != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("caps %+v: no JPN military capability cap with its source", rep.Caps)
	}
	// The need is the same, so what Japan is not asked for falls on others
	// or stays unfilled: covered + unfilled is unchanged.
	if a, b := plain.Result.Covered+plain.Result.Unfilled, rep.Result.Covered+rep.Result.Unfilled; math.Abs(a-b) > 1 {
		t.Errorf("covered + unfilled %v without limits, %v with; want equal", a, b)
	}
}

// TestScenarioCapDefenceShare: with cap_defence_share 0.1 no member's
// yearly extra exceeds 10% of its defence spending; Ireland (defence 0.30%
// of GDP by SIPRI 2024, the lowest share in the coalition) is asked exactly
// its cap, less than its fair share. Out-of-range shares are errors naming
// the field.
func TestScenarioCapDefenceShare(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	spec := usaMilitary(t)
	spec.CapDefenceShare = 0.1
	rep, err := report.RunScenario(ctx, s, spec)
	if err != nil {
		t.Fatal(err)
	}
	caps := map[string]float64{}
	for _, c := range rep.Caps {
		if c.Kind == "defence-share" && c.CapEUR >= 0 {
			caps[c.ISO3] = c.CapEUR
		}
	}
	for _, y := range rep.Result.Years {
		for _, m := range y.Members {
			if c, ok := caps[m.ISO3]; ok && m.ExtraEUR > c*float64(y.Months)/12+1e-6 {
				t.Errorf("%d %s: extra %.0f over its defence cap %.0f", y.Year, m.ISO3, m.ExtraEUR, c)
			}
		}
	}
	irl, _ := s.FindCountry(ctx, "IRL")
	gdp := *irl.GDPUSDBn * 1e9 / rep.USDPerEUR // IRL's GDP year is the scenario's (2023)
	want := 0.1 * *irl.DefencePctGDP / 100 * gdp
	row := planRow(t, rep, "IRL")
	if math.Abs(caps["IRL"]-want) > 1 || math.Abs(row.ExtraEUR-want) > 1 || row.FairShareEUR <= row.ExtraEUR {
		t.Errorf("IRL cap %.0f extra %.0f fair %.0f; want cap 0.1 × %.2f%% × GDP = %.0f a year, all of it asked (horizon: 2025, 12 months), below the fair share",
			caps["IRL"], row.ExtraEUR, row.FairShareEUR, *irl.DefencePctGDP, want)
	}
	for _, bad := range []float64{-0.1, 1.5, math.NaN()} {
		spec.CapDefenceShare = bad
		_, err := report.RunScenario(ctx, s, spec)
		var ce *coalition.Error
		if !errors.As(err, &ce) || ce.Field != "cap_defence_share" {
			t.Errorf("cap_defence_share %v: error %v, want one naming cap_defence_share", bad, err)
		}
	}
}

func planRow(t *testing.T, rep *report.ScenarioReport, iso string) report.PlanRow {
	t.Helper()
	for _, r := range rep.Plan {
		if r.ISO3 == iso {
			return r
		}
	}
	t.Fatalf("%s not in the plan", iso)
	return report.PlanRow{}
}
