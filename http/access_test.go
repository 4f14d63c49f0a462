package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"coalition"
	chttp "coalition/http"
)

// TestDeniedFloodIsSummarisedAndLimited: an observer that requests a route
// it may not read 1,000 times (issue 17: ~2,000 audit entries a second)
// leaves a few audit entries whose counts add up to 1,000, and is slowed
// down with 429 and Retry-After once its budget is spent.
func TestDeniedFloodIsSummarisedAndLimited(t *testing.T) {
	w := newOpsServer(t, chttp.Config{Limits: chttp.Limits{WriteRate: 20, WriteBurst: 40}})
	sys := coalition.WithUser(context.Background(), coalition.System)
	obs := &coalition.User{Email: "observer@example.org", Role: coalition.Observer}
	if err := w.store.CreateUser(sys, obs, "a long and uncommon passphrase 8"); err != nil {
		t.Fatal(err)
	}
	token, _, err := w.store.CreateToken(coalition.WithUser(sys, obs), "t", coalition.ScopeRead, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 1000
	status := map[int]int{}
	retryAfter := ""
	for range n {
		res, _ := w.do(t, "GET", "/api/v1/audit", token, "")
		status[res.StatusCode]++
		if res.StatusCode == http.StatusTooManyRequests && retryAfter == "" {
			retryAfter = res.Header.Get("Retry-After")
		}
	}
	t.Run("statuses", func(t *testing.T) {
		if got := status[http.StatusForbidden] + status[http.StatusTooManyRequests]; got != n {
			t.Errorf("statuses %v: want only 403 and 429", status)
		}
		if status[http.StatusForbidden] < 40 {
			t.Errorf("%d answers 403, want at least the burst of 40", status[http.StatusForbidden])
		}
		if status[http.StatusTooManyRequests] == 0 {
			t.Errorf("no 429 in %d refused requests", n)
		}
		if ra, err := strconv.Atoi(retryAfter); err != nil || ra < 1 {
			t.Errorf("Retry-After = %q, want a number of seconds ≥ 1", retryAfter)
		}
	})
	t.Run("audit entries", func(t *testing.T) {
		if err := w.store.FlushDenials(); err != nil {
			t.Fatal(err)
		}
		es, _, err := w.store.FindAudit(sys, coalition.AuditFilter{Action: "denied", Limit: coalition.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 || len(es) > 3 {
			t.Fatalf("%d denied entries, want 1 to 3", len(es))
		}
		var sum int64
		for _, e := range es {
			var v struct {
				What  string `json:"what"`
				Count int64  `json:"count"`
			}
			if err := json.Unmarshal([]byte(e.After), &v); err != nil {
				t.Fatal(err)
			}
			if e.Email != obs.Email || v.What != "GET /api/v1/audit" {
				t.Errorf("entry %d: %s %q, want %s %q", e.Seq, e.Email, v.What, obs.Email, "GET /api/v1/audit")
			}
			sum += v.Count
		}
		if sum != n {
			t.Errorf("counts add up to %d, want %d", sum, n)
		}
		if _, broken, reason, err := w.store.VerifyAudit(sys); err != nil || broken != 0 {
			t.Errorf("audit chain broken at %d: %s %v", broken, reason, err)
		}
	})
}

// TestDeniedRouteIsItsPattern: denials are summarised per route, so that
// varying an id does not write an entry per request.
func TestDeniedRouteIsItsPattern(t *testing.T) {
	w := newOpsServer(t, chttp.Config{})
	sys := coalition.WithUser(context.Background(), coalition.System)
	obs := &coalition.User{Email: "observer@example.org", Role: coalition.Observer}
	if err := w.store.CreateUser(sys, obs, "a long and uncommon passphrase 8"); err != nil {
		t.Fatal(err)
	}
	token, _, err := w.store.CreateToken(coalition.WithUser(sys, obs), "t", coalition.ScopeWrite, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 100
	for i := range n {
		res, _ := w.do(t, "PATCH", "/api/v1/users/"+strconv.Itoa(i+1), token, `{"version":1}`, "If-Match", `"1"`)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("PATCH by an observer: %d, want 403", res.StatusCode)
		}
	}
	if err := w.store.FlushDenials(); err != nil {
		t.Fatal(err)
	}
	es, _, err := w.store.FindAudit(sys, coalition.AuditFilter{Action: "denied", Limit: coalition.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, e := range es {
		var v struct {
			What  string `json:"what"`
			Count int64  `json:"count"`
		}
		if err := json.Unmarshal([]byte(e.After), &v); err != nil {
			t.Fatal(err)
		}
		if want := "PATCH /api/v1/users/{id}"; v.What != want {
			t.Errorf("entry %d: what %q, want %q", e.Seq, v.What, want)
		}
		sum += v.Count
	}
	if len(es) != 2 || sum != n {
		t.Errorf("%d entries counting %d, want 2 (the first, then a summary) counting %d", len(es), sum, n)
	}
}
