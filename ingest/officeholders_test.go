package ingest

import (
	"fmt"
	"testing"
	"time"

	"coalition"
	"coalition/internal/check"
)

// TestRolesOnDates checks the role the knowledge base gives a person on a
// text's date, worked out by hand from the terms in kb/officeholders.csv
// and their sources (issue 20): the office held that day, "former X" for
// the office left last, nothing before the first term.
func TestRolesOnDates(t *testing.T) {
	kb, err := DefaultKB()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, date, role, country string }{
		{"Jens Stoltenberg", "2024-06-01", "Secretary General", "NATO"},
		{"Jens Stoltenberg", "2024-12-01", "former Secretary General", "NATO"},
		{"Jens Stoltenberg", "2025-02-04", "Finance Minister", "NOR"},
		{"Jens Stoltenberg", "2026-05-20", "Finance Minister", "NOR"},
		{"Rishi Sunak", "2022-03-23", "Chancellor of the Exchequer", "GBR"},
		{"Rishi Sunak", "2022-08-01", "former Chancellor of the Exchequer", "GBR"},
		{"Rishi Sunak", "2023-06-01", "Prime Minister", "GBR"},
		{"Nadhim Zahawi", "2022-08-01", "Chancellor of the Exchequer", "GBR"},
		{"Kwasi Kwarteng", "2022-09-23", "Chancellor of the Exchequer", "GBR"},
		{"Jeremy Hunt", "2022-10-13", "", "GBR"},
		{"Jeremy Hunt", "2023-11-22", "Chancellor of the Exchequer", "GBR"},
		{"Jeremy Hunt", "2024-07-05", "former Chancellor of the Exchequer", "GBR"},
		{"Rachel Reeves", "2025-11-26", "Chancellor of the Exchequer", "GBR"},
		{"Bruno Le Maire", "2023-01-10", "Finance Minister", "FRA"},
		{"Bruno Le Maire", "2025-01-10", "former Finance Minister", "FRA"},
		{"Bruno Le Maire", "2025-10-08", "Defence Minister", "FRA"},
		{"Bruno Le Maire", "2026-01-10", "former Defence Minister", "FRA"},
		{"Éric Lombard", "2025-05-01", "Finance Minister", "FRA"},
		{"Roland Lescure", "2025-10-13", "Finance Minister", "FRA"},
		{"Sigrid Kaag", "2023-05-01", "Finance Minister", "NLD"},
		{"Eelco Heinen", "2026-03-01", "Finance Minister", "NLD"},
		{"Elisabeth Svantesson", "2022-10-17", "", "SWE"},
		{"Mikael Damberg", "2022-06-01", "Finance Minister", "SWE"},
		{"Dominic LeBlanc", "2025-01-15", "Finance Minister", "CAN"},
		{"François-Philippe Champagne", "2025-11-04", "Finance Minister", "CAN"},
		{"Chrystia Freeland", "2025-01-15", "former Finance Minister", "CAN"},
		{"Andrzej Domański", "2024-05-01", "Finance Minister", "POL"},
		{"Giancarlo Giorgetti", "2023-04-01", "Finance Minister", "ITA"},
		{"Shunichi Suzuki", "2023-05-13", "Finance Minister", "JPN"},
		{"Satsuki Katayama", "2025-10-20", "", "JPN"},
		{"Satsuki Katayama", "2025-11-01", "Finance Minister", "JPN"},
		{"Lars Klingbeil", "2025-06-01", "Finance Minister", "DEU"},
		{"Kaja Kallas", "2025-03-01", "High Representative for Foreign Affairs and Security Policy", "EUI"},
	}
	var facts []check.Fact
	for _, c := range cases {
		p := personNamed(kb, c.name)
		if p == nil {
			t.Errorf("%s is not in the knowledge base", c.name)
			continue
		}
		role, country, _ := p.Role(mustDate(t, c.date))
		facts = append(facts,
			check.Eq(c.name+" on "+c.date+": role", role, c.role),
			check.Eq(c.name+" on "+c.date+": country", country, c.country))
	}
	check.Facts(t, facts...)
}

// TestOfficeholdersComplete checks that the knowledge base names a holder
// of each office the issue asks for (head of government, foreign, defence
// and finance minister of the largest donors; the Commission's president
// and the High Representative) on the first day of every month from
// January 2022 to December 2026, apart from the vacancies and unfound
// interims listed here with their reason.
func TestOfficeholdersComplete(t *testing.T) {
	kb, err := DefaultKB()
	if err != nil {
		t.Fatal(err)
	}
	groups := []string{"head-of-government", "foreign", "defence", "finance"}
	donors := []string{"USA", "GBR", "DEU", "FRA", "NLD", "NOR", "DNK", "SWE", "CAN", "POL", "ITA", "JPN"}
	// Known holes, by "country group first-day-of-month": the post was
	// vacant or held ad interim by someone not in the table.
	known := map[string]string{
		"POL finance 2022-03-01": "vacant: Kościński left 2022-02-09, the prime minister held the ministry until Rzeczkowska",
		"POL finance 2022-04-01": "vacant: as above",
	}
	var facts []check.Fact
	for _, c := range append(donors, "EUI") {
		gs := groups
		if c == "EUI" {
			gs = []string{"commission-president", "high-representative"}
		}
		for _, g := range gs {
			for m := coalition.MonthOf(2022, time.January); m.Year() < 2027; m = coalition.MonthOf(m.Year(), m.MonthOfYear()+1) {
				d := m.FirstDay()
				key := fmt.Sprintf("%s %s %s", c, g, d)
				if _, ok := known[key]; ok {
					continue
				}
				facts = append(facts, check.Holds(key, holderOn(kb, c, g, d) != "", "nobody", "a holder"))
			}
		}
	}
	check.Facts(t, facts...)
}

// holderOn names someone who holds an office of group g in country c on d.
func holderOn(kb *KB, c, g string, d coalition.Date) string {
	if c == "USA" && g == "head-of-government" {
		g = "president"
	}
	for i := range kb.People {
		for _, term := range kb.People[i].Terms {
			if term.Country == c && officeGroup(term.Office) == g && term.HeldOn(d) {
				return kb.People[i].Name
			}
		}
	}
	return ""
}

func personNamed(kb *KB, name string) *Person {
	for i := range kb.People {
		if kb.People[i].Name == name {
			return &kb.People[i]
		}
	}
	return nil
}

func mustDate(t *testing.T, s string) coalition.Date {
	t.Helper()
	d, err := coalition.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
