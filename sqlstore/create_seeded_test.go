package sqlstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"coalition"
	"coalition/seed"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

// TestCreateSeeded: a failed fill leaves neither the database nor a
// temporary file, and the next call creates the database (removing the
// temporary file of a seed that crashed long ago, not a recent one); the database
// it creates is complete, in WAL mode once opened, and equal, table by
// table, to one seeded in place; an existing file is left alone.
func TestCreateSeeded(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	boom := errors.New("boom")
	created, err := sqlstore.CreateSeeded(ctx, path, func(s *sqlstore.Store) error {
		if _, err := seed.Load(ctx, s, false); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || created {
		t.Fatalf("failed fill: created %v, err %v; want false, boom", created, err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Fatalf("a failed fill left %v", es)
	}
	// What a crash left: an abandoned file (removed) and one being
	// written by another process now (left alone).
	old, recent := filepath.Join(dir, ".c.db.seeding-crashed"), filepath.Join(dir, ".c.db.seeding-running")
	for _, p := range []string{old, recent} {
		if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-time.Hour)
	os.Chtimes(old, long, long)
	created, err = sqlstore.CreateSeeded(ctx, path, func(s *sqlstore.Store) error {
		_, err := seed.Load(ctx, s, false)
		return err
	})
	if err != nil || !created {
		t.Fatalf("created %v, err %v", created, err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the abandoned seeding file is still there (%v)", err)
	}
	if err := os.Remove(recent); err != nil {
		t.Errorf("the recent seeding file was removed: %v", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Fatalf("left %v, want the database alone", es)
	}
	umask := syscall.Umask(0)
	syscall.Umask(umask)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644&^os.FileMode(umask) {
		t.Fatalf("database mode %v (%v): want SQLite's, 0644 less the umask %03o", fi.Mode(), err, umask)
	}
	inPlace := filepath.Join(dir, "in-place.db")
	for _, p := range []string{path, inPlace} {
		s, err := sqlstore.Open(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if p == inPlace {
			if _, err := seed.Load(ctx, s, false); err != nil {
				t.Fatal(err)
			}
		}
		var mode string
		if err := s.DB().QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("%s: journal_mode %q %v, want wal", p, mode, err)
		}
		cs, err := s.FindCountries(coalition.WithUser(ctx, coalition.System), coalition.CountryFilter{})
		if err != nil || len(cs) == 0 {
			t.Errorf("%s: %d countries, %v", p, len(cs), err)
		}
		s.Close()
	}
	a, b := sqltest.TableCounts(t, path), sqltest.TableCounts(t, inPlace)
	if len(a) == 0 || a["pledges"] == 0 || a["commitments"] == 0 {
		t.Fatalf("created database: %v", a)
	}
	for k, v := range b {
		if a[k] != v {
			t.Errorf("table %s: %d rows created, %d seeded in place", k, a[k], v)
		}
	}
	before, _ := os.Stat(path)
	created, err = sqlstore.CreateSeeded(ctx, path, func(*sqlstore.Store) error {
		t.Fatal("fill called for an existing database")
		return nil
	})
	if after, _ := os.Stat(path); err != nil || created || !after.ModTime().Equal(before.ModTime()) {
		t.Fatalf("existing database: created %v, err %v, changed %v", created, err, !after.ModTime().Equal(before.ModTime()))
	}
}
