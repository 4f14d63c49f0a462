package refdata_test

import (
	"encoding/csv"
	"testing"

	"coalition/refdata"
)

// Every row of elections.csv has exactly one grade, and the USA rows, once
// resting on a blog and a forum, now rest on the U.S. Code.
func TestElectionGradesCoverEveryRow(t *testing.T) {
	grades, err := refdata.ElectionGrades()
	if err != nil {
		t.Fatal(err)
	}
	f, err := refdata.Open("elections.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(grades) != len(rows)-1 {
		t.Fatalf("%d grades for %d rows", len(grades), len(rows)-1)
	}
	n := map[string]int{}
	for i, r := range rows[1:] {
		g := grades[i]
		if g.ISO3 != r[0] || g.Election != r[2] || g.Date != r[3] {
			t.Errorf("row %d: grade for %s %q %s, row is %s %q %s", i+2, g.ISO3, g.Election, g.Date, r[0], r[2], r[3])
		}
		n[g.Grade]++
	}
	// The counts elections_sources.md reports (§7; 6, 37, 16 before the
	// wikis, forums and content farms were replaced).
	if n[refdata.GradePrimary] != 17 || n[refdata.GradePress] != 37 || n[refdata.GradeUnverified] != 5 {
		t.Errorf("grades %v, want 17 primary, 37 press, 5 unverified", n)
	}
	for _, g := range grades {
		if g.ISO3 == "USA" && (g.Grade != refdata.GradePrimary || g.GradedBy != "govinfo.gov") {
			t.Errorf("USA %s graded %s by %s, want primary by the U.S. Code on govinfo.gov", g.Election, g.Grade, g.GradedBy)
		}
		if g.ISO3 == "DEU" && g.Date == "2029" && (g.Grade != refdata.GradePrimary || g.GradedBy != refdata.ElectionWindowsFile) {
			t.Errorf("DEU 2029 graded %s by %s, want primary by the Basic Law's window", g.Grade, g.GradedBy)
		}
	}
}
