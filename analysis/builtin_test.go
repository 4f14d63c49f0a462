package analysis

import (
	"math"
	"strconv"
	"testing"
	"time"

	"coalition"
	"coalition/internal/reftest"
)

// readCSV returns the rows of a testdata CSV as maps by header.
func readCSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	recs := reftest.File(t, "testdata/"+name)
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// loadBuiltin reads the Kiel monthly file (EUR bn) and countries.csv (GDP in
// USD bn) into a BuiltinInput in EUR and USD; rate is the ECB 2023 average.
func loadBuiltin(t *testing.T) (BuiltinInput, []map[string]string, []map[string]string) {
	kiel := readCSV(t, "kiel_data_explorer.csv")
	countries := readCSV(t, "countries.csv")
	in := BuiltinInput{USDPerEUR: 1.0813}
	for _, r := range kiel {
		y, m := int(num(t, r["year"])), int(num(t, r["month"]))
		in.Support = append(in.Support, DonorMonth{ISO3: r["iso"], Month: coalition.MonthOf(y, time.Month(m)),
			Military: num(t, r["military"]) * 1e9, Financial: num(t, r["financial"]) * 1e9, Humanitarian: num(t, r["humanitarian"]) * 1e9})
	}
	labels := map[string]string{"nato": "NATO", "eu": "EU", "g7": "G7", "aukus": "AUKUS", "five_eyes": "FVEY", "coalition_of_willing_2025": "COW2025"}
	for _, r := range countries {
		c := CountryData{ISO3: r["iso3"], Name: r["name"], GDPUSD: num(t, r["gdp_usd_bn"]) * 1e9, Population: num(t, r["population_m"]) * 1e6}
		for col, label := range labels {
			if r[col] == "1" {
				c.Memberships = append(c.Memberships, label)
			}
		}
		in.Countries = append(in.Countries, c)
	}
	return in, kiel, countries
}

// kielSum sums column col (EUR bn → EUR) for iso (all donors if "") over the
// years y0..y1, straight from the CSV rows.
func kielSum(t *testing.T, kiel []map[string]string, iso, col string, y0, y1 int) float64 {
	var s float64
	for _, r := range kiel {
		y := int(num(t, r["year"]))
		if (iso == "" || r["iso"] == iso) && y >= y0 && y <= y1 {
			s += num(t, r[col]) * 1e9
		}
	}
	return s
}

func TestReplaceUSOnKielData(t *testing.T) {
	in, kiel, countries := loadBuiltin(t)
	res, err := RunBuiltin("replace-us", in)
	if err != nil {
		t.Fatal(err)
	}
	// The US's own 2022–2024 monthly average (all types, from the CSV's
	// "total" column), lost for February–December 2025: 11 months.
	usGap := kielSum(t, kiel, "USA", "total", 2022, 2024) / 36 * 11
	if len(res.Scenario.Lost) != 1 || res.Scenario.Lost[0].ISO3 != "USA" || !near(res.Scenario.Lost[0].Amount, usGap, 1e-6) {
		t.Errorf("lost = %+v, want USA %v", res.Scenario.Lost, usGap)
	}
	if !near(res.Scenario.After.Total.Gap, usGap, 1e-6) || res.Scenario.Before.Gap > 1e-3 {
		t.Errorf("gap before %v after %v, want 0 and %v", res.Scenario.Before.Gap, res.Scenario.After.Total.Gap, usGap)
	}
	// All-donor requirement per month = all donors' 2022–2024 sum / 36.
	wantReq := kielSum(t, kiel, "", "total", 2022, 2024) / 36
	var gotReq float64
	for _, v := range res.RequirementMonthly {
		gotReq += v
	}
	if !near(gotReq, wantReq, 1e-9) {
		t.Errorf("monthly requirement %v, want %v", gotReq, wantReq)
	}
	// Members: COW2025 without Ukraine; GDP in EUR; cap 0.5 % of GDP.
	gdp := map[string]float64{}
	var gdpSum float64
	for _, r := range countries {
		if r["coalition_of_willing_2025"] == "1" && r["iso3"] != "UKR" && r["gdp_usd_bn"] != "" {
			gdp[r["iso3"]] = num(t, r["gdp_usd_bn"]) * 1e9 / 1.0813
			gdpSum += gdp[r["iso3"]]
		}
	}
	if len(res.Rows) != len(gdp) {
		t.Fatalf("%d rows, want %d COW2025 members without UKR", len(res.Rows), len(gdp))
	}
	var extraSum float64
	for _, r := range res.Rows {
		if r.ExtraEUR > 0.005*gdp[r.ISO3]*(1+1e-12) {
			t.Errorf("%s extra %v above 0.5 %% of GDP %v", r.ISO3, r.ExtraEUR, 0.005*gdp[r.ISO3])
		}
		extraSum += r.ExtraEUR
		// If the whole gap fits under everyone's cap at one rate, the plan
		// is plain GDP shares.
		if usGap/gdpSum <= 0.005 && !near(r.ExtraEUR, usGap*gdp[r.ISO3]/gdpSum, 1e-9) {
			t.Errorf("%s extra %v, want GDP share %v", r.ISO3, r.ExtraEUR, usGap*gdp[r.ISO3]/gdpSum)
		}
		if want := kielSum(t, kiel, r.ISO3, "total", 2025, 2025); !near(r.ActualEUR, want, 1e-9) {
			t.Errorf("%s actual 2025 %v, want %v", r.ISO3, r.ActualEUR, want)
		}
		if want := kielSum(t, kiel, r.ISO3, "total", 2022, 2024) / 36 * 12; !near(r.BaselineEUR, want, 1e-9) {
			t.Errorf("%s baseline %v, want %v", r.ISO3, r.BaselineEUR, want)
		}
		if (r.DifferenceEUR > 0) != (r.Verdict == "more") {
			t.Errorf("%s difference %v but verdict %q", r.ISO3, r.DifferenceEUR, r.Verdict)
		}
	}
	if !near(extraSum+res.Unfilled, usGap, 1e-9) {
		t.Errorf("extra %v + unfilled %v ≠ gap %v", extraSum, res.Unfilled, usGap)
	}
	t.Logf("replace-us: US gap %.1f bn, covered %.1f bn, unfilled %.1f bn, plan %.1f bn vs actual 2025 %.1f bn",
		usGap/1e9, extraSum/1e9, res.Unfilled/1e9, res.PlanEUR/1e9, res.ActualEUR/1e9)
}

func TestNATO40bnOnKielData(t *testing.T) {
	in, kiel, countries := loadBuiltin(t)
	res, err := RunBuiltin("nato-40bn", in)
	if err != nil {
		t.Fatal(err)
	}
	gdp := map[string]float64{}
	var gdpSum float64
	for _, r := range countries {
		if r["nato"] == "1" && r["iso3"] != "HUN" {
			gdp[r["iso3"]] = num(t, r["gdp_usd_bn"]) * 1e9 / 1.0813
			gdpSum += gdp[r["iso3"]]
		}
	}
	if len(res.Rows) != len(gdp) {
		t.Fatalf("%d allies, want %d (NATO without Hungary)", len(res.Rows), len(gdp))
	}
	var fairSum float64
	for _, r := range res.Rows {
		if r.ISO3 == "HUN" {
			t.Error("Hungary is exempt")
		}
		if want := 40e9 * gdp[r.ISO3] / gdpSum; !near(r.FairShareEUR, want, 1e-9) {
			t.Errorf("%s fair share %v, want %v", r.ISO3, r.FairShareEUR, want)
		}
		if want := kielSum(t, kiel, r.ISO3, "military", 2025, 2025); !near(r.ActualEUR, want, 1e-9) {
			t.Errorf("%s actual military 2025 %v, want %v", r.ISO3, r.ActualEUR, want)
		}
		fairSum += r.FairShareEUR
	}
	if !near(fairSum, 40e9, 1e-12) || !near(res.PlanEUR, 40e9, 1e-12) {
		t.Errorf("fair shares sum to %v (plan %v), want 40e9", fairSum, res.PlanEUR)
	}
	if math.IsNaN(res.ActualEUR) {
		t.Error("actual is NaN")
	}
	t.Logf("nato-40bn: USA fair %.1f bn; allies' actual military 2025 %.1f bn", res.Rows[0].FairShareEUR/1e9, res.ActualEUR/1e9)
}

func TestRunBuiltinErrors(t *testing.T) {
	if _, err := RunBuiltin("replace-uk", BuiltinInput{USDPerEUR: 1}); coalition.ErrorKind(err) != coalition.Invalid {
		t.Errorf("unknown name: err = %v, want invalid", err)
	}
	if _, err := RunBuiltin("nato-40bn", BuiltinInput{}); coalition.ErrorKind(err) != coalition.Invalid {
		t.Errorf("no rate: err = %v, want invalid", err)
	}
}
