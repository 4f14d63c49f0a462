package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"coalition"
	"coalition/internal/check"
	"coalition/sqlstore/sqltest"

	_ "modernc.org/sqlite"
)

func cliIn(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestUsersTokensAndAudit(t *testing.T) {
	db := tempDB(t)
	const pw = "a long and uncommon passphrase 7\n"
	if _, _, err := cliIn(t, pw, "user", "add", "--email", "admin@example.org", "--role", "admin", "--password-stdin", "--db", db); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cliIn(t, pw, "user", "add", "--email", "fr@example.org", "--role", "delegate", "--country", "fra", "--coalitions", "COW2025", "--password-stdin", "--db", db); err != nil {
		t.Fatal(err)
	}
	// Usage mistakes and weak passwords.
	for _, c := range []struct {
		stdin string
		args  []string
		code  int
	}{
		{pw, []string{"user", "add", "--email", "x@example.org", "--role", "admin", "--password", "secret", "--db", db}, 2},
		{"short\n", []string{"user", "add", "--email", "x@example.org", "--role", "admin", "--password-stdin", "--db", db}, 2},
		{"password1234\n", []string{"user", "add", "--email", "x@example.org", "--role", "admin", "--password-stdin", "--db", db}, 2},
		{pw, []string{"user", "add", "--email", "x@example.org", "--role", "king", "--password-stdin", "--db", db}, 2},
		{pw, []string{"user", "add", "--email", "x@example.org", "--role", "admin", "--db", db}, 2}, // no terminal, no --password-stdin
		{pw, []string{"user", "add", "--email", "admin@example.org", "--role", "admin", "--password-stdin", "--db", db}, 2},
	} {
		if _, _, err := cliIn(t, c.stdin, c.args...); err == nil || exitCode(err) != c.code {
			t.Errorf("%v: err %v (exit %d), want exit %d", c.args, err, exitCode(err), c.code)
		}
	}
	out, _, err := cliIn(t, "", "user", "list", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var users []coalition.User
	json.Unmarshal([]byte(out), &users)
	if len(users) != 2 || users[1].Country != "FRA" || len(users[1].Coalitions) != 1 {
		t.Fatalf("users = %+v", users)
	}
	// A token, shown once, that the store accepts.
	secret, stderr, err := cliIn(t, "", "token", "create", "--email", "fr@example.org", "--name", "script", "--scope", "write", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	secret = strings.TrimSpace(secret)
	if !strings.HasPrefix(secret, "coa_") || !strings.Contains(stderr, "shown once") {
		t.Fatalf("token create printed %q / %q", secret, stderr)
	}
	s := sqltest.OpenDSN(t, db)
	u, scope, err := s.TokenUser(context.Background(), secret)
	s.Close()
	if err != nil || u.Email != "fr@example.org" || scope != coalition.ScopeWrite {
		t.Fatalf("TokenUser: %v %v %v", u, scope, err)
	}
	if _, _, err := cliIn(t, "", "token", "revoke", "1", "--db", db); err != nil {
		t.Fatal(err)
	}
	s = sqltest.OpenDSN(t, db)
	_, _, err = s.TokenUser(context.Background(), secret)
	s.Close()
	if coalition.ErrorKind(err) != coalition.Unauthorized {
		t.Fatalf("revoked token: %v", err)
	}
	if _, _, err := cliIn(t, "", "user", "disable", "--email", "fr@example.org", "--db", db); err != nil {
		t.Fatal(err)
	}
	// The chain is intact, and lists what happened.
	out, _, err = cliIn(t, "", "audit", "verify", "--db", db)
	if err != nil || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify: %v %s", err, out)
	}
	out, _, _ = cliIn(t, "", "audit", "list", "--json", "--db", db)
	var entries []coalition.AuditEntry
	json.Unmarshal([]byte(out), &entries)
	actions := map[string]int{}
	for _, e := range entries {
		actions[e.Entity+"/"+e.Action]++
	}
	if !check.Facts(t,
		check.Eq("dataset/load entries", actions["dataset/load"], 1),
		check.Eq("user/create entries", actions["user/create"], 2),
		check.Eq("token/create entries", actions["token/create"], 1),
		check.Eq("token/revoke entries", actions["token/revoke"], 1),
		check.Eq("user/update entries", actions["user/update"], 1),
	) {
		t.FailNow()
	}
	// Tampering behind the application's back is found, with exit code 1.
	raw, err := sql.Open("sqlite", strings.TrimPrefix(db, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE audit_log SET email = 'mallory@example.org' WHERE seq = 2"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, _, err = cliIn(t, "", "audit", "verify", "--db", db)
	if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "entry 2") {
		t.Fatalf("tampered chain: %v", err)
	}
}

// TestUserPasswordReset: `user password` sets a new password, ends every
// session of the user and, with --revoke-tokens, revokes their tokens.
func TestUserPasswordReset(t *testing.T) {
	db := tempDB(t)
	const pw = "a long and uncommon passphrase 7\n"
	if _, _, err := cliIn(t, pw, "user", "add", "--email", "fr@example.org", "--role", "observer", "--password-stdin", "--db", db); err != nil {
		t.Fatal(err)
	}
	secret, _, err := cliIn(t, "", "token", "create", "--email", "fr@example.org", "--name", "script", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	secret = strings.TrimSpace(secret)
	ctx := context.Background()
	s := sqltest.OpenDSN(t, db)
	u, err := s.Authenticate(ctx, "fr@example.org", strings.TrimSpace(pw))
	if err != nil {
		t.Fatal(err)
	}
	sid, err := s.CreateSession(ctx, u.ID, time.Hour)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	check := func(wantSession, wantToken bool) {
		t.Helper()
		s := sqltest.OpenDSN(t, db)
		defer s.Close()
		_, serr := s.SessionUser(ctx, sid)
		_, _, terr := s.TokenUser(ctx, secret)
		if (serr == nil) != wantSession || (terr == nil) != wantToken {
			t.Errorf("session live %v (want %v), token live %v (want %v)", serr == nil, wantSession, terr == nil, wantToken)
		}
	}
	if _, _, err := cliIn(t, "short\n", "user", "password", "--email", "fr@example.org", "--password-stdin", "--db", db); exitCode(err) != 2 {
		t.Errorf("weak password: %v (exit %d), want exit 2", err, exitCode(err))
	}
	check(true, true)
	out, _, err := cliIn(t, "another long passphrase, 2nd\n", "user", "password", "--email", "fr@example.org", "--password-stdin", "--db", db)
	if err != nil || !strings.Contains(out, "sessions ended") {
		t.Fatalf("user password: %v %q", err, out)
	}
	check(false, true)
	out, _, err = cliIn(t, pw, "user", "password", "--email", "fr@example.org", "--password-stdin", "--revoke-tokens", "--db", db)
	if err != nil || !strings.Contains(out, "tokens were revoked") {
		t.Fatalf("user password --revoke-tokens: %v %q", err, out)
	}
	check(false, false)

	// token revoke --email revokes every token of the user, and only theirs.
	if _, _, err := cliIn(t, pw, "user", "add", "--email", "gb@example.org", "--role", "observer", "--password-stdin", "--db", db); err != nil {
		t.Fatal(err)
	}
	var secrets []string
	for _, who := range []string{"fr@example.org", "fr@example.org", "gb@example.org"} {
		out, _, err := cliIn(t, "", "token", "create", "--email", who, "--name", "x", "--db", db)
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, strings.TrimSpace(out))
	}
	out, _, err = cliIn(t, "", "token", "revoke", "--email", "fr@example.org", "--db", db)
	if err != nil || !strings.Contains(out, "revoked 2 tokens") {
		t.Fatalf("token revoke --email: %v %q", err, out)
	}
	s = sqltest.OpenDSN(t, db)
	defer s.Close()
	for i, secret := range secrets {
		_, _, err := s.TokenUser(ctx, secret)
		if live, want := err == nil, i == 2; live != want {
			t.Errorf("token %d live %v after revoking fr's tokens, want %v", i, live, want)
		}
	}
}
