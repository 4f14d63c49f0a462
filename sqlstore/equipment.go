package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"coalition"
)

var _ coalition.EquipmentStore = (*Store)(nil)

const systemCols = "name, category, kind, unit, producers, unit_cost_eur, unit_cost_source, catalogued, source"

// Systems returns the catalogue of systems, by name. Systems are reference
// data: everyone sees all of them.
func (s *Store) Systems(ctx context.Context) ([]coalition.WeaponSystem, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, "SELECT "+systemCols+" FROM systems ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: systems: %w", err)
	}
	defer rows.Close()
	out := []coalition.WeaponSystem{}
	for rows.Next() {
		var sy coalition.WeaponSystem
		var producers string
		var cost sql.NullFloat64
		if err := rows.Scan(&sy.Name, &sy.Category, &sy.Kind, &sy.Unit, &producers, &cost, &sy.UnitCostSource, &sy.Catalogued, &sy.Source); err != nil {
			return nil, fmt.Errorf("sqlstore: systems: %w", err)
		}
		sy.Producers = splitList(producers)
		if cost.Valid {
			sy.UnitCostEUR = &cost.Float64
		}
		out = append(out, sy)
	}
	return out, rows.Err()
}

const equipmentCols = "e.id, e.donor, e.system, e.category, e.pledged, e.delivered, e.pledged_on, e.delivered_by, e.value_eur_minor, " +
	"e.pledge_id, e.coalition_id, e.visibility, e.source, e.source_ref, e.note, e.dataset, e.dataset_release, e.version, e.created_at"

func scanEquipment(sc interface{ Scan(...any) error }) (*coalition.Equipment, error) {
	var e coalition.Equipment
	var value, pledge, coal sql.NullInt64
	var created timestamp
	if err := sc.Scan(&e.ID, &e.Donor, &e.System, &e.Category, &e.Pledged, &e.Delivered, &e.PledgedOn, &e.DeliveredBy, &value,
		&pledge, &coal, &e.Visibility, &e.Source, &e.SourceRef, &e.Note, &e.Dataset, &e.Release, &e.Version, &created); err != nil {
		return nil, err
	}
	e.ValueEUR, e.PledgeID, e.CoalitionID, e.CreatedAt = nullInt(value), nullInt(pledge), nullInt(coal), created.Time
	return &e, nil
}

// FindEquipment returns the records the user in ctx may see (the donor is
// the owner, as for pledges), by donor, category, system and id.
func (s *Store) FindEquipment(ctx context.Context, f coalition.EquipmentFilter) ([]*coalition.Equipment, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cond, args := visible(tx.user, "e.", "e.donor")
	where := []string{cond}
	if f.Donor != "" {
		where, args = append(where, "e.donor = ?"), append(args, strings.ToUpper(f.Donor))
	}
	if f.Category != "" {
		where, args = append(where, "e.category = ?"), append(args, f.Category)
	}
	if f.System != "" {
		where, args = append(where, "e.system = ?"), append(args, f.System)
	}
	rows, err := tx.query(ctx, "SELECT "+equipmentCols+" FROM equipment e WHERE "+strings.Join(where, " AND ")+
		" ORDER BY e.donor, e.category, e.system, e.id", args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find equipment: %w", err)
	}
	defer rows.Close()
	out := []*coalition.Equipment{}
	for rows.Next() {
		e, err := scanEquipment(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: find equipment: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CreateEquipment records e, written by whoever may write the donor's
// pledges. Its system must be in the catalogue; its pledge, if given, a
// pledge of the same donor that the writer can see.
func (s *Store) CreateEquipment(ctx context.Context, e *coalition.Equipment) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "create equipment", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.CanWrite(tx.user, e.Donor, e.CoalitionID), "you may not record equipment of %s", e.Donor); err != nil {
			return err
		}
		if err := tx.checkEquipmentRefs(ctx, e); err != nil {
			return err
		}
		e.Dataset, e.Release, e.Version, e.CreatedAt = "", "", 1, tx.now
		id, err := tx.insertEquipment(ctx, e)
		if err != nil {
			return err
		}
		e.ID = id
		return tx.audit(ctx, "create", "equipment", id, nil, e, e.CoalitionID)
	})
}

// checkEquipmentRefs checks what e names: its system, in the catalogue,
// and its pledge, one of the donor's that the writer can see.
func (tx *Tx) checkEquipmentRefs(ctx context.Context, e *coalition.Equipment) error {
	var n int
	if err := tx.queryRow(ctx, "SELECT count(*) FROM systems WHERE name = ?", e.System).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: system: %w", err)
	}
	if n == 0 {
		return coalition.FieldError("system", "%q is not in the catalogue of systems (see /api/v1/equipment)", e.System)
	}
	if e.PledgeID == nil {
		return nil
	}
	p, err := tx.findPledge(ctx, *e.PledgeID)
	if err != nil {
		return err
	}
	if p.Donor != e.Donor {
		return coalition.FieldError("pledge_id", "pledge %d is %s's, not %s's", p.ID, p.Donor, e.Donor)
	}
	return nil
}

func (tx *Tx) insertEquipment(ctx context.Context, e *coalition.Equipment) (int64, error) {
	id, err := tx.insertID(ctx, `INSERT INTO equipment (donor, system, category, pledged, delivered, pledged_on, delivered_by, value_eur_minor,
		pledge_id, coalition_id, visibility, source, source_ref, note, dataset, dataset_release, version, created_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		e.Donor, e.System, e.Category, e.Pledged, e.Delivered, e.PledgedOn, e.DeliveredBy, e.ValueEUR,
		e.PledgeID, e.CoalitionID, e.Visibility, e.Source, e.SourceRef, e.Note, e.Dataset, e.Release, e.Version, ts(tx.now))
	if err != nil {
		return 0, tx.s.mapErr(fmt.Errorf("sqlstore: create equipment: %w", err))
	}
	return id, nil
}

// LoadEquipment loads a release of a published dataset of equipment
// (administrators only, as every release): its systems are added to the
// catalogue or updated, its records matched on (dataset, source_ref),
// created, updated or left unchanged, and the dataset's records the
// release no longer holds removed. An older release than the loaded one
// is skipped, as Load does.
func (s *Store) LoadEquipment(ctx context.Context, r coalition.EquipmentRelease) (coalition.ReleaseReport, error) {
	r.Release.Records = coalition.ReleaseEquipment
	return writeValue(s, ctx, "load equipment", func(tx *Tx) (coalition.ReleaseReport, error) {
		tx.reuseStatements() // the same few statements for every record
		st, err := tx.beginRelease(ctx, r.Release, false, true)
		if err != nil {
			return coalition.ReleaseReport{}, err
		}
		if st.skip {
			tx.discard = true
			return st.rep, nil
		}
		if err := tx.upsertSystems(ctx, r.Systems); err != nil {
			return st.rep, err
		}
		if err := tx.loadEquipmentRecords(ctx, st, r.Records); err != nil {
			return st.rep, err
		}
		st.r.Count = len(r.Records)
		if err := tx.finishRelease(ctx, st, nil); err != nil {
			return st.rep, err
		}
		return st.rep, tx.audit(ctx, "load", "equipment", nil, nil, st.rep, nil)
	})
}

// upsertSystems adds or updates the systems of a release.
func (tx *Tx) upsertSystems(ctx context.Context, systems []coalition.WeaponSystem) error {
	for i := range systems {
		sy := &systems[i]
		if err := sy.Validate(); err != nil {
			return fmt.Errorf("system %q: %w", sy.Name, err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO systems (`+systemCols+`) VALUES (?,?,?,?,?,?,?,?,?)
			ON CONFLICT (name) DO UPDATE SET category = excluded.category, kind = excluded.kind, unit = excluded.unit,
				producers = excluded.producers, unit_cost_eur = excluded.unit_cost_eur, unit_cost_source = excluded.unit_cost_source,
				catalogued = excluded.catalogued, source = excluded.source`,
			sy.Name, sy.Category, sy.Kind, sy.Unit, strings.Join(sy.Producers, ","), sy.UnitCostEUR, sy.UnitCostSource, boolInt(sy.Catalogued), sy.Source); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: system %q: %w", sy.Name, err))
		}
	}
	return nil
}

// equipmentSig is what a reload compares: a record whose signature is
// unchanged is left alone.
func equipmentSig(e *coalition.Equipment) string {
	v := "-"
	if e.ValueEUR != nil {
		v = fmt.Sprint(*e.ValueEUR)
	}
	return fmt.Sprintf("%s|%s|%s|%d|%d|%s|%s|%s|%s|%s|%s|%s", e.Donor, e.System, e.Category, e.Pledged, e.Delivered,
		e.PledgedOn, e.DeliveredBy, v, e.Visibility, e.Source, e.Note, e.Release)
}

// loadEquipmentRecords matches the release's records with the dataset's
// stored ones on source_ref, and removes the stored ones it lacks.
func (tx *Tx) loadEquipmentRecords(ctx context.Context, st *releaseLoad, recs []*coalition.Equipment) error {
	if len(recs) == 0 {
		return coalition.Errorf(coalition.Invalid, "%s release %s has no records: refusing to remove every record of the dataset", st.r.Dataset, st.r.Name)
	}
	stored, err := tx.datasetEquipment(ctx, st.r.Dataset)
	if err != nil {
		return err
	}
	for _, e := range recs {
		e.Dataset, e.Release, e.Source = st.r.Dataset, st.r.Name, st.r.Source
		if err := e.Validate(); err != nil {
			return fmt.Errorf("%s: %w", e.SourceRef, err)
		}
		old, ok := stored[e.SourceRef]
		delete(stored, e.SourceRef)
		switch {
		case !ok:
			e.Version, e.CreatedAt = 1, tx.now
			if e.ID, err = tx.insertEquipment(ctx, e); err != nil {
				return err
			}
			st.rep.Created++
		case equipmentSig(old) == equipmentSig(e):
			st.rep.Unchanged++
		default:
			if _, err := tx.exec(ctx, `UPDATE equipment SET donor = ?, system = ?, category = ?, pledged = ?, delivered = ?, pledged_on = ?,
				delivered_by = ?, value_eur_minor = ?, visibility = ?, source = ?, note = ?, dataset_release = ?, version = version + 1 WHERE id = ?`,
				e.Donor, e.System, e.Category, e.Pledged, e.Delivered, e.PledgedOn, e.DeliveredBy, e.ValueEUR, e.Visibility,
				e.Source, e.Note, e.Release, old.ID); err != nil {
				return tx.s.mapErr(fmt.Errorf("sqlstore: update equipment: %w", err))
			}
			st.rep.Updated++
		}
	}
	for _, old := range stored {
		if _, err := tx.exec(ctx, "DELETE FROM equipment WHERE id = ?", old.ID); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: remove equipment: %w", err))
		}
		st.rep.Removed++
	}
	return nil
}

// datasetEquipment returns the stored records of dataset by source_ref.
func (tx *Tx) datasetEquipment(ctx context.Context, dataset string) (map[string]*coalition.Equipment, error) {
	rows, err := tx.query(ctx, "SELECT "+equipmentCols+" FROM equipment e WHERE e.dataset = ?", dataset)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: equipment of %s: %w", dataset, err)
	}
	defer rows.Close()
	out := map[string]*coalition.Equipment{}
	for rows.Next() {
		e, err := scanEquipment(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: equipment of %s: %w", dataset, err)
		}
		out[e.SourceRef] = e
	}
	return out, rows.Err()
}
