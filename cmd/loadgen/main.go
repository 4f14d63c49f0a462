// Command loadgen drives a running Coalition server on the loopback
// interface with a mixed read/write/analysis workload, bounded in time and
// in request count, and reports throughput and latency percentiles per
// route.
//
//	loadgen --url http://127.0.0.1:8080 --token $TOKEN --clients 200 --duration 60s --rate 500
//
// It refuses any host that is not a loopback address: it is a load test of
// one's own server, not a tool to point at others.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"golang.org/x/time/rate"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// Config is one load run.
type Config struct {
	URL         string
	Token       string // an API token with the write scope
	Clients     int
	Duration    time.Duration
	MaxRequests int64   // stop after this many requests (0: no bound but the duration)
	Rate        float64 // requests per second over all clients (0: as fast as they go)
	Mix         Mix
	// Pages, when set, replace the mix: every request is an anonymous GET
	// of one of these paths (the public pages a reader opens).
	Pages []string
}

// Mix is the share of each kind of request, in percent.
type Mix struct{ Read, Write, Analysis int }

// RouteStats is what one route saw.
type RouteStats struct {
	Route     string  `json:"route"`
	Kind      string  `json:"kind"`
	Count     int     `json:"count"`
	Status2xx int     `json:"2xx"`
	Status4xx int     `json:"4xx"`
	Status5xx int     `json:"5xx"`
	Errors    int     `json:"errors"` // transport errors
	P50ms     float64 `json:"p50_ms"`
	P95ms     float64 `json:"p95_ms"`
	P99ms     float64 `json:"p99_ms"`
	MaxMs     float64 `json:"max_ms"`
	lat       []time.Duration
}

// Report is the outcome of a run.
type Report struct {
	Clients    int           `json:"clients"`
	Elapsed    float64       `json:"elapsed_s"`
	Requests   int           `json:"requests"`
	Throughput float64       `json:"requests_per_s"`
	Status5xx  int           `json:"5xx"`
	Errors     int           `json:"errors"`
	ReadP99ms  float64       `json:"read_p99_ms"`
	Routes     []*RouteStats `json:"routes"`
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c Config
	fs.StringVar(&c.URL, "url", "http://127.0.0.1:8080", "the server (loopback only)")
	fs.StringVar(&c.Token, "token", getenv("COALITION_TOKEN"), "API token with the write scope (env COALITION_TOKEN)")
	fs.IntVar(&c.Clients, "clients", 200, "concurrent clients")
	fs.DurationVar(&c.Duration, "duration", 60*time.Second, "how long to run (at most 10m)")
	fs.Int64Var(&c.MaxRequests, "max-requests", 1_000_000, "stop after this many requests")
	fs.Float64Var(&c.Rate, "rate", 500, "target requests per second over all clients (0: unthrottled)")
	mix := fs.String("mix", "80,15,5", "percent of reads, writes and analyses")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pages := fs.String("pages", "", "comma-separated paths (e.g. /,/api/v1/donors): only anonymous GETs of these, instead of --mix")
	if err := fs.Parse(args); err != nil {
		return err
	}
	parts := strings.Split(*mix, ",")
	if len(parts) != 3 {
		return fmt.Errorf("--mix %q: want three percentages, reads,writes,analyses", *mix)
	}
	var ms [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || v < 0 {
			return fmt.Errorf("--mix %q: %q is not a percentage", *mix, p)
		}
		ms[i] = v
	}
	c.Mix = Mix{ms[0], ms[1], ms[2]}
	if *pages != "" {
		c.Pages, c.Mix = strings.Split(*pages, ","), Mix{Read: 100}
	}
	rep, err := Run(ctx, c)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(rep)
	}
	rep.Print(stdout)
	if rep.Status5xx > 0 {
		return fmt.Errorf("%d responses were 5xx", rep.Status5xx)
	}
	return nil
}

// checkLoopback refuses a URL whose host is not a loopback address.
func checkLoopback(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("--url %q: want http://127.0.0.1:PORT", raw)
	}
	host := u.Hostname()
	ips, err := net.LookupIP(host)
	if err != nil || len(ips) == 0 {
		return nil, fmt.Errorf("--url %q: cannot resolve %s", raw, host)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return nil, fmt.Errorf("--url %q: %s is not a loopback address; loadgen only loads this machine", raw, ip)
		}
	}
	return u, nil
}

// Run drives the server and returns the report.
func Run(ctx context.Context, c Config) (*Report, error) {
	base, err := checkLoopback(c.URL)
	if err != nil {
		return nil, err
	}
	if c.Clients < 1 || c.Clients > 2000 {
		return nil, fmt.Errorf("--clients %d: want 1 to 2000", c.Clients)
	}
	if c.Duration <= 0 || c.Duration > 10*time.Minute {
		return nil, fmt.Errorf("--duration %s: want more than 0 and at most 10m", c.Duration)
	}
	if c.Mix.Read+c.Mix.Write+c.Mix.Analysis != 100 {
		return nil, fmt.Errorf("--mix: the shares add up to %d, want 100", c.Mix.Read+c.Mix.Write+c.Mix.Analysis)
	}
	for _, p := range c.Pages {
		if !strings.HasPrefix(p, "/") {
			return nil, fmt.Errorf("--pages: %q is not a path (want /...)", p)
		}
	}
	if c.Token == "" && c.Mix.Write > 0 {
		return nil, errors.New("writes need --token (an API token with the write scope)")
	}
	ctx, cancel := context.WithTimeout(ctx, c.Duration)
	defer cancel()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: c.Clients, MaxIdleConnsPerHost: c.Clients, IdleConnTimeout: time.Minute}}
	g := &gen{c: c, base: strings.TrimRight(base.String(), "/"), client: client, stats: map[string]*RouteStats{}}
	if err := g.discover(ctx); err != nil {
		return nil, err
	}
	// The pace is a token bucket (one token, refilled at Rate): each
	// client reserves the next free slot, so slots are not lost when the
	// generator's own goroutines are scheduled late, as a ticker's are.
	var pace *rate.Limiter
	if c.Rate > 0 {
		pace = rate.NewLimiter(rate.Limit(c.Rate), 1)
	}
	var sent atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for i := range c.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 42))
			var mine []created
			for {
				if pace != nil && pace.Wait(ctx) != nil {
					return
				}
				if ctx.Err() != nil || sent.Add(1) > c.MaxRequests {
					return
				}
				mine = g.one(ctx, rng, mine)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	return g.report(elapsed), nil
}

type created struct {
	id      int64
	version int64
}

type gen struct {
	c      Config
	base   string
	client *http.Client
	mu     sync.Mutex
	stats  map[string]*RouteStats
	minID  int64 // reads of one pledge draw ids from [minID, minID+span)
	span   int64
}

// discover finds the range of pledge ids to read.
func (g *gen) discover(ctx context.Context) error {
	status, b, err := g.do(ctx, "", "GET", "/api/v1/pledges?limit=1&after=0", "", "")
	if err != nil {
		return fmt.Errorf("the server at %s does not answer: %v", g.base, err)
	}
	if status != 200 {
		return fmt.Errorf("GET /api/v1/pledges: %d %s", status, b)
	}
	var page struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	json.Unmarshal(b, &page)
	g.minID, g.span = 1, 1000
	if len(page.Items) > 0 {
		g.minID = page.Items[0].ID // the lowest id; the reference data has ~1,450 pledges
	}
	return nil
}

var reads = []struct{ route, path string }{
	{"GET /api/v1/pledges", "/api/v1/pledges?limit=20"},
	{"GET /api/v1/pledges/{id}", ""},
	{"GET /api/v1/donors", "/api/v1/donors"},
	{"GET /api/v1/countries", "/api/v1/countries"},
	{"GET /api/v1/countries/{iso3}", "/api/v1/countries/DEU"},
	{"GET /api/v1/targets", "/api/v1/targets"},
}

var donors = []string{"DEU", "FRA", "GBR", "POL", "NLD", "SWE", "DNK", "CAN", "NOR", "FIN"}

// one sends one request of a kind drawn from the mix.
func (g *gen) one(ctx context.Context, rng *rand.Rand, mine []created) []created {
	if len(g.c.Pages) > 0 {
		p := g.c.Pages[rng.IntN(len(g.c.Pages))]
		g.timed(ctx, "read", "GET "+p, "GET", p, "", "")
		return mine
	}
	k := rng.IntN(100)
	switch {
	case k < g.c.Mix.Read:
		r := reads[rng.IntN(len(reads))]
		path := r.path
		if path == "" {
			path = "/api/v1/pledges/" + strconv.FormatInt(g.minID+rng.Int64N(g.span), 10)
		}
		g.timed(ctx, "read", r.route, "GET", path, "", "")
	case k < g.c.Mix.Read+g.c.Mix.Write:
		if len(mine) > 0 && rng.IntN(3) == 0 {
			i := rng.IntN(len(mine))
			p := mine[i]
			body := `{"conditions":"loadgen edit ` + strconv.Itoa(rng.IntN(1e6)) + `"}`
			status, b := g.timed(ctx, "write", "PATCH /api/v1/pledges/{id}", "PATCH", "/api/v1/pledges/"+strconv.FormatInt(p.id, 10), body, strconv.Quote(strconv.FormatInt(p.version, 10)))
			if status == 200 {
				mine[i].version++
			} else if status == 409 {
				var prob struct {
					Current struct {
						Version int64 `json:"version"`
					} `json:"current"`
				}
				json.Unmarshal(b, &prob)
				mine[i].version = prob.Current.Version
			}
			return mine
		}
		body := fmt.Sprintf(`{"donor":%q,"category":"ammunition","amount":{"minor":%d,"currency":"EUR"},"announced":"2026-03-01","source":"loadgen"}`,
			donors[rng.IntN(len(donors))], 1_000_000+rng.Int64N(1e9))
		status, b := g.timed(ctx, "write", "POST /api/v1/pledges", "POST", "/api/v1/pledges", body, "")
		if status == 201 {
			var p struct {
				ID      int64 `json:"id"`
				Version int64 `json:"version"`
			}
			json.Unmarshal(b, &p)
			if len(mine) < 50 {
				mine = append(mine, created{p.ID, p.Version})
			}
		}
	default:
		switch rng.IntN(3) {
		case 0:
			g.timed(ctx, "analysis", "GET /api/v1/scenarios/builtin/{name}", "GET", "/api/v1/scenarios/builtin/replace-us", "", "")
		case 1:
			g.timed(ctx, "analysis", "GET /api/v1/coverage", "GET", "/api/v1/coverage", "", "")
		default:
			body := `{"withdrawals":[{"countries":["` + donors[rng.IntN(len(donors))] + `"],"from":"2025-02"}],"cap_pct_gdp":0.5}`
			g.timed(ctx, "analysis", "POST /api/v1/scenarios/run", "POST", "/api/v1/scenarios/run", body, "")
		}
	}
	return mine
}

func (g *gen) do(ctx context.Context, token, method, path, body, ifMatch string) (int, []byte, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, g.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	res, err := g.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// timed sends a request and records its latency under route.
func (g *gen) timed(ctx context.Context, kind, route, method, path, body, ifMatch string) (int, []byte) {
	token := ""
	if kind == "write" {
		token = g.c.Token
	}
	start := time.Now()
	status, b, err := g.do(ctx, token, method, path, body, ifMatch)
	d := time.Since(start)
	if err != nil && ctx.Err() != nil {
		return 0, nil // the run ended while this request was in flight
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.stats[route]
	if st == nil {
		st = &RouteStats{Route: route, Kind: kind}
		g.stats[route] = st
	}
	st.Count++
	switch {
	case err != nil:
		st.Errors++
	case status >= 500:
		st.Status5xx++
	case status >= 400:
		st.Status4xx++
	default:
		st.Status2xx++
	}
	st.lat = append(st.lat, d)
	return status, b
}

func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return float64(sorted[i].Microseconds()) / 1000
}

func (g *gen) report(elapsed time.Duration) *Report {
	g.mu.Lock()
	defer g.mu.Unlock()
	rep := &Report{Clients: g.c.Clients, Elapsed: elapsed.Seconds()}
	var readLat []time.Duration
	for _, st := range g.stats {
		sort.Slice(st.lat, func(i, j int) bool { return st.lat[i] < st.lat[j] })
		st.P50ms, st.P95ms, st.P99ms = percentile(st.lat, .50), percentile(st.lat, .95), percentile(st.lat, .99)
		st.MaxMs = percentile(st.lat, 1)
		rep.Requests += st.Count
		rep.Status5xx += st.Status5xx
		rep.Errors += st.Errors
		if st.Kind == "read" {
			readLat = append(readLat, st.lat...)
		}
		rep.Routes = append(rep.Routes, st)
	}
	sort.Slice(readLat, func(i, j int) bool { return readLat[i] < readLat[j] })
	rep.ReadP99ms = percentile(readLat, .99)
	sort.Slice(rep.Routes, func(i, j int) bool { return rep.Routes[i].Route < rep.Routes[j].Route })
	rep.Throughput = float64(rep.Requests) / elapsed.Seconds()
	return rep
}

// Print writes the report as a table.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "%d clients, %.1f s, %d requests, %.0f req/s, %d 5xx, %d transport errors, reads p99 %.1f ms\n\n",
		r.Clients, r.Elapsed, r.Requests, r.Throughput, r.Status5xx, r.Errors, r.ReadP99ms)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "ROUTE\tKIND\tCOUNT\t2xx\t4xx\t5xx\tERR\tp50 ms\tp95 ms\tp99 ms\tmax ms\t")
	for _, s := range r.Routes {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t\n", s.Route, s.Kind, s.Count, s.Status2xx, s.Status4xx, s.Status5xx, s.Errors, s.P50ms, s.P95ms, s.P99ms, s.MaxMs)
	}
	tw.Flush()
}
