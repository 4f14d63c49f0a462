// Package imports is the one import pipeline of the CLI (coalition import)
// and the HTTP API (POST /api/v1/imports): files of one format are parsed
// by the importer package and streamed into one coalition.Import (sqlstore's), which
// commits all of them, or, with SkipInvalid, the valid records.
package imports

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"coalition"
	"coalition/importer"
)

// Formats are the formats Run reads.
var Formats = []string{"kiel-csv", "kiel-xlsx", "iati", "fts", "csv"}

// Store is what an import needs of the database; *sqlstore.Store is one.
type Store interface {
	FindCountries(ctx context.Context, f coalition.CountryFilter) ([]*coalition.Country, error)
	AllRates(ctx context.Context) ([]coalition.FXRate, error)
	coalition.Importer
}

// Request is one import of one or more files of one format.
type Request struct {
	Format    string         // one of Formats
	Kind      string         // csv: pledges, deliveries, requirements, engagements or risk-events; "": from the header
	Recipient string         // IATI, FTS: only flows to this recipient; Kiel and CSV: the default recipient
	Source    string         // citation of every record; default "<format>: <file name>" (kiel-csv: the release's, see declareRelease)
	AsOf      coalition.Date // the date the files' data is current to; default today
	DryRun    bool           // count, then roll back
	// SkipInvalid commits the valid records and reports the invalid ones;
	// by default one invalid row means nothing is written.
	SkipInvalid bool
	// DeleteRemoved deletes the records of the imported sources that the
	// files no longer contain; by default they are only counted.
	DeleteRemoved bool
	User          string // the importing user's email, for provenance; default the user in ctx
	// Release names the release of a published dataset the file is
	// (kiel-csv: the publisher's number, e.g. "29"; default "data to
	// YYYY-MM" from the file's last month with data). Force loads a release
	// older than the one loaded.
	Release string
	Force   bool
	// Progress, when set, is called before each file is read; a non-nil
	// Progress it returns follows the reading (the CLI's progress bar).
	Progress func(name string, size int64) Progress

	release *coalition.Release // kiel-csv: the release declared (declareRelease)
}

// Progress follows the reading of one file.
type Progress interface {
	Reader(r io.Reader) io.Reader // what the parser reads instead of r
	Record()                      // one more record was sent to the database
	Done()                        // the file has been read
}

// File is one input file. R is read from its start twice: once to hash it,
// once to parse it.
type File struct {
	Name string // the base name, for errors, provenance and the default source
	Size int64
	R    io.ReadSeeker
}

// FileReport is what one file gave.
type FileReport struct {
	File   string         `json:"file"`
	SHA256 string         `json:"sha256"`
	Bytes  int64          `json:"bytes"`
	Stats  importer.Stats `json:"stats"`
}

// Report is the outcome of an import: printed or written by the CLI,
// returned by the API.
type Report struct {
	Format string `json:"format"`
	DryRun bool   `json:"dry_run"`
	// Committed is false when nothing was written (dry run, or invalid
	// rows without SkipInvalid).
	Committed bool                   `json:"committed"`
	Files     []FileReport           `json:"files"`
	Result    coalition.ImportReport `json:"result"`
	Errors    importer.Errors        `json:"errors"`
}

// Run imports files in one transaction, as the user in ctx (whose write
// rules every record must pass). It commits only if no row was invalid
// (or SkipInvalid) and not DryRun; Report.Committed says which. Invalid
// rows are in Report.Errors; the error is for what stops the import as a
// whole: a bad request, a file that cannot be read, the user's rights, or
// the database failing (coalition.Import.Err), which is never a row error.
func Run(ctx context.Context, s Store, req Request, files []File) (*Report, error) {
	if !slices.Contains(Formats, req.Format) {
		return nil, coalition.FieldError("format", "%q: want one of %s", req.Format, strings.Join(Formats, ", "))
	}
	if len(files) == 0 {
		return nil, coalition.Errorf(coalition.Invalid, "import %s: no file given", req.Format)
	}
	if req.User == "" {
		if u := coalition.UserFrom(ctx); u != nil {
			req.User = u.Email
		}
	}
	names, fx, err := lookups(ctx, s, req.Recipient)
	if err != nil {
		return nil, err
	}
	im, err := s.BeginImport(ctx)
	if err != nil {
		return nil, err
	}
	defer im.Abort()
	rep := &Report{Format: req.Format, DryRun: req.DryRun, Files: []FileReport{}, Errors: importer.Errors{}}
	release, err := declareRelease(ctx, im, &req, files)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	for _, f := range files {
		fr, errs, err := importFile(ctx, im, f, req, names, fx, now)
		if err != nil {
			return nil, err
		}
		rep.Files = append(rep.Files, fr)
		rep.Errors = append(rep.Errors, errs...)
	}
	if len(rep.Errors) == 0 && req.release != nil {
		errs, err := releaseCommitments(ctx, im, files[0], *req.release)
		if err != nil {
			return nil, err
		}
		rep.Errors = append(rep.Errors, errs...)
	}
	if len(rep.Errors) > 0 && (!req.SkipInvalid || release) {
		// A release is loaded whole: a skipped row would remove its record.
		// Nothing is written, so nothing is reported as created (issue 24:
		// the would-be counts read as if they had been).
		rep.Result = coalition.ImportReport{LoadReport: coalition.LoadReport{Created: map[string]int{}, Updated: map[string]int{},
			Unchanged: map[string]int{}}, Removed: map[string]int{}, Deleted: map[string]int{}}
		return rep, nil // rolled back by the deferred Abort
	}
	rep.Result, err = im.Finish(ctx, coalition.ImportOptions{DryRun: req.DryRun, DeleteRemoved: req.DeleteRemoved})
	if err != nil {
		return nil, err
	}
	rep.Committed = !req.DryRun
	return rep, nil
}

// lookups are the country names and FX rates every parser resolves
// against, read once per import; a recipient given must be one of the
// names, so that a typo fails before any file is read.
func lookups(ctx context.Context, s Store, recipient string) (*importer.Names, *importer.FXTable, error) {
	countries, err := s.FindCountries(ctx, coalition.CountryFilter{})
	if err != nil {
		return nil, nil, err
	}
	rates, err := s.AllRates(ctx)
	if err != nil {
		return nil, nil, err
	}
	names, fx := importer.NewNames(countries), importer.NewFXTable(rates)
	if recipient != "" {
		if _, err := names.Resolve(recipient); err != nil {
			return nil, nil, coalition.FieldError("recipient", "%v", err)
		}
	}
	return names, fx, nil
}

// declareRelease tells im which release of a published dataset the files
// are, for the formats that are one (kiel-csv: the Kiel tracker's monthly
// data, one file a release). It identifies the release from the file's
// content (importer.KielRelease), so that the file's name and --source play
// no part in matching its records; req.AsOf becomes the release's. A file
// with invalid rows declares nothing: its parse reports them.
func declareRelease(ctx context.Context, im coalition.Import, req *Request, files []File) (bool, error) {
	if req.Format != "kiel-csv" {
		if req.Release != "" || req.Force {
			return false, coalition.FieldError("release", "only kiel-csv files are releases of a published dataset")
		}
		return false, nil
	}
	if len(files) != 1 {
		return false, coalition.Errorf(coalition.Invalid, "import kiel-csv: one file is one release of the Kiel data: import them one at a time (got %d files)", len(files))
	}
	f := files[0]
	sum, err := hashFile(f)
	if err != nil {
		return false, err
	}
	rel, err := importer.KielRelease(f.R, f.Name, req.Release, req.Source, req.AsOf)
	if _, rowErrs := importer.AsErrors(err); rowErrs {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("imports: %s: %w", f.Name, err)
	}
	rel.SHA256 = sum
	if err := im.Release(ctx, rel, req.Force); err != nil {
		return false, err
	}
	req.AsOf, req.release = rel.AsOf, &rel
	return true, nil
}

// importFile parses one file into im. It returns the file's row errors,
// and an error only for what ends the import.
func importFile(ctx context.Context, im coalition.Import, f File, req Request, names *importer.Names, fx *importer.FXTable, now time.Time) (FileReport, importer.Errors, error) {
	fr := FileReport{File: f.Name, Bytes: f.Size}
	if max := importer.MaxSize(req.Format); max > 0 && f.Size > max {
		// Refused before reading: the parser would stop at the limit too.
		return fr, importer.Errors{{File: f.Name, Field: "file", Err: &importer.TooLargeError{Max: max}}}, nil
	}
	var err error
	if fr.SHA256, err = hashFile(f); err != nil {
		return fr, nil, err
	}
	var r io.Reader = f.R
	var prog Progress
	if req.Progress != nil {
		if prog = req.Progress(fr.File, fr.Bytes); prog != nil {
			r = prog.Reader(r)
			defer prog.Done()
		}
	}
	opt := importer.Options{File: fr.File, SHA256: fr.SHA256, Source: req.Source, AsOf: req.AsOf, User: req.User, ImportedAt: now,
		Recipient: req.Recipient, Names: names, FX: fx}
	// Parsing and writing overlap: pledges go to the database from a
	// goroutine of their own while the parser reads on.
	async := newAsyncSink(ctx, im, fr.File)
	var sink importer.Sink = async
	if prog != nil {
		sink = &countingSink{Sink: async, p: prog}
	}
	st, err := parse(ctx, req, r, opt, sink)
	late, fatal := async.close()
	if fatal == nil {
		// A delivery, requirement, engagement or risk event written on
		// this goroutine may have met the failure: the parser took it for
		// a row error.
		fatal = im.Err()
	}
	if fatal != nil {
		return fr, nil, fatal
	}
	st.Records -= async.refused
	st.Invalid += len(late)
	if st.Warnings == nil {
		st.Warnings = []string{} // an empty list is [], never null (openapi.yaml)
	}
	fr.Stats = st
	errs, err := rowErrors(err, fr.File, late)
	return fr, errs, err
}

// hashFile is the SHA-256 of f's content, read from its start; f is left
// at its start for the parser.
func hashFile(f File) (string, error) {
	if _, err := f.R.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("imports: %s: %w", f.Name, err)
	}
	sum, err := importer.HashFile(f.R)
	if err != nil {
		return "", fmt.Errorf("imports: %s: %w", f.Name, err)
	}
	if _, err := f.R.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("imports: %s: %w", f.Name, err)
	}
	return sum, nil
}

// parse runs the parser of req.Format on r.
func parse(ctx context.Context, req Request, r io.Reader, opt importer.Options, sink importer.Sink) (importer.Stats, error) {
	switch req.Format {
	case "kiel-csv":
		return importer.KielCSVTo(ctx, r, opt, sink)
	case "kiel-xlsx":
		return importer.KielXLSX(ctx, r, opt, sink)
	case "iati":
		return importer.IATI(ctx, r, opt, sink)
	case "fts":
		return importer.FTS(ctx, r, opt, sink)
	case "csv":
		return importer.CSV(ctx, r, req.Kind, opt, sink)
	}
	return importer.Stats{}, nil
}

// rowErrors sorts a parser's error into the file's row errors (with the
// rows the database refused late) and an error that ends the import: a
// file-level Invalid error is a row error of the file, as the user can fix
// it like one.
func rowErrors(err error, file string, late importer.Errors) (importer.Errors, error) {
	if err == nil {
		if len(late) > 0 {
			return late, nil
		}
		return nil, nil
	}
	if es, ok := importer.AsErrors(err); ok {
		return append(es, late...), nil
	}
	if coalition.ErrorKind(err) == coalition.Invalid {
		return append(importer.Errors{{File: file, Field: "file", Err: err}}, late...), nil
	}
	return nil, err
}
