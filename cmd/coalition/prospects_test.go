package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestProspectsCLI(t *testing.T) {
	db := analysisStoreDB(t)
	out, _, err := runCLI(t, "", "prospects", "--coalition", "COW2025", "--gap-eur", "40e9", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		GapEUR    float64  `json:"gap_eur"`
		Members   []string `json:"members"`
		Prospects []struct {
			Rank   int     `json:"rank"`
			ISO3   string  `json:"iso3"`
			Score  float64 `json:"score"`
			AskEUR float64 `json:"ask_eur"`
		} `json:"prospects"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	members := map[string]bool{}
	for _, m := range got.Members {
		members[m] = true
	}
	if got.GapEUR != 40e9 || len(got.Prospects) == 0 {
		t.Fatalf("gap %v, %d prospects", got.GapEUR, len(got.Prospects))
	}
	for i, p := range got.Prospects {
		if members[p.ISO3] || p.Rank != i+1 || p.AskEUR <= 0 || p.AskEUR >= 40e9 || (i > 0 && p.Score > got.Prospects[i-1].Score) {
			t.Errorf("prospect %+v", p)
		}
	}
	table, _, err := runCLI(t, "", "prospects", "--top", "3", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(table, "\n3 "); !strings.Contains(table, "RANK") || n != 1 || strings.Contains(table, "\n4 ") || !strings.Contains(table, "Sources:") {
		t.Errorf("--top 3 table:\n%s", table)
	}
	for _, args := range [][]string{{"--gap-eur", "-5"}, {"--w-support", "-1"}, {"--coalition", "NOPE"}, {"--top", "-1"}, {"--gap-eur", "lots"}} {
		_, _, err := runCLI(t, "", append([]string{"prospects", "--db", db}, args...)...)
		wantExit(t, err, 2)
	}
}
