package refdata

import (
	"fmt"
	"strconv"
)

// KielGDPYear is the year of the GDP the Kiel tracker divides by in its
// own "% of GDP": a donor's 2021 GDP, in euros, for every release.
const KielGDPYear = 2021

// KielGDPSource cites the Kiel tracker's GDP figures.
const KielGDPSource = "Kiel Institute, Ukraine Support Tracker, Release 29, data_explorer.csv, column gdp: the donor's 2021 GDP in EUR, " +
	"the denominator of Kiel's own % of GDP"

// KielGDP2021 returns each Kiel donor's 2021 GDP in euros, as the bundled
// Kiel file gives it (one value per donor; the EU institutions have none).
func KielGDP2021() (map[string]float64, error) {
	t, err := readTable(KielFile)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for i, r := range t.rows {
		iso := r["iso"]
		if iso == "EU" {
			iso = "EUI"
		}
		v, err := strconv.ParseFloat(r["gdp"], 64)
		if err != nil || v < 0 {
			return nil, t.errorf(i, "gdp", "%q is not a GDP in EUR bn", r["gdp"])
		}
		if v == 0 {
			continue
		}
		if old, ok := out[iso]; ok && old != v*1e9 {
			return nil, t.errorf(i, "gdp", "%s has two 2021 GDPs (%g and %g bn)", iso, old/1e9, v)
		}
		out[iso] = v * 1e9
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no GDP", KielFile)
	}
	return out, nil
}
