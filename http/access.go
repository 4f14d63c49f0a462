package http

import (
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"coalition"
)

// access is who may call a route. Finer rules (whose pledge, which
// coalition, what visibility, which role may write what) are the store's:
// every query and mutation sees the user in the request's context.
//
// There is no separate "writer" level: it behaved exactly like signedIn.
// A read-scoped API token is refused on every non-GET route that is not
// open to anyone (guard), and which roles may write which records is the
// role table's, enforced once in the store (an observer's or an analyst's
// pledge is a 403 from there, and audited); a guard that knew it too
// would be a second copy of that rule.
type access int

const (
	unset     access = iota // a route without a rule: 500, and TestEveryRouteHasAnAccessRule fails
	anyone                  // anonymous readers too; the store shows them public records only
	signedIn                // any account (session or token); a read token only for GET
	auditor                 // admins and coordinators
	adminOnly               // admins
)

func (a access) String() string {
	return [...]string{"NONE", "anyone", "signed-in", "auditor", "admin"}[a]
}

// addRoutes registers the route table on mux, each handler wrapped once.
func (s *server) addRoutes(mux *http.ServeMux) {
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, s.wrap(rt))
	}
}

// wrap puts a route's rules around its handler, outermost first: its body
// limit and deadline (limit), its rate (rateLimit), its analysis slot
// (gateHeavy) and its access rule (guard). They run inside authenticate
// (server.go), which every request passes, matched or not.
func (s *server) wrap(rt route) http.Handler {
	if rt.access == unset || rt.class.name == "" {
		pattern := rt.pattern
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeProblem(w, http.StatusInternalServerError, "internal", "route "+pattern+" has no access rule or class", "")
		})
	}
	return s.limit(rt, s.rateLimit(rt.class, s.gateHeavy(rt.weight, s.guard(rt.access, s.withDataNote(rt, rt.h)))))
}

// Routes lists every route of the table with its access rule, sorted.
func Routes() []string {
	var out []string
	for _, rt := range (&server{}).routes() {
		out = append(out, rt.pattern+" "+rt.access.String())
	}
	sort.Strings(out)
	return out
}

// guard enforces a route's access rule.
func (s *server) guard(a access, h http.Handler) http.Handler {
	if a == anyone {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := coalition.UserFrom(r.Context())
		var err error
		switch {
		case u == nil:
			err = coalition.Errorf(coalition.Unauthorized, "sign in first (POST /api/v1/login, or an API token as 'Authorization: Bearer …')")
		case tokenScope(r) == coalition.ScopeRead && r.Method != http.MethodGet && r.Method != http.MethodHead:
			err = coalition.Errorf(coalition.Forbidden, "this API token may only read")
		case a == auditor && !coalition.CanAudit(u):
			err = coalition.Errorf(coalition.Forbidden, "only admins and coordinators may do this")
		case a == adminOnly && !coalition.IsAdmin(u):
			err = coalition.Errorf(coalition.Forbidden, "only admins may do this")
		}
		if err != nil {
			if coalition.ErrorKind(err) == coalition.Forbidden {
				// The store summarises repeated denials of one principal
				// and what (one entry with a count per window): the route's
				// pattern, so that varying an id does not defeat it.
				s.store.RecordDenied(r.Context(), deniedRoute(r))
			}
			if s.refusedTooOften(w, r) {
				return
			}
			if isPage(r) && u == nil {
				http.Redirect(w, r, "/login?next="+r.URL.EscapedPath(), http.StatusSeeOther)
				return
			}
			s.writeError(w, r, err)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// deniedRoute names a refused request in the audit log by its route
// pattern ("GET /api/v1/users/{id}"), or its path when it matched none.
func deniedRoute(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return r.Method + " " + r.URL.Path
}

// refusedTooOften counts a refused read against the client's write budget
// (refused writes were counted when they came in) and answers 429 with
// Retry-After once it is spent: a client that keeps requesting what it may
// not read is slowed down like one that writes too much.
func (s *server) refusedTooOften(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	wait := s.limiter.take("write", clientKey(r), time.Now())
	if wait <= 0 {
		return false
	}
	s.metrics.rateLimited("refused")
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	s.writeError(w, r, coalition.Errorf(coalition.RateLimited,
		"too many refused requests from this client: try again in %s", wait.Round(time.Millisecond)))
	return true
}

// isPage reports whether r asks for an HTML page rather than the API.
func isPage(r *http.Request) bool {
	return !strings.HasPrefix(r.URL.Path, "/api/") && r.URL.Path != "/metrics" && r.Method == http.MethodGet
}
