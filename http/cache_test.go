package http

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"coalition"
	"coalition/sqlstore"
)

func TestResultCache(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), st, Config{}) // builds without touching the cache
	s := &server{store: st}
	calls := 0
	compute := func() (int, error) { calls++; return calls, nil }
	// An empty database (change counter 0) and a zero cache.
	for i := 0; i < 3; i++ {
		if v, err := cached(ctx, s, "k", compute); err != nil || v != 1 {
			t.Fatalf("call %d: %v %v, want the first result", i, v, err)
		}
	}
	// Another audience computes its own.
	admin := coalition.WithUser(ctx, &coalition.User{ID: 1, Role: coalition.Admin})
	if v, _ := cached(admin, s, "k", compute); v != 2 {
		t.Fatalf("admin got %d, want its own result 2", v)
	}
	// Any change to the data invalidates everything.
	sys := coalition.WithUser(ctx, coalition.System)
	if err := st.UpsertCountry(sys, &coalition.Country{ISO3: "FRA", Name: "France", Source: "t"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := cached(ctx, s, "k", compute); v != 3 {
		t.Fatalf("after a change got %d, want a fresh result 3", v)
	}
	if calls != 3 {
		t.Fatalf("%d computations, want 3", calls)
	}
}
