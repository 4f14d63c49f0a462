package refdata

import "strings"

// noteKeys name the fields of countries.csv's source_notes in words. The
// notes are a compact shorthand for whoever keeps the file ("gdp+pop=WB2023;
// def=NATO2025rpt 2024e; cow=VIRT0315+PAR0904"); a country's Source is read
// by people on its page and in the API, so it carries readableNotes instead.
var noteKeys = []struct{ key, words string }{
	{"gdp+pop=", "GDP and population: "},
	{"def=", "defence spending: "},
	{"cow=", "coalition of the willing: "},
}

// noteValues spell out the codes that the note values use.
var noteValues = strings.NewReplacer(
	"WB2023", "World Bank WDI 2023",
	"NATO2025rpt 2024e", "NATO report of 28 Aug 2025, 2024 estimate",
	"SIPRI2024", "SIPRI 2024",
	"Kiel UST donor", "a donor in the Kiel Institute's Ukraine Support Tracker",
)

// readableNotes turns one row's source_notes into text for people: each
// key in words, each meeting code as the meeting's name.
func readableNotes(notes string) string {
	parts := strings.Split(notes, ";")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		for _, k := range noteKeys {
			if rest, ok := strings.CutPrefix(p, k.key); ok {
				p = k.words + rest
				break
			}
		}
		if strings.HasPrefix(p, "coalition of the willing: ") {
			p = meetingNames(p)
		}
		parts[i] = noteValues.Replace(p)
	}
	return strings.Join(parts, "; ")
}

// meetingNames replaces the meeting codes of a coalition note
// ("LDN0302+PAR0904") by the meetings' names.
func meetingNames(p string) string {
	p = strings.NewReplacer("+UKR=beneficiary/participant", " (as beneficiary and participant)",
		"+AUT via foreign minister", " (represented by its foreign minister)").Replace(p)
	p = cowCode.ReplaceAllStringFunc(p, func(code string) string {
		if mt, ok := cowMeetings[code]; ok {
			return mt.name
		}
		return code
	})
	if strings.Contains(p, "meeting of") || strings.Contains(p, "summit of") {
		p = strings.Replace(p, ": ", ": attended the ", 1)
	}
	return strings.ReplaceAll(p, "+", ", the ")
}
