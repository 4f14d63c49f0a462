package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"coalition"
	"coalition/internal/check"
	"coalition/internal/reftest"
	"coalition/refdata"
	"coalition/sqlstore/sqltest"
)

// politicalRows counts the rows of political_risks.csv (seeded as risk
// events) of the given countries (nil: all) whose date or window meets
// from..to.
func politicalRows(t *testing.T, countries []string, from, to string) int {
	t.Helper()
	rs, err := refdata.PoliticalRisks()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rs {
		if (countries == nil || slices.Contains(countries, r.ISO3)) && r.Latest.String() >= from && r.Earliest.String() <= to {
			n++
		}
	}
	return n
}

// storedRisk is the part of `risk --coalition --json` the tests read.
type storedRisk struct {
	Coalition string   `json:"coalition"`
	Notes     []string `json:"notes"`
	Members   []struct {
		ISO3         string  `json:"iso3"`
		Role         string  `json:"role"`
		SupportBasis string  `json:"support_basis"`
		Events       []int64 `json:"events"`
	} `json:"members"`
	Model struct {
		Start  string `json:"start"`
		Months int    `json:"months"`
		Trials int    `json:"trials"`
	} `json:"model"`
	Sources []struct {
		Figure string `json:"figure"`
		Source string `json:"source"`
	} `json:"sources"`
	Result json.RawMessage `json:"result"`
}

func seededDB(t *testing.T) string {
	t.Helper()
	db := tempDB(t)
	if _, _, err := cli(t, nil, "seed", "--db", db); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestRiskCoalitionCLI(t *testing.T) {
	db := seededDB(t)
	out, _, err := cli(t, nil, "risk", "--coalition", "COW2025", "--start", "2026-01", "--horizon", "36", "--trials", "3000", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var got storedRisk
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err, out)
	}
	var members []string
	events := 0
	for _, m := range got.Members {
		members = append(members, m.ISO3)
		events += len(m.Events)
	}
	// 34 joined members (countries --group COW2025), the United States,
	// then the EU members outside the coalition with only their share of
	// the EU institutions' support (Slovakia, Hungary, Malta).
	if len(members) != 38 || members[34] != "USA" || got.Members[34].Role != "united-states" {
		t.Fatalf("members %v", members)
	}
	for _, m := range got.Members[35:] {
		if m.Role != "channel-contributor" {
			t.Errorf("%s: role %q, want channel-contributor", m.ISO3, m.Role)
		}
	}
	if want := reftest.ElectionRows(t, members, "2026", "2027", "2028") + politicalRows(t, members, "2026-01-01", "2028-12-31"); events != want {
		t.Errorf("%d risk events in 2026–2028, want %d (elections.csv and political_risks.csv)", events, want)
	}
	var res riskJSON
	if err := json.Unmarshal(got.Result, &res); err != nil {
		t.Fatal(err)
	}
	if check.Facts(t, check.Eq("trials", res.Trials, 3000), check.Eq("months", len(res.Months), 36), check.Eq("members", len(res.Members), 38)) {
		check.Facts(t, check.Eq("first month", res.Months[0].Month, "2026-01"))
	}
	if len(got.Sources) == 0 || len(got.Notes) == 0 {
		t.Errorf("no sources or notes: %+v", got)
	}

	// The printed model run with --input gives the same result, bit for bit
	// (elapsed_ms aside), with any number of workers.
	model, _, err := cli(t, nil, "risk", "--coalition", "COW2025", "--start", "2026-01", "--horizon", "36", "--trials", "3000", "--print-model", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "model.json")
	if err := os.WriteFile(file, []byte(model), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"1", "3"} {
		out, _, err := cli(t, nil, "risk", "--input", file, "--workers", w, "--json")
		if err != nil {
			t.Fatal(err)
		}
		if a, b := withoutElapsed(t, got.Result), withoutElapsed(t, []byte(out)); a != b {
			t.Errorf("--input of the printed model with %s workers differs from --coalition", w)
		}
	}

	// The table names the members' support basis, the notes and the sources.
	out, _, err = cli(t, nil, "risk", "--coalition", "COW2025", "--trials", "500", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	// Without --horizon the model runs from the month after the data
	// (Kiel to 2026-04) to the last month of the bundled requirements
	// (2027-12): 20 months, said in a note. The note on the pipeline names
	// the EU institutions' commitments still to be allocated: the sum of
	// Kiel's to_be_allocated for "EU (Commission and Council)" in
	// data_explorer.csv is 106.299 bn.
	for _, want := range []string{"SUPPORT BASIS", "baseline", "united-states", "Note: ", "Sources:", "risk event", "P(S > 0)",
		"political risk over 2026-05..2027-12", "Horizon 2026-05..2027-12 (20 months)", "Not in the supply", "EUI €106.3 bn"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func withoutElapsed(t *testing.T, b []byte) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "elapsed_ms")
	out, _ := json.Marshal(m)
	return string(out)
}

// An edit of a stored risk event (probability 1) reaches the model: the
// United States' p_event becomes 1 (its midterm of 2026-11-03 is in the horizon).
func TestRiskCoalitionUsesEditedEvents(t *testing.T) {
	db := seededDB(t)
	ctx := coalition.WithUser(context.Background(), coalition.System)
	s := sqltest.OpenDSN(t, db)
	evs, err := s.FindRiskEvents(ctx, coalition.RiskEventFilter{ISO3: "USA", From: coalition.Date{Y: 2026, M: 11, D: 3}, To: coalition.Date{Y: 2026, M: 11, D: 3}})
	if err != nil || len(evs) != 1 || evs[0].Kind != "election" {
		t.Fatal(evs, err)
	}
	one := 1.0
	if _, err := s.UpdateRiskEvent(ctx, evs[0].ID, coalition.RiskEventUpdate{Version: evs[0].Version, Probability: &one}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	out, _, err := cli(t, nil, "risk", "--coalition", "COW2025", "--start", "2026-01", "--trials", "1000", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var got storedRisk
	json.Unmarshal([]byte(out), &got)
	var res riskJSON
	json.Unmarshal(got.Result, &res)
	found := false
	for _, m := range res.Members {
		if m.ISO3 == "USA" {
			found = true
			if m.PEvent != 1 {
				t.Errorf("USA p_event %v, want 1 after the edit", m.PEvent)
			}
		}
	}
	if !found {
		t.Fatalf("no USA in %s", out)
	}
}

func TestRiskCoalitionCLIErrors(t *testing.T) {
	db := seededDB(t)
	for _, c := range []struct {
		args  []string
		field string // "" for a usage error
	}{
		{[]string{"--coalition", "COW2025", "--horizon", "0"}, "--horizon"},
		{[]string{"--coalition", "COW2025", "--start", "2026-13"}, "--start"},
		{[]string{"--coalition", "NOPE"}, "coalition"},
		{[]string{"--coalition", "COW2025", "--trials", "-3"}, "--trials"},
		{[]string{"--coalition", "COW2025", "--input", "x.json"}, ""},
		{[]string{"--print-model", "--input", "x.json"}, ""},
		{[]string{}, ""},
	} {
		_, _, err := cli(t, nil, append(append([]string{"risk"}, c.args...), "--db", db)...)
		if exitCode(err) != 2 {
			t.Errorf("%v: exit %d (%v), want 2", c.args, exitCode(err), err)
			continue
		}
		var ce *coalition.Error
		if c.field != "" && (!errors.As(err, &ce) || ce.Field != c.field) {
			t.Errorf("%v: %v, want an error naming %s", c.args, err, c.field)
		}
	}
}

func TestRiskEventsCLI(t *testing.T) {
	db := seededDB(t)
	out, _, err := cli(t, nil, "risk-events", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var all []coalition.RiskEvent
	if err := json.Unmarshal([]byte(out), &all); err != nil {
		t.Fatal(err)
	}
	if want := reftest.ElectionRows(t, nil) + politicalRows(t, nil, "0000", "9999"); len(all) != want {
		t.Errorf("%d risk events, want %d (dated rows of elections.csv and political_risks.csv)", len(all), want)
	}
	out, _, err = cli(t, nil, "risk-events", "--country", "usa", "--from", "2027-10-02", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var usa []coalition.RiskEvent
	json.Unmarshal([]byte(out), &usa)
	if check.Facts(t, check.Eq("USA events from 2027-10-02", len(usa), 1)) {
		check.Facts(t,
			check.Eq("USA event date", usa[0].Date.String(), "2028-11-07"),
			check.Eq("USA event kind", usa[0].Kind, "election"),
			check.Holds("USA event source", strings.HasPrefix(usa[0].Source, "https://"), usa[0].Source, "a https:// link"),
		)
	}
	out, _, err = cli(t, nil, "risk-events", "--country", "FRA", "--db", db)
	if err != nil || !strings.Contains(out, "2027-04-18") || !strings.Contains(out, "user assumptions") {
		t.Errorf("table: %v\n%s", err, out)
	}
	for _, c := range []struct {
		args  []string
		field string
	}{
		{[]string{"--country", "FRANCE"}, "--country"},
		{[]string{"--from", "2027-02-30"}, "--from"},
		{[]string{"--from", "2027-02-01", "--to", "2027-01-01"}, "--to"},
	} {
		_, _, err := cli(t, nil, append(append([]string{"risk-events"}, c.args...), "--db", db)...)
		var ce *coalition.Error
		if !errors.As(err, &ce) || ce.Field != c.field || exitCode(err) != 2 {
			t.Errorf("%v: %v, want an Invalid error naming %s", c.args, err, c.field)
		}
	}
}
