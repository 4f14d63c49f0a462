// Package pgtest gives tests a PostgreSQL schema of their own on the
// server named by COALITION_TEST_POSTGRES. It imports no other package of
// this module but internal/skipnote (which imports none), so that
// sqlstore's own tests (package sqlstore) can use it; other tests use
// sqlstore/sqltest, which opens stores on it.
package pgtest

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver

	"coalition/internal/skipnote"
)

// BaseURL returns COALITION_TEST_POSTGRES. Without it the test is skipped,
// or fails under CI=true, where PostgreSQL tests must run.
func BaseURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("COALITION_TEST_POSTGRES")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but COALITION_TEST_POSTGRES is not set: PostgreSQL tests must run in CI")
		}
		skipnote.Say("the PostgreSQL tests: COALITION_TEST_POSTGRES is not set (see README, \"Test it\")")
		t.Skip("COALITION_TEST_POSTGRES not set")
	}
	return u
}

// SchemaURL creates an empty schema named prefix_<random> and returns the
// server's URL with that schema as its search path; the schema is dropped
// when the test ends.
func SchemaURL(t testing.TB, prefix string) string {
	t.Helper()
	base := BaseURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := fmt.Sprintf("%s_%d", prefix, rand.Uint64()%1e12)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("PostgreSQL at %s: %v", base, err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", base); err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
