package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"coalition"
)

const scenarioCols = "id, name, spec, result, coalition_id, owner, visibility, created_by, version, created_at"

func scanScenario(sc interface{ Scan(...any) error }) (*coalition.Scenario, error) {
	var s coalition.Scenario
	var spec, result string
	var coal, by sql.NullInt64
	var created timestamp
	if err := sc.Scan(&s.ID, &s.Name, &spec, &result, &coal, &s.Owner, &s.Visibility, &by, &s.Version, &created); err != nil {
		return nil, err
	}
	s.Spec = json.RawMessage(spec)
	if result != "" {
		s.Result = json.RawMessage(result)
	}
	s.CoalitionID, s.CreatedBy, s.CreatedAt = nullInt(coal), nullInt(by), created.Time
	return &s, nil
}

// FindScenario returns NotFound if id is unknown or hidden from the user.
func (s *Store) FindScenario(ctx context.Context, id int64) (*coalition.Scenario, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findScenario(ctx, id)
}

func (tx *Tx) findScenario(ctx context.Context, id int64) (*coalition.Scenario, error) {
	cond, args := visible(tx.user, "", "owner")
	sc, err := scanScenario(tx.queryRow(ctx, "SELECT "+scenarioCols+" FROM scenarios WHERE id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.NotFound, "scenario %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find scenario: %w", err)
	}
	return sc, nil
}

// FindScenarios returns a page of visible scenarios ordered by id.
func (s *Store) FindScenarios(ctx context.Context, f coalition.ScenarioFilter) ([]*coalition.Scenario, bool, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	cond, args := visible(tx.user, "", "owner")
	where := []string{cond, "id > ?"}
	args = append(args, f.After)
	if f.CoalitionID != nil {
		where, args = append(where, "coalition_id = ?"), append(args, *f.CoalitionID)
	}
	return queryPage(ctx, tx, "scenarios", scenarioCols, "scenarios", where, "id", args, f.Limit, scanScenario)
}

// CreateScenario inserts sc; its author is the user in ctx.
func (s *Store) CreateScenario(ctx context.Context, sc *coalition.Scenario) error {
	u := coalition.UserFrom(ctx)
	if sc.Owner == "" && u != nil && u.Role == coalition.Delegate {
		sc.Owner = u.Country
	}
	if err := sc.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "create scenario", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.CanSaveScenario(u, sc), "you may not save a scenario with that visibility for that coalition"); err != nil {
			return err
		}
		sc.Version, sc.CreatedAt, sc.CreatedBy = 1, tx.now, nil
		if u != nil && u.ID != 0 {
			id := u.ID
			sc.CreatedBy = &id
		}
		id, err := tx.insertID(ctx, `INSERT INTO scenarios (name, spec, result, coalition_id, owner, visibility, created_by, version, created_at)
			VALUES (?,?,?,?,?,?,?,?,?)`,
			sc.Name, string(sc.Spec), string(sc.Result), sc.CoalitionID, sc.Owner, sc.Visibility, sc.CreatedBy, sc.Version, ts(tx.now))
		if err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: create scenario: %w", err))
		}
		sc.ID = id
		if err := tx.audit(ctx, "create", "scenario", id, nil, map[string]any{"name": sc.Name, "visibility": sc.Visibility, "spec": sc.Spec}, sc.CoalitionID); err != nil {
			return err
		}
		return nil
	})
}

// DeleteScenario deletes a visible scenario at the given version.
func (s *Store) DeleteScenario(ctx context.Context, id, version int64) error {
	return s.write(ctx, "delete scenario", func(tx *Tx) error {
		sc, err := tx.findScenario(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.requireWrite(coalition.CanDeleteScenario(tx.user, sc), "only its author and the coalition's coordinators delete a scenario"); err != nil {
			return err
		}
		if err := checkVersion("scenario", id, sc.Version, version, sc); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM scenarios WHERE id = ?", id); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: delete scenario: %w", err))
		}
		if err := tx.audit(ctx, "delete", "scenario", id, map[string]any{"name": sc.Name}, nil, sc.CoalitionID); err != nil {
			return err
		}
		return nil
	})
}
