package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"coalition"
)

// sameImported reports whether writing the incoming pledge b over the
// stored pledge a (both matched on their natural key) would change
// nothing. It is the one answer to "has this record changed?" for Load
// and Import alike, on scanned records, in Go.
//
// Compared: every field a load or an import sets (donor, recipient,
// coalition, category, amount and its currency, euro amount, FX rate and
// month, quantity, unit, announced, delivery window, status, conditions,
// visibility, source, as-of date, dataset and release).
//
// Not compared: ID, Version, CreatedAt and UpdatedAt (the store's own),
// SourceRef (the key a and b were matched on) and Provenance (where a copy
// came from, not what it says: the same figures imported again from
// another file are unchanged). For a record of a dataset release
// (b.Dataset set) the release's stamp, Source, AsOf and Release, is not
// compared either: finishRelease restamps every record a release keeps.
func sameImported(a, b *coalition.Pledge) bool {
	if b.Dataset == "" && (a.Source != b.Source || a.AsOf != b.AsOf || a.Release != b.Release) {
		return false
	}
	return a.Donor == b.Donor && a.Recipient == b.Recipient && sameInt(a.CoalitionID, b.CoalitionID) &&
		a.Category == b.Category && a.Amount == b.Amount && a.AmountEUR == b.AmountEUR && a.FXRate == b.FXRate &&
		a.FXMonth == b.FXMonth && sameInt(a.Quantity, b.Quantity) && a.Unit == b.Unit && a.Announced == b.Announced &&
		a.DeliverFrom == b.DeliverFrom && a.DeliverTo == b.DeliverTo && a.Status == b.Status &&
		a.Conditions == b.Conditions && a.Visibility == b.Visibility && a.Dataset == b.Dataset
}

// sameInt reports whether two optional numbers are both absent or equal.
func sameInt(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// rewritePledge writes every field a load or import sets of p over the
// pledge id (matched on its natural key), with its provenance, and bumps
// its version. Permissions are the caller's to check.
func (tx *Tx) rewritePledge(ctx context.Context, id int64, p *coalition.Pledge) error {
	cat, _ := coalition.CategoryByCode(p.Category)
	_, err := tx.exec(ctx, `UPDATE pledges SET donor = ?, recipient = ?, coalition_id = ?, category = ?, support_type = ?,
		amount_minor = ?, currency = ?, amount_eur_minor = ?, fx_rate = ?, fx_month = ?, quantity = ?, unit = ?, announced = ?,
		deliver_from = ?, deliver_to = ?, status = ?, conditions = ?, visibility = ?, as_of = ?, provenance = ?,
		source = ?, dataset = ?, dataset_release = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		p.Donor, p.Recipient, p.CoalitionID, p.Category, string(cat.Type), p.Amount.Minor, p.Amount.Currency, p.AmountEUR, p.FXRate,
		p.FXMonth, p.Quantity, p.Unit, p.Announced, p.DeliverFrom, p.DeliverTo, p.Status, p.Conditions, p.Visibility, p.AsOf,
		p.Provenance, p.Source, p.Dataset, p.Release, ts(tx.now), id)
	if err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: update pledge %d: %w", id, err))
	}
	return nil
}

// sameDelivery reports whether writing the incoming delivery b over the
// stored a (matched on source and reference) would change nothing: the
// pledge, date, euro amount, quantity and over-delivery reason an import sets. Provenance is
// not compared (see sameImported).
func sameDelivery(a, b *coalition.Delivery) bool {
	return a.PledgeID == b.PledgeID && a.Date == b.Date && a.AmountEUR == b.AmountEUR && sameInt(a.Quantity, b.Quantity) &&
		a.OverDelivery == b.OverDelivery
}

// sameRequirement reports whether writing the incoming requirement b over
// the stored a (matched on source and reference) would change nothing:
// every field an import sets but provenance (see sameImported).
func sameRequirement(a, b *coalition.Requirement) bool {
	return sameInt(a.CoalitionID, b.CoalitionID) && a.Recipient == b.Recipient && a.Category == b.Category &&
		a.AmountEUR == b.AmountEUR && sameInt(a.Quantity, b.Quantity) && a.UnitValue == b.UnitValue && a.From == b.From &&
		a.To == b.To && a.Priority == b.Priority && a.Visibility == b.Visibility
}

// sameEngagement reports whether writing the incoming engagement b over
// the stored a (matched on source and reference) would change nothing:
// every field an import sets (topics as stored, participants in order)
// but provenance (see sameImported).
func sameEngagement(a, b *coalition.Engagement) bool {
	return a.Date == b.Date && a.Kind == b.Kind && a.Title == b.Title && a.Summary == b.Summary &&
		joinTopics(a.Topics) == joinTopics(b.Topics) && a.Asks == b.Asks && a.Outcomes == b.Outcomes &&
		sameInt(a.CoalitionID, b.CoalitionID) && a.Visibility == b.Visibility && slices.Equal(a.Participants, b.Participants)
}

// sameGroup reports whether loading the incoming group b over the stored
// a (matched on code) would change nothing: name, source and the members
// with their dates, in any order (a is ordered by ISO3, as findGroups
// returns it).
func sameGroup(a, b *coalition.Group) bool {
	if a.Name != b.Name || a.Source != b.Source || len(a.Members) != len(b.Members) {
		return false
	}
	ms := slices.Clone(b.Members)
	slices.SortFunc(ms, func(x, y coalition.GroupMember) int { return strings.Compare(x.ISO3, y.ISO3) })
	return slices.Equal(a.Members, ms)
}
