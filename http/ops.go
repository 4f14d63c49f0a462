package http

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"coalition"

	"golang.org/x/time/rate"
)

// Limits bounds what one request and one client may cost. Zero values
// switch a limit off (tests), except the body limits: zero (or less) is
// their default. `coalition serve` sets the defaults.
type Limits struct {
	RequestTimeout time.Duration // deadline of a request, passed down to the store
	LongTimeout    time.Duration // deadline of imports and analyses (risk, scenario runs)
	MaxBody        int64         // body limit of the API's JSON; other classes are a share of it (see bodySize)
	MaxImportBody  int64         // body limit of /api/v1/imports
	WriteRate      float64       // writes per second per client (token bucket)
	WriteBurst     int
	AnalysisRate   float64 // expensive analyses per second per client
	AnalysisBurst  int
}

// Defaults of the body limits (Limits.MaxBody, Limits.MaxImportBody).
const (
	DefaultMaxBody       = 1 << 20
	DefaultMaxImportBody = 64 << 20
)

// class is what a route may cost: its deadline, its body limit and its rate.
// Every route of the table (routes.go) names one.
type class struct {
	name string   // for the table and its tests
	long bool     // Limits.LongTimeout instead of RequestTimeout
	body bodySize // which share of the configured limits its body may have
	rate string   // its token bucket: "write", "analysis", or "" (none)
	hint string   // added to the 413's detail
}

var (
	classRead     = class{name: "read", body: bodyJSON}
	classWrite    = class{name: "write", body: bodyJSON, rate: "write"}
	classSmall    = class{name: "small write", body: bodySmall, rate: "write"} // forms and proposal decisions
	classText     = class{name: "text", body: bodyText, rate: "write"}         // texts to ingest
	classSignIn   = class{name: "sign-in", body: bodySmall}                    // the login throttle counts failures instead of a rate
	classAnalysis = class{name: "analysis", long: true, body: bodyJSON, rate: "analysis"}
	classModel    = class{name: "risk model", long: true, body: bodyModel, rate: "analysis"}
	classImport   = class{name: "import", long: true, body: bodyImport, rate: "analysis", hint: ": import larger files with the CLI"}
	// Exports stream every matching record: a million pledges as JSON
	// take longer than a read's deadline on a busy machine.
	classExport = class{name: "export", long: true, body: bodyJSON}
)

// bodySize is a route class's body limit, as a share of the configured
// limits: one flag (--max-body) moves all of them, and the defaults are
// the limits each kind of body always had.
type bodySize int

const (
	bodyJSON   bodySize = iota // MaxBody (1 MiB by default): JSON of the API
	bodySmall                  // MaxBody/16 (64 KiB): sign-in, forms, proposal decisions
	bodyText                   // MaxBody×2 (2 MiB): a text to ingest
	bodyModel                  // MaxBody×4 (4 MiB): a full risk model with per-month lists
	bodyImport                 // MaxImportBody (64 MiB): a file to import
)

// bodyLimit returns the most bytes a body of size b may have.
func (l Limits) bodyLimit(b bodySize) int64 {
	orDefault := func(n, def int64) int64 {
		if n <= 0 {
			return def
		}
		return n
	}
	m := orDefault(l.MaxBody, DefaultMaxBody)
	switch b {
	case bodySmall:
		return m / 16
	case bodyText:
		return m * 2
	case bodyModel:
		return m * 4
	case bodyImport:
		return orDefault(l.MaxImportBody, DefaultMaxImportBody)
	}
	return m
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

// observe is the outermost middleware: it logs and counts each request
// under its route's pattern, which the route's own wrapper (limit) notes in
// the request's *exchange.
// A request that ran out of its deadline and would answer 500 answers 503
// with Retry-After instead (the client may try again; nothing was committed
// or the commit was complete).
func (s *server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		x := &exchange{pattern: "unmatched"}
		ctx := context.WithValue(r.Context(), exchangeKey{}, x)
		// Until the route's own deadline (limit), the longest one bounds
		// what runs first (authenticate's lookup of the session or token).
		if d := max(s.cfg.Limits.RequestTimeout, s.cfg.Limits.LongTimeout); d > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w, r: r, x: x}
		next.ServeHTTP(sw, r)
		s.logRequest(r, x.pattern, sw, start)
	})
}

// exchange is what a route's wrapper tells observe about a request.
type exchange struct {
	pattern string          // the route's, or "unmatched"
	timeout time.Duration   // the route's deadline, if any
	ctx     context.Context // the context that carries it
	body    *limitedBody    // the body, behind the route's limit
}

type exchangeKey struct{}

func exchangeOf(r *http.Request) *exchange {
	x, _ := r.Context().Value(exchangeKey{}).(*exchange)
	return x
}

// limit applies a route's class: the body limit (413 at once when the
// declared length is over it; a body that turns out longer, chunked, fails
// its read and the answer is 413 too: see tooLarge) and the deadline.
func (s *server) limit(rt route, next http.Handler) http.Handler {
	lim := s.cfg.Limits
	maxBody := lim.bodyLimit(rt.class.body)
	timeout := lim.RequestTimeout
	if rt.class.long {
		timeout = lim.LongTimeout
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		x := exchangeOf(r)
		if x == nil { // a test that calls the handler without observe
			x = &exchange{}
			r = r.WithContext(context.WithValue(r.Context(), exchangeKey{}, x))
		}
		x.pattern = rt.pattern
		if r.ContentLength > maxBody {
			writeProblem(w, http.StatusRequestEntityTooLarge, "too_large",
				"the body has "+strconv.FormatInt(r.ContentLength, 10)+" bytes; this route accepts at most "+strconv.FormatInt(maxBody, 10)+rt.class.hint, "")
			return
		}
		if r.Body != nil {
			x.body = &limitedBody{rc: r.Body, left: maxBody, limit: maxBody, hint: rt.class.hint}
		}
		if timeout > 0 {
			ctx, cancel := context.WithTimeout(r.Context(), timeout)
			defer cancel()
			r = r.WithContext(ctx)
			x.ctx, x.timeout = ctx, timeout
		}
		if x.body != nil {
			r.Body = x.body
		}
		next.ServeHTTP(w, r)
	})
}

// limitedBody is a request body behind its route's limit: a read past the
// limit fails with *http.MaxBytesError, and the answer is then 413.
type limitedBody struct {
	rc    io.ReadCloser
	left  int64 // bytes that may still be read
	limit int64
	hint  string
	over  bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.over {
		return 0, &http.MaxBytesError{Limit: b.limit}
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1] // one byte more than allowed tells a long body
	}
	n, err := b.rc.Read(p)
	if int64(n) > b.left {
		n, b.left, b.over = int(b.left), 0, true
		return n, &http.MaxBytesError{Limit: b.limit}
	}
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// tooLarge writes a 413 problem and returns true when r's body went over
// its route's limit: whatever error the handler made of the failed read
// (a malformed form, a truncated JSON value), the answer is 413.
func tooLarge(w http.ResponseWriter, r *http.Request) bool {
	x := exchangeOf(r)
	if x == nil || x.body == nil || !x.body.over {
		return false
	}
	writeProblem(w, http.StatusRequestEntityTooLarge, "too_large",
		"the body is larger than "+strconv.FormatInt(x.body.limit, 10)+" bytes, the most this route accepts"+x.body.hint, "")
	return true
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
	x         *exchange
	status    int
	bytes     int64
	swallowed bool // a 500 after the deadline was replaced by a 503
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	if status == http.StatusInternalServerError && w.x.timeout > 0 && errors.Is(w.x.ctx.Err(), context.DeadlineExceeded) {
		w.status, w.swallowed = http.StatusServiceUnavailable, true
		h := w.Header()
		h.Del("Content-Encoding") // the gzip writer's bytes are swallowed below
		h.Del("Content-Length")
		h.Set("Retry-After", "1")
		writeProblemDoc(w.ResponseWriter, problem{Type: "/problems/unavailable", Title: "Service Unavailable",
			Status: http.StatusServiceUnavailable, Detail: "the request took longer than " + w.x.timeout.String() + " and was stopped; nothing was changed; try again"})
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

// rateLimit refuses writes and analyses beyond a client's token bucket
// (the class's rate) with 429 and Retry-After. A client is its user id
// when signed in, else its address. It runs inside authenticate (it needs
// the user).
func (s *server) rateLimit(c class, next http.Handler) http.Handler {
	if c.rate == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wait := s.limiter.take(c.rate, clientKey(r), time.Now())
		if wait > 0 {
			s.metrics.rateLimited(c.rate)
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			s.writeError(w, r, coalition.Errorf(coalition.RateLimited,
				"too many %s requests from this client: try again in %s", c.rate, wait.Round(time.Millisecond)))
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
