package sqlstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"coalition"
)

// walHeader says whether the SQLite file at path is in WAL mode: bytes 18
// and 19 of its header (the read and write versions) are 2 in WAL mode and
// 1 with a rollback journal.
func walHeader(t *testing.T, path string) bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 20 {
		t.Fatalf("read %s: %v", path, err)
	}
	return b[18] == 2 && b[19] == 2
}

func journalMode(t *testing.T, s *Store) string {
	t.Helper()
	var mode string
	if err := s.w.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	return mode
}

// TestOpenExclusive: a database another connection has open is refused
// (ErrInUse, Unavailable, at once) and left as it was; one nobody has open
// gets the rollback journal, and while its write transaction runs another
// opener is told that a process has it to itself; Close puts the WAL back.
func TestOpenExclusive(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenExclusive(ctx, path); !errors.Is(err, ErrInUse) || coalition.ErrorKind(err) != coalition.Unavailable ||
		!strings.Contains(err.Error(), "open in another process") {
		t.Fatalf("OpenExclusive beside an open store: %v, want ErrInUse (Unavailable) saying why", err)
	}
	if mode := journalMode(t, other); mode != "wal" {
		t.Fatalf("the open store's journal mode after the refusal: %s", mode)
	}
	if _, err := other.w.Exec("INSERT INTO fx_rates (currency, month, units_per_eur, source) VALUES ('USD', 1, 0.9, 'test')"); err != nil {
		t.Fatalf("the open store cannot write after the refusal: %v", err)
	}
	other.Close()

	s, err := OpenExclusive(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := journalMode(t, s); mode != "delete" || walHeader(t, path) {
		t.Fatalf("OpenExclusive: journal mode %s (WAL header %v), want delete", mode, walHeader(t, path))
	}
	if _, err := os.Stat(path + "-wal"); !os.IsNotExist(err) {
		t.Fatalf("OpenExclusive left the WAL file: %v", err)
	}
	tx, err := s.w.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO fx_rates (currency, month, units_per_eur, source) VALUES ('USD', 2, 0.9, 'test')"); err != nil {
		t.Fatal(err)
	}
	// Another opener, with a short wait instead of Open's ten seconds.
	_, err = openNoMigrate(ctx, path, append([]string{"busy_timeout(50)"}, servingPragmas...))
	if !errors.Is(err, ErrInUse) || coalition.ErrorKind(err) != coalition.Unavailable || !strings.Contains(err.Error(), "locked by another process") {
		t.Fatalf("opening while an exclusive import writes: %v, want ErrInUse saying another process has it", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if !walHeader(t, path) {
		t.Fatal("Close left the database out of WAL mode")
	}
	again, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	var n int
	if err := again.db.QueryRow("SELECT count(*) FROM fx_rates WHERE source = 'test'").Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows written in both modes: %d %v, want 2", n, err)
	}
	if mode := journalMode(t, again); mode != "wal" {
		t.Fatalf("journal mode after: %s", mode)
	}
}

// TestOpenExclusivePostgres: PostgreSQL has no such mode.
func TestOpenExclusivePostgres(t *testing.T) {
	_, err := OpenExclusive(context.Background(), "postgres://nobody@127.0.0.1:1/none")
	if coalition.ErrorKind(err) != coalition.Invalid {
		t.Fatalf("OpenExclusive of PostgreSQL: %v, want Invalid", err)
	}
}
