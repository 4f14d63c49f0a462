package http

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"coalition"
	"coalition/sqlstore/sqltest"
)

func TestResultCache(t *testing.T) {
	ctx := context.Background()
	st := sqltest.Open(t)
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

// Requests that miss the same result at the same time share one
// computation; a waiter whose computation failed because another request
// went away computes its own.
func TestResultCacheSingleFlight(t *testing.T) {
	ctx := context.Background()
	st := sqltest.Open(t)
	s := &server{store: st}
	var calls atomic.Int32
	release := make(chan struct{})
	compute := func() (int, error) {
		calls.Add(1)
		<-release
		return 42, nil
	}
	const n = 8
	results := make(chan int, n)
	for range n {
		go func() {
			v, err := cached(ctx, s, "slow", compute)
			if err != nil {
				v = -1
			}
			results <- v
		}()
	}
	time.Sleep(100 * time.Millisecond) // all n are waiting on the one computation
	close(release)
	for range n {
		if v := <-results; v != 42 {
			t.Fatalf("a waiter got %d, want 42", v)
		}
	}
	if c := calls.Load(); c != 1 {
		t.Fatalf("%d computations for %d concurrent requests, want 1", c, n)
	}

	gone, cancel := context.WithCancel(ctx)
	started := make(chan struct{})
	failing := func() (int, error) {
		close(started)
		<-gone.Done()
		return 0, gone.Err()
	}
	first := make(chan error, 1)
	go func() { _, err := cached(gone, s, "flaky", failing); first <- err }()
	<-started
	second := make(chan int, 1)
	go func() {
		v, _ := cached(ctx, s, "flaky", func() (int, error) { return 7, nil })
		second <- v
	}()
	time.Sleep(50 * time.Millisecond) // the second request joins the first's computation
	cancel()
	if err := <-first; err == nil {
		t.Fatal("the request that went away got no error")
	}
	if v := <-second; v != 7 {
		t.Fatalf("the remaining request got %d, want its own result 7", v)
	}
}
