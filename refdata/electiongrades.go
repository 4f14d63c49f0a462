package refdata

import "sync"

// ElectionGradesFile grades the sources of every row of elections.csv
// (elections_grades_sources in election_windows_sources.md).
const ElectionGradesFile = "elections_grades.csv"

// Source grades (issue 15 §4): a row rests on a primary source (a
// government, parliament, electoral commission or the law's text), on
// reputable press, or on nothing better than wikis, blogs, forums and
// search-result pages, and is then unverified.
const (
	GradePrimary    = "primary"
	GradePress      = "press"
	GradeUnverified = "unverified"
	// GradeSecondary is between press and unverified: an outlet that is
	// not a blog but not reputable press either, or a transcription whose
	// figures agree with the publisher's elsewhere (officeholders.csv,
	// nato_defence_2025e.csv): better than nothing, not the publisher.
	GradeSecondary = "secondary"
)

// ElectionGrade is the grade of one elections.csv row: the best of its
// sources, named by GradedBy (a host, or election_windows.csv where the
// legal window supplies a better source than the row's own).
type ElectionGrade struct {
	ISO3, Election, Date string // the row's key in elections.csv
	Grade                string
	GradedBy             string
}

var electionGrades struct {
	once sync.Once
	rows []ElectionGrade
	err  error
}

// ElectionGrades returns the grade of every elections.csv row, in that
// file's order, parsed once.
func ElectionGrades() ([]ElectionGrade, error) {
	electionGrades.once.Do(func() { electionGrades.rows, electionGrades.err = readElectionGrades() })
	return electionGrades.rows, electionGrades.err
}

func readElectionGrades() ([]ElectionGrade, error) {
	t, err := readTable(ElectionGradesFile)
	if err != nil {
		return nil, err
	}
	out := make([]ElectionGrade, 0, len(t.rows))
	for i, row := range t.rows {
		g := ElectionGrade{ISO3: row["iso3"], Election: row["election"], Date: row["date"], Grade: row["grade"], GradedBy: row["graded_by"]}
		if g.Grade != GradePrimary && g.Grade != GradePress && g.Grade != GradeUnverified {
			return nil, t.errorf(i, "grade", "%q is not primary, press or unverified", g.Grade)
		}
		out = append(out, g)
	}
	return out, nil
}
