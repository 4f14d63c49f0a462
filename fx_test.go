package coalition

import (
	"math"
	"testing"
	"time"
)

func TestConvertPledge(t *testing.T) {
	feb, mar := MonthOf(2025, 2), MonthOf(2025, 3)
	table := []FXRate{{Month: feb, Currency: "GBP", UnitsPerEUR: 0.8}}
	find := func(cur string, m Month) (*FXRate, error) {
		var best *FXRate
		for i, r := range table {
			if r.Currency == cur && r.Month <= m {
				best = &table[i]
			}
		}
		if best == nil {
			return nil, Errorf(NotFound, "no rate")
		}
		return best, nil
	}
	t.Run("nearest earlier month, flagged stale", func(t *testing.T) {
		// £2,000,000 at 0.8 GBP per EUR = €2,500,000 = 250,000,000 cents.
		p := &Pledge{Amount: Money{Minor: 2_000_000_00, Currency: "gbp"}, Announced: Date{Y: 2025, M: 3, D: 4}, AmountEUR: 1e15}
		if err := ConvertPledge(p, p.Announced, find); err != nil {
			t.Fatal(err)
		}
		eq(t, "amount_eur", p.AmountEUR, 250_000_000)
		eq(t, "fx_rate", p.FXRate, 0.8)
		eq(t, "fx_month", p.FXMonth, feb)
		eq(t, "currency", p.Amount.Currency, "GBP")
		if !p.FXStale() {
			t.Errorf("converted at %s for a pledge of %s: want stale", p.FXMonth, mar)
		}
	})
	t.Run("rate of the month: not stale", func(t *testing.T) {
		p := &Pledge{Amount: Money{Minor: 100, Currency: "GBP"}, Announced: Date{Y: 2025, M: 2, D: 1}}
		if err := ConvertPledge(p, p.Announced, find); err != nil || p.FXStale() || p.AmountEUR != 125 {
			t.Errorf("err %v stale %v eur %d, want nil false 125", err, p.FXStale(), p.AmountEUR)
		}
	})
	t.Run("euro: rate 1, whatever the client sent", func(t *testing.T) {
		p := &Pledge{Amount: Money{Minor: 12345, Currency: "EUR"}, AmountEUR: 999, FXRate: 3, Announced: Date{Y: 2025, M: 3, D: 4}}
		if err := ConvertPledge(p, p.Announced, find); err != nil {
			t.Fatal(err)
		}
		eq(t, "amount_eur", p.AmountEUR, 12345)
		eq(t, "fx_rate", p.FXRate, 1)
		eq(t, "fx_month", p.FXMonth, mar)
		eq(t, "stale", p.FXStale(), false)
	})
	t.Run("no rate before the date", func(t *testing.T) {
		p := &Pledge{Amount: Money{Minor: 100, Currency: "GBP"}, Announced: Date{Y: 2024, M: 1, D: 1}}
		if err := ConvertPledge(p, p.Announced, find); ErrorKind(err) != NotFound {
			t.Errorf("error %v, want NotFound", err)
		}
	})
}

func TestAnnualRateAndGDP(t *testing.T) {
	var rates []FXRate
	for m := 1; m <= 12; m++ {
		rates = append(rates, FXRate{Month: MonthOf(2023, time.Month(m)), Currency: "USD", UnitsPerEUR: 1 + float64(m)/100})
	}
	// Mean of 1.01 … 1.12 = 1 + 78/1200 = 1.065.
	r, err := AnnualRate(rates, "USD", 2023)
	if err != nil || math.Abs(r-1.065) > 1e-12 {
		t.Fatalf("AnnualRate = %v, %v; want 1.065", r, err)
	}
	if _, err := AnnualRate(rates[:11], "USD", 2023); ErrorKind(err) != NotFound {
		t.Errorf("11 months: error %v, want NotFound naming 2023-12", err)
	}
	// USD 1,065 bn at 1.065 USD per EUR = €1,000 bn.
	gdp := 1065.0
	c := &Country{GDPUSDBn: &gdp, GDPYear: 2023}
	if eur, ok := c.GDPEUR(r); !ok || math.Abs(eur-1e12) > 1 {
		t.Errorf("GDPEUR = %v, %v; want 1e12", eur, ok)
	}
	if _, ok := (&Country{}).GDPEUR(r); ok {
		t.Error("a country without GDP has a GDP in EUR")
	}
}

// eq checks one fact: what names it in the failure.
func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
