package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"coalition/analysis"
	"coalition/report"
)

func runProspects(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "prospects",
		"prospects --coalition COW2025 [--gap-eur 40e9] [--w-capacity 0.4 --w-alliances 0.3 --w-support 0.3] [--top 20] [--json] [--db ...]",
		"coalition prospects --coalition COW2025 --gap-eur 40e9", "print JSON")
	fs := c.fs
	coal := fs.String("coalition", report.DefaultCoalition, "rank the countries outside this coalition")
	gap := fs.Float64("gap-eur", report.DefaultGapEUR, "the yearly gap (EUR) a newcomer would help close")
	wc := fs.Float64("w-capacity", analysis.DefaultProspectWeights.Capacity, "weight of capacity (GDP)")
	wa := fs.Float64("w-alliances", analysis.DefaultProspectWeights.Alliances, "weight of alignment (NATO, EU, G7, AUKUS, Five Eyes)")
	ws := fs.Float64("w-support", analysis.DefaultProspectWeights.Support, "weight of past support as a share of GDP")
	top := fs.Int("top", 0, "show only the first N (0: all)")
	s, _, err := c.open(ctx, e, args, func([]string) error {
		if *top < 0 {
			return usagef("prospects: --top must not be negative")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := report.Prospects(ctx, s, *coal, *gap, analysis.ProspectWeights{Capacity: *wc, Alliances: *wa, Support: *ws})
	if err != nil {
		return err
	}
	if *top > 0 && len(rep.Prospects) > *top {
		rep.Prospects = rep.Prospects[:*top]
	}
	return c.print(e, rep, func() error { printProspects(e.stdout, rep); return nil })
}

func printProspects(w io.Writer, rep *report.ProspectsReport) {
	fmt.Fprintf(w, "Countries outside %s ranked for recruitment; each asked for its GDP share of a %s yearly gap\n", rep.Coalition, eur(rep.GapEUR))
	fmt.Fprintf(w, "score = (%.2f × capacity + %.2f × alignment + %.2f × support) / %.2f\n\n", rep.Weights.Capacity, rep.Weights.Alliances, rep.Weights.Support,
		rep.Weights.Capacity+rep.Weights.Alliances+rep.Weights.Support)
	tw := table(w)
	fmt.Fprintf(tw, "RANK\tISO3\tCOUNTRY\tSCORE\tCAPACITY\tALIGNMENT\tSUPPORT %% GDP (WB %d)\tALLIANCES\tASK / YEAR\n", rep.GDPYear)
	for _, p := range rep.Prospects {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.3f\t%.3f\t%.2f\t%s\t%s\t%s\n", p.Rank, p.ISO3, p.Name, p.Score, p.Capacity, p.Alignment,
			anPct(p.SupportPctGDP), strings.Join(p.Alliances, ","), eur(p.AskEUR))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nGDP %d at %.4f USD per EUR; support = all allocations recorded.\n", rep.GDPYear, rep.USDPerEUR)
	anSources(w, rep.Sources)
}
