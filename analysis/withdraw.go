package analysis

import (
	"fmt"
	"math"
	"slices"

	"coalition"
)

// Withdrawal says who withdraws what: the donors in Countries stop a Fraction
// of their support in Categories (empty: all) from the month From on.
type Withdrawal struct {
	Countries  []string        `json:"countries"`
	From       coalition.Month `json:"from"`
	Fraction   float64         `json:"fraction"`   // in (0, 1]; 0 means 1 (all)
	Categories []string        `json:"categories"` // empty: every category
}

func (w Withdrawal) fraction() float64 {
	if w.Fraction == 0 {
		return 1
	}
	return w.Fraction
}

// Validate checks one withdrawal; field names are prefixed with prefix (for
// example "withdrawals[0]").
func (w Withdrawal) Validate(prefix string) error {
	if len(w.Countries) == 0 {
		return coalition.FieldError(prefix+".countries", "at least one country is required")
	}
	for i, c := range w.Countries {
		if c == "" {
			return coalition.FieldError(fmt.Sprintf("%s.countries[%d]", prefix, i), "must not be empty")
		}
	}
	if math.IsNaN(w.Fraction) || w.Fraction < 0 || w.Fraction > 1 {
		return coalition.FieldError(prefix+".fraction", "must be between 0 and 1 (got %g)", w.Fraction)
	}
	return nil
}

func (w Withdrawal) applies(f Flow) bool {
	if !slices.Contains(w.Countries, f.Donor) {
		return false
	}
	return len(w.Categories) == 0 || slices.Contains(w.Categories, f.Category)
}

// Withdraw applies the withdrawals to the flows, in order. A flow whose window
// straddles a withdrawal's month is split: the months before it are kept
// whole, the months from it on keep (1 − fraction) of their amount and of
// their delivered part. Several withdrawals hitting one flow multiply. lost
// sums, per donor, the EUR removed. kept holds every flow with a positive
// amount; flows not affected are returned unchanged.
func Withdraw(flows []Flow, w []Withdrawal) (kept []Flow, lost map[string]float64) {
	lost = map[string]float64{}
	cur := append([]Flow(nil), flows...)
	for _, wd := range w {
		next := make([]Flow, 0, len(cur))
		frac := wd.fraction()
		for _, f := range cur {
			if !wd.applies(f) || f.last() < wd.From {
				next = append(next, f)
				continue
			}
			k := float64(f.months())
			if f.From < wd.From {
				before := float64(wd.From - f.From)
				head := f
				head.To = wd.From - 1
				head.Amount = f.Amount * before / k
				head.Delivered = f.Delivered * before / k
				next = append(next, head)
				f.From = wd.From
				f.Amount -= head.Amount
				f.Delivered -= head.Delivered
			}
			lost[f.Donor] += f.Amount * frac
			f.Amount *= 1 - frac
			f.Delivered *= 1 - frac
			if f.Amount > 0 {
				next = append(next, f)
			}
		}
		cur = next
	}
	return cur, lost
}
