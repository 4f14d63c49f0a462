package http

import (
	"context"
	"errors"
	"net/http"
	"runtime"

	"coalition"
)

// heavyRoutes are the analyses whose cost grows with the data (coverage,
// scenarios, risk runs, imports, and the pages that run them). At most
// Config.HeavySlots of them run at once (default: half the processors), so
// that reads and writes always keep a processor: an analysis waits for its
// turn (bounded by the request's deadline) instead of slowing every other
// request. The value says whether the route may also run at a lower
// operating-system priority (lowPriority): not those that hold the
// database's writer (saving a scenario, imports), which would make every
// write wait for them.
var heavyRoutes = map[string]bool{
	"GET /api/v1/coverage": true, "GET /api/v1/prospects": true, "GET /api/v1/scenarios/builtin/{name}": true,
	"POST /api/v1/scenarios/run": true, "POST /api/v1/scenarios": false, "POST /api/v1/risk": true,
	"GET /api/v1/risk/coalition/{code}": true, "POST /api/v1/imports": false,
	"GET /scenarios": true, "GET /risk": true,
}

// DefaultHeavySlots is how many analyses run at once by default.
func DefaultHeavySlots() int { return max(1, runtime.GOMAXPROCS(0)/2) }

func newHeavyGate(slots int) chan struct{} {
	if slots <= 0 {
		slots = DefaultHeavySlots()
	}
	return make(chan struct{}, slots)
}

// gateHeavy admits heavy routes through s.heavy.
func (s *server) gateHeavy(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		low, heavy := heavyRoutes[pattern]
		if !heavy {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case s.heavy <- struct{}{}:
			defer func() { <-s.heavy }()
			if low && s.cfg.LowPriorityAnalyses {
				runAtLowPriority(func() { next.ServeHTTP(w, r) })
				return
			}
			next.ServeHTTP(w, r)
		case <-r.Context().Done():
			if errors.Is(r.Context().Err(), context.Canceled) { // the client went away while it waited
				s.log.InfoContext(r.Context(), "client gone while waiting for an analysis slot", "method", r.Method, "path", r.URL.Path)
				return
			}
			s.writeError(w, r, coalition.Errorf(coalition.Unavailable, "the server is busy with other analyses: try again shortly"))
		}
	})
}

// runAtLowPriority runs fn on an operating-system thread of its own with a
// lower scheduling priority (where the system has them: lowerThreadPriority)
// and waits for it. With more Go processors than cores (see
// cmd/coalition serve), the system then gives reads and writes the cores
// first and analyses what is left. The thread ends with fn: a goroutine
// that exits while locked to its thread takes the thread with it, so no
// other goroutine ever runs at that priority (raising it again would need
// privileges). A panic in fn is raised again in the caller.
func runAtLowPriority(fn func()) {
	var (
		p        any
		panicked = true
	)
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread() // never unlocked, on purpose
		defer close(done)
		defer func() {
			if panicked {
				p = recover()
			}
		}()
		lowerThreadPriority()
		fn()
		panicked = false
	}()
	<-done
	if panicked {
		panic(p)
	}
}
