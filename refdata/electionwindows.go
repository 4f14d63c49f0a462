package refdata

import (
	"strconv"
	"sync"

	"coalition"
)

// ElectionWindowsFile gives year-only elections of elections.csv the window
// their constitution or electoral law allows (election_windows_sources.md).
const ElectionWindowsFile = "election_windows.csv"

// ElectionWindow is the legal window of one election that elections.csv
// dates by its year alone. Earliest is nil where the law sets no lower bound
// (a government may call the election at any time); EarlyPossible says that
// a dissolution can bring the election before Earliest.
type ElectionWindow struct {
	ISO3          string
	Election      string // as in elections.csv
	Year          int    // the year elections.csv gives
	Earliest      *coalition.Date
	Latest        coalition.Date
	EarlyPossible bool
	Grade         string // primary or press: the weakest source the window rests on
	Rule          string // how the window follows from the law, with the dates
	Source        string
}

var electionWindows struct {
	once sync.Once
	rows []ElectionWindow
	err  error
}

// ElectionWindows returns the bundled windows in file order, parsed once;
// a window that ends before it begins, or outside its year, is an error
// naming the line.
func ElectionWindows() ([]ElectionWindow, error) {
	electionWindows.once.Do(func() { electionWindows.rows, electionWindows.err = readElectionWindows() })
	return electionWindows.rows, electionWindows.err
}

// ElectionWindowOf returns the window of one election (ISO3, the election's
// name in elections.csv, its year), or nil when none is bundled.
func ElectionWindowOf(iso3, election string, year int) (*ElectionWindow, error) {
	all, err := ElectionWindows()
	if err != nil {
		return nil, err
	}
	for i := range all {
		if w := &all[i]; w.ISO3 == iso3 && w.Election == election && w.Year == year {
			return w, nil
		}
	}
	return nil, nil
}

func readElectionWindows() ([]ElectionWindow, error) {
	t, err := readTable(ElectionWindowsFile)
	if err != nil {
		return nil, err
	}
	out := make([]ElectionWindow, 0, len(t.rows))
	for i, row := range t.rows {
		w := ElectionWindow{ISO3: row["iso3"], Election: row["election"], Grade: row["grade"], Rule: row["rule"], Source: row["source"],
			EarlyPossible: row["early_possible"] == "yes"}
		if w.Year, err = strconv.Atoi(row["year"]); err != nil {
			return nil, t.errorf(i, "year", "%q is not a year", row["year"])
		}
		if w.Latest, err = coalition.ParseDate(row["latest"]); err != nil {
			return nil, t.errorf(i, "latest", "%v", err)
		}
		if s := row["earliest"]; s != "" {
			d, err := coalition.ParseDate(s)
			if err != nil {
				return nil, t.errorf(i, "earliest", "%v", err)
			}
			w.Earliest = &d
		}
		switch {
		case !iso3Pattern.MatchString(w.ISO3) || w.Election == "":
			return nil, t.errorf(i, "iso3", "a window needs the country and the election's name")
		case w.Latest.Y != w.Year:
			return nil, t.errorf(i, "latest", "%s is not in %d", w.Latest, w.Year)
		case w.Earliest != nil && (w.Earliest.After(w.Latest) || w.Earliest.Y != w.Year):
			return nil, t.errorf(i, "earliest", "%s is after %s or not in %d", *w.Earliest, w.Latest, w.Year)
		case w.Rule == "" || w.Source == "" || (w.Grade != "primary" && w.Grade != "press"):
			return nil, t.errorf(i, "source", "a window needs its rule, its source and a grade (primary or press)")
		case row["early_possible"] != "yes" && row["early_possible"] != "no":
			return nil, t.errorf(i, "early_possible", "%q: want yes or no", row["early_possible"])
		}
		out = append(out, w)
	}
	return out, nil
}
