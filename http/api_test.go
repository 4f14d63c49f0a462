package http_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"coalition"
	chttp "coalition/http"
	"coalition/internal/check"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

// seededStore returns a store with the reference data.
func seededStore(t testing.TB) *sqlstore.Store {
	t.Helper()
	return sqltest.Seeded(t)
}

func newTestServer(t testing.TB) (*httptest.Server, *sqlstore.Store) {
	t.Helper()
	s := seededStore(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(chttp.ValidateTraffic(t, chttp.NewServer(log, s, chttp.Config{Version: "test"})))
	t.Cleanup(srv.Close)
	return srv, s
}

func get(t *testing.T, url string) (int, http.Header, []byte) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

type problemDoc struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Field  string `json:"field"`
}

func TestRoutesOK(t *testing.T) {
	srv, s := newTestServer(t)
	cow, err := s.FindCoalitionByCode(context.Background(), "COW2025")
	if err != nil {
		t.Fatal(err)
	}
	pl, _, _ := s.FindPledges(context.Background(), coalition.PledgeFilter{Limit: 1})
	en, _, _ := s.FindEngagements(context.Background(), coalition.EngagementFilter{Limit: 1})
	cases := []struct {
		path  string
		check func(t *testing.T, body []byte)
	}{
		{"/healthz", wantJSONKey("status")},
		{"/readyz", wantJSONKey("status")},
		{"/api/v1/categories", wantArrayLen(15)},
		{"/api/v1/countries", wantArrayLen(49)},
		{"/api/v1/countries?group=AUKUS", wantArrayLen(3)},
		{"/api/v1/countries/aus", wantJSONKey("gdp_usd_bn")},
		{"/api/v1/groups", wantArrayLen(5)},
		{"/api/v1/coalitions", wantArrayLen(1)},
		{"/api/v1/coalitions/COW2025", wantJSONKey("members")},
		{"/api/v1/coalitions/" + itoa(cow.ID), wantJSONKey("leads")},
		{"/api/v1/donors", wantArrayLen(42)},
		{"/api/v1/donors?type=military&since=2025-01&until=2025-12&group=COW2025", nonEmptyArray},
		{"/api/v1/pledges?donor=DEU&category=military&status=allocated&from=2025-01&to=2025-06-30&limit=3", wantItems(3)},
		{"/api/v1/pledges/" + itoa(pl[0].ID), wantJSONKey("amount")},
		{"/api/v1/engagements?country=GBR", nonEmptyItems},
		{"/api/v1/engagements/" + itoa(en[0].ID), wantJSONKey("participants")},
		{"/api/v1/openapi.yaml", func(t *testing.T, b []byte) {
			if !strings.Contains(string(b), "openapi:") {
				t.Error("not an OpenAPI document")
			}
		}},
		{"/", func(t *testing.T, b []byte) {
			for _, w := range []string{"United States", "Kiel Institute", "% of GDP"} {
				if !strings.Contains(string(b), w) {
					t.Errorf("overview lacks %q", w)
				}
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			status, h, body := get(t, srv.URL+c.path)
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("security headers missing: %v", h)
			}
			c.check(t, body)
		})
	}
}

func TestDonorsAPIMatchesKielTotals(t *testing.T) {
	srv, _ := newTestServer(t)
	_, _, body := get(t, srv.URL+"/api/v1/donors")
	var rows []struct {
		ISO3     string   `json:"iso3"`
		Total    float64  `json:"total_eur"`
		Military float64  `json:"military_eur"`
		PctGDP   *float64 `json:"pct_gdp"`
		AsOf     string   `json:"as_of"`
		Source   string   `json:"source"`
	}
	if err := json.Unmarshal(body, &rows); err != nil {
		t.Fatal(err)
	}
	// Published per-donor totals of Release 29 (ukraine_support.csv), EUR bn.
	want := map[string]float64{"USA": 115.381, "EUI": 84.425, "DEU": 29.928, "GBR": 21.298, "JPN": 12.148, "AUS": 1.073}
	for _, r := range rows {
		if w, ok := want[r.ISO3]; ok {
			if got := float64(int64(r.Total/1e6+0.5)) / 1e3; got != w {
				t.Errorf("%s total %.3f bn, Kiel %.3f bn", r.ISO3, got, w)
			}
			if r.AsOf == "" || r.Source == "" {
				t.Errorf("%s lacks as_of or source", r.ISO3)
			}
		}
		if r.ISO3 == "EUI" && r.PctGDP != nil {
			t.Error("the EU institutions have no GDP")
		}
	}
}

func TestPledgePagination(t *testing.T) {
	srv, _ := newTestServer(t)
	seen := map[float64]bool{}
	url := srv.URL + "/api/v1/pledges?donor=USA&limit=10"
	pages := 0
	for {
		_, _, body := get(t, url)
		var p struct {
			Items []map[string]any `json:"items"`
			Next  *int64           `json:"next"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		pages++
		for _, it := range p.Items {
			id := it["id"].(float64)
			if seen[id] {
				t.Fatalf("pledge %v on two pages", id)
			}
			seen[id] = true
		}
		if p.Next == nil {
			break
		}
		url = srv.URL + "/api/v1/pledges?donor=USA&limit=10&after=" + itoa(*p.Next)
	}
	if pages < 3 || len(seen) < 25 {
		t.Fatalf("%d pages, %d pledges", pages, len(seen))
	}
}

func TestProblems(t *testing.T) {
	srv, _ := newTestServer(t)
	cases := []struct {
		path   string
		status int
		field  string
	}{
		{"/api/v1/countries/ZZZ", 404, ""},
		{"/api/v1/countries/12", 400, "iso3"},
		{"/api/v1/countries?group=NOPE", 400, "group"},
		{"/api/v1/coalitions/999999", 404, ""},
		{"/api/v1/coalitions/NOPE", 404, ""},
		{"/api/v1/pledges/999999999", 404, ""},
		{"/api/v1/pledges/abc", 400, "id"},
		{"/api/v1/pledges?limit=5000", 400, "limit"},
		{"/api/v1/pledges?limit=0", 400, "limit"},
		{"/api/v1/pledges?after=-1", 400, "after"},
		{"/api/v1/pledges?donor=Germany", 400, "donor"},
		{"/api/v1/pledges?category=spaceships", 400, "category"},
		{"/api/v1/pledges?status=maybe", 400, "status"},
		{"/api/v1/pledges?from=2025-13-45", 400, "from"},
		{"/api/v1/pledges?to=yesterday", 400, "to"},
		{"/api/v1/donors?type=snacks", 400, "type"},
		{"/api/v1/donors?since=2025-13", 400, "since"},
		{"/api/v1/donors?since=2025-06&until=2025-01", 400, "until"},
		{"/api/v1/donors?group=NOPE", 400, "group"},
		{"/api/v1/engagements?kind=party", 400, "kind"},
		{"/api/v1/engagements/0", 400, "id"},
		{"/api/v1/engagements/424242", 404, ""},
		{"/api/v1/nothing-here", 404, ""},
	}
	for _, c := range cases {
		status, h, body := get(t, srv.URL+c.path)
		if status != c.status {
			t.Errorf("%s: status %d, want %d (%s)", c.path, status, c.status, body)
			continue
		}
		if ct := h.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("%s: content type %q", c.path, ct)
		}
		var p problemDoc
		if err := json.Unmarshal(body, &p); err != nil {
			t.Errorf("%s: not a problem document: %s", c.path, body)
		}
		check.Facts(t,
			check.Eq(c.path+": problem status", p.Status, c.status),
			check.Holds(c.path+": problem type", p.Type != "", p.Type, "a type"),
			check.Holds(c.path+": problem title", p.Title != "", p.Title, "a title"),
			check.Holds(c.path+": problem detail", p.Detail != "", p.Detail, "a detail"),
		)
		if p.Field != c.field {
			t.Errorf("%s: field %q, want %q (%s)", c.path, p.Field, c.field, p.Detail)
		}
	}
}

func TestOverviewBadFilterIs400(t *testing.T) {
	srv, _ := newTestServer(t)
	req, _ := http.NewRequest("GET", srv.URL+"/?since=2025-99", nil)
	req.Header.Set("Accept", "text/html")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 400 {
		t.Fatalf("status %d, want 400", res.StatusCode)
	}
}

func itoa(v int64) string { return strings.TrimSpace(jsonNumber(v)) }

func jsonNumber(v int64) string { b, _ := json.Marshal(v); return string(b) }

func wantJSONKey(key string) func(*testing.T, []byte) {
	return func(t *testing.T, b []byte) {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("not a JSON object: %v", err)
		}
		if _, ok := m[key]; !ok {
			t.Errorf("no key %q in %s", key, b[:min(200, len(b))])
		}
	}
}

func wantArrayLen(n int) func(*testing.T, []byte) {
	return func(t *testing.T, b []byte) {
		var a []any
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatalf("not a JSON array: %v", err)
		}
		if len(a) != n {
			t.Errorf("%d items, want %d", len(a), n)
		}
	}
}

func nonEmptyArray(t *testing.T, b []byte) {
	var a []any
	if err := json.Unmarshal(b, &a); err != nil || len(a) == 0 {
		t.Errorf("want a non-empty array: %v", err)
	}
}

func wantItems(n int) func(*testing.T, []byte) {
	return func(t *testing.T, b []byte) {
		var p struct {
			Items []any  `json:"items"`
			Next  *int64 `json:"next"`
		}
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != n || p.Next == nil {
			t.Errorf("%d items (next %v), want %d and a next cursor", len(p.Items), p.Next, n)
		}
	}
}

func nonEmptyItems(t *testing.T, b []byte) {
	var p struct {
		Items []any `json:"items"`
	}
	if err := json.Unmarshal(b, &p); err != nil || len(p.Items) == 0 {
		t.Errorf("want items: %v", err)
	}
}
