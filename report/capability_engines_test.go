package report_test

import (
	"context"
	"encoding/json"
	"testing"

	"coalition"
	"coalition/internal/check"
	"coalition/report"
	"coalition/sqlstore/sqltest"
)

// TestCapabilityAndUnitsOnBothEngines: on the seeded data, the capability
// gap without the United States is the same on SQLite and PostgreSQL, and
// so is coverage in units: 600,000 155 mm rounds needed over 2030-01..03
// against Poland's 200,000 pledged in January: a gap of 400,000 rounds.
func TestCapabilityAndUnitsOnBothEngines(t *testing.T) {
	answers := map[sqltest.Engine]string{}
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		s := e.Seeded(t)
		ctx := coalition.WithUser(context.Background(), coalition.System)
		rep, err := report.CapabilityGap(ctx, s, []string{"usa"})
		if err != nil {
			t.Fatal(err)
		}
		check.Facts(t, check.Eq("withdraw normalised", len(rep.Withdraw) == 1 && rep.Withdraw[0] == "USA", true),
			check.AtLeast("categories", len(rep.Categories), 3))
		b, _ := json.Marshal(rep)
		answers[e] = string(b)

		cow, err := s.FindCoalitionByCode(ctx, "COW2025")
		if err != nil {
			t.Fatal(err)
		}
		jan, mar := coalition.MonthOf(2030, 1), coalition.MonthOf(2030, 3)
		q := int64(600_000)
		if err := s.CreateRequirement(ctx, &coalition.Requirement{CoalitionID: &cow.ID, Recipient: "UKR", Category: "military", Quantity: &q,
			UnitValue: 3000_00, From: jan, To: mar, Capability: "155 mm shell", Unit: "round", Visibility: coalition.Public, Source: "test"}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateEquipment(ctx, &coalition.Equipment{Donor: "POL", System: "155 mm shell", Category: coalition.CapArtillery, Pledged: 200_000,
			PledgedOn: coalition.Date{Y: 2030, M: 1, D: 15}, Visibility: coalition.Public, Source: "test"}); err != nil {
			t.Fatal(err)
		}
		cov, err := report.Coverage(ctx, s, "COW2025", report.CoverageOptions{From: jan, To: mar})
		if err != nil {
			t.Fatal(err)
		}
		if check.Facts(t, check.Eq("unit rows", len(cov.Units), 1)) {
			check.Facts(t, check.Eq("gap in rounds", cov.Units[0].GapUnits, 400_000.0), check.Eq("pledged", cov.Units[0].PledgedUnits, 200_000.0))
		}
		// Joined members only: Poland is a member of COW2025.
		cov, err = report.Coverage(ctx, s, "COW2025", report.CoverageOptions{From: jan, To: mar, Counts: report.CountsMembers})
		if err != nil {
			t.Fatal(err)
		}
		if check.Facts(t, check.Eq("unit rows (members)", len(cov.Units), 1)) {
			check.Facts(t, check.Eq("members: pledged", cov.Units[0].PledgedUnits, 200_000.0))
		}
	})
	if a, b := answers[sqltest.SQLite], answers[sqltest.Postgres]; b != "" && a != b {
		t.Errorf("the engines differ:\nSQLite   %s\nPostgres %s", a, b)
	}
}
