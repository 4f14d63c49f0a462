package http_test

import (
	"encoding/json"
	"slices"
	"testing"
)

// The API leaves out the states named in exclude and those that voted
// against a General Assembly Ukraine resolution, and gives every prospect
// its eligibility, alignment and ask cap; bad parameters name themselves.
func TestProspectsAPIExcludeAndEligibility(t *testing.T) {
	srv, _ := newTestServer(t)
	type prospect struct {
		ISO3      string   `json:"iso3"`
		Eligible  *bool    `json:"eligible"`
		Alignment *float64 `json:"alignment"`
		AskCapEUR *float64 `json:"ask_cap_eur"`
		AskEUR    float64  `json:"ask_eur"`
	}
	var rep struct {
		Excluded   []string                `json:"excluded"`
		Prospects  []prospect              `json:"prospects"`
		Ineligible []struct{ ISO3 string } `json:"ineligible"`
	}
	fetch := func(query string) []string {
		t.Helper()
		code, _, b := get(t, srv.URL+"/api/v1/prospects"+query)
		if code != 200 {
			t.Fatalf("%s: %d %s", query, code, b)
		}
		rep.Excluded, rep.Prospects, rep.Ineligible = nil, nil, nil
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		var isos []string
		for _, p := range rep.Prospects {
			if p.Eligible == nil {
				t.Errorf("%s: %s eligible missing", query, p.ISO3)
			} else if !*p.Eligible {
				t.Errorf("%s: %s eligible = false, want true", query, p.ISO3)
			}
			if p.Alignment == nil {
				t.Errorf("%s: %s alignment missing", query, p.ISO3)
			}
			if p.AskCapEUR == nil {
				t.Errorf("%s: %s ask_cap_eur missing", query, p.ISO3)
			} else if p.AskEUR > *p.AskCapEUR {
				t.Errorf("%s: %s ask_eur = %v, want at most ask_cap_eur %v", query, p.ISO3, p.AskEUR, *p.AskCapEUR)
			}
			isos = append(isos, p.ISO3)
		}
		return isos
	}
	all := fetch("?coalition=COW2025")
	if !slices.Contains(all, "SVK") || slices.Contains(all, "RUS") || slices.Contains(all, "HUN") {
		t.Fatalf("without exclusions: %v (SVK expected; RUS and HUN voted against a resolution)", all)
	}
	var ineligible []string
	for _, i := range rep.Ineligible {
		ineligible = append(ineligible, i.ISO3)
	}
	if !slices.Contains(ineligible, "RUS") {
		t.Errorf("ineligible %v lacks RUS", ineligible)
	}
	if allowed := fetch("?allow=hun"); !slices.Contains(allowed, "HUN") {
		t.Errorf("allow=hun: %v lacks HUN", allowed)
	}
	all = fetch("?coalition=COW2025")
	some := fetch("?coalition=COW2025&exclude=HUN,svk")
	if slices.Contains(some, "SVK") || len(some) != len(all)-1 || !slices.Equal(rep.Excluded, []string{"HUN", "SVK"}) {
		t.Errorf("exclude=HUN,svk: %v, excluded %v", some, rep.Excluded)
	}
	for _, c := range []struct{ query, field string }{
		{"?exclude=HUNGARY", "exclude"},
		{"?cap_history=-1", "cap_history"},
		{"?a_votes=-1", "a_votes"},
		{"?include_ineligible=maybe", "include_ineligible"},
		{"?allow=Hungary", "allow"},
	} {
		code, h, b := get(t, srv.URL+"/api/v1/prospects"+c.query)
		anProblem(t, code, h, b, 400, c.field)
	}
}
