package main

// Helpers for the operations proofs (crash, lost update, backup under load,
// shutdown, start-up failures, disk full): they build the real binary and
// drive it as an operator would.

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"coalition/internal/skipnote"
	"coalition/sqlstore/sqltest"
)

// coalitionBinary builds cmd/coalition once per test run.
func coalitionBinary(t *testing.T) string { return builtCommand(t, ".") }

// built holds the commands builtCommand has built, by package folder.
var built = struct {
	sync.Mutex
	path map[string]string
	err  map[string]error
}{path: map[string]string{}, err: map[string]error{}}

// builtCommand builds the command in the package folder pkg (relative to
// cmd/coalition) once per test run and returns the binary's path.
func builtCommand(t *testing.T, pkg string) string {
	t.Helper()
	built.Lock()
	defer built.Unlock()
	if _, done := built.path[pkg]; !done {
		dir, err := os.MkdirTemp("", "coalition-bin-")
		path := filepath.Join(dir, filepath.Base(pkg))
		if pkg == "." {
			path = filepath.Join(dir, "coalition")
		}
		if err == nil {
			if out, berr := exec.Command("go", "build", "-o", path, pkg).CombinedOutput(); berr != nil {
				err = fmt.Errorf("go build %s: %v\n%s", pkg, berr, out)
			}
		}
		built.path[pkg], built.err[pkg] = path, err
	}
	if err := built.err[pkg]; err != nil {
		t.Fatal(err)
	}
	return built.path[pkg]
}

// engines lists the databases a proof runs on: SQLite always, PostgreSQL
// when COALITION_TEST_POSTGRES is set (required under CI=true).
func engines(t *testing.T) []string {
	out := []string{"sqlite"}
	if os.Getenv("COALITION_TEST_POSTGRES") != "" {
		out = append(out, "postgres")
	} else if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but COALITION_TEST_POSTGRES is not set: the operations proofs must run on PostgreSQL in CI")
	} else {
		skipnote.Say("the PostgreSQL proofs: COALITION_TEST_POSTGRES is not set (see README, \"Test it\")")
		t.Log("COALITION_TEST_POSTGRES not set: PostgreSQL proofs skipped")
	}
	return out
}

// freshDSN returns a new, empty database of the engine: a SQLite file in a
// temporary folder, or a PostgreSQL schema of its own (dropped at the end).
func freshDSN(t *testing.T, engine string) string {
	t.Helper()
	return sqltest.Engine(engine).DSN(t)
}

// openSQL opens dsn with database/sql for checks that bypass the store.
func openSQL(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver, name := "pgx", dsn
	if !strings.HasPrefix(dsn, "postgres") {
		driver, name = "sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// cli runs a subcommand in this process, as the operator would.
func opscli(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errb); err != nil {
		t.Fatalf("coalition %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// adminWriteToken creates an admin through the CLI and a write token for it.
func adminWriteToken(t *testing.T, dsn string) string {
	t.Helper()
	opscli(t, "a long and uncommon passphrase 7\n", "user", "add", "--email", "ops@example.org", "--role", "admin", "--password-stdin", "--db", dsn)
	out := opscli(t, "", "token", "create", "--email", "ops@example.org", "--name", "ops-proof", "--scope", "write", "--db", dsn)
	tok := strings.TrimSpace(out)
	if tok == "" || strings.ContainsAny(tok, " \n") {
		t.Fatalf("token create printed %q", out)
	}
	return tok
}

// server is a running `coalition serve`.
type server struct {
	cmd    *exec.Cmd
	base   string
	stderr *lockedBuffer
	done   chan error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServer starts the binary on a free loopback port and waits for the
// address it prints.
func startServer(t *testing.T, dsn string, extra ...string) *server {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dsn, "--log-level", "warn",
		"--write-rate", "0", "--analysis-rate", "0", "--drain-delay", "0s"}, extra...)
	cmd := exec.Command(coalitionBinary(t), args...)
	cmd.Env = cleanEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, stderr: &lockedBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), "serving http://"); ok {
				addr <- strings.Fields(rest)[0]
			}
		}
	}()
	go func() { s.done <- cmd.Wait() }()
	select {
	case a := <-addr:
		s.base = "http://" + a
	case err := <-s.done:
		t.Fatalf("serve exited before listening: %v\n%s", err, s.stderr.String())
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("serve did not print its address in 60 s\n%s", s.stderr.String())
	}
	t.Cleanup(func() { s.cmd.Process.Kill() })
	return s
}

// cleanEnv is this process's environment without COALITION_ settings.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "COALITION_") {
			env = append(env, kv)
		}
	}
	return env
}

// kill9 kills the server with SIGKILL and waits for it.
func (s *server) kill9(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		t.Fatal("server did not die after SIGKILL")
	}
}

// stop sends SIGTERM and returns the exit error.
func (s *server) stop(t *testing.T) error {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		return err
	case <-time.After(60 * time.Second):
		t.Fatal("server did not stop within 60 s of SIGTERM")
	}
	return nil
}

var httpClient = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// call sends a JSON request and returns status, headers and body.
func call(ctx context.Context, method, u, token, body string, hdr ...string) (int, http.Header, []byte, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := httpClient.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b, err
}

// pledgeBody is a valid public pledge whose source identifies the write.
func pledgeBody(source string, extra string) string {
	return `{"donor":"DEU","category":"ammunition","amount":{"minor":100000000,"currency":"EUR"},"announced":"2026-02-01","source":` +
		strconv.Quote(source) + extra + `}`
}

// ack is an acknowledged write: the server answered 201 with this id.
type ack struct {
	id     int64
	source string
	at     time.Time // when the acknowledgement arrived
}

// writers runs n clients that create pledges until ctx ends and returns
// every acknowledged write and every 5xx seen.
func writers(ctx context.Context, base, token, prefix string, n int) ([]ack, []string) {
	var mu sync.Mutex
	var acks []ack
	var bad []string
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				src := fmt.Sprintf("%s-w%d-%d", prefix, w, i)
				status, _, b, err := call(ctx, "POST", base+"/api/v1/pledges", token, pledgeBody(src, ""))
				if err != nil {
					continue // killed or cancelled: not acknowledged
				}
				mu.Lock()
				switch {
				case status == http.StatusCreated:
					var p struct {
						ID int64 `json:"id"`
					}
					json.Unmarshal(b, &p)
					acks = append(acks, ack{id: p.ID, source: src, at: time.Now()})
				case status >= 500:
					bad = append(bad, fmt.Sprintf("%d %s", status, b))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return acks, bad
}
