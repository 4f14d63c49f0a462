package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"coalition/exporter"
	"coalition/sqlstore"
)

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "export", "export pledges|deliveries|donors|engagements [--format csv|xlsx|json] [filters] [-o FILE] [--db ...]",
		"coalition export pledges --format xlsx --donor NOR --from 2024-01 -o norway.xlsx")
	db := dbFlag(fs)
	format := fs.String("format", "csv", "csv, xlsx or json")
	out := fs.String("o", "", "write to this file (default: standard output; xlsx needs -o)")
	filters := exportFilterFlags(fs)
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if err := checkExport(e, pos, *format, *out); err != nil {
		return err
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	warnStale(ctx, e, s, "export")
	x := export{s: s, what: pos[0], format: *format, f: filters()}
	if *out == "" {
		return x.to(ctx, e.stdout)
	}
	return x.toFile(ctx, e, *out)
}

// exportFilterFlags adds the filter flags; the function it returns reads
// them once parsed.
func exportFilterFlags(fs *flag.FlagSet) func() exporter.Filters {
	vs := map[string]*string{}
	for _, name := range []struct{ flag, help string }{
		{"donor", "pledges, deliveries: only this donor (ISO3)"}, {"category", "pledges: only this category"},
		{"type", "pledges, donors: military, financial, humanitarian or reconstruction"}, {"status", "pledges: only this status"},
		{"from", "pledges, engagements: from this date or month"}, {"to", "pledges, engagements: to this date or month"},
		{"since", "donors: from this month"}, {"until", "donors: to this month"}, {"group", "donors: only members of this group or coalition"},
		{"country", "engagements: with this participant (ISO3)"}, {"kind", "engagements: call, meeting, summit, …"}, {"topic", "engagements: with this topic"},
	} {
		vs[name.flag] = fs.String(name.flag, "", name.help)
	}
	return func() exporter.Filters {
		f := exporter.Filters{}
		for name, v := range vs {
			f[name] = strings.TrimSpace(*v)
		}
		return f
	}
}

// checkExport checks what is exported and how, before the store is opened.
func checkExport(e *env, pos []string, format, out string) error {
	if len(pos) != 1 {
		return usagef("export: say what to export: one of %s", strings.Join(exporter.What, ", "))
	}
	if !contains(exporter.What, pos[0]) {
		return usagef("export: unknown export %q: want one of %s", pos[0], strings.Join(exporter.What, ", "))
	}
	if !contains(exporter.Formats, format) {
		return usagef("export: --format %q: want csv, xlsx or json", format)
	}
	if format == "xlsx" && out == "" && e.isTerminal(e.stdout) {
		return usagef("export: an XLSX file is binary: give -o FILE")
	}
	return nil
}

// export is one export to run.
type export struct {
	s      *sqlstore.Store
	what   string
	format string
	f      exporter.Filters
}

// to writes the export to w.
func (x export) to(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriter(w)
	if err := exporter.Export(ctx, x.s, x.what, x.format, x.f, bw); err != nil {
		return err
	}
	return bw.Flush()
}

// toFile writes the export beside out, then renames it into place, so
// that a failed export leaves no half-written file.
func (x export) toFile(ctx context.Context, e *env, out string) error {
	tmp := out + ".tmp"
	file, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	err = x.to(ctx, file)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(e.stderr, "wrote %s\n", out)
	return nil
}
