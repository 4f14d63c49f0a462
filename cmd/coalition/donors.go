package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"coalition"
	"coalition/refdata"
	"coalition/report"
)

func runDonors(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "donors", "donors [--type military|financial|humanitarian|reconstruction] [--since YYYY-MM] [--until YYYY-MM] [--group CODE] [--status committed|allocated|delivered|pipeline|STATUS,…] [--attribute channel|contributors] [--gdp-year 2021] [--json] [--db ...]",
		"coalition donors --type military --since 2025-01 --json", "print JSON")
	typ := c.fs.String("type", "", "only this type of support")
	since := c.fs.String("since", "", "from this month (YYYY-MM), inclusive")
	until := c.fs.String("until", "", "to this month (YYYY-MM), inclusive")
	group := c.fs.String("group", "", "only donors in this group or coalition (NATO, EU, G7, AUKUS, FVEY, COW2025)")
	status := c.fs.String("status", "", "a stage: committed (all committed, allocated since or not, incl. Kiel's commitments), allocated (default: allocated and delivered), delivered, pipeline (committed, not yet allocated: Kiel's to_be_allocated and pledges at status committed); or comma-separated pledge statuses")
	attribute := c.fs.String("attribute", report.DefaultAttribute, "channel: a channel such as the EU institutions is one donor (as Kiel shows it); contributors: its support is attributed to its members by their shares (coalition channels)")
	gdpYear := c.fs.Int("gdp-year", 0, "divide by this year's GDP: 2021 is Kiel's denominator (its 2021 GDP in EUR), comparable with Kiel's own % of GDP; default the World Bank GDP loaded")
	var q donorsQuery
	s, _, err := c.open(ctx, e, args, func(pos []string) error {
		if err := noArgs(c.fs.Name(), pos); err != nil {
			return err
		}
		q = donorsQuery{attribute: *attribute, gdpYear: *gdpYear}
		statuses := *status
		if report.IsStage(statuses) {
			q.stage, statuses = statuses, ""
		}
		var err error
		if q.f, err = donorFilter(*typ, *since, *until, *group, statuses); err != nil {
			return err
		}
		_, err = report.ParseAttribute(*attribute)
		return err
	})
	if err != nil {
		return err
	}
	defer s.Close()
	rows, err := report.Donors(ctx, s, q.f, q.stage, q.attribute)
	if err != nil {
		return err
	}
	if rows, err = report.RebaseGDP(rows, q.gdpYear); err != nil {
		return err
	}
	warnStale(ctx, e, s, "donors")
	return c.print(e, nonNil(rows), func() error {
		if len(rows) == 0 {
			fmt.Fprintf(e.stdout, "No donors: %s.\n", noDonorsReason(ctx, s, q.f))
			return nil
		}
		printDonors(e.stdout, q, rows)
		return nil
	})
}

// donorsQuery is what `coalition donors` was asked: the filter, the stage
// counted, how channels are shown and which GDP divides.
type donorsQuery struct {
	f         coalition.DonorFilter
	stage     string
	attribute string
	gdpYear   int
}

// statusNote says what the totals count.
func (q donorsQuery) statusNote() string {
	if q.stage != "" {
		return stageNote(q.stage)
	}
	return statusNames(q.f.Statuses)
}

func printDonors(w io.Writer, q donorsQuery, rows []coalition.DonorTotal) {
	tw := table(w)
	f := q.f
	cols := typeColumns(f.Type)
	head := "ISO3\tDONOR\t"
	for _, c := range cols {
		head += c.name + "\t"
	}
	total := "TOTAL"
	if f.Type != "" {
		total = strings.ToUpper(string(f.Type))
	}
	fmt.Fprintf(tw, "%s%s\t%% GDP (%s)\tAS OF\n", head, total, report.GDPLabel(rows))
	var sum float64
	for _, r := range rows {
		sum += r.TotalEUR
		line := r.ISO3 + "\t" + r.Name + "\t"
		for _, c := range cols {
			line += eur(c.eur(r)) + "\t"
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s\n", line, eur(r.TotalEUR), pctGDP(r.PctGDP), r.AsOf)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d donors, %s in all. Status: %s. Channels: %s.\n", len(rows), eur(sum), q.statusNote(), attributionNote(q.attribute))
	srcs := map[string]bool{}
	for _, r := range rows {
		if !srcs[r.Source] {
			srcs[r.Source] = true
			fmt.Fprintf(w, "Source: %s\n", r.Source)
		}
	}
	if q.gdpYear == refdata.KielGDPYear {
		fmt.Fprintln(w, "% GDP: Kiel's 2021 GDP in EUR, the denominator of Kiel's own % of GDP ("+refdata.KielGDPSource+"). Loans count as financial aid.")
	} else {
		fmt.Fprintf(w, "%% GDP: %s GDP at the ECB average rate of its year (Kiel's own %% uses 2021 GDP: --gdp-year 2021). Loans count as financial aid.\n", report.GDPLabel(rows))
	}
}

// statusNames says which pledge statuses the totals count.
func statusNames(sts []coalition.PledgeStatus) string {
	if len(sts) == 0 {
		return "allocated and delivered"
	}
	names := make([]string, len(sts))
	for i, st := range sts {
		names[i] = string(st)
	}
	return strings.Join(names, ", ")
}

// donorFilter checks the CLI and API parameters of the donor table.
func donorFilter(typ, since, until, group, status string) (coalition.DonorFilter, error) {
	f := coalition.DonorFilter{Group: group}
	if typ != "" {
		t, err := oneOf("type", typ, names(coalition.SupportTypes))
		if err != nil {
			return f, err
		}
		f.Type = coalition.SupportType(t)
	}
	var err error
	if f.Since, err = optionalMonth("since", since); err != nil {
		return f, err
	}
	if f.Until, err = optionalMonth("until", until); err != nil {
		return f, err
	}
	if f.Since != 0 && f.Until != 0 && f.Until < f.Since {
		return f, coalition.FieldError("until", "is before since")
	}
	f.Statuses, err = pledgeStatuses(status)
	return f, err
}

// pledgeStatuses reads a comma-separated list of pledge statuses.
func pledgeStatuses(list string) ([]coalition.PledgeStatus, error) {
	if list == "" {
		return nil, nil
	}
	var out []coalition.PledgeStatus
	for _, v := range strings.Split(list, ",") {
		ps, err := oneOf("status", strings.TrimSpace(v), names(coalition.PledgeStatuses))
		if err != nil {
			return nil, err
		}
		out = append(out, coalition.PledgeStatus(ps))
	}
	return out, nil
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

// noDonorsReason says why a donor query found nothing: the months asked for
// lie after the data, or the filters leave no donor.
func noDonorsReason(ctx context.Context, s coalition.DatasetStore, f coalition.DonorFilter) string {
	if why := dataEnds(ctx, s, "kiel", f.Since); why != "" {
		return why
	}
	return "no support matches the filters (--type, --since, --until, --group, --status); try fewer"
}

// names are the string values of an enumeration, for messages and oneOf.
func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// typeColumn is one per-type column of the donors table.
type typeColumn struct {
	name string
	eur  func(coalition.DonorTotal) float64
}

// typeColumns are the per-type columns worth printing: all three without
// --type; with it, none, as the total is then that type alone (a filter
// must not leave columns of €0).
func typeColumns(t coalition.SupportType) []typeColumn {
	if t != "" {
		return nil
	}
	return []typeColumn{
		{"MILITARY", func(r coalition.DonorTotal) float64 { return r.MilitaryEUR }},
		{"FINANCIAL", func(r coalition.DonorTotal) float64 { return r.FinancialEUR }},
		{"HUMANITARIAN", func(r coalition.DonorTotal) float64 { return r.HumanitarianEUR }},
	}
}
