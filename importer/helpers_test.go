package importer

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"coalition"
)

// testRates are invented round rates (units per euro) so the arithmetic
// in the tests can be checked by hand.
func testRates() *FXTable {
	m := func(s string) coalition.Month { v, _ := coalition.ParseMonth(s); return v }
	return NewFXTable([]coalition.FXRate{
		{Month: m("2024-01"), Currency: "NOK", UnitsPerEUR: 11.40},
		{Month: m("2024-01"), Currency: "USD", UnitsPerEUR: 1.09},
		{Month: m("2024-03"), Currency: "USD", UnitsPerEUR: 1.087},
		{Month: m("2024-05"), Currency: "USD", UnitsPerEUR: 1.08},
		{Month: m("2025-02"), Currency: "GBP", UnitsPerEUR: 0.85},
	})
}

// testCountries are the countries the test "database" knows.
func testCountries() []*coalition.Country {
	var out []*coalition.Country
	f := strings.Fields("NOR Norway DEU Germany GBR United_Kingdom NLD Netherlands JPN Japan TUR Turkey UKR Ukraine POL Poland MDA Moldova USA United_States SWE Sweden EUI EU_institutions FRA France")
	for i := 0; i < len(f); i += 2 {
		out = append(out, &coalition.Country{ISO3: f[i], Name: strings.ReplaceAll(f[i+1], "_", " ")})
	}
	return out
}

func testOptions(file string) Options {
	return Options{File: file, SHA256: "test", User: "tester@example.org", ImportedAt: time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC),
		AsOf: coalition.Date{Y: 2025, M: 6, D: 30}, Names: NewNames(testCountries()), FX: testRates()}
}

func open(t testing.TB, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func byRef(ps []*coalition.Pledge) map[string]*coalition.Pledge {
	m := map[string]*coalition.Pledge{}
	for _, p := range ps {
		m[p.SourceRef] = p
	}
	return m
}

var bg = context.Background()

// eq checks one fact: what names it in the failure.
func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
