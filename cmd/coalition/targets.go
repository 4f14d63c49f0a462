package main

import (
	"context"
	"fmt"
	"strings"

	"coalition"
	"coalition/report"
)

func runTargets(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "targets", "targets [--group NATO] [--json] [--db ...]", "coalition targets --group NATO --json")
	db := dbFlag(fs)
	group := fs.String("group", "NATO", "measure the members of this group or coalition")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseArgs(e, fs, args); err != nil {
		return err
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := report.Targets(coalition.WithUser(ctx, coalition.System), s, *group)
	if err != nil {
		return err
	}
	warnStale(ctx, e, s, "nato", "worldbank")
	if *asJSON {
		return anJSON(e.stdout, rep)
	}
	w := e.stdout
	fmt.Fprintf(w, "%s against NATO's 2%% guideline and the Hague 2025 commitment (3.5%% core defence, 5%% in all, by 2035)\n\n", rep.Group)
	tw := table(w)
	fmt.Fprintln(tw, "ISO3\tCOUNTRY\tCURRENT\tYEAR\tDEFINITION\tMEETS 2%\tGAP 3.5 (PTS)\tGAP 3.5 (USD/YR)\tGAP 5 (PTS)\tPTS/YR TO 2035")
	for _, r := range rep.Rows {
		yes := "no"
		if r.Meets2 {
			yes = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%.2f%%\t%d\t%s\t%s\t%.2f\t%s\t%.2f\t%.3f\n", r.ISO3, r.Name, r.CurrentPct, r.Year, r.Source, yes,
			r.Gap35Pts, usd(r.Gap35USD), r.Gap5Pts, r.AnnualIncrease)
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

// usd formats US dollars for people: $12.3 bn.
func usd(v float64) string {
	if v >= 1e9 {
		return fmt.Sprintf("$%.1f bn", v/1e9)
	}
	return fmt.Sprintf("$%.0f m", v/1e6)
}
