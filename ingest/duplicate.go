package ingest

import (
	"fmt"
	"math"

	"coalition"
)

// ExistingPledge is a pledge already recorded, as the store knows it: the
// amount in its own currency and, if known, in EUR.
type ExistingPledge struct {
	ID       int64
	Donor    string // ISO3 or donor code (EUI)
	Value    float64
	Currency string
	EUR      float64 // 0 if unknown
	Date     coalition.Date
}

// ToEUR converts value of currency on date to EUR; ok is false when no rate
// is known. The store's FX table provides it.
type ToEUR func(value float64, currency string, date coalition.Date) (eur float64, ok bool)

// Duplicate thresholds: amounts within 10% of each other and dates within
// 30 days make a likely duplicate.
const (
	DuplicateAmountTolerance = 0.10
	DuplicateDays            = 30
)

// DuplicateFlags returns a "duplicate" flag for each proposed pledge of x
// that resembles one already recorded: the same donor, an amount within
// DuplicateAmountTolerance (compared in EUR when toEUR and the rates allow,
// else only in the same currency) and a date within DuplicateDays (when both
// dates are known). toEUR may be nil.
func DuplicateFlags(x *Extraction, existing []ExistingPledge, toEUR ToEUR) []Flag {
	var out []Flag
	for _, p := range x.Proposals {
		if p.Type != ProposePledge || p.Amount == nil {
			continue
		}
		for _, e := range existing {
			if f, ok := duplicateFlag(p, e, toEUR); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// duplicateFlag returns the flag for proposed pledge p when it resembles
// the recorded pledge e: same donor, dates close enough (when both are
// known), amounts close enough.
func duplicateFlag(p Proposal, e ExistingPledge, toEUR ToEUR) (Flag, bool) {
	var date coalition.Date
	if p.Announced != nil {
		date = *p.Announced
	}
	if e.Donor != p.Donor || !closeDates(date, e.Date) {
		return Flag{}, false
	}
	a, b, unit, ok := comparable(p.Amount.Value, p.Amount.Currency, date, e, toEUR)
	if !ok || b <= 0 || math.Abs(a-b)/b > DuplicateAmountTolerance {
		return Flag{}, false
	}
	var sp *Span
	if len(p.Evidence) > 1 {
		s := p.Evidence[1]
		sp = &s
	}
	return Flag{Kind: FlagDuplicate, Span: sp, Message: fmt.Sprintf(
		"%s's %s looks like pledge %d already recorded (%s %s, %s): %.4g vs %.4g %s",
		p.Donor, p.Amount, e.ID, formatValue(e.Value), e.Currency, e.Date, a, b, unit)}, true
}

// closeDates: within DuplicateDays of each other, or one of them unknown.
func closeDates(a, b coalition.Date) bool {
	if a.IsZero() || b.IsZero() {
		return true
	}
	return math.Abs(a.Time().Sub(b.Time()).Hours()/24) <= DuplicateDays
}

func comparable(v float64, cur string, date coalition.Date, e ExistingPledge, toEUR ToEUR) (a, b float64, unit string, ok bool) {
	if cur == e.Currency {
		return v, e.Value, cur, true
	}
	if toEUR == nil {
		return 0, 0, "", false
	}
	d := date
	if d.IsZero() {
		d = e.Date
	}
	a, ok = toEUR(v, cur, d)
	if !ok {
		return 0, 0, "", false
	}
	b = e.EUR
	if b == 0 {
		if b, ok = toEUR(e.Value, e.Currency, e.Date); !ok {
			return 0, 0, "", false
		}
	}
	return a, b, "EUR", true
}

func formatValue(v float64) string { return fmt.Sprintf("%.6g", v) }
