package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"coalition"
)

const riskCols = "id, iso3, date, earliest, latest, date_unknown, kind, label, probability, factor, source, assumption, version, created_at"

func scanRisk(sc interface{ Scan(...any) error }) (*coalition.RiskEvent, error) {
	var r coalition.RiskEvent
	var created timestamp
	var earliest, latest coalition.Date
	var unknown int64
	if err := sc.Scan(&r.ID, &r.ISO3, &r.Date, &earliest, &latest, &unknown, &r.Kind, &r.Label, &r.Probability, &r.Factor,
		&r.Source, &r.Assumption, &r.Version, &created); err != nil {
		return nil, err
	}
	if !earliest.IsZero() {
		r.Earliest, r.Latest = &earliest, &latest
	}
	r.DateUnknown = unknown != 0
	r.CreatedAt = created.Time
	return &r, nil
}

// windowArgs are the stored values of a risk event's window: NULL when it
// has none (a zero Date stores as NULL).
func windowArgs(r *coalition.RiskEvent) (earliest, latest coalition.Date, unknown int64) {
	if r.Earliest != nil {
		earliest, latest = *r.Earliest, *r.Latest
	}
	if r.DateUnknown {
		unknown = 1
	}
	return earliest, latest, unknown
}

// FindRiskEvents lists risk events by date.
func (s *Store) FindRiskEvents(ctx context.Context, f coalition.RiskEventFilter) ([]*coalition.RiskEvent, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	where, args := []string{"1=1"}, []any{}
	if f.ISO3 != "" {
		where, args = append(where, "iso3 = ?"), append(args, strings.ToUpper(f.ISO3))
	}
	if !f.From.IsZero() {
		where, args = append(where, "date >= ?"), append(args, f.From.String())
	}
	if !f.To.IsZero() {
		where, args = append(where, "date <= ?"), append(args, f.To.String())
	}
	rows, err := tx.query(ctx, "SELECT "+riskCols+" FROM risk_events WHERE "+strings.Join(where, " AND ")+" ORDER BY date, iso3, id", args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find risk events: %w", err)
	}
	defer rows.Close()
	var out []*coalition.RiskEvent
	for rows.Next() {
		r, err := scanRisk(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: find risk events: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindRiskEvent returns one risk event (risk events are public).
func (s *Store) FindRiskEvent(ctx context.Context, id int64) (*coalition.RiskEvent, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := scanRisk(tx.queryRow(ctx, "SELECT "+riskCols+" FROM risk_events WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.NotFound, "risk event %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find risk event: %w", err)
	}
	return r, nil
}

// CreateRiskEvent inserts r; Conflict if the same event exists.
func (s *Store) CreateRiskEvent(ctx context.Context, r *coalition.RiskEvent) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "create risk event", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.CanEditRisk(tx.user), "only admins and coordinators edit risk events"); err != nil {
			return err
		}
		if err := tx.createRiskEvent(ctx, r); err != nil {
			return err
		}
		if err := tx.audit(ctx, "create", "risk_event", r.ID, nil, r, nil); err != nil {
			return err
		}
		return nil
	})
}

func (tx *Tx) createRiskEvent(ctx context.Context, r *coalition.RiskEvent) error {
	r.Version, r.CreatedAt = 1, tx.now
	earliest, latest, unknown := windowArgs(r)
	id, err := tx.insertID(ctx, "INSERT INTO risk_events (iso3, date, earliest, latest, date_unknown, kind, label, probability, factor, source, assumption, version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
		r.ISO3, r.Date, earliest, latest, unknown, r.Kind, r.Label, r.Probability, r.Factor, r.Source, r.Assumption, r.Version, ts(tx.now))
	if err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: create risk event: %w", err))
	}
	r.ID = id
	return nil
}

// UpdateRiskEvent edits a risk event at a version: any field, its date and
// window included.
func (s *Store) UpdateRiskEvent(ctx context.Context, id int64, upd coalition.RiskEventUpdate) (*coalition.RiskEvent, error) {
	return writeValue(s, ctx, "update risk event", func(tx *Tx) (*coalition.RiskEvent, error) {
		if err := tx.requireWrite(coalition.CanEditRisk(tx.user), "only admins and coordinators edit risk events"); err != nil {
			return nil, err
		}
		r, err := scanRisk(tx.queryRow(ctx, "SELECT "+riskCols+" FROM risk_events WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, coalition.Errorf(coalition.NotFound, "risk event %d not found", id)
		}
		if err != nil {
			return nil, fmt.Errorf("sqlstore: update risk event: %w", err)
		}
		if err := checkVersion("risk event", id, r.Version, upd.Version, r); err != nil {
			return nil, err
		}
		before := *r
		upd.Apply(r)
		if err := r.Validate(); err != nil {
			return nil, err
		}
		earliest, latest, unknown := windowArgs(r)
		if _, err := tx.exec(ctx, "UPDATE risk_events SET iso3 = ?, date = ?, earliest = ?, latest = ?, date_unknown = ?, kind = ?, source = ?, "+
			"probability = ?, factor = ?, label = ?, assumption = ?, version = version + 1 WHERE id = ? AND version = ?",
			r.ISO3, r.Date, earliest, latest, unknown, r.Kind, r.Source,
			r.Probability, r.Factor, r.Label, r.Assumption, id, upd.Version); err != nil {
			return nil, tx.s.mapErr(fmt.Errorf("sqlstore: update risk event: %w", err))
		}
		r.Version++
		if err := tx.audit(ctx, "update", "risk_event", id, before, r, nil); err != nil {
			return nil, err
		}
		return r, nil
	})
}

// DeleteRiskEvent deletes a risk event at the given version (admins and
// coordinators, as for editing).
func (s *Store) DeleteRiskEvent(ctx context.Context, id, version int64) error {
	return s.write(ctx, "delete risk event", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.CanEditRisk(tx.user), "only admins and coordinators edit risk events"); err != nil {
			return err
		}
		r, err := scanRisk(tx.queryRow(ctx, "SELECT "+riskCols+" FROM risk_events WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return coalition.Errorf(coalition.NotFound, "risk event %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("sqlstore: delete risk event: %w", err)
		}
		if err := checkVersion("risk event", id, r.Version, version, r); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM risk_events WHERE id = ? AND version = ?", id, version); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: delete risk event: %w", err))
		}
		return tx.audit(ctx, "delete", "risk_event", id, r, nil, nil)
	})
}
