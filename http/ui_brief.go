package http

import (
	"bytes"
	"net/http"

	"coalition"
	"coalition/brief"
	"coalition/report"
)

// briefPage is GET /brief?coalition=COW2025|country=ISO3[&since=…][&as_of=…][&format=md|pdf][&paper=Letter]:
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
	if err := brief.CheckFormat(format); err != nil {
		return err
	}
	paper := q.Get("paper")
	if paper == "" {
		paper = brief.PaperA4
	}
	if paper != brief.PaperA4 && paper != brief.PaperLetter {
		return coalition.FieldError("paper", "%q is not one of A4, Letter", paper)
	}
	rep, err := report.Brief(r.Context(), s.store, opt)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := brief.Render(&buf, format, paper, rep); err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentTypes[format])
	if format == brief.FormatPDF {
		w.Header().Set("Content-Disposition", `inline; filename="brief-`+rep.Code+`.pdf"`)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// contentTypes are the brief's formats as media types.
var contentTypes = map[string]string{
	brief.FormatHTML:     "text/html; charset=utf-8",
	brief.FormatMarkdown: "text/markdown; charset=utf-8",
	brief.FormatPDF:      "application/pdf",
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
