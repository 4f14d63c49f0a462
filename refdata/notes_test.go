package refdata

import (
	"regexp"
	"strings"
	"testing"
)

// TestReadableNotes: the shorthand of countries.csv's notes never reaches a
// country's Source; each key and meeting code is spelled out.
func TestReadableNotes(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"gdp+pop=WB2023; def=NATO2025rpt 2024e; Kiel UST donor; cow=VIRT0315+PAR0904",
			"GDP and population: World Bank WDI 2023; defence spending: NATO report of 28 Aug 2025, 2024 estimate; a donor in the Kiel Institute's Ukraine Support Tracker; " +
				"coalition of the willing: attended the virtual leaders' meeting of 15 Mar 2025, the Paris summit of 4 Sep 2025"},
		{"gdp+pop=WB2023; def=SIPRI2024 (not NATO definition); cow=no sourced attendance",
			"GDP and population: World Bank WDI 2023; defence spending: SIPRI 2024 (not NATO definition); coalition of the willing: no sourced attendance"},
		{"cow=PAR0904+AUT via foreign minister", "coalition of the willing: attended the Paris summit of 4 Sep 2025 (represented by its foreign minister)"},
		{"cow=LDN0302+PAR0904+UKR=beneficiary/participant",
			"coalition of the willing: attended the London leaders' meeting of 2 Mar 2025, the Paris summit of 4 Sep 2025 (as beneficiary and participant)"},
	} {
		if got := readableNotes(tt.in); got != tt.want {
			t.Errorf("readableNotes(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestCountrySourcesReadable: no country or membership of the loaded
// dataset carries a raw note code (gdp+pop=, def=, cow=, a meeting code).
func TestCountrySourcesReadable(t *testing.T) {
	ds, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	raw := regexp.MustCompile(`gdp\+pop=|def=|cow=|[A-Z]+[0-9]{4}|WB2023|find_string`)
	for _, c := range ds.Countries {
		if m := raw.FindString(c.Source); m != "" {
			t.Errorf("%s: source has %q: %s", c.ISO3, m, c.Source)
		}
	}
	for _, co := range ds.Coalitions {
		for _, m := range co.Members {
			if raw.MatchString(m.Note) || m.Note != "" && !strings.HasPrefix(m.Note, "attended the ") {
				t.Errorf("%s %s: membership note %q", co.Code, m.ISO3, m.Note)
			}
		}
	}
	_, srcs, err := NATO2025e()
	if err != nil {
		t.Fatal(err)
	}
	for iso3, s := range srcs {
		if m := raw.FindString(s); m != "" {
			t.Errorf("NATO 2025e source of %s has %q: %s", iso3, m, s)
		}
	}
	if usa := srcs["USA"]; !strings.Contains(usa, "Defence Expenditure of NATO Countries (2014-2025)") || !strings.Contains(usa, "https://www.nato.int/") {
		t.Errorf("NATO 2025e source of USA %q: want the publication's name and its nato.int address", usa)
	}
}
