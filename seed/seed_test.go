package seed

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"coalition"
	"coalition/internal/reftest"
	"coalition/refdata"
	"coalition/sqlstore"
)

// calendarRows reads elections.csv independently of risk.CalendarEvents:
// the rows that have a date.
func calendarRows(t *testing.T) [][]string {
	t.Helper()
	recs := reftest.Refdata(t, ElectionsFile)
	var out [][]string
	for _, r := range recs[1:] {
		if r[3] != "" {
			out = append(out, r)
		}
	}
	return out
}

func TestElectionEvents(t *testing.T) {
	rows := calendarRows(t)
	evs, err := ElectionEvents()
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != len(rows) || len(rows) < 50 {
		t.Fatalf("%d events from %d dated rows of %s, want one per row (and the calendar has at least 50)", len(evs), len(rows), ElectionsFile)
	}
	for i, e := range evs {
		r := rows[i] // same file order
		eq(t, fmt.Sprintf("event %d iso3", i), e.ISO3, r[0])
		eq(t, fmt.Sprintf("event %d kind", i), e.Kind, "election")
		held := strings.Contains(e.Label, " — outcome: ")
		if !strings.HasSuffix(e.Source, r[7]) && !(held && strings.Contains(e.Source, r[7]+" ; outcome: ")) {
			t.Errorf("event %d source %q, want it to end with the row's %q", i, e.Source, r[7])
		}
		if !strings.Contains(e.Label, r[2]) {
			t.Errorf("event %d label %q, want it to name %q", i, e.Label, r[2])
		}
		// The stored date keeps the calendar's precision: the day, the month,
		// or a year alone as a window that ends at the date (never June 1st).
		want := r[3]
		switch len(r[3]) {
		case 7:
			want += "-01"
		case 4:
			if e.Earliest == nil || e.Latest == nil || e.Latest.Y != e.Date.Y || e.Earliest.Y != e.Date.Y {
				t.Errorf("%s %s: window %v..%v, want one inside %s", e.ISO3, r[2], e.Earliest, e.Latest, r[3])
				continue
			}
			want = e.Latest.String()
		}
		if len(r[3]) != 4 && e.Earliest != nil {
			t.Errorf("%s %s: window %v..%v on a dated row", e.ISO3, r[2], *e.Earliest, *e.Latest)
		}
		if e.Date.String() != want {
			t.Errorf("%s %s: date %s, want %s (from %q)", e.ISO3, r[2], e.Date, want, r[3])
		}
		if err := e.Validate(); err != nil {
			t.Errorf("%s %s: %v", e.ISO3, r[2], err)
		}
		if held {
			if !strings.HasPrefix(e.Assumption, "Held; outcome from its source") {
				t.Errorf("%s: assumption %q of a held election does not give its outcome", e.ISO3, e.Assumption)
			}
		} else if !strings.Contains(e.Assumption, "User assumption") || !strings.Contains(e.Assumption, "the default for") || !strings.Contains(e.Assumption, "edit both") {
			t.Errorf("%s: assumption %q does not say it is an editable default", e.ISO3, e.Assumption)
		}
		// People read it on the risk page: no Go names or file names.
		for _, internal := range []string{"risk.", "DefaultAssumptions", ".csv", ".md"} {
			if strings.Contains(e.Assumption, internal) {
				t.Errorf("%s: assumption %q shows the internal name %q", e.ISO3, e.Assumption, internal)
			}
		}
	}
	// Spot checks by the documented rule: the USA midterm is "partial"
	// (0.30, 0.90), FRA's presidential 0.25, 0.75.
	want := map[string][2]float64{"USA 2026-11-03": {0.30, 0.90}, "FRA 2027-04-18": {0.25, 0.75}, "ITA 2027-12-22": {0.30, 0.70}}
	for _, e := range evs {
		if w, ok := want[e.ISO3+" "+e.Date.String()]; ok {
			if e.Probability != w[0] || e.Factor != w[1] {
				t.Errorf("%s %s: probability %v factor %v, want %v", e.ISO3, e.Date, e.Probability, e.Factor, w)
			}
			delete(want, e.ISO3+" "+e.Date.String())
		}
	}
	if len(want) != 0 {
		t.Errorf("events not found: %v", want)
	}
}

// TestElectionWindows: year-only elections take their legal window from
// election_windows.csv where it is bundled (DEU 2029-01-28..2029-03-25;
// GBR by 2029-08-15 with no legal earliest), else the whole year, flagged
// as date unknown (TUR 2028).
func TestElectionWindows(t *testing.T) {
	evs, err := ElectionEvents()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		earliest, latest string
		unknown          bool
	}{
		"DEU 2029": {"2029-01-28", "2029-03-25", false},
		"GBR 2029": {"2029-01-01", "2029-08-15", false},
		"TUR 2028": {"2028-01-01", "2028-12-31", true},
	}
	for _, e := range evs {
		k := fmt.Sprintf("%s %d", e.ISO3, e.Date.Y)
		w, ok := want[k]
		if !ok || e.Earliest == nil {
			continue
		}
		eq(t, k+" earliest", e.Earliest.String(), w.earliest)
		eq(t, k+" latest", e.Latest.String(), w.latest)
		eq(t, k+" date unknown", e.DateUnknown, w.unknown)
		if strings.Contains(e.Assumption, "06-01") {
			t.Errorf("%s: assumption still names a June placeholder: %q", k, e.Assumption)
		}
		delete(want, k)
	}
	if len(want) != 0 {
		t.Errorf("no windowed event for %v", want)
	}
}

// TestLoadKeepsEdits: a second seed changes nothing, and a user's edit of an
// election's probability survives it.
func TestLoadKeepsEdits(t *testing.T) {
	ctx := coalition.WithUser(context.Background(), coalition.System)
	s, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "seed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := Load(ctx, s, false)
	if err != nil {
		t.Fatal(err)
	}
	rows := calendarRows(t)
	// The calendar's dated rows and the 8 rows of political_risks.csv.
	if rep.Created["risk_events"] != len(rows)+8 {
		t.Fatalf("first seed created %d risk events, want %d (dated rows of %s and 8 political risks)", rep.Created["risk_events"], len(rows)+8, ElectionsFile)
	}
	usa, err := s.FindRiskEvents(ctx, coalition.RiskEventFilter{ISO3: "USA"})
	if err != nil || len(usa) != 4 {
		t.Fatalf("USA events = %v, %v; want 4 (2 elections, 2 budget deadlines)", usa, err)
	}
	p := 0.9
	if _, err := s.UpdateRiskEvent(ctx, usa[0].ID, coalition.RiskEventUpdate{Version: usa[0].Version, Probability: &p}); err != nil {
		t.Fatal(err)
	}
	rep, err = Load(ctx, s, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Changed() || rep.Unchanged["risk_events"] != len(rows)+8 {
		t.Errorf("second seed: %+v, want no change and %d risk events unchanged", rep, len(rows)+8)
	}
	again, err := s.FindRiskEvents(ctx, coalition.RiskEventFilter{ISO3: "USA"})
	if err != nil || len(again) != 4 || again[0].Probability != p {
		t.Errorf("after the second seed USA events = %+v, %v; want 4 with the edited probability %v first", again, err, p)
	}
}

// The bundled Kiel file goes through the importer's release path: its
// content says data to April 2026, it is release 29 with the reference
// citation, and every pledge belongs to it.
func TestKielRelease(t *testing.T) {
	rel, ps, err := KielRelease()
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "release dataset", rel.Dataset, "kiel")
	eq(t, "release name", rel.Name, "29")
	eq(t, "release as of", rel.AsOf, refdata.KielAsOf)
	eq(t, "release source", rel.Source, refdata.KielSource)
	eq(t, "release records", rel.Records, coalition.ReleasePledges)
	if len(ps) != 1450 {
		t.Fatalf("%d pledges, want 1450", len(ps))
	}
	for _, p := range ps {
		eq(t, p.SourceRef+" dataset", p.Dataset, "kiel")
		eq(t, p.SourceRef+" release", p.Release, "29")
		eq(t, p.SourceRef+" source", p.Source, refdata.KielSource)
		eq(t, p.SourceRef+" as of", p.AsOf, refdata.KielAsOf)
		if t.Failed() {
			t.FailNow() // one pledge shows it; 1450 would bury it
		}
	}
	ds, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range ds.Releases {
		names = append(names, r.Dataset+" "+r.Name)
	}
	if got := strings.Join(names, ", "); got != "kiel 29, ecb-fx data to 2026-06, ecb-fx-history data to 2021-12, worldbank 2023, nato 2025" {
		t.Fatalf("releases = %s", got)
	}
}

// eq checks one fact: what names it in the failure.
func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
