package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"coalition"
)

const engagementCols = "id, date, kind, title, summary, topics, asks, outcomes, coalition_id, visibility, source, source_ref, provenance, version, created_at"

func scanEngagement(sc interface{ Scan(...any) error }) (*coalition.Engagement, error) {
	var e coalition.Engagement
	var topics string
	var coal sql.NullInt64
	var created timestamp
	if err := sc.Scan(&e.ID, &e.Date, &e.Kind, &e.Title, &e.Summary, &topics, &e.Asks, &e.Outcomes, &coal, &e.Visibility,
		&e.Source, &e.SourceRef, &e.Provenance, &e.Version, &created); err != nil {
		return nil, err
	}
	e.Topics, e.CoalitionID, e.CreatedAt = splitTopics(topics), nullInt(coal), created.Time
	e.Participants = []coalition.Participant{}
	return &e, nil
}

// Topics are stored as "|a|b|" so that one LIKE finds one topic exactly.
func joinTopics(ts []string) string {
	if len(ts) == 0 {
		return ""
	}
	return "|" + strings.Join(ts, "|") + "|"
}

func splitTopics(s string) []string {
	s = strings.Trim(s, "|")
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "|")
}

// FindEngagement returns NotFound if id is unknown or hidden.
func (s *Store) FindEngagement(ctx context.Context, id int64) (*coalition.Engagement, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findEngagement(ctx, id)
}

func (tx *Tx) findEngagement(ctx context.Context, id int64) (*coalition.Engagement, error) {
	cond, args := visible(tx.user, "", "owner")
	e, err := scanEngagement(tx.queryRow(ctx, "SELECT "+engagementCols+" FROM engagements WHERE id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.NotFound, "engagement %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find engagement: %w", err)
	}
	return e, tx.loadParticipants(ctx, []*coalition.Engagement{e})
}

func (tx *Tx) loadParticipants(ctx context.Context, es []*coalition.Engagement) error {
	if len(es) == 0 {
		return nil
	}
	byID := make(map[int64]*coalition.Engagement, len(es))
	args := make([]any, len(es))
	for i, e := range es {
		byID[e.ID] = e
		args[i] = e.ID
	}
	rows, err := tx.query(ctx, "SELECT engagement_id, name, role, iso3 FROM engagement_participants WHERE engagement_id IN ("+
		strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")+") ORDER BY engagement_id, pos", args...)
	if err != nil {
		return fmt.Errorf("sqlstore: participants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p coalition.Participant
		if err := rows.Scan(&id, &p.Name, &p.Role, &p.ISO3); err != nil {
			return fmt.Errorf("sqlstore: participants: %w", err)
		}
		byID[id].Participants = append(byID[id].Participants, p)
	}
	return rows.Err()
}

// FindEngagements returns a page ordered by id.
func (s *Store) FindEngagements(ctx context.Context, f coalition.EngagementFilter) ([]*coalition.Engagement, bool, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	cond, args := visible(tx.user, "", "owner")
	where := []string{cond, "id > ?"}
	args = append(args, f.After)
	if f.Country != "" {
		where = append(where, "id IN (SELECT engagement_id FROM engagement_participants WHERE iso3 = ?)")
		args = append(args, strings.ToUpper(f.Country))
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	if f.Topic != "" {
		where, args = append(where, "topics LIKE ?"), append(args, "%|"+f.Topic+"|%")
	}
	if !f.From.IsZero() {
		where, args = append(where, "date >= ?"), append(args, f.From.String())
	}
	if !f.To.IsZero() {
		where, args = append(where, "date <= ?"), append(args, f.To.String())
	}
	out, more, err := queryPage(ctx, tx, "engagements", engagementCols, "engagements", where, "id", args, f.Limit, scanEngagement)
	if err != nil {
		return nil, false, err
	}
	return out, more, tx.loadParticipants(ctx, out)
}

// CreateEngagement inserts e and its participants.
func (s *Store) CreateEngagement(ctx context.Context, e *coalition.Engagement) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "create engagement", func(tx *Tx) error {
		if err := tx.createEngagement(ctx, e); err != nil {
			return err
		}
		if err := tx.audit(ctx, "create", "engagement", e.ID, nil, e, e.CoalitionID); err != nil {
			return err
		}
		return nil
	})
}

func (tx *Tx) createEngagement(ctx context.Context, e *coalition.Engagement) error {
	if err := tx.requireWrite(coalition.CanWrite(tx.user, e.Participants[0].ISO3, e.CoalitionID),
		"you may not record engagements of %s", e.Participants[0].ISO3); err != nil {
		return err
	}
	e.Version, e.CreatedAt = 1, tx.now
	if e.Topics == nil {
		e.Topics = []string{}
	}
	id, err := tx.insertID(ctx, `INSERT INTO engagements (date, kind, title, summary, topics, asks, outcomes, owner, coalition_id, visibility,
		source, source_ref, provenance, version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		e.Date, e.Kind, e.Title, e.Summary, joinTopics(e.Topics), e.Asks, e.Outcomes, e.Participants[0].ISO3, e.CoalitionID,
		e.Visibility, e.Source, e.SourceRef, e.Provenance, e.Version, ts(tx.now))
	if err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: create engagement: %w", err))
	}
	e.ID = id
	for i, p := range e.Participants {
		if _, err := tx.exec(ctx, "INSERT INTO engagement_participants (engagement_id, pos, name, role, iso3) VALUES (?,?,?,?,?)",
			id, i, p.Name, p.Role, p.ISO3); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: engagement participant: %w", err))
		}
	}
	return nil
}

// DeleteEngagement deletes an engagement at the given version.
func (s *Store) DeleteEngagement(ctx context.Context, id, version int64) error {
	return s.write(ctx, "delete engagement", func(tx *Tx) error {
		e, err := tx.findEngagement(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.requireWrite(coalition.CanWrite(tx.user, e.Participants[0].ISO3, e.CoalitionID), "you may not delete engagements of %s", e.Participants[0].ISO3); err != nil {
			return err
		}
		if err := checkVersion("engagement", id, e.Version, version, e); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM engagements WHERE id = ?", id); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: delete engagement: %w", err))
		}
		if err := tx.audit(ctx, "delete", "engagement", id, e, nil, e.CoalitionID); err != nil {
			return err
		}
		return nil
	})
}

// UpdateEngagement applies upd if upd.Version is current; new participants
// replace the old ones. The writer must be allowed to write the engagement
// both before and after the change (its first participant owns it).
func (s *Store) UpdateEngagement(ctx context.Context, id int64, upd coalition.EngagementUpdate) (*coalition.Engagement, error) {
	return writeValue(s, ctx, "update engagement", func(tx *Tx) (*coalition.Engagement, error) {
		e, err := tx.findEngagement(ctx, id)
		if err != nil {
			return nil, err
		}
		owner := e.Participants[0].ISO3
		if err := tx.requireWrite(coalition.CanWrite(tx.user, owner, e.CoalitionID), "you may not change engagements of %s", owner); err != nil {
			return nil, err
		}
		if err := checkVersion("engagement", id, e.Version, upd.Version, e); err != nil {
			return nil, err
		}
		before := *e
		upd.Apply(e)
		if e.Topics == nil {
			e.Topics = []string{}
		}
		if err := e.Validate(); err != nil {
			return nil, err
		}
		if o := e.Participants[0].ISO3; !coalition.CanWrite(tx.user, o, e.CoalitionID) {
			return nil, coalition.Errorf(coalition.Forbidden, "you may not give an engagement to %s", o)
		}
		res, err := tx.exec(ctx, `UPDATE engagements SET date = ?, kind = ?, title = ?, summary = ?, topics = ?, asks = ?, outcomes = ?,
			owner = ?, visibility = ?, source = ?, version = version + 1 WHERE id = ? AND version = ?`,
			e.Date, e.Kind, e.Title, e.Summary, joinTopics(e.Topics), e.Asks, e.Outcomes, e.Participants[0].ISO3,
			e.Visibility, e.Source, id, upd.Version)
		if err != nil {
			return nil, tx.s.mapErr(fmt.Errorf("sqlstore: update engagement: %w", err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			// Changed by another transaction between our read and our write.
			cur, err := tx.findEngagement(ctx, id)
			if err != nil {
				return nil, err
			}
			return nil, checkVersion("engagement", id, cur.Version, upd.Version, cur)
		}
		if upd.Participants != nil {
			if _, err := tx.exec(ctx, "DELETE FROM engagement_participants WHERE engagement_id = ?", id); err != nil {
				return nil, tx.s.mapErr(fmt.Errorf("sqlstore: update engagement: %w", err))
			}
			for i, p := range e.Participants {
				if _, err := tx.exec(ctx, "INSERT INTO engagement_participants (engagement_id, pos, name, role, iso3) VALUES (?,?,?,?,?)",
					id, i, p.Name, p.Role, p.ISO3); err != nil {
					return nil, tx.s.mapErr(fmt.Errorf("sqlstore: engagement participant: %w", err))
				}
			}
		}
		e.Version++
		if err := tx.audit(ctx, "update", "engagement", id, &before, e, e.CoalitionID); err != nil {
			return nil, err
		}
		return e, nil
	})
}
