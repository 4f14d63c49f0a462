package main

import (
	"context"
	"fmt"
	"strings"

	"coalition"
	"coalition/report"
)

func runChannels(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "channels", "channels [--json] [--db ...]", "coalition channels --json")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON (the same as GET /api/v1/channels)")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("channels: takes no arguments (run 'coalition channels -h')")
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := report.Channels(coalition.WithUser(ctx, coalition.System), s)
	if err != nil {
		return err
	}
	if *asJSON {
		return anJSON(e.stdout, rep)
	}
	w := e.stdout
	for _, c := range rep.Channels {
		recorded := "under its contributors (attributing moves nothing)"
		if c.Donor != "" {
			recorded = "under the donor " + c.Donor
		}
		fmt.Fprintf(w, "%s  %s (as of %s): support recorded %s.\n  Key: %s\n", c.Code, c.Name, c.AsOf, recorded, c.Key)
		tw := table(w)
		fmt.Fprintln(tw, "  ISO3\tSHARE\tAMOUNT\tAS OF\tSOURCE")
		var sum float64
		for _, k := range c.Contributors {
			sum += k.Share
			fmt.Fprintf(tw, "  %s\t%.2f%%\t%s\t%s\t%s\n", k.ISO3, 100*k.Share, eur(float64(k.AmountEUR)/100), k.AsOf, clip(k.Source, 90))
		}
		tw.Flush()
		fmt.Fprintf(w, "  %d contributors, %.2f%% in all. Source: %s\n\n", len(c.Contributors), 100*sum, c.Source)
	}
	fmt.Fprintf(w, "%d channels. Figures can be shown by channel or attributed to contributors: --attribute on donors, counts=members+channels on coverage.\n", len(rep.Channels))
	return nil
}

// clip shortens s to n runes for a table cell.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
