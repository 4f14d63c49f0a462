package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"coalition"
)

// runDatasets lists the published datasets loaded: release, as-of date and
// record count of each.
func runDatasets(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "datasets", "datasets [--json] [--db ...]", "coalition datasets --json",
		`print JSON: {"datasets": [{"name", "release", "as_of", "records", …}]}`)
	s, _, err := c.open(ctx, e, args, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	ds, err := s.Datasets(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	for i := range ds {
		ds[i].Freshness = coalition.FreshnessOf(ds[i], now)
	}
	out := struct {
		Datasets []coalition.DatasetInfo `json:"datasets"`
	}{ds}
	return c.print(e, out, func() error { return printDatasets(e, ds) })
}

func printDatasets(e *env, ds []coalition.DatasetInfo) error {
	tw := table(e.stdout)
	fmt.Fprintln(tw, "DATASET\tRELEASE\tAS OF\tAGE\tNEXT DUE\tRECORDS\tKIND\tLOADED\tTITLE")
	for _, d := range ds {
		loaded := "–"
		if !d.LoadedAt.IsZero() {
			loaded = d.LoadedAt.Format("2006-01-02 15:04")
		}
		due := "–"
		if !d.Due.IsZero() {
			due = d.Due.String()
			if d.Stale {
				due += " (overdue)"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d days\t%s\t%d\t%s\t%s\t%s\n", d.Name, d.Release, d.AsOf, d.AgeDays, due, d.Records, d.Kind, loaded, d.Title)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, d := range ds {
		if d.Stale {
			fmt.Fprintf(e.stdout, "note: %s\n", d.Note)
		}
	}
	return nil
}

// printRelease prints what loading a release did, with the donors' totals
// it changed ("USA military +€1.20 bn").
func printRelease(e *env, r coalition.ReleaseReport) {
	fmt.Fprintln(e.stdout)
	prev := ""
	if r.Previous != "" {
		prev = fmt.Sprintf(", was release %s (data to %s)", r.Previous, r.PreviousAsOf)
	}
	fmt.Fprintf(e.stdout, "%s release %s (data to %s): %s%s; %d created, %d updated, %d unchanged, %d removed\n",
		r.Dataset, r.Release, r.AsOf, r.Action, prev, r.Created, r.Updated, r.Unchanged, r.Removed)
	if len(r.Changes) == 0 {
		fmt.Fprintln(e.stdout, "no donor's total changed")
		return
	}
	tw := table(e.stdout)
	fmt.Fprintln(tw, "DONOR\tTYPE\tBEFORE\tAFTER\tCHANGE")
	for _, c := range r.Changes {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Donor, c.Type, eur(float64(c.Before)/100), eur(float64(c.After)/100), signedEUR(c.Change))
	}
	tw.Flush()
}

// signedEUR is a change in euro cents: "+€1.20 bn", "−€350.00 m".
func signedEUR(cents int64) string {
	if cents < 0 {
		return "-" + strings.TrimPrefix(eur(float64(-cents)/100), "+")
	}
	return "+" + eur(float64(cents)/100)
}

// warnStale tells, on standard error, which of the datasets the named
// analysis reads (coalition.DatasetsUsedBy, the same list as the API's
// Coalition-Data-Note) are older than their publisher's usual cycle.
func warnStale(ctx context.Context, e *env, s coalition.DatasetStore, analysis string) {
	names := coalition.DatasetsUsedBy(analysis)
	ds, err := s.Datasets(ctx)
	if err != nil {
		return // the output stands without the note
	}
	now := time.Now()
	for _, d := range ds {
		if f := coalition.FreshnessOf(d, now); f.Stale && contains(names, d.Name) {
			fmt.Fprintf(e.stderr, "coalition: note: %s\n", f.Note)
		}
	}
}
