package http_test

import (
	"bytes"
	"coalition/internal/check"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"

	"coalition"
)

func anPost(t *testing.T, url, body string) (int, http.Header, []byte) {
	t.Helper()
	return anPostAs(t, url, body, "")
}

// anPostAs posts with an API token ("" = anonymous).
func anPostAs(t *testing.T, url, body, token string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, b
}

// anProblem checks a problem document: its status, type and field.
func anProblem(t *testing.T, status int, h http.Header, b []byte, wantStatus int, wantField string) {
	t.Helper()
	var p struct {
		Type   string `json:"type"`
		Status int    `json:"status"`
		Field  string `json:"field"`
		Detail string `json:"detail"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("not a problem document: %v\n%s", err, b)
	}
	if !check.Facts(t,
		check.Eq("status", status, wantStatus),
		check.Eq("problem status", p.Status, wantStatus),
		check.Eq("Content-Type", h.Get("Content-Type"), "application/problem+json"),
		check.Eq("problem field", p.Field, wantField),
		check.Holds("problem detail", p.Detail != "", p.Detail, "a detail"),
	) {
		t.FailNow()
	}
}

func TestAnalysisEndpoints(t *testing.T) {
	srv, s := newTestServer(t)
	// Targets: the default group is NATO; each gap is max(0, 3.5 − current).
	code, _, b := get(t, srv.URL+"/api/v1/targets")
	var targets struct {
		Group string `json:"group"`
		Rows  []struct {
			ISO3       string  `json:"iso3"`
			CurrentPct float64 `json:"current_pct"`
			Gap35Pts   float64 `json:"gap_3_5_pts"`
		} `json:"rows"`
		Sources []struct{ Figure, Source string } `json:"sources"`
	}
	if err := json.Unmarshal(b, &targets); err != nil {
		t.Fatalf("targets: %d %v %s", code, err, b[:min(len(b), 300)])
	}
	if !check.Facts(t,
		check.Eq("status", code, 200),
		check.Eq("group", targets.Group, "NATO"),
		check.AtLeast("rows", len(targets.Rows), 30),
		check.AtLeast("sources", len(targets.Sources), 1),
	) {
		t.FailNow()
	}
	for _, r := range targets.Rows {
		if want := math.Max(0, 3.5-r.CurrentPct); math.Abs(r.Gap35Pts-want) > 1e-12 {
			t.Errorf("%s gap %.3f, want %.3f", r.ISO3, r.Gap35Pts, want)
		}
	}
	// Prospects: nobody already in COW2025 is a prospect.
	code, _, b = get(t, srv.URL+"/api/v1/prospects?coalition=COW2025&gap_eur=40e9")
	var pr struct {
		GapEUR    float64                   `json:"gap_eur"`
		Members   []string                  `json:"members"`
		Prospects []struct{ ISO3 string }   `json:"prospects"`
		Sources   []struct{ Figure string } `json:"sources"`
	}
	if err := json.Unmarshal(b, &pr); err != nil {
		t.Fatalf("prospects: %d %v", code, err)
	}
	if !check.Facts(t,
		check.Eq("status", code, 200),
		check.Eq("gap_eur", pr.GapEUR, 40e9),
		check.AtLeast("prospects", len(pr.Prospects), 1),
	) {
		t.FailNow()
	}
	for _, p := range pr.Prospects {
		for _, m := range pr.Members {
			if p.ISO3 == m {
				t.Errorf("member %s listed as a prospect", m)
			}
		}
	}
	// Coverage over 2025 on the historical model: required = 12 × the monthly need.
	code, _, b = get(t, srv.URL+"/api/v1/coverage?coalition=COW2025&from=2025-01&to=2025-12&need=historical")
	var cov struct {
		RequirementMonthly map[string]float64 `json:"requirement_monthly"`
		Result             struct {
			Total struct{ Required float64 } `json:"total"`
		} `json:"result"`
	}
	if err := json.Unmarshal(b, &cov); err != nil || code != 200 {
		t.Fatalf("coverage: %d %v", code, err)
	}
	var monthly float64
	for _, v := range cov.RequirementMonthly {
		monthly += v
	}
	if math.Abs(cov.Result.Total.Required-12*monthly) > 1e-6*monthly || monthly == 0 {
		t.Errorf("coverage required %.0f, want 12 × %.0f", cov.Result.Total.Required, monthly)
	}
	// need is checked like counts.
	if code, _, _ := get(t, srv.URL+"/api/v1/coverage?need=assessed"); code != 400 {
		t.Errorf("need=assessed: %d, want 400", code)
	}
	// Without stored requirements (the bundled needs deleted), a scenario's
	// need is replace-us's: the historical model.
	sys := coalition.WithUser(context.Background(), coalition.System)
	rs, _, err := s.FindRequirements(sys, coalition.RequirementFilter{Limit: coalition.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if err := s.DeleteRequirement(sys, r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
	}
	// Built-in: the US loses 11 months of its 2022–2024 average.
	code, _, b = get(t, srv.URL+"/api/v1/scenarios/builtin/replace-us")
	var bi struct {
		Scenario struct {
			Covered float64 `json:"covered"`
			Lost    []struct {
				ISO3   string  `json:"iso3"`
				Amount float64 `json:"amount"`
			} `json:"lost"`
		} `json:"scenario"`
	}
	if err := json.Unmarshal(b, &bi); err != nil || code != 200 || len(bi.Scenario.Lost) != 1 {
		t.Fatalf("builtin: %d %v", code, err)
	}
	sup, err := s.MonthlySupport(context.Background(), coalition.DonorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var us float64
	for _, d := range sup {
		if d.ISO3 == "USA" && d.Month.Year() >= 2022 && d.Month.Year() <= 2024 {
			us += d.EUR / 36
		}
	}
	if math.Abs(bi.Scenario.Lost[0].Amount-11*us) > 1e-6*us {
		t.Errorf("US loss %.0f, want 11 × %.0f", bi.Scenario.Lost[0].Amount, us)
	}
	// The same scenario as an unsaved spec gives the same coverage.
	spec := `{"withdrawals":[{"countries":["USA"],"from":"2025-02"}],"group":"COW2025","cap_pct_gdp":0.5}`
	code, _, b = anPost(t, srv.URL+"/api/v1/scenarios/run", spec)
	var run struct {
		Result struct{ Covered float64 } `json:"result"`
	}
	if err := json.Unmarshal(b, &run); err != nil || code != 200 || math.Abs(run.Result.Covered-bi.Scenario.Covered) > 1e-6 {
		t.Fatalf("run: %d %v covered %.0f, builtin %.0f", code, err, run.Result.Covered, bi.Scenario.Covered)
	}
}

func TestSavedScenarios(t *testing.T) {
	srv, s := newTestServer(t)
	body := `{"name":"US out","spec":{"withdrawals":[{"countries":["USA"],"from":"2025-02"}],"cap_pct_gdp":0.5}}`
	if code, _, _ := anPost(t, srv.URL+"/api/v1/scenarios", body); code != http.StatusUnauthorized {
		t.Fatalf("anonymous save: %d, want 401", code)
	}
	code, h, b := anPostAs(t, srv.URL+"/api/v1/scenarios", body, adminToken(t, s))
	var saved struct {
		ID         int64           `json:"id"`
		Name       string          `json:"name"`
		Visibility string          `json:"visibility"`
		Spec       json.RawMessage `json:"spec"`
		Result     json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(b, &saved); err != nil {
		t.Fatalf("save: %d %v %s", code, err, b)
	}
	if !check.Facts(t,
		check.Eq("status", code, 201),
		check.Holds("id", saved.ID != 0, saved.ID, "an id"),
		check.Eq("visibility", saved.Visibility, "public"),
	) {
		t.FailNow()
	}
	if h.Get("Location") != "/api/v1/scenarios/"+itoa(saved.ID) {
		t.Errorf("Location %q", h.Get("Location"))
	}
	// The saved result is what running the saved spec gives now.
	code, _, again := anPost(t, srv.URL+"/api/v1/scenarios/run", string(saved.Spec))
	var a, r struct {
		Result struct{ Covered, Unfilled float64 } `json:"result"`
	}
	json.Unmarshal(again, &a)
	json.Unmarshal(saved.Result, &r)
	if code != 200 || a.Result != r.Result || r.Result.Covered == 0 {
		t.Fatalf("re-run of the saved spec: %d %+v, saved %+v", code, a.Result, r.Result)
	}
	code, _, b = get(t, srv.URL+"/api/v1/scenarios/"+itoa(saved.ID))
	if code != 200 || !bytes.Contains(b, []byte(`"US out"`)) {
		t.Fatalf("get: %d %s", code, b)
	}
	code, _, b = get(t, srv.URL+"/api/v1/scenarios?coalition=COW2025")
	var page struct {
		Items []struct{ ID int64 } `json:"items"`
	}
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatalf("list: %d %s", code, b)
	}
	if !check.Facts(t, check.Eq("status", code, 200), check.Eq("items", len(page.Items), 1)) {
		t.FailNow()
	}
	if got := page.Items[0].ID; got != saved.ID {
		t.Fatalf("listed scenario %d, want %d", got, saved.ID)
	}
	// A confidential scenario saved by the system is hidden from the
	// anonymous API caller: 404 on get, absent from the list.
	hidden := &coalition.Scenario{Name: "secret", Spec: json.RawMessage(`{}`), Visibility: coalition.Confidential, Owner: "GBR"}
	if err := s.CreateScenario(coalition.WithUser(context.Background(), coalition.System), hidden); err != nil {
		t.Fatal(err)
	}
	code, h, b = get(t, srv.URL+"/api/v1/scenarios/"+itoa(hidden.ID))
	anProblem(t, code, h, b, 404, "")
	code, _, b = get(t, srv.URL+"/api/v1/scenarios")
	if err := json.Unmarshal(b, &page); err != nil || code != 200 || len(page.Items) != 1 {
		t.Fatalf("list shows %d items, want 1 (the public one)", len(page.Items))
	}
}

func TestAnalysisProblems(t *testing.T) {
	srv, s := newTestServer(t)
	token := adminToken(t, s)
	cases := []struct {
		method, path, body string
		status             int
		field              string
	}{
		{"GET", "/api/v1/targets?group=NOPE", "", 400, "group"},
		{"GET", "/api/v1/prospects?gap_eur=lots", "", 400, "gap_eur"},
		{"GET", "/api/v1/prospects?gap_eur=-1", "", 400, "gap_eur"},
		{"GET", "/api/v1/prospects?w_support=-1", "", 400, "w_support"},
		{"GET", "/api/v1/prospects?coalition=NOPE", "", 400, "coalition"},
		{"GET", "/api/v1/coverage?from=2025-13", "", 400, "from"},
		{"GET", "/api/v1/coverage?from=2025-06&to=2025-01", "", 400, "to"},
		{"GET", "/api/v1/coverage?coalition=NOPE", "", 400, "coalition"},
		{"GET", "/api/v1/scenarios/builtin/replace-eu", "", 404, ""},
		{"GET", "/api/v1/scenarios/999999", "", 404, ""},
		{"GET", "/api/v1/scenarios/abc", "", 400, "id"},
		{"GET", "/api/v1/scenarios?limit=0", "", 400, "limit"},
		{"GET", "/api/v1/scenarios?coalition=NOPE", "", 400, "coalition"},
		{"POST", "/api/v1/scenarios/run", `{"withdrawals":[{"countries":["XYZ"],"from":"2025-02"}]}`, 400, "withdrawals[0].countries[0]"},
		{"POST", "/api/v1/scenarios/run", `{"withdrawals":[{"countries":["USA"],"from":"2025-02","fraction":3}]}`, 400, "withdrawals[0].fraction"},
		{"POST", "/api/v1/scenarios/run", `{"withdrawals":[{"countries":["USA"],"from":"2025-02"}],"key":"gni"}`, 400, "key"},
		{"POST", "/api/v1/scenarios/run", `{"withdrawals":[{"countries":["USA"],"from":"2025-02"}],"group":"NOPE"}`, 400, "group"},
		{"POST", "/api/v1/scenarios/run", `{"withdrawls":[]}`, 400, ""},
		{"POST", "/api/v1/scenarios/run", `not json`, 400, ""},
		{"POST", "/api/v1/scenarios", `{"spec":{"withdrawals":[{"countries":["USA"],"from":"2025-02"}]}}`, 400, "name"},
		{"POST", "/api/v1/scenarios", `{"name":"x"}`, 400, "spec"},
		{"POST", "/api/v1/scenarios", `{"name":"x","spec":{"withdrawals":[{"countries":["USA"],"from":"2025-02"}]},"visibility":"confidential"}`, 400, "visibility"},
		{"POST", "/api/v1/scenarios", `{"name":"x","spec":{"withdrawals":[{"countries":["USA"],"from":"2025-02"}],"key":"gni"}}`, 400, "key"},
		{"POST", "/api/v1/scenarios/run", `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, 413, ""}, // over the route's body limit
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			var code int
			var h http.Header
			var b []byte
			if c.method == "GET" {
				code, h, b = get(t, srv.URL+c.path)
			} else {
				code, h, b = anPostAs(t, srv.URL+c.path, c.body, token)
			}
			anProblem(t, code, h, b, c.status, c.field)
		})
	}
}
