package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"coalition"
	"coalition/seed"
	"coalition/sqlstore/sqltest"
)

// A database seeded before migration 0008 gets its Kiel pledges and FX
// rates tagged with their dataset and release, and the two datasets
// registered, so that importing the bundled file afterwards matches them.
func TestMigrationTagsSeededData(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		s := e.Open(t)
		ctx := coalition.WithUser(context.Background(), coalition.System)
		if _, err := seed.Load(ctx, s, false); err != nil {
			t.Fatal(err)
		}
		// Back to the schema and data of version 7.
		for _, q := range []string{"DROP INDEX pledges_dataset_ref", "ALTER TABLE pledges DROP COLUMN dataset",
			"ALTER TABLE pledges DROP COLUMN dataset_release", "ALTER TABLE fx_rates DROP COLUMN dataset",
			"ALTER TABLE fx_rates DROP COLUMN dataset_release", "DROP TABLE datasets", "DELETE FROM schema_migrations WHERE version = 8"} {
			if _, err := s.DB().ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if n, err := s.Migrate(ctx); err != nil || n != 1 {
			t.Fatalf("migrate: %d, %v", n, err)
		}
		var kiel, fx int
		if err := s.DB().QueryRowContext(ctx, "SELECT (SELECT count(*) FROM pledges WHERE dataset = 'kiel' AND dataset_release = '29'), "+
			"(SELECT count(*) FROM fx_rates WHERE dataset = 'ecb-fx')").Scan(&kiel, &fx); err != nil {
			t.Fatal(err)
		}
		if kiel != 1450 || fx != 1074 {
			t.Fatalf("tagged %d Kiel pledges and %d rates, want 1450 and 1074", kiel, fx)
		}
		ds, err := s.Datasets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 2 {
			t.Fatalf("%d datasets, want 2: %+v", len(ds), ds)
		}
		for _, c := range []struct{ what, got, want string }{
			{"first dataset", ds[0].Name, "ecb-fx"},
			{"its release", ds[0].Release, "data to 2026-06"},
			{"second dataset", ds[1].Name, "kiel"},
			{"its release", ds[1].Release, "29"},
			{"its as_of", ds[1].AsOf.String(), "2026-04-30"},
			{"its records", fmt.Sprint(ds[1].Records), "1450"},
			{"it has a load time", fmt.Sprint(!ds[1].LoadedAt.IsZero()), "true"},
		} {
			if c.got != c.want {
				t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
			}
		}
		// The seed again: all the same, nothing created.
		rep, err := seed.Load(ctx, s, false)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created["pledges"] != 0 || rep.Updated["pledges"] != 0 || rep.Releases[0].Action != "same" {
			t.Fatalf("seed after the migration: %+v", rep)
		}
	})
}

// TestMigrationListsFXHistory: a database seeded before the ECB history was
// embedded (issue 24) lists it after migration 16, as the seed lists it
// on a new database: the same release, title, citation and count.
func TestMigrationListsFXHistory(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		s := e.Open(t)
		ctx := coalition.WithUser(context.Background(), coalition.System)
		if _, err := seed.Load(ctx, s, false); err != nil {
			t.Fatal(err)
		}
		history := func() *coalition.DatasetInfo {
			ds, err := s.Datasets(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for i := range ds {
				if ds[i].Name == coalition.FXHistoryDataset {
					return &ds[i]
				}
			}
			return nil
		}
		seeded := history()
		if seeded == nil || seeded.Records != coalition.FXHistoryCount() || seeded.Kind != coalition.ReleaseFXHistory {
			t.Fatalf("seeded: %+v, want %d rates of kind fx_history", seeded, coalition.FXHistoryCount())
		}
		for _, q := range []string{"DELETE FROM datasets WHERE name = 'ecb-fx-history'", "DELETE FROM schema_migrations WHERE version = 16"} {
			if _, err := s.DB().ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if n, err := s.Migrate(ctx); err != nil || n != 1 {
			t.Fatalf("migrate: %d, %v", n, err)
		}
		migrated := history()
		if migrated == nil {
			t.Fatal("ecb-fx-history not listed after migration 16")
		}
		for _, c := range []struct{ what, got, want string }{
			{"release", migrated.Release, seeded.Release},
			{"as_of", migrated.AsOf.String(), seeded.AsOf.String()},
			{"title", migrated.Title, seeded.Title},
			{"source", migrated.Source, seeded.Source},
			{"records", fmt.Sprint(migrated.Records), fmt.Sprint(seeded.Records)},
			{"kind", migrated.Kind, seeded.Kind},
		} {
			if c.got != c.want {
				t.Errorf("%s = %q, want %q (as the seed records it)", c.what, c.got, c.want)
			}
		}
	})
}
