package main

import (
	"context"
	"fmt"
	"strconv"

	"coalition"
)

// runPledges reads and writes a pledge's stage history (issue 16 §1), as
// GET /api/v1/pledges/{id}/history and POST /api/v1/pledges/{id}/stages
// do, as the local System operator that run sets (audited like any write).
func runPledges(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "pledges", "pledges history ID [--json] [--db ...] | pledges stage ID --stage committed|allocated|delivered|cancelled --amount X [--currency C] --date YYYY-MM-DD --source TEXT [--correction WHY] [--db ...]",
		"coalition pledges stage 12 --stage allocated --amount 400000000 --date 2025-04-01 --source 'contract 1'",
		"history: print JSON (the same as GET /api/v1/pledges/{id}/history)")
	fs := c.fs
	stage := fs.String("stage", "", "stage: the stage recorded")
	amount := fs.String("amount", "0", "stage: the amount in major units of --currency (negative only with --correction)")
	currency := fs.String("currency", "", "stage: the amount's currency (default: the pledge's)")
	date := fs.String("date", "", "stage: the date of the step")
	source := fs.String("source", "", "stage: the source of the step")
	correction := fs.String("correction", "", "stage: why a figure goes down or the pledge moves back")
	var id int64
	s, pos, err := c.open(ctx, e, args, func(pos []string) error {
		if len(pos) != 2 || (pos[0] != "history" && pos[0] != "stage") {
			return usagef("pledges: history ID or stage ID (run 'coalition pledges -h')")
		}
		var err error
		if id, err = strconv.ParseInt(pos[1], 10, 64); err != nil || id <= 0 {
			return usagef("pledges %s: ID must be a pledge number, not %q", pos[0], pos[1])
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer s.Close()
	if pos[0] == "stage" {
		if err := recordStage(ctx, e, s, id, *stage, *amount, *currency, *date, *source, *correction); err != nil {
			return err
		}
	}
	h, f, err := s.PledgeHistory(ctx, id)
	if err != nil {
		return err
	}
	return c.print(e, map[string]any{"pledge_id": id, "figures": f, "entries": h}, func() error { return printHistory(e, id, h, f) })
}

// recordStage records one step from the flags of `pledges stage`: the
// amount is parsed in the currency given, or the pledge's, which the
// store's conversion needs to know before it reads the number.
func recordStage(ctx context.Context, e *env, s coalition.Store, id int64, stage, amount, currency, date, source, correction string) error {
	p, err := s.FindPledge(ctx, id)
	if err != nil {
		return err
	}
	st := &coalition.StageEntry{PledgeID: id, Stage: coalition.PledgeStatus(stage), Source: source, Correction: correction,
		Amount: coalition.Money{Currency: currency}}
	if st.Amount.Currency == "" {
		st.Amount.Currency = p.Amount.Currency
	}
	if st.Amount.Minor, err = coalition.ParseDecimal(amount, 1, st.Amount.Currency); err != nil {
		return coalition.FieldError("amount", "%q is not an amount in %s", amount, st.Amount.Currency)
	}
	if st.Date, err = coalition.ParseDate(date); err != nil {
		return coalition.FieldError("date", "%q is not a date (YYYY-MM-DD)", date)
	}
	if p, err = s.RecordStage(ctx, st); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "pledge %d: %s %s (%s) on %s recorded; the pledge is %s, version %d\n",
		id, st.Stage, st.Amount, eur(float64(st.AmountEUR)/100), st.Date, p.Status, p.Version)
	return nil
}

// printHistory is the history table and the figures derived from it.
func printHistory(e *env, id int64, h []coalition.StageEntry, f coalition.StageFigures) error {
	fmt.Fprintf(e.stdout, "pledge %d: %s. Announced %s (%s, %s); committed %s, allocated %s, delivered %s, cancelled %s\n\n",
		id, f.Stage, eur(float64(f.AnnouncedEUR)/100), f.AnnouncedOn, f.AnnouncedSource, eur(float64(f.CommittedEUR)/100),
		eur(float64(f.AllocatedEUR)/100), eur(float64(f.DeliveredEUR)/100), eur(float64(f.CancelledEUR)/100))
	tw := table(e.stdout)
	fmt.Fprintln(tw, "DATE\tSTAGE\tAMOUNT\tEUR\tSOURCE\tRECORDED BY\tNOTE")
	for _, x := range h {
		by, note := x.RecordedBy, x.Correction
		switch {
		case x.Implied:
			by = "(implied by the record)"
		case x.DeliveryID != 0:
			by = fmt.Sprintf("delivery %d", x.DeliveryID)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.Date, x.Stage, x.Amount, eur(float64(x.AmountEUR)/100), x.Source, by, note)
	}
	return tw.Flush()
}
