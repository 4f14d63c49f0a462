package refdata

import (
	"testing"

	"coalition/internal/check"
)

// TestProductionCapacity: every row names a catalogued system of its role,
// and the figures are the sources' (monthly rates × 12 where the source
// gives a month: US 155 mm 40,000 × 12 = 480,000; Caesar 6 × 12 = 72).
func TestProductionCapacity(t *testing.T) {
	rows, err := ProductionCapacity()
	if err != nil {
		t.Fatal(err)
	}
	roles, err := SystemRoles()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, r := range rows {
		check.Facts(t, check.Eq(r.System+": role of the catalogue's system", roles[r.System], r.Role))
		got[r.System+"|"+r.Countries[0]+"|"+r.Basis] = r.UnitsPerYear
	}
	check.Facts(t,
		check.Eq("EU 155 mm output", got["155 mm shell|EU|output"], 1_000_000.0),
		check.Eq("EU 155 mm target", got["155 mm shell|EU|target"], 2_000_000.0),
		check.Eq("US 155 mm output", got["155 mm shell|USA|output"], 480_000.0),
		check.Eq("PAC-3 MSE output", got["PAC-3 MSE interceptor|USA|output"], 600.0),
		check.Eq("Caesar output", got["Caesar|FRA|output"], 72.0),
		check.Eq("IRIS-T SLM target", got["IRIS-T SLM|DEU|target"], 10.0),
	)
}
