package report_test

import (
	"context"
	"strings"
	"testing"

	"coalition"
	"coalition/refdata"
	"coalition/report"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

// A store with the reference tables (countries, COW2025) and, as the only
// support, three allocations by the United States in 2023: €36m military,
// €108m financial, €72m humanitarian. The historical model (Σ 2022-01..
// 2024-12 / 36) is then €1m a month military, €3m financial and €2m
// humanitarian.
func needStore(t *testing.T) (*sqlstore.Store, *coalition.Coalition) {
	t.Helper()
	s := sqltest.Open(t)
	ds, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(sys, ds, false); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		cat string
		eur int64
	}{{"military", 36e6}, {"financial", 108e6}, {"humanitarian", 72e6}} {
		d := coalition.Date{Y: 2023, M: 3, D: 1}
		if err := s.CreatePledge(sys, &coalition.Pledge{Donor: "USA", Recipient: "UKR", Category: p.cat,
			Amount: coalition.Money{Minor: p.eur * 100, Currency: "EUR"}, AmountEUR: p.eur * 100, FXRate: 1, Announced: d,
			Status: coalition.Allocated, Visibility: coalition.Public, Source: "test allocation", AsOf: d}); err != nil {
			t.Fatal(err)
		}
	}
	cow, err := s.FindCoalitionByCode(sys, "COW2025")
	if err != nil {
		t.Fatal(err)
	}
	return s, cow
}

// One stored category, the rest falling back per support type (and per
// month): COW2025 states €5m a month of financial need in 2025-01..06 only.
// Over 2025-01..12 the need is, by hand:
//
//	financial:    6 × €5m (stored) + 6 × €3m (historical, Jul–Dec) = €48m
//	military:    12 × €1m (historical)                             = €12m
//	humanitarian 12 × €2m (historical)                             = €24m
//	total                                                           €84m
//
// Before, the one stored requirement made every other need €0: €30m in all.
// With need=historical the stored row is ignored: 12 × (1 + 3 + 2) = €72m.
func TestCoverageNeedFallsBackPerType(t *testing.T) {
	s, cow := needStore(t)
	jan, _ := coalition.ParseMonth("2025-01")
	jun, dec := jan.Add(5), jan.Add(11)
	if err := s.CreateRequirement(sys, &coalition.Requirement{CoalitionID: &cow.ID, Recipient: "UKR", Category: "financial",
		AmountEUR: 5e6 * 100, From: jan, To: jun, Visibility: coalition.Public, Source: "test: IMF", AsOf: "2024-10-03"}); err != nil {
		t.Fatal(err)
	}
	rep, err := report.Coverage(sys, s, "COW2025", report.CoverageOptions{From: jan, To: dec})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"financial": 48e6, "military": 12e6, "humanitarian": 24e6}
	got := map[string]float64{}
	for _, c := range rep.Result.Categories {
		got[c.Category] = c.Required
	}
	for c, w := range want {
		if !near(got[c], w, 1e-9) {
			t.Errorf("%s required over 2025 %.0f, want %.0f", c, got[c], w)
		}
	}
	if !near(rep.Result.Total.Required, 84e6, 1e-9) {
		t.Errorf("total required %.0f, want 84e6", rep.Result.Total.Required)
	}
	if r, _ := cell(t, rep, "financial", "2025-03"); r != 5e6 {
		t.Errorf("financial March %.0f, want the stored 5e6", r)
	}
	if r, _ := cell(t, rep, "financial", "2025-09"); !near(r, 3e6, 1e-9) {
		t.Errorf("financial September %.0f, want the historical 3e6", r)
	}
	eq(t, "need", rep.Need, "stored")
	for _, b := range []struct{ typ, says string }{
		{"financial", "stored requirements of COW2025 (1 visible to you) for 6 months"},
		{"financial", "2025-07..2025-12"},
		{"military", "historical model"},
		{"reconstruction", "not measured"},
	} {
		if got := rep.RequirementBases[b.typ]; !strings.Contains(got, b.says) {
			t.Errorf("%s basis %q, want it to say %q", b.typ, got, b.says)
		}
	}
	if !strings.Contains(rep.RequirementBasis, "humanitarian: historical model") {
		t.Errorf("basis %q does not say humanitarian uses the historical model", rep.RequirementBasis)
	}
	if !near(rep.RequirementMonthly["military"], 1e6, 1e-9) || !near(rep.RequirementMonthly["financial"], 3e6, 1e-9) {
		t.Errorf("historical model per type %v, want military 1e6, financial 3e6", rep.RequirementMonthly)
	}
	wantSources(t, rep.Sources, "requirement")

	hist, err := report.Coverage(sys, s, "COW2025", report.CoverageOptions{From: jan, To: dec, Need: report.NeedHistorical})
	if err != nil {
		t.Fatal(err)
	}
	if !near(hist.Result.Total.Required, 72e6, 1e-9) || hist.Need != "historical" ||
		!strings.Contains(hist.RequirementBases["financial"], "historical model") {
		t.Errorf("need=historical: required %.0f (want 72e6), bases %q", hist.Result.Total.Required, hist.RequirementBases)
	}
	_, err = report.Coverage(sys, s, "COW2025", report.CoverageOptions{From: jan, To: dec, Need: "assessed"})
	wantField(t, err, "need")
}

// report.Needs lists the coalition's requirements with money per month,
// source, as-of date and note; a physical need also per unit.
func TestNeedsList(t *testing.T) {
	s, cow := needStore(t)
	jan, _ := coalition.ParseMonth("2026-01")
	qty := int64(120_000) // shells over 12 months: 10,000 a month at €4,000
	if err := s.CreateRequirement(sys, &coalition.Requirement{CoalitionID: &cow.ID, Recipient: "UKR", Category: "ammunition",
		Capability: "155 mm artillery shells", Unit: "shell", Quantity: &qty, UnitValue: 4000 * 100, From: jan, To: jan.Add(11),
		Visibility: coalition.Public, Source: "test: MoD request", AsOf: "2025-12-01", Note: "test"}); err != nil {
		t.Fatal(err)
	}
	rep, err := report.Needs(context.Background(), s, "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Coalition != "COW2025" || len(rep.Requirements) != 1 {
		t.Fatalf("needs %+v", rep)
	}
	r := rep.Requirements[0]
	// 120,000 × €4,000 / 12 months = €40m a month.
	eq(t, "capability", r.Capability, "155 mm artillery shells")
	eq(t, "unit", r.Unit, "shell")
	if r.QuantityPerMonth == nil || r.UnitCostEUR == nil {
		t.Fatalf("quantity per month %v, unit cost %v: want both", r.QuantityPerMonth, r.UnitCostEUR)
	}
	eq(t, "quantity per month", *r.QuantityPerMonth, 10_000)
	eq(t, "unit cost", *r.UnitCostEUR, 4000)
	eq(t, "amount per month", r.AmountEURPerMonth, 40e6)
	if r.Source == "" {
		t.Error("source is empty")
	}
	eq(t, "as of", r.AsOf, "2025-12-01")
	eq(t, "type", r.Type, "military")
	eq(t, "from", r.From, "2026-01")
	eq(t, "to", r.To, "2026-12")
}
