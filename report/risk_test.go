package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"coalition"
	"coalition/analysis/risk"
	"coalition/internal/reftest"
	"coalition/report"
	"coalition/seed"
	"coalition/sqlstore"
)

// seededWithElections is seeded plus the bundled elections calendar as
// stored risk events (what `coalition seed` loads).
func seededWithElections(t *testing.T) *sqlstore.Store {
	t.Helper()
	s := seeded(t)
	evs, err := seed.ElectionEvents()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(sys, &coalition.Dataset{RiskEvents: evs}, false); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRiskModelCOW2025(t *testing.T) {
	s := seededWithElections(t)
	cow, err := s.FindCoalitionByCode(sys, "COW2025")
	if err != nil {
		t.Fatal(err)
	}
	start, _ := coalition.ParseMonth("2026-01")
	in, err := report.RiskModel(context.Background(), s, "COW2025", start, 36, report.RiskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Members: the joined members and the United States.
	want := append(cow.JoinedMembers(), "USA")
	var got []string
	events := 0
	for i, m := range in.Model.Members {
		got = append(got, m.ISO3)
		events += len(m.Events)
		if in.Members[i].ISO3 != m.ISO3 || len(in.Members[i].Events) != len(m.Events) {
			t.Errorf("member %d: %+v does not describe %s with %d events", i, in.Members[i], m.ISO3, len(m.Events))
		}
		if m.Reliability == nil || *m.Reliability != report.DefaultReliability {
			t.Errorf("%s: reliability %v, want the default %v", m.ISO3, m.Reliability, report.DefaultReliability)
		}
	}
	if !slices.Equal(got, want) || in.Members[len(want)-1].Role != "united-states" {
		t.Fatalf("members %v, want %v with USA last as united-states", got, want)
	}
	// Events: every election of these countries dated 2026–2028 in the calendar.
	if n := reftest.ElectionRows(t, want, "2026", "2027", "2028"); events != n || n < 30 {
		t.Errorf("%d events in 2026-01..2028-12, want %d (counted in elections.csv; at least 30)", events, n)
	}
	eq(t, "model start", in.Model.Start, start)
	eq(t, "model months", in.Model.Months, 36)
	eq(t, "model trials", in.Model.Trials, report.DefaultRiskTrials)
	eq(t, "model correlation", in.Model.Correlation, report.DefaultRiskCorrelation)
	wantSourcePrefixes(t, in.Sources, "members", "risk event", "reliability", "correlation", "shortfall_threshold", "requirement", "support (pledges)", "support (baseline")
}

// wantSourcePrefixes checks that some source with a text cites a figure
// starting with each prefix.
func wantSourcePrefixes(t *testing.T, got []report.Source, prefixes ...string) {
	t.Helper()
	for _, p := range prefixes {
		found := false
		for _, s := range got {
			found = found || (strings.HasPrefix(s.Figure, p) && s.Source != "")
		}
		if !found {
			t.Errorf("no source for a figure %q… among %d sources", p, len(got))
		}
	}
}

// By default the horizon starts after the last month of data, where nobody
// has pledges: every member's support is its average allocations of the last
// 12 months, and the requirement the 2022–2024 baseline.
func TestRiskModelBaseline(t *testing.T) {
	s := seededWithElections(t)
	in, err := report.RiskModel(context.Background(), s, "", 0, 0, report.RiskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sup, err := s.MonthlySupport(sys, coalition.DonorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var last coalition.Month
	for _, d := range sup {
		last = max(last, d.Month)
	}
	m := in.Model
	if m.Start != last.Add(1) || m.Months != report.DefaultRiskHorizon {
		t.Fatalf("horizon %s + %d, want %s + %d", m.Start, m.Months, last.Add(1), report.DefaultRiskHorizon)
	}
	// DEU's military support = its military allocations over the last 12
	// months of data / 12, by the donor totals (another query of the store).
	tot, err := s.DonorTotals(sys, coalition.DonorFilter{Since: last.Add(-11), Until: last, Type: coalition.Military})
	if err != nil {
		t.Fatal(err)
	}
	var deu float64
	for _, r := range tot {
		if r.ISO3 == "DEU" {
			deu = r.MilitaryEUR
		}
	}
	for i, mem := range m.Members {
		if mem.ISO3 != "DEU" {
			continue
		}
		sr := mem.Support["military"]
		if deu == 0 {
			t.Fatal("DEU has no military support in the data")
		}
		eq(t, "DEU support basis", in.Members[i].SupportBasis, "baseline")
		if sr.Monthly != nil {
			t.Errorf("DEU military support by month %v, want one value every month", sr.Monthly)
		}
		nearly(t, "DEU military support", sr.Value, deu/12, 1e-9)
	}
	if r := m.Requirements["military"]; r.Monthly != nil || !near(r.Value, in.RequirementMonthly["military"], 1e-12) {
		t.Errorf("military requirement %+v, want the baseline %.0f every month", r, in.RequirementMonthly["military"])
	}
	if !strings.Contains(strings.Join(in.Notes, "\n"), "average monthly allocations") {
		t.Errorf("notes do not say that support is a baseline: %q", in.Notes)
	}
	// 5% of the total requirement over the horizon.
	var total float64
	for _, c := range m.Categories {
		total += m.Requirements[c].Value * float64(m.Months)
	}
	if !near(m.ShortfallThreshold, report.DefaultShortfallShare*total, 1e-9) {
		t.Errorf("threshold %.0f, want 5%% of %.0f", m.ShortfallThreshold, total)
	}
}

// A coalition whose only donor with support is FRA: €200m a month of
// pledged military support against a €100m requirement. Its presidential
// election (2027-04, default probability 0.25, factor 0.75) cannot open a
// gap (200 × 0.75 = 150 ≥ 100); edited through the store to probability 1
// and factor 0, it always does, from 2027-04 to 2029-04: 25 months × €100m.
func TestRiskModelEditedEvent(t *testing.T) {
	s := seededWithElections(t)
	tst := &coalition.Coalition{Code: "TST", Name: "test", Recipient: "UKR", Source: "test",
		Members: []coalition.Membership{{ISO3: "FRA", Status: coalition.Joined}}}
	if err := s.CreateCoalition(sys, tst); err != nil {
		t.Fatal(err)
	}
	start, _ := coalition.ParseMonth("2026-05")
	end := start.Add(35)
	if err := s.CreateRequirement(sys, &coalition.Requirement{CoalitionID: &tst.ID, Recipient: "UKR", Category: "ammunition",
		AmountEUR: 100e6 * 100, From: start, To: end, Visibility: coalition.Public, Source: "test need"}); err != nil {
		t.Fatal(err)
	}
	// Nothing financial or humanitarian is needed: said explicitly, as €0
	// requirements (without them those types fall back to the historical
	// model, and the 2022–2024 average would be needed with no supply).
	for _, cat := range []string{"financial", "humanitarian"} {
		if err := s.CreateRequirement(sys, &coalition.Requirement{CoalitionID: &tst.ID, Recipient: "UKR", Category: cat,
			From: start, To: end, Visibility: coalition.Public, Source: "test: nothing needed"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreatePledge(sys, &coalition.Pledge{Donor: "FRA", Recipient: "UKR", Category: "air-defence",
		Amount: coalition.Money{Minor: 36 * 200e6 * 100, Currency: "EUR"}, AmountEUR: 36 * 200e6 * 100,
		Announced: coalition.Date{Y: 2026, M: 4, D: 1}, DeliverFrom: start, DeliverTo: end,
		Status: coalition.Committed, Visibility: coalition.Public, Source: "test pledge"}); err != nil {
		t.Fatal(err)
	}
	run := func() (*report.RiskInput, risk.Result) {
		t.Helper()
		in, err := report.RiskModel(context.Background(), s, "TST", start, 36, report.RiskOptions{Trials: 4000, ExactReliability: true})
		if err != nil {
			t.Fatal(err)
		}
		res, err := risk.Run(context.Background(), in.Model, risk.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return in, res
	}
	in, res := run()
	fra := in.Model.Members[0]
	eq(t, "first member", fra.ISO3, "FRA")
	// the presidential election of 2027-04, and the legislative one whose
	// legal window (2029-04-20..2029-06-19) meets the horizon's last month
	if len(fra.Events) != 2 || fra.Events[1].Earliest == nil || fra.Events[1].Earliest.String() != "2029-04" {
		t.Fatalf("FRA events %+v, want two, the second with the window from 2029-04", fra.Events)
	}
	eq(t, "FRA event month", fra.Events[0].Month.String(), "2027-04")
	eq(t, "FRA event probability", fra.Events[0].Probability, 0.25)
	eq(t, "FRA military support", fra.Support["military"].Value, 200e6)
	eq(t, "FRA support basis", in.Members[0].SupportBasis, "pledges")
	if r := in.Model.Requirements["military"]; r.Value != 100e6 || r.Monthly != nil {
		t.Fatalf("requirement %+v, want €100m every month (ammunition filed under military)", r)
	}
	if res.Shortfall.PPositive != 0 {
		t.Errorf("before the edit P(S>0) = %v, want 0", res.Shortfall.PPositive)
	}
	evs, err := s.FindRiskEvents(sys, coalition.RiskEventFilter{ISO3: "FRA", From: start.FirstDay()})
	if err != nil || len(evs) == 0 {
		t.Fatal(evs, err)
	}
	one, zero := 1.0, 0.0
	if _, err := s.UpdateRiskEvent(sys, evs[0].ID, coalition.RiskEventUpdate{Version: evs[0].Version, Probability: &one, Factor: &zero}); err != nil {
		t.Fatal(err)
	}
	_, res = run()
	if res.Shortfall.PPositive != 1 || !near(res.Shortfall.Mean, 25*100e6, 1e-12) || !near(res.Shortfall.P95, 25*100e6, 1e-12) {
		t.Errorf("after the edit P(S>0) = %v, mean S %.0f, p95 %.0f; want 1 and 25 × 100m", res.Shortfall.PPositive, res.Shortfall.Mean, res.Shortfall.P95)
	}
}

// A confidential pledge changes its delegate's model, not an anonymous
// caller's.
func TestRiskModelVisibility(t *testing.T) {
	s := seededWithElections(t)
	cow, err := s.FindCoalitionByCode(sys, "COW2025")
	if err != nil {
		t.Fatal(err)
	}
	start, _ := coalition.ParseMonth("2026-05")
	// €1.2bn over 2026-06..2026-08: €400m a month.
	if err := s.CreatePledge(sys, &coalition.Pledge{Donor: "FRA", Recipient: "UKR", CoalitionID: &cow.ID, Category: "air-defence",
		Amount: coalition.Money{Minor: 1_200_000_000_00, Currency: "EUR"}, AmountEUR: 1_200_000_000_00,
		Announced: coalition.Date{Y: 2026, M: 5, D: 2}, DeliverFrom: start.Add(1), DeliverTo: start.Add(3),
		Status: coalition.Committed, Visibility: coalition.Confidential, Source: "test: confidential"}); err != nil {
		t.Fatal(err)
	}
	anon := context.Background()
	fra := coalition.WithUser(anon, &coalition.User{ID: 10, Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{cow.ID}})
	member := func(ctx context.Context) (report.RiskMember, risk.Member) {
		in, err := report.RiskModel(ctx, s, "COW2025", start, 36, report.RiskOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range in.Members {
			if m.ISO3 == "FRA" {
				return m, in.Model.Members[i]
			}
		}
		t.Fatal("FRA is not in the model")
		return report.RiskMember{}, risk.Member{}
	}
	rm, m := member(fra)
	want := make([]float64, 36)
	want[1], want[2], want[3] = 400e6, 400e6, 400e6
	if rm.SupportBasis != "pledges" || !near(rm.SupportEUR, 1.2e9, 1e-12) || !slices.Equal(m.Support["military"].Monthly, want) {
		t.Errorf("delegate FRA: %+v, military %v; want the pledge, 400m in months 1–3", rm, m.Support["military"])
	}
	if rm, _ := member(anon); rm.SupportBasis != "baseline" {
		t.Errorf("anonymous: FRA %+v, want its baseline (the pledge is confidential)", rm)
	}
}

func TestRiskModelErrors(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	for _, c := range []struct {
		code    string
		horizon int
		opts    report.RiskOptions
		field   string
	}{
		{"NOPE", 36, report.RiskOptions{}, "coalition"},
		{"", -1, report.RiskOptions{}, "horizon"},
		{"", report.MaxRiskHorizon + 1, report.RiskOptions{}, "horizon"},
		{"", 36, report.RiskOptions{Trials: -5}, "trials"},
		{"", 36, report.RiskOptions{Reliability: &risk.Reliability{Alpha: 0, Beta: 1}}, "members[0].reliability.alpha"},
	} {
		_, err := report.RiskModel(ctx, s, c.code, 0, c.horizon, c.opts)
		wantField(t, err, c.field)
	}
}

// TestRiskModelBitIdentical: the same inputs give the same model, to the
// last bit, however Go orders its maps (the default shortfall threshold
// was summed over a map and differed in its last digits between requests).
func TestRiskModelBitIdentical(t *testing.T) {
	s := seededWithElections(t)
	start, _ := coalition.ParseMonth("2025-01")
	var first *report.RiskInput
	for i := range 25 {
		in, err := report.RiskModel(context.Background(), s, "COW2025", start, 36, report.RiskOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = in
			continue
		}
		if got, want := math.Float64bits(in.Model.ShortfallThreshold), math.Float64bits(first.Model.ShortfallThreshold); got != want {
			t.Fatalf("run %d: shortfall threshold %.6f, first run %.6f", i, in.Model.ShortfallThreshold, first.Model.ShortfallThreshold)
		}
		a, _ := json.Marshal(in.Model)
		b, _ := json.Marshal(first.Model)
		if !bytes.Equal(a, b) {
			t.Fatalf("run %d: the model differs from the first run's", i)
		}
	}
}
