package http

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"coalition"
)

// throttled is a server of the auth world whose throttle runs on a clock
// the test moves, called in-process so that each request can come from
// its own address.
type throttled struct {
	w   *authWorld
	s   *server
	h   http.Handler
	now time.Time
}

func newThrottled(t *testing.T) *throttled {
	t.Helper()
	w := newAuthWorld(t)
	tw := &throttled{w: w, now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	tw.s, tw.h = newServer(slog.New(slog.NewTextHandler(io.Discard, nil)), w.store, Config{Version: "test"})
	tw.s.throttle.now = func() time.Time { return tw.now }
	return tw
}

// signIn posts to /api/v1/login from addr and returns the status and the
// Retry-After header.
func (tw *throttled) signIn(t *testing.T, addr, email, password string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	req := httptest.NewRequest("POST", "/api/v1/login", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = addr + ":40000"
	rec := httptest.NewRecorder()
	tw.h.ServeHTTP(rec, req)
	return rec.Code, rec.Header().Get("Retry-After")
}

const (
	attacker = "203.0.113.7"
	owner    = "198.51.100.20"
	proxy    = "192.0.2.50"
)

// TestThrottleOwnerFromCleanAddressSignsIn: the old throttle locked the
// account after five failures from anyone, so an attacker could lock the
// owner out for 15 minutes at will.
func TestThrottleOwnerFromCleanAddressSignsIn(t *testing.T) {
	tw := newThrottled(t)
	for i := 0; i < 10; i++ {
		status, _ := tw.signIn(t, attacker, "fr@example.org", "wrong password number "+strconv.Itoa(i))
		if want := 401; i >= pairFree {
			want = 429
			if status != want {
				t.Errorf("attacker's attempt %d: %d, want %d", i+1, status, want)
			}
		} else if status != want {
			t.Errorf("attacker's attempt %d: %d, want %d", i+1, status, want)
		}
	}
	if status, _ := tw.signIn(t, owner, "fr@example.org", testPassword); status != 200 {
		t.Fatalf("owner from a clean address after 10 failures elsewhere: %d, want 200", status)
	}
	// The attacker's pair is still held (signing in elsewhere clears only the owner's pair).
	if status, after := tw.signIn(t, attacker, "fr@example.org", testPassword); status != 429 || after == "" {
		t.Errorf("attacker's pair after the owner's sign-in: %d (Retry-After %q), want 429", status, after)
	}
}

// TestThrottlePairBackoff: a pair waits 1, 2, 4 … minutes after its first
// five failures; the old throttle refused for a flat 15 minutes instead.
func TestThrottlePairBackoff(t *testing.T) {
	tw := newThrottled(t)
	for i := 0; i < pairFree; i++ {
		if status, _ := tw.signIn(t, attacker, "fr@example.org", "wrong password here"); status != 401 {
			t.Fatalf("failure %d: %d, want 401", i+1, status)
		}
	}
	// Even the right password waits now: the guess is not tried at all.
	if status, after := tw.signIn(t, attacker, "fr@example.org", testPassword); status != 429 || after != "60" {
		t.Fatalf("6th attempt at once: %d Retry-After %q, want 429 and 60", status, after)
	}
	tw.now = tw.now.Add(59 * time.Second)
	if status, after := tw.signIn(t, attacker, "fr@example.org", "wrong password here"); status != 429 || after != "1" {
		t.Fatalf("after 59 s: %d Retry-After %q, want 429 and 1", status, after)
	}
	tw.now = tw.now.Add(time.Second)
	if status, _ := tw.signIn(t, attacker, "fr@example.org", "wrong password here"); status != 401 {
		t.Fatalf("after 60 s: %d, want 401 (one more guess)", status)
	}
	if status, after := tw.signIn(t, attacker, "fr@example.org", testPassword); status != 429 || after != "120" {
		t.Fatalf("7th attempt at once: %d Retry-After %q, want 429 and 120 (doubled)", status, after)
	}
	tw.now = tw.now.Add(2 * time.Minute)
	if status, _ := tw.signIn(t, attacker, "fr@example.org", testPassword); status != 200 {
		t.Fatalf("right password after the wait: %d, want 200", status)
	}
	// A success forgives the pair: the next typo is not held.
	if status, _ := tw.signIn(t, attacker, "fr@example.org", "wrong password here"); status != 401 {
		t.Errorf("typo after a success: %d, want 401", status)
	}
}

// TestThrottleAddressBudget: one address may fail addrBurst times over any
// accounts, then waits at most every per further attempt; accounts that
// signed in from that address before are not held. The old throttle locked
// everyone behind the address out for 15 minutes after 20 failures.
func TestThrottleAddressBudget(t *testing.T) {
	tw := newThrottled(t)
	if status, _ := tw.signIn(t, proxy, "gb@example.org", testPassword); status != 200 {
		t.Fatalf("gb signs in through the proxy: %d", status)
	}
	for i := 0; i < addrBurst; i++ {
		if status, _ := tw.signIn(t, proxy, "user"+strconv.Itoa(i)+"@example.org", "wrong password here"); status != 401 {
			t.Fatalf("stuffing attempt %d: %d, want 401", i+1, status)
		}
	}
	status, after := tw.signIn(t, proxy, "fr@example.org", testPassword)
	if secs, _ := strconv.Atoi(after); status != 429 || secs < 1 || secs > int(every/time.Second) {
		t.Fatalf("new account through the spent proxy: %d Retry-After %q, want 429 within %v", status, after, every)
	}
	if status, _ := tw.signIn(t, proxy, "gb@example.org", testPassword); status != 200 {
		t.Errorf("gb, who signed in through the proxy before, while the proxy's budget is spent: %d, want 200", status)
	}
	if status, _ := tw.signIn(t, owner, "fr@example.org", testPassword); status != 200 {
		t.Errorf("fr from another address: %d, want 200", status)
	}
	tw.now = tw.now.Add(every)
	if status, _ := tw.signIn(t, proxy, "fr@example.org", testPassword); status != 200 {
		t.Errorf("fr through the proxy after %v: %d, want 200 (a delay, not a lockout)", every, status)
	}
}

// TestThrottleAccountBudget: many addresses together (a botnet) spend one
// account's budget; then new addresses wait at most a minute per attempt,
// while the owner signs in from an address they used before and other
// accounts are not affected. The old throttle locked the account for
// everyone after five failures.
func TestThrottleAccountBudget(t *testing.T) {
	tw := newThrottled(t)
	if status, _ := tw.signIn(t, owner, "fr@example.org", testPassword); status != 200 {
		t.Fatalf("owner signs in: %d", status)
	}
	for i := 0; i < acctBurst; i++ {
		if status, _ := tw.signIn(t, "10.9.0."+strconv.Itoa(i+1), "fr@example.org", "wrong password here"); status != 401 {
			t.Fatalf("botnet attempt %d: %d, want 401", i+1, status)
		}
	}
	status, after := tw.signIn(t, "10.9.1.1", "fr@example.org", testPassword)
	if secs, _ := strconv.Atoi(after); status != 429 || secs < 1 || secs > int(every/time.Second) {
		t.Fatalf("a new address after the botnet: %d Retry-After %q, want 429 within %v", status, after, every)
	}
	if status, _ := tw.signIn(t, owner, "fr@example.org", testPassword); status != 200 {
		t.Errorf("owner from their usual address while the account's budget is spent: %d, want 200", status)
	}
	if status, _ := tw.signIn(t, "10.9.1.2", "gb@example.org", testPassword); status != 200 {
		t.Errorf("another account from a new address: %d, want 200", status)
	}
	tw.now = tw.now.Add(every)
	if status, _ := tw.signIn(t, "10.9.1.1", "fr@example.org", testPassword); status != 200 {
		t.Errorf("fr from a new address after %v: %d, want 200 (a delay, not a lockout)", every, status)
	}
}

// TestThrottleGuessRates measures the guesses an attacker who tries every
// second gets, as docs/operations.md states them.
func TestThrottleGuessRates(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	th := newThrottle()
	th.now = func() time.Time { return now }
	perHour := func(hours int, account func(i int) string) []int {
		counts := make([]int, hours)
		for i := 0; i < hours*3600; i++ {
			if _, wait := th.attempt(account(i), attacker); wait == 0 {
				counts[i/3600]++
			}
			now = now.Add(time.Second)
		}
		return counts
	}
	// One account from one address: 10 in the first hour, then 1 an hour.
	one := perHour(24, func(int) string { return "fr@example.org" })
	t.Logf("one account, one address, guesses per hour: %v", one)
	if one[0] != 10 {
		t.Errorf("guesses at one account from one address in the first hour: %d, want 10", one[0])
	}
	for h := 1; h < 24; h++ {
		if one[h] > 1 {
			t.Errorf("hour %d: %d guesses at one account, want at most 1", h+1, one[h])
		}
	}
	// Many accounts from a fresh address: at most 30 + 60 in the first hour, 60 an hour after.
	now = now.Add(48 * time.Hour)
	many := perHour(3, func(i int) string { return "user" + strconv.Itoa(i) + "@example.org" })
	t.Logf("many accounts, one address, guesses per hour: %v", many)
	if many[0] > addrBurst+60 || many[0] < 60 {
		t.Errorf("guesses from one address in the first hour: %d, want at most %d", many[0], addrBurst+60)
	}
	for h := 1; h < 3; h++ {
		if many[h] > 60 {
			t.Errorf("hour %d: %d guesses from one address, want about 60", h+1, many[h])
		}
	}
	// One account from a new address every second (a botnet): at most 40 + 60
	// in the first hour, 60 an hour after.
	now = now.Add(48 * time.Hour)
	spread := make([]int, 3)
	for i := 0; i < 3*3600; i++ {
		if _, wait := th.attempt("target@example.org", "10."+strconv.Itoa(i/65536)+"."+strconv.Itoa(i/256%256)+"."+strconv.Itoa(i%256)); wait == 0 {
			spread[i/3600]++
		}
		now = now.Add(time.Second)
	}
	t.Logf("one account, a new address every second, guesses per hour: %v", spread)
	if spread[0] > acctBurst+60 || spread[1] > 60 || spread[2] > 60 {
		t.Errorf("guesses at one account from many addresses per hour: %v, want at most %d, then 60", spread, acctBurst+60)
	}
	// Parallel attempts cannot all pass before the first failure is counted:
	// attempts count from the start.
	th = newThrottle()
	th.now = func() time.Time { return now }
	passed := 0
	for i := 0; i < 50; i++ {
		if _, wait := th.attempt("gb@example.org", owner); wait == 0 {
			passed++
		}
	}
	if passed != pairFree {
		t.Errorf("%d attempts in flight at once passed, want %d", passed, pairFree)
	}
	// IPv6 addresses of one /64 are one client.
	th = newThrottle()
	th.now = func() time.Time { return now }
	for i := 0; i < pairFree; i++ {
		th.attempt("gb@example.org", "2001:db8:1:2::"+strconv.Itoa(i+1))
	}
	if _, wait := th.attempt("gb@example.org", "2001:db8:1:2:ffff::9"); wait == 0 {
		t.Error("a new address in the same IPv6 /64 started afresh")
	}
}

// TestLoginNextStaysOnSite: next= sends the browser only to a path of this
// site; the old check let "/\evil.example" through, which browsers other
// than Chromium read as //evil.example.
func TestLoginNextStaysOnSite(t *testing.T) {
	w := newAuthWorld(t)
	c := cookieClient(t, w)
	for _, next := range []string{
		`/\evil.example`, `/\/evil.example`, `//evil.example`, `///evil.example`, `https://evil.example/`,
		`http:/evil.example`, `javascript:alert(1)`, `evil.example`, `\\evil.example`, ` /account`,
		"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/account\x00", "/a\x7fb", "/\u2028/evil",
		"/\xff", `/account\..\x`, "",
	} {
		res := postForm(t, c, w.srv.URL+"/login", url.Values{"email": {"gb@example.org"}, "password": {testPassword}, "next": {next}})
		if got := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || got != "/" {
			t.Errorf("next=%q: %d → %q, want 303 → /", next, res.StatusCode, got)
		}
	}
	for _, next := range []string{"/account", "/donors?sort=total&dir=desc", "/countries/GBR#pledges", "/review?status=pending"} {
		res := postForm(t, c, w.srv.URL+"/login", url.Values{"email": {"gb@example.org"}, "password": {testPassword}, "next": {next}})
		if got := res.Header.Get("Location"); got != next {
			t.Errorf("next=%q: → %q, want it kept", next, got)
		}
	}
}

// TestInvalidPathsAre404: the file server answered 500 to a static path
// with invalid UTF-8, anonymously.
func TestInvalidPathsAre404(t *testing.T) {
	w := newAuthWorld(t)
	for _, path := range []string{
		"/static/%ff", "/static/a%ffb.css", "/static/%00", "/static/style.css%00", "/static/", "/static/vendor/",
		"/static/no-such-file.js", "/static/%2e%2e/templates/layout.html", "/%ff", "/countries/%ff",
		"/api/v1/countries/%ff", "/api/v1/pledges/%00", "/donors%0a", "/coalitions/%c0%af",
	} {
		for _, role := range []string{"", "admin"} {
			status, body, _ := w.do(t, role, "GET", path, "")
			if status != http.StatusNotFound {
				t.Errorf("GET %s as %q: %d, want 404 (%.80s)", path, role, status, body)
			}
		}
	}
	if status, _, _ := w.do(t, "", "GET", "/static/style.css", ""); status != 200 {
		t.Errorf("GET /static/style.css: %d, want 200", status)
	}
}

// TestNoStoreWhenSomeoneAsks: every GET route answered with a session or a
// token carries Cache-Control: no-store (the answer depends on who asks),
// except static files, which stay cacheable. Before, only a few pages did.
func TestNoStoreWhenSomeoneAsks(t *testing.T) {
	w := newAuthWorld(t)
	c := cookieClient(t, w)
	postForm(t, c, w.srv.URL+"/login", url.Values{"email": {"gb@example.org"}, "password": {testPassword}})
	fill := strings.NewReplacer("{iso3}", "GBR", "{name}", "replace-us", "{chart}", "support-monthly", "{$}", "",
		"{id}", itoa(w.cow.ID), "{code}", "COW2025", "{what}", "pledges")
	n := 0
	for _, r := range Routes() {
		parts := strings.Fields(r)
		if parts[0] != "GET" || strings.HasPrefix(parts[1], "/static/") {
			continue
		}
		path := fill.Replace(parts[1])
		if strings.HasSuffix(path, "/") && path != "/" {
			path += "x"
		}
		n++
		_, _, h := w.do(t, "delegate-GBR", "GET", path, "")
		if got := h.Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s with a token: Cache-Control %q, want no-store", path, got)
		}
		res, err := c.Get(w.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := res.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s with a session: Cache-Control %q, want no-store", path, got)
		}
	}
	if n < 30 {
		t.Fatalf("only %d GET routes checked", n)
	}
	// Public static assets stay cacheable, for anyone.
	asset := (&server{files: embedded}).assetURL("style.css")
	for _, role := range []string{"", "delegate-GBR"} {
		_, _, h := w.do(t, role, "GET", asset, "")
		if got := h.Get("Cache-Control"); !strings.Contains(got, "public") || !strings.Contains(got, "immutable") {
			t.Errorf("GET %s as %q: Cache-Control %q, want public and immutable", asset, role, got)
		}
	}
}

// TestEveryPatchableRecordHasAnETag: for every PATCH route, the GET of the
// same record answers with ETag "N", N its version, and PATCH accepts it
// as If-Match. GET /api/v1/coalitions/{id} sent none.
func TestEveryPatchableRecordHasAnETag(t *testing.T) {
	w := newAuthWorld(t)
	var risk []coalition.RiskEvent
	_, body, _ := w.do(t, "", "GET", "/api/v1/risk-events", "")
	if err := json.Unmarshal(body, &risk); err != nil || len(risk) == 0 {
		t.Fatalf("risk events: %v (%d)", err, len(risk))
	}
	var reqs struct{ Items []coalition.Requirement }
	_, body, _ = w.do(t, "admin", "GET", "/api/v1/requirements", "")
	if err := json.Unmarshal(body, &reqs); err != nil || len(reqs.Items) == 0 {
		t.Fatalf("requirements: %v (%d)", err, len(reqs.Items))
	}
	var engs struct{ Items []coalition.Engagement }
	_, body, _ = w.do(t, "admin", "GET", "/api/v1/engagements", "")
	if err := json.Unmarshal(body, &engs); err != nil || len(engs.Items) == 0 {
		t.Fatalf("engagements: %v (%d)", err, len(engs.Items))
	}
	dl := &coalition.Delivery{PledgeID: w.pledges[coalition.Public].ID, Date: coalition.Date{Y: 2025, M: 3, D: 1}, AmountEUR: 1, Source: "t"}
	if err := w.store.CreateDelivery(coalition.WithUser(context.Background(), coalition.System), dl); err != nil {
		t.Fatal(err)
	}
	lines, offers, err := w.store.FindForce(coalition.WithUser(context.Background(), coalition.System), w.cow.ID)
	if err != nil || len(lines) == 0 || len(offers) == 0 {
		t.Fatalf("force: %v (%d lines, %d offers)", err, len(lines), len(offers))
	}
	cases := map[string]struct {
		id    int64
		patch string
	}{
		"/api/v1/force/lines/{id}":  {lines[0].ID, `{"note":"tested"}`},
		"/api/v1/force/offers/{id}": {offers[0].ID, `{"note":"tested"}`},
		"/api/v1/requirements/{id}": {reqs.Items[0].ID, `{"note":"tested"}`},
		"/api/v1/engagements/{id}":  {engs.Items[0].ID, `{"outcomes":"tested"}`},
		"/api/v1/pledges/{id}":      {w.pledges[coalition.Public].ID, `{"status":"allocated"}`},
		"/api/v1/coalitions/{id}":   {w.cow.ID, `{"purpose":"tested"}`},
		"/api/v1/risk-events/{id}":  {risk[0].ID, `{"assumption":"tested"}`},
		"/api/v1/users/{id}":        {w.users["observer"].ID, `{"disabled":false}`},
		"/api/v1/deliveries/{id}":   {dl.ID, `{"source":"tested"}`},
	}
	routes := map[string]bool{}
	for _, r := range Routes() {
		parts := strings.Fields(r)
		routes[parts[0]+" "+parts[1]] = true
	}
	n := 0
	for r := range routes {
		pattern, ok := strings.CutPrefix(r, "PATCH ")
		if !ok {
			continue
		}
		n++
		c, ok := cases[pattern]
		if !ok {
			t.Errorf("PATCH %s: no case in this test", pattern)
			continue
		}
		if !routes["GET "+pattern] {
			t.Errorf("PATCH %s has no GET of the record", pattern)
			continue
		}
		path := strings.Replace(pattern, "{id}", itoa(c.id), 1)
		status, body, h := w.do(t, "admin", "GET", path, "")
		var rec struct {
			Version int64 `json:"version"`
		}
		json.Unmarshal(body, &rec)
		if want := `"` + itoa(rec.Version) + `"`; status != 200 || rec.Version == 0 || h.Get("ETag") != want {
			t.Errorf("GET %s: %d ETag %q, want 200 and %s", path, status, h.Get("ETag"), want)
			continue
		}
		status, body, h = w.do(t, "admin", "PATCH", path, c.patch, "If-Match", h.Get("ETag"))
		if want := `"` + itoa(rec.Version+1) + `"`; status != 200 || h.Get("ETag") != want {
			t.Errorf("PATCH %s with the GET's ETag: %d ETag %q, want 200 and %s (%s)", path, status, h.Get("ETag"), want, body)
		}
	}
	if n != len(cases) {
		t.Errorf("%d PATCH routes, %d cases", n, len(cases))
	}
}

// TestPasswordChangeEndsOtherSessions: a stolen session must not outlive
// the password it was stolen with; before, every session stayed valid.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	w := newAuthWorld(t)
	here, there := cookieClient(t, w), cookieClient(t, w)
	for _, c := range []*http.Client{here, there} {
		if res := postForm(t, c, w.srv.URL+"/login", url.Values{"email": {"gb@example.org"}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d", res.StatusCode)
		}
	}
	status := func(c *http.Client, path string) int {
		res, err := c.Get(w.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	const second = "another long passphrase, 2nd"
	res := postForm(t, here, w.srv.URL+"/account/password", url.Values{"old_password": {testPassword},
		"new_password": {second}, "confirm": {second}})
	if res.StatusCode != 200 {
		t.Fatalf("change password: %d", res.StatusCode)
	}
	if got := status(here, "/api/v1/me"); got != 200 {
		t.Errorf("the session that changed the password: %d, want 200", got)
	}
	if got := status(there, "/api/v1/me"); got != 401 {
		t.Errorf("the other session after the change: %d, want 401", got)
	}
	if got := status(there, "/account"); got != http.StatusSeeOther {
		t.Errorf("the other session's /account after the change: %d, want 303 to /login", got)
	}
	if got, _, _ := w.do(t, "delegate-GBR", "GET", "/api/v1/me", ""); got != 200 {
		t.Errorf("token without revoke_tokens: %d, want 200", got)
	}
	// With revoke_tokens, the tokens go too (API, made with a token: no session stays).
	got, body, _ := w.do(t, "delegate-GBR", "POST", "/api/v1/me/password",
		`{"old_password":"`+second+`","new_password":"`+testPassword+`","revoke_tokens":true}`)
	if got != http.StatusNoContent {
		t.Fatalf("API password change: %d (%s)", got, body)
	}
	if got, _, _ := w.do(t, "delegate-GBR", "GET", "/api/v1/me", ""); got != 401 {
		t.Errorf("token after a change with revoke_tokens: %d, want 401", got)
	}
	if got := status(here, "/api/v1/me"); got != 401 {
		t.Errorf("session after a change made with a token: %d, want 401", got)
	}
}

// TestPasswordChangeIsThrottled: a wrong old password at a password change
// counts like a wrong password at sign-in, so a stolen session or token
// cannot guess the password faster than the sign-in form allows.
func TestPasswordChangeIsThrottled(t *testing.T) {
	tw := newThrottled(t)
	change := func(old string) (int, string) {
		t.Helper()
		req := httptest.NewRequest("POST", "/api/v1/me/password", strings.NewReader(`{"old_password":"`+old+`","new_password":"another long passphrase, 2nd"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tw.w.tokens["delegate-FRA"])
		req.RemoteAddr = attacker + ":40000"
		rec := httptest.NewRecorder()
		tw.h.ServeHTTP(rec, req)
		return rec.Code, rec.Header().Get("Retry-After")
	}
	for i := 0; i < pairFree; i++ {
		if status, _ := change("wrong old password " + strconv.Itoa(i)); status != 400 {
			t.Fatalf("wrong old password %d: %d, want 400", i+1, status)
		}
	}
	if status, after := change(testPassword); status != 429 || after != "60" {
		t.Fatalf("after %d wrong old passwords: %d Retry-After %q, want 429 and 60", pairFree, status, after)
	}
	// The same pair is held at the sign-in form too; the owner elsewhere is not.
	if status, _ := tw.signIn(t, attacker, "fr@example.org", testPassword); status != 429 {
		t.Errorf("sign-in from the guessing address: %d, want 429", status)
	}
	if status, _ := tw.signIn(t, owner, "fr@example.org", testPassword); status != 200 {
		t.Errorf("owner from another address: %d, want 200", status)
	}
	tw.now = tw.now.Add(time.Minute)
	if status, _ := change(testPassword); status != 204 {
		t.Errorf("right old password after the wait: %d, want 204", status)
	}
}
