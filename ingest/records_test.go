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
	// €400 million = 400e6 euros × 100 cents
	if pl.Donor != "SWE" || pl.Recipient != "UKR" || pl.Amount.Minor != 400e6*100 || pl.Amount.Currency != "EUR" || pl.Category != "air-defence" || pl.Announced.D != 12 {
		t.Errorf("pledge record = %+v", pl)
	}
	if p.Owner != "SWE" || len(p.Evidence) != 2 {
		t.Errorf("owner %q evidence %v", p.Owner, p.Evidence)
	}
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
