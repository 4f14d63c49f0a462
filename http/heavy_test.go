package http

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestHeavyGate: heavy analyses run at most len(s.heavy) at once, other
// requests pass at once, and a waiting analysis gives up with its request.
func TestHeavyGate(t *testing.T) {
	s := &server{heavy: make(chan struct{}, 1)}
	mux := http.NewServeMux()
	var running, most atomic.Int32
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := running.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		running.Add(-1)
	})
	mux.Handle("GET /api/v1/coverage", s.gateHeavy(heavy, slow))
	mux.Handle("GET /api/v1/pledges", s.gateHeavy(light, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	h := mux
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/v1/coverage", nil))
		}()
	}
	time.Sleep(5 * time.Millisecond)
	start := time.Now()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/v1/pledges", nil))
	if d := time.Since(start); d > 15*time.Millisecond {
		t.Errorf("a read waited %v behind analyses", d)
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Fatalf("%d analyses ran at once, want 1", most.Load())
	}
}
