package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"coalition"
)

var _ coalition.ForceStore = (*Store)(nil)

const forceLineCols = "l.id, l.coalition_id, l.capability, l.unit_type, l.quantity, l.personnel, l.from_month, l.to_month, l.priority, " +
	"l.visibility, l.source, l.as_of, l.note, l.source_ref, l.version, l.created_at"

func scanForceLine(sc interface{ Scan(...any) error }) (*coalition.ForceLine, error) {
	var l coalition.ForceLine
	var qty, pers sql.NullInt64
	var created timestamp
	if err := sc.Scan(&l.ID, &l.CoalitionID, &l.Capability, &l.UnitType, &qty, &pers, &l.From, &l.To, &l.Priority,
		&l.Visibility, &l.Source, &l.AsOf, &l.Note, &l.SourceRef, &l.Version, &created); err != nil {
		return nil, err
	}
	l.Quantity, l.Personnel, l.CreatedAt = nullInt(qty), nullInt(pers), created.Time
	return &l, nil
}

const forceOfferCols = "o.id, o.line_id, o.coalition_id, o.country, o.unit, o.quantity, o.personnel, o.equipment, o.readiness, o.duration, " +
	"o.conditions, o.is_lead, o.visibility, o.source, o.as_of, o.note, o.source_ref, o.version, o.created_at"

func scanForceOffer(sc interface{ Scan(...any) error }) (*coalition.ForceOffer, error) {
	var o coalition.ForceOffer
	var qty, pers sql.NullInt64
	var conds string
	var lead int
	var created timestamp
	if err := sc.Scan(&o.ID, &o.LineID, &o.CoalitionID, &o.Country, &o.Unit, &qty, &pers, &o.Equipment, &o.Readiness, &o.Duration,
		&conds, &lead, &o.Visibility, &o.Source, &o.AsOf, &o.Note, &o.SourceRef, &o.Version, &created); err != nil {
		return nil, err
	}
	o.Quantity, o.Personnel, o.Conditions, o.Lead, o.CreatedAt = nullInt(qty), nullInt(pers), splitList(conds), lead != 0, created.Time
	return &o, nil
}

// FindForce returns the coalition's lines and the offers against them that
// the user in ctx may see, in line order (capability, then id).
func (s *Store) FindForce(ctx context.Context, coalitionID int64) ([]*coalition.ForceLine, []*coalition.ForceOffer, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	lines, err := tx.forceLines(ctx, "l.coalition_id = ?", coalitionID)
	if err != nil {
		return nil, nil, err
	}
	offers, err := tx.forceOffers(ctx, "o.coalition_id = ?", coalitionID)
	if err != nil {
		return nil, nil, err
	}
	return lines, offers, nil
}

// forceLines returns the visible lines matching cond, by id.
func (tx *Tx) forceLines(ctx context.Context, cond string, arg any) ([]*coalition.ForceLine, error) {
	vis, args := visible(tx.user, "l.", "")
	rows, err := tx.query(ctx, "SELECT "+forceLineCols+" FROM force_lines l WHERE "+cond+" AND "+vis+" ORDER BY l.id", append([]any{arg}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: force lines: %w", err)
	}
	defer rows.Close()
	out := []*coalition.ForceLine{}
	for rows.Next() {
		l, err := scanForceLine(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: force lines: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// forceOffers returns the visible offers matching cond, by id: the
// offering country is the owner, as the donor is a pledge's.
func (tx *Tx) forceOffers(ctx context.Context, cond string, arg any) ([]*coalition.ForceOffer, error) {
	vis, args := visible(tx.user, "o.", "o.country")
	rows, err := tx.query(ctx, "SELECT "+forceOfferCols+" FROM force_offers o WHERE "+cond+" AND "+vis+" ORDER BY o.id", append([]any{arg}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: force offers: %w", err)
	}
	defer rows.Close()
	out := []*coalition.ForceOffer{}
	for rows.Next() {
		o, err := scanForceOffer(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: force offers: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// FindForceLine returns NotFound if id is unknown or hidden.
func (s *Store) FindForceLine(ctx context.Context, id int64) (*coalition.ForceLine, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findForceLine(ctx, id)
}

func (tx *Tx) findForceLine(ctx context.Context, id int64) (*coalition.ForceLine, error) {
	ls, err := tx.forceLines(ctx, "l.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, coalition.Errorf(coalition.NotFound, "force line %d not found", id)
	}
	return ls[0], nil
}

// FindForceOffer returns NotFound if id is unknown or hidden.
func (s *Store) FindForceOffer(ctx context.Context, id int64) (*coalition.ForceOffer, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findForceOffer(ctx, id)
}

func (tx *Tx) findForceOffer(ctx context.Context, id int64) (*coalition.ForceOffer, error) {
	found, err := tx.forceOffers(ctx, "o.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, coalition.Errorf(coalition.NotFound, "force offer %d not found", id)
	}
	return found[0], nil
}

const forceLineRule = "only the coalition's coordinators set its force requirement"

// CreateForceLine inserts l (the coalition's coordinators and admins).
func (s *Store) CreateForceLine(ctx context.Context, l *coalition.ForceLine) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "create force line", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.CanManageCoalition(tx.user, &l.CoalitionID), forceLineRule); err != nil {
			return err
		}
		l.Version, l.CreatedAt = 1, tx.now
		id, err := tx.insertID(ctx, `INSERT INTO force_lines (coalition_id, capability, unit_type, quantity, personnel, from_month, to_month,
			priority, visibility, source, as_of, note, source_ref, version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			l.CoalitionID, l.Capability, l.UnitType, l.Quantity, l.Personnel, l.From, l.To, l.Priority, l.Visibility,
			l.Source, l.AsOf, l.Note, l.SourceRef, l.Version, ts(tx.now))
		if err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: create force line: %w", err))
		}
		l.ID = id
		return tx.audit(ctx, "create", "force_line", id, nil, l, &l.CoalitionID)
	})
}

// UpdateForceLine applies upd if upd.Version is current; the line's
// coalition does not change.
func (s *Store) UpdateForceLine(ctx context.Context, id int64, upd coalition.ForceLineUpdate) (*coalition.ForceLine, error) {
	return writeValue(s, ctx, "update force line", func(tx *Tx) (*coalition.ForceLine, error) {
		l, err := tx.findForceLine(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := tx.requireWrite(coalition.CanManageCoalition(tx.user, &l.CoalitionID), forceLineRule); err != nil {
			return nil, err
		}
		if err := checkVersion("force line", id, l.Version, upd.Version, l); err != nil {
			return nil, err
		}
		before := *l
		upd.Apply(l)
		if err := l.Validate(); err != nil {
			return nil, err
		}
		res, err := tx.exec(ctx, `UPDATE force_lines SET capability = ?, unit_type = ?, quantity = ?, personnel = ?, from_month = ?, to_month = ?,
			priority = ?, visibility = ?, source = ?, as_of = ?, note = ?, version = version + 1 WHERE id = ? AND version = ?`,
			l.Capability, l.UnitType, l.Quantity, l.Personnel, l.From, l.To, l.Priority, l.Visibility, l.Source, l.AsOf, l.Note, id, upd.Version)
		if err != nil {
			return nil, tx.s.mapErr(fmt.Errorf("sqlstore: update force line: %w", err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			cur, err := tx.findForceLine(ctx, id)
			if err != nil {
				return nil, err
			}
			return nil, checkVersion("force line", id, cur.Version, upd.Version, cur)
		}
		l.Version++
		return l, tx.audit(ctx, "update", "force_line", id, &before, l, &l.CoalitionID)
	})
}

// DeleteForceLine deletes a line at the given version; Conflict while any
// offer (visible to the user or not) stands against it.
func (s *Store) DeleteForceLine(ctx context.Context, id, version int64) error {
	return s.write(ctx, "delete force line", func(tx *Tx) error {
		l, err := tx.findForceLine(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.requireWrite(coalition.CanManageCoalition(tx.user, &l.CoalitionID), forceLineRule); err != nil {
			return err
		}
		if err := checkVersion("force line", id, l.Version, version, l); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, "SELECT count(*) FROM force_offers WHERE line_id = ?", id).Scan(&n); err != nil {
			return fmt.Errorf("sqlstore: delete force line: %w", err)
		}
		if n > 0 {
			return coalition.Errorf(coalition.Conflict, "force line %d has %d offers: withdraw them first", id, n)
		}
		if _, err := tx.exec(ctx, "DELETE FROM force_lines WHERE id = ?", id); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: delete force line: %w", err))
		}
		return tx.audit(ctx, "delete", "force_line", id, l, nil, &l.CoalitionID)
	})
}

func offerRule(country string) string { return "you may not make or change offers of " + country }

// CreateForceOffer inserts o against a line the writer can see, written by
// whoever may write the country's pledges in the line's coalition.
func (s *Store) CreateForceOffer(ctx context.Context, o *coalition.ForceOffer) error {
	o.Country = strings.ToUpper(o.Country)
	if err := o.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "create force offer", func(tx *Tx) error {
		l, err := tx.findForceLine(ctx, o.LineID)
		if coalition.ErrorKind(err) == coalition.NotFound {
			return coalition.FieldError("line_id", "force line %d not found", o.LineID)
		}
		if err != nil {
			return err
		}
		o.CoalitionID = l.CoalitionID
		if err := tx.requireWrite(coalition.CanWrite(tx.user, o.Country, &o.CoalitionID), "%s", offerRule(o.Country)); err != nil {
			return err
		}
		o.Version, o.CreatedAt = 1, tx.now
		id, err := tx.insertID(ctx, `INSERT INTO force_offers (line_id, coalition_id, country, unit, quantity, personnel, equipment, readiness,
			duration, conditions, is_lead, visibility, source, as_of, note, source_ref, version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			o.LineID, o.CoalitionID, o.Country, o.Unit, o.Quantity, o.Personnel, o.Equipment, o.Readiness, o.Duration,
			strings.Join(o.Conditions, ","), boolInt(o.Lead), o.Visibility, o.Source, o.AsOf, o.Note, o.SourceRef, o.Version, ts(tx.now))
		if err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: create force offer: %w", err))
		}
		o.ID = id
		if o.Conditions == nil {
			o.Conditions = []string{}
		}
		return tx.audit(ctx, "create", "force_offer", id, nil, o, &o.CoalitionID)
	})
}

// UpdateForceOffer applies upd if upd.Version is current.
func (s *Store) UpdateForceOffer(ctx context.Context, id int64, upd coalition.ForceOfferUpdate) (*coalition.ForceOffer, error) {
	return writeValue(s, ctx, "update force offer", func(tx *Tx) (*coalition.ForceOffer, error) {
		o, err := tx.findForceOffer(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := tx.requireWrite(coalition.CanWrite(tx.user, o.Country, &o.CoalitionID), "%s", offerRule(o.Country)); err != nil {
			return nil, err
		}
		if err := checkVersion("force offer", id, o.Version, upd.Version, o); err != nil {
			return nil, err
		}
		before := *o
		upd.Apply(o)
		if err := o.Validate(); err != nil {
			return nil, err
		}
		res, err := tx.exec(ctx, `UPDATE force_offers SET unit = ?, quantity = ?, personnel = ?, equipment = ?, readiness = ?, duration = ?,
			conditions = ?, is_lead = ?, visibility = ?, source = ?, as_of = ?, note = ?, version = version + 1 WHERE id = ? AND version = ?`,
			o.Unit, o.Quantity, o.Personnel, o.Equipment, o.Readiness, o.Duration, strings.Join(o.Conditions, ","), boolInt(o.Lead),
			o.Visibility, o.Source, o.AsOf, o.Note, id, upd.Version)
		if err != nil {
			return nil, tx.s.mapErr(fmt.Errorf("sqlstore: update force offer: %w", err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			cur, err := tx.findForceOffer(ctx, id)
			if err != nil {
				return nil, err
			}
			return nil, checkVersion("force offer", id, cur.Version, upd.Version, cur)
		}
		o.Version++
		return o, tx.audit(ctx, "update", "force_offer", id, &before, o, &o.CoalitionID)
	})
}

// DeleteForceOffer withdraws an offer at the given version.
func (s *Store) DeleteForceOffer(ctx context.Context, id, version int64) error {
	return s.write(ctx, "delete force offer", func(tx *Tx) error {
		o, err := tx.findForceOffer(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.requireWrite(coalition.CanWrite(tx.user, o.Country, &o.CoalitionID), "%s", offerRule(o.Country)); err != nil {
			return err
		}
		if err := checkVersion("force offer", id, o.Version, version, o); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM force_offers WHERE id = ?", id); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: delete force offer: %w", err))
		}
		return tx.audit(ctx, "delete", "force_offer", id, o, nil, &o.CoalitionID)
	})
}
