package sqlstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"coalition"
	"coalition/seed"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

// TestImageRestamp: a database copied from a reference image at an instant
// holds exactly what a seed made at that instant holds, every table and row
// (timestamps in the tables and in the audit entries, the audit chain's
// hashes), and its audit chain verifies; an image whose migrations are not
// this binary's is refused and leaves nothing.
func TestImageRestamp(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fill := func(s *sqlstore.Store) error {
		_, err := seed.Load(ctx, s, false)
		return err
	}
	img := filepath.Join(dir, "image.db")
	if err := sqlstore.MakeImage(ctx, img, fill); err != nil {
		t.Fatal(err)
	}
	image, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 4, 5, 6, 7, 890, time.UTC)
	copied, ref := filepath.Join(dir, "copy.db"), filepath.Join(dir, "ref.db")
	if created, err := sqlstore.CreateFromImage(ctx, copied, image, at); err != nil || !created {
		t.Fatalf("CreateFromImage: created %v, %v", created, err)
	}
	if err := sqlstore.MakeAt(ctx, ref, fill, at); err != nil {
		t.Fatal(err)
	}
	imageDump, a, b := sqltest.Dump(t, img), sqltest.Dump(t, copied), sqltest.Dump(t, ref)
	const clock = "2000-01-01T00:00:00.000000001Z"
	if !strings.Contains(strings.Join(imageDump["audit_log"], "\n"), clock) || !strings.Contains(strings.Join(imageDump["pledges"], "\n"), clock) {
		t.Fatalf("the image's audit log and pledges do not carry the image's clock %s", clock)
	}
	if len(b["pledges"]) == 0 || len(b["audit_log"]) == 0 {
		t.Fatalf("the seed at %v wrote %d pledges and %d audit entries", at, len(b["pledges"]), len(b["audit_log"]))
	}
	if d := sqltest.DumpDiff(a, b); d != "" {
		t.Fatalf("the copy of the image at %v differs from a seed at that instant: %s", at, d)
	}
	s, err := sqlstore.Open(ctx, copied)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, _, msg, err := s.VerifyAudit(coalition.WithUser(ctx, coalition.System))
	if err != nil || msg != "" || n == 0 {
		t.Fatalf("the copy's audit chain: %d entries, %q, %v", n, msg, err)
	}

	// An image lacking this binary's newest migration is refused.
	stale := filepath.Join(dir, "stale.db")
	os.WriteFile(stale, image, 0o644)
	st, err := sqlstore.OpenNoMigrate(ctx, stale)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	staleImage, _ := os.ReadFile(stale)
	never := filepath.Join(dir, "never", "c.db")
	os.Mkdir(filepath.Dir(never), 0o755)
	created, err := sqlstore.CreateFromImage(ctx, never, staleImage, at)
	if !errors.Is(err, sqlstore.ErrStaleImage) || created {
		t.Fatalf("stale image: created %v, %v; want ErrStaleImage", created, err)
	}
	if es, _ := os.ReadDir(filepath.Dir(never)); len(es) != 0 {
		t.Fatalf("a refused image left %v", es)
	}
}
