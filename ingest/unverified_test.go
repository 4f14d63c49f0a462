package ingest

import (
	"encoding/json"
	"strings"
	"testing"

	"coalition"
	"coalition/refdata"
)

// TestUnverifiedRoleMarked: a role read from a term whose source is
// unverified (issue 15 §4) is marked on the person (role_unverified) and
// flagged on the proposals that name the person, so /review shows it; a
// role from a sourced term is not. The mark is the word refdata's grade
// check requires of unverified rows, so it survives the store.
func TestUnverifiedRoleMarked(t *testing.T) {
	base, err := DefaultKB()
	if err != nil {
		t.Fatal(err)
	}
	d := func(s string) coalition.Date { return mustDate(t, s) }
	kb := base.WithPeople([]Person{
		{Name: "Anna Example", Aliases: []string{"Example"}, Terms: []Term{{Country: "DEU", Office: "Defence Minister", Start: d("2023-01-19"),
			Source: "UNVERIFIED (compiler knowledge)"}}},
		{Name: "Piotr Sample", Aliases: []string{"Sample"}, Terms: []Term{{Country: "POL", Office: "Defence Minister", Start: d("2023-12-13"),
			Source: "https://www.gov.pl/web/primeminister/x"}}},
	})
	text := "BERLIN, 3 March 2025 - German Defence Minister Anna Example announced that Germany will send €500 million in military aid to Ukraine. Polish Defence Minister Piotr Sample welcomed the decision."
	x := Extract(text, kb, Options{})
	marked := map[string]bool{}
	for _, p := range x.People {
		marked[p.Name] = p.RoleUnverified
	}
	if len(marked) != 2 {
		t.Fatalf("people found %+v, want both", x.People)
	}
	if !marked["Anna Example"] || marked["Piotr Sample"] {
		t.Errorf("role_unverified = %v, want only Anna Example's role marked", marked)
	}
	var flags []Flag
	for _, f := range x.Flags {
		if f.Kind == FlagRoleUnverified {
			flags = append(flags, f)
		}
	}
	if len(flags) != 1 || !strings.Contains(flags[0].Message, "Anna Example") || !strings.Contains(flags[0].Message, "role unverified") || flags[0].Span == nil {
		t.Fatalf("role_unverified flags %+v, want one on Anna Example's mention", flags)
	}
	onPledge := false
	for _, p := range Records(x) {
		if p.Type != coalition.ProposalType(ProposePledge) {
			continue
		}
		for _, f := range p.Flags {
			onPledge = onPledge || f.Kind == FlagRoleUnverified
		}
	}
	if !onPledge {
		t.Errorf("the pledge announced by Anna Example does not carry the role_unverified flag: %+v", Records(x))
	}
	// An engagement record keeps the mark on the participant's role.
	meet := Extract("WARSAW, 3 March 2025 - German Defence Minister Anna Example met Polish Defence Minister Piotr Sample in Warsaw on Monday to discuss air defence for Ukraine.", kb, Options{})
	roles := map[string]string{}
	for _, p := range Records(meet) {
		if p.Type != coalition.ProposalType(ProposeEngagement) {
			continue
		}
		var e coalition.Engagement
		if err := json.Unmarshal(p.Record, &e); err != nil {
			t.Fatal(err)
		}
		for _, pt := range e.Participants {
			roles[pt.Name] = pt.Role
		}
	}
	if roles["Anna Example"] != "Defence Minister (role unverified)" || roles["Piotr Sample"] != "Defence Minister" {
		t.Errorf("engagement participants' roles %q, want Anna Example's marked unverified and Piotr Sample's plain", roles)
	}
	if got := participantRole(Participant{Role: "Defence Minister", RoleUnverified: true}); got != "Defence Minister (role unverified)" {
		t.Errorf("participantRole = %q, want the role with the marker", got)
	}
	if got := participantRole(Participant{Role: "Defence Minister"}); got != "Defence Minister" {
		t.Errorf("participantRole of a verified role = %q", got)
	}
	if UnverifiedMark != refdata.UnverifiedMark {
		t.Errorf("ingest marks unverified terms by %q, refdata by %q", UnverifiedMark, refdata.UnverifiedMark)
	}
}
