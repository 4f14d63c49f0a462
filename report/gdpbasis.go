package report

import (
	"fmt"
	"slices"
	"strings"

	"coalition"
	"coalition/refdata"
)

// RebaseGDP returns totals with each donor's share of GDP divided by the
// GDP of year: 0, or the year of the GDP loaded (World Bank), keeps the
// store's figures; 2021 divides by the Kiel tracker's 2021 GDP in euros,
// Kiel's own denominator, so that the share compares with Kiel's
// published "% of GDP". A donor without that GDP has none. Other years
// are Invalid: no other GDP is held.
func RebaseGDP(totals []coalition.DonorTotal, year int) ([]coalition.DonorTotal, error) {
	if year == 0 || year != refdata.KielGDPYear && slices.ContainsFunc(totals, func(t coalition.DonorTotal) bool { return t.GDPYear == year }) {
		return totals, nil
	}
	if year != refdata.KielGDPYear {
		return nil, coalition.FieldError("gdp_year", "%d: want %d (Kiel's denominator) or the year of the World Bank GDP loaded (the default)", year, refdata.KielGDPYear)
	}
	gdp, err := refdata.KielGDP2021()
	if err != nil {
		return nil, err
	}
	out := make([]coalition.DonorTotal, len(totals))
	for i, t := range totals {
		t.PctGDP, t.GDPEUR, t.GDPYear, t.GDPBasis = nil, nil, 0, ""
		if g, ok := gdp[t.ISO3]; ok {
			pct := t.TotalEUR / g * 100
			t.PctGDP, t.GDPEUR, t.GDPYear = &pct, &g, refdata.KielGDPYear
			t.GDPBasis = fmt.Sprintf("Kiel 2021 GDP (EUR %.1fbn): %s", g/1e9, refdata.KielGDPSource)
		}
		out[i] = t
	}
	return out, nil
}

// GDPLabel names the GDP the totals' shares divide by, for a "% GDP"
// header: "World Bank 2023", "Kiel 2021", or "World Bank 2023/2024" when
// the donors' years differ.
func GDPLabel(totals []coalition.DonorTotal) string {
	var years []int
	for _, t := range totals {
		if t.GDPYear != 0 && !slices.Contains(years, t.GDPYear) {
			years = append(years, t.GDPYear)
		}
	}
	slices.Sort(years)
	switch {
	case len(years) == 0:
		return "no GDP"
	case len(years) == 1 && years[0] == refdata.KielGDPYear && kielBasis(totals):
		return "Kiel 2021"
	}
	label := "World Bank "
	for i, y := range years {
		if i > 0 {
			label += "/"
		}
		label += fmt.Sprint(y)
	}
	return label
}

func kielBasis(totals []coalition.DonorTotal) bool {
	for _, t := range totals {
		if t.GDPYear != 0 {
			return strings.HasPrefix(t.GDPBasis, "Kiel")
		}
	}
	return false
}
