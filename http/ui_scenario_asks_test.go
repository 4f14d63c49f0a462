package http

import (
	"context"
	"encoding/json"
	"html"
	"math"
	"regexp"
	"strings"
	"testing"

	"coalition"
	"coalition/analysis"
	"coalition/report"
)

// TestScenarioAsksChart: /scenarios with the caps from data shows "who is
// asked for what", a member × category chart and table whose figures are
// report.RunScenario's plan (the function the CLI and the API call), and
// names Japan's capability limit with its source.
func TestScenarioAsksChart(t *testing.T) {
	h, st := newUIServer(t)
	w := get(t, h, "/scenarios?withdraw=USA&from=2025-02&categories=military&group=COW2025&cap=&defence_share=0.1&capability_limits=1&run=1")
	body := w.Body.String()
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, body)
	}
	for _, want := range []string{`id="scenario-asks"`, `id="scenario-asks-table"`, "Who is asked for what", "capped at €0 a year each (Japan",
		"NHK World", `name="capability_limits" value="1" checked`, `name="defence_share"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="scenario-asks-data">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no chart data")
	}
	var d struct {
		X      []string `json:"x"`
		Series []struct {
			Name   string    `json:"name"`
			Values []float64 `json:"values"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &d); err != nil {
		t.Fatal(err, m[1])
	}
	from, _ := coalition.ParseMonth("2025-02")
	rep, err := report.RunScenario(context.Background(), st, report.ScenarioSpec{
		Withdrawals: []analysis.Withdrawal{{Countries: []string{"USA"}, From: from, Fraction: 1, Categories: []string{"military"}}},
		Group:       "COW2025", CapDefenceShare: 0.1, CapabilityLimits: true})
	if err != nil {
		t.Fatal(err)
	}
	names, _ := st.FindCountries(context.Background(), coalition.CountryFilter{})
	name := map[string]string{}
	for _, c := range names {
		name[c.ISO3] = c.Name
	}
	sum := 0.0
	for _, s := range d.Series {
		for _, v := range s.Values {
			sum += v
		}
	}
	want, n := 0.0, 0
	for _, r := range rep.Plan {
		if r.ExtraEUR == 0 {
			continue
		}
		if n >= len(d.X) || d.X[n] != name[r.ISO3] {
			t.Errorf("member %d: chart has %v, want %s (plan order)", n, d.X, name[r.ISO3])
			break
		}
		n++
		want += r.ExtraEUR
		if r.ISO3 == "JPN" && r.ExtraByCategory["military"] != 0 {
			t.Errorf("JPN military ask %v, want 0", r.ExtraByCategory["military"])
		}
	}
	if n == 0 || n != len(d.X) || math.Abs(sum-want) > 1e-3 {
		t.Errorf("chart: %d members, sum %.2f; plan: %d members with an extra, sum %.2f", len(d.X), sum, n, want)
	}
}
