package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"coalition"
	"coalition/report"
)

// runEquipment lists equipment pledged and delivered (report.Equipment,
// the same answer as GET /api/v1/equipment).
func runEquipment(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "equipment", "equipment [--donor ISO3] [--category air-defence|artillery|armour|drones|air-force|maritime|demining|it] [--system NAME] [--json] [--db ...]",
		"coalition equipment --donor DEU --category air-defence --json",
		`print JSON (the same as GET /api/v1/equipment): {"equipment": [{"donor", "system", "category", "pledged", "delivered", "value_eur", "source", …}], "totals": [...]}`)
	var f coalition.EquipmentFilter
	c.fs.StringVar(&f.Donor, "donor", "", "only this donor (ISO3)")
	c.fs.StringVar(&f.Category, "category", "", "only this capability category")
	c.fs.StringVar(&f.System, "system", "", "only this system, by its catalogue name (e.g. \"Patriot\", \"M777\")")
	s, _, err := c.open(ctx, e, args, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := report.Equipment(ctx, s, f)
	if err != nil {
		return err
	}
	warnStale(ctx, e, s, "equipment")
	return c.print(e, rep, func() error { printEquipment(e.stdout, rep); return nil })
}

func printEquipment(w io.Writer, rep *report.EquipmentReport) {
	tw := table(w)
	fmt.Fprintln(tw, "DONOR\tCATEGORY\tSYSTEM\tPLEDGED\tDELIVERED\tVALUE\tDELIVERED BY")
	for _, r := range rep.Equipment {
		sys := r.System
		if !r.Catalogued {
			sys += " *"
		}
		value := "–"
		if r.ValueEUR != nil {
			value = eur(*r.ValueEUR)
		}
		by := "–"
		if !r.DeliveredBy.IsZero() {
			by = r.DeliveredBy.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%s\n", r.Donor, r.Category, sys, r.Pledged, r.Delivered, value, by)
	}
	tw.Flush()
	fmt.Fprintln(w)
	for _, t := range rep.Totals {
		fmt.Fprintf(w, "%s: %s pledged, %s delivered, %s\n", t.Category, strconv.FormatInt(t.Pledged, 10), strconv.FormatInt(t.Delivered, 10), eur(t.ValueEUR))
	}
	fmt.Fprintf(w, "%d records. * a system named as the source names it, not in the catalogue.\n", len(rep.Equipment))
	for _, src := range rep.Sources {
		fmt.Fprintf(w, "Source: %s\n", src)
	}
}
