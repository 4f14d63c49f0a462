// Package sqltest opens stores for tests: a fresh empty one or one seeded
// with the bundled data, on SQLite or on the PostgreSQL server named by
// COALITION_TEST_POSTGRES, closed when the test ends.
//
// Tests in package sqlstore itself cannot import it (it imports sqlstore);
// they use sqlstore/internal/pgtest for their PostgreSQL schemas.
package sqltest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"coalition"
	"coalition/seed"
	"coalition/sqlstore"
	"coalition/sqlstore/internal/pgtest"
)

// Engine is a database the store runs on.
type Engine string

const (
	SQLite   Engine = "sqlite"   // always under test
	Postgres Engine = "postgres" // under test when COALITION_TEST_POSTGRES is set
)

// engines is every engine, in the order Run runs them.
var engines = []Engine{SQLite, Postgres}

// Run runs fn once per engine as a subtest named after it. The PostgreSQL
// subtest is skipped without COALITION_TEST_POSTGRES, and fails without it
// under CI=true, where both engines must run.
func Run(t *testing.T, fn func(t *testing.T, e Engine)) {
	t.Helper()
	for _, e := range engines {
		t.Run(string(e), func(t *testing.T) {
			if e == Postgres {
				BaseURL(t)
			}
			fn(t, e)
		})
	}
}

// Open returns a fresh, empty, migrated SQLite store: the engine every
// machine has, for tests whose subject is not the engine.
func Open(t testing.TB) *sqlstore.Store {
	t.Helper()
	return SQLite.Open(t)
}

// Seeded returns a SQLite store holding the bundled data, as `coalition
// seed` loads it (seed.Load).
func Seeded(t testing.TB) *sqlstore.Store {
	t.Helper()
	return SQLite.Seeded(t)
}

// DSN returns a new, empty database of the engine: a SQLite file in the
// test's temporary folder, or a PostgreSQL schema of its own, dropped when
// the test ends.
func (e Engine) DSN(t testing.TB) string {
	t.Helper()
	if e == Postgres {
		return pgtest.SchemaURL(t, "t")
	}
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

// Open returns a fresh, empty, migrated store on the engine.
func (e Engine) Open(t testing.TB) *sqlstore.Store {
	t.Helper()
	return OpenDSN(t, e.DSN(t))
}

// Seeded returns a store on the engine holding the bundled data. SQLite
// copies a file seeded once per test binary (Template); PostgreSQL loads
// the data into the test's own schema.
func (e Engine) Seeded(t testing.TB) *sqlstore.Store {
	t.Helper()
	if e == SQLite {
		return Template(t, "seed", loadSeed)
	}
	s := e.Open(t)
	if err := loadSeed(coalition.WithUser(context.Background(), coalition.System), s); err != nil {
		t.Fatal(err)
	}
	return s
}

// OpenDSN opens (and migrates) the database at dsn, and closes it when the
// test ends: for a database a test built by other means, such as the CLI.
func OpenDSN(t testing.TB, dsn string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(coalition.WithUser(context.Background(), coalition.System), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// BaseURL returns COALITION_TEST_POSTGRES. Without it the test is skipped,
// or fails under CI=true, where PostgreSQL tests must run.
func BaseURL(t testing.TB) string {
	t.Helper()
	return pgtest.BaseURL(t)
}

// SchemaURL creates an empty schema named prefix_<random> and returns the
// server's URL with that schema as its search path; the schema is dropped
// when the test ends.
func SchemaURL(t testing.TB, prefix string) string {
	t.Helper()
	return pgtest.SchemaURL(t, prefix)
}

// Template returns a SQLite store holding what fill wrote into an empty
// one. fill runs once per test binary and name, into a template file; each
// test gets a copy of it (VACUUM INTO): filling takes seconds, a copy
// milliseconds. Tests that need data other than the bundled seed name
// their own template.
func Template(t testing.TB, name string, fill func(ctx context.Context, s *sqlstore.Store) error) *sqlstore.Store {
	t.Helper()
	templates.mu.Lock()
	tp := templates.byName[name]
	if tp == nil {
		tp = &template{}
		templates.byName[name] = tp
	}
	templates.mu.Unlock()
	tp.once.Do(func() { tp.path, tp.err = fillFile(name, fill) })
	if tp.err != nil {
		t.Fatalf("template %s: %v", name, tp.err)
	}
	src, err := sqlstore.Open(context.Background(), "sqlite:"+tp.path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(t.TempDir(), name+".db")
	if _, err := src.DB().Exec("VACUUM INTO ?", path); err != nil {
		t.Fatal(err)
	}
	return OpenDSN(t, "sqlite:"+path)
}

// RemoveTemplates removes the template files; a TestMain calls it after
// m.Run.
func RemoveTemplates() {
	templates.mu.Lock()
	defer templates.mu.Unlock()
	for _, tp := range templates.byName {
		if tp.path != "" {
			os.RemoveAll(filepath.Dir(tp.path))
		}
	}
}

// template is a SQLite file filled once per test binary.
type template struct {
	once sync.Once
	path string
	err  error
}

var templates = struct {
	mu     sync.Mutex
	byName map[string]*template
}{byName: map[string]*template{}}

// fillFile fills a SQLite file in a folder of its own, which outlives the
// test that asked first.
func fillFile(name string, fill func(ctx context.Context, s *sqlstore.Store) error) (string, error) {
	dir, err := os.MkdirTemp("", "coalition-sqltest-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name+".db")
	ctx := coalition.WithUser(context.Background(), coalition.System)
	s, err := sqlstore.Open(ctx, "sqlite:"+path)
	if err != nil {
		return "", err
	}
	defer s.Close()
	return path, fill(ctx, s)
}

// loadSeed loads the bundled data as `coalition seed` does.
func loadSeed(ctx context.Context, s *sqlstore.Store) error {
	_, err := seed.Load(ctx, s, false)
	return err
}
