// Package reftest reads the bundled reference files and the tests' CSV
// files with encoding/csv rather than the engine's own parsers, so that a
// test can compare what the engine made of a file with the file itself.
package reftest

import (
	"encoding/csv"
	"io"
	"os"
	"slices"
	"testing"

	"coalition/refdata"
)

// Refdata returns the records of the bundled reference file name (its
// header first).
func Refdata(t testing.TB, name string) [][]string {
	t.Helper()
	return records(t, name, func() (io.ReadCloser, error) { return refdata.Open(name) })
}

// File returns the records of the CSV file path (its header first).
func File(t testing.TB, path string) [][]string {
	t.Helper()
	return records(t, path, func() (io.ReadCloser, error) { return os.Open(path) })
}

func records(t testing.TB, name string, open func() (io.ReadCloser, error)) [][]string {
	t.Helper()
	f, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: no header", name)
	}
	return recs
}

// ElectionRows counts the dated rows of elections.csv of the given
// countries (nil: all) whose year is in years (none given: every year;
// every date form starts with the year).
func ElectionRows(t testing.TB, countries []string, years ...string) int {
	t.Helper()
	n := 0
	for _, r := range Refdata(t, "elections.csv")[1:] {
		if r[3] != "" && (countries == nil || slices.Contains(countries, r[0])) && (len(years) == 0 || slices.Contains(years, r[3][:4])) {
			n++
		}
	}
	return n
}
