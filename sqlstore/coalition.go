package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"coalition"
)

const coalitionCols = "id, code, name, purpose, recipient, leads, source, version, created_at, updated_at"

func scanCoalition(sc interface{ Scan(...any) error }) (*coalition.Coalition, error) {
	var c coalition.Coalition
	var leads string
	var created, updated timestamp
	if err := sc.Scan(&c.ID, &c.Code, &c.Name, &c.Purpose, &c.Recipient, &leads, &c.Source, &c.Version, &created, &updated); err != nil {
		return nil, err
	}
	c.Leads = splitList(leads)
	c.CreatedAt, c.UpdatedAt = created.Time, updated.Time
	return &c, nil
}

// timestamp scans RFC 3339 text (or a time) into a time.Time.
type timestamp struct{ time.Time }

func (t *timestamp) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		t.Time = time.Time{}
		return nil
	case time.Time:
		t.Time = v.UTC()
		return nil
	case []byte:
		return t.Scan(string(v))
	case string:
		if v == "" {
			t.Time = time.Time{}
			return nil
		}
		p, err := time.Parse(time.RFC3339Nano, v)
		t.Time = p
		return err
	}
	return fmt.Errorf("timestamp: cannot scan %T", src)
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// FindCoalition returns NotFound if id is unknown.
func (s *Store) FindCoalition(ctx context.Context, id int64) (*coalition.Coalition, error) {
	return s.findCoalition(ctx, "id = ?", id)
}

// FindCoalitionByCode returns NotFound if code is unknown.
func (s *Store) FindCoalitionByCode(ctx context.Context, code string) (*coalition.Coalition, error) {
	return s.findCoalition(ctx, "code = ?", strings.ToUpper(code))
}

func (s *Store) findCoalition(ctx context.Context, where string, arg any) (*coalition.Coalition, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findCoalition(ctx, where, arg)
}

func (tx *Tx) findCoalition(ctx context.Context, where string, arg any) (*coalition.Coalition, error) {
	c, err := scanCoalition(tx.queryRow(ctx, "SELECT "+coalitionCols+" FROM coalitions WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.NotFound, "coalition %v not found", arg)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find coalition: %w", err)
	}
	if err := tx.loadMembers(ctx, []*coalition.Coalition{c}); err != nil {
		return nil, err
	}
	return c, nil
}

func (tx *Tx) loadMembers(ctx context.Context, cs []*coalition.Coalition) error {
	byID := map[int64]*coalition.Coalition{}
	for _, c := range cs {
		byID[c.ID] = c
		c.Members = []coalition.Membership{}
	}
	rows, err := tx.query(ctx, "SELECT coalition_id, iso3, status, since, note FROM coalition_members ORDER BY coalition_id, iso3")
	if err != nil {
		return fmt.Errorf("sqlstore: coalition members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var m coalition.Membership
		if err := rows.Scan(&id, &m.ISO3, &m.Status, &m.Since, &m.Note); err != nil {
			return fmt.Errorf("sqlstore: coalition members: %w", err)
		}
		if c := byID[id]; c != nil {
			c.Members = append(c.Members, m)
		}
	}
	return rows.Err()
}

// FindCoalitions lists every coalition with its members.
func (s *Store) FindCoalitions(ctx context.Context) ([]*coalition.Coalition, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, "SELECT "+coalitionCols+" FROM coalitions ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find coalitions: %w", err)
	}
	var out []*coalition.Coalition
	for rows.Next() {
		c, err := scanCoalition(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlstore: find coalitions: %w", err)
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := tx.loadMembers(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// CreateCoalition sets ID and Version.
func (s *Store) CreateCoalition(ctx context.Context, c *coalition.Coalition) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "create coalition", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.IsAdmin(tx.user), "only admins create coalitions"); err != nil {
			return err
		}
		if err := tx.createCoalition(ctx, c); err != nil {
			return err
		}
		if err := tx.audit(ctx, "create", "coalition", c.ID, nil, c, &c.ID); err != nil {
			return err
		}
		return nil
	})
}

func (tx *Tx) createCoalition(ctx context.Context, c *coalition.Coalition) error {
	c.Code = strings.ToUpper(c.Code)
	c.Version, c.CreatedAt, c.UpdatedAt = 1, tx.now, tx.now
	id, err := tx.insertID(ctx, "INSERT INTO coalitions (code, name, purpose, recipient, leads, source, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
		c.Code, c.Name, c.Purpose, c.Recipient, strings.Join(c.Leads, ","), c.Source, c.Version, ts(tx.now), ts(tx.now))
	if err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: create coalition %s: %w", c.Code, err))
	}
	c.ID = id
	return tx.insertMembers(ctx, c)
}

func (tx *Tx) insertMembers(ctx context.Context, c *coalition.Coalition) error {
	for _, m := range c.Members {
		if _, err := tx.exec(ctx, "INSERT INTO coalition_members (coalition_id, iso3, status, since, note) VALUES (?,?,?,?,?)",
			c.ID, m.ISO3, m.Status, m.Since, m.Note); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: coalition %s member %s: %w", c.Code, m.ISO3, err))
		}
	}
	return nil
}

// UpdateCoalition applies upd if upd.Version is current.
func (s *Store) UpdateCoalition(ctx context.Context, id int64, upd coalition.CoalitionUpdate) (*coalition.Coalition, error) {
	return writeValue(s, ctx, "update coalition", func(tx *Tx) (*coalition.Coalition, error) {
		c, err := tx.findCoalition(ctx, "id = ?", id)
		if err != nil {
			return nil, err
		}
		if err := tx.requireWrite(coalition.CanManageCoalition(tx.user, &id), "only the coalition's coordinators manage it"); err != nil {
			return nil, err
		}
		before := *c
		if err := checkVersion("coalition", id, c.Version, upd.Version, c); err != nil {
			return nil, err
		}
		if upd.Name != nil {
			c.Name = *upd.Name
		}
		if upd.Purpose != nil {
			c.Purpose = *upd.Purpose
		}
		if upd.Leads != nil {
			c.Leads = *upd.Leads
		}
		if upd.Members != nil {
			c.Members = *upd.Members
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		res, err := tx.exec(ctx, "UPDATE coalitions SET name = ?, purpose = ?, leads = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
			c.Name, c.Purpose, strings.Join(c.Leads, ","), ts(tx.now), id, upd.Version)
		if err != nil {
			return nil, tx.s.mapErr(fmt.Errorf("sqlstore: update coalition: %w", err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil, coalition.Errorf(coalition.Conflict, "coalition %d changed meanwhile: reload and try again", id)
		}
		if upd.Members != nil {
			if _, err := tx.exec(ctx, "DELETE FROM coalition_members WHERE coalition_id = ?", id); err != nil {
				return nil, fmt.Errorf("sqlstore: update coalition: %w", err)
			}
			if err := tx.insertMembers(ctx, c); err != nil {
				return nil, err
			}
		}
		c.Version++
		c.UpdatedAt = tx.now
		if err := tx.audit(ctx, "update", "coalition", id, before, c, &id); err != nil {
			return nil, err
		}
		return c, nil
	})
}
