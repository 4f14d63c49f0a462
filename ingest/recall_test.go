package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"coalition"
)

// TestProposalsRanked: on every corpus text the proposals come surest
// first, and each says why it was made, with the words of its verb among
// the evidence of a pledge.
func TestProposalsRanked(t *testing.T) {
	kb := mustKB(t)
	files, err := filepath.Glob("testdata/corpus/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatal("no corpus", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		x := Extract(string(b), kb, Options{})
		t.Run(filepath.Base(f), func(t *testing.T) {
			for n, p := range x.Proposals {
				if n > 0 && p.Confidence > x.Proposals[n-1].Confidence {
					t.Errorf("proposal %d has confidence %.2f, above the %.2f of the one before it", n, p.Confidence, x.Proposals[n-1].Confidence)
				}
				if p.Rule == "" {
					t.Errorf("proposal %d (%s) says no rule", n, p.Type)
				}
				if p.Type == ProposePledge && !strings.Contains(p.Rule, "words ") {
					t.Errorf("pledge %d: rule %q names no verb", n, p.Rule)
				}
			}
		})
	}
}

// TestSoFarIsATotal: "so far" is two tokens; a clause that opens with it
// makes the amount of the next clause a running total, not a new pledge.
func TestSoFarIsATotal(t *testing.T) {
	kb := mustKB(t)
	x := Extract("So far this year, Denmark pledged DKK 2 billion for Ukraine.", kb, Options{Date: coalition.Date{Y: 2025, M: 6, D: 2}})
	if len(x.Amounts) != 1 {
		t.Fatalf("%d amounts, want 1", len(x.Amounts))
	}
	if a := x.Amounts[0]; a.Kind != KindMention || a.Reason != "a total since a date" {
		t.Errorf("DKK 2 billion: kind %q (%s), want a mention: a total since a date", a.Kind, a.Reason)
	}
}

// TestPlannedMeeting: tense and time words decide; a planned meeting is
// proposed as planned, dated by the date it will happen on, not the text's.
func TestPlannedMeeting(t *testing.T) {
	kb := mustKB(t)
	x := Extract("KYIV, 3 March 2025 - Zelenskyy will travel to Paris on 10 March to meet President Emmanuel Macron. He met Keir Starmer in London on Sunday.", kb, Options{})
	var got []string
	for _, p := range x.Proposals {
		if p.Type == ProposeEngagement && p.Date != nil {
			got = append(got, p.Status+" "+p.Date.String())
		}
	}
	for _, want := range []string{"planned 2025-03-10", "held 2025-03-02"} {
		if !strings.Contains(strings.Join(got, ","), want) {
			t.Errorf("engagements %q, want one %s", got, want)
		}
	}
}
