package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"coalition"
)

const pledgeCols = `id, donor, recipient, coalition_id, category, amount_minor, currency, amount_eur_minor, fx_rate, fx_month,
	quantity, unit, announced, deliver_from, deliver_to, status, conditions, visibility, source, source_ref, as_of,
	provenance, version, created_at, updated_at, dataset, dataset_release`

func scanPledge(sc interface{ Scan(...any) error }) (*coalition.Pledge, error) {
	var p coalition.Pledge
	var coal, qty sql.NullInt64
	var created, updated timestamp
	err := sc.Scan(&p.ID, &p.Donor, &p.Recipient, &coal, &p.Category, &p.Amount.Minor, &p.Amount.Currency, &p.AmountEUR,
		&p.FXRate, &p.FXMonth, &qty, &p.Unit, &p.Announced, &p.DeliverFrom, &p.DeliverTo, &p.Status, &p.Conditions,
		&p.Visibility, &p.Source, &p.SourceRef, &p.AsOf, &p.Provenance, &p.Version, &created, &updated, &p.Dataset, &p.Release)
	if err != nil {
		return nil, err
	}
	p.CoalitionID, p.Quantity = nullInt(coal), nullInt(qty)
	p.CreatedAt, p.UpdatedAt = created.Time, updated.Time
	return &p, nil
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

// FindPledge returns NotFound if id is unknown or hidden from the user.
func (s *Store) FindPledge(ctx context.Context, id int64) (*coalition.Pledge, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findPledge(ctx, id)
}

func (tx *Tx) findPledge(ctx context.Context, id int64) (*coalition.Pledge, error) {
	cond, args := visible(tx.user, "", "donor")
	p, err := scanPledge(tx.queryRow(ctx, "SELECT "+pledgeCols+" FROM pledges WHERE id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.NotFound, "pledge %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find pledge: %w", err)
	}
	return p, nil
}

// pageSize applies the default and the hard cap.
func pageSize(n int) int {
	if n <= 0 {
		return 100
	}
	return min(n, coalition.MaxPageSize)
}

// FindPledges returns one page ordered by id (keyset pagination).
func (s *Store) FindPledges(ctx context.Context, f coalition.PledgeFilter) ([]*coalition.Pledge, bool, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	cond, args := visible(tx.user, "", "donor")
	where := []string{cond, "id > ?"}
	args = append(args, f.After)
	add := func(clause string, v any) {
		where = append(where, clause)
		args = append(args, v)
	}
	if f.Donor != "" {
		add("donor = ?", strings.ToUpper(f.Donor))
	}
	if f.Recipient != "" {
		add("recipient = ?", strings.ToUpper(f.Recipient))
	}
	if f.Category != "" {
		add("category = ?", f.Category)
	}
	if f.Type != "" {
		add("support_type = ?", string(f.Type))
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if f.CoalitionID != nil {
		add("coalition_id = ?", *f.CoalitionID)
	}
	if !f.From.IsZero() {
		add("announced >= ?", f.From.String())
	}
	if !f.To.IsZero() {
		add("announced <= ?", f.To.String())
	}
	if f.SourceRef != "" {
		add("source_ref = ?", f.SourceRef)
	}
	if f.People {
		add("dataset = ?", "")
	}
	return queryPage(ctx, tx, "pledges", pledgeCols, "pledges", where, "id", args, f.Limit, scanPledge)
}

// CreatePledge inserts p and sets ID, Version and the timestamps. A pledge
// entered this way belongs to no published dataset (Dataset and Release are
// cleared): only loads and imports of a release set them. Its euro amount
// is converted here (coalition.ConvertPledge), whatever the caller sent.
func (s *Store) CreatePledge(ctx context.Context, p *coalition.Pledge) error {
	p.Dataset, p.Release = "", ""
	return s.write(ctx, "create pledge", func(tx *Tx) error {
		if err := tx.toEUR(ctx, p); err != nil {
			return err
		}
		if err := p.Validate(); err != nil {
			return err
		}
		if err := tx.createPledge(ctx, p); err != nil {
			return err
		}
		return tx.audit(ctx, "create", "pledge", p.ID, nil, p, p.CoalitionID)
	})
}

func (tx *Tx) createPledge(ctx context.Context, p *coalition.Pledge) error {
	if err := tx.requireWrite(coalition.CanWrite(tx.user, p.Donor, p.CoalitionID),
		"you may not enter pledges for %s", p.Donor); err != nil {
		return err
	}
	cat, _ := coalition.CategoryByCode(p.Category)
	p.Version, p.CreatedAt, p.UpdatedAt = 1, tx.now, tx.now
	id, err := tx.insertID(ctx, `INSERT INTO pledges (donor, recipient, coalition_id, category, support_type, amount_minor, currency,
		amount_eur_minor, fx_rate, fx_month, quantity, unit, announced, deliver_from, deliver_to, status, conditions, visibility,
		source, source_ref, as_of, provenance, version, created_at, updated_at, dataset, dataset_release)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		p.Donor, p.Recipient, p.CoalitionID, p.Category, string(cat.Type), p.Amount.Minor, p.Amount.Currency, p.AmountEUR,
		p.FXRate, p.FXMonth, p.Quantity, p.Unit, p.Announced, p.DeliverFrom, p.DeliverTo, p.Status, p.Conditions,
		p.Visibility, p.Source, p.SourceRef, p.AsOf, p.Provenance, p.Version, ts(tx.now), ts(tx.now), p.Dataset, p.Release)
	if err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: create pledge: %w", err))
	}
	p.ID = id
	return tx.recordCreated(ctx, p)
}

// recordCreated stores the history a new pledge's record implies (its
// announcement, and every stage up to its status), recorded by the user:
// from now on the announcement and its source are rows of their own.
func (tx *Tx) recordCreated(ctx context.Context, p *coalition.Pledge) error {
	for _, e := range coalition.ImpliedHistory(p, false) {
		e.RecordedBy = tx.recordedBy()
		if err := tx.insertStage(ctx, &e); err != nil {
			return err
		}
	}
	return nil
}

// UpdatePledge applies upd if upd.Version is current.
func (s *Store) UpdatePledge(ctx context.Context, id int64, upd coalition.PledgeUpdate) (*coalition.Pledge, error) {
	return writeValue(s, ctx, "update pledge", func(tx *Tx) (*coalition.Pledge, error) {
		before, err := tx.findPledge(ctx, id)
		if err != nil {
			return nil, err
		}
		p, err := tx.updatePledge(ctx, id, upd)
		if err != nil {
			return nil, err
		}
		if err := tx.audit(ctx, "update", "pledge", id, before, p, p.CoalitionID); err != nil {
			return nil, err
		}
		return p, nil
	})
}

func (tx *Tx) updatePledge(ctx context.Context, id int64, upd coalition.PledgeUpdate) (*coalition.Pledge, error) {
	p, err := tx.findPledge(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := tx.requireWrite(coalition.CanWrite(tx.user, p.Donor, p.CoalitionID), "you may not change pledges of %s", p.Donor); err != nil {
		return nil, err
	}
	if err := checkVersion("pledge", id, p.Version, upd.Version, p); err != nil {
		return nil, err
	}
	before := *p
	upd.Apply(p)
	if !coalition.CanWrite(tx.user, p.Donor, p.CoalitionID) {
		return nil, coalition.Errorf(coalition.Forbidden, "you may not move a pledge where you could not write it")
	}
	if upd.AmountEUR == nil && (upd.Amount != nil || upd.Announced != nil) {
		// A new amount or date converts again; loads that bring their own
		// converted figures set AmountEUR.
		if err := tx.toEUR(ctx, p); err != nil {
			return nil, err
		}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := tx.recordEdit(ctx, &before, p, upd); err != nil {
		return nil, err
	}
	cat, _ := coalition.CategoryByCode(p.Category)
	res, err := tx.exec(ctx, `UPDATE pledges SET category = ?, support_type = ?, amount_minor = ?, currency = ?, amount_eur_minor = ?,
		fx_rate = ?, quantity = ?, announced = ?, deliver_from = ?, deliver_to = ?, status = ?, conditions = ?, visibility = ?,
		source = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		p.Category, string(cat.Type), p.Amount.Minor, p.Amount.Currency, p.AmountEUR, p.FXRate, p.Quantity, p.Announced,
		p.DeliverFrom, p.DeliverTo, p.Status, p.Conditions, p.Visibility, p.Source, ts(tx.now), id, upd.Version)
	if err != nil {
		return nil, tx.s.mapErr(fmt.Errorf("sqlstore: update pledge: %w", err))
	}
	if n, _ := res.RowsAffected(); n != 1 {
		// Another transaction committed between our read and our write
		// (PostgreSQL, READ COMMITTED): answer with the pledge as it is now.
		cur, err := tx.findPledge(ctx, id)
		if err != nil {
			return nil, err
		}
		return nil, &coalition.StaleError{Err: coalition.Errorf(coalition.Conflict,
			"pledge %d changed meanwhile (now version %d): reload and try again", id, cur.Version), Current: cur}
	}
	p.Version++
	p.UpdatedAt = tx.now
	return p, nil
}

// DeletePledge deletes a pledge (and its deliveries) at the given version.
func (s *Store) DeletePledge(ctx context.Context, id, version int64) error {
	return s.write(ctx, "delete pledge", func(tx *Tx) error {
		p, err := tx.findPledge(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.requireWrite(coalition.CanWrite(tx.user, p.Donor, p.CoalitionID), "you may not delete pledges of %s", p.Donor); err != nil {
			return err
		}
		if err := checkVersion("pledge", id, p.Version, version, p); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM pledges WHERE id = ? AND version = ?", id, version); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: delete pledge: %w", err))
		}
		if err := tx.audit(ctx, "delete", "pledge", id, p, nil, p.CoalitionID); err != nil {
			return err
		}
		return nil
	})
}
