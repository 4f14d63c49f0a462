package main

import (
	"context"
	"encoding/json"
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
	"coalition/sqlstore"
)

// importFormats are the formats `coalition import` reads.
var importFormats = []string{"kiel-csv", "kiel-xlsx", "iati", "fts", "csv"}

// importFileReport is what one file gave.
type importFileReport struct {
	File   string         `json:"file"`
	SHA256 string         `json:"sha256"`
	Bytes  int64          `json:"bytes"`
	Stats  importer.Stats `json:"stats"`
}

// importReport is the report printed, written with --report, and returned by the API.
type importReport struct {
	Format string `json:"format"`
	DryRun bool   `json:"dry_run"`
	// Committed is false when nothing was written (dry run, or invalid rows without --skip-invalid).
	Committed bool                  `json:"committed"`
	Files     []importFileReport    `json:"files"`
	Result    sqlstore.ImportReport `json:"result"`
	Errors    importer.Errors       `json:"errors"`
}

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "import", "import <kiel-csv|kiel-xlsx|iati|fts|csv> FILE... [--dry-run] [--skip-invalid] [--report FILE] [--json] [--recipient UA] [--source TEXT] [--kind KIND] [--db ...]\n       coalition import csv --template pledges|deliveries|requirements|engagements|risk-events",
		"coalition import iati activities.xml --recipient UA --dry-run")
	db := dbFlag(fs)
	dry := fs.Bool("dry-run", false, "show what would change without writing")
	skip := fs.Bool("skip-invalid", false, "import the valid records and report the invalid ones (default: all or nothing)")
	reportFile := fs.String("report", "", "write the full report (with every error) as JSON to this file")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	recipient := fs.String("recipient", "", "only flows to this recipient (ISO2, ISO3 or name; IATI, FTS); Kiel and CSV default recipient (UKR)")
	source := fs.String("source", "", "citation carried by every record (default \"<format>: <file name>\"); records are matched on (source, natural key)")
	kind := fs.String("kind", "", "csv: pledges, deliveries, requirements, engagements or risk-events (default: from the header)")
	template := fs.String("template", "", "csv: print the header and an example row of this kind, and exit")
	asOf := fs.String("as-of", "", "the date the file's data is current to (YYYY-MM-DD; default today)")
	deleteRemoved := fs.Bool("delete-removed", false, "delete records of the same source that the files no longer contain (default: only count them)")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if *template != "" {
		return importer.CSVTemplate(e.stdout, *template)
	}
	if len(pos) == 0 {
		return usagef("import: which format? one of %s", strings.Join(importFormats, ", "))
	}
	format, files := pos[0], pos[1:]
	if !contains(importFormats, format) {
		return usagef("import: unknown format %q: want one of %s", format, strings.Join(importFormats, ", "))
	}
	if len(files) == 0 {
		return usagef("import %s: no FILE given", format)
	}
	var asOfDate coalition.Date
	if *asOf != "" {
		if asOfDate, err = coalition.ParseDate(*asOf); err != nil {
			return usagef("import: --as-of: %v", err)
		}
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			return coalition.Errorf(coalition.Invalid, "import: %v", err)
		}
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx = coalition.WithUser(ctx, coalition.System)
	rep, err := importFiles(ctx, s, importRequest{format: format, files: files, recipient: *recipient, source: *source, kind: *kind,
		asOf: asOfDate, dryRun: *dry, skipInvalid: *skip, deleteRemoved: *deleteRemoved, user: coalition.System.Email,
		progress: func(name string, size int64) io.Writer {
			if size < 4<<20 || !e.isTerminal(e.stderr) {
				return nil
			}
			return e.stderr
		}})
	if err != nil {
		return err
	}
	if *reportFile != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		if werr := os.WriteFile(*reportFile, append(b, '\n'), 0o644); werr != nil {
			return fmt.Errorf("import: --report: %w", werr)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printImportReport(e, rep)
	}
	if len(rep.Errors) > 0 && !*skip {
		for _, re := range rep.Errors {
			fmt.Fprintln(e.stderr, re.Error())
		}
		return coalition.Errorf(coalition.Invalid, "%d invalid rows: nothing was imported (fix them, or use --skip-invalid)", len(rep.Errors))
	}
	return nil
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// importRequest is one import of one or more files of one format.
type importRequest struct {
	format, recipient, source, kind, user string
	files                                 []string
	asOf                                  coalition.Date
	dryRun, skipInvalid, deleteRemoved    bool
	progress                              func(name string, size int64) io.Writer // where to draw a progress bar, or nil
}

// importFiles runs the whole import in one transaction: every file, then
// commit only if nothing was invalid (or --skip-invalid) and not a dry run.
func importFiles(ctx context.Context, s *sqlstore.Store, req importRequest) (*importReport, error) {
	countries, err := s.FindCountries(ctx, coalition.CountryFilter{})
	if err != nil {
		return nil, err
	}
	rates, err := s.AllRates(ctx)
	if err != nil {
		return nil, err
	}
	names, fx := importer.NewNames(countries), importer.NewFXTable(rates)
	if req.recipient != "" {
		if _, err := names.Resolve(req.recipient); err != nil {
			return nil, coalition.FieldError("recipient", "%v", err)
		}
	}
	im, err := s.BeginImport(ctx)
	if err != nil {
		return nil, err
	}
	defer im.Abort()
	rep := &importReport{Format: req.format, DryRun: req.dryRun, Errors: importer.Errors{}}
	now := time.Now().UTC()
	for _, path := range req.files {
		fr, errs, err := importOne(ctx, im, path, req, names, fx, now)
		if err != nil {
			return nil, err
		}
		rep.Files = append(rep.Files, fr)
		rep.Errors = append(rep.Errors, errs...)
	}
	rep.Result = im.Report()
	if len(rep.Errors) > 0 && !req.skipInvalid {
		return rep, nil // rolled back by the deferred Abort
	}
	rep.Result, err = im.Finish(ctx, sqlstore.ImportOptions{DryRun: req.dryRun, DeleteRemoved: req.deleteRemoved})
	if err != nil {
		return nil, err
	}
	rep.Committed = !req.dryRun
	return rep, nil
}

func importOne(ctx context.Context, im *sqlstore.Import, path string, req importRequest, names *importer.Names, fx *importer.FXTable, now time.Time) (importFileReport, importer.Errors, error) {
	fr := importFileReport{File: filepath.Base(path)}
	f, err := os.Open(path)
	if err != nil {
		return fr, nil, coalition.Errorf(coalition.Invalid, "import: %v", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fr, nil, err
	}
	fr.Bytes = fi.Size()
	if fr.SHA256, err = importer.HashFile(f); err != nil {
		return fr, nil, fmt.Errorf("import: %s: %w", path, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fr, nil, err
	}
	var r io.Reader = f
	var bar *progress
	if req.progress != nil {
		if w := req.progress(fr.File, fr.Bytes); w != nil {
			bar = newProgress(w, fr.File, fr.Bytes)
			r = bar.reader(f)
			defer bar.done()
		}
	}
	opt := importer.Options{File: fr.File, SHA256: fr.SHA256, Source: req.source, AsOf: req.asOf, User: req.user, ImportedAt: now,
		Recipient: req.recipient, Names: names, FX: fx}
	// Parsing and writing overlap: pledges go to the database from a
	// goroutine of their own while the parser reads on.
	async := newAsyncSink(ctx, im, fr.File)
	var sink importer.Sink = async
	if bar != nil {
		sink = &countingSink{Sink: async, bar: bar}
	}
	var st importer.Stats
	switch req.format {
	case "kiel-csv":
		st, err = importer.KielCSVTo(ctx, r, opt, sink)
	case "kiel-xlsx":
		st, err = importer.KielXLSX(ctx, r, opt, sink)
	case "iati":
		st, err = importer.IATI(ctx, r, opt, sink)
	case "fts":
		st, err = importer.FTS(ctx, r, opt, sink)
	case "csv":
		st, err = importer.CSV(ctx, r, req.kind, opt, sink)
	}
	late, fatal := async.close()
	if fatal != nil {
		return fr, nil, fatal
	}
	st.Records -= len(late)
	st.Invalid += len(late)
	fr.Stats = st
	if err == nil {
		if len(late) > 0 {
			return fr, late, nil
		}
		return fr, nil, nil
	}
	if es, ok := importer.AsErrors(err); ok {
		return fr, append(es, late...), nil
	}
	if coalition.ErrorKind(err) == coalition.Invalid {
		return fr, append(importer.Errors{{File: fr.File, Field: "file", Err: err}}, late...), nil
	}
	return fr, nil, err
}

// asyncSink writes pledges from a goroutine of its own; the other records
// wait until the pledges before them are written (deliveries refer to them).
// Errors of the asynchronous writes come back from close, placed by the
// row in each pledge's provenance.
type asyncSink struct {
	im   *sqlstore.Import
	file string
	ctx  context.Context
	ch   chan any // *coalition.Pledge, or a chan struct{} to signal "all written"
	done chan struct{}
	errs importer.Errors
	// fatal is a database error while writing: the import cannot go on
	fatal error
}

func newAsyncSink(ctx context.Context, im *sqlstore.Import, file string) *asyncSink {
	a := &asyncSink{im: im, file: file, ctx: ctx, ch: make(chan any, 4096), done: make(chan struct{})}
	go func() {
		defer close(a.done)
		for v := range a.ch {
			switch x := v.(type) {
			case *coalition.Pledge:
				if a.fatal != nil {
					continue
				}
				if err := im.Pledge(ctx, x); err != nil {
					if im.Err() != nil { // the database failed, not this record
						a.fatal = err
						continue
					}
					var where struct {
						Sheet string `json:"sheet"`
						Row   int    `json:"row"`
					}
					json.Unmarshal([]byte(x.Provenance), &where)
					field := "record"
					var ce *coalition.Error
					if errors.As(err, &ce) && ce.Field != "" {
						field = ce.Field
					}
					a.errs = append(a.errs, &importer.RowError{File: file, Sheet: where.Sheet, Row: where.Row, Field: field, Err: err})
				}
			case chan struct{}:
				close(x)
			}
		}
	}()
	return a
}

func (a *asyncSink) Pledge(_ context.Context, p *coalition.Pledge) error {
	c := *p // the parser may read its pledge on; the writer sets ID and version on the copy
	a.ch <- &c
	return nil
}

// sync waits until every pledge sent so far is written.
func (a *asyncSink) sync() {
	c := make(chan struct{})
	a.ch <- c
	<-c
}

func (a *asyncSink) Delivery(ctx context.Context, ps, pr, ref, prov string, d *coalition.Delivery) error {
	a.sync()
	return a.im.Delivery(ctx, ps, pr, ref, prov, d)
}

func (a *asyncSink) Requirement(ctx context.Context, ref, prov string, r *coalition.Requirement) error {
	a.sync()
	return a.im.Requirement(ctx, ref, prov, r)
}

func (a *asyncSink) Engagement(ctx context.Context, e *coalition.Engagement) error {
	a.sync()
	return a.im.Engagement(ctx, e)
}

func (a *asyncSink) RiskEvent(ctx context.Context, r *coalition.RiskEvent) error {
	a.sync()
	return a.im.RiskEvent(ctx, r)
}

// close waits for the writer and returns the records it refused, and the
// database error that stopped it, if any.
func (a *asyncSink) close() (importer.Errors, error) {
	close(a.ch)
	<-a.done
	return a.errs, a.fatal
}

// countingSink counts records for the progress bar.
type countingSink struct {
	importer.Sink
	bar *progress
}

func (c *countingSink) Pledge(ctx context.Context, p *coalition.Pledge) error {
	c.bar.rows++
	return c.Sink.Pledge(ctx, p)
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
	for _, f := range rep.Files {
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
		fmt.Fprintf(e.stdout, "%d invalid rows were skipped (see --report)\n", len(rep.Errors))
	}
}

// progress draws a one-line bar: bytes, rows, rate, ETA.
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

func (p *progress) reader(r io.Reader) io.Reader { return &progressReader{r: r, p: p} }

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

func (p *progress) done() {
	p.draw(time.Now())
	fmt.Fprintln(p.w)
}
