package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"

	"coalition"
)

// needAddFlags are the flags of `coalition needs add` beyond those it
// shares with edit (--amount-eur-per-month, --note, --source).
type needAddFlags struct {
	category, capability, unit, unitCost, from, to, asOf, visibility string
	quantity                                                         string
	priority                                                         int
}

func (f *needAddFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.category, "category", "", "add: the category (coalition categories; e.g. military, air-defence, financial, humanitarian)")
	fs.StringVar(&f.capability, "capability", "", "add: what is needed: a known term (e.g. military assistance, budget support, humanitarian response, air-defence) or a catalogued system; a detail may follow in parentheses")
	fs.StringVar(&f.quantity, "quantity-per-month", "", "add: units needed a month (with --unit and --unit-cost-eur), instead of --amount-eur-per-month")
	fs.StringVar(&f.unit, "unit", "", "add: the unit of --quantity-per-month (e.g. shell)")
	fs.StringVar(&f.unitCost, "unit-cost-eur", "", "add: the cost of one unit in euros (its source is --source)")
	fs.StringVar(&f.from, "from", "", "add: first month (YYYY-MM)")
	fs.StringVar(&f.to, "to", "", "add: last month (YYYY-MM)")
	fs.StringVar(&f.asOf, "as-of", "", "add: the date of the figure (YYYY-MM-DD)")
	fs.StringVar(&f.visibility, "visibility", string(coalition.Public), "add: public, coalition or confidential")
	fs.IntVar(&f.priority, "priority", 0, "add: priority (1 the highest; 0 none)")
}

// addNeed stores a new requirement of coalition code as the local System
// operator (audited like any write; the store checks every field and
// names the one that is wrong).
func addNeed(ctx context.Context, e *env, s coalition.Store, code, amount, note, source string, f needAddFlags) error {
	c, err := s.FindCoalitionByCode(ctx, code)
	if err != nil {
		return err
	}
	r := &coalition.Requirement{CoalitionID: &c.ID, Recipient: c.Recipient, Category: f.category, Capability: f.capability, Unit: f.unit,
		Priority: f.priority, Visibility: coalition.Visibility(f.visibility), Source: source, AsOf: f.asOf, Note: note}
	if r.From, err = coalition.ParseMonth(f.from); err != nil {
		return coalition.FieldError("--from", "%v", err)
	}
	if r.To, err = coalition.ParseMonth(f.to); err != nil {
		return coalition.FieldError("--to", "%v", err)
	}
	if err := f.setAmount(r, amount); err != nil {
		return err
	}
	if err := s.CreateRequirement(ctx, r); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "requirement %d (%s, %s..%s): %s per month\n", r.ID, r.Category, r.From, r.To, eur(r.MonthlyEUR()))
	return nil
}

// setAmount sets either the money per month or the quantity (for the
// whole period, as the store keeps it) and the unit value.
func (f needAddFlags) setAmount(r *coalition.Requirement, amount string) error {
	switch {
	case amount != "" && f.quantity != "":
		return coalition.FieldError("--quantity-per-month", "give --amount-eur-per-month or --quantity-per-month, not both")
	case amount != "":
		v, err := coalition.ParseDecimal(amount, 1, "EUR")
		if err != nil {
			return coalition.FieldError("--amount-eur-per-month", "%q is not an amount in euros", amount)
		}
		r.AmountEUR = v
	case f.quantity != "":
		n, err := strconv.ParseInt(f.quantity, 10, 64)
		if err != nil {
			return coalition.FieldError("--quantity-per-month", "%q is not a whole number", f.quantity)
		}
		if f.unitCost == "" {
			return coalition.FieldError("--unit-cost-eur", "a quantity needs the cost of one unit, with its source")
		}
		cost, err := coalition.ParseDecimal(f.unitCost, 1, "EUR")
		if err != nil {
			return coalition.FieldError("--unit-cost-eur", "%q is not an amount in euros", f.unitCost)
		}
		total := n * int64(r.To-r.From+1)
		r.Quantity, r.UnitValue = &total, cost
	default:
		return coalition.FieldError("--amount-eur-per-month", "give the need: --amount-eur-per-month, or --quantity-per-month with --unit-cost-eur")
	}
	return nil
}
