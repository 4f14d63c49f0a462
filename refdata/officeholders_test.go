package refdata_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"testing"

	"coalition/refdata"
)

// officeholderRows reads officeholders.csv as header-keyed rows with their
// line numbers.
func officeholderRows(t *testing.T) ([]map[string]string, []int) {
	t.Helper()
	return csvRows(t, "officeholders.csv")
}

// csvRows reads a bundled CSV as header-keyed rows with their line numbers.
func csvRows(t *testing.T, name string) ([]map[string]string, []int) {
	t.Helper()
	f, err := refdata.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, lines
		}
		if err != nil {
			t.Fatal(err)
		}
		line, _ := r.FieldPos(0)
		m := map[string]string{}
		for i, h := range head {
			m[h] = rec[i]
		}
		rows = append(rows, m)
		lines = append(lines, line)
	}
}

// TestOfficeholderGrades: every row of officeholders.csv has a grade
// (issue 15 §4); a row graded above unverified cites no weak or denied
// source and does not say UNVERIFIED; an unverified row says so in its
// source, so the mark reaches the store and the ingestion's role labels.
func TestOfficeholderGrades(t *testing.T) {
	rows, lines := officeholderRows(t)
	if len(rows) == 0 {
		t.Fatal("officeholders.csv has no rows")
	}
	for i, r := range rows {
		if err := refdata.CheckGrade(r["grade"], r["source"]); err != nil {
			t.Errorf("officeholders.csv:%d (%s, %s %s): grade: %v", lines[i], r["name"], r["iso3"], r["office"], err)
		}
	}
}

func TestCheckGrade(t *testing.T) {
	tests := []struct {
		grade, source string
		ok            bool
	}{
		{"primary", "https://www.gov.pl/web/primeminister/x", true},
		{"press", "https://www.reuters.com/world/x", true},
		{"secondary", "https://www.hurriyetdailynews.com/x", true},
		{"unverified", "UNVERIFIED (compiler knowledge)", true},
		{"unverified", "https://tass.com/world/1", false},     // an unverified row must say so
		{"press", "https://tass.com/world/1", false},          // state propaganda is not press
		{"primary", "https://en.wikipedia.org/wiki/X", false}, // denied
		{"press", "https://github.com/x/y (Wikidata-derived)", false},
		{"primary", "start UNVERIFIED; end https://gov.pl/x", false}, // the weakest date decides
		{"official", "https://gov.pl/x", false},
		{"", "https://gov.pl/x", false},
	}
	for _, tt := range tests {
		if err := refdata.CheckGrade(tt.grade, tt.source); (err == nil) != tt.ok {
			t.Errorf("CheckGrade(%q, %q) = %v, want ok %v", tt.grade, tt.source, err, tt.ok)
		}
	}
}

// gradeLine is a row of the grade table in officeholders_sources.md:
// "| primary | 13 | 3.7% |".
var gradeLine = regexp.MustCompile(`(?m)^\| (primary|press|secondary|unverified) \| (\d+) \| (\d+\.\d)% \|`)

// TestOfficeholderGradeShares: the rows and shares per grade stated in
// officeholders_sources.md are those of the file.
func TestOfficeholderGradeShares(t *testing.T) {
	checkGradeShares(t, "officeholders.csv", "officeholders_sources.md")
}

// checkGradeShares checks the grade table of a sources note ("| primary |
// 13 | 3.7% |", one line per grade) against the grades of a bundled CSV.
func checkGradeShares(t *testing.T, csvName, mdName string) {
	t.Helper()
	rows, _ := csvRows(t, csvName)
	count := map[string]int{}
	for _, r := range rows {
		count[r["grade"]]++
	}
	f, err := refdata.Open(mdName)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	md, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range gradeLine.FindAllStringSubmatch(string(md), -1) {
		g, n := m[1], m[2]
		if seen[g] {
			t.Errorf("%s has two lines for %s in its grade table", mdName, g)
		}
		seen[g] = true
		if want := strconv.Itoa(count[g]); n != want {
			t.Errorf("%s says %s rows are %s, %s has %s", mdName, g, n, csvName, want)
		}
		if want := fmt.Sprintf("%.1f", 100*float64(count[g])/float64(len(rows))); m[3] != want {
			t.Errorf("%s says %s is %s%% of rows, %s has %s%%", mdName, g, m[3], csvName, want)
		}
	}
	for _, g := range []string{"primary", "press", "secondary", "unverified"} {
		if !seen[g] {
			t.Errorf("%s has no line \"| %s | n | p%% |\" in its grade table", mdName, g)
		}
	}
}

// TestOfficeholdersCopyIdentical: text ingestion's knowledge base holds
// the same office-holders as refdata (the seed loads refdata's copy into
// the store, the ingestion reads its own when the store has none).
func TestOfficeholdersCopyIdentical(t *testing.T) {
	f, err := refdata.Open("officeholders.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ours, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := os.ReadFile("../ingest/kb/officeholders.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ours, theirs) {
		t.Errorf("refdata/data/officeholders.csv and ingest/kb/officeholders.csv differ: copy one onto the other")
	}
}
