package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"coalition"
)

func runRiskEvents(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && (args[0] == "add" || args[0] == "edit" || args[0] == "delete") {
		return runRiskEventWrite(ctx, e, args[0], args[1:])
	}
	c := newStoreCommand(e, "risk-events", "risk-events [--country ISO3] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] [--db ...] | risk-events add|edit|delete …",
		"coalition risk-events --country USA --from 2026-01-01 --json", "print JSON")
	country := c.fs.String("country", "", "only this country's events (ISO 3166-1 alpha-3)")
	fromS := c.fs.String("from", "", "events on or after this date (YYYY-MM-DD)")
	toS := c.fs.String("to", "", "events on or before this date (YYYY-MM-DD)")
	var f coalition.RiskEventFilter
	s, _, err := c.open(ctx, e, args, func(pos []string) error {
		if len(pos) > 0 {
			return usagef("risk-events: unexpected argument %q", pos[0])
		}
		var err error
		f, err = riskEventFilter(*country, *fromS, *toS)
		return err
	})
	if err != nil {
		return err
	}
	defer s.Close()
	evs, err := s.FindRiskEvents(ctx, f)
	if err != nil {
		return err
	}
	evs = nonNil(evs)
	return c.print(e, evs, func() error { return printRiskEvents(e.stdout, evs) })
}

// riskEventFilter checks the country and the dates of the listing.
func riskEventFilter(country, from, to string) (coalition.RiskEventFilter, error) {
	f := coalition.RiskEventFilter{ISO3: strings.ToUpper(strings.TrimSpace(country))}
	if f.ISO3 != "" && !coalition.ValidISO3(f.ISO3) {
		return f, coalition.FieldError("--country", "%q is not an ISO 3166-1 alpha-3 code", country)
	}
	var err error
	if f.From, err = optionalDate("--from", from); err != nil {
		return f, err
	}
	if f.To, err = optionalDate("--to", to); err != nil {
		return f, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return f, coalition.FieldError("--to", "is before --from (%s < %s)", f.To, f.From)
	}
	return f, nil
}

func printRiskEvents(w io.Writer, evs []*coalition.RiskEvent) error {
	tw := table(w)
	fmt.Fprintln(tw, "ID\tISO3\tDATE\tWINDOW\tKIND\tPROBABILITY\tFACTOR\tVERSION\tLABEL")
	for _, r := range evs {
		win := "–"
		if r.Earliest != nil {
			win = fmt.Sprintf("%s..%s", *r.Earliest, *r.Latest)
			if r.DateUnknown {
				win += " (date unknown)"
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%.2f\t%.2f\t%d\t%s\n", r.ID, r.ISO3, r.Date, win, r.Kind, r.Probability, r.Factor, r.Version, r.Label)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d risk events. Probability: that the event cuts the country's support; factor: the support kept from its date on.\n", len(evs))
	fmt.Fprintln(w, "Both are user assumptions (see each event's assumption in --json); edit them with coalition risk-events edit ID or PATCH /api/v1/risk-events/{id}.")
	fmt.Fprintln(w, "Dates: the bundled elections calendar, refdata/data/elections.csv (sources per event in --json).")
	return nil
}
