package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"

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
	return openStoreWith(ctx, e, dsn, ref, sqlstore.Open)
}

// openStoreWith is openStoreReading opening the database with open
// (sqlstore.Open, or OpenExclusive for a bulk import).
func openStoreWith(ctx context.Context, e *env, dsn string, ref *referenceRead, open func(context.Context, string) (*sqlstore.Store, error)) (*sqlstore.Store, error) {
	if err := createSeeded(ctx, e, dsn, ref); err != nil {
		return nil, err
	}
	s, err := open(ctx, dsn)
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
// temporary file given its name only when complete, so a crash mid-seed
// leaves no database that a later start would take as complete. The file
// is a copy of the bundled reference image (referenceimage.go) when this
// binary's image is current, as it is in every build that passed its tests;
// otherwise (or with COALITION_REFERENCE_IMAGE=off) the reference data is
// seeded into it from scratch (sqlstore.CreateSeeded). Where the temporary
// file cannot be created, the database is opened and seeded in place as
// before, and its errors say why.
func createSeeded(ctx context.Context, e *env, dsn string, ref *referenceRead) error {
	if ref == nil {
		return nil
	}
	if e.getenv("COALITION_REFERENCE_IMAGE") != "off" {
		created, rep, err := createFromImage(ctx, sqlitePath(dsn))
		switch {
		case errors.Is(err, sqlstore.ErrCannotStage):
			return nil
		case errors.Is(err, sqlstore.ErrStaleImage):
			fmt.Fprintf(e.stderr, "coalition: %v; seeding the new database from scratch (regenerate it: %s)\n", err, regenerateImage)
		case err != nil:
			return fmt.Errorf("loading the reference data: %w", err)
		default:
			if created {
				loadedReference(e, rep)
			}
			return nil
		}
	}
	ref.start()
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

// referenceRead is the bundled dataset read in the background, once
// started, while a new SQLite database is created and migrated: on two
// processors a fresh start seeding from scratch then parses the Kiel file
// while SQLite compiles the schema. A start from the reference image never
// reads it.
type referenceRead struct {
	once sync.Once
	done chan struct{}
	ds   *coalition.Dataset
	err  error
}

// readReferenceIfFresh returns a reader of the bundled dataset, not yet
// started, when dsn names a SQLite file that does not exist yet (it will be
// created); nil otherwise (a database in use).
func readReferenceIfFresh(dsn string) *referenceRead {
	if strings.Contains(dsn, "://") {
		return nil
	}
	path := sqlitePath(dsn)
	if _, err := os.Stat(path); path == "" || !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return &referenceRead{done: make(chan struct{})}
}

// start starts reading the dataset, once.
func (r *referenceRead) start() {
	r.once.Do(func() {
		go func() {
			defer close(r.done)
			r.ds, r.err = referenceDataset()
		}()
	})
}

// seedReference loads the reference dataset read by r (read now when r
// is nil) into s.
func seedReference(ctx context.Context, s *sqlstore.Store, r *referenceRead) (coalition.LoadReport, error) {
	if r == nil {
		return seed(ctx, s, false)
	}
	r.start()
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
