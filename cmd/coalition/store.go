package main

import (
	"context"
	"flag"
	"fmt"

	"coalition"
	seedpkg "coalition/seed"
	"coalition/sqlstore"
)

// dbFlag adds --db to fs (default coalition.db in the working directory).
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "coalition.db", "database: a SQLite file (sqlite:FILE) or postgres://user@host/db (env COALITION_DB)")
}

// openStore opens and migrates the database and, when it holds no
// countries yet, loads the bundled reference data, so that every command
// answers on a fresh machine.
func openStore(ctx context.Context, e *env, dsn string) (*sqlstore.Store, error) {
	s, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	cs, err := s.FindCountries(ctx, coalition.CountryFilter{})
	if err != nil {
		s.Close()
		return nil, err
	}
	if len(cs) == 0 {
		rep, err := seed(ctx, s, false)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("loading the reference data: %w", err)
		}
		fmt.Fprintf(e.stderr, "coalition: new database: loaded the reference data (%d pledges, %d countries, %d engagements)\n",
			rep.Created["pledges"], rep.Created["countries"], rep.Created["engagements"])
	}
	return s, nil
}

// referenceDataset is the bundled reference data as one dataset.
func referenceDataset() (*coalition.Dataset, error) { return seedpkg.Dataset() }

// seed loads the reference dataset; it is idempotent.
func seed(ctx context.Context, s coalition.Loader, dryRun bool) (coalition.LoadReport, error) {
	return seedpkg.Load(ctx, s, dryRun)
}
