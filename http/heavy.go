package http

import (
	"context"
	"errors"
	"net/http"
	"runtime"

	"coalition"
)

// weight says whether a route is an analysis whose cost grows with the
// data (coverage, scenarios, risk runs, imports, and the pages that run
// them). At most Config.HeavySlots of them run at once (default: half the
// processors), so that reads and writes always keep a processor: an
// analysis waits for its turn (bounded by the request's deadline) instead
// of slowing every other request.
type weight int

const (
	light weight = iota // runs at once
	// heavy waits for a slot, and may run at a lower operating-system
	// priority (Config.LowPriorityAnalyses, runAtLowPriority).
	heavy
	// heavyWriter waits for a slot but keeps its priority: it holds the
	// database's writer (saving a scenario, imports), and at a lower
	// priority every write would wait for it.
	heavyWriter
)

// DefaultHeavySlots is how many analyses run at once by default.
func DefaultHeavySlots() int { return max(1, runtime.GOMAXPROCS(0)/2) }

func newHeavyGate(slots int) chan struct{} {
	if slots <= 0 {
		slots = DefaultHeavySlots()
	}
	return make(chan struct{}, slots)
}

// gateHeavy admits a heavy route through s.heavy.
func (s *server) gateHeavy(wt weight, next http.Handler) http.Handler {
	if wt == light {
		return next
	}
	low := wt == heavy
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
