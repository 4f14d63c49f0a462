package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"coalition"
	chttp "coalition/http"
	"coalition/sqlstore/sqltest"
)

// TestShortRun drives an in-process server for two seconds (the CI mode of
// the load test; the full run is scripts/loadtest.sh) and checks that every
// kind of request was sent and none answered 5xx.
func TestShortRun(t *testing.T) {
	ctx := context.Background()
	s := sqltest.Seeded(t)
	sys := coalition.WithUser(ctx, coalition.System)
	u := &coalition.User{Email: "load@example.org", Role: coalition.Admin}
	if err := s.CreateUser(sys, u, "a long and uncommon passphrase 7"); err != nil {
		t.Fatal(err)
	}
	token, _, err := s.CreateToken(coalition.WithUser(sys, u), "load", coalition.ScopeWrite, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(chttp.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), s, chttp.Config{Version: "test"}))
	defer srv.Close()

	rep, err := Run(ctx, Config{URL: srv.URL, Token: token, Clients: 8, Duration: 2 * time.Second, MaxRequests: 3000, Rate: 150,
		Mix: Mix{Read: 70, Write: 20, Analysis: 10}})
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	rep.Print(&sb)
	t.Log("\n" + sb.String())
	if rep.Status5xx != 0 || rep.Errors != 0 {
		t.Errorf("%d 5xx and %d transport errors, want none", rep.Status5xx, rep.Errors)
	}
	// 150 req/s for 2 s is at most 300 requests (+1 tick); a busy machine
	// may send fewer, never more.
	if rep.Requests < 20 || rep.Requests > 301 {
		t.Errorf("%d requests at 150 req/s for 2 s, want at most 301 (and some)", rep.Requests)
	}
	kinds := map[string]int{}
	for _, r := range rep.Routes {
		kinds[r.Kind] += r.Count
		if r.P50ms > r.P95ms || r.P95ms > r.P99ms || r.P99ms > r.MaxMs {
			t.Errorf("%s: percentiles out of order: %v %v %v %v", r.Route, r.P50ms, r.P95ms, r.P99ms, r.MaxMs)
		}
		if r.Kind == "write" && r.Route == "POST /api/v1/pledges" && r.Status2xx == 0 {
			t.Errorf("no pledge was created: %+v", r)
		}
	}
	for _, k := range []string{"read", "write", "analysis"} {
		if kinds[k] == 0 {
			t.Errorf("no %s requests were sent", k)
		}
	}
}

func TestLoopbackOnly(t *testing.T) {
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://[::1]:8080", true},
		{"http://localhost:8080", true},
		{"http://192.0.2.1:8080", false},
		{"http://10.1.2.3", false},
		{"ftp://127.0.0.1", false},
	} {
		_, err := checkLoopback(c.url)
		if (err == nil) != c.ok {
			t.Errorf("checkLoopback(%q): %v, want ok=%v", c.url, err, c.ok)
		}
	}
}

// TestPagesRun: with Pages, every request is an anonymous GET of one of
// them (no token needed), and each answers 200.
func TestPagesRun(t *testing.T) {
	s := sqltest.Seeded(t)
	srv := httptest.NewServer(chttp.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), s, chttp.Config{Version: "test"}))
	defer srv.Close()
	rep, err := Run(context.Background(), Config{URL: srv.URL, Clients: 4, Duration: time.Second, MaxRequests: 200, Rate: 100,
		Mix: Mix{Read: 100}, Pages: []string{"/", "/api/v1/donors"}})
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]bool{}
	for _, r := range rep.Routes {
		routes[r.Route] = true
		if r.Status2xx != r.Count {
			t.Errorf("%s: %d of %d answers were 2xx", r.Route, r.Status2xx, r.Count)
		}
	}
	if len(routes) != 2 || !routes["GET /"] || !routes["GET /api/v1/donors"] {
		t.Errorf("routes %v, want GET / and GET /api/v1/donors alone", routes)
	}
	if rep.Requests < 10 {
		t.Errorf("%d requests, want some", rep.Requests)
	}
	if _, err := Run(context.Background(), Config{URL: srv.URL, Clients: 1, Duration: time.Second, Mix: Mix{Read: 100},
		Pages: []string{"api/v1/donors"}}); err == nil || !strings.Contains(err.Error(), "--pages") {
		t.Errorf("a page without a leading slash: %v, want an error naming --pages", err)
	}
}
