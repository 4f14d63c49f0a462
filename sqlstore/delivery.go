package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"coalition"
)

const deliveryCols = "d.id, d.pledge_id, d.date, d.amount_eur_minor, d.quantity, d.source, d.over_delivery, d.version, d.created_at"

func scanDelivery(sc interface{ Scan(...any) error }) (*coalition.Delivery, error) {
	var d coalition.Delivery
	var qty sql.NullInt64
	var created timestamp
	if err := sc.Scan(&d.ID, &d.PledgeID, &d.Date, &d.AmountEUR, &qty, &d.Source, &d.OverDelivery, &d.Version, &created); err != nil {
		return nil, err
	}
	d.Quantity, d.CreatedAt = nullInt(qty), created.Time
	return &d, nil
}

// FindDelivery returns NotFound if id is unknown or its pledge is hidden.
func (s *Store) FindDelivery(ctx context.Context, id int64) (*coalition.Delivery, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findDelivery(ctx, id)
}

func (tx *Tx) findDelivery(ctx context.Context, id int64) (*coalition.Delivery, error) {
	cond, args := visible(tx.user, "p.", "p.donor")
	d, err := scanDelivery(tx.queryRow(ctx, "SELECT "+deliveryCols+" FROM deliveries d JOIN pledges p ON p.id = d.pledge_id WHERE d.id = ? AND "+cond,
		append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.NotFound, "delivery %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find delivery: %w", err)
	}
	return d, nil
}

// FindDeliveries returns a page of deliveries ordered by id.
func (s *Store) FindDeliveries(ctx context.Context, f coalition.DeliveryFilter) ([]*coalition.Delivery, bool, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	cond, args := visible(tx.user, "p.", "p.donor")
	where := []string{cond, "d.id > ?"}
	args = append(args, f.After)
	if f.PledgeID != 0 {
		where, args = append(where, "d.pledge_id = ?"), append(args, f.PledgeID)
	}
	if f.Donor != "" {
		where, args = append(where, "p.donor = ?"), append(args, strings.ToUpper(f.Donor))
	}
	return queryPage(ctx, tx, "deliveries", deliveryCols, "deliveries d JOIN pledges p ON p.id = d.pledge_id", where, "d.id", args, f.Limit, scanDelivery)
}

// CreateDelivery records a delivery against a visible pledge.
func (s *Store) CreateDelivery(ctx context.Context, d *coalition.Delivery) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "create delivery", func(tx *Tx) error {
		p, err := tx.findPledge(ctx, d.PledgeID)
		if err != nil {
			return err
		}
		if err := tx.requireWrite(coalition.CanWrite(tx.user, p.Donor, p.CoalitionID), "you may not record deliveries of %s", p.Donor); err != nil {
			return err
		}
		if err := tx.checkDelivery(ctx, p, d); err != nil {
			return err
		}
		d.Version, d.CreatedAt = 1, tx.now
		id, err := tx.insertID(ctx, "INSERT INTO deliveries (pledge_id, date, amount_eur_minor, quantity, source, over_delivery, version, created_at) VALUES (?,?,?,?,?,?,?,?)",
			d.PledgeID, d.Date, d.AmountEUR, d.Quantity, d.Source, d.OverDelivery, d.Version, ts(tx.now))
		if err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: create delivery: %w", err))
		}
		d.ID = id
		if err := tx.audit(ctx, "create", "delivery", id, nil, d, p.CoalitionID); err != nil {
			return err
		}
		return nil
	})
}

// checkDelivery applies coalition.CheckDelivery to d against pledge p:
// the figures of p's history without d (its other deliveries, taken in Go
// with saturating sums so that no stored row can make them overflow) and
// today's date in the store's clock.
func (tx *Tx) checkDelivery(ctx context.Context, p *coalition.Pledge, d *coalition.Delivery) error {
	h, _, err := tx.history(ctx, p, d.ID)
	if err != nil {
		return fmt.Errorf("sqlstore: check delivery: %w", err)
	}
	return coalition.CheckDelivery(p, coalition.DeriveStages(h), d, coalition.DateOf(tx.now))
}

// UpdateDelivery edits a delivery at a version, under the same rule as
// CreateDelivery; who may record a pledge's deliveries may edit them.
func (s *Store) UpdateDelivery(ctx context.Context, id int64, upd coalition.DeliveryUpdate) (*coalition.Delivery, error) {
	return writeValue(s, ctx, "update delivery", func(tx *Tx) (*coalition.Delivery, error) {
		d, err := tx.findDelivery(ctx, id)
		if err != nil {
			return nil, err
		}
		p, err := tx.findPledge(ctx, d.PledgeID)
		if err != nil {
			return nil, err
		}
		if err := tx.requireWrite(coalition.CanWrite(tx.user, p.Donor, p.CoalitionID), "you may not edit deliveries of %s", p.Donor); err != nil {
			return nil, err
		}
		if err := checkVersion("delivery", id, d.Version, upd.Version, d); err != nil {
			return nil, err
		}
		before := *d
		upd.Apply(d)
		if err := d.Validate(); err != nil {
			return nil, err
		}
		if err := tx.checkDelivery(ctx, p, d); err != nil {
			return nil, err
		}
		if _, err := tx.exec(ctx, "UPDATE deliveries SET date = ?, amount_eur_minor = ?, quantity = ?, source = ?, over_delivery = ?, version = version + 1 WHERE id = ? AND version = ?",
			d.Date, d.AmountEUR, d.Quantity, d.Source, d.OverDelivery, id, upd.Version); err != nil {
			return nil, tx.s.mapErr(fmt.Errorf("sqlstore: update delivery: %w", err))
		}
		d.Version++
		if err := tx.audit(ctx, "update", "delivery", id, before, d, p.CoalitionID); err != nil {
			return nil, err
		}
		return d, nil
	})
}

// DeleteDelivery deletes a delivery at the given version.
func (s *Store) DeleteDelivery(ctx context.Context, id, version int64) error {
	return s.write(ctx, "delete delivery", func(tx *Tx) error {
		d, err := tx.findDelivery(ctx, id)
		if err != nil {
			return err
		}
		p, err := tx.findPledge(ctx, d.PledgeID)
		if err != nil {
			return err
		}
		if err := tx.requireWrite(coalition.CanWrite(tx.user, p.Donor, p.CoalitionID), "you may not delete deliveries of %s", p.Donor); err != nil {
			return err
		}
		if err := checkVersion("delivery", id, d.Version, version, d); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM deliveries WHERE id = ?", id); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: delete delivery: %w", err))
		}
		if err := tx.audit(ctx, "delete", "delivery", id, d, nil, p.CoalitionID); err != nil {
			return err
		}
		return nil
	})
}
