package http

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"coalition"
	"coalition/exporter"
)

// getExport serves /api/v1/export/{what}?format=csv|xlsx|json (or the
// Accept header) with the same filters as the CLI. The store returns only
// what the requesting user may see.
func (s *server) getExport(w http.ResponseWriter, r *http.Request) error {
	what := r.PathValue("what")
	format := strings.TrimSpace(r.URL.Query().Get("format"))
	if format == "" {
		accept := r.Header.Get("Accept")
		switch {
		case strings.Contains(accept, "spreadsheetml"):
			format = "xlsx"
		case strings.Contains(accept, "application/json"):
			format = "json"
		default:
			format = "csv"
		}
	}
	f := exporter.Filters{}
	for _, k := range []string{"donor", "category", "type", "status", "from", "to", "since", "until", "group", "country", "kind", "topic"} {
		if v := strings.TrimSpace(r.URL.Query().Get(k)); v != "" {
			f[k] = v
		}
	}
	// The export streams into a temporary file, so that a failure becomes
	// a problem, not half a file, and memory does not grow with the export.
	tmp, err := os.CreateTemp("", "coalition-export-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := exporter.Export(r.Context(), s.store, what, format, f, bw); err != nil {
		var ce *coalition.Error
		if errors.As(err, &ce) && ce.Field == "what" {
			return coalition.Errorf(coalition.NotFound, "no export %q: want one of %s", what, strings.Join(exporter.What, ", "))
		}
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	w.Header().Set("Content-Type", exporter.ContentType(format))
	w.Header().Set("Content-Disposition", `attachment; filename="`+what+"."+format+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Accept, Authorization, Cookie")
	_, err = io.Copy(w, tmp)
	return err
}
