package refdata

import (
	"math"
	"strconv"
	"strings"

	"coalition"
)

// NeedsFile is the bundled, sourced baseline of Ukraine's needs (see
// data/ukraine_needs_sources.md).
const NeedsFile = "ukraine_needs.csv"

// NeedsCoalition is the coalition whose requirements the bundled needs are.
const NeedsCoalition = "COW2025"

// Need is one row of the bundled needs: the requirement (without its
// coalition, which the seed sets) and the figure it was computed from.
type Need struct {
	Requirement      *coalition.Requirement
	OriginalAmount   float64 // in OriginalCurrency, for the whole period
	OriginalCurrency string
	USDPerEUR        float64 // the ECB rate used, 0 for EUR figures
}

// Needs reads the bundled needs as public requirements of recipient UKR,
// naming the file, line and field of any bad value.
func Needs() ([]Need, error) {
	t, err := readTable(NeedsFile)
	if err != nil {
		return nil, err
	}
	out := make([]Need, 0, len(t.rows))
	for i, row := range t.rows {
		r := &coalition.Requirement{Recipient: "UKR", Category: row["category"], Capability: row["capability"], Unit: row["unit"],
			Visibility: coalition.Public, Source: row["source"], AsOf: row["as_of"], Note: row["note"]}
		amount, err := strconv.ParseFloat(row["amount_eur_per_month"], 64)
		if err != nil || amount < 0 {
			return nil, t.errorf(i, "amount_eur_per_month", "%q is not an amount in EUR", row["amount_eur_per_month"])
		}
		r.AmountEUR = int64(math.Round(amount * 100))
		if r.From, err = coalition.ParseMonth(row["from"]); err != nil {
			return nil, t.errorf(i, "from", "%v", err)
		}
		if r.To, err = coalition.ParseMonth(row["to"]); err != nil {
			return nil, t.errorf(i, "to", "%v", err)
		}
		if r.Priority, err = optInt(t, i, "priority"); err != nil {
			return nil, err
		}
		if q := row["quantity_per_month"]; q != "" {
			n, err := strconv.ParseInt(q, 10, 64)
			if err != nil {
				return nil, t.errorf(i, "quantity_per_month", "%q is not a whole number", q)
			}
			total := n * int64(r.To-r.From+1)
			r.Quantity = &total
			cost, err := optFloat(t, i, "unit_cost_eur")
			if err != nil {
				return nil, err
			}
			if cost != nil {
				r.UnitValue = int64(math.Round(*cost * 100))
			}
		}
		if err := r.Validate(); err != nil {
			return nil, t.errorf(i, "requirement", "%v", err)
		}
		n := Need{Requirement: r, OriginalCurrency: strings.ToUpper(row["original_currency"])}
		if n.OriginalAmount, err = strconv.ParseFloat(row["original_amount"], 64); err != nil {
			return nil, t.errorf(i, "original_amount", "%q is not a number", row["original_amount"])
		}
		fx, err := optFloat(t, i, "fx_usd_per_eur")
		if err != nil {
			return nil, err
		}
		if fx != nil {
			n.USDPerEUR = *fx
		}
		out = append(out, n)
	}
	return out, nil
}
