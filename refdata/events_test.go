package refdata_test

import (
	"strings"
	"testing"

	"coalition"
	"coalition/refdata"
)

// TestEventGrades: every row of events.csv has a grade (issue 15 §4); a row
// graded above unverified cites no weak or denied source and does not say
// UNVERIFIED; an unverified row says so in its source, so the mark reaches
// the stored engagement and every page and answer that shows it.
func TestEventGrades(t *testing.T) {
	rows, lines := csvRows(t, "events.csv")
	if len(rows) == 0 {
		t.Fatal("events.csv has no rows")
	}
	for i, r := range rows {
		if err := refdata.CheckGrade(r["grade"], r["source"]); err != nil {
			t.Errorf("events.csv:%d (%s %s): grade: %v", lines[i], r["date"], r["actor_iso3"], err)
		}
		// A hedge between sources ("another report gives …") is settled by the
		// best source or the row says what the best source says.
		for _, hedge := range []string{"another report", "one report"} {
			if strings.Contains(r["summary"], hedge) {
				t.Errorf("events.csv:%d (%s %s): the summary hedges (%q): say what the best source says", lines[i], r["date"], r["actor_iso3"], hedge)
			}
		}
	}
}

// TestEventGradeShares: the rows and shares per grade stated in
// events_sources.md are those of events.csv.
func TestEventGradeShares(t *testing.T) {
	checkGradeShares(t, "events.csv", "events_sources.md")
}

// TestEventSourcesCarryGrade: the loaded engagements keep the row's source
// text, so an unverified row's UNVERIFIED reaches the store, and a graded
// row's does not say it.
func TestEventSourcesCarryGrade(t *testing.T) {
	ds, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := csvRows(t, "events.csv")
	if len(ds.Engagements) != len(rows) {
		t.Fatalf("%d engagements loaded from %d rows", len(ds.Engagements), len(rows))
	}
	for i, e := range ds.Engagements {
		unverified := rows[i]["grade"] == refdata.GradeUnverified
		if e.SourceUnverified() != unverified {
			t.Errorf("%s %s: graded %s but SourceUnverified() = %v", e.Date, e.Participants[0].ISO3, rows[i]["grade"], e.SourceUnverified())
		}
	}
}

// The mark refdata writes is the one the domain reads.
func TestUnverifiedMarkShared(t *testing.T) {
	if refdata.UnverifiedMark != coalition.UnverifiedMark {
		t.Errorf("refdata.UnverifiedMark %q, coalition.UnverifiedMark %q", refdata.UnverifiedMark, coalition.UnverifiedMark)
	}
}
