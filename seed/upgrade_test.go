package seed_test

import (
	"context"
	"strings"
	"testing"

	"coalition"
	"coalition/seed"
	"coalition/sqlstore/sqltest"
)

// TestUpgradeRiskEvents: a database seeded by an older version keeps
// year-only elections on 1 June and held elections without their outcome.
// The next seed re-dates and relabels those events in place (same id, no
// duplicate), takes the bundled outcome for an unedited event, and keeps a
// user's edited probability. On both engines.
func TestUpgradeRiskEvents(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) { testUpgradeRiskEvents(t, e.Open(t)) })
}

func testUpgradeRiskEvents(t *testing.T, s seedStore) {
	ctx := coalition.WithUser(context.Background(), coalition.System)
	// What the old seed stored (countries must exist: seed once, then
	// replace the new events by their old forms).
	if _, err := seed.Load(ctx, s, false); err != nil {
		t.Fatal(err)
	}
	all, err := s.FindRiskEvents(ctx, coalition.RiskEventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	total := len(all)
	for _, r := range all {
		if r.ISO3 == "DEU" && r.Kind == "election" || r.ISO3 == "TUR" || r.ISO3 == "BGR" && r.Date.String() == "2026-04-19" {
			if err := s.DeleteRiskEvent(ctx, r.ID, r.Version); err != nil {
				t.Fatal(err)
			}
		}
	}
	june := func(y int) coalition.Date { return coalition.Date{Y: y, M: 6, D: 1} }
	old := []*coalition.RiskEvent{
		{ISO3: "DEU", Date: june(2029), Kind: "election", Label: "DEU: Federal election (Bundestag) (latest-by 2029; month 06 assumed)", Probability: 0.3, Factor: 0.7, Source: "old"},
		{ISO3: "TUR", Date: june(2028), Kind: "election", Label: "TUR: Presidential and parliamentary (concurrent) (latest-by 2028; month 06 assumed)", Probability: 0.35, Factor: 0.6, Source: "old"},
		{ISO3: "BGR", Date: coalition.Date{Y: 2026, M: 4, D: 19}, Kind: "election", Label: "BGR: Early parliamentary election (52nd National Assembly) (2026-04-19, held)", Probability: 0.3, Factor: 0.7, Source: "old"},
		// Italy: a later seed added the windowed form beside this old one,
		// which a user edited: the unedited new form goes, the edit stays.
		{ISO3: "ITA", Date: june(2027), Kind: "election", Label: "ITA: General election (Chamber and Senate) (latest-by 2027; month 06 assumed)", Probability: 0.30, Factor: 0.7, Source: "old"},
	}
	for _, r := range old {
		if err := s.CreateRiskEvent(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	p := 0.9 // a user's edit of Türkiye's and Italy's elections
	for _, r := range []*coalition.RiskEvent{old[1], old[3]} {
		if _, err := s.UpdateRiskEvent(ctx, r.ID, coalition.RiskEventUpdate{Version: 1, Probability: &p}); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := seed.Load(ctx, s, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created["risk_events"] != 0 || rep.Updated["risk_events"] != 4 {
		t.Errorf("seed over the old events: created %d, updated %d risk events; want 0 and 4", rep.Created["risk_events"], rep.Updated["risk_events"])
	}
	after, err := s.FindRiskEvents(ctx, coalition.RiskEventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != total {
		t.Errorf("%d risk events after the upgrade, want %d (no duplicate)", len(after), total)
	}
	for _, r := range after {
		if r.Date.M == 6 && r.Date.D == 1 && strings.Contains(r.Label, "06 assumed") {
			t.Errorf("event %d still on 1 June: %s", r.ID, r.Label)
		}
	}
	deu, _ := s.FindRiskEvent(ctx, old[0].ID)
	if deu.Earliest == nil || deu.Earliest.String() != "2029-01-28" || deu.Latest.String() != "2029-03-25" || deu.Source == "old" {
		t.Errorf("DEU event %+v: want re-dated to 2029-01-28..2029-03-25 with the bundled source", deu)
	}
	tur, _ := s.FindRiskEvent(ctx, old[1].ID)
	if tur.Earliest == nil || tur.Earliest.String() != "2028-01-01" || !tur.DateUnknown || tur.Probability != 0.9 || tur.Source != "old" {
		t.Errorf("TUR event %+v: want the 2028 window, date unknown, and the user's probability 0.9 and source kept", tur)
	}
	bgr, _ := s.FindRiskEvent(ctx, old[2].ID)
	if bgr.Probability != 1 || bgr.Factor != 0.5 || !strings.Contains(bgr.Label, "outcome:") {
		t.Errorf("BGR event %+v: want its recorded outcome (probability 1, factor 0.5)", bgr)
	}
	ita, _ := s.FindRiskEvents(ctx, coalition.RiskEventFilter{ISO3: "ITA"})
	if len(ita) != 1 || ita[0].ID != old[3].ID || ita[0].Probability != 0.9 || ita[0].Latest == nil || ita[0].Latest.String() != "2027-12-22" {
		t.Errorf("ITA events %+v: want the user's edited event alone, re-dated to its window ending 2027-12-22", ita)
	}
	rep, err = seed.Load(ctx, s, false)
	if err != nil || rep.Changed() {
		t.Errorf("third seed: %+v, %v; want no change", rep, err)
	}
}

// seedStore is what the upgrade test needs of a store.
type seedStore interface {
	coalition.Loader
	coalition.RiskEventStore
}
