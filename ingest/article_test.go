package ingest

import (
	"os"
	"slices"
	"strings"
	"testing"

	"coalition"
)

// TestArticle checks the record the corpus README says an analyst makes
// from the Albanese–Trump article.
func TestArticle(t *testing.T) {
	kb := mustKB(t)
	b, err := os.ReadFile("testdata/corpus/albanese-trump-coalition.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, tc := range []struct {
		name       string
		date       string
		formerFlag bool   // the "former US President" flag is raised
		trumpRole  string // Trump's role as of the date
	}{
		{"undated", "", false, "former President"}, // roles read as of the inferred window's last day
		{"mid-2024", "2024-06-15", false, "former President"},
		{"2025", "2025-03-01", true, "President"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var opt Options
			if tc.date != "" {
				opt.Date, _ = coalition.ParseDate(tc.date)
			}
			x := Extract(text, kb, opt)
			people := map[string]PersonMention{}
			for _, p := range x.People {
				people[p.Name] = p
			}
			if p := people["Donald Trump"]; p.Role != tc.trumpRole || p.Country != "USA" {
				t.Errorf("Trump: got %q %q, want %q USA", p.Role, p.Country, tc.trumpRole)
			}
			if p := people["Anthony Albanese"]; p.Role != "Prime Minister" || p.Country != "AUS" {
				t.Errorf("Albanese: got %q %q, want Prime Minister AUS", p.Role, p.Country)
			}
			// the article's time: Biden sits, whatever date is given for
			// a 2024 reading (the 2025 reading flags the mismatch instead)
			if tc.date != "2025-03-01" {
				if p := people["Joe Biden"]; p.Role != "President" || p.Country != "USA" {
					t.Errorf("Biden: got %q %q, want President USA", p.Role, p.Country)
				}
			}
			// every span points at the name or title it stands for
			runes := []rune(text)
			for _, p := range x.People {
				for _, sp := range p.Spans {
					got := string(runes[sp[0]:sp[1]])
					last := strings.Fields(p.Name)
					if !strings.Contains(got, last[len(last)-1]) && !strings.Contains(strings.ToLower(got), "president") && !strings.Contains(got, "Prime Minister") {
						t.Errorf("%s: span %v is %q", p.Name, sp, got)
					}
				}
			}
			// the call with its three topics
			var call *Proposal
			var stmts []Proposal
			var members []Proposal
			for i, p := range x.Proposals {
				switch {
				case p.Type == ProposePledge:
					t.Errorf("pledge proposed: %+v", p)
				case p.Type == ProposeEngagement && p.Kind == "call":
					if call != nil {
						t.Errorf("two calls proposed: %q and %q", call.Title, p.Title)
					}
					call = &x.Proposals[i]
				case p.Type == ProposeEngagement && p.Kind == "statement":
					stmts = append(stmts, p)
				case p.Type == ProposeMembership:
					members = append(members, p)
				}
			}
			if call == nil {
				t.Fatal("no call proposed")
			}
			var who []string
			for _, pt := range call.Participants {
				who = append(who, pt.Name+"/"+pt.ISO3)
			}
			slices.Sort(who)
			if strings.Join(who, ",") != "Anthony Albanese/AUS,Donald Trump/USA" {
				t.Errorf("call participants: got %q", who)
			}
			for _, topic := range []string{"coalition", "aukus", "nato"} {
				if !slices.Contains(call.Topics, topic) {
					t.Errorf("call topics %q lack %q", call.Topics, topic)
				}
			}
			if !strings.Contains(call.Asks, "assurances") {
				t.Errorf("call asks %q lack the AUKUS assurances", call.Asks)
			}
			// Dutton's criticism and the government's line
			var dutton, gov bool
			for _, s := range stmts {
				if len(s.Participants) > 0 && s.Participants[0].Name == "Peter Dutton" && s.Participants[0].Role == "Leader of the Opposition" {
					dutton = true
				}
				if len(s.Participants) > 0 && s.Participants[0].ISO3 == "AUS" && s.Participants[0].Role == "" {
					gov = true
				}
			}
			if !dutton || !gov {
				t.Errorf("statements: Dutton %v, Australian government %v; got %+v", dutton, gov, stmts)
			}
			// the United Kingdom as a possible member of the coalition
			if len(members) != 1 {
				t.Errorf("memberships: got %d (%+v), want 1: GBR as a prospect of the coalition for UKR", len(members), members)
			} else {
				m := members[0]
				for _, f := range []struct{ field, got, want string }{
					{"country", m.Country, "GBR"}, {"status", m.Status, "prospect"}, {"recipient", m.Recipient, "UKR"},
				} {
					if f.got != f.want {
						t.Errorf("membership %s = %q, want %q", f.field, f.got, f.want)
					}
				}
			}
			for _, a := range x.Amounts {
				t.Errorf("amount found in a text without money: %+v", a)
			}
			former := false
			for _, f := range x.Flags {
				if f.Kind == FlagRole && strings.Contains(f.Message, "former US President") && strings.Contains(f.Message, "Donald Trump") {
					former = true
					if got := string(runes[f.Span[0]:f.Span[1]]); got != "former US President Donald Trump" {
						t.Errorf("flag span is %q", got)
					}
				}
			}
			if former != tc.formerFlag {
				t.Errorf("former-president flag: got %v, want %v (flags %+v)", former, tc.formerFlag, x.Flags)
			}
		})
	}
}
