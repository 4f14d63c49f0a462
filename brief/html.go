package brief

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"coalition/report"
)

//go:embed brief.html.tmpl
var htmlSource string

// page is parsed once: the template is part of the binary.
var page = template.Must(template.New("brief").Funcs(template.FuncMap{
	"eur":     eur,
	"pct":     pct,
	"pts":     func(v float64) string { return fmt.Sprintf("%.2f%%", v) },
	"join":    strings.Join,
	"largest": LargestCategory,
	"noise":   Noise,
	"deref": func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	},
}).Parse(htmlSource))

// HTML writes rep as one printable page (A4 or US Letter, no JavaScript).
func HTML(w io.Writer, rep *report.BriefReport) error {
	return page.Execute(w, rep)
}
