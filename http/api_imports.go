package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"coalition"
	"coalition/importer"
	"coalition/imports"
)

// postImport imports one uploaded file (multipart field "file", or the raw
// body) through the pipeline of coalition import (package imports), in one
// transaction as the user of the request. Query: format (required), kind,
// recipient, source, as_of, dry_run, skip_invalid, delete_removed, release,
// force (kiel-csv: see imports.Request). 200 with
// the report when it was committed or dry run (with skip_invalid, the
// invalid rows are skipped and listed in it); invalid rows without
// skip_invalid: nothing is written, 400 with a problem listing every one.
func (s *server) postImport(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	req := imports.Request{Format: p.str("format"), Kind: p.str("kind"), Recipient: p.str("recipient"), Source: p.str("source"),
		DryRun: p.flag("dry_run"), SkipInvalid: p.flag("skip_invalid"), DeleteRemoved: p.flag("delete_removed"),
		Release: p.str("release"), Force: p.flag("force")}
	if !slices.Contains(imports.Formats, req.Format) {
		p.fail("format", "%q: want one of %s", req.Format, strings.Join(imports.Formats, ", "))
	}
	if req.Kind != "" && !slices.Contains(importer.CSVKinds, req.Kind) {
		p.fail("kind", "%q: want one of %s", req.Kind, strings.Join(importer.CSVKinds, ", "))
	}
	if d := p.str("as_of"); d != "" {
		var err error
		if req.AsOf, err = coalition.ParseDate(d); err != nil {
			p.fail("as_of", "%v", err)
		}
	}
	if p.err != nil {
		return p.err
	}
	store, ok := s.store.(imports.Store)
	if !ok {
		return fmt.Errorf("http: import: the store (%T) cannot import", s.store)
	}
	name, f, size, done, err := readUpload(r)
	if err != nil {
		return err
	}
	defer done()
	if u := coalition.UserFrom(r.Context()); u != nil {
		req.User = u.Email
	}
	began := time.Now()
	rep, err := imports.Run(r.Context(), store, req, []imports.File{{Name: name, Size: size, R: f}})
	if err == nil && len(rep.Errors) > 0 && !req.SkipInvalid {
		err = writeRowErrors(w, rep.Errors)
		s.metrics.ObserveImport(req.Format, time.Since(began), coalition.Errorf(coalition.Invalid, "invalid rows"))
		return err
	}
	s.metrics.ObserveImport(req.Format, time.Since(began), err)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, rep)
}

// flag reads a boolean parameter: 1 or true, 0 or false, or absent.
func (p *params) flag(name string) bool {
	switch strings.ToLower(p.str(name)) {
	case "", "0", "false":
		return false
	case "1", "true":
		return true
	}
	p.fail(name, "%q: want 1, true, 0 or false", p.str(name))
	return false
}

// readUpload streams the "file" part of a multipart form, or the raw body,
// to a temporary file, so that an import of any size holds only a buffer
// in memory. The body is counted while it streams: past its route's limit
// (--max-import-body) the read fails and the answer is 413 (ops.go). The
// caller closes the file with done, which removes it.
func readUpload(r *http.Request) (name string, f *os.File, size int64, done func(), err error) {
	mt, mp, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var src io.Reader = r.Body
	name = strings.TrimSpace(r.URL.Query().Get("file"))
	if mt == "multipart/form-data" {
		if mp["boundary"] == "" {
			return "", nil, 0, nil, coalition.Errorf(coalition.Invalid, "malformed multipart body")
		}
		part, err := filePart(multipart.NewReader(r.Body, mp["boundary"]))
		if err != nil {
			return "", nil, 0, nil, err
		}
		src, name = part, part.FileName()
	}
	if name == "" {
		name = "upload"
	}
	if f, err = os.CreateTemp("", "coalition-import-*"); err != nil {
		return "", nil, 0, nil, fmt.Errorf("http: import: %w", err)
	}
	done = func() {
		f.Close()
		os.Remove(f.Name())
	}
	if size, err = io.Copy(f, src); err != nil {
		done()
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return "", nil, 0, nil, err
		}
		var pe *fs.PathError
		if errors.As(err, &pe) { // the temporary file, not the upload
			return "", nil, 0, nil, fmt.Errorf("http: import: %w", err)
		}
		return "", nil, 0, nil, coalition.Errorf(coalition.Invalid, "cannot read the upload: %v", err)
	}
	return name, f, size, done, nil
}

// filePart returns the form's "file" part.
func filePart(mr *multipart.Reader) (*multipart.Part, error) {
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, coalition.FieldError("file", "the form has no file field")
		}
		if err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				return nil, err
			}
			return nil, coalition.Errorf(coalition.Invalid, "cannot read the upload: %v", err)
		}
		if part.FormName() == "file" {
			return part, nil
		}
	}
}

// writeRowErrors is a 400 problem document with every row error.
func writeRowErrors(w http.ResponseWriter, es importer.Errors) error {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusBadRequest)
	return json.NewEncoder(w).Encode(struct {
		problem
		Errors importer.Errors `json:"errors"`
	}{problem{Type: "/problems/invalid", Title: http.StatusText(http.StatusBadRequest), Status: http.StatusBadRequest,
		Detail: es.Error()}, es})
}
