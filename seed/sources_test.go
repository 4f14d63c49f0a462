package seed

import (
	"strings"
	"testing"

	"coalition/refdata"
)

// Issue 15 §4: a seeded election risk event shows the grade of its
// calendar row in its source (the marker for unverified rows, "press: " for
// press), and no source cites a wiki, a mirror, a forum, a search page or a
// content farm. The CLI, API and pages show the stored source, so this one
// check covers them all.
func TestElectionEventsCarryTheirGrade(t *testing.T) {
	evs, err := ElectionEvents()
	if err != nil {
		t.Fatal(err)
	}
	grades, err := refdata.ElectionGrades()
	if err != nil {
		t.Fatal(err)
	}
	byRow := map[string]string{}
	for _, g := range grades {
		byRow[gradeKey(g.ISO3, g.Election, g.Date)] = g.Grade
	}
	rows := calendarRows(t)
	if len(rows) != len(evs) {
		t.Fatalf("%d events from %d dated rows", len(evs), len(rows))
	}
	n := map[string]int{}
	for i, e := range evs {
		r := rows[i]
		grade, ok := byRow[gradeKey(r[0], r[2], r[3])]
		if !ok {
			t.Errorf("%s %q %s: no grade in %s", r[0], r[2], r[3], refdata.ElectionGradesFile)
		}
		n[grade]++
		t.Run(r[0]+" "+r[3], func(t *testing.T) {
			marked := strings.HasPrefix(e.Source, UnverifiedMarker)
			if got, want := marked, grade == refdata.GradeUnverified; got != want {
				t.Errorf("grade %s: source %q marked unverified = %v, want %v", grade, e.Source, got, want)
			}
			if got, want := strings.HasPrefix(e.Source, "press: "), grade == refdata.GradePress; got != want {
				t.Errorf("grade %s: source %q names press = %v, want %v", grade, e.Source, got, want)
			}
			if d := refdata.DeniedSource(e.Source); d != "" {
				t.Errorf("source %q cites %q, which is on the deny-list", e.Source, d)
			}
		})
	}
	if n[refdata.GradeUnverified] == 0 {
		t.Log("no unverified row left in the calendar")
	}
}

func TestGradedSource(t *testing.T) {
	tests := []struct{ grade, want string }{
		{refdata.GradePrimary, "https://example.gov/x"},
		{refdata.GradePress, "press: https://example.gov/x"},
		{refdata.GradeUnverified, "UNVERIFIED — https://example.gov/x"},
		{"", "UNVERIFIED — https://example.gov/x"}, // no grade is no verification
	}
	for _, tt := range tests {
		if got := gradedSource(tt.grade, "https://example.gov/x"); got != tt.want {
			t.Errorf("gradedSource(%q) = %q, want %q", tt.grade, got, tt.want)
		}
	}
}
