package main

import (
	"coalition/internal/check"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestCoverageCLI(t *testing.T) {
	db := analysisStoreDB(t)
	// The historical model, asked for: the 2022–2024 average per type.
	out, _, err := runCLI(t, "", "coverage", "--from", "2025-01", "--to", "2025-12", "--need", "historical", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Coalition          string             `json:"coalition"`
		RequirementMonthly map[string]float64 `json:"requirement_monthly"`
		Result             struct {
			From  string `json:"from"`
			To    string `json:"to"`
			Cells []struct {
				Required, Pledged, Gap float64
			} `json:"cells"`
			Total struct {
				Required float64 `json:"required"`
				Pledged  float64 `json:"pledged"`
				Gap      float64 `json:"gap"`
			} `json:"total"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	var monthly float64
	for _, v := range got.RequirementMonthly {
		monthly += v
	}
	// 12 months × the baseline need; 3 types × 12 months of cells.
	if !check.Facts(t,
		check.Eq("coalition", got.Coalition, "COW2025"),
		check.Eq("from", got.Result.From, "2025-01"),
		check.Eq("to", got.Result.To, "2025-12"),
		check.Eq("cells", len(got.Result.Cells), 36),
		check.Holds("required", math.Abs(got.Result.Total.Required-12*monthly) <= 1e-6*monthly, got.Result.Total.Required, fmt.Sprintf("%.0f (12 months × the baseline)", 12*monthly)),
	) {
		t.FailNow()
	}
	var gap float64
	for _, c := range got.Result.Cells {
		gap += math.Max(0, c.Required-c.Pledged)
	}
	if math.Abs(gap-got.Result.Total.Gap) > 1e-6*gap {
		t.Errorf("total gap %.0f, Σ monthly gaps %.0f", got.Result.Total.Gap, gap)
	}
	// The default: the seeded, sourced 2025 needs, by hand 12 × (NATO
	// 3,333,333,333.33 + IMF 1,986,974,617.16 + OCHA 209,264,358.51) =
	// 12 × 5,529,572,309.00 = €66,354,867,708.
	out, _, err = runCLI(t, "", "coverage", "--from", "2025-01", "--to", "2025-12", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var stored struct {
		Need   string            `json:"need"`
		Bases  map[string]string `json:"requirement_bases"`
		Result struct {
			Total struct {
				Required float64 `json:"required"`
			} `json:"total"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(out), &stored); err != nil {
		t.Fatal(err)
	}
	if stored.Need != "stored" || math.Abs(stored.Result.Total.Required-66_354_867_708) > 0.5 || !strings.HasPrefix(stored.Bases["financial"], "stored requirements") {
		t.Errorf("default need %q: required %.2f, want 66354867708; bases %q", stored.Need, stored.Result.Total.Required, stored.Bases)
	}
	table, _, err := runCLI(t, "", "coverage", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"MONTH", "total", "Sources:", "Kiel Institute"} {
		if !strings.Contains(table, s) {
			t.Errorf("table lacks %q", s)
		}
	}
	for _, args := range [][]string{{"--from", "2025-13"}, {"--from", "2025-06", "--to", "2025-01"}, {"--coalition", "NOPE"}} {
		_, _, err := runCLI(t, "", append([]string{"coverage", "--db", db}, args...)...)
		wantExit(t, err, 2)
	}
}
