package main

import (
	"context"
	"fmt"
	"strings"

	"coalition"
)

func runRiskEvents(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "risk-events", "risk-events [--country ISO3] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] [--db ...]",
		"coalition risk-events --country USA --from 2026-01-01 --json")
	db := dbFlag(fs)
	country := fs.String("country", "", "only this country's events (ISO 3166-1 alpha-3)")
	fromS := fs.String("from", "", "events on or after this date (YYYY-MM-DD)")
	toS := fs.String("to", "", "events on or before this date (YYYY-MM-DD)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("risk-events: unexpected argument %q", pos[0])
	}
	f := coalition.RiskEventFilter{ISO3: strings.ToUpper(strings.TrimSpace(*country))}
	if f.ISO3 != "" && !coalition.ValidISO3(f.ISO3) {
		return coalition.FieldError("--country", "%q is not an ISO 3166-1 alpha-3 code", *country)
	}
	if *fromS != "" {
		if f.From, err = coalition.ParseDate(*fromS); err != nil {
			return coalition.FieldError("--from", "%v", err)
		}
	}
	if *toS != "" {
		if f.To, err = coalition.ParseDate(*toS); err != nil {
			return coalition.FieldError("--to", "%v", err)
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return coalition.FieldError("--to", "is before --from (%s < %s)", f.To, f.From)
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	evs, err := s.FindRiskEvents(coalition.WithUser(ctx, coalition.System), f)
	if err != nil {
		return err
	}
	if evs == nil {
		evs = []*coalition.RiskEvent{}
	}
	if *asJSON {
		return anJSON(e.stdout, evs)
	}
	w := e.stdout
	tw := table(w)
	fmt.Fprintln(tw, "ID\tISO3\tDATE\tKIND\tPROBABILITY\tFACTOR\tVERSION\tLABEL")
	for _, r := range evs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%.2f\t%.2f\t%d\t%s\n", r.ID, r.ISO3, r.Date, r.Kind, r.Probability, r.Factor, r.Version, r.Label)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d risk events. Probability: that the event cuts the country's support; factor: the support kept from its date on.\n", len(evs))
	fmt.Fprintln(w, "Both are user assumptions (see each event's assumption in --json); edit them with PATCH /api/v1/risk-events/{id}.")
	fmt.Fprintln(w, "Dates: the bundled elections calendar, refdata/data/elections.csv (sources per event in --json).")
	return nil
}
