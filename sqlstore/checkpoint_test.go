package sqlstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"coalition"
)

// Writes do not copy SQLite's WAL into the database file themselves
// (wal_autocheckpoint is 0 on the writer); the background checkpointer
// does, and stops with Close.
func TestBackgroundCheckpoints(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	var auto int
	if err := s.w.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("writer wal_autocheckpoint = %d (%v), want 0", auto, err)
	}
	sys := coalition.WithUser(ctx, coalition.System)
	for _, c := range []string{"FRA", "UKR"} {
		if err := s.UpsertCountry(sys, &coalition.Country{ISO3: c, Name: c, Source: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	size := func(p string) int64 {
		fi, err := os.Stat(p)
		if err != nil {
			return 0
		}
		return fi.Size()
	}
	time.Sleep(3 * checkpointEvery)
	before := size(path)
	// About 4 MB of pledges, in transactions of 100.
	for b := range 20 {
		im, err := s.BeginImport(sys)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 100 {
			p := &coalition.Pledge{Donor: "FRA", Recipient: "UKR", Category: "humanitarian", Amount: coalition.Money{Minor: 100, Currency: "EUR"},
				Announced: coalition.Date{Y: 2025, M: 1, D: 1}, Status: coalition.Allocated, Visibility: coalition.Public, Source: "t",
				SourceRef: fmt.Sprintf("%d-%d", b, i), Provenance: fmt.Sprintf(`{"pad":%q}`, make([]byte, 1500))}
			if err := im.Pledge(sys, p); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := im.Finish(sys, ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for size(path) < before+2<<20 && time.Now().Before(deadline) {
		time.Sleep(checkpointEvery)
	}
	if got := size(path); got < before+2<<20 {
		t.Fatalf("the database file grew from %d to %d bytes: the WAL was not checkpointed in the background", before, got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.stopped:
	default:
		t.Fatal("the checkpointer still runs after Close")
	}
}
