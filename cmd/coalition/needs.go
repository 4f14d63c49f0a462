package main

import (
	"context"
	"fmt"

	"coalition"
	"coalition/report"
)

func runNeeds(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "needs", "needs [--coalition COW2025] [--json] [--db ...]", "coalition needs --coalition COW2025 --json")
	db := dbFlag(fs)
	coal := fs.String("coalition", report.DefaultCoalition, "the coalition whose requirements are listed")
	asJSON := fs.Bool("json", false, "print JSON (the same as GET /api/v1/needs)")
	if _, err := parseArgs(e, fs, args); err != nil {
		return err
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := report.Needs(coalition.WithUser(ctx, coalition.System), s, *coal)
	if err != nil {
		return err
	}
	if *asJSON {
		return anJSON(e.stdout, rep)
	}
	w := e.stdout
	fmt.Fprintf(w, "%s (recipient %s): %d stored requirements. A support type without one is measured against the historical model (see coverage).\n\n",
		rep.Coalition, rep.Recipient, len(rep.Requirements))
	tw := table(w)
	fmt.Fprintln(tw, "ID\tCATEGORY\tCAPABILITY\tFROM\tTO\tPER MONTH\tPRIORITY\tAS OF\tSOURCE")
	for _, r := range rep.Requirements {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r.ID, r.Category, r.Capability, r.From, r.To, eur(r.AmountEURPerMonth), r.Priority, r.AsOf, r.Source)
	}
	return tw.Flush()
}
