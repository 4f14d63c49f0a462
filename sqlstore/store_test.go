package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"coalition"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
	"coalition/sqlstore/storetest"
)

// TestStore runs the conformance suite on each engine, a fresh store per test.
func TestStore(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		storetest.Run(t, func(t *testing.T) coalition.Store { return e.Open(t) })
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	notDB := filepath.Join(dir, "garbage.db")
	os.WriteFile(notDB, []byte(strings.Repeat("this is not a database\n", 500)), 0o644)
	cases := []struct {
		dsn  string
		kind coalition.Kind
	}{
		{"mysql://x", coalition.Invalid},
		{"postgres://%zz", coalition.Invalid},
		{"sqlite:", coalition.Invalid},
		{"sqlite:" + filepath.Join(dir, "no", "such", "dir.db"), coalition.Unavailable},
		{"sqlite:" + notDB, coalition.Unavailable},
		{"postgres://nobody@127.0.0.1:1/none?connect_timeout=2", coalition.Unavailable},
	}
	for _, c := range cases {
		s, err := sqlstore.Open(ctx, c.dsn)
		if err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", c.dsn)
			continue
		}
		if got := coalition.ErrorKind(err); got != c.kind {
			t.Errorf("Open(%q) = %v (kind %s), want kind %s", c.dsn, err, got, c.kind)
		}
	}
}

func TestMigrateTwiceAndNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	s, err := sqlstore.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Migrate(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second migrate applied %d (%v), want 0", n, err)
	}
	// A database from a newer binary is refused with a clear message.
	if _, err := s.DB().Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = sqlstore.Open(ctx, "sqlite:"+path)
	if err == nil || !strings.Contains(err.Error(), "newer than this binary") {
		t.Fatalf("open of a newer schema: %v", err)
	}
}

func TestRebindKeepsQuotedQuestionMarks(t *testing.T) {
	s := sqltest.Open(t)
	var got string
	if err := s.DB().QueryRow("SELECT '?' || ?", "x").Scan(&got); err != nil || got != "?x" {
		t.Fatalf("got %q, %v", got, err)
	}
}
