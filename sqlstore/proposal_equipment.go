package sqlstore

import (
	"context"
	"encoding/json"

	"coalition"
)

// acceptEquipment creates the proposed equipment record (a quantity of a
// catalogue system from a text, issue 20), with the text as its source and
// the text's date as the day it was pledged, if the user may write the
// donor's records; a system not in the catalogue is refused by name, so
// that the reviewer edits it and accepts again.
func (tx *Tx) acceptEquipment(ctx context.Context, p *coalition.Proposal, a acceptance) (*coalition.Equipment, error) {
	var e coalition.Equipment
	if err := decodeRecord(p, &e); err != nil {
		return nil, err
	}
	e.ID, e.Version, e.SourceRef, e.Dataset, e.Release = 0, 0, a.ref, "", ""
	if e.Source == "" {
		e.Source = a.source
	}
	if e.PledgedOn.IsZero() {
		e.PledgedOn = a.date
	}
	if e.Visibility == "" {
		e.Visibility = coalition.Public
	}
	if e.CoalitionID == nil {
		e.CoalitionID = a.coalUser
	}
	if e.Note == "" {
		e.Note = "from a text, accepted in the review queue: " + a.prov
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	p.Owner = e.Donor
	if !coalition.CanWrite(tx.user, e.Donor, e.CoalitionID) {
		return nil, coalition.Errorf(coalition.Forbidden, "you may not record equipment of %s", e.Donor)
	}
	if err := tx.checkEquipmentRefs(ctx, &e); err != nil {
		return nil, err
	}
	e.Version, e.CreatedAt = 1, tx.now
	id, err := tx.insertEquipment(ctx, &e)
	if err != nil {
		return nil, err
	}
	e.ID = id
	if err := tx.audit(ctx, "create", "equipment", id, nil, &e, e.CoalitionID); err != nil {
		return nil, err
	}
	p.Record, p.RecordID = json.RawMessage(toJSON(&e)), e.ID
	return &e, nil
}
