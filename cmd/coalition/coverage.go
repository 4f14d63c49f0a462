package main

import (
	"context"
	"fmt"
	"io"

	"coalition"
	"coalition/report"
)

func runCoverage(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "coverage", "coverage [--coalition COW2025] [--from YYYY-MM] [--to YYYY-MM] [--counts all|members|members+channels] [--need stored|historical] [--records-as-of YYYY-MM-DD] [--json] [--db ...]",
		"coalition coverage --coalition COW2025 --from 2025-01 --to 2025-12", "print JSON")
	coal := c.fs.String("coalition", report.DefaultCoalition, "the coalition whose need is measured")
	fromS := c.fs.String("from", "", "first month (YYYY-MM); default 11 months before --to")
	toS := c.fs.String("to", "", "last month (YYYY-MM); default the last month with support")
	counts := c.fs.String("counts", report.DefaultCounts, "whose pledges count: all (every donor), members (the coalition's joined members) or members+channels (and the members' share of what channels such as the EU institutions gave)")
	need := c.fs.String("need", report.DefaultNeed, "the need: stored (the coalition's requirements; per support type without any, the historical model) or historical (only the 2022-2024 average support, a model)")
	recordsS := c.fs.String("records-as-of", "", "use the pledges, requirements and deliveries as they stood on this day, by their own history (as the brief's headline does); default: as they are")
	opt := report.CoverageOptions{}
	var records coalition.Date
	s, _, err := c.open(ctx, e, args, func(pos []string) error {
		if err := noArgs(c.fs.Name(), pos); err != nil {
			return err
		}
		var err error
		if opt.From, err = optionalMonth("from", *fromS); err != nil {
			return err
		}
		if opt.To, err = optionalMonth("to", *toS); err != nil {
			return err
		}
		records, err = optionalDate("records-as-of", *recordsS)
		return err
	})
	if err != nil {
		return err
	}
	defer s.Close()
	warnStale(ctx, e, s, "coverage")
	opt.Counts, opt.Need = *counts, *need
	var store coalition.Store = s
	if !records.IsZero() {
		store = report.RecordsAsOf(s, records)
	}
	rep, err := report.Coverage(ctx, store, *coal, opt)
	if err != nil {
		return err
	}
	return c.print(e, rep, func() error { printCoverage(e.stdout, rep); return nil })
}

func printCoverage(w io.Writer, rep *report.CoverageReport) {
	res := rep.Result
	fmt.Fprintf(w, "%s (recipient %s), %s..%s\nNeed: %s.\nSupport: %s.\n\n", rep.Coalition, rep.Recipient, res.From, res.To, rep.RequirementBasis, rep.SupportBasis)
	tw := table(w)
	fmt.Fprintln(tw, "MONTH\tCATEGORY\tREQUIRED\tPLEDGED\tDELIVERED\tCOVERED\tGAP")
	for _, c := range res.Cells {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.0f%%\t%s\n", c.Month, c.Category, eur(c.Required), eur(c.Pledged), eur(c.Delivered), c.CoveredShare*100, eur(c.Gap))
	}
	for _, c := range res.Categories {
		fmt.Fprintf(tw, "total\t%s\t%s\t%s\t%s\t%.0f%%\t%s\n", c.Category, eur(c.Required), eur(c.Pledged), eur(c.Delivered), c.CoveredShare*100, eur(c.Gap))
	}
	t := res.Total
	fmt.Fprintf(tw, "total\tall\t%s\t%s\t%s\t%.0f%%\t%s\n", eur(t.Required), eur(t.Pledged), eur(t.Delivered), t.CoveredShare*100, eur(t.Gap))
	tw.Flush()
	fmt.Fprintf(w, "\nNet gap over %s..%s: %s (per category, need minus support over the whole period, added up over the categories).\n", res.From, res.To, eur(rep.NetGapEUR))
	fmt.Fprintf(w, "Monthly gap: %s (the GAP column: the sum of the monthly shortfalls; a surplus in one month does not fill another).\n", eur(rep.MonthlyGapEUR))
	printUnitCoverage(w, rep)
	anSources(w, rep.Sources)
}
