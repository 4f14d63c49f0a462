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
	"net/url"
	"strconv"
	"strings"
	"testing"

	"coalition"
	"coalition/http"
	"coalition/sqlstore/sqltest"
)

// TestCoverageOneAnswer: the same coverage question asked through the CLI
// (--json), the API and the coalition page's CSV download gives the same
// figures, for the three answers to "who counts". COW2025 needs €100m a
// month of air defence in 2030-01..03; the United States, not a member,
// pledges €150m over the same months (€50m a month); the EU institutions
// (channel EUI, here funded 25% by France, a joined member, and 75% by
// Hungary, not one) pledge €90m over the same months (€30m a month).
// Worked by hand:
//   - all: €50m + €30m = €80m a month pledged against €100m, a gap of €20m
//     a month, €60m net and monthly;
//   - members: nothing pledged, a gap of €100m a month, €300m;
//   - members+channels: France's 25% of the EU's €30m = €7.5m a month, a
//     gap of €92.5m a month, €277.5m.
//
// (The coalition page counted joined members only while the API counted
// every donor, and said 0% where the API said 50%.)
func TestCoverageOneAnswer(t *testing.T) {
	db := analysisStoreDB(t)
	ctx := coalition.WithUser(context.Background(), coalition.System)
	s := sqltest.OpenDSN(t, "sqlite:"+db)
	defer s.Close()
	cow, err := s.FindCoalitionByCode(ctx, "COW2025")
	if err != nil {
		t.Fatal(err)
	}
	jan, _ := coalition.ParseMonth("2030-01")
	mar, _ := coalition.ParseMonth("2030-03")
	if err := s.CreateRequirement(ctx, &coalition.Requirement{CoalitionID: &cow.ID, Recipient: "UKR", Category: "air-defence",
		AmountEUR: 100e6 * 100, From: jan, To: mar, Visibility: coalition.Public, Source: "test need"}); err != nil {
		t.Fatal(err)
	}
	// Nothing financial or humanitarian is needed, said explicitly (without
	// a stored row those types take the historical model).
	for _, cat := range []string{"financial", "humanitarian"} {
		if err := s.CreateRequirement(ctx, &coalition.Requirement{CoalitionID: &cow.ID, Recipient: "UKR", Category: cat,
			From: jan, To: mar, Visibility: coalition.Public, Source: "test: nothing needed"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreatePledge(ctx, &coalition.Pledge{Donor: "USA", Recipient: "UKR", Category: "air-defence",
		Amount: coalition.Money{Minor: 150e6 * 100, Currency: "EUR"}, AmountEUR: 150e6 * 100, FXRate: 1, Announced: coalition.Date{Y: 2029, M: 12, D: 1},
		DeliverFrom: jan, DeliverTo: mar, Status: coalition.Committed, Visibility: coalition.Public, Source: "test pledge", AsOf: coalition.Date{Y: 2029, M: 12, D: 1}}); err != nil {
		t.Fatal(err)
	}
	eui, err := s.FindChannelByCode(ctx, "EUI")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteChannel(ctx, eui.ID, eui.Version); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateChannel(ctx, &coalition.Channel{Code: "EUI", Name: "EU institutions", Donor: "EUI", Key: "test key", Source: "test",
		Contributors: []coalition.ChannelContributor{{ISO3: "FRA", Share: 0.25, Source: "test"}, {ISO3: "HUN", Share: 0.75, Source: "test"}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreatePledge(ctx, &coalition.Pledge{Donor: "EUI", Recipient: "UKR", Category: "air-defence",
		Amount: coalition.Money{Minor: 90e6 * 100, Currency: "EUR"}, AmountEUR: 90e6 * 100, FXRate: 1, Announced: coalition.Date{Y: 2029, M: 12, D: 1},
		DeliverFrom: jan, DeliverTo: mar, Status: coalition.Committed, Visibility: coalition.Public, Source: "test EU pledge", AsOf: coalition.Date{Y: 2029, M: 12, D: 1}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), s, http.Config{}))
	defer srv.Close()

	type cell struct{ required, pledged, gap float64 }
	for _, tc := range []struct {
		counts                      string
		pledged, netGap, monthlyGap float64 // pledged per month
	}{{"all", 80e6, 60e6, 60e6}, {"members", 0, 300e6, 300e6}, {"members+channels", 7.5e6, 277.5e6, 277.5e6}} {
		t.Run(tc.counts, func(t *testing.T) {
			// The CLI.
			out, _, err := runCLI(t, "", "coverage", "--from", "2030-01", "--to", "2030-03", "--counts", tc.counts, "--json", "--db", db)
			if err != nil {
				t.Fatal(err)
			}
			cli := decodeCoverage(t, []byte(out))
			// The API.
			resp, err := stdhttp.Get(srv.URL + "/api/v1/coverage?coalition=COW2025&from=2030-01&to=2030-03&counts=" + url.QueryEscape(tc.counts))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("API: %d %s", resp.StatusCode, body)
			}
			api := decodeCoverage(t, body)
			// The page's CSV download.
			resp, err = stdhttp.Get(srv.URL + fmt.Sprintf("/csv/coalition-coverage?id=%d&from=2030-01&to=2030-03&counts=%s", cow.ID, url.QueryEscape(tc.counts)))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(resp.Body).ReadAll()
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("CSV: %d %v", resp.StatusCode, err)
			}
			page := map[string]cell{}
			head := map[string]int{}
			for i, h := range rows[0] {
				head[h] = i
			}
			for _, r := range rows[1:] {
				if r[head["category"]] != "Air defence" {
					continue
				}
				num := func(k string) float64 {
					v, err := strconv.ParseFloat(r[head[k]], 64)
					if err != nil {
						t.Fatalf("CSV %s %q: %v", k, r[head[k]], err)
					}
					return v
				}
				page[r[head["month"]]] = cell{num("required_eur"), num("pledged_eur"), num("gap_eur")}
			}
			for _, m := range []string{"2030-01", "2030-02", "2030-03"} {
				want := cell{100e6, tc.pledged, 100e6 - tc.pledged}
				for name, got := range map[string]cell{"CLI": cli.cells[m], "API": api.cells[m], "page CSV": page[m]} {
					if math.Abs(got.required-want.required) > 0.01 || math.Abs(got.pledged-want.pledged) > 0.01 || math.Abs(got.gap-want.gap) > 0.01 {
						t.Errorf("%s %s: required %.2f pledged %.2f gap %.2f, want %.2f %.2f %.2f", name, m, got.required, got.pledged, got.gap,
							want.required, want.pledged, want.gap)
					}
				}
			}
			for name, got := range map[string]coverageOut{"CLI": cli, "API": api} {
				if got.Counts != tc.counts || math.Abs(got.NetGap-tc.netGap) > 0.01 || math.Abs(got.MonthlyGap-tc.monthlyGap) > 0.01 {
					t.Errorf("%s: counts %q net gap %.2f monthly gap %.2f, want %q %.2f %.2f", name, got.Counts, got.NetGap, got.MonthlyGap,
						tc.counts, tc.netGap, tc.monthlyGap)
				}
			}
		})
	}
	// The page says whose pledges it counts.
	resp, err := stdhttp.Get(srv.URL + "/coalitions/COW2025?from=2030-01&to=2030-03&counts=members")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "joined members&#39; (and COW2025&#39;s own) visible pledges") {
		t.Errorf("coalition page (counts=members): %d, does not say whose pledges count", resp.StatusCode)
	}
}

type coverageOut struct {
	Counts     string
	NetGap     float64
	MonthlyGap float64
	cells      map[string]struct{ required, pledged, gap float64 }
}

func decodeCoverage(t *testing.T, b []byte) coverageOut {
	t.Helper()
	var v struct {
		Counts     string  `json:"counts"`
		NetGap     float64 `json:"net_gap_eur"`
		MonthlyGap float64 `json:"monthly_gap_eur"`
		Result     struct {
			Cells []struct {
				Category string  `json:"category"`
				Month    string  `json:"month"`
				Required float64 `json:"required"`
				Pledged  float64 `json:"pledged"`
				Gap      float64 `json:"gap"`
			} `json:"cells"`
		} `json:"result"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %.200s", err, b)
	}
	out := coverageOut{Counts: v.Counts, NetGap: v.NetGap, MonthlyGap: v.MonthlyGap, cells: map[string]struct{ required, pledged, gap float64 }{}}
	for _, c := range v.Result.Cells {
		if c.Category == "air-defence" {
			out.cells[c.Month] = struct{ required, pledged, gap float64 }{c.Required, c.Pledged, c.Gap}
		}
	}
	return out
}
