package coalition

import (
	"fmt"
	"strings"
	"time"
)

// This file holds the rules of converting money to euros, each once: the
// API, the imports, accepted proposals and the analyses call them.

// RateFinder returns the ECB monthly average rate of cur in month m, or of
// the nearest earlier month (FXStore.FindRate's contract); a NotFound
// error when there is none.
type RateFinder func(cur string, m Month) (*FXRate, error)

// ConvertPledge sets p's euro amount from p.Amount at the rate of the
// month of on (the announcement date, or an import's value date), or of the
// nearest earlier month when that month is not in the table yet: FXRate
// and FXMonth record the rate used (FXStale says when it is older than the
// month of on). A month before the stored rates takes the ECB history's
// rate of that month (HistoricRate). A euro amount is its own euro amount at rate 1. The euro
// amount is always derived here: whatever a client sent is overwritten.
// Errors from find come back unchanged (the adapter names the field).
func ConvertPledge(p *Pledge, on Date, find RateFinder) error {
	p.Amount.Currency = strings.ToUpper(p.Amount.Currency)
	if p.Amount.Currency == "EUR" {
		p.AmountEUR, p.FXRate, p.FXMonth = p.Amount.Minor, 1, 0
		if !on.IsZero() {
			p.FXMonth = on.Month()
		}
		return nil
	}
	if on.IsZero() || !ValidCurrency(p.Amount.Currency) {
		return nil // Validate names the missing date or the bad currency
	}
	r, err := rateOrHistory(find, p.Amount.Currency, on.Month())
	if err != nil {
		return err
	}
	if r.UnitsPerEUR <= 0 {
		return fmt.Errorf("the %s rate of %s is %v: not a rate", r.Currency, r.Month, r.UnitsPerEUR)
	}
	p.FXRate, p.FXMonth, p.AmountEUR = r.UnitsPerEUR, r.Month, ToEUR(p.Amount, r.UnitsPerEUR)
	return nil
}

// rateOrHistory is find's rate; for a month up to FXHistoryLast that find
// has no rate in or before (the FX table starts later), the ECB history's
// rate of that month (HistoricRate). find's error stands when the history
// has none either.
func rateOrHistory(find RateFinder, cur string, m Month) (*FXRate, error) {
	r, err := find(cur, m)
	if err == nil || ErrorKind(err) != NotFound || m > FXHistoryLast {
		return r, err
	}
	if h, herr := HistoricRate(cur, m); herr == nil {
		return h, nil
	}
	return nil, err
}

// FXStale reports whether p was converted at the rate of an earlier month
// than its announcement's: the latest rate available when it was recorded.
func (p *Pledge) FXStale() bool {
	return p.Amount.Currency != "EUR" && p.FXMonth != 0 && !p.Announced.IsZero() && p.FXMonth < p.Announced.Month()
}

// AnnualRate is the mean of the 12 monthly rates of one currency in year.
// Every month must be there: a year with a month missing is an error (an
// earlier month's rate would silently mix years).
func AnnualRate(monthly []FXRate, cur string, year int) (float64, error) {
	var sum float64
	seen := map[Month]bool{}
	for _, r := range monthly {
		if r.Currency == cur && r.Month.Year() == year && !seen[r.Month] {
			seen[r.Month] = true
			sum += r.UnitsPerEUR
		}
	}
	for m := time.January; m <= time.December; m++ {
		if !seen[MonthOf(year, m)] {
			return 0, Errorf(NotFound, "no ECB %s rate for %s in the FX table: no annual %d average", cur, MonthOf(year, m), year)
		}
	}
	return sum / 12, nil
}

// GDPEUR is the country's GDP in euros at usdPerEUR (the annual average of
// its GDP year, AnnualRate); ok is false when the country has no GDP.
func (c *Country) GDPEUR(usdPerEUR float64) (eur float64, ok bool) {
	if c.GDPUSDBn == nil || *c.GDPUSDBn <= 0 || c.GDPYear == 0 || usdPerEUR <= 0 {
		return 0, false
	}
	return *c.GDPUSDBn * 1e9 / usdPerEUR, true
}
