package report_test

import (
	"context"
	"strings"
	"testing"

	"coalition"
	"coalition/analysis/risk"
	"coalition/report"
)

// TestRiskModelHeldEvents: the run's as-of is the data's date (never a
// risk event's), and events dated on or before it are held: probability 0
// or 1, no draw; an unrecorded outcome is modelled as without effect and
// said in the notes.
func TestRiskModelHeldEvents(t *testing.T) {
	s := seededWithElections(t)
	start, _ := coalition.ParseMonth("2026-01")
	in, err := report.RiskModel(context.Background(), s, "COW2025", start, 36, report.RiskOptions{Trials: 2000})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "as of", in.AsOf.String(), "2026-04-30") // the Kiel release's last data, not an election ahead
	for _, src := range in.Sources {
		if d, err := coalition.ParseDate(src.AsOf); err == nil && d.After(in.AsOf) {
			t.Errorf("source %q as of %s, after the run's as-of %s", src.Figure, d, in.AsOf)
		}
	}
	held := 0
	for _, m := range in.Model.Members {
		for _, e := range m.Events {
			if e.Month > in.AsOf.Month() || (e.Latest != nil && *e.Latest > in.AsOf.Month()) {
				continue
			}
			held++
			if e.Probability != 0 && e.Probability != 1 {
				t.Errorf("%s %s: held event with probability %v, want 0 or 1 (no draw)", m.ISO3, e.Label, e.Probability)
			}
			if !strings.Contains(e.Label, "(held)") {
				t.Errorf("%s %q: held event not labelled held", m.ISO3, e.Label)
			}
		}
	}
	if held == 0 {
		t.Fatalf("no held event in 2026-01..2026-04 (HUN 2026-04-12, DNK 2026-03-24 are in the calendar)")
	}
	if !hasNote(in.Notes, "Held before the data's as-of 2026-04-30") || !hasNote(in.Notes, "outcome not recorded") {
		t.Errorf("notes %q do not list the held events and their unrecorded outcome", in.Notes)
	}
	// no randomness: a run with a held event of probability 0 or 1 has the
	// same p_event in every seed for its member
	for _, seed := range []uint64{1, 2} {
		m := in.Model
		m.Seed = seed
		res, err := risk.Run(context.Background(), m, risk.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, ms := range res.Members {
			if ms.ISO3 == "HUN" && ms.PEvent != 0 {
				t.Errorf("seed %d: HUN p_event %v, want 0 (its only event is held, outcome not recorded)", seed, ms.PEvent)
			}
		}
	}
}

// TestRiskModelWindows: year-only elections come with their window, drawn
// in the model: Germany's 2029 election inside 2029-01..2029-03, Türkiye's
// 2028 election within the year and flagged as date unknown.
func TestRiskModelWindows(t *testing.T) {
	s := seededWithElections(t)
	start, _ := coalition.ParseMonth("2027-01")
	in, err := report.RiskModel(context.Background(), s, "COW2025", start, 36, report.RiskOptions{Trials: 2000})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		lo, hi  string
		unknown bool
	}{"DEU": {"2029-01", "2029-03", false}, "TUR": {"2028-01", "2028-12", true}}
	for _, m := range in.Model.Members {
		w, ok := want[m.ISO3]
		if !ok {
			continue
		}
		found := false
		for _, e := range m.Events {
			if e.Earliest == nil || e.Earliest.String()[:4] != w.lo[:4] {
				continue
			}
			found = true
			eq(t, m.ISO3+" earliest", e.Earliest.String(), w.lo)
			eq(t, m.ISO3+" latest", e.Latest.String(), w.hi)
			eq(t, m.ISO3+" date unknown", e.DateUnknown, w.unknown)
		}
		if !found {
			t.Errorf("%s: no windowed event in %+v", m.ISO3, m.Events)
		}
		delete(want, m.ISO3)
	}
	if len(want) != 0 {
		t.Errorf("members missing: %v", want)
	}
	if !hasNote(in.Notes, "Date unknown (only the year is sourced") {
		t.Errorf("notes %q do not list the events whose date is unknown", in.Notes)
	}
}

func hasNote(notes []string, prefix string) bool {
	for _, n := range notes {
		if strings.Contains(n, prefix) {
			return true
		}
	}
	return false
}
