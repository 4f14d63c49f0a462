package report_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"coalition/analysis/risk"
	"coalition/report"
	"coalition/seed"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

// TestRiskModelPoliticalRisks: with the bundled non-election risks seeded
// (what `coalition seed` loads), the large supporters that have no election
// in the default horizon (2026-05..2029-04) carry a risk event: the
// Netherlands (minority cabinet), Canada (confidence votes), Norway (budget
// votes), Belgium (coalition), Germany (budget deadlines besides its 2029
// election). Checked by hand on the bundled data, the support without any
// event is then Denmark's (its 2026-03-24 election is held with no recorded
// outcome, so it changes nothing), Ireland's (its next election is due by
// 2030) and Hungary's part of the EU institutions' support (its 2026-04-12
// election is held with no recorded outcome), and the share the run
// reports is their support over the total.
func TestRiskModelPoliticalRisks(t *testing.T) {
	s := sqltest.Template(t, "report-seed", func(ctx context.Context, s *sqlstore.Store) error {
		_, err := seed.Load(ctx, s, false)
		return err
	})
	in, err := report.RiskModel(context.Background(), s, "COW2025", 0, 36, report.RiskOptions{Trials: 2000})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "start", in.Model.Start.String(), "2026-05")
	kinds := map[string][]string{}
	for _, m := range in.Model.Members {
		for _, e := range m.Events {
			if e.Probability > 0 && e.Factor != 1 {
				kinds[m.ISO3] = append(kinds[m.ISO3], e.Label)
			}
		}
	}
	for _, iso3 := range []string{"NLD", "CAN", "NOR", "BEL", "DEU"} {
		if len(kinds[iso3]) == 0 {
			t.Errorf("%s carries no risk event in the horizon", iso3)
		}
	}
	if n := len(kinds["DEU"]); n != 3 {
		t.Errorf("DEU: %d events %v, want 3 (budget deadlines 2027 and 2028, election window 2029-01-28..2029-03-25)", n, kinds["DEU"])
	}
	var without []string
	total, bare := 0.0, 0.0
	for _, m := range in.Members {
		total += m.SupportEUR
		if len(kinds[m.ISO3]) == 0 && m.SupportEUR > 0 {
			without = append(without, m.ISO3)
			bare += m.SupportEUR
		}
	}
	slices.Sort(without)
	if !slices.Equal(without, []string{"DNK", "HUN", "IRL"}) {
		t.Errorf("members with support and no risk event: %v, want [DNK HUN IRL]", without)
	}
	res, err := risk.Run(context.Background(), in.Model, risk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.SupportWithoutEventsShare, bare/total; math.Abs(got-want) > 1e-9 || got > 0.10 {
		t.Errorf("support_without_events_share %v, want %v (DNK, HUN, IRL over the total), below 10%%", got, want)
	}
}
