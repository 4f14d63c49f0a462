package ingest

import (
	"encoding/json"
	"testing"

	"coalition"
)

func TestRecords(t *testing.T) {
	kb := mustKB(t)
	text := "Sweden and Norway will jointly fund a €400 million air defence package for Ukraine, the ministers said."
	x := Extract(text, kb, Options{Date: coalition.Date{Y: 2025, M: 3, D: 12}})
	ps := Records(x)
	var pledges []*coalition.Proposal
	for _, p := range ps {
		if p.Type == coalition.ProposePledge {
			pledges = append(pledges, p)
		}
	}
	if len(pledges) != 1 {
		t.Fatalf("%d pledge proposals, want 1 (joint)", len(pledges))
	}
	p := pledges[0]
	var pl coalition.Pledge
	if err := json.Unmarshal(p.Record, &pl); err != nil {
		t.Fatal(err)
	}
	t.Run("record", func(t *testing.T) {
		for _, f := range []struct {
			field     string
			got, want any
		}{
			{"donor", pl.Donor, "SWE"},
			{"recipient", pl.Recipient, "UKR"},
			{"amount in minor units", pl.Amount.Minor, int64(400e6 * 100)}, // €400 million = 400e6 euros × 100 cents
			{"currency", pl.Amount.Currency, "EUR"},
			{"category", pl.Category, "air-defence"},
			{"announced", pl.Announced, coalition.Date{Y: 2025, M: 3, D: 12}},
		} {
			if f.got != f.want {
				t.Errorf("pledge %s = %v, want %v", f.field, f.got, f.want)
			}
		}
	})
	t.Run("proposal", func(t *testing.T) {
		if p.Owner != "SWE" {
			t.Errorf("owner = %q, want SWE", p.Owner)
		}
		if len(p.Evidence) != 3 {
			t.Fatalf("evidence = %v, want 3 spans: the sentence, the amount and the verb", p.Evidence)
		}
		runes := []rune(text)
		for n, want := range []string{text, "€400 million", "will jointly fund"} {
			if got := string(runes[p.Evidence[n][0]:p.Evidence[n][1]]); got != want {
				t.Errorf("evidence %d = %q, want %q", n, got, want)
			}
		}
	})
	joint := false
	for _, f := range p.Flags {
		joint = joint || f.Kind == FlagJoint
	}
	if !joint {
		t.Errorf("the joint_pledge flag is not attached: %+v", p.Flags)
	}
	if got := minorUnits(471e9, "JPY"); got != 471e9 {
		t.Errorf("minorUnits(¥471bn) = %d, want 471e9 (the yen has no minor unit)", got)
	}
}
