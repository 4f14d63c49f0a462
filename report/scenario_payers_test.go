package report_test

import (
	"context"
	"errors"
	"testing"

	"coalition"
	"coalition/analysis"
	"coalition/report"
)

// TestScenarioChannelPayer: the United States withdraws in 2026; without
// stored requirements the need is the 2022–2024 average and every other
// donor keeps its own average, so the financial gap is exactly the US's
// financial average × 12. A channel (the EU institutions) named as payer
// with €45 bn of financial support over 2026 (€3.75 bn a month, more than
// that gap) leaves the members no financial gap: they cover that much
// less, and the rest of the plan is the same.
func TestScenarioChannelPayer(t *testing.T) {
	s := seededWithChannels(t)
	ctx := context.Background()
	jan, dec := coalition.MonthOf(2026, 1), coalition.MonthOf(2026, 12)
	spec := func(payers ...report.ChannelPayer) report.ScenarioSpec {
		return report.ScenarioSpec{Withdrawals: []analysis.Withdrawal{{Countries: []string{"USA"}, From: jan, Fraction: 1}},
			Group: "COW2025", Horizon: &report.Horizon{From: jan, To: dec}, Payers: payers}
	}
	without, err := report.RunScenario(ctx, s, spec())
	must(t, err)
	with, err := report.RunScenario(ctx, s, spec(report.ChannelPayer{Channel: "EUI", CapacityEUR: 45e9, Source: "test: half of the EU's EUR 90 bn for 2026–27"}))
	must(t, err)
	finGap := without.Result.Years[0].Gap[analysis.TypeFinancial]
	if finGap <= 0 || finGap >= 45e9 {
		t.Fatalf("financial gap without the payer %.0f, want between 0 and the payer's 45e9", finGap)
	}
	if got := with.Result.Years[0].Gap[analysis.TypeFinancial]; got > 0.01 {
		t.Errorf("financial gap with the payer %.2f, want 0", got)
	}
	if got, want := with.Result.Covered+with.Result.Unfilled, without.Result.Covered+without.Result.Unfilled-finGap; !near(got, want, 1e-9) {
		t.Errorf("members cover %.0f + unfilled, want %.0f (the financial gap %.0f less)", got, want, finGap)
	}
	t.Run("bad payers name the field", func(t *testing.T) {
		for _, tc := range []struct {
			p     report.ChannelPayer
			field string
		}{
			{report.ChannelPayer{Channel: "NOPE", CapacityEUR: 1, Source: "x"}, "payers[0].channel"},
			{report.ChannelPayer{Channel: "EUI", CapacityEUR: -1, Source: "x"}, "payers[0].capacity_eur"},
			{report.ChannelPayer{Channel: "EUI", CapacityEUR: 1}, "payers[0].source"},
			{report.ChannelPayer{Channel: "EUI", CapacityEUR: 1, Source: "x", Category: "tanks?"}, "payers[0].category"},
		} {
			_, err := report.RunScenario(ctx, s, spec(tc.p))
			var e *coalition.Error
			if !errors.As(err, &e) || e.Field != tc.field {
				t.Errorf("%+v: %v, want an error naming %s", tc.p, err, tc.field)
			}
		}
	})
}
