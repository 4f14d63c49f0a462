package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"coalition"
	"coalition/internal/check"
)

// TestReadReferenceIfFresh: the bundled data is read ahead only for a
// SQLite file that does not exist yet, and a store opened with it is
// seeded exactly as one that reads it itself.
func TestReadReferenceIfFresh(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.db")
	if err := os.WriteFile(existing, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	check.Facts(t,
		check.Holds("an existing file", readReferenceIfFresh("sqlite:"+existing) == nil, "read ahead", "nil"),
		check.Holds("a PostgreSQL URL", readReferenceIfFresh("postgres://u@127.0.0.1/db") == nil, "read ahead", "nil"),
		check.Holds("an empty SQLite name", readReferenceIfFresh("sqlite:") == nil, "read ahead", "nil"))

	ctx := coalition.WithUser(context.Background(), coalition.System)
	var reports []string
	for _, name := range []string{"ahead.db", "after.db"} {
		dsn := "sqlite:" + filepath.Join(dir, name)
		ref := readReferenceIfFresh(dsn)
		check.Facts(t, check.Holds(name+": a new file is read ahead", ref != nil, ref, "not nil"))
		if name == "after.db" {
			ref = nil // read when the empty database is found, as before
		}
		var stderr bytes.Buffer
		s, err := openStoreReading(ctx, &env{getenv: func(string) string { return "" }, stderr: &stderr}, dsn, ref)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		err = s.DB().QueryRow("SELECT count(*) FROM pledges").Scan(&n)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		// 1,450 pledges of the bundled Kiel file.
		check.Facts(t, check.Eq(name+": pledges", n, 1450))
		reports = append(reports, strings.SplitN(stderr.String(), "\n", 2)[0])
	}
	check.Facts(t, check.Eq("the seed's report, read ahead and not", reports[0], reports[1]),
		check.Holds("the seed's report", strings.Contains(reports[0], "1450 pledges"), reports[0], "1450 pledges"))
}
