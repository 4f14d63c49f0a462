package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	stdhttp "net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"

	"coalition"
	"coalition/http"
	"coalition/report"
	"coalition/sqlstore/sqltest"
)

// figures are an answer's numbers, keyed "row/field" (row: an ISO3 code or
// a month), as one surface shows them.
type figures map[string]float64

// oneAnswer is one analysis asked through every surface with the same
// parameters: the CLI (--json), the API and the page's CSV downloads.
type oneAnswer struct {
	name    string
	cli     []string // without --json and --db
	method  string   // of the API request; GET when empty
	api     string   // path and query
	body    string   // of a POST
	json    func(t *testing.T, v map[string]any) figures
	csvs    []string // the page's downloads: paths and queries
	fromCSV func(t *testing.T, path string, rows [][]string) figures
	want    figures // some figures known beforehand, when the case has them
}

// TestOneAnswer: each analysis asked through the CLI, the API and the
// page's CSV download with the same parameters gives the same figures.
// (TestCoverageOneAnswer does coverage.) The CLI and the API must agree
// on every figure; each figure a CSV carries must equal the JSON's, and
// every JSON row of a field the CSV carries must be in the CSV.
func TestOneAnswer(t *testing.T) {
	db := analysisStoreDB(t)
	ctx := coalition.WithUser(context.Background(), coalition.System)
	s := sqltest.OpenDSN(t, "sqlite:"+db)
	defer s.Close()
	// One committed pledge (the seed's are all allocations), out of every
	// other analysis's horizon, for the donor table by status.
	jan, _ := coalition.ParseMonth("2030-01")
	if err := s.CreatePledge(ctx, &coalition.Pledge{Donor: "NOR", Recipient: "UKR", Category: "air-defence",
		Amount: coalition.Money{Minor: 150e6 * 100, Currency: "EUR"}, AmountEUR: 150e6 * 100, FXRate: 1, Announced: coalition.Date{Y: 2029, M: 12, D: 1},
		DeliverFrom: jan, DeliverTo: jan + 2, Status: coalition.Committed, Visibility: coalition.Public, Source: "test pledge", AsOf: coalition.Date{Y: 2029, M: 12, D: 1}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), s, http.Config{}))
	defer srv.Close()

	for _, tc := range []oneAnswer{
		{name: "builtin replace-us", cli: []string{"scenario", "--builtin", "replace-us"},
			api:  "/api/v1/scenarios/builtin/replace-us",
			json: scenarioFigures("rows", "baseline_eur", "scenario"),
			csvs: []string{"/csv/scenario-plan?builtin=replace-us", "/csv/scenario-gap?builtin=replace-us"}, fromCSV: scenarioCSV},
		{name: "builtin nato-40bn", cli: []string{"scenario", "--builtin", "nato-40bn"},
			api:  "/api/v1/scenarios/builtin/nato-40bn",
			json: scenarioFigures("rows", "baseline_eur", "scenario"),
			csvs: []string{"/csv/scenario-plan?builtin=nato-40bn"}, fromCSV: scenarioCSV},
		{name: "custom scenario", cli: []string{"scenario", "--withdraw", "USA", "--from", "2025-02", "--cap-pct-gdp", "0.5"},
			method: "POST", api: "/api/v1/scenarios/run",
			body:    `{"withdrawals":[{"countries":["USA"],"from":"2025-02"}],"cap_pct_gdp":0.5}`,
			json:    scenarioFigures("plan", "existing_eur", "result"),
			csvs:    []string{"/csv/scenario-plan?withdraw=USA&from=2025-02&cap=0.5&run=1", "/csv/scenario-gap?withdraw=USA&from=2025-02&cap=0.5&run=1"},
			fromCSV: scenarioCSV},
		{name: "custom scenario, half of military, NATO by population, no cap",
			cli: []string{"scenario", "--withdraw", "USA,GBR", "--from", "2025-06", "--fraction", "0.5", "--categories", "military",
				"--key", "population", "--group", "NATO"},
			method: "POST", api: "/api/v1/scenarios/run",
			body: `{"withdrawals":[{"countries":["USA","GBR"],"from":"2025-06","fraction":0.5,"categories":["military"]}],"key":"population","group":"NATO"}`,
			json: scenarioFigures("plan", "existing_eur", "result"),
			csvs: []string{
				"/csv/scenario-plan?withdraw=USA&withdraw=GBR&from=2025-06&fraction=0.5&categories=military&key=population&group=NATO&cap=&run=1",
				"/csv/scenario-gap?withdraw=USA,GBR&from=2025-06&fraction=0.5&categories=military&key=population&group=NATO&cap=&run=1"},
			fromCSV: scenarioCSV},
		{name: "custom scenario, military, capped at 10% of defence spending, capability limits",
			cli: []string{"scenario", "--withdraw", "USA", "--from", "2025-02", "--categories", "military", "--group", "COW2025",
				"--cap-defence-share", "0.1", "--capability-limits"},
			method: "POST", api: "/api/v1/scenarios/run",
			body: `{"withdrawals":[{"countries":["USA"],"from":"2025-02","categories":["military"]}],"group":"COW2025","cap_defence_share":0.1,"capability_limits":true}`,
			json: scenarioCapFigures, want: figures{"JPN/cap capability military": 0}},
		{name: "targets", cli: []string{"targets"}, api: "/api/v1/targets", json: targetFigures,
			csvs: []string{"/csv/targets"}, fromCSV: targetCSV},
		{name: "targets EU", cli: []string{"targets", "--group", "EU"}, api: "/api/v1/targets?group=EU", json: targetFigures,
			csvs: []string{"/csv/targets?group=EU"}, fromCSV: targetCSV},
		// No page shows prospects: the CLI and the API must agree.
		{name: "prospects", cli: []string{"prospects"}, api: "/api/v1/prospects", json: prospectFigures},
		{name: "prospects, capacity only, €20 bn", cli: []string{"prospects", "--gap-eur", "20e9", "--w-capacity", "1", "--w-alliances", "0", "--w-support", "0"},
			api: "/api/v1/prospects?gap_eur=20e9&w_capacity=1", json: prospectFigures},
		{name: "prospects, excluding HUN and SVK, k 1", cli: []string{"prospects", "--exclude", "HUN,SVK", "--cap-history", "1"},
			api: "/api/v1/prospects?exclude=hun,svk&cap_history=1", json: prospectFigures},
		{name: "prospects, Hungary's vote waived", cli: []string{"prospects", "--allow", "HUN"},
			api: "/api/v1/prospects?allow=HUN", json: prospectFigures},
		{name: "donors", cli: []string{"donors"}, api: "/api/v1/donors", json: donorFigures,
			csvs: []string{"/donors.csv"}, fromCSV: donorCSV},
		{name: "donors, NATO military since 2025-01", cli: []string{"donors", "--type", "military", "--since", "2025-01", "--group", "NATO"},
			api: "/api/v1/donors?type=military&since=2025-01&group=NATO", json: donorFigures,
			csvs: []string{"/donors.csv?type=military&since=2025-01&group=NATO"}, fromCSV: donorCSV},
		{name: "donors, committed and delivered", cli: []string{"donors", "--status", "committed,delivered"},
			api: "/api/v1/donors?status=committed,delivered", json: donorFigures,
			csvs: []string{"/donors.csv?status=committed,delivered"}, fromCSV: donorCSV, want: figures{"NOR/military_eur": 150e6, "NOR/total_eur": 150e6}},
		{name: "donors, EU attributed to its members", cli: []string{"donors", "--attribute", "contributors"},
			api: "/api/v1/donors?attribute=contributors", json: donorFigures},
		{name: "donors, pipeline", cli: []string{"donors", "--status", "pipeline"}, api: "/api/v1/donors?status=pipeline", json: donorFigures},
		{name: "donors, committed stage", cli: []string{"donors", "--status", "committed"}, api: "/api/v1/donors?status=committed", json: donorFigures},
		{name: "channels", cli: []string{"channels"}, api: "/api/v1/channels", json: channelFigures},
		{name: "risk", cli: []string{"risk", "--coalition", "COW2025", "--trials", "500", "--seed", "7"},
			api: "/api/v1/risk/coalition/COW2025?trials=500&seed=7", json: riskFigures,
			csvs:    []string{"/csv/risk-fan?coalition=COW2025&trials=500&seed=7", "/csv/risk-members?coalition=COW2025&trials=500&seed=7"},
			fromCSV: riskCSV},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := runCLI(t, "", append(append([]string(nil), tc.cli...), "--json", "--db", db)...)
			if err != nil {
				t.Fatal(err)
			}
			cli := tc.json(t, decodeAny(t, "CLI", []byte(out)))
			if len(cli) == 0 {
				t.Fatal("CLI: no figures")
			}
			for k, w := range tc.want {
				if got, ok := cli[k]; !ok || got != w {
					t.Errorf("CLI: %s = %v, want %v", k, got, w)
				}
			}
			api := tc.json(t, decodeAny(t, "API", oneAnswerGet(t, srv.URL, tc.method, tc.api, tc.body)))
			sameFigures(t, "API", "CLI", api, cli, nil)
			t.Logf("API: %d figures agree with the CLI's", len(api))
			for _, path := range tc.csvs {
				rows, err := csv.NewReader(strings.NewReader(string(oneAnswerGet(t, srv.URL, "", path, "")))).ReadAll()
				if err != nil || len(rows) < 2 {
					t.Fatalf("%s: %d rows, %v", path, len(rows), err)
				}
				page := tc.fromCSV(t, path, rows)
				fields := map[string]bool{}
				for k := range page {
					fields[field(k)] = true
				}
				sameFigures(t, path, "CLI", page, cli, fields)
				t.Logf("%s: %d figures agree with the CLI's", path, len(page))
			}
		})
	}
	// The CLI refuses a status as the API does, naming the flag (#21).
	t.Run("donors --status bogus", func(t *testing.T) {
		_, _, err := runCLI(t, "", "donors", "--status", "allocated,bogus", "--db", db)
		if got, want := fmt.Sprint(err), `--status: "bogus" is not one of announced, committed, allocated, delivered, cancelled`; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})
	// The targets page's headline is the report's summary, as the CLI prints it.
	t.Run("targets page headline", func(t *testing.T) {
		out, _, err := runCLI(t, "", "targets", "--json", "--db", db)
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Rows    []any `json:"rows"`
			Summary struct {
				Meets2   int     `json:"meets_2"`
				At35     int     `json:"at_3_5"`
				Gap35USD float64 `json:"gap_3_5_usd"`
				NATO     int     `json:"nato_definition"`
				SIPRI    int     `json:"sipri_definition"`
				SameYear []struct {
					Label  string `json:"label"`
					Meets2 int    `json:"meets_2"`
					Of     int    `json:"of"`
				} `json:"same_year"`
			} `json:"summary"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Summary.Meets2 == 0 || rep.Summary.NATO == 0 || len(rep.Summary.SameYear) == 0 {
			t.Fatalf("CLI summary %+v: nothing counted", rep.Summary)
		}
		body := string(oneAnswerGet(t, srv.URL, "", "/targets", ""))
		for _, want := range []string{
			// the same-year count of the newest year ("N of 32 meet 2%" never mixes years)
			fmt.Sprintf(`<span class="big">%d of %d</span><span>meet 2%% of GDP on %s figures`, rep.Summary.SameYear[0].Meets2,
				rep.Summary.SameYear[0].Of, rep.Summary.SameYear[0].Label),
			fmt.Sprintf(`<span class="big">%d</span><span>at or above 3.5%% core`, rep.Summary.At35),
			fmt.Sprintf(`<span class="big">%d NATO · %d SIPRI</span>`, rep.Summary.NATO, rep.Summary.SIPRI),
		} {
			if !strings.Contains(body, want) {
				t.Errorf("targets page has no %s", want)
			}
		}
	})
}

// sameFigures compares got with want: every figure of got must be in want
// with the same value; every figure of want whose field is in fields (all
// when nil) must be in got.
func sameFigures(t *testing.T, gotName, wantName string, got, want figures, fields map[string]bool) {
	t.Helper()
	bad := 0
	for _, k := range sortedKeys(got) {
		w, ok := want[k]
		switch {
		case !ok:
			t.Errorf("%s has %s = %v, %s has no such figure", gotName, k, got[k], wantName)
			bad++
		case math.Abs(got[k]-w) > 1e-6*math.Max(1, math.Abs(w)):
			t.Errorf("%s: %s = %v, %s says %v", gotName, k, got[k], wantName, w)
			bad++
		}
		if bad > 10 {
			t.Fatal("too many differences")
		}
	}
	for _, k := range sortedKeys(want) {
		if _, ok := got[k]; !ok && (fields == nil || fields[field(k)]) {
			t.Errorf("%s has no %s (%s: %v)", gotName, k, wantName, want[k])
			bad++
		}
		if bad > 10 {
			t.Fatal("too many differences")
		}
	}
}

func field(key string) string { return key[strings.LastIndex(key, "/")+1:] }

func sortedKeys(f figures) []string {
	out := make([]string, 0, len(f))
	for k := range f {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func oneAnswerGet(t *testing.T, base, method, path, body string) []byte {
	t.Helper()
	if method == "" {
		method = "GET"
	}
	req, err := stdhttp.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := stdhttp.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%s %s: %d %v %.300s", method, path, resp.StatusCode, err, b)
	}
	return b
}

func decodeAny(t *testing.T, name string, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if strings.HasPrefix(strings.TrimSpace(string(b)), "[") { // a bare list: the donor table
		var rows []any
		if err := json.Unmarshal(b, &rows); err != nil {
			t.Fatalf("%s: %v: %.200s", name, err, b)
		}
		return map[string]any{"rows": rows}
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v: %.200s", name, err, b)
	}
	return v
}

// get walks a decoded JSON value: get(v, "result", "after") is v.result.after.
func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func list(v any) []map[string]any {
	var out []map[string]any
	xs, _ := v.([]any)
	for _, x := range xs {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// rowFigures takes the numeric fields of each row keyed by keyField,
// renaming them by names (JSON name → figure name).
func rowFigures(f figures, rows []map[string]any, keyField string, names map[string]string) {
	for _, r := range rows {
		key, _ := r[keyField].(string)
		for from, to := range names {
			switch v := r[from].(type) {
			case float64:
				f[key+"/"+to] = v
			case bool:
				f[key+"/"+to] = b2f(v)
			}
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// csvFigures takes the numeric columns of a CSV keyed by keyCol, renaming
// them by names (column → figure name); empty cells are no figure.
func csvFigures(t *testing.T, path string, rows [][]string, keyCol string, names map[string]string) figures {
	t.Helper()
	head := map[string]int{}
	for i, h := range rows[0] {
		head[h] = i
	}
	k, ok := head[keyCol]
	if !ok {
		t.Fatalf("%s: no column %s in %v", path, keyCol, rows[0])
	}
	f := figures{}
	for _, r := range rows[1:] {
		for col, to := range names {
			i, ok := head[col]
			if !ok || r[i] == "" {
				continue
			}
			var v float64
			switch r[i] {
			case "yes":
				v = 1
			case "no":
				v = 0
			default:
				var err error
				if v, err = strconv.ParseFloat(r[i], 64); err != nil {
					t.Fatalf("%s: %s %q: %v", path, col, r[i], err)
				}
			}
			f[r[k]+"/"+to] = v
		}
	}
	return f
}

// scenarioFigures reads a scenario report: each member's plan (in the
// list rowsField, with its existing support as existingField) and the gap
// per month after the withdrawals (in resultField.after).
func scenarioFigures(rowsField, existingField, resultField string) func(t *testing.T, v map[string]any) figures {
	return func(t *testing.T, v map[string]any) figures {
		f := figures{}
		rowFigures(f, list(v[rowsField]), "iso3", map[string]string{"fair_share_eur": "fair_share", "extra_eur": "extra",
			"extra_pct_gdp": "extra_pct_gdp", existingField: "existing", "plan_eur": "plan", "actual_eur": "actual"})
		after := get(v, resultField, "after")
		if after == nil {
			return f
		}
		from, _ := get(after, "from").(string)
		to, _ := get(after, "to").(string)
		for _, c := range list(get(after, "cells")) {
			m, _ := c["month"].(string)
			if m < from || m > to {
				continue
			}
			g, _ := c["gap"].(float64)
			f[m+"/gap"] += g
		}
		return f
	}
}

func scenarioCSV(t *testing.T, path string, rows [][]string) figures {
	if strings.HasPrefix(path, "/csv/scenario-gap") {
		return csvFigures(t, path, rows, "month", map[string]string{"total_gap_eur": "gap"})
	}
	return csvFigures(t, path, rows, "iso3", map[string]string{"fair_share_eur": "fair_share", "extra_eur": "extra",
		"extra_pct_gdp": "extra_pct_gdp", "existing_eur": "existing", "plan_eur": "plan", "actual_eur": "actual"})
}

var targetFields = map[string]string{"current_pct": "current_pct", "year": "year", "meets_2": "meets_2",
	"gap_2_pts": "gap_2_pts", "gap_2_usd": "gap_2_usd", "gap_3_5_pts": "gap_3_5_pts", "gap_3_5_usd": "gap_3_5_usd",
	"gap_5_pts": "gap_5_pts", "gap_5_usd": "gap_5_usd", "annual_increase_pts": "annual_increase_pts"}

func targetFigures(t *testing.T, v map[string]any) figures {
	f := figures{}
	rowFigures(f, list(v["rows"]), "iso3", targetFields)
	if sum, ok := get(v, "summary").(map[string]any); ok {
		for k, x := range sum {
			if n, ok := x.(float64); ok {
				f["summary/summary_"+k] = n // a field name no CSV column has
			}
		}
	}
	return f
}

func targetCSV(t *testing.T, path string, rows [][]string) figures {
	return csvFigures(t, path, rows, "iso3", targetFields)
}

func prospectFigures(t *testing.T, v map[string]any) figures {
	f := figures{}
	rowFigures(f, list(v["prospects"]), "iso3", map[string]string{"rank": "rank", "score": "score", "capacity": "capacity",
		"alignment": "alignment", "support_pct_gdp": "support_pct_gdp", "support_score": "support_score", "ask_eur": "ask_eur", "gdp_usd": "gdp_usd",
		"ask_cap_eur": "ask_cap_eur", "fair_share_eur": "fair_share_eur", "recent_support_eur": "recent_support_eur"})
	f["gap_eur"], _ = v["gap_eur"].(float64)
	return f
}

var donorFields = map[string]string{"military_eur": "military_eur", "financial_eur": "financial_eur", "humanitarian_eur": "humanitarian_eur",
	"reconstruction_eur": "reconstruction_eur", "total_eur": "total_eur", "pct_gdp": "pct_gdp", "per_capita_eur": "per_capita_eur"}

func donorFigures(t *testing.T, v map[string]any) figures {
	f := figures{}
	rowFigures(f, list(v["rows"]), "iso3", donorFields)
	return f
}

// channelFigures reads the channels: each contributor's share.
func channelFigures(t *testing.T, v map[string]any) figures {
	f := figures{}
	for _, c := range list(v["channels"]) {
		code, _ := c["code"].(string)
		rowFigures(f, list(c["contributors"]), "iso3", map[string]string{"share": code + "_share"})
	}
	return f
}

func donorCSV(t *testing.T, path string, rows [][]string) figures {
	return csvFigures(t, path, rows, "iso3", donorFields)
}

// riskFigures reads a risk report: the covered share per month (p05, p50,
// p95, mean) and each member's chance of an event and attribution.
func riskFigures(t *testing.T, v map[string]any) figures {
	f := figures{}
	rowFigures(f, list(get(v, "result", "months")), "month", map[string]string{"p05": "p05", "p50": "p50", "p95": "p95", "mean": "mean"})
	rowFigures(f, list(get(v, "result", "members")), "iso3", map[string]string{"p_event": "p_event", "attribution": "attribution"})
	for _, m := range list(v["members"]) { // the model's members: support and events
		iso, _ := m["iso3"].(string)
		f[iso+"/support_eur"], _ = m["support_eur"].(float64)
		evs, _ := m["events"].([]any)
		f[iso+"/events"] = float64(len(evs))
	}
	if sf, ok := get(v, "result", "shortfall").(map[string]any); ok {
		for k, x := range sf {
			if n, ok := x.(float64); ok {
				f["shortfall/shortfall_"+k] = n
			}
		}
	}
	return f
}

func riskCSV(t *testing.T, path string, rows [][]string) figures {
	if strings.HasPrefix(path, "/csv/risk-members") {
		return csvFigures(t, path, rows, "iso3", map[string]string{"p_event": "p_event", "attribution_eur": "attribution",
			"support_eur": "support_eur", "events": "events"})
	}
	f := csvFigures(t, path, rows, "month", map[string]string{"p05_pct": "p05", "p50_pct": "p50", "p95_pct": "p95", "mean_pct": "mean"})
	for k, v := range f { // the page shows percentages
		f[k] = v / 100
	}
	return f
}

// TestBriefOneAnswer: the brief's headline is coverage's answer for the
// same period, through the CLI's brief (--json and Markdown), coverage
// --json, and GET /brief (HTML and Markdown).
func TestBriefOneAnswer(t *testing.T) {
	db := analysisStoreDB(t)
	s := sqltest.OpenDSN(t, "sqlite:"+db)
	defer s.Close()
	srv := httptest.NewServer(http.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), s, http.Config{}))
	defer srv.Close()
	out, _, err := runCLI(t, "", "brief", "--coalition", "COW2025", "--as-of", "2026-12-06", "--since", "2026-11-01", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	h := decodeAny(t, "brief", []byte(out))["headline"].(map[string]any)
	cov, _, err := runCLI(t, "", "coverage", "--coalition", "COW2025", "--from", "2026-12", "--to", "2027-11", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	c := decodeAny(t, "coverage", []byte(cov))
	total := c["result"].(map[string]any)["total"].(map[string]any)
	for _, f := range []struct {
		name      string
		brief, cv float64
	}{
		{"net gap", h["net_gap_eur"].(float64), c["net_gap_eur"].(float64)},
		{"monthly gap", h["monthly_gap_eur"].(float64), c["monthly_gap_eur"].(float64)},
		{"need", h["need_eur"].(float64), total["required"].(float64)},
		{"covered", h["covered_eur"].(float64), total["pledged"].(float64)},
	} {
		if f.brief != f.cv {
			t.Errorf("%s: brief %v, coverage %v", f.name, f.brief, f.cv)
		}
	}
	gap := "Net gap: **" + coalition.FormatEUR(h["net_gap_eur"].(float64), 2) + "**"
	md, _, err := runCLI(t, "", "brief", "--coalition", "COW2025", "--as-of", "2026-12-06", "--since", "2026-11-01", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"CLI Markdown": md,
		"API Markdown": getBody(t, srv.URL+"/brief?coalition=COW2025&as_of=2026-12-06&since=2026-11-01&format=md"),
	} {
		if !strings.Contains(body, gap) {
			t.Errorf("%s lacks %q", name, gap)
		}
	}
	// The CLI computes for the local operator, the API for an anonymous
	// reader: on public data only that line differs.
	api := getBody(t, srv.URL+"/brief?coalition=COW2025&as_of=2026-12-06&since=2026-11-01&format=md")
	cliFor := "Computed for: " + report.ComputedFor(coalition.WithUser(context.Background(), coalition.System))
	apiFor := "Computed for: " + report.ComputedFor(context.Background())
	if !strings.Contains(md, cliFor) || !strings.Contains(api, apiFor) {
		t.Errorf("audience lines missing: want %q (CLI) and %q (API)", cliFor, apiFor)
	}
	if strings.Replace(md, cliFor, apiFor, 1) != api {
		t.Errorf("the CLI's and the API's Markdown differ beyond the audience line")
	}
	html := getBody(t, srv.URL+"/brief?coalition=COW2025&as_of=2026-12-06&since=2026-11-01")
	if want := "net gap <strong>" + coalition.FormatEUR(h["net_gap_eur"].(float64), 2) + "</strong>"; !strings.Contains(html, want) {
		t.Errorf("the HTML brief lacks %q", want)
	}
}

// getBody GETs url and returns its body; any status but 200 fails.
func getBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := stdhttp.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != stdhttp.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}
