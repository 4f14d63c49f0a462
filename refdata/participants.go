package refdata

import (
	"slices"
	"strings"

	"coalition"
)

// EventParticipantsFile lists, for multi-country events of events.csv, the
// states the event's sources name besides the host and the counterpart
// (issue 15 §4): a summit is more than its host and the recipient.
const EventParticipantsFile = "event_participants.csv"

// eventParticipants maps an events.csv row (date|actor_iso3) to the other
// participants its sources name, in the file's order.
func eventParticipants() (map[string][]string, error) {
	t, err := readTable(EventParticipantsFile)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for i, r := range t.rows {
		key := r["date"] + "|" + r["actor_iso3"]
		if _, dup := out[key]; dup {
			return nil, t.errorf(i, "date", "%s is listed twice", key)
		}
		var isos []string
		for _, iso := range strings.Fields(r["participants"]) {
			if !iso3Pattern.MatchString(iso) || slices.Contains(isos, iso) {
				return nil, t.errorf(i, "participants", "%q is not a new ISO3 code", iso)
			}
			isos = append(isos, iso)
		}
		if len(isos) == 0 || r["basis"] == "" {
			return nil, t.errorf(i, "participants", "a row needs participants and the basis for them")
		}
		out[key] = isos
	}
	return out, nil
}

// withParticipants adds the named participants of one event after its host
// and counterpart, once each.
func withParticipants(parts []coalition.Participant, extra []string) []coalition.Participant {
	for _, iso := range extra {
		if !slices.ContainsFunc(parts, func(p coalition.Participant) bool { return p.ISO3 == iso }) {
			parts = append(parts, coalition.Participant{ISO3: iso, Role: "participant"})
		}
	}
	return parts
}
