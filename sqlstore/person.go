package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"coalition"
)

// FindPeople returns people whose name or alias contains name (all when empty).
func (s *Store) FindPeople(ctx context.Context, name string) ([]*coalition.Person, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q := "SELECT id, name, aliases FROM people"
	var args []any
	if name != "" {
		q += " WHERE lower(name) LIKE ? OR lower(aliases) LIKE ?"
		pat := "%" + strings.ToLower(name) + "%"
		args = append(args, pat, pat)
	}
	rows, err := tx.query(ctx, q+" ORDER BY name", args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find people: %w", err)
	}
	byID := map[int64]*coalition.Person{}
	var out []*coalition.Person
	for rows.Next() {
		var p coalition.Person
		var aliases string
		if err := rows.Scan(&p.ID, &p.Name, &aliases); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlstore: find people: %w", err)
		}
		p.Aliases = splitTopics(aliases)
		p.Offices = []coalition.Office{}
		out = append(out, &p)
		byID[p.ID] = &p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	orows, err := tx.query(ctx, "SELECT person_id, iso3, title, start_date, end_date, source FROM offices ORDER BY person_id, pos")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: offices: %w", err)
	}
	defer orows.Close()
	for orows.Next() {
		var id int64
		var o coalition.Office
		if err := orows.Scan(&id, &o.ISO3, &o.Title, &o.Start, &o.End, &o.Source); err != nil {
			return nil, fmt.Errorf("sqlstore: offices: %w", err)
		}
		if p := byID[id]; p != nil {
			p.Offices = append(p.Offices, o)
		}
	}
	return out, orows.Err()
}

// UpsertPerson creates or replaces the person with that name and their offices.
func (s *Store) UpsertPerson(ctx context.Context, p *coalition.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "upsert person", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.IsAdmin(tx.user), "only admins edit reference data"); err != nil {
			return err
		}
		if err := tx.upsertPerson(ctx, p); err != nil {
			return err
		}
		if err := tx.audit(ctx, "upsert", "person", p.ID, nil, p, nil); err != nil {
			return err
		}
		return nil
	})
}

func (tx *Tx) upsertPerson(ctx context.Context, p *coalition.Person) error {
	id, err := tx.insertID(ctx, `INSERT INTO people (name, aliases) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET aliases = excluded.aliases`, p.Name, joinTopics(p.Aliases))
	if err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: upsert person %s: %w", p.Name, err))
	}
	p.ID = id
	if _, err := tx.exec(ctx, "DELETE FROM offices WHERE person_id = ?", id); err != nil {
		return fmt.Errorf("sqlstore: upsert person: %w", err)
	}
	for i, o := range p.Offices {
		if _, err := tx.exec(ctx, "INSERT INTO offices (person_id, pos, iso3, title, start_date, end_date, source) VALUES (?,?,?,?,?,?,?)",
			id, i, o.ISO3, o.Title, o.Start, o.End, o.Source); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: office of %s: %w", p.Name, err))
		}
	}
	return nil
}
