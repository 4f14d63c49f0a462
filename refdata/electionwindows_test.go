package refdata_test

import (
	"encoding/csv"
	"strconv"
	"testing"

	"coalition"
	"coalition/refdata"
)

// Every bundled window belongs to an election that elections.csv dates by
// its year alone, and the windows follow from their rules.
func TestElectionWindows(t *testing.T) {
	ws, err := refdata.ElectionWindows()
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
	yearOnly := map[[3]string]bool{}
	for _, r := range rows[1:] { // iso3,country,election,date,…
		if len(r[3]) == 4 {
			yearOnly[[3]string{r[0], r[2], r[3]}] = true
		}
	}
	for _, w := range ws {
		t.Run(w.ISO3+" "+w.Election, func(t *testing.T) {
			if !yearOnly[[3]string{w.ISO3, w.Election, strconv.Itoa(w.Year)}] {
				t.Errorf("no year-only row %s %q %d in elections.csv", w.ISO3, w.Election, w.Year)
			}
		})
	}
	// The windows worked out from the law (see election_windows.csv).
	date := func(s string) coalition.Date {
		d, err := coalition.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		iso, election    string
		year             int
		earliest, latest string
		sunday           bool // the earliest day is the first Sunday the law allows
	}{
		// Basic Law Art. 39: 46–48 months after 25 Mar 2025, on a Sunday.
		{"DEU", "Federal election (Bundestag)", 2029, "2029-01-28", "2029-03-25", true},
		// LO 121/122: the 60 days before the third Tuesday of June 2029
		// (the rule on polling days was not read, so the bounds stay legal).
		{"FRA", "Legislative (National Assembly)", 2029, "2029-04-20", "2029-06-19", false},
		// Art. 60/61: 70 days after 13 Oct 2027; no legal earliest.
		{"ITA", "General election (Chamber and Senate)", 2027, "", "2027-12-22", false},
		{"GBR", "General election (House of Commons)", 2029, "", "2029-08-15", false},
		{"POL", "Parliamentary election (Sejm and Senate)", 2027, "2027-10-17", "2027-11-11", true},
	} {
		w, err := refdata.ElectionWindowOf(c.iso, c.election, c.year)
		if err != nil || w == nil {
			t.Fatalf("%s %s: %v %v", c.iso, c.election, w, err)
		}
		if w.Latest != date(c.latest) || (c.earliest == "") != (w.Earliest == nil) || (w.Earliest != nil && *w.Earliest != date(c.earliest)) {
			t.Errorf("%s window %v..%s, want %q..%s", c.iso, w.Earliest, w.Latest, c.earliest, c.latest)
		}
		if !w.EarlyPossible || w.Source == "" || w.Rule == "" {
			t.Errorf("%s: early possible %v, source %q", c.iso, w.EarlyPossible, w.Source)
		}
		if c.sunday && date(c.earliest).Time().Weekday() != 0 {
			t.Errorf("%s earliest %s is not a Sunday", c.iso, c.earliest)
		}
	}
	if w, err := refdata.ElectionWindowOf("NLD", "none", 2029); w != nil || err != nil {
		t.Errorf("unknown election: %v %v", w, err)
	}
}
