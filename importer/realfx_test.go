package importer

import "coalition"

// ecb2020 are the ECB's euro reference rates for the months the real
// files need, as monthly means of the daily rates (units per euro,
// computed from the ECB's eurofxref-hist.csv: the mean of 22 daily rates
// for January 2020, 21 for November, 22 for December 2020, 20 for January
// and February 2021).
func ecb2020() *FXTable {
	var rates []coalition.FXRate
	for _, r := range []struct {
		month string
		rates map[string]float64
	}{
		{"2020-01", map[string]float64{"USD": 1.1100364, "NOK": 9.9384227, "CAD": 1.4523227, "CHF": 1.07645, "JPY": 121.3627273}},
		{"2020-11", map[string]float64{"USD": 1.1837905, "NOK": 10.7453095, "CAD": 1.5472048, "CHF": 1.0785238, "JPY": 123.6095238}},
		{"2020-12", map[string]float64{"USD": 1.2169727, "NOK": 10.6007636, "CAD": 1.5595455, "CHF": 1.0813909, "JPY": 126.2781818}},
		{"2021-01", map[string]float64{"USD": 1.217085, "NOK": 10.36606, "CAD": 1.549355, "CHF": 1.079365, "JPY": 126.308}},
		{"2021-02", map[string]float64{"USD": 1.20979, "NOK": 10.279055, "CAD": 1.53537, "CHF": 1.085765, "JPY": 127.4925}},
	} {
		m, _ := coalition.ParseMonth(r.month)
		for cur, v := range r.rates {
			rates = append(rates, coalition.FXRate{Month: m, Currency: cur, UnitsPerEUR: v, Source: "ECB"})
		}
	}
	return NewFXTable(rates)
}
