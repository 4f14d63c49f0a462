package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestTargetsCLI(t *testing.T) {
	db := analysisStoreDB(t)
	out, _, err := runCLI(t, "", "targets", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Group string `json:"group"`
		Rows  []struct {
			ISO3       string  `json:"iso3"`
			CurrentPct float64 `json:"current_pct"`
			Definition string  `json:"definition"`
			Gap35Pts   float64 `json:"gap_3_5_pts"`
			GDPUSD     float64 `json:"gdp_usd"`
			Gap35USD   float64 `json:"gap_3_5_usd"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Group != "NATO" || len(got.Rows) < 30 {
		t.Fatalf("group %s with %d rows", got.Group, len(got.Rows))
	}
	for _, r := range got.Rows {
		// gap = max(0, 3.5 − current); in USD = gap/100 × GDP.
		want := math.Max(0, 3.5-r.CurrentPct)
		if math.Abs(r.Gap35Pts-want) > 1e-12 || math.Abs(r.Gap35USD-want/100*r.GDPUSD) > 1e-6*r.GDPUSD || r.Definition != "NATO" {
			t.Errorf("%s: current %.2f gap %.2f ($%.0f), definition %s", r.ISO3, r.CurrentPct, r.Gap35Pts, r.Gap35USD, r.Definition)
		}
	}
	table, _, err := runCLI(t, "", "targets", "--group", "COW2025", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"SIPRI 2024", "NATO 2025e", "Sources:", "Hague"} {
		if !strings.Contains(table, s) {
			t.Errorf("table lacks %q", s)
		}
	}
	_, _, err = runCLI(t, "", "targets", "--group", "NOPE", "--db", db)
	wantExit(t, err, 2)
}
