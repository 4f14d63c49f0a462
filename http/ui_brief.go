package http

import (
	"bytes"
	"net/http"

	"coalition"
	"coalition/brief"
	"coalition/report"
)

// briefPage is GET /brief?coalition=COW2025|country=ISO3[&since=…][&as_of=…][&format=md]:
// the meeting pack as one printable HTML page (or Markdown), computed by
// report.Brief for the user asking, exactly as `coalition brief`.
func (s *server) briefPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	opt := report.BriefOptions{Coalition: q.Get("coalition"), Country: q.Get("country")}
	var err error
	if opt.Since, err = optionalQueryDate("since", q.Get("since")); err != nil {
		return err
	}
	if opt.AsOf, err = optionalQueryDate("as_of", q.Get("as_of")); err != nil {
		return err
	}
	if opt.AsOf.IsZero() {
		opt.AsOf = coalition.DateOf(s.now().UTC())
	}
	format := q.Get("format")
	if format == "" {
		format = brief.FormatHTML
	}
	if format != brief.FormatHTML && format != brief.FormatMarkdown {
		return coalition.FieldError("format", "%q is not one of html, md", format)
	}
	rep, err := report.Brief(r.Context(), s.store, opt)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := brief.Render(&buf, format, rep); err != nil {
		return err
	}
	ct := "text/html; charset=utf-8"
	if format == brief.FormatMarkdown {
		ct = "text/markdown; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	_, err = w.Write(buf.Bytes())
	return err
}

// optionalQueryDate reads a YYYY-MM-DD parameter; empty is the zero date.
func optionalQueryDate(field, v string) (coalition.Date, error) {
	if v == "" {
		return coalition.Date{}, nil
	}
	d, err := coalition.ParseDate(v)
	if err != nil {
		return coalition.Date{}, coalition.FieldError(field, "%v", err)
	}
	return d, nil
}
