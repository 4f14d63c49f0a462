package main

import (
	"context"
	"fmt"
	"strconv"

	"coalition"
	"coalition/report"
)

func runNeeds(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "needs", "needs [--coalition COW2025] [--json] [--db ...] | needs edit ID [--amount-eur-per-month X] [--note TEXT] [--source TEXT] [--db ...] | needs delete ID [--db ...]",
		"coalition needs edit 3 --amount-eur-per-month 4500000000")
	db := dbFlag(fs)
	coal := fs.String("coalition", report.DefaultCoalition, "the coalition whose requirements are listed")
	asJSON := fs.Bool("json", false, "print JSON (the same as GET /api/v1/needs)")
	amount := fs.String("amount-eur-per-month", "", "edit: the new need in euros per month")
	note := fs.String("note", "", "edit: the new note (what the figure covers)")
	source := fs.String("source", "", "edit: the new source of the figure")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	var id int64
	switch {
	case len(pos) == 0:
	case len(pos) == 2 && (pos[0] == "edit" || pos[0] == "delete"):
		if id, err = strconv.ParseInt(pos[1], 10, 64); err != nil || id <= 0 {
			return usagef("needs %s: ID must be a requirement number (the ID column of 'coalition needs'), not %q", pos[0], pos[1])
		}
	default:
		return usagef("needs: give no arguments to list, or edit|delete ID (run 'coalition needs -h')")
	}
	var upd coalition.RequirementUpdate
	if *amount != "" {
		v, err := coalition.ParseDecimal(*amount, 1, "EUR")
		if err != nil {
			return coalition.FieldError("amount-eur-per-month", "%q is not an amount in euros", *amount)
		}
		upd.AmountEUR = &v
	}
	if *note != "" {
		upd.Note = note
	}
	if *source != "" {
		upd.Source = source
	}
	if len(pos) == 2 && pos[0] == "edit" && upd == (coalition.RequirementUpdate{}) {
		return usagef("needs edit: say what changes (--amount-eur-per-month, --note, --source)")
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if len(pos) == 2 {
		return editNeed(coalition.WithUser(ctx, coalition.System), e, s, pos[0], id, upd)
	}
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

// editNeed changes or deletes requirement id as the local System operator
// (audited like any write), at the version it reads.
func editNeed(ctx context.Context, e *env, s coalition.Store, what string, id int64, upd coalition.RequirementUpdate) error {
	r, err := s.FindRequirement(ctx, id)
	if err != nil {
		return err
	}
	if what == "delete" {
		if err := s.DeleteRequirement(ctx, id, r.Version); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "requirement %d (%s, %s) deleted\n", id, r.Category, r.Source)
		return nil
	}
	upd.Version = r.Version
	if r, err = s.UpdateRequirement(ctx, id, upd); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "requirement %d (%s): %s per month, version %d\n", id, r.Category, eur(float64(r.AmountEUR)/100), r.Version)
	return nil
}
