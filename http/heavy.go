package http

import (
	"net/http"
	"runtime"

	"coalition"
)

// heavyRoutes are the analyses whose cost grows with the data (coverage,
// scenarios, risk runs, imports, and the pages that run them). At most
// half the processors run them at once, so that reads and writes always
// keep a processor: an analysis waits for its turn (bounded by the
// request's deadline) instead of slowing every other request.
var heavyRoutes = map[string]bool{
	"GET /api/v1/coverage": true, "GET /api/v1/prospects": true, "GET /api/v1/scenarios/builtin/{name}": true,
	"POST /api/v1/scenarios/run": true, "POST /api/v1/scenarios": true, "POST /api/v1/risk": true,
	"GET /api/v1/risk/coalition/{code}": true, "POST /api/v1/imports": true,
	"GET /scenarios": true, "GET /risk": true,
}

func newHeavyGate() chan struct{} {
	return make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))
}

// gateHeavy admits heavy routes through s.heavy.
func (s *server) gateHeavy(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); !heavyRoutes[pattern] {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case s.heavy <- struct{}{}:
			defer func() { <-s.heavy }()
			next.ServeHTTP(w, r)
		case <-r.Context().Done():
			s.writeError(w, r, coalition.Errorf(coalition.Unavailable, "the server is busy with other analyses: try again shortly"))
		}
	})
}
