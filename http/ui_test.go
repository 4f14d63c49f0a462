package http

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"coalition"
	"coalition/refdata"
	"coalition/seed"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

// uiStore returns a SQLite store with the bundled reference data, as
// cmd/coalition's seed loads it (seed.Dataset: refdata, the Kiel monthly
// file through importer.KielCSV, the elections calendar), plus realistic extras the reference data lacks:
// requirements for the coalition, members at every pipeline step, and an
// engagement with named people. The data is loaded once into a template
// file and copied per test (sqltest.Template).
func uiStore(t testing.TB) *sqlstore.Store {
	t.Helper()
	return sqltest.Template(t, "ui", seedUI)
}

func seedUI(ctx context.Context, s *sqlstore.Store) error {
	// What `coalition seed` loads: the reference tables, the Kiel monthly
	// file through the kiel-csv importer and the elections calendar as risk events.
	ds, err := seed.Dataset()
	if err != nil {
		return err
	}
	if _, err := s.Load(ctx, ds, false); err != nil {
		return err
	}
	rep := coalition.LoadReport{Created: map[string]int{}, Updated: map[string]int{}, Unchanged: map[string]int{}}
	if err := seed.LoadWeapons(ctx, s, &rep); err != nil {
		return err
	}
	if err := seed.LoadForce(ctx, s, false, &rep); err != nil {
		return err
	}
	return addUIExtras(ctx, s)
}

// addUIExtras adds what the reference data does not hold yet.
func addUIExtras(ctx context.Context, s *sqlstore.Store) error {
	c, err := s.FindCoalitionByCode(ctx, "COW2025")
	if err != nil {
		return err
	}
	members := append([]coalition.Membership(nil), c.Members...)
	for _, m := range []coalition.Membership{
		{ISO3: "KOR", Status: coalition.Considering, Since: coalition.Date{Y: 2025, M: 10, D: 1}, Note: "test"},
		{ISO3: "BRA", Status: coalition.Prospect, Note: "test"},
		{ISO3: "IND", Status: coalition.Prospect, Note: "test"},
		{ISO3: "SAU", Status: coalition.Invited, Since: coalition.Date{Y: 2025, M: 11, D: 3}, Note: "test"},
	} {
		if !hasMember(members, m.ISO3) {
			members = append(members, m)
		}
	}
	if _, err := s.UpdateCoalition(ctx, c.ID, coalition.CoalitionUpdate{Version: c.Version, Members: &members}); err != nil {
		return err
	}
	for _, r := range []coalition.Requirement{
		// military: €3 bn a month through 2025; the Kiel monthly figures of joined members are the supply.
		{Category: "military", AmountEUR: 3e9 * 100, From: coalition.MonthOf(2025, 1), To: coalition.MonthOf(2025, 12), Priority: 1},
		// air defence: nobody pledges in this category in the bundled data, so 0% covered.
		{Category: "air-defence", AmountEUR: 5e8 * 100, From: coalition.MonthOf(2025, 1), To: coalition.MonthOf(2025, 12), Priority: 1},
		{Category: "financial", AmountEUR: 4e9 * 100, From: coalition.MonthOf(2025, 1), To: coalition.MonthOf(2025, 12), Priority: 2},
	} {
		r.CoalitionID, r.Recipient, r.Visibility, r.Source = &c.ID, "UKR", coalition.Public, "test: hand-made requirement"
		if err := s.CreateRequirement(ctx, &r); err != nil {
			return err
		}
	}
	// A second coalition without stored requirements: its need is the
	// 2022–2024 baseline, as for a freshly seeded database, and its members
	// have elections in the default risk horizon (2026-05..2029-04).
	nb := &coalition.Coalition{Code: "NB8", Name: "Nordic-Baltic support group (test)", Purpose: "test: hand-made coalition without requirements",
		Recipient: "UKR", Leads: []string{"NOR", "SWE"}, Source: "test: hand-made coalition"}
	for _, iso := range []string{"DNK", "EST", "FIN", "ISL", "LTU", "LVA", "NOR", "SWE"} {
		nb.Members = append(nb.Members, coalition.Membership{ISO3: iso, Status: coalition.Joined, Since: coalition.Date{Y: 2025, M: 1, D: 1}})
	}
	if err := s.CreateCoalition(ctx, nb); err != nil {
		return err
	}
	return s.CreateEngagement(ctx, &coalition.Engagement{
		Date: coalition.Date{Y: 2025, M: 3, D: 4}, Kind: "call",
		Title:   "Australian Prime Minister calls the US President about a new coalition, AUKUS and NATO",
		Summary: "A call about the coalition of the willing, AUKUS and NATO <script>alert(1)</script>",
		Participants: []coalition.Participant{
			{Name: "Anthony Albanese", Role: "Prime Minister", ISO3: "AUS"},
			{Name: "Donald Trump", Role: "President", ISO3: "USA"},
		},
		Topics: []string{"aukus", "nato", "coalition"}, Visibility: coalition.Public,
		Source: "https://example.org/call ; test", SourceRef: "ui-test-1",
	})
}

func hasMember(ms []coalition.Membership, iso string) bool {
	for _, m := range ms {
		if m.ISO3 == iso {
			return true
		}
	}
	return false
}

func newUIServer(t testing.TB) (http.Handler, *sqlstore.Store) {
	t.Helper()
	st := uiStore(t)
	return NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), st, Config{Version: "test"}), st
}

func get(t testing.TB, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Accept", "text/html")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// pageCases are every page with what it must contain.
var pageCases = []struct {
	path   string
	status int
	want   []string // substrings of the body
}{
	{"/", 200, []string{`id="support-monthly"`, `id="support-top"`, `id="support-map"`, `id="support-map-data"`, "United States", "combined GDP", "Download CSV", "Data as of 2026-04-30"}},
	{"/?type=military", 200, []string{"Military", `href="/csv/support-monthly?type=military"`}},
	{"/donors", 200, []string{`id="donor-table"`, "Germany", "% of GDP", "Per person", `href="/donors.csv"`, `aria-sort="descending"`}},
	{"/donors?type=humanitarian&group=NATO&since=2023-01&until=2024-12&sort=name", 200, []string{`aria-sort="ascending"`, `/donors.csv?group=NATO&amp;since=2023-01&amp;sort=name&amp;type=humanitarian&amp;until=2024-12`}},
	{"/donors?sort=bogus", 400, []string{"sort", "bogus"}},
	{"/donors?until=2020-01&since=2021-01", 400, []string{"until"}},
	{"/countries/DEU", 200, []string{"Germany", `id="country-monthly"`, `id="country-weapons"`, "Leopard", "NATO", "Coalition of the willing", `id="nato-target"`, `id="risk-events"`, `id="fair-share"`,
		`id="target-table"`, "3.5% core defence by 2035", `id="country-risk-events"`, "Federal election (Bundestag)", "User assumption", `id="country-fair-share"`, `href="/scenarios?builtin=nato-40bn"`}},
	{"/countries/aus", 200, []string{"Australia", "Anthony Albanese", "&lt;script&gt;alert(1)&lt;/script&gt;", "M1A1 Abrams", "is not a NATO member", `id="country-fair-share"`,
		`id="equipment-systems-table"`, `href="/equipment?donor=AUS"`, `href="/equipment?system=M1A1&#43;Abrams"`}},
	{"/countries/RUS", 200, []string{"Russia", "No support from Russia is recorded", "lists no deliveries by Russia", "No equipment of Russia is recorded"}},
	{"/countries/UKR", 200, []string{`id="procurement-table"`, "PURL", "procurement_trends.csv", "<td>2025</td>"}},
	{"/countries/XYZ", 404, []string{"XYZ"}},
	{"/pledges/1", 200, []string{`id="pledge-history"`, "implied by the record", "current stage", "/api/v1/pledges/1/history"}},
	{"/pledges/999999", 404, []string{"not found"}},
	{"/countries/1234", 400, []string{"iso3"}},
	{"/coalitions", 200, []string{"Coalition of the willing (2025)", `href="/coalitions/1"`}},
	{"/coalitions/1", 200, []string{"Prospect", "Invited", "Considering", "Joined", "Saudi Arabia", "South Korea", "United Kingdom", `id="coalition-coverage"`, "Air defence", `id="coalition-gap"`, `id="coalition-gap-data"`, `href="/csv/coalition-gap?id=1"`}},
	{"/coalitions/COW2025", 200, []string{"Members by status", `href="/force?coalition=COW2025"`}},
	{"/force?coalition=COW2025", 200, []string{`id="force-lines"`, `id="force-offers-table"`, "multinational force headquarters", "France", "only with a US backstop", `href="/csv/force-lines?coalition=COW2025"`}},
	{"/force?coalition=COW2025&without-condition=us-backstop", 200, []string{`id="force-scenario"`, "lapsed"}},
	{"/force?coalition=COW2025&without-condition=luck", 400, []string{"without-condition"}},
	{"/coalitions/999", 404, []string{"not found"}},
	{"/engagements", 200, []string{`id="engagement-timeline"`, "Anthony Albanese", "summit", `hx-get="/engagements"`}},
	{"/engagements?country=AUS&topic=aukus", 200, []string{"1 engagements", "Anthony Albanese"}},
	{"/engagements?country=AUS&topic=no-such-topic", 200, []string{"No engagement matches these filters"}},
	{"/engagements?kind=tweet", 400, []string{"kind"}},
	// The header: anonymous readers get a sign-in link.
	{"/targets", 200, []string{`href="/login"`, "Sign in", `id="targets"`, `id="targets-data"`, `id="targets-table"`, "3.5% core", "SIPRI", "Poland", `href="/csv/targets?group=NATO"`, "Data as of"}},
	{"/targets?group=eu", 200, []string{"Alliance targets: EU", `<option value="EU" selected>`}},
	{"/targets?group=NOPE", 400, []string{"group", "NOPE"}},
	{"/equipment", 200, []string{`id="equipment-categories"`, `id="equipment-categories-table"`, `id="equipment-systems-table"`, `id="equipment-donors-table"`,
		`href="/csv/equipment-categories"`, `href="/csv/equipment-donors"`, "IRIS-T SLM", "Leopard 2A6", "Data as of"}},
	{"/equipment?donor=deu&category=air-defence", 200, []string{`<option value="air-defence" selected>`, "IRIS-T SLM", `value="DEU"`}},
	{"/equipment?category=tanks", 400, []string{"category", "tanks"}},
	{"/scenarios", 200, []string{`id="scenario-form"`, `<option value="USA" selected>United States</option>`, `href="/scenarios?builtin=replace-us"`, `href="/scenarios?builtin=nato-40bn"`, "Run the scenario", "press “Run the scenario”"}},
	{"/scenarios?withdraw=USA&from=2025-02&fraction=1&key=gdp&group=COW2025&cap=0.5&run=1", 200, []string{
		"United States withdraws entirely from 2025-02", `id="scenario-gap"`, `id="scenario-plan"`, `id="scenario-plan-data"`, `id="scenario-plan-table"`,
		"Germany", "new gap", "unfilled", `<option value="COW2025" selected>`, `href="/csv/scenario-plan?cap=0.5&amp;coalition=COW2025&amp;fraction=1&amp;from=2025-02&amp;group=COW2025&amp;key=gdp&amp;run=1&amp;withdraw=USA"`, "Data as of", "ECB"}},
	{"/scenarios?withdraw=USA&withdraw=GBR&from=2025-07&fraction=0.5&categories=military&key=population&cap=", 200, []string{
		"United States, United Kingdom withdraw 50% of their support in military from 2025-07", "by population", "without a cap", `<option value="GBR" selected>`}},
	{"/scenarios?builtin=replace-us", 200, []string{"Built-in scenario: replace-us", `id="scenario-gap"`, `id="scenario-plan"`, "Japan", `href="/csv/scenario-plan?builtin=replace-us"`}},
	{"/scenarios?builtin=nato-40bn", 200, []string{"Built-in scenario: nato-40bn", `id="scenario-plan"`, "Washington Summit"}},
	{"/scenarios?builtin=nope", 400, []string{"builtin", "nope"}},
	{"/scenarios?run=1", 400, []string{"Choose at least one country"}},
	{"/scenarios?withdraw=XYZ", 400, []string{"withdrawals[0].countries[0]", "XYZ"}},
	{"/scenarios?withdraw=USA&fraction=2", 400, []string{"fraction"}},
	{"/scenarios?withdraw=USA&coalition=NOPE", 400, []string{"coalition", "NOPE"}},
	{"/scenarios?withdraw=USA&coalition=NB8&group=NB8&cap=0.25", 200, []string{"United States withdraws entirely", "average", "capped at 0.25% of its GDP", "Finland"}},
	{"/risk?coalition=NB8&horizon=24&trials=2000&seed=7", 200, []string{`id="risk-fan"`, `id="risk-fan-data"`, `id="risk-members"`, `id="risk-members-data"`, "2000</span><span>trials, seed 7",
		`id="risk-events-table"`, "Riksdag", "user assumptions", `href="/csv/risk-fan?coalition=NB8&amp;horizon=24&amp;seed=7&amp;trials=2000"`, "probability of a shortfall above", "Sweden"}},
	// COW2025's stored requirements end in 2025; in the default horizon every
	// type takes the historical model (before, nothing was required).
	{"/risk", 200, []string{`id="risk-fan"`, "trials, seed 1", `<option value="COW2025" selected>`, "historical model"}},
	{"/risk?start=2024-01&horizon=12", 200, []string{`id="risk-fan"`, "No risk event of these members falls in the horizon"}},
	// 2025 has no election of a member, but Belgium's coalition risk (from
	// 2025-02-03) and Canada's confidence votes (from 2025-11-17) are seeded.
	{"/risk?start=2025-01&horizon=12", 200, []string{`id="risk-fan"`, "Five-party De Wever coalition falls", "Minority government defeated on a confidence vote"}},
	{"/risk?trials=1000000", 400, []string{"trials"}},
	{"/risk?coalition=NOPE", 400, []string{"NOPE"}},
}

// TestPages renders every template with the reference data and checks the
// status and the content each page must show.
func TestPages(t *testing.T) {
	h, _ := newUIServer(t)
	for _, tc := range pageCases {
		t.Run(tc.path, func(t *testing.T) {
			w := get(t, h, tc.path)
			body := w.Body.String()
			if w.Code != tc.status {
				t.Fatalf("status = %d, want %d; body:\n%.2000s", w.Code, tc.status, body)
			}
			if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q, want text/html", ct)
			}
			for _, s := range tc.want {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %q", s)
				}
			}
			if strings.Contains(body, "<script>alert") {
				t.Errorf("body carries an unescaped script from the data")
			}
			if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP = %q", csp)
			}
		})
	}
}

// TestEveryTemplateRendered makes sure pageCases reach every page template.
func TestEveryTemplateRendered(t *testing.T) {
	names, err := fs.Glob(embedded, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	rendered := map[string]bool{"layout.html": true} // only defines blocks
	// The sign-in, account, users and audit pages are rendered by TestAuthPagesRender;
	// the review page by TestReviewPage; the requirement and delivery forms by TestRequirementForms, TestDeliveryForms, TestRiskEventForms and TestEngagementForms.
	for _, n := range []string{"login.html", "account.html", "users.html", "audit.html", "review.html", "requirement.html", "delivery.html", "risk-event.html", "engagement.html"} {
		rendered[n] = true
	}
	h, _ := newUIServer(t)
	for _, tc := range pageCases {
		body := get(t, h, tc.path).Body.String()
		switch {
		case strings.Contains(body, `id="support-monthly"`):
			rendered["overview.html"] = true
		case strings.Contains(body, `id="donor-results"`):
			rendered["donors.html"] = true
		case strings.Contains(body, `id="pledge-history"`):
			rendered["pledge.html"] = true
		case strings.Contains(body, `id="fair-share"`):
			rendered["country.html"] = true
		case strings.Contains(body, `Members by status`):
			rendered["coalition.html"] = true
		case strings.Contains(body, `<ul class="cards">`):
			rendered["coalitions.html"] = true
		case strings.Contains(body, `id="engagement-results"`):
			rendered["engagements.html"] = true
		case strings.Contains(body, `id="scenario-form"`):
			rendered["scenarios.html"] = true
		case strings.Contains(body, `id="risk-fan"`):
			rendered["risk.html"] = true
		case strings.Contains(body, `id="targets-figure"`):
			rendered["targets.html"] = true
		case strings.Contains(body, `id="equipment-categories"`):
			rendered["equipment.html"] = true
		case strings.Contains(body, `id="force-offers"`):
			rendered["force.html"] = true
		case tc.status >= 400:
			rendered["error.html"] = true
		}
	}
	for _, n := range names {
		if !rendered[filepath.Base(n)] {
			t.Errorf("no test case renders %s", n)
		}
	}
}

// TestEmptyStore renders every page on an empty database: the empty states say what to do.
func TestEmptyStore(t *testing.T) {
	st := sqltest.Open(t)
	h := NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), st, Config{})
	for _, tc := range []struct {
		path string
		want string
	}{
		{"/", "coalition seed"},
		{"/donors", "No donor matches"},
		{"/coalitions", "No coalition is recorded yet"},
		{"/engagements", "No engagement matches"},
		{"/scenarios", "press “Run the scenario”"},
		{"/targets", "No group NATO is recorded yet"},
		{"/equipment", "No equipment matches"},
		{"/risk", "No coalition is recorded yet"},
	} {
		w := get(t, h, tc.path)
		if w.Code != 200 || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("GET %s: status %d, want 200 and %q in:\n%.1500s", tc.path, w.Code, tc.want, w.Body.String())
		}
	}
}

// TestChartData checks that each chart's JSON block parses and that the
// table behind it holds the same numbers as the chart.
func TestChartData(t *testing.T) {
	h, st := newUIServer(t)
	ctx := context.Background()
	totals, err := st.DonorTotals(ctx, coalition.DonorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var want float64 // all support, from the store
	for _, d := range totals {
		want += d.TotalEUR
	}
	body := get(t, h, "/").Body.String()
	var monthly stackData
	jsonBlock(t, body, "support-monthly-data", &monthly)
	var got float64 // all support, from the chart's series
	for _, s := range monthly.Series {
		if len(s.Values) != len(monthly.X) {
			t.Errorf("series %s has %d values for %d months", s.Name, len(s.Values), len(monthly.X))
		}
		for _, v := range s.Values {
			got += v
		}
	}
	if !near(got, want) {
		t.Errorf("monthly chart sums to %.0f, DonorTotals to %.0f", got, want)
	}
	var top stackData
	jsonBlock(t, body, "support-top-data", &top)
	if len(top.Series) != topN+1 || top.Series[0].Name != totals[0].Name {
		t.Errorf("top series = %d, first %q; want %d, first %q", len(top.Series), top.Series[0].Name, topN+1, totals[0].Name)
	}
	got = 0
	for _, s := range top.Series {
		for _, v := range s.Values {
			got += v
		}
	}
	if !near(got, want) {
		t.Errorf("top donors chart sums to %.0f (top + others), want %.0f", got, want)
	}
	var m mapData
	jsonBlock(t, body, "support-map-data", &m)
	for _, it := range m.Items {
		if isoNumeric[it.ISO3] != it.ID {
			t.Errorf("map item %s has id %s, want %s", it.ISO3, it.ID, isoNumeric[it.ISO3])
		}
	}
	if len(m.Items) < 30 {
		t.Errorf("map has %d countries, want the ~40 donors with a GDP", len(m.Items))
	}
}

func near(a, b float64) bool { d := a - b; return d < 1 && d > -1 }

// jsonBlock decodes <script type="application/json" id="ID">…</script>.
func jsonBlock(t *testing.T, body, id string, v any) {
	t.Helper()
	start := strings.Index(body, `<script type="application/json" id="`+id+`">`)
	if start < 0 {
		t.Fatalf("no JSON block %s", id)
	}
	rest := body[start:]
	rest = rest[strings.Index(rest, ">")+1:]
	end := strings.Index(rest, "</script>")
	if err := json.Unmarshal([]byte(rest[:end]), v); err != nil {
		t.Fatalf("JSON block %s: %v\n%.300s", id, err, rest[:end])
	}
}

// TestCSV checks that each download is the table the page shows.
func TestCSV(t *testing.T) {
	h, st := newUIServer(t)
	ctx := context.Background()
	for _, tc := range []struct {
		path   string
		header string
		rows   func() int // the rows the page shows, counted independently
	}{
		{"/donors.csv?type=military&group=NATO", "rank,donor,iso3,military_eur,total_eur,pct_gdp,per_capita_eur", func() int {
			ts, _ := st.DonorTotals(ctx, coalition.DonorFilter{Type: coalition.Military, Group: "NATO"})
			return len(ts)
		}},
		{"/donors.csv?top=15", "rank,donor,iso3,military_eur,financial_eur,humanitarian_eur,total_eur,pct_gdp,per_capita_eur", func() int { return 15 }},
		// 2022-01..2026-04 is 4×12+4 = 52 months.
		{"/csv/support-monthly", "month,military_eur,financial_eur,humanitarian_eur,total_eur", func() int { return 52 }},
		{"/csv/country-weapons?iso3=DEU", "category,units,value_eur,systems", func() int { return countLines(t, "\"Germany\"") }},
		// 3 requirement categories × 12 months of 2025.
		// military, air defence and financial stored; humanitarian has no
		// stored requirement and takes the historical model: 4 × 12 months.
		{"/csv/coalition-coverage?id=1", "category,month,required_eur,pledged_eur,gap_eur,covered_pct", func() int { return 48 }},
		{"/csv/engagements?country=AUS&topic=aukus", "date,kind,title,participants,topics,sources", func() int { return 1 }},
	} {
		w := get(t, h, tc.path)
		if w.Code != 200 {
			t.Errorf("GET %s: status %d: %s", tc.path, w.Code, w.Body.String())
			continue
		}
		if ct := w.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", tc.path, ct)
		}
		recs, err := csv.NewReader(w.Body).ReadAll()
		if err != nil {
			t.Errorf("GET %s: %v", tc.path, err)
			continue
		}
		if got := strings.Join(recs[0], ","); got != tc.header {
			t.Errorf("GET %s: header %q, want %q", tc.path, got, tc.header)
		}
		if got, want := len(recs)-1, tc.rows(); got != want {
			t.Errorf("GET %s: %d rows, want %d", tc.path, got, want)
		}
	}
	if w := get(t, h, "/csv/nope"); w.Code != 404 {
		t.Errorf("unknown chart: status %d, want 404", w.Code)
	}
}

// countLines counts the weapons.csv lines that contain s.
func countLines(t *testing.T, s string) int {
	f, err := refdata.Open(refdata.WeaponsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	return strings.Count(string(b), "\n"+s)
}

// TestCoverageNumbers checks the heat map against hand arithmetic: nobody
// pledges air defence, so each month of it is 0% covered with a €500 m gap.
// The period is the requirement's (2025), given as the API takes it.
func TestCoverageNumbers(t *testing.T) {
	h, _ := newUIServer(t)
	recs, err := csv.NewReader(get(t, h, "/csv/coalition-coverage?id=1&from=2025-01&to=2025-12").Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs[1:] {
		if r[0] != "Air defence" {
			continue
		}
		n++
		if r[2] != "500000000" {
			t.Errorf("%s required %s, want 500000000", r[1], r[2])
		}
		if r[3] != "0" || r[5] != "0" {
			t.Errorf("%s pledged %s covered %s, want 0 and 0", r[1], r[3], r[5])
		}
	}
	if n != 12 {
		t.Errorf("%d air-defence months, want 12", n)
	}
}

// TestDonorSort checks the sort order on hand-made totals.
func TestDonorSort(t *testing.T) {
	p := func(v float64) *float64 { return &v }
	rows := []coalition.DonorTotal{
		{ISO3: "AAA", Name: "Aland", TotalEUR: 10, PctGDP: p(0.5)},
		{ISO3: "BBB", Name: "Bland", TotalEUR: 30, PctGDP: nil},
		{ISO3: "CCC", Name: "Cland", TotalEUR: 20, PctGDP: p(1.5)},
	}
	for _, tc := range []struct {
		q    donorQuery
		want string
	}{
		{donorQuery{Sort: "total"}, "BBB CCC AAA"},
		{donorQuery{Sort: "total", Asc: true}, "AAA CCC BBB"},
		{donorQuery{Sort: "pct_gdp"}, "CCC AAA BBB"}, // unknown % last
		{donorQuery{Sort: "name", Asc: true}, "AAA BBB CCC"},
		{donorQuery{Sort: "name"}, "CCC BBB AAA"},
		{donorQuery{Sort: "total", Top: 2}, "BBB CCC"},
	} {
		tab := donorTable(rows, tc.q)
		var got []string
		for _, r := range tab.Rows {
			got = append(got, r[2].Text)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%+v: got %v, want %s", tc.q, got, tc.want)
		}
	}
}

func TestFormat(t *testing.T) {
	p := func(v float64) *float64 { return &v }
	for _, tc := range []struct{ got, want string }{
		{eur(1.234e9), "€1.2 bn"},
		{eur(115.38e9), "€115.4 bn"},
		{eur(350e6), "€350.0 m"},
		{eur(12_400), "€12 k"},
		{eur(999), "€999"},
		{pctOf(p(0.3456)), "0.35%"},
		{pctOf(nil), "–"},
		{perCapita(p(342.57)), "€343"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestShareOfGDP: donors of 1 (at 0.5% of GDP 200) and 3 (at 1% of GDP
// 300): (1+3)/(200+300) = 0.8%; a donor without GDP is left out.
func TestShareOfGDP(t *testing.T) {
	p := func(v float64) *float64 { return &v }
	// Σ support / Σ GDP of the donors with a GDP: (1 + 3) / (200 + 300) = 0.8%.
	got := shareOfGDP([]coalition.DonorTotal{{TotalEUR: 1, PctGDP: p(0.5), GDPEUR: p(200)}, {TotalEUR: 3, PctGDP: p(1), GDPEUR: p(300)}, {TotalEUR: 100}})
	if got == nil || *got < 0.8-1e-12 || *got > 0.8+1e-12 {
		t.Errorf("got %v, want 0.8", got)
	}
	if got := shareOfGDP(nil); got != nil {
		t.Errorf("no donors: got %v, want nil", *got)
	}
}

// TestISONumeric checks the numeric codes against the bundled atlas: each
// code is a feature whose Natural Earth name is the country's (or a known
// variant), except Malta, too small for the 1:110m scale.
func TestISONumeric(t *testing.T) {
	b, err := fs.ReadFile(embedded, "static/vendor/countries-110m.json")
	if err != nil {
		t.Fatal(err)
	}
	var topo struct {
		Objects struct {
			Countries struct {
				Geometries []struct {
					ID         string            `json:"id"`
					Properties map[string]string `json:"properties"`
				} `json:"geometries"`
			} `json:"countries"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(b, &topo); err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, g := range topo.Objects.Countries.Geometries {
		names[g.ID] = g.Properties["name"]
	}
	ds, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	variant := map[string]string{"United States": "United States of America", "North Macedonia": "Macedonia"}
	for _, c := range ds.Countries {
		if !c.State {
			continue
		}
		num, ok := isoNumeric[c.ISO3]
		if !ok {
			t.Errorf("%s (%s) has no numeric code", c.ISO3, c.Name)
			continue
		}
		want := c.Name
		if v, ok := variant[want]; ok {
			want = v
		}
		if got := names[num]; got != want && c.ISO3 != "MLT" {
			t.Errorf("%s → %s is %q in the atlas, want %q", c.ISO3, num, got, want)
		}
	}
}

// TestGzip checks that pages and scripts are compressed for clients that ask.
func TestGzip(t *testing.T) {
	h, _ := newUIServer(t)
	s := &server{files: embedded}
	for _, path := range []string{"/", s.assetURL("dashboard.js"), s.assetURL("vendor/echarts.min.js"), "/donors.csv"} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("GET %s: status %d, Content-Encoding %q; want 200, gzip", path, w.Code, w.Header().Get("Content-Encoding"))
			continue
		}
		zr, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Errorf("GET %s: %v", path, err)
			continue
		}
		plain, err := io.ReadAll(zr)
		if err != nil || len(plain) == 0 {
			t.Errorf("GET %s: gunzip: %v (%d bytes)", path, err, len(plain))
		}
		if strings.HasPrefix(path, "/static/") && w.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control %q", path, w.Header().Get("Cache-Control"))
		}
	}
	// Without Accept-Encoding: plain.
	w := get(t, h, "/")
	if w.Header().Get("Content-Encoding") != "" || !bytes.HasPrefix(w.Body.Bytes(), []byte("<!doctype html>")) {
		t.Errorf("plain GET /: Content-Encoding %q, body starts %.20q", w.Header().Get("Content-Encoding"), w.Body.String())
	}
}
