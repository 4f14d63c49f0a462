package http

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkCachedBytes compares answers served from the result cache's
// bytes with the same answers made per request as the server made them
// before (the value cached, then encoded or rendered and compressed by
// gzipResponses on every request), timed in turn in one loop so that both
// see the same machine load. It reports µs per request of each and their
// ratio (bytes/encoded; below 1 the cache is faster). Reference data only
// (~1,450 pledges): the answers are small beside the 1M rows.
func BenchmarkCachedBytes(b *testing.B) {
	st := uiStore(b)
	s, _ := newServer(slog.New(slog.NewTextHandler(io.Discard, nil)), st, Config{Version: "test"})
	perRequest := func(w http.ResponseWriter, r *http.Request) error {
		f, err := donorParams(r)
		if err != nil {
			return err
		}
		rows, err := s.monthlySupport(r.Context(), f)
		if err != nil {
			return err
		}
		return encode(w, r, http.StatusOK, rows)
	}
	cases := []struct {
		name, path, encodedPath string
		bytes, encoded          http.Handler
	}{
		// Before: indented JSON on every request (the old default).
		{"donors-monthly/vs-indented", "/api/v1/donors/monthly", "/api/v1/donors/monthly?pretty=1",
			gzipResponses(s.handle(s.listDonorMonths)), gzipResponses(s.handle(perRequest))},
		// The same compact answer encoded per request: what the bytes save
		// beyond dropping the indentation.
		{"donors-monthly/vs-compact", "/api/v1/donors/monthly", "/api/v1/donors/monthly",
			gzipResponses(s.handle(s.listDonorMonths)), gzipResponses(s.handle(perRequest))},
		{"overview", "/", "/",
			gzipResponses(s.handlePage(s.cachedPage(s.overviewPage))), gzipResponses(s.handlePage(s.overviewPage))},
	}
	for _, c := range cases {
		for _, accept := range []string{"gzip", "identity"} {
			b.Run(c.name+"/"+accept, func(b *testing.B) {
				serve := func(h http.Handler, path string) time.Duration {
					req := httptest.NewRequest("GET", path, nil)
					req.Header.Set("Accept-Encoding", accept)
					w := httptest.NewRecorder()
					start := time.Now()
					h.ServeHTTP(w, req)
					d := time.Since(start)
					if w.Code != http.StatusOK {
						b.Fatalf("GET %s: %d", path, w.Code)
					}
					return d
				}
				serve(c.bytes, c.path) // fill both caches
				serve(c.encoded, c.encodedPath)
				var cached, encoded time.Duration
				n := 0
				for b.Loop() {
					cached += serve(c.bytes, c.path)
					encoded += serve(c.encoded, c.encodedPath)
					n++
				}
				b.ReportMetric(float64(cached.Microseconds())/float64(n), "µs-bytes")
				b.ReportMetric(float64(encoded.Microseconds())/float64(n), "µs-encoded")
				b.ReportMetric(float64(cached)/float64(encoded), "bytes/encoded")
			})
		}
	}
}
