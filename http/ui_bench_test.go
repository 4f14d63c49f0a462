package http

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"coalition"
)

// BenchmarkPages renders every page with the bundled reference data
// (server time only: handler, queries, template, no network), and reports
// each page's time as a multiple of the raw DonorTotals query measured in
// the same run ("x-DonorTotals"), the one query every donor view needs.
// The budget is 50 ms per page.
func BenchmarkPages(b *testing.B) {
	h, st := newUIServer(b)
	ctx := context.Background()
	// The reference is timed by hand: testing.Benchmark inside a running
	// benchmark would wait on the lock the outer one holds.
	refNs := timeRef(b, func() {
		if _, err := st.DonorTotals(ctx, coalition.DonorFilter{}); err != nil {
			b.Fatal(err)
		}
	})
	b.Logf("reference: DonorTotals %.3f ms/op", refNs/1e6)
	for _, path := range []string{
		"/", "/donors", "/donors?type=military&group=NATO&sort=pct_gdp",
		"/countries/DEU", "/coalitions", "/coalitions/1", "/engagements", "/engagements?country=AUS",
		"/donors.csv", "/csv/support-monthly", "/csv/coalition-coverage?id=1",
		"/countries/USA", "/scenarios", "/scenarios?withdraw=USA&from=2025-02&group=COW2025&cap=0.5&run=1",
		"/scenarios?builtin=replace-us", "/scenarios?builtin=nato-40bn", "/targets",
		"/risk", "/risk?coalition=NB8", "/risk?coalition=NB8&trials=1000", "/csv/scenario-plan?builtin=replace-us", "/csv/targets", "/csv/coalition-gap?id=1",
	} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("GET", path, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("GET %s: %d", path, w.Code)
				}
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(ns/1e6, "ms/page")
			b.ReportMetric(ns/refNs, "x-DonorTotals")
		})
	}
}

// timeRef returns the mean ns of f over at least 200 ms and 20 runs, after one warm-up run.
func timeRef(b *testing.B, f func()) float64 {
	b.Helper()
	f()
	start, n := time.Now(), 0
	for n < 20 || time.Since(start) < 200*time.Millisecond {
		f()
		n++
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}

// BenchmarkCoalitionHomeCold renders the coalition's home page and the risk
// page as the first view after a start (a new server, so an empty result
// cache): the home page runs /risk's default run of the coalition (5,000
// trials) besides its own coverage, so the ratio of the two is what the
// home page costs beyond the risk run. Run: go test ./http -run '^$'
// -bench CoalitionHomeCold -benchtime 10x.
func BenchmarkCoalitionHomeCold(b *testing.B) {
	_, st := newUIServer(b)
	for _, path := range []string{"/coalitions/COW2025", "/risk?coalition=COW2025", "/brief?coalition=COW2025"} {
		b.Run(path, func(b *testing.B) {
			var cpu time.Duration // user+sys of the process: the machine is shared, wall time is not the page's
			for b.Loop() {
				b.StopTimer()
				h := NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), st, Config{Version: "test"})
				req := httptest.NewRequest("GET", path, nil)
				w := httptest.NewRecorder()
				before := cpuTime()
				b.StartTimer()
				h.ServeHTTP(w, req)
				b.StopTimer()
				cpu += cpuTime() - before
				b.StartTimer()
				if w.Code != 200 {
					b.Fatalf("GET %s: %d", path, w.Code)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/page")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/1e6, "cpu-ms/page")
		})
	}
}
