package ingest

import (
	"sort"

	"coalition"
)

// PeopleFromStore converts the store's people (seeded from the same
// officeholders table as kb/officeholders.csv, then edited there) into the
// KB's people: one Person per name with its terms sorted by start.
func PeopleFromStore(people []*coalition.Person) []Person {
	out := make([]Person, 0, len(people))
	for _, sp := range people {
		if sp == nil || sp.Name == "" || len(sp.Offices) == 0 {
			continue // a person without an office cannot be resolved to a country
		}
		p := Person{Name: sp.Name, Aliases: append([]string(nil), sp.Aliases...)}
		for _, o := range sp.Offices {
			p.Terms = append(p.Terms, Term{Country: o.ISO3, Office: o.Title, Start: o.Start, End: o.End, Source: o.Source})
		}
		sort.SliceStable(p.Terms, func(a, b int) bool { return p.Terms[a].Start.Before(p.Terms[b].Start) })
		out = append(out, p)
	}
	return out
}

// WithPeople returns a copy of kb whose people are people (for example
// PeopleFromStore of the store's people, so that edits in the store take
// effect), with its own index. kb itself is not changed.
func (kb *KB) WithPeople(people []Person) *KB {
	c := *kb
	c.People = people
	c.index = buildIndex(&c)
	return &c
}
