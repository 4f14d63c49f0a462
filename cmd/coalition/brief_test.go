package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBriefCommand: -o picks the format by extension, a country brief
// works, and bad input exits 2 naming the problem.
func TestBriefCommand(t *testing.T) {
	db := analysisStoreDB(t)
	t.Run("html file by extension", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "brief.html")
		if _, _, err := runCLI(t, "", "brief", "--coalition", "COW2025", "--as-of", "2026-12-06", "-o", out, "--db", db); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"<!doctype html>", "Headline: 2026-12..2027-11", "Computed for: system (administrator)", "@page"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("brief.html lacks %q", want)
			}
		}
	})
	t.Run("pdf file by extension", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "brief.pdf")
		if _, _, err := runCLI(t, "", "brief", "--coalition", "COW2025", "--as-of", "2026-12-06", "-o", out, "--db", db); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		pages := strings.Count(string(b), "<</Type /Page\n")
		if !strings.HasPrefix(string(b), "%PDF-") || pages < 1 || pages > 2 {
			t.Errorf("brief.pdf: %.8q, %d pages; want a PDF of 1 or 2 pages", b, pages)
		}
	})
	t.Run("country brief", func(t *testing.T) {
		out, _, err := runCLI(t, "", "brief", "--country", "AUS", "--as-of", "2026-12-06", "--db", db)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"# Brief: Australia (AUS)", "## Support", "## NATO target", "Not a NATO member", "## Fair share in the built-in scenarios", "replace-us",
			// Kiel's heavy-weapons table (bundled): Australia's 49 M1A1
			// Abrams, announced in October 2024, are its armour.
			"## Equipment", "| armour | 49 | 49 |", "By stage: committed €", "(their median "} {
			if !strings.Contains(out, want) {
				t.Errorf("country brief lacks %q", want)
			}
		}
	})
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown coalition", []string{"--coalition", "NOPE"}, "coalition"},
		{"unknown country", []string{"--country", "ZZZ"}, "country"},
		{"since after as-of", []string{"--coalition", "COW2025", "--as-of", "2026-11-01", "--since", "2026-12-01"}, "since"},
		{"neither", nil, "--coalition or --country"},
		{"both", []string{"--coalition", "COW2025", "--country", "AUS"}, "--coalition or --country"},
		{"bad date", []string{"--coalition", "COW2025", "--since", "2026-13-01"}, "since"},
		{"bad format", []string{"--coalition", "COW2025", "--format", "docx"}, "format"},
		{"bad paper", []string{"--coalition", "COW2025", "--format", "pdf", "--paper", "A5"}, "paper"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCLI(t, "", append(append([]string{"brief"}, tc.args...), "--db", db)...)
			wantExit(t, err, 2)
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
		})
	}
}

// TestBriefRiskIsTheCommandItPrints: the brief's risk section for a past
// day is the run of the command its assumptions print (with
// --records-as-of), figure for figure: one answer, and the printed command
// reproduces it.
func TestBriefRiskIsTheCommandItPrints(t *testing.T) {
	db := seededDB(t)
	out, _, err := cli(t, nil, "brief", "--coalition", "COW2025", "--since", "2025-08-01", "--as-of", "2025-09-10", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Risk struct {
			From string  `json:"from"`
			Mean float64 `json:"mean_shortfall_eur"`
			P    float64 `json:"p_shortfall"`
		} `json:"risk"`
		Assumptions []string `json:"assumptions"`
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err)
	}
	if b.Risk.From != "2025-10" {
		t.Errorf("risk from %s, want 2025-10 (the month after September 2025, the last month on record on 10 September)", b.Risk.From)
	}
	var cmd string
	for _, a := range b.Assumptions {
		if rest, ok := strings.CutPrefix(a, "Risks: `coalition "); ok {
			cmd, _, _ = strings.Cut(rest, "`")
		}
	}
	if cmd == "" {
		t.Fatalf("no risk command in the assumptions: %q", b.Assumptions)
	}
	args := append(strings.Fields(cmd), "--json", "--db", db)
	out, _, err = cli(t, nil, args...)
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	var r struct {
		Result struct {
			Shortfall struct {
				Mean float64 `json:"mean"`
				P    float64 `json:"p_positive"`
			} `json:"shortfall"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Result.Shortfall.Mean != b.Risk.Mean || r.Result.Shortfall.P != b.Risk.P {
		t.Errorf("%s: mean %.0f, P %.3f; the brief: mean %.0f, P %.3f", cmd, r.Result.Shortfall.Mean, r.Result.Shortfall.P, b.Risk.Mean, b.Risk.P)
	}
}
