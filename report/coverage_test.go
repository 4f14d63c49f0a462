package report_test

import (
	"context"
	"testing"

	"coalition"
	"coalition/report"
)

// cell returns the coverage cell of category in month.
func cell(t *testing.T, rep *report.CoverageReport, category, month string) (req, pledged float64) {
	t.Helper()
	for _, c := range rep.Result.Cells {
		if c.Category == category && c.Month.String() == month {
			return c.Required, c.Pledged
		}
	}
	t.Fatalf("no cell %s %s", category, month)
	return 0, 0
}

func TestCoverageDefault(t *testing.T) {
	s := seeded(t)
	rep, err := report.Coverage(context.Background(), s, "", report.CoverageOptions{})
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
	// Default period: the 12 months ending with the last month of support.
	if rep.Result.To != last || rep.Result.From != last.Add(-11) || rep.Coalition != "COW2025" {
		t.Fatalf("period %s..%s of %s, want %s..%s of COW2025", rep.Result.From, rep.Result.To, rep.Coalition, last.Add(-11), last)
	}
	// Each Kiel allocation is one month: pledged = that month's allocations.
	m := last.Add(-3)
	var want float64
	for _, d := range sup {
		if d.Month == m && d.Type == coalition.Military {
			want += d.EUR
		}
	}
	req, pledged := cell(t, rep, "military", m.String())
	if !near(pledged, want, 1e-9) || !near(req, rep.RequirementMonthly["military"], 1e-12) {
		t.Fatalf("military %s: required %.0f pledged %.0f, want %.0f and %.0f", m, req, pledged, rep.RequirementMonthly["military"], want)
	}
}

// A confidential pledge changes what its delegate sees, not what an
// anonymous reader sees; a coalition-visible requirement replaces the
// baseline need only for those who may see it.
func TestCoverageVisibility(t *testing.T) {
	s := seeded(t)
	cow, err := s.FindCoalitionByCode(sys, "COW2025")
	if err != nil {
		t.Fatal(err)
	}
	jun, _ := coalition.ParseMonth("2025-06")
	from, to := jun.Add(-5), jun.Add(6)
	anon := context.Background()
	gbr := coalition.WithUser(anon, &coalition.User{ID: 9, Role: coalition.Delegate, Country: "GBR", Coalitions: []int64{cow.ID}})
	fra := coalition.WithUser(anon, &coalition.User{ID: 10, Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{cow.ID}})
	before := map[string]float64{}
	for name, ctx := range map[string]context.Context{"anonymous": anon, "gbr": gbr, "fra": fra} {
		rep, err := report.Coverage(ctx, s, "COW2025", report.CoverageOptions{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		_, before[name] = cell(t, rep, "military", "2025-06")
	}
	// €1.2bn of air defence, confidential to the UK, delivered over June–August:
	// 1.2e9 / 3 = 4e8 a month, under "military" (the need's type).
	p := &coalition.Pledge{Donor: "GBR", Recipient: "UKR", CoalitionID: &cow.ID, Category: "air-defence",
		Amount: coalition.Money{Minor: 1_200_000_000_00, Currency: "EUR"}, AmountEUR: 1_200_000_000_00,
		Announced: coalition.Date{Y: 2025, M: 5, D: 20}, DeliverFrom: jun, DeliverTo: jun.Add(2),
		Status: coalition.Committed, Visibility: coalition.Confidential, Source: "test: UK MoD (confidential)"}
	if err := s.CreatePledge(sys, p); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{"anonymous": 0, "gbr": 4e8, "fra": 0} {
		ctx := map[string]context.Context{"anonymous": anon, "gbr": gbr, "fra": fra}[name]
		rep, err := report.Coverage(ctx, s, "COW2025", report.CoverageOptions{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		_, after := cell(t, rep, "military", "2025-06")
		if !near(after-before[name], want, 1e-9) {
			t.Errorf("%s: June military pledged changed by %.0f, want %.0f", name, after-before[name], want)
		}
	}

	// A stored, coalition-visible requirement: €3bn a month of air defence.
	r := &coalition.Requirement{CoalitionID: &cow.ID, Recipient: "UKR", Category: "air-defence", AmountEUR: 3_000_000_000_00,
		From: from, To: to, Visibility: coalition.CoalitionVis, Source: "test: Ukrainian MoD request"}
	if err := s.CreateRequirement(sys, r); err != nil {
		t.Fatal(err)
	}
	rep, err := report.Coverage(gbr, s, "COW2025", report.CoverageOptions{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	req, pledged := cell(t, rep, "air-defence", "2025-07")
	// Military has a stored requirement; financial and humanitarian have
	// none, and fall back to the historical model (not to €0).
	_, milModel := rep.RequirementMonthly["military"]
	eq(t, "air-defence July required", req, 3e9)
	nearly(t, "air-defence July pledged", pledged, 4e8, 1e-9)
	eq(t, "military uses the historical model", milModel, false)
	for _, typ := range []string{"financial", "humanitarian"} {
		if v := rep.RequirementMonthly[typ]; v <= 0 {
			t.Errorf("%s historical requirement = %v a month, want > 0", typ, v)
		}
	}
	// 3e9 − 4e8 = 2.6e9 gap in each of June–August, 3e9 in the other 9
	// months: 3 × 2.6e9 + 9 × 3e9 = 3.48e10 over the year.
	for _, c := range rep.Result.Categories {
		if c.Category == "air-defence" && !near(c.Gap, 3.48e10, 1e-12) {
			t.Errorf("air-defence gap over the year %.0f, want 3.48e10", c.Gap)
		}
	}
	rep, err = report.Coverage(anon, s, "COW2025", report.CoverageOptions{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	if rep.RequirementMonthly == nil {
		t.Errorf("anonymous reader sees the coalition's requirement: basis %q", rep.RequirementBasis)
	}
	wantSources(t, rep.Sources, "pledges")
}

func TestCoverageErrors(t *testing.T) {
	s := seeded(t)
	a, _ := coalition.ParseMonth("2025-06")
	_, err := report.Coverage(context.Background(), s, "", report.CoverageOptions{From: a, To: a - 1})
	wantField(t, err, "to")
	_, err = report.Coverage(context.Background(), s, "NOPE", report.CoverageOptions{})
	wantField(t, err, "coalition")
}
