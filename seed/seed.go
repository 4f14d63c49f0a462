// Package seed composes the bundled reference data into one dataset: the
// simple tables from refdata, and the Kiel monthly file through the
// importer's kiel-csv code path (the same one users import with).
package seed

import (
	"context"
	"fmt"

	"coalition"
	"coalition/importer"
	"coalition/refdata"
)

// Dataset returns the whole reference dataset.
func Dataset() (*coalition.Dataset, error) {
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
		return nil, fmt.Errorf("bundled Kiel file: %w", err)
	}
	return ds, nil
}

// Load loads the reference dataset into s as the system user; it is idempotent.
func Load(ctx context.Context, s coalition.Loader, dryRun bool) (coalition.LoadReport, error) {
	ds, err := Dataset()
	if err != nil {
		return coalition.LoadReport{}, err
	}
	return s.Load(coalition.WithUser(ctx, coalition.System), ds, dryRun)
}
