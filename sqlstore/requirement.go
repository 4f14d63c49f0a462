package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"coalition"
)

const requirementCols = `id, coalition_id, recipient, category, amount_eur_minor, quantity, unit_value_eur_minor, from_month, to_month,
	priority, visibility, source, version, created_at, capability, unit, as_of, note`

func scanRequirement(sc interface{ Scan(...any) error }) (*coalition.Requirement, error) {
	var r coalition.Requirement
	var coal, qty sql.NullInt64
	var created timestamp
	if err := sc.Scan(&r.ID, &coal, &r.Recipient, &r.Category, &r.AmountEUR, &qty, &r.UnitValue, &r.From, &r.To,
		&r.Priority, &r.Visibility, &r.Source, &r.Version, &created, &r.Capability, &r.Unit, &r.AsOf, &r.Note); err != nil {
		return nil, err
	}
	r.CoalitionID, r.Quantity, r.CreatedAt = nullInt(coal), nullInt(qty), created.Time
	return &r, nil
}

// FindRequirement returns NotFound if id is unknown or hidden.
func (s *Store) FindRequirement(ctx context.Context, id int64) (*coalition.Requirement, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findRequirement(ctx, id)
}

func (tx *Tx) findRequirement(ctx context.Context, id int64) (*coalition.Requirement, error) {
	cond, args := visible(tx.user, "", "recipient")
	r, err := scanRequirement(tx.queryRow(ctx, "SELECT "+requirementCols+" FROM requirements WHERE id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.NotFound, "requirement %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find requirement: %w", err)
	}
	return r, nil
}

// FindRequirements returns a page ordered by id.
func (s *Store) FindRequirements(ctx context.Context, f coalition.RequirementFilter) ([]*coalition.Requirement, bool, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	cond, args := visible(tx.user, "", "recipient")
	where := []string{cond, "id > ?"}
	args = append(args, f.After)
	if f.CoalitionID != nil {
		where, args = append(where, "coalition_id = ?"), append(args, *f.CoalitionID)
	}
	if f.Category != "" {
		where, args = append(where, "category = ?"), append(args, f.Category)
	}
	return queryPage(ctx, tx, "requirements", requirementCols, "requirements", where, "id", args, f.Limit, scanRequirement)
}

// CreateRequirement inserts r.
func (s *Store) CreateRequirement(ctx context.Context, r *coalition.Requirement) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "create requirement", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.CanManageCoalition(tx.user, r.CoalitionID), "only the coalition's coordinators set its requirements"); err != nil {
			return err
		}
		if err := tx.checkCapability(ctx, r); err != nil {
			return err
		}
		r.Version, r.CreatedAt = 1, tx.now
		id, err := tx.insertID(ctx, `INSERT INTO requirements (coalition_id, recipient, category, amount_eur_minor, quantity, unit_value_eur_minor,
			from_month, to_month, priority, visibility, source, version, created_at, capability, unit, as_of, note)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			r.CoalitionID, r.Recipient, r.Category, r.AmountEUR, r.Quantity, r.UnitValue, r.From, r.To, r.Priority, r.Visibility,
			r.Source, r.Version, ts(tx.now), r.Capability, r.Unit, r.AsOf, r.Note)
		if err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: create requirement: %w", err))
		}
		r.ID = id
		if err := tx.audit(ctx, "create", "requirement", id, nil, r, r.CoalitionID); err != nil {
			return err
		}
		return nil
	})
}

// DeleteRequirement deletes a requirement at the given version.
func (s *Store) DeleteRequirement(ctx context.Context, id, version int64) error {
	return s.write(ctx, "delete requirement", func(tx *Tx) error {
		r, err := tx.findRequirement(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.requireWrite(coalition.CanManageCoalition(tx.user, r.CoalitionID), "only the coalition's coordinators set its requirements"); err != nil {
			return err
		}
		if err := checkVersion("requirement", id, r.Version, version, r); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM requirements WHERE id = ?", id); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: delete requirement: %w", err))
		}
		if err := tx.audit(ctx, "delete", "requirement", id, r, nil, r.CoalitionID); err != nil {
			return err
		}
		return nil
	})
}

// UpdateRequirement applies upd if upd.Version is current. The coalition
// of a requirement is not changed by an update (delete and create instead).
func (s *Store) UpdateRequirement(ctx context.Context, id int64, upd coalition.RequirementUpdate) (*coalition.Requirement, error) {
	return writeValue(s, ctx, "update requirement", func(tx *Tx) (*coalition.Requirement, error) {
		r, err := tx.findRequirement(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := tx.requireWrite(coalition.CanManageCoalition(tx.user, r.CoalitionID), "only the coalition's coordinators set its requirements"); err != nil {
			return nil, err
		}
		if err := checkVersion("requirement", id, r.Version, upd.Version, r); err != nil {
			return nil, err
		}
		before := *r
		upd.Apply(r)
		if err := r.Validate(); err != nil {
			return nil, err
		}
		if r.Capability != before.Capability || r.Category != before.Category {
			if err := tx.checkCapability(ctx, r); err != nil {
				return nil, err
			}
		}
		res, err := tx.exec(ctx, `UPDATE requirements SET category = ?, amount_eur_minor = ?, quantity = ?, unit_value_eur_minor = ?,
			from_month = ?, to_month = ?, priority = ?, visibility = ?, source = ?, capability = ?, unit = ?, as_of = ?, note = ?,
			version = version + 1 WHERE id = ? AND version = ?`,
			r.Category, r.AmountEUR, r.Quantity, r.UnitValue, r.From, r.To, r.Priority, r.Visibility, r.Source,
			r.Capability, r.Unit, r.AsOf, r.Note, id, upd.Version)
		if err != nil {
			return nil, tx.s.mapErr(fmt.Errorf("sqlstore: update requirement: %w", err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			// Changed by another transaction between our read and our write.
			cur, err := tx.findRequirement(ctx, id)
			if err != nil {
				return nil, err
			}
			return nil, checkVersion("requirement", id, cur.Version, upd.Version, cur)
		}
		r.Version++
		if err := tx.audit(ctx, "update", "requirement", id, &before, r, r.CoalitionID); err != nil {
			return nil, err
		}
		return r, nil
	})
}
