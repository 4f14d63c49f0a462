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
	if err := createSeeded(ctx, e, dsn, ref); err != nil {
		return nil, err
	}
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
		loadedReference(e, rep)
	}
	return s, nil
}

// createSeeded builds the SQLite file of dsn with the reference data when
// ref says it did not exist (readReferenceIfFresh): all or nothing, in a
// temporary file written without a write-ahead log or per-commit fsyncs,
// then synced and given its name (sqlstore.CreateSeeded), so a crash
// mid-seed leaves no database that a later start would take as complete.
// Where the temporary file cannot be created, the database is opened and
// seeded in place as before, and its errors say why.
func createSeeded(ctx context.Context, e *env, dsn string, ref *referenceRead) error {
	if ref == nil {
		return nil
	}
	var rep coalition.LoadReport
	created, err := sqlstore.CreateSeeded(ctx, sqlitePath(dsn), func(s *sqlstore.Store) (err error) {
		rep, err = seedReference(ctx, s, ref)
		return err
	})
	switch {
	case errors.Is(err, sqlstore.ErrCannotStage):
		return nil
	case err != nil:
		return fmt.Errorf("loading the reference data: %w", err)
	case created:
		loadedReference(e, rep)
	}
	return nil
}

// loadedReference says on stderr that a new database got the reference data.
func loadedReference(e *env, rep coalition.LoadReport) {
	fmt.Fprintf(e.stderr, "coalition: new database: loaded the reference data (%d pledges, %d countries, %d engagements)\n",
		rep.Created["pledges"], rep.Created["countries"], rep.Created["engagements"])
}

// sqlitePath is the file of a SQLite dsn.
func sqlitePath(dsn string) string { return strings.TrimPrefix(dsn, "sqlite:") }

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
	path := sqlitePath(dsn)
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
