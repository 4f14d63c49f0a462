package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"coalition"
	"coalition/exporter"
)

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "export", "export pledges|deliveries|donors|engagements [--format csv|xlsx|json] [filters] [-o FILE] [--db ...]",
		"coalition export pledges --format xlsx --donor NOR --from 2024-01 -o norway.xlsx")
	db := dbFlag(fs)
	format := fs.String("format", "csv", "csv, xlsx or json")
	out := fs.String("o", "", "write to this file (default: standard output; xlsx needs -o)")
	f := exporter.Filters{}
	var ptrs []filterPtr
	for _, name := range []struct{ flag, help string }{
		{"donor", "pledges, deliveries: only this donor (ISO3)"}, {"category", "pledges: only this category"},
		{"type", "pledges, donors: military, financial, humanitarian or reconstruction"}, {"status", "pledges: only this status"},
		{"from", "pledges, engagements: from this date or month"}, {"to", "pledges, engagements: to this date or month"},
		{"since", "donors: from this month"}, {"until", "donors: to this month"}, {"group", "donors: only members of this group or coalition"},
		{"country", "engagements: with this participant (ISO3)"}, {"kind", "engagements: call, meeting, summit, …"}, {"topic", "engagements: with this topic"},
	} {
		ptrs = append(ptrs, filterPtr{name.flag, fs.String(name.flag, "", name.help)})
	}
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	for _, p := range ptrs {
		f[p.name] = strings.TrimSpace(*p.v)
	}
	if len(pos) != 1 {
		return usagef("export: say what to export: one of %s", strings.Join(exporter.What, ", "))
	}
	what := pos[0]
	if !contains(exporter.What, what) {
		return usagef("export: unknown export %q: want one of %s", what, strings.Join(exporter.What, ", "))
	}
	if !contains(exporter.Formats, *format) {
		return usagef("export: --format %q: want csv, xlsx or json", *format)
	}
	if *format == "xlsx" && *out == "" && e.isTerminal(e.stdout) {
		return usagef("export: an XLSX file is binary: give -o FILE")
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx = coalition.WithUser(ctx, coalition.System)
	if *out == "" {
		w := bufio.NewWriter(e.stdout)
		if err := exporter.Export(ctx, s, what, *format, f, w); err != nil {
			return err
		}
		return w.Flush()
	}
	tmp := *out + ".tmp"
	file, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	w := bufio.NewWriter(file)
	err = exporter.Export(ctx, s, what, *format, f, w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(e.stderr, "wrote %s\n", *out)
	return nil
}

type filterPtr struct {
	name string
	v    *string
}
