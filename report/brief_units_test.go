package report_test

import (
	"testing"
	"time"

	"coalition"
	"coalition/report"
)

// TestBriefUnits: a need stated in units is compared with the pledges in
// the same unit over the brief's period (2026-12..2027-11), each spread
// evenly over its months. Worked out by hand: 1,200,000 shells needed over
// 2026-06..2027-05 is 100,000 a month, 6 months of it in the period:
// 600,000; a pledge of 60,000 over 2026-12..2027-05 counts whole, one of
// 24,000 over 2027-10..2028-01 counts 2 of its 4 months: 12,000; the gap
// is 600,000 − 72,000 = 528,000. A pledge in another unit does not count.
func TestBriefUnits(t *testing.T) {
	s := seeded(t)
	cow, err := s.FindCoalitionByCode(sys, "COW2025")
	if err != nil {
		t.Fatal(err)
	}
	q := int64(1_200_000)
	if err := s.CreateRequirement(sys, &coalition.Requirement{CoalitionID: &cow.ID, Recipient: "UKR", Category: "ammunition", Quantity: &q, UnitValue: 3000 * 100,
		From: coalition.MonthOf(2026, time.June), To: coalition.MonthOf(2027, time.May), Priority: 1, Visibility: coalition.Public,
		Capability: "155 mm artillery shells", Unit: "shell", AsOf: "2026-11-15", Source: "brief units test requirement"}); err != nil {
		t.Fatal(err)
	}
	pledge := func(ref string, n int64, unit string, from, to coalition.Month) {
		t.Helper()
		p := &coalition.Pledge{Donor: "DEU", Recipient: "UKR", Category: "ammunition", Amount: coalition.Money{Minor: n * 3000 * 100, Currency: "EUR"},
			Quantity: &n, Unit: unit, Announced: coalition.Date{Y: 2026, M: time.November, D: 20}, DeliverFrom: from, DeliverTo: to,
			Status: coalition.Committed, Visibility: coalition.Public, Source: "brief units test pledge", SourceRef: ref}
		if err := s.CreatePledge(sys, p); err != nil {
			t.Fatal(err)
		}
	}
	pledge("u1", 60_000, "shell", coalition.MonthOf(2026, time.December), coalition.MonthOf(2027, time.May))
	pledge("u2", 24_000, "Shell", coalition.MonthOf(2027, time.October), coalition.MonthOf(2028, time.January))
	pledge("u3", 500, "howitzer", coalition.MonthOf(2026, time.December), coalition.MonthOf(2026, time.December))
	rep, err := report.Brief(sys, s, report.BriefOptions{Coalition: "COW2025", AsOf: briefAsOf, Since: briefSince})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.UnitGaps) != 1 {
		t.Fatalf("unit gaps %+v, want one (ammunition, shell)", rep.UnitGaps)
	}
	u := rep.UnitGaps[0]
	eq(t, "category", u.Category, "ammunition")
	eq(t, "unit", u.Unit, "shell")
	nearly(t, "need", u.NeedUnits, 600_000, 1e-12)
	nearly(t, "pledged", u.PledgedUnits, 72_000, 1e-12)
	nearly(t, "gap", u.GapUnits, 528_000, 1e-12)
}
