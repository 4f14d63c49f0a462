package seed_test

import (
	"context"
	"strings"
	"testing"

	"coalition"
	"coalition/refdata"
	"coalition/seed"
	"coalition/sqlstore/sqltest"
)

// TestUpgradeEngagements (issue 15 §4): a database seeded before events.csv
// was re-sourced gets the graded rows on the next seed, without duplicates:
// an old copy no user edited is replaced, one a user edited is kept with
// the edit, and a third seed changes nothing.
func TestUpgradeEngagements(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) { testUpgradeEngagements(t, e.Open(t)) })
}

// engagementSeedStore is what the test needs of a store.
type engagementSeedStore interface {
	coalition.Loader
	coalition.EngagementStore
}

func testUpgradeEngagements(t *testing.T, s engagementSeedStore) {
	ctx := coalition.WithUser(context.Background(), coalition.System)
	if _, err := seed.Load(ctx, s, false); err != nil {
		t.Fatal(err)
	}
	ds, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	n := len(ds.Engagements)
	stored := allEngagements(t, s)
	if len(stored) != n {
		t.Fatalf("%d engagements after the first seed, want %d", len(stored), n)
	}
	// What an older seed stored: two rows with their old sources (and, for
	// the PURL row, its old summary and so its old source_ref).
	byRow := map[string]*coalition.Engagement{}
	for _, e := range stored {
		byRow[e.Date.String()+"|"+e.Participants[0].ISO3] = e
	}
	old := []*coalition.Engagement{byRow["2025-08-15|USA"], byRow["2025-08-05|DNK"]}
	for i, e := range old {
		if e == nil {
			t.Fatal("bundled rows 2025-08-15 USA and 2025-08-05 DNK not seeded")
		}
		if err := s.DeleteEngagement(ctx, e.ID, e.Version); err != nil {
			t.Fatal(err)
		}
		o := *e
		o.ID, o.Version = 0, 0
		o.Source = "https://kureansiklopedi.com/en/detay/x ; https://example.org/old"
		if i == 1 {
			o.Summary += " (another report gives USD 585m)"
			o.SourceRef = "events.csv:0123456789ab"
		}
		if err := s.CreateEngagement(ctx, &o); err != nil {
			t.Fatal(err)
		}
		old[i] = &o
	}
	// A user edited the PURL row's old copy.
	outcome := "confirmed by the ministry"
	if _, err := s.UpdateEngagement(ctx, old[1].ID, coalition.EngagementUpdate{Version: 1, Outcomes: &outcome}); err != nil {
		t.Fatal(err)
	}
	dry, err := seed.Load(ctx, s, true)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := seed.Load(ctx, s, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []coalition.LoadReport{dry, rep} {
		if r.Updated["engagements"] != 1 || r.Created["engagements"] != 0 {
			t.Errorf("second seed (dry run first): engagements updated %d created %d, want 1 and 0", r.Updated["engagements"], r.Created["engagements"])
		}
	}
	after := allEngagements(t, s)
	if len(after) != n {
		t.Errorf("%d engagements after the second seed, want %d (no duplicates)", len(after), n)
	}
	for _, e := range after {
		switch e.Date.String() + "|" + e.Participants[0].ISO3 {
		case "2025-08-15|USA": // unedited: replaced by the graded row
			if e.ID == old[0].ID || strings.Contains(e.Source, "kureansiklopedi") {
				t.Errorf("the unedited old copy stayed: %d %q", e.ID, e.Source)
			}
		case "2025-08-05|DNK": // edited: kept as the user left it
			if e.ID != old[1].ID || e.Outcomes != outcome {
				t.Errorf("the edited old copy was not kept: %d %q", e.ID, e.Outcomes)
			}
		}
	}
	if rep, err := seed.Load(ctx, s, false); err != nil || rep.Updated["engagements"] != 0 || rep.Created["engagements"] != 0 {
		t.Errorf("third seed: %v, engagements updated %d created %d, want none", err, rep.Updated["engagements"], rep.Created["engagements"])
	}
}

func allEngagements(t *testing.T, s coalition.EngagementStore) []*coalition.Engagement {
	t.Helper()
	ctx := coalition.WithUser(context.Background(), coalition.System)
	var out []*coalition.Engagement
	f := coalition.EngagementFilter{Limit: 500}
	for {
		page, more, err := s.FindEngagements(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if !more || len(page) == 0 {
			return out
		}
		f.After = page[len(page)-1].ID
	}
}
