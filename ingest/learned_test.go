package ingest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestCandidatesAreTheRules: Candidates reads a text exactly as Extract
// does (the same extraction), gives one candidate per amount, and its
// candidates the rules call pledges, with their donors, are the pledges
// the extractor proposes; every feature is within [0, 1].
func TestCandidatesAreTheRules(t *testing.T) {
	kb := mustKB(t)
	files, err := filepath.Glob("testdata/corpus/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatal("no corpus", err)
	}
	held, _ := filepath.Glob("testdata/heldout/*.txt")
	for _, f := range append(files, held...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cands, x := Candidates(string(b), kb, Options{})
		plain := Extract(string(b), kb, Options{})
		j1, _ := json.Marshal(x)
		j2, _ := json.Marshal(plain)
		if string(j1) != string(j2) {
			t.Errorf("%s: Candidates' extraction differs from Extract's", f)
		}
		if len(cands) != len(x.Amounts) {
			t.Errorf("%s: %d candidates for %d amounts", f, len(cands), len(x.Amounts))
		}
		var fromCands, proposed []string
		for n, c := range cands {
			if len(c.Features) != len(FeatureNames) {
				t.Fatalf("%s: %d features, %d names", f, len(c.Features), len(FeatureNames))
			}
			for k, v := range c.Features {
				if v < 0 || v > 1 {
					t.Errorf("%s: amount %d feature %q = %v", f, n, FeatureNames[k], v)
				}
			}
			if c.RuleKind != x.Amounts[n].Kind || c.Money.Value != x.Amounts[n].Value {
				t.Errorf("%s: candidate %d is %v %s, amount %v %s", f, n, c.Money.Value, c.RuleKind, x.Amounts[n].Value, x.Amounts[n].Kind)
			}
			if c.RuleKind == KindPledge {
				for _, d := range c.Donors {
					fromCands = append(fromCands, d+" "+c.Money.String()+" "+c.Money.Currency)
				}
			}
		}
		for _, p := range x.Proposals {
			if p.Type == ProposePledge {
				proposed = append(proposed, p.Donor+" "+p.Amount.String()+" "+p.Amount.Currency)
			}
		}
		slices.Sort(fromCands)
		slices.Sort(proposed)
		if !slices.Equal(fromCands, proposed) {
			t.Errorf("%s: candidates' pledges %q, proposed %q", f, fromCands, proposed)
		}
	}
}

// TestCandidateFeatures: the features say what the sentence says, read by
// hand: a verb before the amount and its donor; a running total; an
// equivalent in brackets.
func TestCandidateFeatures(t *testing.T) {
	kb := mustKB(t)
	cands, _ := Candidates("OSLO, 2 June 2025 - Norway will provide NOK 5 billion (about €430 million) to Ukraine, bringing the total for 2025 to NOK 85 billion.", kb, Options{})
	if len(cands) != 3 {
		t.Fatalf("%d candidates, want 3", len(cands))
	}
	on := func(c Candidate, f int) bool { return c.Features[f] == 1 }
	first, equiv, total := cands[0], cands[1], cands[2]
	checks := []struct {
		what string
		ok   bool
	}{
		{"NOK 5bn: verb before", on(first, fTrigBefore) && on(first, fVerbWillGive)},
		{"NOK 5bn: donor Norway, its own currency", slices.Equal(first.Donors, []string{"NOR"}) && on(first, fDonorOwnCurrency)},
		{"NOK 5bn: first amount, no marker", on(first, fFirstAmount) && !on(first, fCueTotal) && !on(first, fEquivalent)},
		{"€430m: the same amount in brackets", on(equiv, fEquivalent) && on(equiv, fBracketed)},
		{"NOK 85bn: a running total", on(total, fCueTotal) || on(total, fCueStrongAfter) || on(total, fTotalEarlier)},
		{"NOK 85bn: rules say mention", total.RuleKind == KindMention},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: features %v (donors %q)", c.what, cands, first.Donors)
		}
	}
}
