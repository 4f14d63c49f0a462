package main

import (
	"context"
	"fmt"
	"strconv"

	"coalition"
)

// runDeliveries lists a pledge's deliveries, or adds, edits or deletes one
// as the local System operator: the store checks each against its pledge
// (coalition.CheckDelivery) and audits it, as it does for the API and the
// dashboard.
func runDeliveries(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "deliveries", "deliveries --pledge ID [--json] [--db ...] | deliveries add --pledge ID --date YYYY-MM-DD --amount-eur X [--quantity N] --source TEXT [--over-delivery WHY] | deliveries edit ID [--date ...] [--amount-eur X] [--quantity N] [--source TEXT] [--over-delivery WHY] | deliveries delete ID",
		"coalition deliveries add --pledge 12 --date 2026-03-01 --amount-eur 25000000 --source https://example.org/delivered", "print JSON (the same as GET /api/v1/deliveries)")
	pledge := c.fs.Int64("pledge", 0, "list and add: the pledge the deliveries are of")
	f := deliveryFlags{date: c.fs.String("date", "", "add, edit: the date it was delivered (YYYY-MM-DD, not in the future)"),
		amount:   c.fs.String("amount-eur", "", "add, edit: what was delivered, in euros"),
		quantity: c.fs.String("quantity", "", "add, edit: how many items, if counted"),
		source:   c.fs.String("source", "", "add, edit: the source of the figure"),
		over:     c.fs.String("over-delivery", "", "add, edit: why it takes the pledge's deliveries above what was allocated, if it does")}
	var id int64
	s, pos, err := c.open(ctx, e, args, func(pos []string) (err error) {
		id, err = recordID("deliveries", "delivery", pos, true)
		if err == nil && (len(pos) == 0 || pos[0] == "add") && *pledge <= 0 {
			err = usagef("deliveries: --pledge ID is required to list or add (the pledge's number, as in 'coalition pledges')")
		}
		return err
	})
	if err != nil {
		return err
	}
	defer s.Close()
	switch {
	case len(pos) == 0:
		return listDeliveries(ctx, e, c, s, *pledge)
	case pos[0] == "add":
		d := &coalition.Delivery{PledgeID: *pledge}
		if err := f.apply(d); err != nil {
			return err
		}
		if err := s.CreateDelivery(ctx, d); err != nil {
			return err
		}
		printDelivery(e, d)
		return nil
	case pos[0] == "delete":
		return deleteDelivery(ctx, e, s, id)
	}
	return editDelivery(ctx, e, s, id, f)
}

// listDeliveries prints pledge's deliveries, as a table or JSON.
func listDeliveries(ctx context.Context, e *env, c *storeCommand, s coalition.Store, pledge int64) error {
	ds, _, err := s.FindDeliveries(ctx, coalition.DeliveryFilter{PledgeID: pledge, Limit: coalition.MaxPageSize})
	if err != nil {
		return err
	}
	return c.print(e, ds, func() error {
		tw := table(e.stdout)
		fmt.Fprintln(tw, "ID\tDATE\tEUR\tQUANTITY\tSOURCE\tOVER-DELIVERY")
		for _, d := range ds {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Date, eur(float64(d.AmountEUR)/100), countText(d.Quantity), d.Source, d.OverDelivery)
		}
		return tw.Flush()
	})
}

// deleteDelivery deletes delivery id at the version it reads.
func deleteDelivery(ctx context.Context, e *env, s coalition.Store, id int64) error {
	d, err := s.FindDelivery(ctx, id)
	if err != nil {
		return err
	}
	if err := s.DeleteDelivery(ctx, id, d.Version); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "delivery %d of pledge %d (%s, %s) deleted\n", id, d.PledgeID, d.Date, d.Source)
	return nil
}

// editDelivery changes delivery id as the flags say, at the version it
// reads.
func editDelivery(ctx context.Context, e *env, s coalition.Store, id int64, f deliveryFlags) error {
	upd, err := f.update()
	if err != nil {
		return err
	}
	d, err := s.FindDelivery(ctx, id)
	if err != nil {
		return err
	}
	upd.Version = d.Version
	if d, err = s.UpdateDelivery(ctx, id, upd); err != nil {
		return err
	}
	printDelivery(e, d)
	return nil
}

// printDelivery says what a delivery now is.
func printDelivery(e *env, d *coalition.Delivery) {
	fmt.Fprintf(e.stdout, "delivery %d of pledge %d: %s on %s, version %d\n", d.ID, d.PledgeID, eur(float64(d.AmountEUR)/100), d.Date, d.Version)
}

// recordID reads "edit|delete ID" (and "add", when add is true), or
// nothing (a listing), for command's records of the given noun.
func recordID(command, noun string, pos []string, add bool) (int64, error) {
	if len(pos) == 0 || (add && len(pos) == 1 && pos[0] == "add") {
		return 0, nil
	}
	if len(pos) != 2 || (pos[0] != "edit" && pos[0] != "delete") {
		return 0, usagef("%s: give edit|delete ID (run 'coalition %s -h')", command, command)
	}
	id, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%s %s: ID must be a %s number, not %q", command, pos[0], noun, pos[1])
	}
	return id, nil
}

// deliveryFlags are the flags that set a delivery's fields.
type deliveryFlags struct{ date, amount, quantity, source, over *string }

// update is the change the flags ask for; flags not given change nothing.
func (f deliveryFlags) update() (coalition.DeliveryUpdate, error) {
	var upd coalition.DeliveryUpdate
	if *f.date != "" {
		d, err := optionalDate("date", *f.date)
		if err != nil {
			return upd, err
		}
		upd.Date = &d
	}
	if *f.amount != "" {
		v, err := coalition.ParseDecimal(*f.amount, 1, "EUR")
		if err != nil {
			return upd, coalition.FieldError("amount-eur", "%q is not an amount in euros", *f.amount)
		}
		upd.AmountEUR = &v
	}
	if *f.quantity != "" {
		n, err := strconv.ParseInt(*f.quantity, 10, 64)
		if err != nil {
			return upd, coalition.FieldError("quantity", "%q is not a whole number", *f.quantity)
		}
		upd.Quantity = &n
	}
	if *f.source != "" {
		upd.Source = f.source
	}
	if *f.over != "" {
		upd.OverDelivery = f.over
	}
	if upd == (coalition.DeliveryUpdate{}) {
		return upd, usagef("deliveries edit: say what changes (--date, --amount-eur, --quantity, --source, --over-delivery)")
	}
	return upd, nil
}

// apply sets a new delivery's fields from the flags.
func (f deliveryFlags) apply(d *coalition.Delivery) error {
	if *f.date == "" && *f.amount == "" && *f.quantity == "" && *f.source == "" {
		return usagef("deliveries add: give --date, --amount-eur (or --quantity) and --source")
	}
	upd, err := f.update()
	if err != nil {
		return err
	}
	upd.Apply(d)
	return nil
}

// countText shows an optional count, or nothing.
func countText(v *int64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(*v, 10)
}
