package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"coalition/analysis"
	"coalition/report"
)

// runCapabilityGap prints the capability gap if members withdraw
// (report.CapabilityGap, the same answer as GET /api/v1/capability-gap).
func runCapabilityGap(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "capability-gap", "capability-gap --withdraw ISO3[,ISO3…] [--json] [--db ...]",
		"coalition capability-gap --withdraw USA --json",
		`print JSON (the same as GET /api/v1/capability-gap?withdraw=USA): {"categories": [{"category", "withdrawn_share", "lost_units", "lost_eur", "alternative_producers": [...], "annual_capacity", "gap_after_one_year", "roles": [...]}]}`)
	withdraw := c.fs.String("withdraw", "", "the withdrawing members, ISO3 codes separated by commas (e.g. USA)")
	s, _, err := c.open(ctx, e, args, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := report.CapabilityGap(ctx, s, []string{*withdraw})
	if err != nil {
		return err
	}
	warnStale(ctx, e, s, "capability-gap")
	return c.print(e, rep, func() error { printCapabilityGap(e.stdout, rep); return nil })
}

func printCapabilityGap(w io.Writer, rep *report.CapabilityGapReport) {
	fmt.Fprintf(w, "Capability gap if %s withdraw(s): equipment to %s, pace since %s\n\n", strings.Join(rep.Withdraw, ", "), rep.AsOf, rep.Since)
	tw := table(w)
	fmt.Fprintln(tw, "CATEGORY\tWITHDRAWN SHARE\tLOST UNITS\tLOST VALUE\tOTHERS' PACE/YEAR\tCAPACITY/YEAR\tGAP AFTER 1 YEAR\tUNASSESSED")
	for _, c := range rep.Categories {
		fmt.Fprintf(tw, "%s\t%.1f%% (%s)\t%d\t%s\t%.1f\t%s\t%s\t%d\n", c.Category, 100*c.WithdrawnShare, c.ShareBasis, c.LostUnits, eur(c.LostEUR),
			c.RemainingPacePerYear, assessed(c, c.AnnualCapacity), assessed(c, c.GapAfterOneYear), c.UnassessedUnits)
	}
	tw.Flush()
	for _, c := range rep.Categories {
		if c.LostUnits == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s", c.Category)
		if len(c.OnlyWithdrawn) > 0 {
			fmt.Fprintf(w, " (only the withdrawing members supplied: %s)", strings.Join(c.OnlyWithdrawn, ", "))
		}
		fmt.Fprintln(w)
		for _, r := range c.Roles {
			if r.LostUnits > 0 {
				fmt.Fprintf(w, "  %s: %d lost; others delivered %d (%.1f a year); capacity a year %s; gap after a year %s\n", r.Role, r.LostUnits,
					r.RemainingDelivered, r.RemainingPacePerYear, optUnits(r.AnnualCapacity, r.CapacityComplete), optGap(r.GapAfterOneYear, r.CapacityComplete))
				printAlternatives(w, r)
			}
		}
	}
	fmt.Fprintf(w, "\nMethod: %s\n", rep.Method)
	for _, s := range rep.Sources {
		fmt.Fprintf(w, "Source (%s, %s): %s\n", s.Figure, s.AsOf, s.Source)
	}
}

func printAlternatives(w io.Writer, r analysis.CapabilityRole) {
	switch {
	case len(r.Alternatives) == 0 && r.AnnualCapacity == nil:
		fmt.Fprintln(w, "    producers unknown (a system the catalogue does not hold)")
	case len(r.Alternatives) == 0:
		fmt.Fprintln(w, "    no producer outside the withdrawing members in the catalogue")
	}
	for _, a := range r.Alternatives {
		if a.UnitsPerYear == nil {
			fmt.Fprintf(w, "    %s (%s): no public figure\n", a.Producer, a.System)
			continue
		}
		fmt.Fprintf(w, "    %s, %s (%s): %s a year (%s)\n", a.Producer, a.System, strings.Join(a.Countries, ";"), units(*a.UnitsPerYear), a.AsOf)
	}
}

func units(v float64) string { return fmt.Sprintf("%.0f", v) }

// optUnits is a figure that may be unknown (no public figure) or a lower
// bound (not every producer publishes one).
func optUnits(v *float64, complete bool) string {
	switch {
	case v == nil:
		return "unknown (no public figure)"
	case !complete:
		return "at least " + units(*v)
	}
	return units(*v)
}

// optGap is a gap that may be unknown, or an upper bound when the
// capacity is a lower bound.
func optGap(v *float64, complete bool) string {
	switch {
	case v == nil:
		return "unknown"
	case !complete:
		return "at most " + units(*v)
	}
	return units(*v)
}

// assessed is a category's figure, or "unknown" when no role with units
// lost has a known capacity.
func assessed(c analysis.CapabilityCategoryGap, v float64) string {
	if c.LostUnits > 0 && c.UnassessedUnits == c.LostUnits {
		return "unknown"
	}
	return units(v)
}

// printUnitCoverage prints coverage in units, for requirements stated in
// units of a system (report.CoverageReport.Units).
func printUnitCoverage(w io.Writer, rep *report.CoverageReport) {
	if len(rep.Units) > 0 {
		fmt.Fprintln(w, "\nIn units (requirements stated in units of a system, against that system's equipment records):")
		tw := table(w)
		fmt.Fprintln(tw, "SYSTEM\tUNIT\tREQUIRED\tPLEDGED\tDELIVERED\tCOVERED\tGAP\tGAP (EUR)")
		for _, u := range rep.Units {
			gap := "– (no unit cost)"
			if u.GapEUR != nil {
				gap = eur(*u.GapEUR)
			}
			fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.0f\t%.0f\t%.0f%%\t%.0f\t%s\n", u.System, u.Unit, u.RequiredUnits, u.PledgedUnits, u.DeliveredUnits, 100*u.CoveredShare, u.GapUnits, gap)
		}
		tw.Flush()
	}
	if len(rep.UnitsUnmatched) > 0 {
		fmt.Fprintf(w, "Counted in euros only (no catalogued system of that unit): %s\n", strings.Join(rep.UnitsUnmatched, "; "))
	}
}
