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
		checkFacts(t,
			eq(p.ISO3+" is a member", members[p.ISO3], false),
			eq(p.ISO3+" rank", p.Rank, i+1),
			holds(p.ISO3+" ask", p.AskEUR > 0 && p.AskEUR < 40e9, p.AskEUR, "more than 0 and less than the 40e9 gap"),
			holds(p.ISO3+" score", i == 0 || p.Score <= got.Prospects[i-1].Score, p.Score, "no more than the one ranked before"),
		)
	}
	table, _, err := runCLI(t, "", "prospects", "--top", "3", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !checkFacts(t,
		eq("--top 3: a header", strings.Contains(table, "RANK"), true),
		eq("--top 3: rows ranked 3", strings.Count(table, "\n3 "), 1),
		eq("--top 3: a row ranked 4", strings.Contains(table, "\n4 "), false),
		eq("--top 3: the sources", strings.Contains(table, "Sources:"), true),
	) {
		t.Logf("the table:\n%s", table)
	}
	for _, args := range [][]string{{"--gap-eur", "-5"}, {"--w-support", "-1"}, {"--coalition", "NOPE"}, {"--top", "-1"}, {"--gap-eur", "lots"}} {
		_, _, err := runCLI(t, "", append([]string{"prospects", "--db", db}, args...)...)
		wantExit(t, err, 2)
	}
}
