package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"coalition"
)

// The stage history of pledges (coalition.StageEntry, migration 0012). The
// rules are the root package's (PledgeHistory, DeriveStages, CheckStage,
// ConvertStage); this file reads and appends rows. A pledge without rows
// has the history its record implies (coalition.ImpliedHistory): the
// first write that appends to it stores those implied rows first
// (storeImplied), with recorded_by '' saying they were implied.

const stageCols = `id, pledge_id, stage, date, amount_minor, currency, amount_eur_minor, fx_rate, fx_month, source,
	recorded_by, correction, created_at`

func scanStage(sc interface{ Scan(...any) error }) (coalition.StageEntry, error) {
	var e coalition.StageEntry
	var created timestamp
	err := sc.Scan(&e.ID, &e.PledgeID, &e.Stage, &e.Date, &e.Amount.Minor, &e.Amount.Currency, &e.AmountEUR, &e.FXRate,
		&e.FXMonth, &e.Source, &e.RecordedBy, &e.Correction, &created)
	e.CreatedAt, e.Implied = created.Time, e.RecordedBy == ""
	return e, err
}

// storedStages returns pledge id's stored entries in the order recorded.
func (tx *Tx) storedStages(ctx context.Context, id int64) ([]coalition.StageEntry, error) {
	rows, err := tx.query(ctx, "SELECT "+stageCols+" FROM pledge_stages WHERE pledge_id = ? ORDER BY id", id)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read stages: %w", err)
	}
	defer rows.Close()
	var out []coalition.StageEntry
	for rows.Next() {
		e, err := scanStage(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: read stages: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: read stages: %w", err)
	}
	return out, nil
}

// deliveriesOf returns the deliveries of pledge id but the one numbered
// except (0: none), ordered by id. The caller has found the pledge, so
// they are visible.
func (tx *Tx) deliveriesOf(ctx context.Context, id, except int64) ([]*coalition.Delivery, error) {
	rows, err := tx.query(ctx, "SELECT "+deliveryCols+" FROM deliveries d WHERE d.pledge_id = ? AND d.id <> ? ORDER BY d.id", id, except)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read deliveries: %w", err)
	}
	defer rows.Close()
	var out []*coalition.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: read deliveries: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// history is pledge p's history (coalition.PledgeHistory) without the
// delivery numbered except (0: none), and whether it has stored rows.
func (tx *Tx) history(ctx context.Context, p *coalition.Pledge, except int64) (h []coalition.StageEntry, stored bool, err error) {
	rows, err := tx.storedStages(ctx, p.ID)
	if err != nil {
		return nil, false, err
	}
	ds, err := tx.deliveriesOf(ctx, p.ID, except)
	if err != nil {
		return nil, false, err
	}
	return coalition.PledgeHistory(p, rows, ds), len(rows) > 0, nil
}

// PledgeHistory returns the history of a visible pledge and its figures.
func (s *Store) PledgeHistory(ctx context.Context, id int64) ([]coalition.StageEntry, coalition.StageFigures, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, coalition.StageFigures{}, err
	}
	defer tx.Rollback()
	p, err := tx.findPledge(ctx, id)
	if err != nil {
		return nil, coalition.StageFigures{}, err
	}
	h, _, err := tx.history(ctx, p, 0)
	if err != nil {
		return nil, coalition.StageFigures{}, err
	}
	return h, coalition.DeriveStages(h), nil
}

// insertStage appends e, setting its ID and CreatedAt.
func (tx *Tx) insertStage(ctx context.Context, e *coalition.StageEntry) error {
	e.CreatedAt = tx.now
	id, err := tx.insertID(ctx, `INSERT INTO pledge_stages (pledge_id, stage, date, amount_minor, currency, amount_eur_minor, fx_rate,
		fx_month, source, recorded_by, correction, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
		e.PledgeID, e.Stage, e.Date, e.Amount.Minor, e.Amount.Currency, e.AmountEUR, e.FXRate, e.FXMonth, e.Source,
		e.RecordedBy, e.Correction, ts(tx.now))
	if err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: record stage: %w", err))
	}
	e.ID, e.Implied = id, e.RecordedBy == ""
	return nil
}

// storeImplied stores the implied entries of a history that has no stored
// rows (stored false), so that what follows is appended to them and the
// announcement's source stays what the pledge said before any change.
func (tx *Tx) storeImplied(ctx context.Context, h []coalition.StageEntry, stored bool) error {
	if stored {
		return nil
	}
	for i := range h {
		if h[i].DeliveryID != 0 {
			continue
		}
		h[i].RecordedBy = ""
		if err := tx.insertStage(ctx, &h[i]); err != nil {
			return err
		}
	}
	return nil
}

// recordedBy names the user of the transaction in a stage entry.
func (tx *Tx) recordedBy() string {
	if tx.user == nil {
		return ""
	}
	return tx.user.Email
}

// convertStage converts e at the pledge's announcement rate; a missing rate
// is the entry's currency's fault.
func (tx *Tx) convertStage(ctx context.Context, e *coalition.StageEntry, p *coalition.Pledge) error {
	err := coalition.ConvertStage(e, p, func(cur string, m coalition.Month) (*coalition.FXRate, error) {
		return tx.findRate(ctx, cur, m)
	})
	if coalition.ErrorKind(err) == coalition.NotFound {
		return coalition.FieldError("amount.currency", "no ECB reference rate for %s on or before %s", e.Amount.Currency, p.Announced.Month())
	}
	return err
}

// RecordStage appends a step a person records to a pledge's history and
// moves the pledge's status to the stage derived from it.
func (s *Store) RecordStage(ctx context.Context, e *coalition.StageEntry) (*coalition.Pledge, error) {
	return writeValue(s, ctx, "record stage", func(tx *Tx) (*coalition.Pledge, error) {
		p, err := tx.findPledge(ctx, e.PledgeID)
		if err != nil {
			return nil, err
		}
		if err := tx.requireWrite(coalition.CanWrite(tx.user, p.Donor, p.CoalitionID), "you may not record stages of pledges of %s", p.Donor); err != nil {
			return nil, err
		}
		e.Amount.Currency = strings.ToUpper(e.Amount.Currency)
		if e.Amount.Currency == "" {
			e.Amount.Currency = p.Amount.Currency
		}
		e.ID, e.DeliveryID, e.Implied, e.RecordedBy = 0, 0, false, tx.recordedBy()
		if err := e.Validate(); err != nil {
			return nil, err
		}
		if err := tx.convertStage(ctx, e, p); err != nil {
			return nil, err
		}
		h, stored, err := tx.history(ctx, p, 0)
		if err != nil {
			return nil, err
		}
		if err := coalition.CheckStage(h, e); err != nil {
			return nil, err
		}
		if err := tx.storeImplied(ctx, h, stored); err != nil {
			return nil, err
		}
		if err := tx.insertStage(ctx, e); err != nil {
			return nil, err
		}
		if err := tx.audit(ctx, "create", "pledge_stage", e.ID, nil, e, p.CoalitionID); err != nil {
			return nil, err
		}
		return tx.moveToStage(ctx, p, coalition.DeriveStages(append(h, *e)).Stage)
	})
}

// moveToStage sets p's status to stage (the one derived from its history)
// when it differs, as a new version of the pledge, audited.
func (tx *Tx) moveToStage(ctx context.Context, p *coalition.Pledge, stage coalition.PledgeStatus) (*coalition.Pledge, error) {
	if p.Status == stage {
		return p, nil
	}
	before := *p
	if _, err := tx.exec(ctx, "UPDATE pledges SET status = ?, version = version + 1, updated_at = ? WHERE id = ?",
		stage, ts(tx.now), p.ID); err != nil {
		return nil, tx.s.mapErr(fmt.Errorf("sqlstore: move pledge to %s: %w", stage, err))
	}
	p.Status, p.Version, p.UpdatedAt = stage, p.Version+1, tx.now
	if err := tx.audit(ctx, "update", "pledge", p.ID, before, p, p.CoalitionID); err != nil {
		return nil, err
	}
	return p, nil
}

// recordEdit appends to a pledge's history what an edit of before into p
// says (coalition.EditEntries), storing the implied history first, and
// sets p's status to the stage derived from it. A status edit that names
// a source gives it to the new stage: the pledge keeps the source of its
// announcement.
func (tx *Tx) recordEdit(ctx context.Context, before, p *coalition.Pledge, upd coalition.PledgeUpdate) error {
	h, stored, err := tx.history(ctx, before, 0)
	if err != nil {
		return err
	}
	var source, correction string
	if upd.Correction != nil {
		correction = *upd.Correction
	}
	if p.Status != before.Status && upd.Source != nil {
		source, p.Source = *upd.Source, before.Source
	}
	add, err := coalition.EditEntries(before, p, h, coalition.DateOf(tx.now), source, correction)
	if err != nil {
		return err
	}
	if err := tx.storeImplied(ctx, h, stored); err != nil {
		return err
	}
	for i := range add {
		add[i].RecordedBy = tx.recordedBy()
		if err := tx.insertStage(ctx, &add[i]); err != nil {
			return err
		}
		// Audited on its own: a move back's reason is in this entry.
		if err := tx.audit(ctx, "create", "pledge_stage", add[i].ID, nil, add[i], p.CoalitionID); err != nil {
			return err
		}
	}
	p.Status = coalition.DeriveStages(append(h, add...)).Stage
	return nil
}

// recordRewrite appends to the stored history of a pledge that a load or
// an import rewrote (before into p) what the new record says
// (coalition.EditEntries), as a correction naming where it came from, so
// that its status stays the stage its history derives. A pledge without
// a stored history needs nothing: its history is the one its new record
// implies.
func (tx *Tx) recordRewrite(ctx context.Context, before, p *coalition.Pledge) error {
	h, stored, err := tx.history(ctx, before, 0)
	if err != nil || !stored {
		return err
	}
	why := "rewritten by an import of " + p.Source
	if p.Release != "" {
		why = "rewritten by release " + p.Release + " of " + p.Dataset
	}
	add, err := coalition.EditEntries(before, p, h, coalition.DateOf(tx.now), p.Source, why)
	if err != nil {
		return err
	}
	for i := range add {
		add[i].RecordedBy = tx.recordedBy()
		if err := tx.insertStage(ctx, &add[i]); err != nil {
			return err
		}
	}
	if stage := coalition.DeriveStages(append(h, add...)).Stage; stage != p.Status {
		if _, err := tx.exec(ctx, "UPDATE pledges SET status = ? WHERE id = ?", stage, p.ID); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: import: status of pledge %d: %w", p.ID, err))
		}
		p.Status = stage
	}
	return nil
}
