package main

import (
	"context"
	"fmt"
	"sort"

	"coalition"
	"coalition/sqlstore"
)

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "migrate", "migrate [--db FILE|URL]", "coalition migrate --db postgres://postgres@127.0.0.1:5432/coalition")
	db := dbFlag(fs)
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	s, err := sqlstore.OpenNoMigrate(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	v, _ := s.SchemaVersion(ctx)
	fmt.Fprintf(e.stdout, "applied %d migrations; schema version %d (%s)\n", n, v, s.Engine())
	return nil
}

func runSeed(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "seed", "seed [--db FILE|URL] [--dry-run] [--json]", "coalition seed --db coalition.db")
	db := dbFlag(fs)
	dry := fs.Bool("dry-run", false, "report what would change without writing")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	s, err := sqlstore.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := seed(ctx, s, *dry)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, rep)
	}
	printReport(e, rep, *dry)
	return nil
}

func printReport(e *env, rep coalition.LoadReport, dry bool) {
	kinds := map[string]bool{}
	for _, m := range []map[string]int{rep.Created, rep.Updated, rep.Unchanged} {
		for k := range m {
			kinds[k] = true
		}
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	tw := table(e.stdout)
	fmt.Fprintln(tw, "RECORDS\tCREATED\tUPDATED\tUNCHANGED")
	for _, k := range names {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", k, rep.Created[k], rep.Updated[k], rep.Unchanged[k])
	}
	tw.Flush()
	for _, r := range rep.Releases {
		kept := ""
		if r.Action == "older, skipped" {
			kept = fmt.Sprintf(" (release %s, data to %s, stays loaded)", r.Previous, r.PreviousAsOf)
		}
		fmt.Fprintf(e.stdout, "%s release %s (data to %s): %s%s\n", r.Dataset, r.Release, r.AsOf, r.Action, kept)
	}
	if dry {
		fmt.Fprintln(e.stdout, "dry run: nothing was written")
	}
}
