// Package http serves Coalition's JSON API under /api/v1 and its
// server-rendered pages.
package http

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"time"
	"unicode/utf8"

	"coalition"
)

//go:embed templates static openapi.yaml
var embedded embed.FS

// Config configures the server.
type Config struct {
	Dev     bool   // read templates and static files from ./http on disk
	Version string // shown in the footer and /healthz
	Limits  Limits // deadlines, body limits and rate limits (zero: off)
	// Unready, when it returns true, makes /readyz answer 503 (draining).
	Unready func() bool
	// Metrics receives request, import and risk-run figures; nil: a new one.
	Metrics *Metrics
	// HeavySlots is how many analyses run at once (0: DefaultHeavySlots).
	HeavySlots int
	// LowPriorityAnalyses runs analyses on threads of lower priority (see
	// heavy.go); useful only with more Go processors than cores.
	LowPriorityAnalyses bool
}

// assets returns the templates and static files: embedded, or from disk with -dev.
func assets(dev bool) fs.FS {
	if dev {
		return os.DirFS("http")
	}
	return embedded
}

// NewServer returns the whole HTTP surface.
func NewServer(log *slog.Logger, store coalition.Store, cfg Config) http.Handler {
	_, h := newServer(log, store, cfg)
	return h
}

// newServer is NewServer that also returns the server, for tests.
func newServer(log *slog.Logger, store coalition.Store, cfg Config) (*server, http.Handler) {
	mux := http.NewServeMux()
	log = slog.New(requestIDHandler{log.Handler()})
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	cfg.Metrics.watchStore(store)
	s := &server{log: log, store: store, cfg: cfg, files: assets(cfg.Dev), started: time.Now(),
		throttle: newThrottle(), now: time.Now, metrics: cfg.Metrics, limiter: newLimiter(cfg.Limits), heavy: newHeavyGate(cfg.HeavySlots)}
	s.tmpl = s.loadTemplates()
	s.addRoutes(mux)
	// Cookie-authenticated writes from another origin are refused (CSRF);
	// scripts with API tokens send no browser origin headers and pass.
	csrf := http.NewCrossOriginProtection()
	return s, recoverPanics(log, s.observe(gzipResponses(securityHeaders(csrf.Handler(validPaths(s.authenticate(mux)))))))
}

// validPaths answers 404 to a path that no route can have: invalid UTF-8,
// NUL or another control character (once decoded). Handlers never see one.
func validPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		ok := utf8.ValidString(p)
		for i := 0; ok && i < len(p); i++ {
			ok = p[i] >= 0x20 && p[i] != 0x7f
		}
		if !ok {
			writeProblem(w, http.StatusNotFound, string(coalition.NotFound), "no such page or endpoint", "")
			return
		}
		next.ServeHTTP(w, r)
	})
}

type server struct {
	log      *slog.Logger
	store    coalition.Store
	cfg      Config
	files    fs.FS
	tmpl     *template.Template
	started  time.Time
	throttle *throttle
	results  resultCache
	heavy    chan struct{} // see heavy.go
	now      func() time.Time
	metrics  *Metrics
	limiter  *limiter
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into a logged 500 problem.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(r.Context(), "panic", "path", r.URL.Path, "panic", v)
				writeProblem(w, http.StatusInternalServerError, "internal", "internal error", "")
			}
		}()
		next.ServeHTTP(w, r)
	})
}
