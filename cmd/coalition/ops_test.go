package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"coalition"
	"coalition/internal/check"
	"coalition/sqlstore/sqltest"
)

// presentSources returns id → source of the pledges whose source has prefix.
func presentSources(t *testing.T, db *sql.DB, prefix string) map[int64]string {
	t.Helper()
	rows, err := db.Query("SELECT id, source FROM pledges WHERE source LIKE '" + prefix + "%'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var src string
		if err := rows.Scan(&id, &src); err != nil {
			t.Fatal(err)
		}
		out[id] = src
	}
	return out
}

// checkIntegrity runs SQLite's integrity check (PostgreSQL has none to run
// from SQL; its WAL recovery is checked by reading every acknowledged row)
// and verifies the audit chain through the CLI.
func checkIntegrity(t *testing.T, dsn string) {
	t.Helper()
	if !strings.HasPrefix(dsn, "postgres") {
		var res string
		if err := openSQL(t, dsn).QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
			t.Errorf("PRAGMA integrity_check: %q %v", res, err)
		}
	}
	if out := opscli(t, "", "audit", "verify", "--db", dsn); !strings.Contains(out, "intact") {
		t.Errorf("audit verify: %s", out)
	}
}

// TestCrashLosesNoAcknowledgedWrite: concurrent writers, SIGKILL at random
// moments, restart; every write answered 201 must be there. 3 cycles per
// engine by default, COALITION_CRASH_FULL=1 for 25.
func TestCrashLosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	cycles := 3
	if os.Getenv("COALITION_CRASH_FULL") == "1" {
		cycles = 25
	}
	for _, engine := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := freshDSN(t, engine)
			token := adminWriteToken(t, dsn)
			var all []ack
			for c := range cycles {
				srv := startServer(t, dsn)
				ctx, cancel := context.WithCancel(context.Background())
				res := make(chan []ack, 1)
				go func() {
					a, bad := writers(ctx, srv.base, token, fmt.Sprintf("crash-c%d", c), 6)
					for _, b := range bad {
						t.Errorf("cycle %d: 5xx before the kill: %s", c, b)
					}
					res <- a
				}()
				time.Sleep(time.Duration(150+rand.IntN(600)) * time.Millisecond)
				srv.kill9(t)
				cancel()
				a := <-res
				all = append(all, a...)
				t.Logf("cycle %d: %d writes acknowledged before SIGKILL", c, len(a))
			}
			// Restart once more: recovery runs; the server must come up.
			srv := startServer(t, dsn)
			if status, _, b, err := call(context.Background(), "GET", srv.base+"/readyz", "", ""); err != nil || status != 200 {
				t.Fatalf("readyz after the crashes: %d %s %v", status, b, err)
			}
			if err := srv.stop(t); err != nil {
				t.Errorf("clean stop: %v\n%s", err, srv.stderr.String())
			}
			got := presentSources(t, openSQL(t, dsn), "crash-")
			lost := 0
			for _, a := range all {
				if got[a.id] != a.source {
					lost++
					if lost <= 5 {
						t.Errorf("acknowledged pledge %d (%s) lost: found %q", a.id, a.source, got[a.id])
					}
				}
			}
			if len(all) == 0 {
				t.Fatal("no write was acknowledged: the harness proved nothing")
			}
			t.Logf("%s: %d cycles, %d acknowledged writes, %d lost, %d rows present (unacknowledged ones may have committed)",
				engine, cycles, len(all), lost, len(got))
			checkIntegrity(t, dsn)
		})
	}
}

// TestLostUpdate: many clients read-modify-write one pledge with If-Match.
// The final state must be the sequence of successful writes, each built on
// the one before, and every other attempt must have got 409.
func TestLostUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	for _, engine := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := freshDSN(t, engine)
			token := adminWriteToken(t, dsn)
			srv := startServer(t, dsn)
			ctx := context.Background()
			status, _, b, err := call(ctx, "POST", srv.base+"/api/v1/pledges", token, pledgeBody("lost-update", `,"conditions":"start"`))
			if err != nil || status != 201 {
				t.Fatalf("create: %d %s %v", status, b, err)
			}
			var p struct {
				ID int64 `json:"id"`
			}
			json.Unmarshal(b, &p)
			path := srv.base + "/api/v1/pledges/" + strconv.FormatInt(p.ID, 10)

			type win struct {
				base, version int64
				conditions    string
			}
			var mu sync.Mutex
			var wins []win
			losers, bare, others := 0, 0, []string{}
			var wg sync.WaitGroup
			for c := range 12 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 8 {
						status, h, b, err := call(ctx, "GET", path, token, "")
						if err != nil || status != 200 {
							mu.Lock()
							others = append(others, fmt.Sprintf("GET %d %v", status, err))
							mu.Unlock()
							return
						}
						var cur struct {
							Conditions string `json:"conditions"`
						}
						json.Unmarshal(b, &cur)
						base, _ := strconv.ParseInt(strings.Trim(h.Get("ETag"), `"`), 10, 64)
						next := cur.Conditions + fmt.Sprintf("|c%d.%d", c, i)
						status, h, b, err = call(ctx, "PATCH", path, token, `{"conditions":`+strconv.Quote(next)+`}`, "If-Match", h.Get("ETag"))
						mu.Lock()
						switch {
						case err == nil && status == 200:
							v, _ := strconv.ParseInt(strings.Trim(h.Get("ETag"), `"`), 10, 64)
							wins = append(wins, win{base, v, next})
						case err == nil && status == 409:
							losers++
							if !strings.Contains(string(b), `"current"`) {
								bare++
							}
						default:
							others = append(others, fmt.Sprintf("PATCH %d %s %v", status, b, err))
						}
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			for _, o := range others {
				t.Errorf("neither 200 nor 409: %s", o)
			}
			if len(others) > 0 {
				t.Logf("server log:\n%s", srv.stderr.String())
			}
			sort.Slice(wins, func(i, j int) bool { return wins[i].version < wins[j].version })
			prev, prevCond := int64(1), "start"
			for _, w := range wins {
				if w.base != prev || w.version != prev+1 || !strings.HasPrefix(w.conditions, prevCond+"|") {
					t.Errorf("write to version %d built on version %d (%q), want on %d (%q)", w.version, w.base, w.conditions, prev, prevCond)
				}
				prev, prevCond = w.version, w.conditions
			}
			status, h, b, _ := call(ctx, "GET", path, token, "")
			var final struct {
				Conditions string `json:"conditions"`
				Version    int64  `json:"version"`
			}
			json.Unmarshal(b, &final)
			// The final pledge is the last successful write.
			check.Facts(t,
				check.Eq("final pledge: status", status, 200),
				check.Eq("final pledge: version", final.Version, prev),
				check.Eq("final pledge: conditions", final.Conditions, prevCond),
				check.Eq("final pledge: ETag", h.Get("ETag"), strconv.Quote(strconv.FormatInt(prev, 10))),
			)
			// 12 clients × 8 attempts = 96 = wins + losers.
			if len(wins)+losers != 96 || losers == 0 {
				t.Errorf("%d wins + %d losers (409), want 96 attempts with some contention", len(wins), losers)
			}
			if bare > 0 {
				t.Errorf("%d of %d refusals (409) came without the current record", bare, losers)
			}
			t.Logf("%s: %d successful writes, %d refused with 409, each with the current record", engine, len(wins), losers)
		})
	}
}

// TestBackupUnderLoad: a backup taken while writers run restores into a
// fresh database equal to the source at the backup's snapshot: every table
// equals the manifest's digest (checked by restore), the audit log is a
// prefix of the source's, every restored pledge is identical in the
// source, and every write acknowledged before the backup began is there.
func TestBackupUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	for _, engine := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := freshDSN(t, engine)
			token := adminWriteToken(t, dsn)
			srv := startServer(t, dsn)
			ctx, cancel := context.WithCancel(context.Background())
			res := make(chan []ack, 1)
			go func() {
				a, bad := writers(ctx, srv.base, token, "load", 4)
				for _, b := range bad {
					t.Errorf("5xx during the backup: %s", b)
				}
				res <- a
			}()
			time.Sleep(500 * time.Millisecond)
			backupStart := time.Now()
			file := filepath.Join(t.TempDir(), "under-load.cbk")
			opscli(t, "", "backup", "-o", file, "--db", dsn)
			backupEnd := time.Now()
			time.Sleep(300 * time.Millisecond)
			cancel()
			acks := <-res
			if err := srv.stop(t); err != nil {
				t.Errorf("stop: %v", err)
			}

			for _, target := range []string{"sqlite", engine} {
				restored := freshDSN(t, target)
				if target == "sqlite" {
					restored = strings.TrimPrefix(restored, "sqlite:")
				}
				out := opscli(t, "", "restore", file, "--db", restored)
				if !strings.Contains(out, "every table equals the backup") {
					t.Errorf("restore into %s: %s", target, out)
				}
				src, dst := openSQL(t, dsn), openSQL(t, restored)
				before, in := 0, 0
				got := presentSources(t, dst, "load-")
				for _, a := range acks {
					if a.at.Before(backupStart) {
						before++
						if got[a.id] != a.source {
							t.Errorf("write %d acknowledged before the backup began is missing from the restore", a.id)
						}
					}
				}
				srcRows := rowsOf(t, src, "SELECT id, source, amount_minor, version, updated_at FROM pledges ORDER BY id")
				for id, row := range rowsOf(t, dst, "SELECT id, source, amount_minor, version, updated_at FROM pledges ORDER BY id") {
					in++
					if srcRows[id] != row {
						t.Errorf("restored pledge %s = %q, source %q", id, row, srcRows[id])
					}
				}
				srcAudit := rowsOf(t, src, "SELECT seq, hash FROM audit_log ORDER BY seq")
				dstAudit := rowsOf(t, dst, "SELECT seq, hash FROM audit_log ORDER BY seq")
				for seq := 1; seq <= len(dstAudit); seq++ {
					k := strconv.Itoa(seq)
					if dstAudit[k] == "" || dstAudit[k] != srcAudit[k] {
						t.Errorf("restored audit entry %d = %q, source %q: not a prefix of the source's log", seq, dstAudit[k], srcAudit[k])
						break
					}
				}
				checkIntegrity(t, map[bool]string{true: "sqlite:" + restored, false: restored}[target == "sqlite"])
				t.Logf("%s → %s: %d writes acknowledged, %d before the backup (%s long); restore holds %d of %d source pledges and %d of %d audit entries",
					engine, target, len(acks), before, backupEnd.Sub(backupStart).Round(time.Millisecond), in, len(srcRows), len(dstAudit), len(srcAudit))
				if len(dstAudit) >= len(srcAudit) {
					t.Logf("note: no write landed after the snapshot")
				}
			}
		})
	}
}

// rowsOf returns the first column → the rest, joined.
func rowsOf(t *testing.T, db *sql.DB, q string) map[string]string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := map[string]string{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts[i] = fmt.Sprint(v)
		}
		out[parts[0]] = strings.Join(parts[1:], "|")
	}
	return out
}

// TestShutdownDrains: on SIGTERM /readyz turns 503 at once, a request in
// flight still completes, then the server exits 0 after closing the store.
func TestShutdownDrains(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	dsn := freshDSN(t, "sqlite")
	token := adminWriteToken(t, dsn)
	srv := startServer(t, dsn, "--drain-delay", "1s", "--log-level", "info")
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", srv.base+"/api/v1/pledges", pr)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	go func() {
		res, err := httpClient.Do(req)
		if err != nil {
			done <- result{0, err}
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		done <- result{res.StatusCode, nil}
	}()
	body := pledgeBody("in-flight", "")
	io.WriteString(pw, body[:20]) // the request is now in flight
	time.Sleep(200 * time.Millisecond)
	srv.cmd.Process.Signal(os.Interrupt)
	time.Sleep(300 * time.Millisecond)
	if status, _, b, err := call(context.Background(), "GET", srv.base+"/readyz", "", ""); err != nil || status != http.StatusServiceUnavailable {
		t.Errorf("readyz during the drain: %d %s %v, want 503", status, b, err)
	}
	time.Sleep(900 * time.Millisecond) // past the drain delay: the listener is closed, the request still open
	io.WriteString(pw, body[20:])
	pw.Close()
	r := <-done
	if r.err != nil || r.status != http.StatusCreated {
		t.Errorf("request in flight at SIGTERM: %d %v, want 201", r.status, r.err)
	}
	select {
	case err := <-srv.done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v, want 0\n%s", err, srv.stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("server still running 20 s after SIGTERM")
	}
	logs := srv.stderr.String()
	for _, want := range []string{"/readyz is unready", "finishing requests in flight", "store closed"} {
		if !strings.Contains(logs, want) {
			t.Errorf("shutdown log lacks %q:\n%s", want, logs)
		}
	}
	if got := presentSources(t, openSQL(t, dsn), "in-flight"); len(got) != 1 {
		t.Errorf("the in-flight pledge: %d rows, want 1", len(got))
	}
}

// TestStartupFailures: the real binary exits non-zero with one clear line.
func TestStartupFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	bin := coalitionBinary(t)
	dir := t.TempDir()

	locked := filepath.Join(dir, "locked.db")
	opscli(t, "", "migrate", "--db", locked)
	holder := openSQL(t, "sqlite:"+locked)
	conn, err := holder.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")

	newer := filepath.Join(dir, "newer.db")
	opscli(t, "", "migrate", "--db", newer)
	if _, err := openSQL(t, "sqlite:"+newer).Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', 'x')"); err != nil {
		t.Fatal(err)
	}
	notDB := filepath.Join(dir, "not-a-db.db")
	os.WriteFile(notDB, []byte("this is not a SQLite database, just text, long enough to have a header page..."), 0o644)

	cases := []struct{ name, db, want string }{
		{"locked by another process", locked, "locked by another process"},
		{"newer schema", newer, "newer than this binary knows"},
		{"missing folder", filepath.Join(dir, "no", "such", "x.db"), "does not exist"},
		{"not a database", notDB, "not a database"},
		{"unreachable PostgreSQL", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2", "not reachable"},
	}
	if ro := readOnlyDB(t); ro != "" {
		cases = append(cases, struct{ name, db, want string }{"read-only file system", ro, "read-only"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", c.db, "--lock-timeout", "500ms")
			cmd.Env = cleanEnv()
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if err == nil {
				t.Fatalf("serve started; want a failure")
			}
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() == 0 {
				t.Errorf("exit: %v, want a non-zero code", err)
			}
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "coalition: ") || !strings.Contains(lines[0], c.want) {
				t.Errorf("stderr %q, want one line 'coalition: …%s…'", stderr.String(), c.want)
			}
			if d := time.Since(start); d > 8*time.Second {
				t.Errorf("took %s to fail, want fast", d)
			}
		})
	}
}

// readOnlyDB returns a migrated database on a read-only tmpfs (root only),
// or "" when mounting is not possible here.
func readOnlyDB(t *testing.T) string {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Logf("read-only case skipped: cannot mount a tmpfs: %v %s", err, out)
		return ""
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	db := filepath.Join(dir, "ro.db")
	opscli(t, "", "migrate", "--db", db)
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Logf("read-only case skipped: cannot remount read-only: %v %s", err, out)
		return ""
	}
	return db
}

// TestDiskFull: on a full file system writes answer 503 with a clear
// problem, reads keep working, nothing is half-written, and writes work
// again as soon as space returns, without a restart. It uses a real full
// file system (a small tmpfs, mounted as root); without root it skips.
func TestDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", dir).CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI runs as root: cannot mount a tmpfs: %v %s", err, out)
		}
		t.Skipf("needs root to mount a small tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	dsn := "sqlite:" + filepath.Join(dir, "full.db")
	token := adminWriteToken(t, dsn)
	srv := startServer(t, dsn)
	ctx := context.Background()
	// Fill the file system, leaving ~200 KB.
	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	os.Truncate(filler, mustSize(t, filler)-200<<10)

	big := strings.Repeat("x", coalition.MaxTextBytes) // the longest conditions allowed
	acked, full := 0, false
	var problem string
	for i := 0; i < 200 && !full; i++ {
		status, _, b, err := call(ctx, "POST", srv.base+"/api/v1/pledges", token, pledgeBody(fmt.Sprintf("full-%d", i), `,"conditions":"`+big+`"`))
		switch {
		case err != nil:
			t.Fatal(err)
		case status == 201:
			acked++
		case status == http.StatusServiceUnavailable:
			full, problem = true, string(b)
		default:
			t.Fatalf("write %d: %d %s, want 201 or 503", i, status, b)
		}
	}
	if !full {
		t.Fatalf("200 writes of 10 KB on a full file system all succeeded")
	}
	if !strings.Contains(problem, "full or read-only") || !strings.Contains(problem, `"status":503`) {
		t.Errorf("503 problem %s does not say the storage is full", problem)
	}
	for _, path := range []string{"/api/v1/pledges?limit=5", "/api/v1/countries", "/api/v1/donors"} {
		if status, _, b, err := call(ctx, "GET", srv.base+path, token, ""); err != nil || status != 200 {
			t.Errorf("read %s on a full disk: %d %s %v", path, status, b, err)
		}
	}
	os.Remove(filler) // space returns
	status, _, b, err := call(ctx, "POST", srv.base+"/api/v1/pledges", token, pledgeBody("full-after", ""))
	if err != nil || status != 201 {
		t.Fatalf("write after space returned: %d %s %v, want 201 without a restart", status, b, err)
	}
	acked++
	if err := srv.stop(t); err != nil {
		t.Errorf("stop: %v", err)
	}
	if got := presentSources(t, openSQL(t, dsn), "full-"); len(got) != acked {
		t.Errorf("%d pledges stored, %d acknowledged: a refused write was half-written or an acknowledged one lost", len(got), acked)
	}
	checkIntegrity(t, dsn)
	t.Logf("%d writes acknowledged before the disk filled; then 503; reads fine; write after freeing space: 201", acked-1)
}

func mustSize(t *testing.T, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestBackupRestoreRefusals: a damaged file, a non-empty target and a
// backup from a newer schema are refused, and nothing is written.
func TestBackupRestoreRefusals(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	opscli(t, "", "seed", "--db", src)
	file := filepath.Join(dir, "b.cbk")
	out := opscli(t, "", "backup", "-o", file, "--db", src)
	if !strings.Contains(out, "schema version") {
		t.Fatalf("backup: %s", out)
	}
	b, _ := os.ReadFile(file)
	runErr := func(args ...string) error {
		return run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), io.Discard, io.Discard)
	}
	// Damaged: one byte of the data flipped.
	bad := filepath.Join(dir, "bad.cbk")
	d := append([]byte(nil), b...)
	d[len(d)-100] ^= 0xff
	os.WriteFile(bad, d, 0o644)
	if err := runErr("restore", bad, "--db", filepath.Join(dir, "t1.db")); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged backup: %v, want a checksum refusal", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "t1.db")); err == nil {
		t.Errorf("a damaged backup created the target database")
	}
	// Non-empty target.
	if err := runErr("restore", file, "--db", src); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore over the source: %v, want 'not empty'", err)
	}
	// Newer schema: rewrite the manifest's schema version (checksum unchanged).
	newer := filepath.Join(dir, "newer.cbk")
	os.WriteFile(newer, []byte(strings.Replace(string(b), `"schema_version":`, `"schema_version":9`, 1)), 0o644)
	if err := runErr("restore", newer, "--db", filepath.Join(dir, "t2.db")); err == nil || !strings.Contains(err.Error(), "schema version") {
		t.Errorf("backup with a newer schema: %v, want a schema version refusal", err)
	}
	// And the good one restores, equal to the source.
	out = opscli(t, "", "restore", file, "--db", filepath.Join(dir, "t3.db"))
	if !strings.Contains(out, "every table equals the backup") {
		t.Errorf("restore: %s", out)
	}
	s1 := sqltest.OpenDSN(t, src)
	defer s1.Close()
	s2 := sqltest.OpenDSN(t, filepath.Join(dir, "t3.db"))
	defer s2.Close()
	d1, _ := s1.TableDigests(context.Background())
	d2, _ := s2.TableDigests(context.Background())
	for name, want := range d1 {
		if d2[name] != want {
			t.Errorf("table %s: restored %+v, source %+v", name, d2[name], want)
		}
	}
}

// TestVersionFromLdflags: scripts/build.sh's -ldflags reach `coalition version`.
func TestVersionFromLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	bin := filepath.Join(t.TempDir(), "coalition")
	cmd := exec.Command("go", "build", "-ldflags", "-X main.version=v9.8.7 -X main.commit=abc123 -X main.date=2026-01-02T03:04:05Z", "-o", bin, ".")
	cmd.Env = append(cleanEnv(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"v9.8.7", "commit abc123", "built 2026-01-02T03:04:05Z"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("version: %q lacks %q", out, want)
		}
	}
}

// TestVersionFromVCS: the README's `go build -o coalition ./cmd/coalition`,
// without -ldflags, gives a binary whose `coalition version` names the
// commit it was built from (Go stamps the revision into the build info;
// issue 21). Go stamps only in a git checkout whose .git is a folder: in a
// `git worktree` (.git is a file) or without git, the test says so and skips.
// GOFLAGS=-buildvcs=auto is Go's default, set here in case the machine's
// go env turned stamping off.
func TestVersionFromVCS(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not a git checkout (or no git): %v", err)
	}
	root := strings.TrimSpace(string(top))
	if fi, err := os.Stat(filepath.Join(root, ".git")); err != nil || !fi.IsDir() {
		t.Skipf("%s/.git is not a folder (a git worktree?): Go stamps no revision there", root)
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "coalition")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/coalition")
	cmd.Dir = root
	cmd.Env = append(cleanEnv(), "CGO_ENABLED=0", "GOFLAGS=-buildvcs=auto")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "commit " + strings.TrimSpace(string(head))
	if !strings.Contains(string(out), want) || strings.Contains(string(out), "built unknown") {
		t.Errorf("version: %q, want %q and a build time", out, want)
	}
}

func TestHealthcheck(t *testing.T) {
	ready := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	if out := opscli(t, "", "healthcheck", "--url", srv.URL+"/readyz"); !strings.Contains(out, "ready") {
		t.Errorf("healthcheck of a ready server: %q", out)
	}
	ready = false
	err := run(context.Background(), []string{"healthcheck", "--url", srv.URL + "/readyz"}, func(string) string { return "" }, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || exitCode(err) == 0 || !strings.Contains(err.Error(), "503") {
		t.Errorf("healthcheck of a draining server: %v (exit %d), want a failure naming 503", err, exitCode(err))
	}
}
