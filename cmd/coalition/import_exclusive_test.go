package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

// genIATI writes a synthetic IATI file of n transactions (cmd/gen-iati,
// the scale benchmark's generator) into a temporary folder.
func genIATI(t *testing.T, n int) string {
	t.Helper()
	gen := builtCommand(t, "../gen-iati")
	file := filepath.Join(t.TempDir(), fmt.Sprintf("syn-%d.xml", n))
	if out, err := exec.Command(gen, "-transactions", fmt.Sprint(n), "-o", file).CombinedOutput(); err != nil {
		t.Fatalf("gen-iati: %v\n%s", err, out)
	}
	return file
}

// rawDB opens a SQLite file without the store (no migration, no seed).
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// checkFile says what an import that had the database to itself must
// leave: a sound file back in WAL mode, with no journal.
func checkFile(t *testing.T, path string) {
	t.Helper()
	db := rawDB(t, path)
	var ok, mode string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check of %s: %q %v", path, ok, err)
	}
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode of %s: %q %v, want wal", path, mode, err)
	}
	if _, err := os.Stat(path + "-journal"); !os.IsNotExist(err) {
		t.Fatalf("a rollback journal is left beside %s: %v", path, err)
	}
}

// importedRows are the imported pledges' figures and the rollups, without
// the timestamps of the import.
func importedRows(t *testing.T, path string) []string {
	t.Helper()
	var rows []string
	for _, q := range []string{
		"SELECT donor, recipient, category, support_type, amount_minor, currency, amount_eur_minor, fx_rate, announced, status, source_ref FROM pledges ORDER BY id",
		"SELECT * FROM pledge_rollup ORDER BY 1, 2, 3, 4, 5",
		"SELECT * FROM pledge_monthly ORDER BY 1, 2, 3",
	} {
		r, err := rawDB(t, path).Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := r.Columns()
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, fmt.Sprint(vals...))
		}
		r.Close()
	}
	return rows
}

// TestImportExclusive: an import that has the database to itself
// (--exclusive yes: the rollback journal) writes what the same import
// beside others writes, and leaves the file sound and in WAL mode; with
// another connection open, yes is refused and changes nothing, and auto
// (for a file as large as it takes) imports beside it; a small file under
// auto never tries.
func TestImportExclusive(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	file := genIATI(t, 60_000) // ~45 MB of pages: the import spills into the file
	dir := t.TempDir()
	alone, beside := filepath.Join(dir, "alone.db"), filepath.Join(dir, "beside.db")
	opscli(t, "", "countries", "--db", alone)
	opscli(t, "", "countries", "--db", beside)
	before := sqltest.TableCounts(t, beside)

	_, stderr, err := cli(t, nil, "import", "iati", file, "--recipient", "UA", "--exclusive", "yes", "--db", alone)
	if err != nil || !strings.Contains(stderr, "alone until it ends") {
		t.Fatalf("import --exclusive yes: %v\n%s", err, stderr)
	}
	checkFile(t, alone)

	// Another process's connection, as a server would hold it.
	other, err := sqlstore.Open(context.Background(), beside)
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, err = cli(t, nil, "import", "iati", file, "--recipient", "UA", "--exclusive", "yes", "--db", beside)
	if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "open in another process") {
		t.Fatalf("import --exclusive yes beside an open connection: %v (exit %d), want a refusal saying why\n%s", err, exitCode(err), stderr)
	}
	if got := sqltest.TableCounts(t, beside); !sameCounts(got, before) {
		t.Fatalf("the refused import changed the database:\n got %v\nwant %v", got, before)
	}
	defer func(b int64) { exclusiveImportBytes = b }(exclusiveImportBytes)
	exclusiveImportBytes = 1
	_, stderr, err = cli(t, nil, "import", "iati", file, "--recipient", "UA", "--db", beside)
	if err != nil || !strings.Contains(stderr, "importing beside it") {
		t.Fatalf("import (auto) beside an open connection: %v\n%s", err, stderr)
	}
	other.Close()
	if a, b := importedRows(t, alone), importedRows(t, beside); len(a) < 60_000 || strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatalf("the import alone and the import beside differ (%d and %d rows)", len(a), len(b))
	}
	if a, b := sqltest.TableCounts(t, alone), sqltest.TableCounts(t, beside); !sameCounts(a, b) {
		t.Fatalf("table counts differ:\n alone %v\nbeside %v", a, b)
	}

	exclusiveImportBytes = 64 << 20
	small := filepath.Join(dir, "small.db")
	_, stderr, err = cli(t, nil, "import", "iati", file, "--recipient", "UA", "--db", small)
	if err != nil || strings.Contains(stderr, "alone") || strings.Contains(stderr, "beside") {
		t.Fatalf("import (auto) of a file under the threshold: %v\n%s", err, stderr)
	}
	if _, _, err := cli(t, nil, "import", "iati", file, "--exclusive", "maybe", "--db", small); exitCode(err) != 2 || !strings.Contains(err.Error(), "want yes, no or auto") {
		t.Fatalf("--exclusive maybe: %v", err)
	}
}

// TestImportExclusiveCrash kills an import that has the database to
// itself once it has written pages into the file: the next command rolls
// the journal back (nothing of the import is left, nothing before it is
// lost) and finds the database sound and in WAL mode.
func TestImportExclusiveCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	bin := coalitionBinary(t)
	file := genIATI(t, 400_000)
	db := filepath.Join(t.TempDir(), "c.db")
	opscli(t, "", "countries", "--db", db)
	want := sqltest.TableCounts(t, db)
	fi, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "import", "iati", file, "--recipient", "UA", "--exclusive", "yes", "--db", db)
	cmd.Env = cleanEnv()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	spilled := false
	deadline := time.Now().Add(2 * time.Minute)
	for !spilled && time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("the import ended (%v) before it wrote 16 MB into the file: nothing to kill", err)
		case <-time.After(time.Millisecond):
		}
		cur, err1 := os.Stat(db)
		_, err2 := os.Stat(db + "-journal")
		spilled = err1 == nil && err2 == nil && cur.Size() > fi.Size()+16<<20
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
	if !spilled {
		t.Fatal("the import wrote nothing into the file in two minutes")
	}
	if _, err := os.Stat(db + "-journal"); err != nil {
		t.Fatalf("no hot journal after the kill: %v", err)
	}
	opscli(t, "", "countries", "--db", db) // any command opens it
	if got := sqltest.TableCounts(t, db); !sameCounts(got, want) {
		t.Fatalf("after the kill and the next command:\n got %v\nwant %v", got, want)
	}
	checkFile(t, db)
}
