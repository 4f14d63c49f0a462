package sqltest_test

import (
	"testing"

	"coalition/seed"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

func pledges(t *testing.T, s *sqlstore.Store) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow("SELECT count(*) FROM pledges").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestStores: Open is empty and Seeded holds the bundled data on each
// engine, and each Seeded store is a copy of its own.
func TestStores(t *testing.T) {
	ds, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		if got := pledges(t, e.Open(t)); got != 0 {
			t.Errorf("pledges of a fresh store = %d, want 0", got)
		}
		a, b := e.Seeded(t), e.Seeded(t)
		if got, want := pledges(t, a), len(ds.Pledges); got != want {
			t.Errorf("pledges of a seeded store = %d, want the bundled %d", got, want)
		}
		if _, err := a.DB().Exec("DELETE FROM deliveries"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.DB().Exec("DELETE FROM pledges"); err != nil {
			t.Fatal(err)
		}
		if got, want := pledges(t, b), len(ds.Pledges); got != want {
			t.Errorf("pledges of a second seeded store after the first lost its own = %d, want %d", got, want)
		}
	})
}
