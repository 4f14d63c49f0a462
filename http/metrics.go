package http

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the Prometheus metrics of one server. Each server has a
// registry of its own, so that tests can run many servers in a process.
//
// Served at GET /metrics (access rule: auditor, so Prometheus scrapes with
// an API token of an admin or coordinator, read scope: see docs/operations.md).
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	imports  *prometheus.HistogramVec
	risk     *prometheus.HistogramVec
	limited  *prometheus.CounterVec
}

// NewMetrics returns a Metrics with the Go runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "coalition_http_requests_total",
		Help: "HTTP requests by route pattern and status code.",
	}, []string{"route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "coalition_http_request_duration_seconds",
		Help:    "HTTP request latency by route pattern and status code.",
		Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "code"})
	m.imports = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "coalition_import_duration_seconds",
		Help:    "Import durations by format and outcome (ok or error).",
		Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 12),
	}, []string{"format", "outcome"})
	m.risk = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "coalition_risk_run_duration_seconds",
		Help:    "Monte Carlo risk-run durations by outcome (ok or error).",
		Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 12),
	}, []string{"outcome"})
	m.limited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "coalition_http_rate_limited_total",
		Help: "Requests refused with 429 by the per-client rate limiter, by class (write, analysis, or refused: reads refused too often).",
	}, []string{"class"})
	m.reg.MustRegister(m.requests, m.latency, m.imports, m.risk, m.limited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveImport records how long an import took; err nil means it committed.
func (m *Metrics) ObserveImport(format string, d time.Duration, err error) {
	if m == nil {
		return
	}
	m.imports.WithLabelValues(format, outcome(err)).Observe(d.Seconds())
}

// ObserveRiskRun records how long a Monte Carlo risk run took.
func (m *Metrics) ObserveRiskRun(d time.Duration, err error) {
	if m == nil {
		return
	}
	m.risk.WithLabelValues(outcome(err)).Observe(d.Seconds())
}

func outcome(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}

// observeRequest counts one request.
func (m *Metrics) observeRequest(route string, status int, d time.Duration) {
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(route, code).Inc()
	m.latency.WithLabelValues(route, code).Observe(d.Seconds())
}

// watchStore adds the database pool statistics (when the store exposes its
// *sql.DB) and the audit chain length (when it can tell it cheaply).
func (m *Metrics) watchStore(store any) {
	if d, ok := store.(interface{ DB() *sql.DB }); ok && d.DB() != nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(d.DB(), "coalition"))
	}
	if a, ok := store.(interface {
		AuditLength(context.Context) (int64, error)
	}); ok {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "coalition_audit_chain_length",
			Help: "Entries in the hash-chained audit log (the head's sequence number).",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := a.AuditLength(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		}))
	}
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// metrics is the GET /metrics route.
func (s *server) metricsPage(w http.ResponseWriter, r *http.Request) error {
	s.metrics.Handler().ServeHTTP(w, r)
	return nil
}
