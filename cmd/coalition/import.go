package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"coalition"
	"coalition/importer"
	"coalition/imports"
	"coalition/sqlstore"
)

// importReport is the report printed, written with --report, and returned by the API.
type importReport = imports.Report

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "import", "import <kiel-csv|kiel-xlsx|iati|fts|csv> FILE...|- [--dry-run] [--skip-invalid] [--report FILE] [--json] [--recipient UA] [--source TEXT] [--kind KIND] [--release N] [--force] [--exclusive auto|yes|no] [--db ...]\n       coalition import csv --template pledges|deliveries|requirements|engagements|risk-events",
		"coalition import iati activities.xml --recipient UA --dry-run")
	db := dbFlag(fs)
	var req imports.Request
	fs.BoolVar(&req.DryRun, "dry-run", false, "show what would change without writing")
	fs.BoolVar(&req.SkipInvalid, "skip-invalid", false, "import the valid records and report the invalid ones (default: all or nothing)")
	reportFile := fs.String("report", "", "write the full report (with every error) as JSON to this file")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fs.StringVar(&req.Recipient, "recipient", "", "only flows to this recipient (ISO2, ISO3 or name; IATI, FTS); Kiel and CSV default recipient (UKR)")
	fs.StringVar(&req.Source, "source", "", "citation carried by every record (default \"<format>: <file name>\"; kiel-csv: the release's citation); records are matched on (source, natural key), kiel-csv records on (dataset, key) whatever the source")
	fs.StringVar(&req.Kind, "kind", "", "csv: pledges, deliveries, requirements, engagements or risk-events (default: from the header)")
	template := fs.String("template", "", "csv: print the header and an example row of this kind, and exit")
	asOf := fs.String("as-of", "", "the date the file's data is current to (YYYY-MM-DD; default today)")
	fs.BoolVar(&req.DeleteRemoved, "delete-removed", false, "delete records of the same source that the files no longer contain (default: only count them)")
	fs.StringVar(&req.Release, "release", "", "kiel-csv: the publisher's release number, e.g. 29 (default \"data to YYYY-MM\" from the file's last month with data)")
	fs.BoolVar(&req.Force, "force", false, "kiel-csv: load a release older than the one loaded")
	exclusive := fs.String("exclusive", "auto", "SQLite: have the database to itself while importing (faster; other processes wait until the import ends): yes, no, or auto (yes for 64 MB of files or more when no other process has it open)")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if *template != "" {
		return importer.CSVTemplate(e.stdout, *template)
	}
	files, err := importRequest(&req, pos, *asOf)
	if err != nil {
		return err
	}
	in, closeFiles, err := openImportFiles(e, req.Format, files)
	defer closeFiles()
	if err != nil {
		return err
	}
	s, err := openImportStore(ctx, e, *db, *exclusive, req.DryRun, in)
	if err != nil {
		return err
	}
	defer s.Close()
	req.Progress = e.importProgress // req.User: the system user in ctx (run)
	rep, err := imports.Run(ctx, s, req, in)
	if err != nil {
		return err
	}
	if err := writeImportReport(e, rep, *reportFile, *asJSON); err != nil {
		return err
	}
	return importOutcome(e, rep, req.SkipInvalid)
}

// exclusiveImportBytes is how many bytes of files make an import on SQLite
// have the database to itself by default (--exclusive auto): with less the
// WAL's second copy of the pages costs little (docs/benchmarks.md). A
// variable for the tests.
var exclusiveImportBytes int64 = 64 << 20

// openImportStore opens the database for an import, with the database
// to itself (sqlstore.OpenExclusive: the rollback journal instead of the
// WAL) as --exclusive says: yes, no, or auto, where a large import of a
// database that no other process has open takes it, and one that cannot
// imports beside the others as any other command would.
func openImportStore(ctx context.Context, e *env, dsn, exclusive string, dryRun bool, in []imports.File) (*sqlstore.Store, error) {
	switch exclusive {
	case "no":
		return openStore(ctx, e, dsn)
	case "yes":
	case "auto":
		var size int64
		for _, f := range in {
			size += f.Size
		}
		if dryRun || size < exclusiveImportBytes || strings.Contains(dsn, "://") {
			return openStore(ctx, e, dsn)
		}
	default:
		return nil, usagef("import: --exclusive %q: want yes, no or auto", exclusive)
	}
	s, err := openStoreWith(ctx, e, dsn, readReferenceIfFresh(dsn), sqlstore.OpenExclusive)
	switch {
	case err == nil:
		fmt.Fprintln(e.stderr, "coalition: import: the database is this import's alone until it ends (other processes wait)")
	case exclusive == "auto" && errors.Is(err, sqlstore.ErrInUse):
		fmt.Fprintln(e.stderr, "coalition: import: the database is open in another process: importing beside it")
		return openStore(ctx, e, dsn)
	}
	return s, err
}

// importRequest completes req from the arguments (format, then files) and
// --as-of, and checks the files, before the store is opened.
func importRequest(req *imports.Request, pos []string, asOf string) (files []string, err error) {
	if len(pos) == 0 {
		return nil, usagef("import: which format? one of %s", strings.Join(imports.Formats, ", "))
	}
	req.Format, files = pos[0], pos[1:]
	if !contains(imports.Formats, req.Format) {
		return nil, usagef("import: unknown format %q: want one of %s", req.Format, strings.Join(imports.Formats, ", "))
	}
	if len(files) == 0 {
		return nil, usagef("import %s: no FILE given", req.Format)
	}
	if asOf != "" {
		if req.AsOf, err = coalition.ParseDate(asOf); err != nil {
			return nil, usagef("import: --as-of: %v", err)
		}
	}
	return files, checkImportFiles(files)
}

// importProgress draws a progress bar for a large file on a terminal.
func (e *env) importProgress(name string, size int64) imports.Progress {
	if size < 4<<20 || !e.isTerminal(e.stderr) {
		return nil
	}
	return newProgress(e.stderr, name, size)
}

// importOutcome prints the invalid rows and says whether the import as a
// whole failed: invalid rows fail it unless --skip-invalid skipped them
// (a release is never loaded in part).
func importOutcome(e *env, rep *importReport, skip bool) error {
	if len(rep.Errors) == 0 {
		return nil
	}
	for _, re := range rep.Errors {
		fmt.Fprintln(e.stderr, re.Error())
	}
	if !skip {
		return coalition.Errorf(coalition.Invalid, "%d invalid rows: nothing was imported (fix them, or use --skip-invalid)", invalidRows(rep))
	}
	if !rep.Committed && !rep.DryRun {
		return coalition.Errorf(coalition.Invalid, "%d invalid rows: nothing was imported (a release is loaded whole: fix them)", invalidRows(rep))
	}
	records := 0
	for _, f := range rep.Files {
		records += f.Stats.Records
	}
	verb := "imported"
	if rep.DryRun {
		verb = "would be imported (dry run)"
	}
	fmt.Fprintf(e.stderr, "coalition: import: %d invalid rows skipped; %d records %s\n", invalidRows(rep), records, verb)
	return nil
}

// checkImportFiles checks that every file exists and that standard input
// is given at most once, before the store is opened.
func checkImportFiles(files []string) error {
	stdin := 0
	for _, f := range files {
		if f == "-" {
			if stdin++; stdin > 1 {
				return usagef("import: - (standard input) given twice")
			}
			continue
		}
		if _, err := os.Stat(f); err != nil {
			return coalition.Errorf(coalition.Invalid, "import: %v", err)
		}
	}
	return nil
}

// openImportFiles opens files ("-" spools standard input to a temporary
// file); closeFiles, never nil, closes (and removes) what was opened, last
// first, also after an error.
func openImportFiles(e *env, format string, files []string) (in []imports.File, closeFiles func(), err error) {
	var closers []func()
	closeFiles = func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	in = make([]imports.File, 0, len(files))
	for _, path := range files {
		if path == "-" {
			f, err := spoolStdin(e.stdin, format)
			if err != nil {
				return nil, closeFiles, err
			}
			closers = append(closers, func() { removeTemp(f) })
			fi, err := f.Stat()
			if err != nil {
				return nil, closeFiles, err
			}
			in = append(in, imports.File{Name: "stdin", Size: fi.Size(), R: f})
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, closeFiles, coalition.Errorf(coalition.Invalid, "import: %v", err)
		}
		closers = append(closers, func() { f.Close() })
		fi, err := f.Stat()
		if err != nil {
			return nil, closeFiles, err
		}
		in = append(in, imports.File{Name: filepath.Base(path), Size: fi.Size(), R: f})
	}
	return in, closeFiles, nil
}

// writeImportReport writes the report to reportFile (when given) and
// prints it, as JSON or as a table.
func writeImportReport(e *env, rep *importReport, reportFile string, asJSON bool) error {
	if reportFile != "" {
		var b bytes.Buffer
		printJSON(&b, rep)
		if werr := os.WriteFile(reportFile, b.Bytes(), 0o644); werr != nil {
			return fmt.Errorf("import: --report: %w", werr)
		}
	}
	if asJSON {
		return printJSON(e.stdout, rep)
	}
	printImportReport(e, rep)
	return nil
}

// spoolStdin copies standard input to a temporary file, which an import
// reads twice (to hash it, then to parse it) and XLSX from its end; at
// most the format's size limit is copied.
func spoolStdin(stdin io.Reader, format string) (*os.File, error) {
	f, err := os.CreateTemp("", "coalition-stdin-*")
	if err != nil {
		return nil, fmt.Errorf("import: standard input: %w", err)
	}
	src, max := stdin, importer.MaxSize(format)
	if max > 0 {
		src = io.LimitReader(stdin, max+1)
	}
	n, err := io.Copy(f, src)
	if err == nil && max > 0 && n > max {
		err = coalition.Errorf(coalition.Invalid, "import %s: standard input is larger than %d MB: split it", format, max>>20)
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		removeTemp(f)
		if coalition.ErrorKind(err) == coalition.Invalid {
			return nil, err
		}
		return nil, fmt.Errorf("import: standard input: %w", err)
	}
	return f, nil
}

func removeTemp(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func printImportReport(e *env, rep *importReport) {
	w := table(e.stdout)
	fmt.Fprintln(w, "FILE\tBYTES\tROWS\tRECORDS\tSKIPPED\tINVALID")
	for _, f := range rep.Files {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\n", f.File, f.Bytes, f.Stats.Rows, f.Stats.Records, f.Stats.Skipped, f.Stats.Invalid)
	}
	w.Flush()
	kinds := map[string]bool{}
	r := rep.Result
	for _, m := range []map[string]int{r.Created, r.Updated, r.Unchanged, r.Removed} {
		for k := range m {
			kinds[k] = true
		}
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Fprintln(e.stdout)
	w = table(e.stdout)
	fmt.Fprintln(w, "RECORDS\tCREATED\tUPDATED\tUNCHANGED\tREMOVED FROM SOURCE")
	for _, k := range names {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\n", k, r.Created[k], r.Updated[k], r.Unchanged[k], r.Removed[k])
	}
	w.Flush()
	if r.Release != nil {
		printRelease(e, *r.Release)
	}
	for _, f := range rep.Files {
		printCounts(e, f.File, "skipped", f.Stats.SkippedBy)
		printCounts(e, f.File, "imported with a caveat", f.Stats.Flagged)
		for _, warn := range f.Stats.Warnings {
			fmt.Fprintf(e.stdout, "warning: %s: %s\n", f.File, warn)
		}
	}
	switch {
	case rep.DryRun:
		fmt.Fprintln(e.stdout, "dry run: nothing was written")
	case !rep.Committed:
		fmt.Fprintln(e.stdout, "invalid rows: nothing was written")
	case len(rep.Errors) > 0:
		fmt.Fprintf(e.stdout, "%d invalid rows were skipped (see --report)\n", invalidRows(rep))
	}
}

// progress draws a one-line bar: bytes, rows, rate, ETA. It is an
// imports.Progress.
type progress struct {
	w           io.Writer
	name        string
	total, n    int64
	rows        int
	start, last time.Time
}

func newProgress(w io.Writer, name string, total int64) *progress {
	now := time.Now()
	return &progress{w: w, name: name, total: total, start: now, last: now}
}

func (p *progress) Reader(r io.Reader) io.Reader { return &progressReader{r: r, p: p} }

func (p *progress) Record() { p.rows++ }

type progressReader struct {
	r io.Reader
	p *progress
}

func (pr *progressReader) Read(b []byte) (int, error) {
	n, err := pr.r.Read(b)
	pr.p.n += int64(n)
	if now := time.Now(); now.Sub(pr.p.last) > 200*time.Millisecond {
		pr.p.last = now
		pr.p.draw(now)
	}
	return n, err
}

func (p *progress) draw(now time.Time) {
	el := now.Sub(p.start).Seconds()
	frac := float64(p.n) / float64(max(p.total, 1))
	rate := float64(p.n) / max(el, 1e-9) / (1 << 20)
	eta := "?"
	if frac > 0 {
		eta = (time.Duration(el/frac*(1-frac)) * time.Second).Round(time.Second).String()
	}
	const width = 30
	fill := int(frac * width)
	fmt.Fprintf(p.w, "\r%s [%s%s] %3.0f%% %d/%d MB, %d rows, %.1f MB/s, ETA %s ", p.name, strings.Repeat("=", fill), strings.Repeat(" ", width-fill),
		frac*100, p.n>>20, p.total>>20, p.rows, rate, eta)
}

func (p *progress) Done() {
	p.draw(time.Now())
	fmt.Fprintln(p.w)
}

// printCounts prints counts by reason, one line each, in name order:
// "skipped: file: another recipient: 12".
func printCounts(e *env, file, what string, counts map[string]int) {
	reasons := make([]string, 0, len(counts))
	for r := range counts {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(e.stdout, "%s: %s: %s: %d\n", what, file, r, counts[r])
	}
}

// invalidRows is the number of invalid rows of an import: the files'
// counts, which go on past the errors listed (the list stops at 1,000
// per file and says how many more there were), or the listed errors
// when a file-level error has no row count.
func invalidRows(rep *importReport) int {
	counted, listed := 0, 0
	for _, f := range rep.Files {
		counted += f.Stats.Invalid
	}
	for _, re := range rep.Errors {
		if re.Field != "errors" {
			listed++
		}
	}
	return max(counted, listed)
}
