package coalition

import (
	"testing"
)

// TestFXHistory: months before the FX table take the ECB history's rate of
// the month (issue 24). The two rates checked here were worked out by hand
// from the ECB's daily file (eurofxref-hist.csv, the ECB's own, see
// data/README.md):
//   - USD, January 2020: 22 daily rates (1.1052, 1.1029, 1.1001, 1.1005,
//     1.1025, 1.1035, 1.1091, 1.1088, 1.1115, 1.1085, 1.1108, 1.1169,
//     1.1142, 1.1115, 1.1126, 1.1091, 1.111, 1.1115, 1.1172, 1.1194,
//     1.1147, 1.1193), sum 24.4208, mean 1.11003636… → 1.110036 (two more
//     decimals than the daily quote's four).
//   - GBP, June 2021: 22 daily rates (0.85805 … 0.86285), sum 18.89185,
//     mean 0.85872045… → 0.8587205.
func TestFXHistory(t *testing.T) {
	for _, tt := range []struct {
		cur   string
		month Month
		want  float64
	}{
		{"USD", MonthOf(2020, 1), 1.110036},
		{"GBP", MonthOf(2021, 6), 0.8587205},
		{"USD", MonthOf(1999, 1), 1.160780},   // the first month: 20 daily rates, mean 1.16078 exactly
		{"INR", MonthOf(2021, 12), 85.176152}, // the last: 23 daily rates, mean 85.1761522 (quoted to 4 decimals)
	} {
		r, err := HistoricRate(tt.cur, tt.month)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.cur, tt.month, err)
		}
		eq(t, tt.cur+" "+tt.month.String(), r.UnitsPerEUR, tt.want)
		eq(t, "month", r.Month, tt.month)
		eq(t, "source", r.Source, FXHistorySource)
	}
	for _, tt := range []struct {
		cur   string
		month Month
	}{
		{"USD", MonthOf(1998, 12)}, // before the euro
		{"USD", MonthOf(2022, 1)},  // the FX table's
		{"ISK", MonthOf(2012, 5)},  // not quoted by the ECB from December 2008 to 2018
		{"ISK", MonthOf(2008, 12)}, // quoted on 7 of the month's 21 days: no monthly mean
		{"INR", MonthOf(2008, 12)}, // quoted from January 2009
		{"SAR", MonthOf(2020, 1)},  // never quoted
	} {
		if _, err := HistoricRate(tt.cur, tt.month); ErrorKind(err) != NotFound {
			t.Errorf("%s %s: err %v, want NotFound", tt.cur, tt.month, err)
		}
	}
	eq(t, "count", FXHistoryCount(), 5046)
	eq(t, "ISK known", HistoricCurrency("ISK"), true)
	eq(t, "SAR unknown", HistoricCurrency("SAR"), false)
}

// TestConvertPledgeHistory: ConvertPledge takes the history's rate only
// when the stored table has none in or before the month, and only up to
// the history's last month.
func TestConvertPledgeHistory(t *testing.T) {
	stored := []FXRate{{Month: MonthOf(2022, 1), Currency: "USD", UnitsPerEUR: 1.131448}, {Month: MonthOf(2022, 1), Currency: "GBP", UnitsPerEUR: 0.8350338}}
	find := func(cur string, m Month) (*FXRate, error) {
		var best *FXRate
		for i, r := range stored {
			if r.Currency == cur && r.Month <= m {
				best = &stored[i]
			}
		}
		if best == nil {
			return nil, Errorf(NotFound, "no euro reference rate for %s in or before %s", cur, m)
		}
		return best, nil
	}
	// $1,000,000 on 2020-01-15 / 1.110036 = €900,871.68.
	p := &Pledge{Amount: Money{Minor: 1_000_000_00, Currency: "USD"}, Announced: Date{Y: 2020, M: 1, D: 15}}
	if err := ConvertPledge(p, p.Announced, find); err != nil {
		t.Fatal(err)
	}
	eq(t, "2020 USD", p.AmountEUR, int64(900_871_68))
	eq(t, "rate", p.FXRate, 1.110036)
	eq(t, "month", p.FXMonth, MonthOf(2020, 1))
	eq(t, "stale", p.FXStale(), false)
	// £1,000,000 on 2021-06-30 / 0.8587205 = €1,164,523.26.
	g := &Pledge{Amount: Money{Minor: 1_000_000_00, Currency: "GBP"}, Announced: Date{Y: 2021, M: 6, D: 30}}
	if err := ConvertPledge(g, g.Announced, find); err != nil {
		t.Fatal(err)
	}
	eq(t, "2021 GBP", g.AmountEUR, int64(1_164_523_26))
	// A stored rate in or before the month wins over the history: the
	// table's own months are never replaced.
	stored = append(stored, FXRate{Month: MonthOf(2019, 6), Currency: "USD", UnitsPerEUR: 2})
	if err := ConvertPledge(p, p.Announced, find); err != nil || p.FXRate != 2 {
		t.Errorf("with a stored 2019-06 rate: err %v rate %v, want the stored 2", err, p.FXRate)
	}
	// Months after the history keep the table's rule: no rate, an error.
	c := &Pledge{Amount: Money{Minor: 100, Currency: "CHF"}, Announced: Date{Y: 2023, M: 1, D: 1}}
	if err := ConvertPledge(c, c.Announced, find); ErrorKind(err) != NotFound {
		t.Errorf("CHF 2023 without a stored rate: err %v, want NotFound", err)
	}
	// A currency the history lacks keeps the finder's error.
	s := &Pledge{Amount: Money{Minor: 100, Currency: "ISK"}, Announced: Date{Y: 2012, M: 5, D: 1}}
	if err := ConvertPledge(s, s.Announced, find); err == nil || err.Error() != "no euro reference rate for ISK in or before 2012-05" {
		t.Errorf("ISK 2012: err %v", err)
	}
}
