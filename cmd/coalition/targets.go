package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"coalition/report"
)

func runTargets(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "targets", "targets [--group NATO] [--json] [--db ...]", "coalition targets --group NATO --json", "print JSON")
	group := c.fs.String("group", "NATO", "measure the members of this group or coalition")
	s, _, err := c.open(ctx, e, args, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := report.Targets(ctx, s, *group)
	if err != nil {
		return err
	}
	warnStale(ctx, e, s, "targets")
	return c.print(e, rep, func() error { return printTargets(e.stdout, rep) })
}

func printTargets(w io.Writer, rep *report.TargetsReport) error {
	fmt.Fprintf(w, "%s against NATO's 2%% guideline and the Hague 2025 commitment (3.5%% core defence, 5%% in all, by 2035)\n\n", rep.Group)
	tw := table(w)
	fmt.Fprintln(tw, "ISO3\tCOUNTRY\tCURRENT\tYEAR\tDEFINITION\tMEETS 2%\tGAP 3.5 (PTS)\tGAP 3.5 (EUR/YR)\tGAP 5 (PTS)\tPTS/YR TO 2035")
	for _, r := range rep.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%.2f%%\t%d\t%s\t%s\t%.2f\t%s\t%.2f\t%.3f\n", r.ISO3, r.Name, r.CurrentPct, r.Year, r.Source, choose(r.Meets2, "yes", "no"),
			r.Gap35Pts, eur(r.Gap35EUR), r.Gap5Pts, r.AnnualIncrease)
	}
	tw.Flush()
	fmt.Fprint(w, "\n")
	for i, y := range rep.Summary.SameYear {
		if i > 0 {
			fmt.Fprint(w, "; ")
		}
		fmt.Fprintf(w, "%s: %d of %d meet 2%%", y.Label, y.Meets2, y.Of)
	}
	fmt.Fprint(w, " (figures of the same year only).")
	if len(rep.Missing) > 0 {
		fmt.Fprintf(w, " No figure: %s.", strings.Join(rep.Missing, ", "))
	}
	fmt.Fprintf(w, "\n%s\n", rep.Note)
	anSources(w, rep.Sources)
	return nil
}
