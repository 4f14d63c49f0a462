package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// A reference image is a SQLite database migrated and filled once, when
// the binary is built (MakeImage), and copied into a new file at first
// start (CreateFromImage) instead of being seeded there: a fresh start
// then costs a file write and a few UPDATEs instead of ~5,500 INSERTs
// through the pure-Go SQLite (issue 22: serve on a fresh directory).
//
// Every timestamp an image holds is imageClock, an instant no real write
// carries; the copy gives each the time of the copy, in the tables, in the
// audit entries' JSON and in the audit chain's hashes, so that a copied
// database is what a seed at that instant would have written
// (TestImageRestamp).
var imageClock = time.Date(2000, 1, 1, 0, 0, 0, 1, time.UTC)

// ErrStaleImage is returned by CreateFromImage when the image's schema is
// not this binary's (a migration added or renamed since it was made): the
// caller seeds from scratch instead.
var ErrStaleImage = errors.New("sqlstore: the reference image is not at this binary's schema")

// MakeImage builds at path (which must not exist) a reference image: a
// SQLite database migrated and filled by fill with every timestamp at
// imageClock, compacted, in rollback-journal mode (no -wal file to carry).
func MakeImage(ctx context.Context, path string, fill func(*Store) error) error {
	return makeAt(ctx, path, fill, imageClock)
}

// makeAt is MakeImage with the clock at, for the tests that compare an
// image copied at some instant with a seed made at that instant.
func makeAt(ctx context.Context, path string, fill func(*Store) error, at time.Time) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("sqlstore: image %s exists", path)
	}
	return fillFile(ctx, path, fill, at, true)
}

// CreateFromImage creates the SQLite database file path as a copy of
// image (a database made by MakeImage) whose timestamps are now: all or
// nothing, like CreateSeeded (a temporary file beside path, linked to it
// when complete). created is false, and nothing is changed, when path
// exists already. ErrStaleImage (and nothing created) when the image's
// migrations are not exactly this binary's.
func CreateFromImage(ctx context.Context, path string, image []byte, now time.Time) (created bool, err error) {
	return createAtomically(ctx, path, func(tmp string) error {
		if err := os.WriteFile(tmp, image, 0o644); err != nil {
			return err
		}
		s, err := openNoMigrate(ctx, "sqlite:"+tmp, seedingPragmas)
		if err != nil {
			return err
		}
		if err := s.imageCurrent(ctx); err != nil {
			s.Close()
			return err
		}
		if err := s.restamp(ctx, imageClock, now.UTC()); err != nil {
			s.Close()
			return fmt.Errorf("sqlstore: image: %w", err)
		}
		return s.Close()
	})
}

// imageCurrent says whether the database's applied migrations are exactly
// this binary's, by version and name (ErrStaleImage if not).
func (s *Store) imageCurrent(ctx context.Context) error {
	ms, err := migrations(s.dialect)
	if err != nil {
		return err
	}
	want := map[int]string{}
	for _, m := range ms {
		want[m.version] = m.name
	}
	rows, err := s.db.QueryContext(ctx, "SELECT version, name FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrStaleImage, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			return err
		}
		if want[v] != name {
			return fmt.Errorf("%w: migration %d %q is not this binary's", ErrStaleImage, v, name)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != len(want) {
		return fmt.Errorf("%w: %d of this binary's %d migrations", ErrStaleImage, n, len(want))
	}
	return nil
}

// restamp replaces the timestamp from by to wherever a write put it, in one
// transaction: every column named at or *_at of every table, the audit
// entries' JSON (a record's created_at), and then the audit chain's hashes,
// which cover both.
func (s *Store) restamp(ctx context.Context, from, to time.Time) error {
	old, new := ts(from), ts(to)
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cols, err := tx.timestampColumns(ctx)
	if err != nil {
		return err
	}
	for _, c := range cols {
		if _, err := tx.exec(ctx, `UPDATE "`+c[0]+`" SET "`+c[1]+`" = ? WHERE "`+c[1]+`" = ?`, new, old); err != nil {
			return fmt.Errorf("%s.%s: %w", c[0], c[1], err)
		}
	}
	if _, err := tx.exec(ctx, `UPDATE audit_log SET before_json = replace(before_json, ?, ?), after_json = replace(after_json, ?, ?)`,
		old, new, old, new); err != nil {
		return err
	}
	if err := tx.rehashAudit(ctx); err != nil {
		return err
	}
	return tx.Commit()
}

// timestampColumns lists (table, column) for every column named at or
// *_at of a SQLite database.
func (tx *Tx) timestampColumns(ctx context.Context) ([][2]string, error) {
	rows, err := tx.query(ctx, `SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
		WHERE m.type = 'table' AND (c.name = 'at' OR c.name LIKE '%\_at' ESCAPE '\') ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			return nil, err
		}
		if strings.ContainsAny(c[0]+c[1], `"`) {
			return nil, fmt.Errorf("unexpected name %q.%q", c[0], c[1])
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// rehashAudit recomputes the hash chain of the whole audit log in seq
// order, and its head.
func (tx *Tx) rehashAudit(ctx context.Context) error {
	rows, err := tx.query(ctx, "SELECT "+auditCols+" FROM audit_log ORDER BY seq")
	if err != nil {
		return err
	}
	var es []*entryHash
	prev := ""
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			rows.Close()
			return err
		}
		e.PrevHash = prev
		e.Hash = auditHash(e)
		prev = e.Hash
		es = append(es, &entryHash{e.Seq, e.PrevHash, e.Hash})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, e := range es {
		if _, err := tx.exec(ctx, "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", e.prev, e.hash, e.seq); err != nil {
			return err
		}
	}
	if len(es) == 0 {
		return nil
	}
	last := es[len(es)-1]
	_, err = tx.exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", last.seq, last.hash)
	return err
}

type entryHash struct {
	seq        int64
	prev, hash string
}
