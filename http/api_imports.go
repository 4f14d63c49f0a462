package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"coalition"
	"coalition/importer"
	"coalition/imports"
)

// maxImportBody is the largest file the API imports; larger files go through the CLI.
const maxImportBody = 64 << 20

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
	name, data, err := readUpload(w, r)
	if err != nil {
		return err
	}
	if u := coalition.UserFrom(r.Context()); u != nil {
		req.User = u.Email
	}
	began := time.Now()
	rep, err := imports.Run(r.Context(), store, req, []imports.File{{Name: name, Size: int64(len(data)), R: bytes.NewReader(data)}})
	if err == nil && len(rep.Errors) > 0 && !req.SkipInvalid {
		err = writeRowErrors(w, rep.Errors)
		s.metrics.ObserveImport(req.Format, time.Since(began), coalition.Errorf(coalition.Invalid, "invalid rows"))
		return err
	}
	s.metrics.ObserveImport(req.Format, time.Since(began), err)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, rep)
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

// readUpload reads the "file" part of a multipart form, or the raw body,
// up to maxImportBody.
func readUpload(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	body := http.MaxBytesReader(w, r.Body, maxImportBody)
	tooBig := func(err error) error {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return coalition.Errorf(coalition.Invalid, "the file is larger than %d MB: import it with the CLI", maxImportBody>>20)
		}
		return coalition.Errorf(coalition.Invalid, "cannot read the upload: %v", err)
	}
	mt, mp, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		mr, err := (&http.Request{Header: http.Header{"Content-Type": {r.Header.Get("Content-Type")}}, Body: body}).MultipartReader()
		if err != nil || mp["boundary"] == "" {
			return "", nil, coalition.Errorf(coalition.Invalid, "malformed multipart body")
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return "", nil, coalition.FieldError("file", "the form has no file field")
			}
			if err != nil {
				return "", nil, tooBig(err)
			}
			if part.FormName() != "file" {
				continue
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return "", nil, tooBig(err)
			}
			name := part.FileName()
			if name == "" {
				name = "upload"
			}
			return name, data, nil
		}
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return "", nil, tooBig(err)
	}
	name := r.URL.Query().Get("file")
	if name == "" {
		name = "upload"
	}
	return strings.TrimSpace(name), data, nil
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
