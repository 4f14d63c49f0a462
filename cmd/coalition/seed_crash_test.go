package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"coalition/sqlstore/sqltest"
)

// TestCrashMidSeed: `serve` on a fresh directory is killed (SIGKILL) while
// it seeds the new database, at several moments; afterwards the database
// file is either absent or complete (every table holds as many rows as a
// database seeded without a crash), never half-seeded, and the next start
// serves a complete one. The seed runs in a temporary file that gets the
// database's name only when it is complete (sqlstore.CreateSeeded), and so
// does the copy of the reference image (sqlstore.CreateFromImage), killed
// too; the seed from scratch (COALITION_REFERENCE_IMAGE=off) is the slower,
// where the kills land mid-seed.
func TestCrashMidSeed(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	bin := coalitionBinary(t)
	ref := filepath.Join(t.TempDir(), "ref.db")
	opscli(t, "", "countries", "--db", ref)
	want := sqltest.TableCounts(t, ref)
	if want["pledges"] == 0 || want["commitments"] == 0 || want["force_offers"] == 0 {
		t.Fatalf("the reference database is not seeded: %v", want)
	}
	killedMidSeed := 0
	type kill struct {
		after time.Duration
		image string
	}
	kills := []kill{{0, "off"}, {5 * time.Millisecond, "off"}, {20 * time.Millisecond, "off"}, {50 * time.Millisecond, "off"}, {0, "on"}, {time.Millisecond, "on"}}
	for _, k := range kills {
		after := k.after
		dir := t.TempDir()
		db := filepath.Join(dir, "coalition.db")
		cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
		cmd.Env = append(cleanEnv(), "COALITION_REFERENCE_IMAGE="+k.image)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait for the temporary file of the seed, then a little more.
		deadline := time.Now().Add(20 * time.Second)
		for seeding(t, dir) == "" && time.Now().Before(deadline) {
			if _, err := os.Stat(db); err == nil {
				break // finished already (a fast machine)
			}
			time.Sleep(200 * time.Microsecond)
		}
		time.Sleep(after)
		midSeed := seeding(t, dir) != ""
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		_, err := os.Stat(db)
		switch {
		case err == nil:
			if got := sqltest.TableCounts(t, db); !sameCounts(got, want) {
				t.Fatalf("killed %s after the seed began: %s exists but is not complete:\n got %v\nwant %v", after, db, got, want)
			}
		case os.IsNotExist(err):
			if !midSeed {
				t.Logf("killed %s after the seed began: no database and no temporary file", after)
			}
		default:
			t.Fatal(err)
		}
		if midSeed && k.image == "off" {
			killedMidSeed++
		}
		// The next start seeds (or finds) a complete database.
		opscli(t, "", "countries", "--db", db)
		if got := sqltest.TableCounts(t, db); !sameCounts(got, want) {
			t.Fatalf("after the crash at %s, the next start left\n got %v\nwant %v", after, got, want)
		}
	}
	if killedMidSeed == 0 {
		t.Fatal("no kill landed while the seed from scratch was running: the test proved nothing")
	}
	t.Logf("%d of 4 kills landed mid-seed from scratch", killedMidSeed)
}

// seeding returns the name of a seed's temporary file in dir, or "".
func seeding(t *testing.T, dir string) string {
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if strings.Contains(e.Name(), ".seeding-") && !strings.HasSuffix(e.Name(), "-journal") {
			return e.Name()
		}
	}
	return ""
}

// sameCounts says whether two TableCounts are equal, table by table.
func sameCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
