package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"coalition"
	"coalition/report"
)

func runDonors(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "donors", "donors [--type military|financial|humanitarian|reconstruction] [--since YYYY-MM] [--until YYYY-MM] [--group CODE] [--status committed|allocated|delivered|pipeline|STATUS,…] [--attribute channel|contributors] [--json] [--db ...]",
		"coalition donors --type military --since 2025-01 --json")
	db := dbFlag(fs)
	typ := fs.String("type", "", "only this type of support")
	since := fs.String("since", "", "from this month (YYYY-MM), inclusive")
	until := fs.String("until", "", "to this month (YYYY-MM), inclusive")
	group := fs.String("group", "", "only donors in this group or coalition (NATO, EU, G7, AUKUS, FVEY, COW2025)")
	status := fs.String("status", "", "a stage: committed (all committed, allocated since or not, incl. Kiel's commitments), allocated (default: allocated and delivered), delivered, pipeline (committed, not yet allocated: Kiel's to_be_allocated and pledges at status committed); or comma-separated pledge statuses")
	attribute := fs.String("attribute", report.DefaultAttribute, "channel: a channel such as the EU institutions is one donor (as Kiel shows it); contributors: its support is attributed to its members by their shares (coalition channels)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseArgs(e, fs, args); err != nil {
		return err
	}
	stage, statuses := "", *status
	if report.IsStage(statuses) {
		stage, statuses = statuses, ""
	}
	f, err := donorFilter(*typ, *since, *until, *group, statuses)
	if err != nil {
		return err
	}
	if _, err := report.ParseAttribute(*attribute); err != nil {
		return err
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	rows, err := report.Donors(coalition.WithUser(ctx, coalition.System), s, f, stage, *attribute)
	if err != nil {
		return err
	}
	if *asJSON {
		if rows == nil {
			rows = []coalition.DonorTotal{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tw := table(e.stdout)
	fmt.Fprintln(tw, "ISO3\tDONOR\tMILITARY\tFINANCIAL\tHUMANITARIAN\tTOTAL\t% GDP\tAS OF")
	var total float64
	for _, r := range rows {
		total += r.TotalEUR
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ISO3, r.Name, eur(r.MilitaryEUR), eur(r.FinancialEUR),
			eur(r.HumanitarianEUR), eur(r.TotalEUR), pctGDP(r.PctGDP), r.AsOf)
	}
	tw.Flush()
	statuses = "allocated and delivered"
	if stage != "" {
		statuses = stageNote(stage)
	} else if len(f.Statuses) > 0 {
		var names []string
		for _, st := range f.Statuses {
			names = append(names, string(st))
		}
		statuses = strings.Join(names, ", ")
	}
	fmt.Fprintf(e.stdout, "\n%d donors, %s in all. Status: %s. Channels: %s.\n", len(rows), eur(total), statuses, attributionNote(*attribute))
	srcs := map[string]bool{}
	for _, r := range rows {
		if !srcs[r.Source] {
			srcs[r.Source] = true
			fmt.Fprintf(e.stdout, "Source: %s\n", r.Source)
		}
	}
	fmt.Fprintln(e.stdout, "% GDP: World Bank 2023 GDP at the ECB 2023 average rate (Kiel's own % uses 2021 GDP). Loans count as financial aid.")
	return nil
}

// donorFilter checks the CLI and API parameters of the donor table.
func donorFilter(typ, since, until, group, status string) (coalition.DonorFilter, error) {
	var f coalition.DonorFilter
	if typ != "" {
		if !coalition.ValidSupportType(typ) {
			return f, coalition.FieldError("type", "%q is not one of military, financial, humanitarian, reconstruction", typ)
		}
		f.Type = coalition.SupportType(typ)
	}
	var err error
	if since != "" {
		if f.Since, err = coalition.ParseMonth(since); err != nil {
			return f, coalition.FieldError("since", "%v", err)
		}
	}
	if until != "" {
		if f.Until, err = coalition.ParseMonth(until); err != nil {
			return f, coalition.FieldError("until", "%v", err)
		}
	}
	if f.Since != 0 && f.Until != 0 && f.Until < f.Since {
		return f, coalition.FieldError("until", "is before since")
	}
	f.Group = group
	if status != "" {
		for _, v := range strings.Split(status, ",") {
			ps := coalition.PledgeStatus(strings.TrimSpace(v))
			if !ps.Valid() {
				return f, coalition.FieldError("status", "%q is not one of announced, committed, allocated, delivered, cancelled", v)
			}
			f.Statuses = append(f.Statuses, ps)
		}
	}
	return f, nil
}

// attributionNote says how the table shows channels' support.
func attributionNote(attribute string) string {
	if attribute == report.AttributeContributors {
		return "attributed to their contributors by their shares (coalition channels)"
	}
	return "each shown as one donor (--attribute contributors attributes them)"
}

// stageNote says what a stage counts.
func stageNote(stage string) string {
	switch stage {
	case report.StageCommitted:
		return "committed (allocated and delivered pledges, pledges at status committed, and Kiel's commitments not yet allocated; never a commitment and its allocation both)"
	case report.StagePipeline:
		return "pipeline (committed, not yet allocated: Kiel's to_be_allocated, which has no type, and pledges at status committed)"
	case report.StageDelivered:
		return "delivered"
	}
	return "allocated and delivered"
}
