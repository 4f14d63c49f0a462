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
	for i := range t.rows {
		r, err := needRequirement(t, i)
		if err != nil {
			return nil, err
		}
		n, err := needOriginal(t, i)
		if err != nil {
			return nil, err
		}
		n.Requirement = r
		out = append(out, n)
	}
	return out, nil
}

// needRequirement reads row i as a validated requirement: a monthly amount
// over from..to, and a quantity over the whole period when one is given.
func needRequirement(t *table, i int) (*coalition.Requirement, error) {
	row := t.rows[i]
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
	if err := needQuantity(t, i, r); err != nil {
		return nil, err
	}
	if err := r.Validate(); err != nil {
		return nil, t.errorf(i, "requirement", "%v", err)
	}
	return r, nil
}

// needQuantity sets the quantity for the whole period from the monthly one
// (the file states needs per month, a requirement covers its period), and
// the unit cost that prices it.
func needQuantity(t *table, i int, r *coalition.Requirement) error {
	q := t.rows[i]["quantity_per_month"]
	if q == "" {
		return nil
	}
	n, err := strconv.ParseInt(q, 10, 64)
	if err != nil {
		return t.errorf(i, "quantity_per_month", "%q is not a whole number", q)
	}
	total := n * int64(r.To-r.From+1)
	r.Quantity = &total
	cost, err := optFloat(t, i, "unit_cost_eur")
	if err != nil {
		return err
	}
	if cost != nil {
		r.UnitValue = int64(math.Round(*cost * 100))
	}
	return nil
}

// needOriginal reads the figure as the source states it, kept beside the
// converted requirement so that the conversion can be checked.
func needOriginal(t *table, i int) (Need, error) {
	row := t.rows[i]
	n := Need{OriginalCurrency: strings.ToUpper(row["original_currency"])}
	var err error
	if n.OriginalAmount, err = strconv.ParseFloat(row["original_amount"], 64); err != nil {
		return n, t.errorf(i, "original_amount", "%q is not a number", row["original_amount"])
	}
	fx, err := optFloat(t, i, "fx_usd_per_eur")
	if err != nil {
		return n, err
	}
	if fx != nil {
		n.USDPerEUR = *fx
	}
	return n, nil
}
