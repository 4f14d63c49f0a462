package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"coalition/report"
)

func runChannels(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "channels", "channels [--json] [--db ...]", "coalition channels --json", "print JSON (the same as GET /api/v1/channels)")
	s, _, err := c.open(ctx, e, args, func(pos []string) error {
		if len(pos) > 0 {
			return usagef("channels: takes no arguments (run 'coalition channels -h')")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := report.Channels(ctx, s)
	if err != nil {
		return err
	}
	return c.print(e, rep, func() error { printChannels(e.stdout, rep); return nil })
}

// printChannels is the channel table: each channel, its key and its
// contributors with their shares and sources.
func printChannels(w io.Writer, rep *report.ChannelsReport) {
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
}

// clip shortens s to n runes for a table cell.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
