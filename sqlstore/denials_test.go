package sqlstore

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"coalition"
	"coalition/sqlstore/internal/pgtest"
)

// denialRows returns the denied entries' what, email, addr and count.
func denialRows(t *testing.T, s *Store) []map[string]any {
	t.Helper()
	sys := coalition.WithUser(context.Background(), coalition.System)
	es, _, err := s.FindAudit(sys, coalition.AuditFilter{Action: "denied", Limit: coalition.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]map[string]any, len(es))
	for i, e := range es {
		m := map[string]any{}
		if err := json.Unmarshal([]byte(e.After), &m); err != nil {
			t.Fatalf("entry %d: %q: %v", e.Seq, e.After, err)
		}
		m["email"], m["addr"] = e.Email, e.Addr
		out[i] = m
	}
	return out
}

func sumCounts(rows []map[string]any) int64 {
	var n int64
	for _, r := range rows {
		c, _ := r["count"].(float64)
		n += int64(c)
	}
	return n
}

func verifyChain(t *testing.T, s *Store) {
	t.Helper()
	n, broken, reason, err := s.VerifyAudit(context.Background())
	if err != nil || broken != 0 {
		t.Fatalf("VerifyAudit: %d entries, broken at %d (%s), %v", n, broken, reason, err)
	}
}

func TestDenialSummaries(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		testDenialSummaries(t, func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "d.db") })
	})
	t.Run("postgres", func(t *testing.T) {
		pgtest.BaseURL(t)
		testDenialSummaries(t, func(t *testing.T) string { return pgtest.SchemaURL(t, "d") })
	})
}

func testDenialSummaries(t *testing.T, dsn func(t *testing.T) string) {
	open := func(t *testing.T, dsn string) *Store {
		t.Helper()
		s, err := Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	observer := &coalition.User{ID: 7, Email: "observer@x", Role: coalition.Observer}
	ctx := coalition.WithRequest(coalition.WithUser(context.Background(), observer), coalition.RequestInfo{Addr: "192.0.2.1"})

	t.Run("a flood is one entry per window", func(t *testing.T) {
		s := open(t, dsn(t))
		clock := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		s.now = func() time.Time { return clock }
		for range 1000 {
			if err := s.RecordDenied(ctx, "GET /api/v1/audit"); err != nil {
				t.Fatal(err)
			}
			clock = clock.Add(10 * time.Millisecond) // 1,000 in 10 s
		}
		rows := denialRows(t, s)
		if len(rows) != 1 {
			t.Fatalf("after 1,000 denials in 10 s: %d entries, want 1: %v", len(rows), rows)
		}
		for field, want := range map[string]any{"count": 1.0, "email": "observer@x", "addr": "192.0.2.1"} {
			if got := rows[0][field]; got != want {
				t.Errorf("after 1,000 denials in 10 s: the entry's %s = %v, want %v", field, got, want)
			}
		}
		// The next denial after the window writes the window's summary, then
		// itself.
		clock = clock.Add(DenialWindow)
		if err := s.RecordDenied(ctx, "GET /api/v1/audit"); err != nil {
			t.Fatal(err)
		}
		rows = denialRows(t, s)
		if len(rows) != 3 {
			t.Fatalf("rows = %v, want 3", rows)
		}
		if got, want := rows[1]["count"], 999.0; got != want {
			t.Errorf("summary count = %v, want %v", got, want)
		}
		if got, want := rows[1]["email"], "observer@x"; got != want {
			t.Errorf("summary email = %v, want %v", got, want)
		}
		if got, want := rows[1]["since"], "2026-01-01T12:00:00Z"; got != want {
			t.Errorf("summary since = %v, want %v", got, want)
		}
		if got, want := rows[1]["until"], "2026-01-01T12:00:09.99Z"; got != want {
			t.Errorf("summary until = %v, want %v", got, want)
		}
		if got, want := sumCounts(rows), int64(1001); got != want {
			t.Errorf("counts add up to %d, want %d", got, want)
		}
		verifyChain(t, s)
	})

	t.Run("principals and routes are counted apart", func(t *testing.T) {
		s := open(t, dsn(t))
		other := coalition.WithUser(context.Background(), &coalition.User{ID: 8, Email: "other@x", Role: coalition.Observer})
		anonA := coalition.WithRequest(context.Background(), coalition.RequestInfo{Addr: "192.0.2.10"})
		anonB := coalition.WithRequest(context.Background(), coalition.RequestInfo{Addr: "192.0.2.11"})
		for range 3 {
			for _, c := range []struct {
				ctx  context.Context
				what string
			}{{ctx, "GET /a"}, {ctx, "GET /b"}, {other, "GET /a"}, {anonA, "GET /a"}, {anonB, "GET /a"}} {
				if err := s.RecordDenied(c.ctx, c.what); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got, want := len(denialRows(t, s)), 5; got != want {
			t.Fatalf("%d entries, want %d (one per principal and route)", got, want)
		}
		if err := s.FlushDenials(); err != nil {
			t.Fatal(err)
		}
		rows := denialRows(t, s)
		if got, want := len(rows), 10; got != want {
			t.Fatalf("after flush: %d entries, want %d", got, want)
		}
		if got, want := sumCounts(rows), int64(15); got != want {
			t.Errorf("counts add up to %d, want %d", got, want)
		}
		verifyChain(t, s)
	})

	t.Run("the window's end writes the summary", func(t *testing.T) {
		s := open(t, dsn(t))
		// A window no test run outlasts, so that the five denials fall in
		// one however slow the machine; then its end is brought forward:
		// the window's timer, not a later denial, must write the summary.
		s.denials.window = time.Hour
		for range 5 {
			if err := s.RecordDenied(ctx, "GET /x"); err != nil {
				t.Fatal(err)
			}
		}
		s.denials.mu.Lock()
		for _, w := range s.denials.open {
			w.timer.Reset(0)
		}
		s.denials.mu.Unlock()
		deadline := time.Now().Add(5 * time.Second)
		for len(denialRows(t, s)) < 2 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		rows := denialRows(t, s)
		if len(rows) != 2 || rows[1]["count"] != 4.0 {
			t.Fatalf("rows = %v, want the first and a summary counting 4", rows)
		}
		verifyChain(t, s)
	})

	t.Run("close writes what was counted", func(t *testing.T) {
		d := dsn(t)
		s := open(t, d)
		for range 10 {
			if err := s.RecordDenied(ctx, "GET /y"); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s = open(t, d)
		rows := denialRows(t, s)
		if len(rows) != 2 || sumCounts(rows) != 10 {
			t.Fatalf("after Close: %v, want 2 entries counting 10", rows)
		}
		verifyChain(t, s)
	})
}
