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
// coalition, what visibility) are the store's: every query and mutation
// sees the user in the request's context.
type access int

const (
	anyone    access = iota // anonymous readers too; the store shows them public records only
	signedIn                // any account (session or token)
	writer                  // an account, and a token with the write scope
	auditor                 // admins and coordinators
	adminOnly               // admins
)

func (a access) String() string {
	return [...]string{"anyone", "signed-in", "writer", "auditor", "admin"}[a]
}

// router registers routes with their access rule and remembers them, so
// that tests can enumerate the whole surface.
type router struct {
	mux      *http.ServeMux
	s        *server
	patterns []string
}

// Handle registers h behind the access rule of pattern.
func (rt *router) Handle(pattern string, h http.Handler) {
	rt.patterns = append(rt.patterns, pattern)
	a, ok := accessRules[pattern]
	if !ok {
		rt.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeProblem(w, http.StatusInternalServerError, "internal", "route "+pattern+" has no access rule", "")
		}))
		return
	}
	rt.mux.Handle(pattern, rt.s.guard(a, h))
}

// Routes lists every registered pattern with its access rule, sorted.
func Routes() []string {
	s := &server{}
	rt := &router{mux: http.NewServeMux(), s: s}
	addRoutes(rt, s)
	out := make([]string, len(rt.patterns))
	for i, p := range rt.patterns {
		a, ok := accessRules[p]
		rule := "NONE"
		if ok {
			rule = a.String()
		}
		out[i] = p + " " + rule
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
	s.metrics.limited.WithLabelValues("refused").Inc()
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	s.writeError(w, r, coalition.Errorf(coalition.RateLimited,
		"too many refused requests from this client: try again in %s", wait.Round(time.Millisecond)))
	return true
}

// isPage reports whether r asks for an HTML page rather than the API.
func isPage(r *http.Request) bool {
	return !strings.HasPrefix(r.URL.Path, "/api/") && r.Method == http.MethodGet
}
