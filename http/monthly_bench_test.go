package http

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"coalition"
	"coalition/sqlstore"
)

// BenchmarkMonthlyUncached times GET /api/v1/donors/monthly as an
// administrator with a cold cache (a new server per request: the data note
// and the answer computed, encoded and gzipped as on a first call), on the
// database COALITION_BENCH_DSN names (e.g. the 1M-pledge database that
// scripts/scale-bench/run.sh makes with KEEP=1); skipped without it.
// "store" is MonthlySupport alone, "handler" the whole request; both report
// ms and CPU ms per request:
//
//	COALITION_BENCH_DSN=sqlite:/path/scale.db go test ./http -run '^$' -bench MonthlyUncached -benchtime 5x
func BenchmarkMonthlyUncached(b *testing.B) {
	dsn := os.Getenv("COALITION_BENCH_DSN")
	if dsn == "" {
		b.Skip("COALITION_BENCH_DSN not set")
	}
	ctx := coalition.WithUser(context.Background(), &coalition.User{ID: 1, Email: "bench@example.org", Role: coalition.Admin})
	st, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	report := func(b *testing.B, wall, cpu time.Duration, n int) {
		b.ReportMetric(float64(wall.Microseconds())/1000/float64(n), "ms/req")
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(n), "cpu-ms/req")
	}
	b.Run("store", func(b *testing.B) {
		var wall, cpu time.Duration
		n := 0
		for b.Loop() {
			t, c := time.Now(), cpuTime()
			rows, err := st.MonthlySupport(ctx, coalition.DonorFilter{})
			wall, cpu = wall+time.Since(t), cpu+cpuTime()-c
			if err != nil || len(rows) == 0 {
				b.Fatalf("%d rows, %v", len(rows), err)
			}
			n++
		}
		report(b, wall, cpu, n)
	})
	b.Run("handler", func(b *testing.B) {
		var wall, cpu time.Duration
		n := 0
		for b.Loop() {
			b.StopTimer()
			s, _ := newServer(log, st, Config{Version: "test"})
			h := gzipResponses(s.withDataNote(route{pattern: "GET /api/v1/donors/monthly"}, s.handle(s.listDonorMonths)))
			req := httptest.NewRequest("GET", "/api/v1/donors/monthly", nil).WithContext(ctx)
			req.Header.Set("Accept-Encoding", "gzip, deflate")
			w := httptest.NewRecorder()
			b.StartTimer()
			t, c := time.Now(), cpuTime()
			h.ServeHTTP(w, req)
			wall, cpu = wall+time.Since(t), cpu+cpuTime()-c
			if w.Code != http.StatusOK || w.Body.Len() == 0 {
				b.Fatalf("%d: %s", w.Code, w.Body.String())
			}
			n++
		}
		report(b, wall, cpu, n)
	})
}
