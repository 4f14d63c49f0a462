package main

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"coalition/internal/reftest"
)

// `donors --gdp-year 2021` divides by Kiel's own denominator, the donor's
// 2021 GDP in euros: each donor's share equals the one Kiel publishes
// (ukraine_support_extra.csv, summed from the tracker's pct_gdp column),
// and every "% GDP" header names the GDP it divides by.
func TestDonorsKielComparableShareOfGDP(t *testing.T) {
	db := seededDB(t)
	out, errOut, err := cli(t, nil, "donors", "--json", "--gdp-year", "2021", "--db", db)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	var rows []struct {
		ISO3    string   `json:"iso3"`
		PctGDP  *float64 `json:"pct_gdp"`
		GDPYear int      `json:"gdp_year"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, r := range rows {
		if r.PctGDP != nil {
			got[r.ISO3] = *r.PctGDP
			if r.GDPYear != 2021 {
				t.Errorf("%s: gdp_year %d, want 2021", r.ISO3, r.GDPYear)
			}
		}
	}
	recs := reftest.Refdata(t, "ukraine_support_extra.csv")
	checked := 0
	for _, r := range recs[1:] {
		if r[4] == "" {
			continue
		}
		want, err := strconv.ParseFloat(r[4], 64) // bilateral_allocations_pct_gdp2021
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got[r[0]]-want) > 0.0005 {
			t.Errorf("%s: %.4f%% of 2021 GDP, Kiel publishes %.4f%%", r[0], got[r[0]], want)
		}
		checked++
	}
	if checked < 40 {
		t.Errorf("only %d donors checked", checked)
	}
	for _, c := range []struct {
		args   []string
		header string
	}{{nil, "% GDP (World Bank 2023)"}, {[]string{"--gdp-year", "2021"}, "% GDP (Kiel 2021)"}, {[]string{"--gdp-year", "2023"}, "% GDP (World Bank 2023)"}} {
		out, _, err := cli(t, nil, append([]string{"donors", "--db", db}, c.args...)...)
		if err != nil || !strings.Contains(out, c.header) {
			t.Errorf("donors %v: %v, header lacks %q:\n%.300s", c.args, err, c.header, out)
		}
	}
	if _, _, err := cli(t, nil, "donors", "--db", db, "--gdp-year", "2019"); exitCode(err) != 2 || !strings.Contains(err.Error(), "gdp_year") {
		t.Errorf("--gdp-year 2019: %v, want an invalid gdp_year", err)
	}
}
