package http

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"coalition"

	"golang.org/x/time/rate"
)

// Limits bounds what one request and one client may cost. Zero values
// switch a limit off (tests); `coalition serve` sets the defaults.
type Limits struct {
	RequestTimeout time.Duration // deadline of a request, passed down to the store
	LongTimeout    time.Duration // deadline of imports and analyses (risk, scenario runs)
	MaxBody        int64         // request body limit (bytes), imports excepted
	MaxImportBody  int64         // request body limit of /api/v1/imports
	WriteRate      float64       // writes per second per client (token bucket)
	WriteBurst     int
	AnalysisRate   float64 // expensive analyses per second per client
	AnalysisBurst  int
}

// routeClass sorts routes for limits: "analysis" (expensive), "import",
// "write", or "" (reads).
func routeClass(pattern string) string {
	method, path, _ := strings.Cut(pattern, " ")
	switch {
	case strings.HasPrefix(path, "/api/v1/imports"):
		return "import"
	case pattern == "POST /api/v1/risk" || pattern == "POST /api/v1/scenarios/run":
		return "analysis"
	case pattern == "POST /api/v1/login" || pattern == "POST /login":
		return "" // the login throttle counts failures instead
	case method != "" && method != http.MethodGet && method != http.MethodHead:
		return "write"
	}
	return ""
}

// requestIDHandler adds the request id of the context (set by authenticate)
// to every log record, so that one request's lines can be found together.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := coalition.RequestFrom(ctx).ID; id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}
func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}
func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// observe is the outermost middleware: it finds the route pattern, applies
// the body limit and the deadline, then logs and counts the request.
// A request that ran out of its deadline and would answer 500 answers 503
// with Retry-After instead (the client may try again; nothing was committed
// or the commit was complete).
func (s *server) observe(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		_, pattern := mux.Handler(r)
		if pattern == "" {
			pattern = "unmatched"
		}
		class := routeClass(pattern)
		lim := s.cfg.Limits
		maxBody := lim.MaxBody
		if class == "import" {
			maxBody = lim.MaxImportBody
		}
		sw := &statusWriter{ResponseWriter: w, r: r}
		if maxBody > 0 && r.Body != nil {
			if r.ContentLength > maxBody {
				writeProblem(sw, http.StatusRequestEntityTooLarge, "too_large",
					"the body has "+strconv.FormatInt(r.ContentLength, 10)+" bytes; this route accepts at most "+strconv.FormatInt(maxBody, 10), "")
				s.logRequest(r, pattern, sw, start)
				return
			}
			r.Body = http.MaxBytesReader(sw, r.Body, maxBody)
		}
		timeout := lim.RequestTimeout
		if class == "import" || class == "analysis" {
			timeout = lim.LongTimeout
		}
		if timeout > 0 {
			ctx, cancel := context.WithTimeout(r.Context(), timeout)
			defer cancel()
			r = r.WithContext(ctx)
			sw.r = r
			sw.timeout = timeout
		}
		next.ServeHTTP(sw, r)
		s.logRequest(r, pattern, sw, start)
	})
}

func (s *server) logRequest(r *http.Request, pattern string, sw *statusWriter, start time.Time) {
	d := time.Since(start)
	status := sw.status
	if status == 0 {
		status = http.StatusOK
	}
	s.metrics.observeRequest(pattern, status, d)
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelWarn
	}
	s.log.LogAttrs(r.Context(), level, "request", slog.String("method", r.Method), slog.String("route", pattern),
		slog.String("path", r.URL.Path), slog.Int("status", status), slog.Float64("ms", float64(d.Microseconds())/1000),
		slog.Int64("bytes", sw.bytes), slog.String("request_id", sw.Header().Get("X-Request-Id")))
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	r         *http.Request
	status    int
	bytes     int64
	timeout   time.Duration
	swallowed bool // a 500 after the deadline was replaced by a 503
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	if status == http.StatusInternalServerError && w.timeout > 0 && errors.Is(w.r.Context().Err(), context.DeadlineExceeded) {
		w.status, w.swallowed = http.StatusServiceUnavailable, true
		h := w.Header()
		h.Del("Content-Encoding") // the gzip writer's bytes are swallowed below
		h.Del("Content-Length")
		h.Set("Retry-After", "1")
		writeProblemDoc(w.ResponseWriter, problem{Type: "/problems/unavailable", Title: "Service Unavailable",
			Status: http.StatusServiceUnavailable, Detail: "the request took longer than " + w.timeout.String() + " and was stopped; nothing was changed; try again"})
		return
	}
	if status == http.StatusInternalServerError && errors.Is(w.r.Context().Err(), context.Canceled) {
		// The client went away and the store saw its cancelled context: not a
		// server failure. Counted as 499 (client closed request), nothing sent.
		w.status, w.swallowed = 499, true
		return
	}
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.swallowed {
		return len(b), nil
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// rateLimit refuses writes and analyses beyond a client's token bucket with
// 429 and Retry-After. A client is its user id when signed in, else its
// address. It runs inside authenticate (it needs the user).
func (s *server) rateLimit(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		class := routeClass(pattern)
		if class == "import" {
			class = "analysis"
		}
		if class == "" {
			next.ServeHTTP(w, r)
			return
		}
		wait := s.limiter.take(class, clientKey(r), time.Now())
		if wait > 0 {
			s.metrics.limited.WithLabelValues(class).Inc()
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			s.writeError(w, r, coalition.Errorf(coalition.RateLimited,
				"too many %s requests from this client: try again in %s", class, wait.Round(time.Millisecond)))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func clientKey(r *http.Request) string {
	if u := coalition.UserFrom(r.Context()); u != nil {
		return "user:" + strconv.FormatInt(u.ID, 10)
	}
	if a := coalition.RequestFrom(r.Context()).Addr; a != "" {
		return "addr:" + a
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr:" + host
}

// limiter keeps one token bucket per client and class; idle buckets are
// dropped so that the map does not grow without bound.
type limiter struct {
	mu      sync.Mutex
	rates   map[string]rate.Limit
	bursts  map[string]int
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	last time.Time
}

func newLimiter(l Limits) *limiter {
	return &limiter{
		rates:   map[string]rate.Limit{"write": rate.Limit(l.WriteRate), "analysis": rate.Limit(l.AnalysisRate)},
		bursts:  map[string]int{"write": max(l.WriteBurst, 1), "analysis": max(l.AnalysisBurst, 1)},
		buckets: map[string]*bucket{},
	}
}

// take spends one token and returns 0, or how long to wait for one.
func (l *limiter) take(class, client string, now time.Time) time.Duration {
	r := l.rates[class]
	if r <= 0 {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.last) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	k := class + "|" + client
	b := l.buckets[k]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(r, l.bursts[class])}
		l.buckets[k] = b
	}
	b.last = now
	res := b.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}

// readiness answers 503 once the server is draining (Config.Unready), so
// that a load balancer stops sending before the listener closes.
func (s *server) readiness(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Unready != nil && s.cfg.Unready() {
		w.Header().Set("Retry-After", "5")
		return coalition.Errorf(coalition.Unavailable, "shutting down: finishing the requests in flight")
	}
	return s.readyz(w, r)
}
