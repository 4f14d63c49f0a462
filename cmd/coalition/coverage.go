package main

import (
	"context"
	"fmt"

	"coalition"
	"coalition/report"
)

func runCoverage(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "coverage", "coverage [--coalition COW2025] [--from YYYY-MM] [--to YYYY-MM] [--counts all|members|members+channels] [--need stored|historical] [--json] [--db ...]",
		"coalition coverage --coalition COW2025 --from 2025-01 --to 2025-12")
	db := dbFlag(fs)
	coal := fs.String("coalition", report.DefaultCoalition, "the coalition whose need is measured")
	fromS := fs.String("from", "", "first month (YYYY-MM); default 11 months before --to")
	toS := fs.String("to", "", "last month (YYYY-MM); default the last month with support")
	counts := fs.String("counts", report.DefaultCounts, "whose pledges count: all (every donor), members (the coalition's joined members) or members+channels (and the members' share of what channels such as the EU institutions gave)")
	need := fs.String("need", report.DefaultNeed, "the need: stored (the coalition's requirements; per support type without any, the historical model) or historical (only the 2022-2024 average support, a model)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseArgs(e, fs, args); err != nil {
		return err
	}
	var from, to coalition.Month
	var err error
	if *fromS != "" {
		if from, err = coalition.ParseMonth(*fromS); err != nil {
			return coalition.FieldError("from", "%v", err)
		}
	}
	if *toS != "" {
		if to, err = coalition.ParseMonth(*toS); err != nil {
			return coalition.FieldError("to", "%v", err)
		}
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := report.Coverage(coalition.WithUser(ctx, coalition.System), s, *coal, report.CoverageOptions{From: from, To: to, Counts: *counts, Need: *need})
	if err != nil {
		return err
	}
	if *asJSON {
		return anJSON(e.stdout, rep)
	}
	w := e.stdout
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
	anSources(w, rep.Sources)
	return nil
}
