package main

import (
	"context"
	"fmt"
	"sort"

	"coalition/sqlstore"
)

func runBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "backup", "backup -o FILE [--db ...] [--json]",
		"coalition backup -o /var/backups/coalition-$(date +%F).cbk --db /var/lib/coalition/coalition.db")
	out := fs.String("o", "", "the backup file to write (written beside, then renamed into place)")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print the manifest as JSON")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("backup: unexpected argument %q (the file goes after -o)", pos[0])
	}
	if *out == "" {
		return usagef("backup: -o FILE is required")
	}
	// No migration and no reference data: a backup changes nothing.
	s, err := sqlstore.OpenNoMigrate(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	m, err := s.Backup(ctx, *out, version)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, m)
	}
	fmt.Fprintf(e.stdout, "backup %s: %s snapshot of %s, schema version %d, %d bytes, SHA-256 %s\n",
		*out, m.Format, m.Engine, m.SchemaVersion, m.Size, m.SHA256)
	printTables(e, m)
	return nil
}

func runRestore(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "restore", "restore FILE --db EMPTY_DATABASE [--json]",
		"coalition restore coalition-2025-06-24.cbk --db /var/lib/coalition/restored.db")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print the manifest as JSON")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("restore: want one backup FILE")
	}
	m, err := sqlstore.Restore(ctx, pos[0], *db)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, m)
	}
	fmt.Fprintf(e.stdout, "restored %s into %s: checksum and schema version %d verified, every table equals the backup\n",
		pos[0], *db, m.SchemaVersion)
	printTables(e, m)
	return nil
}

func printTables(e *env, m *sqlstore.Manifest) {
	names := make([]string, 0, len(m.Tables))
	for n := range m.Tables {
		names = append(names, n)
	}
	sort.Strings(names)
	tw := table(e.stdout)
	fmt.Fprintln(tw, "TABLE\tROWS\tSHA-256")
	for _, n := range names {
		fmt.Fprintf(tw, "%s\t%d\t%.16s…\n", n, m.Tables[n].Rows, m.Tables[n].SHA256)
	}
	tw.Flush()
}
