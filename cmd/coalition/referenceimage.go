package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/klauspost/compress/zstd"

	"coalition"
	"coalition/sqlstore"
)

// The reference image: a SQLite database holding the bundled reference
// data exactly as `coalition seed` loads it into a new database, made when
// the reference data, the migrations or the seed change (not at run time),
// compressed with Zstandard, with the seed's report beside it. A new SQLite
// database is a copy of it whose timestamps are the time of the copy
// (sqlstore.CreateFromImage): a fresh start then writes 2.7 MB and a few
// UPDATEs instead of seeding ~5,500 rows through the pure-Go SQLite.
//
// TestReferenceImage fails when the image is not what a seed from scratch
// makes today; `go test ./cmd/coalition -run TestReferenceImage -update`
// makes it again.
var (
	//go:embed referenceimage/reference.db.zst
	referenceImageZst []byte
	//go:embed referenceimage/report.json
	referenceImageReport []byte
)

// regenerateImage is the command that makes the reference image again.
const regenerateImage = "go test ./cmd/coalition -run TestReferenceImage -update"

// createFromImage creates the SQLite database path as a copy of the
// reference image, all or nothing, and returns the seed's report of the
// image. created is false when path exists already; sqlstore.ErrStaleImage
// when the image's schema is not this binary's.
func createFromImage(ctx context.Context, path string) (created bool, rep coalition.LoadReport, err error) {
	image, err := referenceImage()
	if err != nil {
		return false, rep, err
	}
	if err := json.Unmarshal(referenceImageReport, &rep); err != nil {
		return false, rep, fmt.Errorf("reference image report: %w", err)
	}
	created, err = sqlstore.CreateFromImage(ctx, path, image, time.Now())
	return created, rep, err
}

// referenceImage is the reference image, decompressed.
func referenceImage() ([]byte, error) {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("reference image: %w", err)
	}
	defer d.Close()
	b, err := d.DecodeAll(referenceImageZst, nil)
	if err != nil {
		return nil, fmt.Errorf("reference image: %w", err)
	}
	return b, nil
}
