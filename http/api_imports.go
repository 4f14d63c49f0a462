package http

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"coalition"
	"coalition/importer"
)

// maxImportBody is the largest file the API imports; larger files go through the CLI.
const maxImportBody = 64 << 20

// importResult is the report of POST /api/v1/imports.
type importResult struct {
	Format    string               `json:"format"`
	File      string               `json:"file"`
	SHA256    string               `json:"sha256"`
	Bytes     int                  `json:"bytes"`
	DryRun    bool                 `json:"dry_run"`
	Committed bool                 `json:"committed"`
	Stats     importer.Stats       `json:"stats"`
	Result    coalition.LoadReport `json:"result"`
}

// postImport imports one uploaded file (multipart field "file", or the raw
// body) of ?format=kiel-csv|kiel-xlsx|iati|fts|csv in one transaction: all of
// it, or nothing with a 400 problem listing every row error.
func (s *server) postImport(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	format := p.str("format")
	switch format {
	case "kiel-csv", "kiel-xlsx", "iati", "fts", "csv":
	default:
		p.fail("format", "%q: want kiel-csv, kiel-xlsx, iati, fts or csv", format)
	}
	dry := p.str("dry_run") == "1" || p.str("dry_run") == "true"
	if p.err != nil {
		return p.err
	}
	name, data, err := readUpload(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	countries, err := s.store.FindCountries(ctx, coalition.CountryFilter{})
	if err != nil {
		return err
	}
	user := "anonymous"
	if u := coalition.UserFrom(ctx); u != nil {
		user = u.Email
	}
	sum, _ := importer.HashFile(bytes.NewReader(data))
	opt := importer.Options{File: name, SHA256: sum, Source: p.str("source"), User: user, ImportedAt: time.Now().UTC(),
		Recipient: p.str("recipient"), Names: importer.NewNames(countries),
		FX: importer.NewFXLookup(func(cur string, m coalition.Month) (*coalition.FXRate, error) { return s.store.FindRate(ctx, cur, m) })}
	if d := p.str("as_of"); d != "" {
		if opt.AsOf, err = coalition.ParseDate(d); err != nil {
			return coalition.FieldError("as_of", "%v", err)
		}
	}
	var c importer.Collect
	st, err := runImporter(ctx, format, p.str("kind"), bytes.NewReader(data), opt, &c)
	if err != nil {
		if es, ok := importer.AsErrors(err); ok {
			return writeRowErrors(w, es)
		}
		return err
	}
	if len(c.Deliveries)+len(c.Requirements) > 0 {
		return coalition.Errorf(coalition.Invalid, "deliveries and requirements are imported with the CLI (coalition import); this file has %d", len(c.Deliveries)+len(c.Requirements))
	}
	ds := &coalition.Dataset{Pledges: c.Pledges, Engagements: c.Engagements, RiskEvents: c.RiskEvents}
	rep, err := s.store.Load(ctx, ds, dry)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, importResult{Format: format, File: name, SHA256: sum, Bytes: len(data), DryRun: dry, Committed: !dry, Stats: st, Result: rep})
}

func runImporter(ctx context.Context, format, kind string, r io.Reader, opt importer.Options, sink importer.Sink) (importer.Stats, error) {
	switch format {
	case "kiel-csv":
		return importer.KielCSVTo(ctx, r, opt, sink)
	case "kiel-xlsx":
		return importer.KielXLSX(ctx, r, opt, sink)
	case "iati":
		return importer.IATI(ctx, r, opt, sink)
	case "fts":
		return importer.FTS(ctx, r, opt, sink)
	}
	return importer.CSV(ctx, r, kind, opt, sink)
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
