package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"coalition"
	"coalition/report"
)

// runForce prints the sourcing view of a coalition's force requirement
// (report.Force, the same answer as GET /api/v1/coalitions/{id}/force):
// per line, units offered, conditional and unfilled, and who leads; with
// --without-condition, the offers that need it lapse.
func runForce(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "force", "force --coalition CODE [--without-condition "+strings.Join(coalition.ConditionCodes(), "|")+"]... [--json] [--db ...]",
		"coalition force --coalition COW2025 --without-condition us-backstop",
		`print JSON (the same as GET /api/v1/coalitions/{id}/force): {"lines": [{"capability", "unit_type", "quantity", "offered", "conditional", "unfilled", "offers": [...], "lapsed": [...]}]}`)
	coal := c.fs.String("coalition", "", "the coalition (code, e.g. COW2025, or id)")
	var without []string
	c.fs.Func("without-condition", "a condition that falls away (repeat, or separate with commas): the offers that need it lapse", func(v string) error {
		without = append(without, v)
		return nil
	})
	s, _, err := c.open(ctx, e, args, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := report.Force(ctx, s, *coal, without)
	if err != nil {
		return err
	}
	return c.print(e, rep, func() error { printForce(e.stdout, rep); return nil })
}

func unitsText(p *int64) string {
	if p == nil {
		return "–"
	}
	return strconv.FormatInt(*p, 10)
}

func printForce(w io.Writer, rep *report.ForceReport) {
	fmt.Fprintf(w, "%s (%s): force requirement and offers", rep.CoalitionName, rep.Coalition)
	if len(rep.WithoutConditions) > 0 {
		fmt.Fprintf(w, ", without: %s (%d offers lapse)", strings.Join(rep.WithoutConditions, ", "), rep.Lapsed)
	}
	fmt.Fprintln(w)
	tw := table(w)
	fmt.Fprintln(tw, "CAPABILITY\tUNIT TYPE\tNEEDED\tOFFERED\tCONDITIONAL\tUNFILLED\tOFFERS\tLAPSED\tLEADS")
	for _, l := range rep.Lines {
		leads := strings.Join(l.Leads, ",")
		if leads == "" {
			leads = "–"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%d\t%d\t%s\n", l.Capability, l.UnitType, unitsText(l.Quantity), l.Offered, l.Conditional,
			unitsText(l.Unfilled), len(l.Offers), len(l.Lapsed), leads)
	}
	tw.Flush()
	for _, l := range rep.Lines {
		for _, o := range append(append([]report.ForceOfferRow{}, l.Offers...), l.Lapsed...) {
			conds := "no conditions"
			if len(o.Conditions) > 0 {
				conds = strings.Join(o.Conditions, ", ")
			}
			fmt.Fprintf(w, "  %s %s: %s, %s units, %s people (%s; %s) — %s\n", l.Capability, o.Country, o.Unit, unitsText(o.Quantity),
				unitsText(o.Personnel), conds, o.Status, o.Source)
		}
	}
	fmt.Fprintln(w, "– not stated: the public record gives no quantity; unfilled is then unknown, not zero.")
}
