package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"coalition"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

var updateImage = flag.Bool("update", false, "make the reference image again (referenceimage/)")

// TestReferenceImage: the bundled reference image holds, table by table and
// row by row, what seeding a new database from scratch writes with this
// code, these migrations and this reference data (at the image's clock),
// and its report is the seed's. It fails whenever one of them changes and
// the image was not made again; -update makes it.
func TestReferenceImage(t *testing.T) {
	ctx := context.Background()
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	var rep coalition.LoadReport
	err := sqlstore.MakeImage(ctx, fresh, func(s *sqlstore.Store) (err error) {
		rep, err = seedReference(ctx, s, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	report, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if *updateImage {
		writeImage(t, fresh, append(report, '\n'))
		return
	}
	image, err := referenceImage()
	if err != nil {
		t.Fatal(err)
	}
	bundled := filepath.Join(t.TempDir(), "bundled.db")
	if err := os.WriteFile(bundled, image, 0o644); err != nil {
		t.Fatal(err)
	}
	want, got := sqltest.Dump(t, fresh), sqltest.Dump(t, bundled)
	if len(want["pledges"]) == 0 || len(want["countries"]) == 0 {
		t.Fatalf("the seed from scratch wrote %d pledges, %d countries", len(want["pledges"]), len(want["countries"]))
	}
	if d := sqltest.DumpDiff(want, got); d != "" {
		t.Fatalf("the reference image is not what a seed makes today (run %s):\nseed, then image: %s", regenerateImage, d)
	}
	if string(referenceImageReport) != string(report)+"\n" {
		t.Fatalf("referenceimage/report.json is not the seed's report (run %s):\n%s\nwant\n%s", regenerateImage, referenceImageReport, report)
	}
}

// writeImage compresses the image file path into referenceimage/ with its
// report (deterministic: one encoder thread, no checksum of the time).
func writeImage(t *testing.T, path string, report []byte) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	z := enc.EncodeAll(b, nil)
	if err := os.WriteFile(filepath.Join("referenceimage", "reference.db.zst"), z, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("referenceimage", "report.json"), report, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("reference image: %d bytes, %d compressed", len(b), len(z))
}

// TestFreshDatabaseFromImage: a command on a new SQLite file creates it from
// the reference image, says so as the seed does, and gives it the time of
// the copy (no timestamp of the image left, the audit chain verifies); with
// COALITION_REFERENCE_IMAGE=off it seeds from scratch, and both databases
// answer `donors --json` alike, byte for byte.
func TestFreshDatabaseFromImage(t *testing.T) {
	ctx := context.Background()
	answers := map[string]string{}
	for _, mode := range []string{"on", "off"} {
		path := filepath.Join(t.TempDir(), "c.db")
		before := time.Now().UTC()
		out, stderr, err := cli(t, map[string]string{"COALITION_REFERENCE_IMAGE": mode}, "donors", "--json", "--db", path)
		if err != nil {
			t.Fatalf("%s: %v\n%s", mode, err, stderr)
		}
		answers[mode] = out
		if !strings.Contains(stderr, "new database: loaded the reference data (1450 pledges, 49 countries, 23 engagements)") {
			t.Errorf("%s: stderr %q", mode, stderr)
		}
		for table, rows := range sqltest.Dump(t, path) {
			if strings.Contains(strings.Join(rows, "\n"), "2000-01-01T00:00:00.000000001Z") {
				t.Errorf("%s: table %s still holds the image's clock", mode, table)
			}
		}
		s, err := sqlstore.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		sys := coalition.WithUser(ctx, coalition.System)
		if n, _, msg, err := s.VerifyAudit(sys); err != nil || msg != "" || n == 0 {
			t.Errorf("%s: audit chain of %d entries: %q %v", mode, n, msg, err)
		}
		ds, err := s.Datasets(sys)
		if err != nil || len(ds) == 0 {
			t.Fatalf("%s: %d datasets, %v", mode, len(ds), err)
		}
		for _, d := range ds {
			if d.LoadedAt.Before(before.Add(-time.Second)) || d.LoadedAt.After(time.Now().Add(time.Second)) {
				t.Errorf("%s: dataset %s loaded at %v, not during this command (from %v)", mode, d.Name, d.LoadedAt, before)
			}
		}
		s.Close()
	}
	if answers["on"] != answers["off"] || !strings.Contains(answers["on"], `"USA"`) {
		t.Fatalf("donors --json differs between the image and a seed from scratch:\n%.300s\n%.300s", answers["on"], answers["off"])
	}
}
