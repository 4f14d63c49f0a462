package refdata_test

import (
	"encoding/csv"
	"testing"

	"coalition/refdata"
)

// Multi-country events list every state their sources name, not only the
// host and the recipient; every row of event_participants.csv belongs to an
// event of events.csv.
func TestEventParticipants(t *testing.T) {
	ds, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string][]string{}
	for _, e := range ds.Engagements {
		key := e.Date.String() + "|" + e.Participants[0].ISO3
		seen := map[string]bool{}
		for _, p := range e.Participants {
			if seen[p.ISO3] {
				t.Errorf("%s: %s listed twice", key, p.ISO3)
			}
			seen[p.ISO3] = true
			byKey[key] = append(byKey[key], p.ISO3)
		}
	}
	f, err := refdata.Open(refdata.EventParticipantsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		if byKey[r[0]+"|"+r[1]] == nil {
			t.Errorf("%s %s: no such event in events.csv", r[0], r[1])
		}
	}
	for _, c := range []struct {
		key  string
		n    int
		some []string
	}{
		// Host GBR, counterpart UKR and the 15 others the summary names.
		{"2025-03-02|GBR", 17, []string{"TUR", "CAN", "EUI", "NOR"}},
		// Host USA, counterpart UKR and the 31 other allies.
		{"2024-07-10|USA", 33, []string{"MKD", "ISL", "TUR"}},
		// The G7 members, the EU, Ukraine and the guests Reuters names that have a page.
		{"2024-06-13|ITA", 12, []string{"JPN", "EUI", "IND", "TUR"}},
		// The 27 March Paris summit: 31 states (host and Ukraine included) and the EU (Ukrinform).
		{"2025-03-27|FRA", 32, []string{"AUT", "TUR", "CAN", "EUI", "UKR"}},
		// Meetings name their co-chairs and co-funders too.
		{"2025-04-11|GBR", 4, []string{"DEU", "NOR"}},
		{"2025-08-05|DNK", 4, []string{"NOR", "SWE"}},
		{"2025-02-12|GBR", 3, []string{"USA"}},
		// An event without a participants row keeps host and counterpart.
		{"2025-02-28|USA", 2, []string{"UKR"}},
	} {
		got := byKey[c.key]
		if len(got) != c.n {
			t.Errorf("%s: %d participants %v, want %d", c.key, len(got), got, c.n)
		}
		for _, iso := range c.some {
			found := false
			for _, g := range got {
				found = found || g == iso
			}
			if !found {
				t.Errorf("%s lacks %s: %v", c.key, iso, got)
			}
		}
	}
}
