package http

import (
	"bytes"
	"net/http"
	"net/url"

	"coalition"
	"coalition/brief"
	"coalition/report"
)

// briefPage is GET /brief?coalition=COW2025|country=ISO3[&since=…][&as_of=…][&format=md|pdf][&paper=Letter]:
// the meeting pack as one printable HTML page (or Markdown, or PDF),
// computed by report.Brief for the user asking, exactly as `coalition brief`.
func (s *server) briefPage(w http.ResponseWriter, r *http.Request) error {
	q, err := s.briefQuery(r.URL.Query())
	if err != nil {
		return err
	}
	rep, err := report.Brief(r.Context(), s.store, q.opt)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := brief.Render(&buf, q.format, q.paper, rep); err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentTypes[q.format])
	// The brief is one self-contained page: its inline stylesheet, by hash,
	// and nothing else (no script, no other source).
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src "+brief.StyleCSP+"; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	if q.format == brief.FormatPDF {
		w.Header().Set("Content-Disposition", `inline; filename="brief-`+rep.Code+`.pdf"`)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// briefParams are a brief request's parameters, checked.
type briefParams struct {
	opt           report.BriefOptions
	format, paper string
}

// briefQuery reads and checks the parameters before anything is computed;
// the as-of date defaults to today (UTC), the format to HTML, the paper to A4.
func (s *server) briefQuery(q url.Values) (briefParams, error) {
	p := briefParams{opt: report.BriefOptions{Coalition: q.Get("coalition"), Country: q.Get("country")},
		format: q.Get("format"), paper: q.Get("paper")}
	var err error
	if p.opt.Since, err = optionalQueryDate("since", q.Get("since")); err != nil {
		return p, err
	}
	if p.opt.AsOf, err = optionalQueryDate("as_of", q.Get("as_of")); err != nil {
		return p, err
	}
	if p.opt.AsOf.IsZero() {
		p.opt.AsOf = coalition.DateOf(s.now().UTC())
	}
	if p.format == "" {
		p.format = brief.FormatHTML
	}
	if p.paper == "" {
		p.paper = brief.PaperA4
	}
	if p.paper != brief.PaperA4 && p.paper != brief.PaperLetter {
		return p, coalition.FieldError("paper", "%q is not one of A4, Letter", p.paper)
	}
	return p, brief.CheckFormat(p.format)
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
