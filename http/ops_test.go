package http_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	chttp "coalition/http"
	"coalition/sqlstore"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// syncBuffer is a log sink that tests may read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type opsWorld struct {
	srv   *httptest.Server
	store *sqlstore.Store
	token string
	logs  *syncBuffer
}

func newOpsServer(t *testing.T, cfg chttp.Config) *opsWorld {
	t.Helper()
	s := seededStore(t)
	token := adminToken(t, s)
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	cfg.Version = "test"
	srv := httptest.NewServer(chttp.NewServer(log, s, cfg))
	t.Cleanup(srv.Close)
	return &opsWorld{srv: srv, store: s, token: token, logs: logs}
}

func (w *opsWorld) do(t *testing.T, method, path, token, body string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, w.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func TestMetrics(t *testing.T) {
	w := newOpsServer(t, chttp.Config{})
	for range 3 {
		if res, b := w.do(t, "GET", "/api/v1/countries", "", ""); res.StatusCode != 200 {
			t.Fatalf("countries: %d %s", res.StatusCode, b)
		}
	}
	w.do(t, "GET", "/api/v1/pledges/999999999", "", "")
	if res, b := w.do(t, "POST", "/api/v1/risk", w.token, `{"coalition":"COW2025","trials":500,"seed":1}`); res.StatusCode != 200 {
		t.Fatalf("risk run: %d %s", res.StatusCode, b)
	}
	csv := "source_ref,donor,recipient,category,status,amount,currency,announced,visibility,source\n" +
		"M-1,Norway,UKR,air-defence,committed,1000,EUR,2024-01-15,public,metrics test\n"
	if res, b := w.do(t, "POST", "/api/v1/imports?format=csv&kind=pledges&file=m.csv", w.token, csv, "Content-Type", "text/csv"); res.StatusCode != 200 {
		t.Fatalf("import: %d %s", res.StatusCode, b)
	}
	if res, b := w.do(t, "POST", "/api/v1/imports?format=csv&kind=pledges&file=m.csv", w.token, csv+"M-2,Nowhere,UKR,air-defence,committed,1,EUR,2024-01-15,public,x\n", "Content-Type", "text/csv"); res.StatusCode != 400 {
		t.Fatalf("invalid import: %d %s", res.StatusCode, b)
	}
	// Anonymous: refused (the guard sends non-API GETs to the sign-in page).
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	anon, err := noFollow.Get(w.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	anon.Body.Close()
	if anon.StatusCode != http.StatusUnauthorized && !(anon.StatusCode == http.StatusSeeOther && strings.HasPrefix(anon.Header.Get("Location"), "/login")) {
		t.Errorf("anonymous /metrics: %d, want 401 or a redirect to /login", anon.StatusCode)
	}
	res, b := w.do(t, "GET", "/metrics", w.token, "")
	if res.StatusCode != 200 {
		t.Fatalf("/metrics as admin: %d %s", res.StatusCode, b)
	}
	body := string(b)
	head, err := w.store.AuditLength(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`coalition_http_requests_total{code="200",route="GET /api/v1/countries"} 3`,
		`coalition_http_requests_total{code="404",route="GET /api/v1/pledges/{id}"} 1`,
		`coalition_http_request_duration_seconds_bucket{code="200",route="GET /api/v1/countries",le="+Inf"} 3`,
		`go_sql_open_connections{db_name="coalition"}`,
		"coalition_audit_chain_length " + strconv.FormatInt(head, 10),
		`coalition_risk_run_duration_seconds_count{outcome="ok"} 1`,
		`coalition_import_duration_seconds_count{format="csv",outcome="ok"} 1`,
		`coalition_import_duration_seconds_count{format="csv",outcome="error"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestMetricsTextFormat reads a server's /metrics with Prometheus's own
// parser of the text format (prometheus/common/expfmt): every line parses,
// and each family has the type Prometheus should see.
func TestMetricsTextFormat(t *testing.T) {
	w := newOpsServer(t, chttp.Config{})
	for _, path := range []string{"/api/v1/countries", "/api/v1/pledges/999999", "/api/v1/countries"} {
		res, _ := w.do(t, "GET", path, "", "")
		res.Body.Close()
	}
	res, b := w.do(t, "GET", "/metrics", w.token, "")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("/metrics: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Prometheus's parser refuses /metrics: %v\n%s", err, b)
	}
	for name, typ := range map[string]dto.MetricType{
		"coalition_http_requests_total":           dto.MetricType_COUNTER,
		"coalition_http_request_duration_seconds": dto.MetricType_HISTOGRAM,
		"coalition_audit_chain_length":            dto.MetricType_GAUGE,
		"go_sql_open_connections":                 dto.MetricType_GAUGE,
		"go_sql_wait_count_total":                 dto.MetricType_COUNTER,
		"go_goroutines":                           dto.MetricType_GAUGE,
		"process_resident_memory_bytes":           dto.MetricType_GAUGE,
		"process_open_fds":                        dto.MetricType_GAUGE,
		"process_cpu_seconds_total":               dto.MetricType_COUNTER,
	} {
		f := fams[name]
		if f == nil || f.GetType() != typ {
			t.Errorf("family %s: %v, want type %v", name, f, typ)
		}
	}
	var countries float64
	for _, m := range fams["coalition_http_request_duration_seconds"].GetMetric() {
		l := map[string]string{}
		for _, lp := range m.GetLabel() {
			l[lp.GetName()] = lp.GetValue()
		}
		if l["route"] == "GET /api/v1/countries" && l["code"] == "200" {
			countries = float64(m.GetHistogram().GetSampleCount())
			if n := len(m.GetHistogram().GetBucket()); n != 15 { // 14 bounds and +Inf
				t.Errorf("latency histogram has %d buckets, want 15", n)
			}
		}
	}
	if countries != 2 {
		t.Errorf("latency of GET /api/v1/countries: %v requests, want 2", countries)
	}
}

func TestMetricsHooks(t *testing.T) {
	m := chttp.NewMetrics()
	m.ObserveRiskRun(1500*time.Millisecond, nil)
	m.ObserveImport("kiel-csv", 2*time.Second, nil)
	m.ObserveImport("kiel-csv", time.Second, io.ErrUnexpectedEOF)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`coalition_risk_run_duration_seconds_count{outcome="ok"} 1`,
		`coalition_risk_run_duration_seconds_sum{outcome="ok"} 1.5`,
		`coalition_import_duration_seconds_count{format="kiel-csv",outcome="ok"} 1`,
		`coalition_import_duration_seconds_count{format="kiel-csv",outcome="error"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestRequestIDOnEveryLogLine(t *testing.T) {
	// A deadline that has passed before the store is asked: the store fails,
	// the handler logs the failure, the middleware logs the request.
	w := newOpsServer(t, chttp.Config{Limits: chttp.Limits{RequestTimeout: time.Nanosecond}})
	res, b := w.do(t, "GET", "/api/v1/pledges", "", "", "X-Request-Id", "req-test-42")
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("past deadline: %d (Retry-After %q) %s, want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"), b)
	}
	if !strings.Contains(string(b), "took longer than") {
		t.Errorf("503 body %s does not say why", b)
	}
	lines := strings.Split(strings.TrimSpace(w.logs.String()), "\n")
	if len(lines) < 2 {
		t.Fatalf("want the failure and the request logged, got %q", lines)
	}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if rec["request_id"] != "req-test-42" {
			t.Errorf("log line without the request id: %s", l)
		}
	}
	if !strings.Contains(w.logs.String(), `"route":"GET /api/v1/pledges"`) {
		t.Errorf("request line lacks the route pattern: %s", w.logs.String())
	}
}

func TestRateLimit(t *testing.T) {
	// 1 write per second, burst 2: the third write at once is refused; reads are not limited.
	w := newOpsServer(t, chttp.Config{Limits: chttp.Limits{WriteRate: 1, WriteBurst: 2}})
	var got []int
	for range 3 {
		res, _ := w.do(t, "POST", "/api/v1/pledges", w.token, `{}`)
		got = append(got, res.StatusCode)
		if res.StatusCode == http.StatusTooManyRequests {
			ra, err := strconv.Atoi(res.Header.Get("Retry-After"))
			if err != nil || ra < 1 || ra > 2 {
				t.Errorf("Retry-After %q, want 1 or 2 seconds", res.Header.Get("Retry-After"))
			}
		}
	}
	if got[0] == http.StatusTooManyRequests || got[1] == http.StatusTooManyRequests || got[2] != http.StatusTooManyRequests {
		t.Errorf("three writes at once: %v, want the third (only) refused with 429", got)
	}
	for range 5 {
		if res, _ := w.do(t, "GET", "/api/v1/countries", w.token, ""); res.StatusCode != 200 {
			t.Errorf("read after the write limit: %d, want 200", res.StatusCode)
		}
	}
	// Another client (anonymous, by address) has its own bucket.
	if res, _ := w.do(t, "POST", "/api/v1/pledges", "", `{}`); res.StatusCode == http.StatusTooManyRequests {
		t.Errorf("another client was limited too")
	}
}

func TestBodyLimit(t *testing.T) {
	w := newOpsServer(t, chttp.Config{Limits: chttp.Limits{MaxBody: 100}})
	big := `{"donor":"` + strings.Repeat("x", 200) + `"}`
	res, b := w.do(t, "POST", "/api/v1/pledges", w.token, big)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("201-byte body over a 100-byte limit: %d %s, want 413", res.StatusCode, b)
	}
}

func TestReadyzTurnsUnreadyWhenDraining(t *testing.T) {
	var draining atomic.Bool
	w := newOpsServer(t, chttp.Config{Unready: draining.Load})
	if res, b := w.do(t, "GET", "/readyz", "", ""); res.StatusCode != 200 {
		t.Fatalf("readyz: %d %s", res.StatusCode, b)
	}
	draining.Store(true)
	res, b := w.do(t, "GET", "/readyz", "", "")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(b), "shutting down") {
		t.Errorf("readyz while draining: %d %s, want 503 shutting down", res.StatusCode, b)
	}
	if res, _ := w.do(t, "GET", "/healthz", "", ""); res.StatusCode != 200 {
		t.Errorf("healthz while draining: %d, want 200 (alive)", res.StatusCode)
	}
}
