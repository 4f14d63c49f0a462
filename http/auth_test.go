package http

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"coalition"
	"coalition/sqlstore"
)

const testPassword = "a long and uncommon passphrase 7"

// authWorld is a seeded server with one account per role and three GBR
// pledges, one per visibility.
type authWorld struct {
	srv     *httptest.Server
	store   *sqlstore.Store
	cow     *coalition.Coalition
	users   map[string]*coalition.User // by role name
	tokens  map[string]string          // write tokens by role name
	readTok string                     // a read-only token of the admin
	pledges map[coalition.Visibility]*coalition.Pledge
}

func newAuthWorld(t *testing.T) *authWorld {
	t.Helper()
	st := uiStore(t)
	sys := coalition.WithUser(context.Background(), coalition.System)
	w := robustWorld(t, st) // an account and a write token per role, and the server
	w.pledges = map[coalition.Visibility]*coalition.Pledge{}
	cow := w.cow
	var err error
	w.readTok, _, err = st.CreateToken(coalition.WithUser(sys, w.users["admin"]), "read", coalition.ScopeRead, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, vis := range []coalition.Visibility{coalition.Public, coalition.CoalitionVis, coalition.Confidential} {
		p := &coalition.Pledge{Donor: "GBR", Recipient: "UKR", CoalitionID: &cow.ID, Category: "air-defence",
			Amount: coalition.Money{Minor: 123_000_000_00, Currency: "EUR"}, Announced: coalition.Date{Y: 2026, M: 1, D: 15},
			Status: coalition.Committed, Visibility: vis, Source: "test"}
		if err := st.CreatePledge(sys, p); err != nil {
			t.Fatal(err)
		}
		w.pledges[vis] = p
	}
	return w
}

// do sends a request as a role ("" = anonymous, "read-token" = the admin's read-only token).
func (w *authWorld) do(t *testing.T, role, method, path, body string, hdr ...string) (int, []byte, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, w.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch role {
	case "":
	case "read-token":
		req.Header.Set("Authorization", "Bearer "+w.readTok)
	default:
		req.Header.Set("Authorization", "Bearer "+w.tokens[role])
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header
}

var roles = []string{"", "observer", "analyst", "delegate-FRA", "delegate-GBR", "coordinator", "admin", "read-token"}

// allowed says whether an access class admits a role.
func allowed(a access, role string) bool {
	switch a {
	case anyone:
		return true
	case signedIn:
		return role != ""
	case auditor:
		return role == "coordinator" || role == "admin" || role == "read-token"
	case adminOnly:
		return role == "admin" || role == "read-token"
	}
	return false
}

// TestEveryRouteHasAnAccessRule enumerates the route table: a new route
// without a rule or a class, or a pattern listed twice, fails here.
func TestEveryRouteHasAnAccessRule(t *testing.T) {
	for _, r := range Routes() {
		if strings.HasSuffix(r, " NONE") {
			t.Errorf("route %s has no access rule in routes.go", strings.TrimSuffix(r, " NONE"))
		}
	}
	seen := map[string]bool{}
	for _, rt := range (&server{}).routes() {
		if rt.class.name == "" {
			t.Errorf("route %s has no class in routes.go", rt.pattern)
		}
		if seen[rt.pattern] {
			t.Errorf("route %s is in the table twice", rt.pattern)
		}
		seen[rt.pattern] = true
	}
	if len(Routes()) < 40 {
		t.Fatalf("only %d routes", len(Routes()))
	}
}

// TestRouteWithoutRuleIs500: a line of the table without an access rule
// (the zero value) is refused at registration, not served to anyone.
func TestRouteWithoutRuleIs500(t *testing.T) {
	s := &server{}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	for _, rt := range []route{{pattern: "GET /x", class: classRead, h: ok}, {pattern: "GET /x", access: anyone, h: ok}} {
		rec := httptest.NewRecorder()
		s.wrap(rt).ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
		if rec.Code != http.StatusInternalServerError {
			t.Errorf("route with access %s, class %q: %d, want 500", rt.access, rt.class.name, rec.Code)
		}
	}
}

// TestAuthorizationMatrix calls every registered route as every role and
// checks that the route-level rule holds: denied roles get 401 (anonymous)
// or 403, allowed roles never do. Record-level rules follow below.
func TestAuthorizationMatrix(t *testing.T) {
	w := newAuthWorld(t)
	fill := strings.NewReplacer("{iso3}", "FRA", "{name}", "replace-us", "{chart}", "support-monthly",
		"{$}", "", "{id}", "999999")
	for _, rt := range (&server{}).routes() {
		method, pattern, _ := strings.Cut(rt.pattern, " ")
		a := rt.access
		path := fill.Replace(pattern)
		if strings.HasSuffix(path, "/") && path != "/" {
			path += "x"
		}
		for _, role := range roles {
			if role == "read-token" && method != "GET" && a != anyone {
				// Read tokens may never write, whatever the class.
				status, body, _ := w.do(t, role, method, path, "{}")
				if status != http.StatusForbidden && status != http.StatusUnauthorized {
					t.Errorf("%s %s as read-token: %d, want 403 (%s)", method, path, status, body)
				}
				continue
			}
			body := ""
			if method != "GET" {
				body = "{}"
			}
			status, resp, _ := w.do(t, role, method, path, body)
			if allowed(a, role) {
				// The handler may still say no (a wrong password at login, a
				// record rule in the store); the route's guard may not.
				if refusedByGuard(resp) {
					t.Errorf("%s %s (%s) as %q: %d, want access (%s)", method, path, a, role, status, resp)
				}
				if status >= 500 {
					t.Errorf("%s %s as %q: %d (%s)", method, path, role, status, resp)
				}
			} else {
				want := http.StatusForbidden
				if role == "" {
					want = http.StatusUnauthorized
				}
				if status != want && !(role == "" && status == http.StatusSeeOther) {
					t.Errorf("%s %s (%s) as %q: %d, want %d (%s)", method, path, a, role, status, want, resp)
				}
			}
		}
	}
}

// TestRecordMatrix: role × visibility × own/other country, for reads and writes.
func TestRecordMatrix(t *testing.T) {
	w := newAuthWorld(t)
	// Reading one GBR pledge of each visibility.
	see := map[string][3]bool{ // public, coalition, confidential
		"":             {true, false, false},
		"observer":     {true, false, false},
		"analyst":      {true, true, false},
		"delegate-FRA": {true, true, false},
		"delegate-GBR": {true, true, true},
		"coordinator":  {true, true, true},
		"admin":        {true, true, true},
	}
	for role, want := range see {
		for i, vis := range []coalition.Visibility{coalition.Public, coalition.CoalitionVis, coalition.Confidential} {
			status, _, _ := w.do(t, role, "GET", "/api/v1/pledges/"+itoa(w.pledges[vis].ID), "")
			if (status == 200) != want[i] {
				t.Errorf("%q reading a %s GBR pledge: %d, want visible=%v", role, vis, status, want[i])
			}
			if status != 200 && status != 404 {
				t.Errorf("%q reading a %s pledge: %d, want 200 or 404 (never a hint that it exists)", role, vis, status)
			}
		}
		// The commitments aggregate changes exactly by what the role may see.
		// Asked as pledge statuses (a list), not as the committed stage,
		// which adds Kiel's public commitments: the test pledges are then
		// all there is.
		_, body, _ := w.do(t, role, "GET", "/api/v1/donors?since=2026-01&until=2026-01&status=announced,committed", "")
		var rows []struct {
			ISO3  string  `json:"iso3"`
			Total float64 `json:"total_eur"`
		}
		if err := json.Unmarshal(body, &rows); err != nil {
			t.Fatal(err)
		}
		visible := 0
		for _, v := range want {
			if v {
				visible++
			}
		}
		var gbr float64
		for _, r := range rows {
			if r.ISO3 == "GBR" {
				gbr = r.Total
			}
		}
		if gbr != float64(visible)*123e6 {
			t.Errorf("%q: GBR commitments %.0f, want %d × 123m", role, gbr, visible)
		}
		// The committed stage adds the same public Kiel figures for every
		// role: it differs from the anonymous reader's by the pledges alone.
		stage := func(role string) float64 {
			_, body, _ := w.do(t, role, "GET", "/api/v1/donors?since=2026-01&until=2026-01&status=committed", "")
			var rows []struct {
				ISO3  string  `json:"iso3"`
				Total float64 `json:"total_eur"`
			}
			if err := json.Unmarshal(body, &rows); err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r.ISO3 == "GBR" {
					return r.Total
				}
			}
			return 0
		}
		if got, anon := stage(role), stage(""); math.Abs(got-anon-float64(visible-1)*123e6) > 0.01 {
			t.Errorf("%q: GBR committed stage %.2f, anonymous %.2f: want %d × 123m more", role, got, anon, visible-1)
		}
		_, body, _ = w.do(t, role, "GET", "/api/v1/pledges?donor=GBR&from=2026-01-01&status=committed", "")
		var page struct {
			Items []coalition.Pledge `json:"items"`
		}
		json.Unmarshal(body, &page)
		if len(page.Items) != visible {
			t.Errorf("%q lists %d of the 3 GBR pledges, want %d", role, len(page.Items), visible)
		}
	}
	// Writing: delegates for their own country only; analysts and observers never.
	pledge := func(donor string) string {
		return `{"donor":"` + donor + `","category":"ammunition","amount":{"minor":100000000,"currency":"EUR"},"announced":"2026-02-01","source":"test","visibility":"confidential","coalition_id":` + itoa(w.cow.ID) + `}`
	}
	writes := []struct {
		role, donor string
		want        int
	}{
		{"delegate-FRA", "FRA", 201}, {"delegate-FRA", "GBR", 403}, {"delegate-GBR", "GBR", 201},
		{"coordinator", "DEU", 201}, {"admin", "POL", 201}, {"analyst", "FRA", 403}, {"observer", "FRA", 403},
		{"", "FRA", 401}, {"read-token", "FRA", 403},
	}
	for _, c := range writes {
		status, body, _ := w.do(t, c.role, "POST", "/api/v1/pledges", pledge(c.donor))
		if status != c.want {
			t.Errorf("%q creating a %s pledge: %d, want %d (%s)", c.role, c.donor, status, c.want, body)
		}
	}
	// Editing the confidential GBR pledge.
	conf := w.pledges[coalition.Confidential]
	for _, c := range []struct {
		role string
		want int
	}{{"delegate-FRA", 404}, {"analyst", 404}, {"delegate-GBR", 200}} {
		status, body, _ := w.do(t, c.role, "PATCH", "/api/v1/pledges/"+itoa(conf.ID), `{"status":"allocated"}`, "If-Match", `"1"`)
		if status != c.want {
			t.Errorf("%q editing the confidential GBR pledge: %d, want %d (%s)", c.role, status, c.want, body)
		}
	}
	// Admin-only and auditor routes.
	for _, c := range []struct {
		role, method, path string
		want               int
	}{
		{"coordinator", "GET", "/api/v1/users", 403}, {"admin", "GET", "/api/v1/users", 200},
		{"coordinator", "GET", "/api/v1/audit", 200}, {"delegate-GBR", "GET", "/api/v1/audit", 403},
	} {
		if status, body, _ := w.do(t, c.role, c.method, c.path, ""); status != c.want {
			t.Errorf("%s %s as %q: %d, want %d (%s)", c.method, c.path, c.role, status, c.want, body)
		}
	}
}

func TestOptimisticConcurrency(t *testing.T) {
	w := newAuthWorld(t)
	p := w.pledges[coalition.Public]
	path := "/api/v1/pledges/" + itoa(p.ID)
	status, _, h := w.do(t, "", "GET", path, "")
	if status != 200 || h.Get("ETag") != `"1"` {
		t.Fatalf("GET: %d ETag %q", status, h.Get("ETag"))
	}
	if status, body, _ := w.do(t, "admin", "PATCH", path, `{"status":"allocated"}`); status != http.StatusPreconditionRequired {
		t.Errorf("PATCH without If-Match: %d (%s), want 428", status, body)
	}
	status, _, h = w.do(t, "admin", "PATCH", path, `{"status":"allocated"}`, "If-Match", `"1"`)
	if status != 200 || h.Get("ETag") != `"2"` {
		t.Fatalf("PATCH: %d ETag %q", status, h.Get("ETag"))
	}
	status, body, _ := w.do(t, "delegate-GBR", "PATCH", path, `{"status":"delivered"}`, "If-Match", `"1"`)
	var prob struct {
		Status  int              `json:"status"`
		Current coalition.Pledge `json:"current"`
	}
	json.Unmarshal(body, &prob)
	if status != http.StatusConflict || prob.Current.Version != 2 || prob.Current.Status != coalition.Allocated {
		t.Errorf("stale PATCH: %d %s, want 409 with the current version 2", status, body)
	}
	if status, body, _ := w.do(t, "admin", "DELETE", path, "", "If-Match", `"1"`); status != http.StatusConflict {
		t.Errorf("stale DELETE: %d (%s)", status, body)
	}
	if status, _, _ := w.do(t, "admin", "DELETE", path, "", "If-Match", `"2"`); status != http.StatusNoContent {
		t.Errorf("DELETE: %d", status)
	}
}

// cookieClient is a cookie-keeping client that behaves like a same-origin page.
func cookieClient(t *testing.T, w *authWorld) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func postForm(t *testing.T, c *http.Client, u string, form url.Values, hdr ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

func sessionOf(c *http.Client, base string) string {
	u, _ := url.Parse(base)
	for _, k := range c.Jar.Cookies(u) {
		if k.Name == sessionCookie {
			return k.Value
		}
	}
	return ""
}

func TestSessions(t *testing.T) {
	w := newAuthWorld(t)
	c := cookieClient(t, w)
	// A cookie planted before login (fixation) is not kept.
	u, _ := url.Parse(w.srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: "s_planted_by_attacker", Path: "/"}})
	res := postForm(t, c, w.srv.URL+"/login", url.Values{"email": {"gb@example.org"}, "password": {testPassword}, "next": {"/account"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
		t.Fatalf("login: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	set := res.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="} {
		if !strings.Contains(set, want) {
			t.Errorf("session cookie lacks %s: %s", want, set)
		}
	}
	sid := sessionOf(c, w.srv.URL)
	if sid == "" || sid == "s_planted_by_attacker" {
		t.Fatalf("session id after login: %q", sid)
	}
	get := func(path string) (int, string) {
		res, err := c.Get(w.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if status, body := get("/account"); status != 200 || !strings.Contains(body, "gb@example.org") || !strings.Contains(body, "API tokens") {
		t.Fatalf("account page: %d", status)
	}
	// The session sees the confidential GBR pledge.
	if status, _ := get("/api/v1/pledges/" + itoa(w.pledges[coalition.Confidential].ID)); status != 200 {
		t.Errorf("delegate session cannot read its confidential pledge: %d", status)
	}
	// A cross-site form post with the cookie is refused (CSRF).
	res = postForm(t, c, w.srv.URL+"/account/tokens", url.Values{"name": {"x"}, "scope": {"write"}}, "Sec-Fetch-Site", "cross-site")
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", res.StatusCode)
	}
	// Logout ends the session at once, also for a copy of the cookie.
	res = postForm(t, c, w.srv.URL+"/logout", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if _, err := w.store.SessionUser(context.Background(), sid); coalition.ErrorKind(err) != coalition.Unauthorized {
		t.Errorf("session still valid after logout: %v", err)
	}
	if status, _ := get("/account"); status != http.StatusSeeOther {
		t.Errorf("account after logout: %d, want a redirect to /login", status)
	}
}

func TestLoginFailuresAreGenericAndThrottled(t *testing.T) {
	w := newAuthWorld(t)
	try := func(email, pw string) (int, string, http.Header) {
		status, body, h := w.do(t, "", "POST", "/api/v1/login", `{"email":"`+email+`","password":"`+pw+`"}`)
		return status, string(body), h
	}
	s1, b1, _ := try("fr@example.org", "wrong password here")
	s2, b2, _ := try("nobody@example.org", "wrong password here")
	var p1, p2 struct{ Detail string }
	json.Unmarshal([]byte(b1), &p1)
	json.Unmarshal([]byte(b2), &p2)
	if s1 != 401 || s2 != 401 || p1.Detail != p2.Detail {
		t.Fatalf("failures differ: %d %q / %d %q", s1, p1.Detail, s2, p2.Detail)
	}
	for i := 0; i < 4; i++ {
		try("fr@example.org", "wrong password here")
	}
	status, body, h := try("fr@example.org", testPassword) // right password, but throttled now
	if status != http.StatusTooManyRequests || h.Get("Retry-After") == "" || !strings.Contains(body, "try again") {
		t.Fatalf("after 5 failures: %d %s (Retry-After %q)", status, body, h.Get("Retry-After"))
	}
	// Another account from the same address is not locked (yet).
	if status, body, _ := try("gb@example.org", testPassword); status != 200 {
		t.Fatalf("another account: %d %s", status, body)
	}
}

func TestTokens(t *testing.T) {
	w := newAuthWorld(t)
	status, body, _ := w.do(t, "coordinator", "POST", "/api/v1/tokens", `{"name":"ci","scope":"write","expires_in":"24h"}`)
	var created struct {
		Token  string          `json:"token"`
		Record coalition.Token `json:"record"`
	}
	json.Unmarshal(body, &created)
	if status != 201 || !strings.HasPrefix(created.Token, "coa_") {
		t.Fatalf("create token: %d %s", status, body)
	}
	call := func(tok string) int {
		req, _ := http.NewRequest("GET", w.srv.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if call(created.Token) != 200 {
		t.Fatal("new token refused")
	}
	if status, _, _ := w.do(t, "delegate-FRA", "DELETE", "/api/v1/tokens/"+itoa(created.Record.ID), ""); status != 404 {
		t.Errorf("someone else revoking my token: %d, want 404", status)
	}
	if status, _, _ := w.do(t, "coordinator", "DELETE", "/api/v1/tokens/"+itoa(created.Record.ID), ""); status != 204 {
		t.Fatalf("revoke: %d", status)
	}
	if got := call(created.Token); got != 401 {
		t.Errorf("revoked token still works: %d", got)
	}
	if got := call("coa_not_a_token"); got != 401 {
		t.Errorf("made-up token: %d", got)
	}
}

func TestAuthPagesRender(t *testing.T) {
	w := newAuthWorld(t)
	c := cookieClient(t, w)
	postForm(t, c, w.srv.URL+"/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
	for path, want := range map[string][]string{
		"/login":       {"Sign in", `name="password"`},
		"/account":     {"admin@example.org", "Change password", "API tokens"},
		"/admin/users": {"fr@example.org", "Add a user", "delegate"},
		"/audit":       {"hash chain", "login", "intact"},
	} {
		res, err := c.Get(w.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
		for _, s := range want {
			if !strings.Contains(string(b), s) {
				t.Errorf("%s lacks %q", path, s)
			}
		}
	}
	// The admin creates a user through the form; a weak password is refused.
	res := postForm(t, c, w.srv.URL+"/admin/users", url.Values{"email": {"new@example.org"}, "role": {"observer"}, "password": {"password1234"}})
	if res.StatusCode != 400 {
		t.Errorf("weak password: %d, want 400", res.StatusCode)
	}
	res = postForm(t, c, w.srv.URL+"/admin/users", url.Values{"email": {"new@example.org"}, "role": {"observer"}, "password": {testPassword}})
	if res.StatusCode != 200 {
		t.Errorf("create user: %d", res.StatusCode)
	}
}

// refusedByGuard recognises the route guard's refusals (see access.go).
func refusedByGuard(body []byte) bool {
	for _, m := range []string{"sign in first", "only admins may do this", "only admins and coordinators may do this", "this API token may only read"} {
		if strings.Contains(string(body), m) {
			return true
		}
	}
	return false
}
