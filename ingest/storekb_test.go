package ingest

import (
	"testing"

	"coalition"
)

// TestWithPeople: people from the store replace the bundled ones, so an
// office edited in the store changes the role read from a text.
func TestWithPeople(t *testing.T) {
	kb := mustKB(t)
	text := "Prime Minister Jane Example of Norway called Donald Trump on Tuesday."
	date := coalition.Date{Y: 2025, M: 3, D: 4}
	if x := Extract(text, kb, Options{Date: date}); hasPerson(x, "Jane Example") {
		t.Fatal("the bundled KB knows Jane Example")
	}
	stored := []*coalition.Person{
		{Name: "Jane Example", Aliases: []string{"Example"}, Offices: []coalition.Office{
			{ISO3: "NOR", Title: "Prime Minister", Start: coalition.Date{Y: 2025, M: 1, D: 1}, Source: "test"}}},
		{Name: "Donald Trump", Aliases: []string{"Trump"}, Offices: []coalition.Office{
			{ISO3: "USA", Title: "President", Start: coalition.Date{Y: 2025, M: 1, D: 20}, Source: "test"},
			{ISO3: "USA", Title: "President", Start: coalition.Date{Y: 2017, M: 1, D: 20}, End: coalition.Date{Y: 2021, M: 1, D: 20}, Source: "test"}}},
		{Name: "Nobody Without Office"},
	}
	people := PeopleFromStore(stored)
	if len(people) != 2 {
		t.Fatalf("PeopleFromStore kept %d people, want 2 (the one without an office is left out)", len(people))
	}
	if got := people[1].Terms[0].Start; got.Y != 2017 {
		t.Errorf("terms not sorted by start: first starts %v", got)
	}
	x := Extract(text, kb.WithPeople(people), Options{Date: date})
	for _, want := range []struct{ name, role, country string }{{"Jane Example", "Prime Minister", "NOR"}, {"Donald Trump", "President", "USA"}} {
		found := false
		for _, p := range x.People {
			if p.Name == want.name {
				found = true
				if p.Role != want.role || p.Country != want.country {
					t.Errorf("%s: role %q country %q, want %q %q", want.name, p.Role, p.Country, want.role, want.country)
				}
			}
		}
		if !found {
			t.Errorf("%s not found in %+v", want.name, x.People)
		}
	}
	if x := Extract(text, kb, Options{Date: date}); hasPerson(x, "Jane Example") {
		t.Error("WithPeople changed the bundled KB")
	}
}

func hasPerson(x *Extraction, name string) bool {
	for _, p := range x.People {
		if p.Name == name {
			return true
		}
	}
	return false
}
