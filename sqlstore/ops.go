package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"coalition"
)

// AuditLength returns the number of entries in the audit chain (its head's
// sequence number), cheaply, for metrics.
func (s *Store) AuditLength(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, "SELECT seq FROM audit_head WHERE id = 1").Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlstore: audit length: %w", err)
	}
	return n, nil
}

// Preflight checks, before a server starts, that dsn can be served: the
// database answers, is not at a newer schema version than this binary
// knows, accepts writes (not read-only), and is not locked by another
// process (SQLite: a writer that holds the lock for longer than wait).
// Each failure is one Unavailable error with a one-line message.
func Preflight(ctx context.Context, dsn string, wait time.Duration) error {
	s, err := OpenNoMigrate(ctx, dsn)
	if err != nil {
		if ro := readOnlyFolder(dsn); ro != "" {
			return coalition.Errorf(coalition.Unavailable, "database %s is on a read-only file system or folder (%s): writes would fail", redact(dsn), ro)
		}
		return oneLine(err)
	}
	defer s.Close()
	name := redact(dsn)
	if cur, latest := s.schemaVersionQuiet(ctx), s.LatestVersion(); cur > latest {
		return coalition.Errorf(coalition.Unavailable,
			"the database %s is at schema version %d, newer than this binary knows (%d): upgrade coalition", name, cur, latest)
	}
	ctx, cancel := context.WithTimeout(ctx, wait+5*time.Second)
	defer cancel()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return coalition.Errorf(coalition.Unavailable, "database %s is not reachable: %v", name, err)
	}
	defer conn.Close()
	if s.dialect == postgres {
		var recovery bool
		if err := conn.QueryRowContext(ctx, "SELECT pg_is_in_recovery()").Scan(&recovery); err != nil {
			return coalition.Errorf(coalition.Unavailable, "database %s: %v", name, err)
		}
		if recovery {
			return coalition.Errorf(coalition.Unavailable, "database %s is a read-only standby: point --db at the primary", name)
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return coalition.Errorf(coalition.Unavailable, "database %s: %v", name, err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, "CREATE TABLE coalition_preflight (x INTEGER)"); err != nil {
			return coalition.Errorf(coalition.Unavailable, "database %s does not accept writes: %v", name, err)
		}
		return nil
	}
	// SQLite: take the write lock with a short timeout, write a page, roll back.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", wait.Milliseconds())); err != nil {
		return coalition.Errorf(coalition.Unavailable, "database %s: %v", name, err)
	}
	defer conn.ExecContext(context.Background(), "PRAGMA busy_timeout = 10000")
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return sqliteWriteProblem(name, wait, err)
	}
	_, err = conn.ExecContext(ctx, "CREATE TABLE coalition_preflight (x INTEGER)")
	conn.ExecContext(context.Background(), "ROLLBACK")
	if err != nil {
		return sqliteWriteProblem(name, wait, err)
	}
	return nil
}

func sqliteWriteProblem(name string, wait time.Duration, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "locked") || strings.Contains(msg, "busy"):
		return coalition.Errorf(coalition.Unavailable,
			"database %s is locked by another process (it held the write lock for more than %s): stop the other writer, then start again", name, wait)
	case strings.Contains(msg, "readonly") || strings.Contains(msg, "read-only") || strings.Contains(msg, "read only"):
		return coalition.Errorf(coalition.Unavailable, "database %s is read-only (file permissions or a read-only file system): writes would fail", name)
	case strings.Contains(msg, "disk is full"):
		return coalition.Errorf(coalition.Unavailable, "database %s: the disk is full", name)
	}
	return coalition.Errorf(coalition.Unavailable, "database %s does not accept writes: %v", name, err)
}

// schemaVersionQuiet is SchemaVersion without an error (0 when unknown).
func (s *Store) schemaVersionQuiet(ctx context.Context) int {
	v, _ := s.SchemaVersion(ctx)
	return v
}

// readOnlyFolder returns why a SQLite database's folder cannot be written,
// or "" (PostgreSQL, or a writable folder).
func readOnlyFolder(dsn string) string {
	if strings.Contains(dsn, "://") {
		return ""
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	f, err := os.CreateTemp(filepath.Dir(path), ".coalition-probe-*")
	if err != nil {
		if errors.Is(err, syscall.EROFS) || errors.Is(err, os.ErrPermission) {
			return err.Error()
		}
		return ""
	}
	f.Close()
	os.Remove(f.Name())
	return ""
}

// oneLine folds a multi-line driver message (pgx lists every address it
// tried) into one line, keeping the error's kind.
func oneLine(err error) error {
	msg := err.Error()
	if !strings.ContainsAny(msg, "\n\t") {
		return err
	}
	return coalition.Errorf(coalition.ErrorKind(err), "%s", strings.Join(strings.Fields(msg), " "))
}
