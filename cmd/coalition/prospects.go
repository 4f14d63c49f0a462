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
		"prospects --coalition COW2025 [--exclude HUN,SVK] [--gap-eur 40e9] [--w-capacity 0.4 --w-alliances 0.3 --w-support 0.3] [--a-votes 0.4 --a-groups 0.3 --a-recent 0.3] [--cap-history 2] [--cap-gdp-share 0.0001] [--allow ISO3,…] [--include-ineligible] [--top 20] [--json] [--db ...]",
		"coalition prospects --coalition COW2025 --gap-eur 40e9", "print JSON")
	fs := c.fs
	coal := fs.String("coalition", report.DefaultCoalition, "rank the countries outside this coalition")
	gap := fs.Float64("gap-eur", report.DefaultGapEUR, "the yearly gap (EUR) a newcomer would help close")
	wc := fs.Float64("w-capacity", analysis.DefaultProspectWeights.Capacity, "weight of capacity (GDP)")
	wa := fs.Float64("w-alliances", analysis.DefaultProspectWeights.Alliances, "weight of alignment (NATO, EU, G7, AUKUS, Five Eyes)")
	ws := fs.Float64("w-support", analysis.DefaultProspectWeights.Support, "weight of past support as a share of GDP")
	av := fs.Float64("a-votes", analysis.DefaultAlignmentWeights.Votes, "weight of UN General Assembly votes within alignment")
	ag := fs.Float64("a-groups", analysis.DefaultAlignmentWeights.Groups, "weight of memberships within alignment")
	ar := fs.Float64("a-recent", analysis.DefaultAlignmentWeights.Recent, "weight of recent (24-month) support within alignment")
	exclude := fs.String("exclude", "", "states not to rank, ISO3 codes separated by commas (e.g. HUN,SVK)")
	capHistory := fs.Float64("cap-history", analysis.DefaultCapHistory, "ask at most this many times a state's best 12 months of support")
	capShare := fs.Float64("cap-gdp-share", analysis.DefaultCapGDPShare, "ask a state with no support recorded at most this share of its GDP")
	allow := fs.String("allow", "", "waive the votes against of these states (ISO3 codes separated by commas), e.g. after a change of government")
	inelig := fs.Bool("include-ineligible", false, "also list, unranked, the states that voted against a UN General Assembly Ukraine resolution")
	top := fs.Int("top", 0, "show only the first N (0: all)")
	s, _, err := c.open(ctx, e, args, func(pos []string) error {
		if err := noArgs(c.fs.Name(), pos); err != nil {
			return err
		}
		if *top < 0 {
			return usagef("prospects: --top must not be negative")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer s.Close()
	warnStale(ctx, e, s, "prospects")
	rep, err := report.ProspectsWith(ctx, s, report.ProspectOptions{Coalition: *coal, GapEUR: *gap,
		Weights:   analysis.ProspectWeights{Capacity: *wc, Alliances: *wa, Support: *ws},
		Alignment: analysis.AlignmentWeights{Votes: *av, Groups: *ag, Recent: *ar}, Exclude: report.ParseISO3List(*exclude),
		CapHistory: *capHistory, CapGDPShare: *capShare, IncludeIneligible: *inelig, Allow: report.ParseISO3List(*allow)})
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
	fmt.Fprintf(tw, "RANK\tISO3\tCOUNTRY\tSCORE\tCAPACITY\tALIGNMENT\tRECENT SUPPORT %% GDP (WB %d)\tALLIANCES\tFAIR SHARE\tASK CAP\tASK / YEAR\n", rep.GDPYear)
	for _, p := range rep.Prospects {
		rank := fmt.Sprint(p.Rank)
		if !p.Eligible {
			rank = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.3f\t%.3f\t%.2f\t%s\t%s\t%s\t%s\t%s\n", rank, p.ISO3, p.Name, p.Score, p.Capacity, p.Alignment,
			anPct(p.RecentSupportPctGDP), strings.Join(p.Alliances, ","), eur(p.FairShareEUR), capLabel(p), eur(p.AskEUR))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nGDP %d at %.4f USD per EUR; recent support = allocations %s to %s.\n", rep.GDPYear, rep.USDPerEUR, rep.RecentFrom, rep.RecentTo)
	fmt.Fprintf(w, "alignment = (%.2f × UN votes + %.2f × memberships + %.2f × recent support) over the parts known.\n",
		rep.Alignment.Votes, rep.Alignment.Groups, rep.Alignment.Recent)
	fmt.Fprintf(w, "Asks: %s.\n", rep.CapNote)
	if len(rep.Excluded) > 0 {
		fmt.Fprintf(w, "Excluded on request: %s.\n", strings.Join(rep.Excluded, ", "))
	}
	if len(rep.Ineligible) > 0 {
		fmt.Fprintln(w, "Not eligible (voted against a UN General Assembly Ukraine resolution):")
		for _, i := range rep.Ineligible {
			fmt.Fprintf(w, "  %s %s: %s\n", i.ISO3, i.Name, i.Reason)
		}
	}
	anSources(w, rep.Sources)
}

// capLabel shows a prospect's ask cap with the rule that set it.
func capLabel(p analysis.Prospect) string {
	if !p.Eligible {
		return "-"
	}
	if p.AskCapRule == analysis.CapRuleGDP {
		return eur(p.AskCapEUR) + " (share of GDP)"
	}
	return eur(p.AskCapEUR)
}
