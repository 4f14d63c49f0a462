package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"coalition"
	"coalition/updates"
)

// runUpdate fetches the newest release of the published datasets from
// their publishers (or --from a mirror or local copies), checks it, prints
// what it changes and loads it. Exit 0 when it was loaded or nothing
// changed, 2 when a download is invalid or implausible (nothing is
// loaded then).
func runUpdate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "update", "update kiel|fx|gdp|all [--from URL-or-FILE] [--dry-run] [--allow-drop] [--force] [--json] [--db ...]",
		"coalition update kiel --dry-run\n  coalition update fx --from EXR.csv")
	db := dbFlag(fs)
	from := fs.String("from", "", "a mirror URL serving the publishers' paths, or a local file (kiel, fx) or folder holding the publishers' files under their names: "+fromNames())
	dry := fs.Bool("dry-run", false, "check the download and print the diff; write nothing")
	allowDrop := fs.Bool("allow-drop", false, "load a release in which a donor's total, a GDP or a currency falls beyond the plausibility limits (docs/importers.md)")
	force := fs.Bool("force", false, "load a release older than the one loaded")
	asJSON := fs.Bool("json", false, `print JSON: {"updates": [{"dataset", "release", "diff", "drops", …}]}`)
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	names, err := updateNames(pos, *from)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	results := []*updates.Result{}
	var failed []error
	for _, name := range names {
		res, err := updates.Run(ctx, s, updates.Request{Dataset: name, From: *from, DryRun: *dry, AllowDrop: *allowDrop, Force: *force})
		if res != nil {
			results = append(results, res)
			if !*asJSON {
				printUpdate(e, res)
			}
		}
		if err != nil {
			if len(names) > 1 {
				fmt.Fprintf(e.stderr, "coalition: update %s: %v\n", name, err)
			}
			failed = append(failed, err)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Updates []*updates.Result `json:"updates"`
		}{results}); err != nil {
			return err
		}
	}
	switch {
	case len(failed) == 0:
		return nil
	case len(names) == 1:
		return failed[0]
	}
	return coalition.Errorf(coalition.ErrorKind(failed[0]), "update all: %d of %d datasets not updated (see above)", len(failed), len(names))
}

// updateNames checks the positional argument: one dataset, or all.
func updateNames(pos []string, from string) ([]string, error) {
	if len(pos) != 1 {
		return nil, usagef("update: which dataset? one of %s or all", strings.Join(updates.Datasets, ", "))
	}
	if pos[0] == "all" {
		if fi, err := os.Stat(from); err == nil && !fi.IsDir() {
			return nil, usagef("update all: --from must be a folder or a mirror URL, not one file")
		}
		return updates.Datasets, nil
	}
	if !contains(updates.Datasets, pos[0]) {
		return nil, usagef("update: unknown dataset %q: want one of %s or all", pos[0], strings.Join(updates.Datasets, ", "))
	}
	return pos, nil
}

func fromNames() string {
	var parts []string
	for _, n := range updates.Datasets {
		parts = append(parts, n+": "+strings.Join(updates.Files[n], ", "))
	}
	return strings.Join(parts, "; ")
}

// printUpdate prints what an update found: the release, the figures it
// changes, and what it did.
func printUpdate(e *env, r *updates.Result) {
	rel := r.Release
	prev := ""
	if rel.Previous != "" {
		prev = fmt.Sprintf(", was release %s (data to %s)", rel.Previous, rel.PreviousAsOf)
	}
	action := rel.Action
	if action == "" {
		action = "not loaded"
	}
	fmt.Fprintf(e.stdout, "%s release %s (data to %s): %s%s\n", r.Dataset, rel.Release, rel.AsOf, action, prev)
	for _, from := range r.Read {
		fmt.Fprintf(e.stdout, "read %s\n", from)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(e.stdout, "warning: %s\n", w)
	}
	if len(r.Diff) == 0 {
		fmt.Fprintln(e.stdout, "no figure changed")
	} else {
		tw := table(e.stdout)
		fmt.Fprintln(tw, "CHANGED\tBEFORE\tAFTER\tCHANGE")
		for _, c := range r.Diff {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Item, c.Before, c.After, c.Change)
		}
		tw.Flush()
	}
	for _, d := range r.Drops {
		fmt.Fprintf(e.stdout, "implausible: %s %s → %s (%s)\n", d.Item, d.Before, d.After, d.Change)
	}
	switch {
	case r.Committed:
		fmt.Fprintf(e.stdout, "loaded: %d created, %d updated, %d unchanged, %d removed\n", rel.Created, rel.Updated, rel.Unchanged, rel.Removed)
	case r.DryRun:
		fmt.Fprintln(e.stdout, "dry run: nothing was written")
	case len(r.Drops) > 0 || rel.Action == "":
		fmt.Fprintln(e.stdout, "nothing was written")
	default:
		fmt.Fprintln(e.stdout, "nothing changed")
	}
	fmt.Fprintln(e.stdout)
}
