package http

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/VictoriaMetrics/metrics"
)

// Metrics holds the Prometheus metrics of one server
// (github.com/VictoriaMetrics/metrics: the Prometheus text format without
// client_golang's protobuf and collectors, a tenth of every command's
// start-up; docs/benchmarks.md). Each server has a set of its own, so that
// tests can run many servers in a process.
//
// Served at GET /metrics (access rule: auditor, so Prometheus scrapes with
// an API token of an admin or coordinator, read scope: see docs/operations.md).
type Metrics struct {
	set *metrics.Set
	// reqs holds each (route, status)'s counter and latency histogram,
	// so that a request does not build their names.
	reqs sync.Map // reqKey → *reqMetrics
}

type reqKey struct {
	route  string
	status int
}

type reqMetrics struct {
	count   *metrics.Counter
	latency *metrics.PrometheusHistogram
}

// latencyBuckets are the upper bounds of the request latency histogram;
// durationBuckets those of imports and risk runs.
var (
	latencyBuckets  = []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}
	durationBuckets = metrics.ExponentialBuckets(0.01, 2.5, 12)
)

// exposeMetadata has the # HELP and # TYPE lines written (a setting of
// the library's, for the whole process).
var exposeMetadata sync.Once

// NewMetrics returns a Metrics with the Go runtime and process metrics,
// open file descriptors included (process_open_fds, process_max_fds).
func NewMetrics() *Metrics {
	exposeMetadata.Do(func() { metrics.ExposeMetadata(true) })
	m := &Metrics{set: metrics.NewSet()}
	m.set.RegisterMetricsWriter(metrics.WriteProcessMetrics)
	m.set.RegisterMetricsWriter(metrics.WriteFDMetrics)
	return m
}

// labels is a label set of the text format, {name="value",...}, values
// escaped; pairs are name, value, name, value, in the order to write them.
func labels(pairs ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(pairs); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(pairs[i])
		b.WriteString(`="`)
		labelEscaper.WriteString(&b, pairs[i+1])
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// labelEscaper escapes a label value as the text format wants.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// ObserveImport records how long an import took; err nil means it committed.
func (m *Metrics) ObserveImport(format string, d time.Duration, err error) {
	if m == nil {
		return
	}
	m.set.GetOrCreatePrometheusHistogramExt("coalition_import_duration_seconds"+labels("format", format, "outcome", outcome(err)),
		durationBuckets).Update(d.Seconds())
}

// ObserveRiskRun records how long a Monte Carlo risk run took.
func (m *Metrics) ObserveRiskRun(d time.Duration, err error) {
	if m == nil {
		return
	}
	m.set.GetOrCreatePrometheusHistogramExt("coalition_risk_run_duration_seconds"+labels("outcome", outcome(err)),
		durationBuckets).Update(d.Seconds())
}

// rateLimited counts a request refused with 429, by class (write,
// analysis, or refused: reads refused too often).
func (m *Metrics) rateLimited(class string) {
	m.set.GetOrCreateCounter("coalition_http_rate_limited_total" + labels("class", class)).Inc()
}

func outcome(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}

// observeRequest counts one request.
func (m *Metrics) observeRequest(route string, status int, d time.Duration) {
	k := reqKey{route, status}
	v, ok := m.reqs.Load(k)
	if !ok {
		l := labels("code", fmt.Sprint(status), "route", route)
		v, _ = m.reqs.LoadOrStore(k, &reqMetrics{
			count:   m.set.GetOrCreateCounter("coalition_http_requests_total" + l),
			latency: m.set.GetOrCreatePrometheusHistogramExt("coalition_http_request_duration_seconds"+l, latencyBuckets),
		})
	}
	r := v.(*reqMetrics)
	r.count.Inc()
	r.latency.Update(d.Seconds())
}

// watchStore adds the database pool statistics (when the store exposes its
// *sql.DB) and the audit chain length (when it can tell it cheaply).
func (m *Metrics) watchStore(store any) {
	if d, ok := store.(interface{ DB() *sql.DB }); ok && d.DB() != nil {
		db := d.DB()
		m.set.RegisterMetricsWriter(func(w io.Writer) { writeDBStats(w, db.Stats()) })
	}
	if a, ok := store.(interface {
		AuditLength(context.Context) (int64, error)
	}); ok {
		m.set.NewGauge("coalition_audit_chain_length", func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := a.AuditLength(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		})
	}
}

// writeDBStats writes the database pool's statistics under the names
// client_golang's DBStatsCollector gives them (go_sql_*{db_name="coalition"}).
func writeDBStats(w io.Writer, st sql.DBStats) {
	for _, g := range []struct {
		name, typ string
		value     float64
	}{
		{"go_sql_max_open_connections", "gauge", float64(st.MaxOpenConnections)},
		{"go_sql_open_connections", "gauge", float64(st.OpenConnections)},
		{"go_sql_in_use_connections", "gauge", float64(st.InUse)},
		{"go_sql_idle_connections", "gauge", float64(st.Idle)},
		{"go_sql_wait_count_total", "counter", float64(st.WaitCount)},
		{"go_sql_wait_duration_seconds_total", "counter", st.WaitDuration.Seconds()},
		{"go_sql_max_idle_closed_total", "counter", float64(st.MaxIdleClosed)},
		{"go_sql_max_idle_time_closed_total", "counter", float64(st.MaxIdleTimeClosed)},
		{"go_sql_max_lifetime_closed_total", "counter", float64(st.MaxLifetimeClosed)},
	} {
		metrics.WriteMetadataIfNeeded(w, g.name, g.typ)
		fmt.Fprintf(w, "%s{db_name=\"coalition\"} %g\n", g.name, g.value)
	}
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.set.WritePrometheus(w)
	})
}

// metrics is the GET /metrics route.
func (s *server) metricsPage(w http.ResponseWriter, r *http.Request) error {
	s.metrics.Handler().ServeHTTP(w, r)
	return nil
}
