package http

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"coalition"
)

// TestAnonymous: what needs an account says so in the way its client
// understands. A scraper of /metrics and an API client get 401 with
// WWW-Authenticate (not a redirect to an HTML form); a person on a page is
// sent to /login, which says what the page needs an account for.
func TestAnonymous(t *testing.T) {
	h, _ := newUIServer(t)
	do := func(path, accept string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	for _, path := range []string{"/metrics", "/api/v1/me", "/api/v1/users", "/api/v1/proposals", "/api/v1/audit"} {
		t.Run(path, func(t *testing.T) {
			w := do(path, "")
			if w.Code != http.StatusUnauthorized {
				t.Errorf("status %d, want 401", w.Code)
			}
			if got := w.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("WWW-Authenticate %q, want Bearer", got)
			}
		})
	}
	for _, tt := range []struct{ path, why string }{
		{"/review", "Reviewing texts"},
		{"/audit", "audit log needs"},
		{"/admin/users", "Managing accounts"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			w := do(tt.path, "text/html")
			loc := w.Header().Get("Location")
			if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
				t.Fatalf("status %d, Location %q: want a redirect to /login", w.Code, loc)
			}
			page := do(loc, "text/html")
			if !strings.Contains(page.Body.String(), `id="login-why"`) || !strings.Contains(page.Body.String(), tt.why) {
				t.Errorf("the login page from %s does not say %q", tt.path, tt.why)
			}
		})
	}
	if body := do("/login", "text/html").Body.String(); strings.Contains(body, `id="login-why"`) {
		t.Error("the plain login page explains a page nobody asked for")
	}
}

// TestListParams: every list refuses a bad limit or after with 400 naming
// the parameter; the lists answered whole (donors, countries, groups, ...)
// refuse both outright rather than ignore them.
func TestListParams(t *testing.T) {
	h, st := newUIServer(t)
	sys := coalition.WithUser(context.Background(), coalition.System)
	admin := &coalition.User{Email: "paging-admin@example.org", Role: coalition.Admin}
	if err := st.CreateUser(sys, admin, "a long and uncommon passphrase 7"); err != nil {
		t.Fatal(err)
	}
	token, _, err := st.CreateToken(coalition.WithUser(sys, admin), "test", coalition.ScopeRead, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, field string }{
		{"/api/v1/pledges?limit=-1", "limit"},
		{"/api/v1/pledges?after=garbage", "after"},
		{"/api/v1/engagements?limit=0", "limit"},
		{"/api/v1/deliveries?after=-1", "after"},
		{"/api/v1/requirements?limit=5000", "limit"},
		{"/api/v1/scenarios?after=x", "after"},
		{"/api/v1/proposals?limit=-1", "limit"},
		{"/api/v1/audit?after=garbage", "after"},
		{"/api/v1/donors?limit=-1", "limit"},
		{"/api/v1/donors?after=garbage", "after"},
		{"/api/v1/donors?limit=10", "limit"},
		{"/api/v1/donors/monthly?after=5", "after"},
		{"/api/v1/categories?limit=-1", "limit"},
		{"/api/v1/countries?after=garbage", "after"},
		{"/api/v1/countries?limit=10", "limit"},
		{"/api/v1/groups?limit=-1", "limit"},
		{"/api/v1/datasets?after=1", "after"},
		{"/api/v1/coalitions?limit=-1", "limit"},
		{"/api/v1/risk-events?limit=-1", "limit"},
		{"/api/v1/tokens?after=garbage", "after"},
		{"/api/v1/users?limit=-1", "limit"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			w := httptest.NewRecorder()
			req := httptest.NewRequest("GET", tt.path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			h.ServeHTTP(w, req)
			if w.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", w.Code)
			}
			if !strings.Contains(w.Body.String(), `"field":"`+tt.field+`"`) && !strings.Contains(w.Body.String(), `"field": "`+tt.field+`"`) {
				t.Errorf("body %s does not name %s", w.Body, tt.field)
			}
		})
	}
}

// TestPageNotFound: an unknown path gets a 404 in the site's layout (its
// navigation and footer), and an unknown API path stays a problem document.
func TestPageNotFound(t *testing.T) {
	h, _ := newUIServer(t)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/no-such-page", nil))
	body := w.Body.String()
	if w.Code != http.StatusNotFound {
		t.Errorf("status %d, want 404", w.Code)
	}
	for _, want := range []string{"<nav", `<footer class="site"`, "There is no page at /no-such-page.", `href="/donors"`} {
		if !strings.Contains(body, want) {
			t.Errorf("404 page lacks %q", want)
		}
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/no-such", nil))
	if w.Code != http.StatusNotFound || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/problem+json") {
		t.Errorf("API 404: status %d, type %q", w.Code, w.Header().Get("Content-Type"))
	}
}
