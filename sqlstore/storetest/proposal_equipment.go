package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"coalition"
)

// testEquipmentProposal: an equipment proposal read from a text (issue 20)
// is accepted as an equipment record of its donor, dated by the text and
// sourced to it; a system outside the catalogue is refused by field, and
// the proposal stays pending to be edited.
func testEquipmentProposal(t *testing.T, s coalition.Store) {
	base(t, s)
	if _, err := s.LoadEquipment(sys, equipmentRelease("1", 1, kielRecord("GBR", "T-72 variant", 5, "GBR|Tanks|T-72"))); err != nil {
		t.Fatal(err)
	}
	admin := coalition.WithUser(context.Background(), &coalition.User{ID: 20, Email: "ad@x", Role: coalition.Admin})
	rec := func(system string) json.RawMessage {
		b, err := json.Marshal(coalition.Equipment{Donor: "DEU", System: system, Category: coalition.CapArmour, Pledged: 40})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	in := &coalition.IngestText{Title: "Berlin", Text: "Germany will deliver 40 Leopard 2A6 tanks to Ukraine.", Date: coalition.Date{Y: 2024, M: 5, D: 14},
		Source: "https://example.org/berlin"}
	ps := []*coalition.Proposal{
		{Type: coalition.ProposeEquipment, Record: rec("Leopard 2A6"), Owner: "DEU", Confidence: 0.7},
		{Type: coalition.ProposeEquipment, Record: rec("Gepard"), Owner: "DEU", Confidence: 0.6},
	}
	if err := s.CreateIngest(admin, in, ps); err != nil {
		t.Fatal(err)
	}
	acc, err := s.DecideProposal(admin, ps[0].ID, 1, coalition.Accept, nil)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "status", acc.Status, coalition.ProposalAccepted)
	got, err := s.FindEquipment(admin, coalition.EquipmentFilter{Donor: "DEU"})
	if err != nil {
		t.Fatal(err)
	}
	var e *coalition.Equipment
	for _, g := range got {
		if g.ID == acc.RecordID {
			e = g
		}
	}
	if e == nil {
		t.Fatalf("no equipment record %d among %d", acc.RecordID, len(got))
	}
	eq(t, "system", e.System, "Leopard 2A6")
	eq(t, "pledged", e.Pledged, int64(40))
	eq(t, "pledged on", e.PledgedOn.String(), "2024-05-14")
	eq(t, "source", e.Source, "https://example.org/berlin")
	_, err = s.DecideProposal(admin, ps[1].ID, 1, coalition.Accept, nil)
	wantField(t, err, "system")
	still, err := s.FindProposal(admin, ps[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "unknown system still pending", still.Status, coalition.ProposalPending)
}
