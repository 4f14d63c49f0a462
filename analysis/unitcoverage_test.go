package analysis

import (
	"math"
	"math/rand/v2"
	"testing"

	"coalition"
	"coalition/internal/check"
)

// TestUnitCoverageAgreesWithEuroCoverage (property, issue 18 §1): when
// the requirements' unit values and the system's unit cost are the same,
// coverage in units and coverage in euros agree. The euro side is worked
// out independently: each requirement's euros a month from
// Requirement.MonthlyEUR (the domain's rule) and each supply's units ×
// cost as a one-month flow, through Coverage (the euro engine); its net
// gap must be the unit gap × the cost, and the covered shares equal.
func TestUnitCoverageAgreesWithEuroCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 2))
	base := coalition.MonthOf(2026, 1)
	for run := 0; run < 500; run++ {
		costCents := int64(1 + rng.IntN(5_000_000_00)) // up to €5m a unit
		cost := float64(costCents) / 100
		from, to := base.Add(rng.IntN(6)), base.Add(6+rng.IntN(18))
		var needs []UnitNeed
		var euroNeeds []Need
		for range 1 + rng.IntN(3) {
			nf := base.Add(rng.IntN(24))
			nt := nf.Add(rng.IntN(12))
			q := int64(rng.IntN(200_000))
			r := coalition.Requirement{Quantity: &q, UnitValue: costCents, From: nf, To: nt}
			needs = append(needs, UnitNeed{System: "155 mm shell", Unit: "round", From: nf, To: nt, Quantity: float64(q), UnitValueEUR: cost})
			for m := nf; m <= nt; m++ {
				euroNeeds = append(euroNeeds, Need{Category: "155 mm shell", Month: m, Amount: r.MonthlyEUR()})
			}
		}
		var supplies []UnitSupply
		var flows []Flow
		for range rng.IntN(6) {
			m := base.Add(rng.IntN(30))
			n := float64(rng.IntN(300_000))
			supplies = append(supplies, UnitSupply{Donor: "DEU", System: "155 mm shell", Pledged: n, Delivered: n / 2, PledgedIn: m, DeliveredIn: m})
			flows = append(flows, Flow{Donor: "DEU", Category: "155 mm shell", From: m, To: m, Amount: n * cost, Delivered: n / 2 * cost})
		}
		got := UnitCoverageOf(needs, supplies, map[string]float64{"155 mm shell": cost}, from, to)
		euro := Coverage(euroNeeds, flows, from, to)
		var eg CoverageTotal
		for _, c := range euro.Categories {
			if c.Category == "155 mm shell" {
				eg = c
			}
		}
		if len(got) == 0 {
			// no need falls in the period: the euro engine needs nothing either
			if !check.Facts(t, check.Holds("no need in the period", eg.Required < 1e-6, eg.Required, "0")) {
				return
			}
			continue
		}
		u := got[0]
		tol := 1e-6 * max(1, eg.Required)
		ok := check.Facts(t,
			check.Holds("required euros", math.Abs(u.RequiredEUR-eg.Required) <= tol, u.RequiredEUR, "euro engine's required"),
			check.Holds("required units × cost", math.Abs(u.RequiredUnits*cost-eg.Required) <= tol, u.RequiredUnits*cost, "euro engine's required"),
			check.Holds("pledged units × cost", math.Abs(*u.PledgedEUR-eg.Pledged) <= tol, *u.PledgedEUR, "euro engine's pledged"),
			check.Holds("gap units × cost = net euro gap", math.Abs(u.GapUnits*cost-eg.NetGap) <= tol, u.GapUnits*cost, "euro engine's net gap"),
			check.Holds("euro gap = net euro gap", math.Abs(*u.GapEUR-eg.NetGap) <= tol, *u.GapEUR, "euro engine's net gap"),
			check.Holds("covered shares agree", math.Abs(u.CoveredShare-*u.EURCoveredShare) <= 1e-9, u.CoveredShare, "euro covered share"),
			check.Holds("delivered units × cost", math.Abs(u.DeliveredUnits*cost-eg.Delivered) <= tol, u.DeliveredUnits*cost, "euro engine's delivered"),
		)
		if !ok {
			t.Logf("run %d: needs %+v supplies %+v period %s..%s", run, needs, supplies, from, to)
			return
		}
	}
}

// TestUnitCoverageByHand: 200,000 rounds a month are needed in 2026-01..03
// (600,000); 250,000 are pledged in February and 100,000 in May (outside
// the period), 150,000 delivered in February. Gap 600,000 − 250,000 =
// 350,000 rounds, covered 250/600. At €3,000 a round (the catalogue's
// cost; the requirement says €3,000 too): required €1.8bn, pledged €750m,
// gap €1.05bn. Without a catalogue cost there are no euro figures of the
// support.
func TestUnitCoverageByHand(t *testing.T) {
	jan, mar := coalition.MonthOf(2026, 1), coalition.MonthOf(2026, 3)
	needs := []UnitNeed{{System: "155 mm shell", Unit: "round", From: jan, To: mar, Quantity: 600_000, UnitValueEUR: 3000}}
	supplies := []UnitSupply{
		{Donor: "DEU", System: "155 mm shell", Pledged: 250_000, Delivered: 150_000, PledgedIn: coalition.MonthOf(2026, 2), DeliveredIn: coalition.MonthOf(2026, 2)},
		{Donor: "FRA", System: "155 mm shell", Pledged: 100_000, PledgedIn: coalition.MonthOf(2026, 5)},
		{Donor: "FRA", System: "Caesar", Pledged: 10, PledgedIn: coalition.MonthOf(2026, 2)},
	}
	got := UnitCoverageOf(needs, supplies, map[string]float64{"155 mm shell": 3000}, jan, mar)
	if !check.Facts(t, check.Eq("systems", len(got), 1)) {
		return
	}
	u := got[0]
	check.Facts(t,
		check.Eq("required", u.RequiredUnits, 600_000.0),
		check.Eq("pledged", u.PledgedUnits, 250_000.0),
		check.Eq("delivered", u.DeliveredUnits, 150_000.0),
		check.Eq("gap", u.GapUnits, 350_000.0),
		check.Holds("covered 250/600", math.Abs(u.CoveredShare-250.0/600) < 1e-12, u.CoveredShare, "0.4167"),
		check.Eq("required EUR", u.RequiredEUR, 1.8e9),
		check.Eq("pledged EUR", *u.PledgedEUR, 7.5e8),
		check.Eq("gap EUR", *u.GapEUR, 1.05e9),
	)
	got = UnitCoverageOf(needs, supplies, nil, jan, mar)
	check.Facts(t, check.Holds("no cost, no euro support", got[0].PledgedEUR == nil && got[0].GapEUR == nil, got[0].PledgedEUR, "nil"),
		check.Eq("required EUR still from the requirement", got[0].RequiredEUR, 1.8e9))
}
