package main

import (
	"coalition/internal/check"
	"encoding/json"
	"slices"
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
		check.Facts(t,
			check.Eq(p.ISO3+" is a member", members[p.ISO3], false),
			check.Eq(p.ISO3+" rank", p.Rank, i+1),
			check.Holds(p.ISO3+" ask", p.AskEUR > 0 && p.AskEUR < 40e9, p.AskEUR, "more than 0 and less than the 40e9 gap"),
			check.Holds(p.ISO3+" score", i == 0 || p.Score <= got.Prospects[i-1].Score, p.Score, "no more than the one ranked before"),
		)
	}
	table, _, err := runCLI(t, "", "prospects", "--top", "3", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !check.Facts(t,
		check.Eq("--top 3: a header", strings.Contains(table, "RANK"), true),
		check.Eq("--top 3: rows ranked 3", strings.Count(table, "\n3 "), 1),
		check.Eq("--top 3: a row ranked 4", strings.Contains(table, "\n4 "), false),
		check.Eq("--top 3: the sources", strings.Contains(table, "Sources:"), true),
	) {
		t.Logf("the table:\n%s", table)
	}
	for _, args := range [][]string{{"--gap-eur", "-5"}, {"--w-support", "-1"}, {"--coalition", "NOPE"}, {"--top", "-1"}, {"--gap-eur", "lots"},
		{"--exclude", "Hungary"}, {"--cap-history", "-2"}, {"--a-votes", "-1"}, {"--allow", "Hungary"}} {
		_, _, err := runCLI(t, "", append([]string{"prospects", "--db", db}, args...)...)
		wantExit(t, err, 2)
	}
}

// --exclude leaves the named states out; every prospect says whether it is
// eligible, its alignment and the cap that bounded its ask; nobody who
// voted against a General Assembly Ukraine resolution is ranked.
func TestProspectsCLIEligibilityAndExclude(t *testing.T) {
	db := analysisStoreDB(t)
	type prospect struct {
		Rank      int      `json:"rank"`
		ISO3      string   `json:"iso3"`
		Eligible  *bool    `json:"eligible"`
		Alignment *float64 `json:"alignment"`
		AskCapEUR *float64 `json:"ask_cap_eur"`
		AskEUR    float64  `json:"ask_eur"`
	}
	var got struct {
		Excluded   []string   `json:"excluded"`
		Prospects  []prospect `json:"prospects"`
		Ineligible []struct {
			ISO3   string `json:"iso3"`
			Reason string `json:"reason"`
		} `json:"ineligible"`
	}
	out, _, err := runCLI(t, "", "prospects", "--coalition", "COW2025", "--exclude", "HUN,svk", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Prospects) == 0 {
		t.Fatal("no prospects")
	}
	for _, p := range got.Prospects {
		if p.Eligible == nil {
			t.Errorf("%s eligible missing", p.ISO3)
		} else if !*p.Eligible {
			t.Errorf("%s eligible = false, want true", p.ISO3)
		}
		if p.Alignment == nil {
			t.Errorf("%s alignment missing", p.ISO3)
		}
		if p.AskCapEUR == nil {
			t.Errorf("%s ask_cap_eur missing", p.ISO3)
		} else if p.AskEUR > *p.AskCapEUR {
			t.Errorf("%s ask = %.0f EUR, want at most its cap %.0f", p.ISO3, p.AskEUR, *p.AskCapEUR)
		}
		// Excluded (HUN, SVK), voted against (RUS) or the recipient (UKR).
		if slices.Contains([]string{"HUN", "SVK", "RUS", "UKR"}, p.ISO3) {
			t.Errorf("%s listed, want it left out", p.ISO3)
		}
	}
	if strings.Join(got.Excluded, ",") != "HUN,SVK" {
		t.Errorf("excluded %v, want HUN,SVK", got.Excluded)
	}
	reasons := map[string]string{}
	for _, i := range got.Ineligible {
		reasons[i.ISO3] = i.Reason
	}
	if !strings.Contains(reasons["RUS"], "A/RES/ES-11/1") {
		t.Errorf("RUS reason %q, want it to name ES-11/1", reasons["RUS"])
	}
	table, _, err := runCLI(t, "", "prospects", "--exclude", "HUN,SVK", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Excluded on request: HUN, SVK.", "Not eligible", "RUS Russia: voted against", "ASK CAP", "best 12 consecutive months"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
}
