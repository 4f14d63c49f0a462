package main

import (
	"context"
	"flag"
	"fmt"

	"coalition"
	"coalition/importer"
	"coalition/refdata"
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
		rep, err := seed(coalition.WithUser(ctx, coalition.System), s, false)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("loading the reference data: %w", err)
		}
		fmt.Fprintf(e.stderr, "coalition: new database: loaded the reference data (%d pledges, %d countries, %d engagements)\n",
			rep.Created["pledges"], rep.Created["countries"], rep.Created["engagements"])
	}
	return s, nil
}

// referenceDataset is the bundled reference data as one dataset: the simple
// tables from refdata, the Kiel monthly file through the kiel-csv importer.
func referenceDataset() (*coalition.Dataset, error) {
	ds, err := refdata.Load()
	if err != nil {
		return nil, err
	}
	f, err := refdata.Open(refdata.KielFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ds.Pledges, err = importer.KielCSV(f, importer.KielOptions{File: refdata.KielFile, Source: refdata.KielSource, AsOf: refdata.KielAsOf})
	if err != nil {
		return nil, err
	}
	return ds, nil
}

// seed loads the reference dataset; it is idempotent.
func seed(ctx context.Context, s coalition.Loader, dryRun bool) (coalition.LoadReport, error) {
	ds, err := referenceDataset()
	if err != nil {
		return coalition.LoadReport{}, err
	}
	return s.Load(ctx, ds, dryRun)
}
