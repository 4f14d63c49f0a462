package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"coalition"
)

const goodPassword = "correct horse battery staple 42"

func adminUser(t *testing.T, s coalition.Store) (*coalition.User, context.Context) {
	t.Helper()
	u := &coalition.User{Email: "Admin@Example.org", Role: coalition.Admin}
	must(t, s.CreateUser(sys, u, goodPassword))
	return u, coalition.WithUser(context.Background(), u)
}

func testUsers(t *testing.T, s coalition.Store) {
	c := base(t, s)
	admin, actx := adminUser(t, s)
	holds(t, "the admin has an id", admin.ID != 0)
	eq(t, "the admin's e-mail, lower case", admin.Email, "admin@example.org")
	// Password rules.
	for _, pw := range []string{"short", "password1234", "012345678910"} {
		err := s.CreateUser(actx, &coalition.User{Email: "x@example.org", Role: coalition.Observer}, pw)
		wantKind(t, err, coalition.Invalid)
	}
	// Field rules.
	wantKind(t, s.CreateUser(actx, &coalition.User{Email: "d@example.org", Role: coalition.Delegate}, goodPassword), coalition.Invalid)
	wantKind(t, s.CreateUser(actx, &coalition.User{Email: "nope", Role: coalition.Observer}, goodPassword), coalition.Invalid)
	wantKind(t, s.CreateUser(actx, &coalition.User{Email: "ADMIN@example.org", Role: coalition.Observer}, goodPassword), coalition.Invalid)
	del := &coalition.User{Email: "fr@example.org", Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{c.ID}}
	must(t, s.CreateUser(actx, del, goodPassword))
	// Only admins manage users.
	dctx := coalition.WithUser(context.Background(), del)
	wantKind(t, s.CreateUser(dctx, &coalition.User{Email: "z@example.org", Role: coalition.Admin}, goodPassword), coalition.Forbidden)
	wantKind(t, s.CreateUser(context.Background(), &coalition.User{Email: "z@example.org", Role: coalition.Admin}, goodPassword), coalition.Unauthorized)
	_, err := s.FindUsers(dctx)
	wantKind(t, err, coalition.Forbidden)
	users, err := s.FindUsers(actx)
	must(t, err)
	need(t, "users", len(users), 2)
	eq(t, "the delegate's country", users[1].Country, "FRA")
	eq(t, "the delegate's coalitions", len(users[1].Coalitions), 1)
	// Authentication: right password, wrong password, unknown e-mail — the
	// two failures say the same thing.
	got, err := s.Authenticate(context.Background(), " FR@example.org ", goodPassword)
	must(t, err)
	eq(t, "authenticated user", got.ID, del.ID)
	eq(t, "authenticated role", got.Role, coalition.Delegate)
	_, err1 := s.Authenticate(context.Background(), "fr@example.org", "wrong password!!")
	_, err2 := s.Authenticate(context.Background(), "nobody@example.org", goodPassword)
	wantKind(t, err1, coalition.Unauthorized)
	wantKind(t, err2, coalition.Unauthorized)
	eq(t, "unknown e-mail's error, as a wrong password's", err2.Error(), err1.Error())
	// Disabling takes effect for logins and sessions at once.
	sid, err := s.CreateSession(context.Background(), del.ID, time.Hour)
	must(t, err)
	_, err = s.SessionUser(context.Background(), sid)
	must(t, err)
	yes := true
	_, err = s.UpdateUser(actx, del.ID, coalition.UserUpdate{Version: 1, Disabled: &yes})
	must(t, err)
	_, err = s.SessionUser(context.Background(), sid)
	wantKind(t, err, coalition.Unauthorized)
	_, err = s.Authenticate(context.Background(), "fr@example.org", goodPassword)
	wantKind(t, err, coalition.Unauthorized)
	_, err = s.UpdateUser(actx, del.ID, coalition.UserUpdate{Version: 1, Disabled: &yes})
	wantKind(t, err, coalition.Conflict)
	// The audit log saw the logins, the failures and the denials.
	entries, _, err := s.FindAudit(actx, coalition.AuditFilter{Limit: 1000})
	must(t, err)
	seen := map[string]int{}
	for _, e := range entries {
		seen[e.Action]++
		holds(t, "no password in the audit log", !strings.Contains(e.After+e.Before, goodPassword))
	}
	eq(t, "logins audited", seen["login"], 1)
	eq(t, "failed logins audited", seen["login_failed"], 3)
	holds(t, fmt.Sprintf("at least 2 denials audited, got %d", seen["denied"]), seen["denied"] >= 2)
	holds(t, fmt.Sprintf("at least 2 creates audited, got %d", seen["create"]), seen["create"] >= 2)
	_, _, err = s.FindAudit(dctx, coalition.AuditFilter{})
	wantKind(t, err, coalition.Forbidden)
}

func testSessions(t *testing.T, s coalition.Store) {
	base(t, s)
	admin, actx := adminUser(t, s)
	sid, err := s.CreateSession(context.Background(), admin.ID, time.Hour)
	must(t, err)
	sid2, err := s.CreateSession(context.Background(), admin.ID, time.Hour)
	must(t, err)
	if sid == sid2 || len(sid) < 40 {
		t.Fatalf("session ids %q %q", sid, sid2)
	}
	u, err := s.SessionUser(context.Background(), sid)
	must(t, err)
	if u.ID != admin.ID {
		t.Fatal("wrong user")
	}
	must(t, s.DeleteSession(actx, sid))
	_, err = s.SessionUser(context.Background(), sid)
	wantKind(t, err, coalition.Unauthorized)
	if _, err := s.SessionUser(context.Background(), sid2); err != nil {
		t.Fatal("logout of one session ended another")
	}
	expired, err := s.CreateSession(context.Background(), admin.ID, -time.Second)
	must(t, err)
	_, err = s.SessionUser(context.Background(), expired)
	wantKind(t, err, coalition.Unauthorized)
}

func testTokens(t *testing.T, s coalition.Store) {
	base(t, s)
	admin, actx := adminUser(t, s)
	secret, tok, err := s.CreateToken(actx, "ci script", coalition.ScopeRead, time.Time{})
	must(t, err)
	if !strings.HasPrefix(secret, "coa_") || tok.ID == 0 {
		t.Fatalf("token %q %+v", secret, tok)
	}
	u, scope, err := s.TokenUser(context.Background(), secret)
	must(t, err)
	if u.ID != admin.ID || scope != coalition.ScopeRead {
		t.Fatalf("TokenUser = %+v %s", u, scope)
	}
	list, err := s.FindTokens(actx)
	must(t, err)
	if len(list) != 1 || list[0].LastUsed.IsZero() {
		t.Fatalf("tokens = %+v", list)
	}
	must(t, s.RevokeToken(actx, tok.ID))
	_, _, err = s.TokenUser(context.Background(), secret)
	wantKind(t, err, coalition.Unauthorized)
	old, _, err := s.CreateToken(actx, "expired", coalition.ScopeWrite, time.Now().Add(-time.Minute))
	must(t, err)
	_, _, err = s.TokenUser(context.Background(), old)
	wantKind(t, err, coalition.Unauthorized)
	_, _, err = s.CreateToken(actx, "x", "admin", time.Time{})
	wantKind(t, err, coalition.Invalid)
	_, _, err = s.TokenUser(context.Background(), "coa_made_up")
	wantKind(t, err, coalition.Unauthorized)
}

func testWriteRules(t *testing.T, s coalition.Store) {
	c := base(t, s)
	fr := coalition.WithUser(context.Background(), &coalition.User{ID: 10, Email: "fr@x", Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{c.ID}})
	coord := coalition.WithUser(context.Background(), &coalition.User{ID: 11, Email: "co@x", Role: coalition.Coordinator, Coalitions: []int64{c.ID}})
	analyst := coalition.WithUser(context.Background(), &coalition.User{ID: 12, Email: "an@x", Role: coalition.Analyst, Coalitions: []int64{c.ID}})
	anon := context.Background()
	// Delegates enter their own country's pledges only.
	must(t, s.CreatePledge(fr, pledge("FRA", 5, "2025-01")))
	wantKind(t, s.CreatePledge(fr, pledge("GBR", 5, "2025-01")), coalition.Forbidden)
	wantKind(t, s.CreatePledge(analyst, pledge("FRA", 5, "2025-01")), coalition.Forbidden)
	wantKind(t, s.CreatePledge(anon, pledge("FRA", 5, "2025-01")), coalition.Unauthorized)
	gb := pledge("GBR", 7, "2025-01")
	gb.CoalitionID = &c.ID
	must(t, s.CreatePledge(coord, gb)) // a coordinator of the pledge's coalition
	amt := coalition.Money{Minor: 1, Currency: "EUR"}
	_, err := s.UpdatePledge(fr, gb.ID, coalition.PledgeUpdate{Version: 1, Amount: &amt})
	wantKind(t, err, coalition.Forbidden)
	// A delegate cannot move its pledge to another donor's name either.
	own, _, _ := s.FindPledges(fr, coalition.PledgeFilter{Donor: "FRA"})
	wantKind(t, s.DeletePledge(analyst, own[0].ID, own[0].Version), coalition.Forbidden)
	// Requirements: coordinators of that coalition.
	from, _ := coalition.ParseMonth("2026-01")
	req := &coalition.Requirement{CoalitionID: &c.ID, Recipient: "UKR", Category: "ammunition", AmountEUR: 1, From: from, To: from, Visibility: coalition.Public, Source: "t"}
	wantKind(t, s.CreateRequirement(fr, req), coalition.Forbidden)
	must(t, s.CreateRequirement(coord, req))
	// Coalition membership: coordinators; creating coalitions: admins.
	name := "new name"
	_, err = s.UpdateCoalition(fr, c.ID, coalition.CoalitionUpdate{Version: c.Version, Name: &name})
	wantKind(t, err, coalition.Forbidden)
	_, err = s.UpdateCoalition(coord, c.ID, coalition.CoalitionUpdate{Version: c.Version, Name: &name})
	must(t, err)
	wantKind(t, s.CreateCoalition(coord, &coalition.Coalition{Code: "T2", Name: "x", Recipient: "UKR"}), coalition.Forbidden)
	// Reference data: admins.
	wantKind(t, s.UpsertCountry(coord, &coalition.Country{ISO3: "FRA", Name: "France", Source: "t"}), coalition.Forbidden)
	_, err = s.Load(fr, &coalition.Dataset{}, false)
	wantKind(t, err, coalition.Forbidden)
}

func testAuditChain(t *testing.T, s coalition.Store) {
	base(t, s) // creates audited records
	_, actx := adminUser(t, s)
	p := pledge("DEU", 1, "2025-01")
	must(t, s.CreatePledge(actx, p))
	st := coalition.Delivered
	_, err := s.UpdatePledge(actx, p.ID, coalition.PledgeUpdate{Version: 1, Status: &st})
	must(t, err)
	must(t, s.DeletePledge(actx, p.ID, 2))
	n, broken, reason, err := s.VerifyAudit(actx)
	must(t, err)
	if n < 8 || broken != 0 {
		t.Fatalf("VerifyAudit = %d entries, broken at %d (%s)", n, broken, reason)
	}
	entries, _, err := s.FindAudit(actx, coalition.AuditFilter{Entity: "pledge"})
	must(t, err)
	need(t, "audit entries about pledges", len(entries), 3)
	eq(t, "second entry's action", entries[1].Action, "update")
	contains(t, "second entry's before", entries[1].Before, `"allocated"`)
	contains(t, "second entry's after", entries[1].After, `"delivered"`)
	eq(t, "second entry's user", entries[1].Email, "admin@example.org")
	for i := 1; i < len(entries); i++ {
		if entries[i].Seq <= entries[i-1].Seq {
			t.Fatal("audit not in order")
		}
	}
}

// testPasswordEndsSessions: changing a password ends the user's other
// sessions (and, if asked, revokes their tokens); a reset ends them all.
func testPasswordEndsSessions(t *testing.T, s coalition.Store) {
	base(t, s)
	admin, actx := adminUser(t, s)
	u := &coalition.User{Email: "gb@example.org", Role: coalition.Observer}
	must(t, s.CreateUser(actx, u, goodPassword))
	uctx := coalition.WithUser(context.Background(), u)
	bg := context.Background()
	here, err := s.CreateSession(bg, u.ID, time.Hour)
	must(t, err)
	there, err := s.CreateSession(bg, u.ID, time.Hour)
	must(t, err)
	adminSession, err := s.CreateSession(bg, admin.ID, time.Hour)
	must(t, err)
	tok, _, err := s.CreateToken(uctx, "script", coalition.ScopeRead, time.Time{})
	must(t, err)
	live := func(sid string) bool { _, err := s.SessionUser(bg, sid); return err == nil }
	tokenLive := func() bool { _, _, err := s.TokenUser(bg, tok); return err == nil }

	const second = "a second long passphrase 99"
	wantKind(t, s.ChangePassword(uctx, coalition.PasswordChange{Old: "wrong old password", New: second, KeepSession: here}), coalition.Invalid)
	if !live(there) {
		t.Fatal("a refused change ended a session")
	}
	must(t, s.ChangePassword(uctx, coalition.PasswordChange{Old: goodPassword, New: second, KeepSession: here}))
	eq(t, "after a change, the session kept is live", live(here), true)
	eq(t, "after a change, the user's other session is live", live(there), false)
	eq(t, "after a change, the user's token is live", tokenLive(), true)
	eq(t, "after a change, another user's session is live", live(adminSession), true)
	if _, err := s.Authenticate(bg, u.Email, goodPassword); err == nil {
		t.Fatal("the old password still signs in")
	}
	_, err = s.Authenticate(bg, u.Email, second)
	must(t, err)
	must(t, s.ChangePassword(uctx, coalition.PasswordChange{Old: second, New: goodPassword, KeepSession: here, RevokeTokens: true}))
	if !live(here) || tokenLive() {
		t.Fatalf("after a change with RevokeTokens: kept session %v (want true), token %v (want false)", live(here), tokenLive())
	}

	// A reset (admins only) ends every session.
	tok, _, err = s.CreateToken(uctx, "script 2", coalition.ScopeRead, time.Time{})
	must(t, err)
	wantKind(t, s.ResetPassword(uctx, u.ID, second, true), coalition.Forbidden)
	wantKind(t, s.ResetPassword(actx, u.ID, "short", false), coalition.Invalid)
	wantKind(t, s.ResetPassword(actx, 999999, second, false), coalition.NotFound)
	must(t, s.ResetPassword(actx, u.ID, second, false))
	if live(here) || !tokenLive() {
		t.Fatalf("after a reset: session %v (want false), token %v (want true)", live(here), tokenLive())
	}
	must(t, s.ResetPassword(sys, u.ID, goodPassword, true))
	if tokenLive() {
		t.Fatal("token after a reset with revokeTokens")
	}
	_, err = s.Authenticate(bg, u.Email, goodPassword)
	must(t, err)

	// Disabling the user stops its tokens at once too.
	tok, _, err = s.CreateToken(uctx, "script 3", coalition.ScopeRead, time.Time{})
	must(t, err)
	cur, err := s.FindUser(actx, u.ID)
	must(t, err)
	yes := true
	_, err = s.UpdateUser(actx, u.ID, coalition.UserUpdate{Version: cur.Version, Disabled: &yes})
	must(t, err)
	if tokenLive() {
		t.Fatal("token of a disabled user still works")
	}
}
