package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"

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
	return openStoreReading(ctx, e, dsn, readReferenceIfFresh(dsn))
}

// openStoreReading is openStore with the reference data perhaps already
// being read (readReferenceIfFresh).
func openStoreReading(ctx context.Context, e *env, dsn string, ref *referenceRead) (*sqlstore.Store, error) {
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
		rep, err := seedReference(ctx, s, ref)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("loading the reference data: %w", err)
		}
		fmt.Fprintf(e.stderr, "coalition: new database: loaded the reference data (%d pledges, %d countries, %d engagements)\n",
			rep.Created["pledges"], rep.Created["countries"], rep.Created["engagements"])
	}
	return s, nil
}

// referenceRead is the bundled dataset being read in the background while
// a new SQLite database is created and migrated: on two processors a fresh
// start then parses the Kiel file while SQLite compiles the schema.
type referenceRead struct {
	done chan struct{}
	ds   *coalition.Dataset
	err  error
}

// readReferenceIfFresh starts reading the bundled dataset when dsn names a
// SQLite file that does not exist yet (it will be seeded); nil otherwise
// (a database in use: nothing is read that will not be needed).
func readReferenceIfFresh(dsn string) *referenceRead {
	if strings.Contains(dsn, "://") {
		return nil
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if _, err := os.Stat(path); path == "" || !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	r := &referenceRead{done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.ds, r.err = referenceDataset()
	}()
	return r
}

// seedReference loads the reference dataset read by r (read now when r
// is nil) into s.
func seedReference(ctx context.Context, s *sqlstore.Store, r *referenceRead) (coalition.LoadReport, error) {
	if r == nil {
		return seed(ctx, s, false)
	}
	<-r.done
	if r.err != nil {
		return coalition.LoadReport{}, r.err
	}
	return seedpkg.LoadDataset(ctx, s, r.ds, false)
}

// referenceDataset is the bundled reference data as one dataset.
func referenceDataset() (*coalition.Dataset, error) { return seedpkg.Dataset() }

// seed loads the reference dataset; it is idempotent.
func seed(ctx context.Context, s coalition.Loader, dryRun bool) (coalition.LoadReport, error) {
	return seedpkg.Load(ctx, s, dryRun)
}
