package importer

import (
	"strings"
	"testing"

	"coalition"
)

const ecbHeader = "KEY,FREQ,CURRENCY,CURRENCY_DENOM,EXR_TYPE,EXR_SUFFIX,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"

func TestECBRates(t *testing.T) {
	good := ecbHeader + "EXR.M.USD.EUR.SP00.A,M,USD,EUR,SP00,A,2026-06,1.1642,A\nEXR.M.USD.EUR.SP00.A,M,USD,EUR,SP00,A,2026-07,,A\n"
	rates, err := ECBRates(strings.NewReader(good), "EXR.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(rates) != 1 {
		t.Fatalf("%d rates, want 1 (the empty July skipped): %+v", len(rates), rates)
	}
	if rates[0].Currency != "USD" {
		t.Errorf("currency = %q, want USD", rates[0].Currency)
	}
	if want := coalition.MonthOf(2026, 6); rates[0].Month != want {
		t.Errorf("month = %v, want %v", rates[0].Month, want)
	}
	if rates[0].UnitsPerEUR != 1.1642 {
		t.Errorf("units per EUR = %v, want 1.1642", rates[0].UnitsPerEUR)
	}
	for _, c := range []struct{ name, in, want string }{
		{"daily rates", ecbHeader + "EXR.D.USD.EUR.SP00.A,D,USD,EUR,SP00,A,2026-06-01,1.16,A\n", `EXR.csv:2:FREQ: "D", want M`},
		{"not a month", ecbHeader + "EXR.M.USD.EUR.SP00.A,M,USD,EUR,SP00,A,2026-13,1.16,A\n", "EXR.csv:2:TIME_PERIOD"},
		{"negative", ecbHeader + "EXR.M.USD.EUR.SP00.A,M,USD,EUR,SP00,A,2026-06,-1,A\n", "EXR.csv:2:OBS_VALUE"},
		{"twice", ecbHeader + strings.Repeat("EXR.M.USD.EUR.SP00.A,M,USD,EUR,SP00,A,2026-06,1.16,A\n", 2), "again (first on line 2)"},
		{"renamed column", strings.Replace(ecbHeader, "OBS_VALUE", "VALUE", 1), "EXR.csv:1:OBS_VALUE: missing column"},
		{"empty", ecbHeader, "no rate in the file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ECBRates(strings.NewReader(c.in), "EXR.csv")
			if err == nil || !strings.Contains(err.Error(), c.want) || coalition.ErrorKind(err) != coalition.Invalid {
				t.Errorf("err = %v, want Invalid with %q", err, c.want)
			}
		})
	}
}

func TestWorldBank(t *testing.T) {
	rec := `{"indicator":{"id":"NY.GDP.MKTP.CD","value":"GDP (current US$)"},"country":{"id":"US","value":"United States"},"countryiso3code":"USA","date":"2023","value":27360935000000,"unit":"","obs_status":"","decimal":0}`
	agg := `{"indicator":{"id":"NY.GDP.MKTP.CD","value":"GDP (current US$)"},"country":{"id":"1W","value":"World"},"countryiso3code":"WLD","date":"2024","value":null,"unit":"","obs_status":"","decimal":0}`
	good := `[{"page":1,"pages":1,"per_page":"20000","total":2,"sourceid":"2","lastupdated":"2025-07-01"},[` + rec + `,` + agg + `]]`
	ind, err := WorldBank(strings.NewReader(good), "gdp.json", "NY.GDP.MKTP.CD")
	if err != nil {
		t.Fatal(err)
	}
	if ind.LastUpdated != "2025-07-01" {
		t.Errorf("last updated = %q, want 2025-07-01", ind.LastUpdated)
	}
	if len(ind.Values) != 1 {
		t.Fatalf("%d values, want 1 (the aggregate without a value skipped): %+v", len(ind.Values), ind.Values)
	}
	if want := (WBValue{ISO3: "USA", Year: 2023, Value: 27360935000000}); ind.Values[0] != want {
		t.Errorf("value = %+v, want %+v", ind.Values[0], want)
	}
	for _, c := range []struct{ name, in, want string }{
		{"the API's error", `[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]`, "the World Bank API says: The provided parameter value is not valid"},
		{"one page of two", `[{"page":1,"pages":2,"per_page":50,"total":60},[` + rec + `]]`, "page 1 of 2: ask for per_page of at least 60"},
		{"truncated", good[:len(good)-40], "not the World Bank API's JSON"},
		{"fewer records than counted", `[{"page":1,"pages":1,"per_page":50,"total":3},[` + rec + `]]`, "the download is incomplete"},
		{"another indicator", strings.Replace(good, "NY.GDP.MKTP.CD", "SP.POP.TOTL", 1), `gdp.json:1:indicator: "SP.POP.TOTL", want NY.GDP.MKTP.CD`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := WorldBank(strings.NewReader(c.in), "gdp.json", "NY.GDP.MKTP.CD")
			if err == nil || !strings.Contains(err.Error(), c.want) || coalition.ErrorKind(err) != coalition.Invalid {
				t.Errorf("err = %v, want Invalid with %q", err, c.want)
			}
		})
	}
}
