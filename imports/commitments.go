package imports

import (
	"context"
	"errors"
	"fmt"
	"io"

	"coalition"
	"coalition/importer"
)

// releaseCommitments loads the commitments of a Kiel release (the
// "commitments" and "to_be_allocated" columns of the same file) in the
// import's transaction: they replace the dataset's stored commitments, so
// that `donors --status committed|pipeline` follows the release the
// allocations come from, and a refused or dry-run import changes neither.
// Bad commitment cells are row errors (file, line, field), which refuse
// the release like any other.
func releaseCommitments(ctx context.Context, im coalition.Import, f File, rel coalition.Release) (importer.Errors, error) {
	if _, err := f.R.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("imports: %s: %w", f.Name, err)
	}
	cs, err := importer.KielCommitments(f.R, importer.KielOptions{File: f.Name, Source: rel.Source, AsOf: rel.AsOf}, rel.Dataset, rel.Name)
	if noCommitmentColumns(err) {
		return nil, nil // an older layout: the stored commitments stay (docs/importers.md)
	}
	var rows importer.Errors
	if errors.As(err, &rows) {
		return rows, nil
	}
	if err != nil {
		return nil, fmt.Errorf("imports: %s: commitments: %w", f.Name, err)
	}
	return nil, im.Commitments(ctx, rel.Dataset, cs)
}

// noCommitmentColumns says whether err is only that the file has no
// "commitments" or "to_be_allocated" column (the layouts of early
// releases), not a bad row.
func noCommitmentColumns(err error) bool {
	var errs importer.Errors
	if !errors.As(err, &errs) || len(errs) != 1 {
		return false
	}
	e := errs[0]
	return e.Row == 1 && (e.Field == "commitments" || e.Field == "to_be_allocated")
}
