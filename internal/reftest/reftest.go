// Package reftest reads the bundled reference files for tests, with
// encoding/csv rather than the engine's own parsers, so that a test can
// compare what the engine made of a file with the file itself.
package reftest

import (
	"encoding/csv"
	"slices"
	"testing"

	"coalition/refdata"
)

// ElectionRows counts the dated rows of elections.csv of the given
// countries (nil: all) whose year is in years (none given: every year;
// every date form starts with the year).
func ElectionRows(t testing.TB, countries []string, years ...string) int {
	t.Helper()
	f, err := refdata.Open("elections.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs[1:] {
		if r[3] != "" && (countries == nil || slices.Contains(countries, r[0])) && (len(years) == 0 || slices.Contains(years, r[3][:4])) {
			n++
		}
	}
	return n
}
