package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"coalition"
	"coalition/report"
)

func runNeeds(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "needs", "needs [--coalition COW2025] [--json] [--db ...] | needs add --category C [--capability T] (--amount-eur-per-month X | --quantity-per-month N --unit U --unit-cost-eur X) --from YYYY-MM --to YYYY-MM --source S [--as-of YYYY-MM-DD] [--priority P] [--note T] [--coalition C] | needs edit ID [--amount-eur-per-month X] [--note TEXT] [--source TEXT] [--db ...] | needs delete ID [--db ...]",
		"coalition needs edit 3 --amount-eur-per-month 4500000000", "print JSON (the same as GET /api/v1/needs)")
	coal := c.fs.String("coalition", report.DefaultCoalition, "the coalition whose requirements are listed")
	amount := c.fs.String("amount-eur-per-month", "", "edit: the new need in euros per month")
	note := c.fs.String("note", "", "edit: the new note (what the figure covers)")
	source := c.fs.String("source", "", "add, edit: the source of the figure")
	var add needAddFlags
	add.register(c.fs)
	var id int64
	var upd coalition.RequirementUpdate
	s, pos, err := c.open(ctx, e, args, func(pos []string) error {
		var err error
		if id, err = needID(pos); err != nil {
			return err
		}
		if upd, err = needUpdate(*amount, *note, *source); err != nil {
			return err
		}
		if len(pos) == 1 && pos[0] == "add" {
			return nil
		}
		if len(pos) == 2 && pos[0] == "edit" && upd == (coalition.RequirementUpdate{}) {
			return usagef("needs edit: say what changes (--amount-eur-per-month, --note, --source)")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer s.Close()
	if len(pos) == 2 {
		return editNeed(ctx, e, s, pos[0], id, upd)
	}
	if len(pos) == 1 {
		return addNeed(ctx, e, s, *coal, *amount, *note, *source, add)
	}
	rep, err := report.Needs(ctx, s, *coal)
	if err != nil {
		return err
	}
	return c.print(e, rep, func() error { return printNeeds(e.stdout, rep) })
}

// needID reads "edit|delete ID", or nothing (a listing).
func needID(pos []string) (int64, error) {
	if len(pos) == 0 || (len(pos) == 1 && pos[0] == "add") {
		return 0, nil
	}
	if len(pos) != 2 || (pos[0] != "edit" && pos[0] != "delete") {
		return 0, usagef("needs: give no arguments to list, add, or edit|delete ID (run 'coalition needs -h')")
	}
	id, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("needs %s: ID must be a requirement number (the ID column of 'coalition needs'), not %q", pos[0], pos[1])
	}
	return id, nil
}

// needUpdate is the change the edit flags ask for; empty flags change nothing.
func needUpdate(amount, note, source string) (coalition.RequirementUpdate, error) {
	var upd coalition.RequirementUpdate
	if amount != "" {
		v, err := coalition.ParseDecimal(amount, 1, "EUR")
		if err != nil {
			return upd, coalition.FieldError("amount-eur-per-month", "%q is not an amount in euros", amount)
		}
		upd.AmountEUR = &v
	}
	if note != "" {
		upd.Note = &note
	}
	if source != "" {
		upd.Source = &source
	}
	return upd, nil
}

func printNeeds(w io.Writer, rep *report.NeedsReport) error {
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
