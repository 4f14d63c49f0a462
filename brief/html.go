package brief

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"coalition/report"
)

//go:embed brief.html.tmpl
var htmlSource string

// style is the brief's stylesheet, inline so that the page (and a saved
// copy of it) prints alike anywhere; StyleCSP lets it through a Content
// Security Policy by its hash and nothing else.
//
//go:embed brief.css
var style string

// StyleCSP is the CSP source of the inline stylesheet: 'sha256-…'.
var StyleCSP = func() string {
	sum := sha256.Sum256([]byte(style))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

// page is parsed once, on first use (not at start: every command would pay
// for it): the template is part of the binary.
var page = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("brief").Funcs(pageFuncs).Parse(htmlSource))
})

var pageFuncs = template.FuncMap{
	"style":   func() template.CSS { return template.CSS(style) },
	"eur":     eur,
	"pct":     pct,
	"pts":     func(v float64) string { return fmt.Sprintf("%.2f%%", v) },
	"join":    strings.Join,
	"largest": LargestCategory,
	"noise":   Noise,
	"change":  ChangeLine,
	"asks":    AsksLine,
	"units": func(v any) string {
		switch x := v.(type) {
		case int64:
			return units(float64(x))
		case float64:
			return units(x)
		}
		return fmt.Sprint(v)
	},
	"peers":      peers,
	"stages":     StageLine,
	"systems":    SystemsLine,
	"signed":     signed,
	"thenDay":    thenDay,
	"engagement": EngagementLine,
	"inc":        func(i int) int { return i + 1 },
	"changeSources": func(items []report.BriefChange) struct{ Refs, List []string } {
		refs, list := ChangeSources(items)
		return struct{ Refs, List []string }{refs, list}
	},
	"coverageSVG": func(g []report.BriefGap) template.HTML { return coverageChart(g).SVG() },
	"riskSVG":     func(r []report.BriefRiskRow) template.HTML { return riskChart(r).SVG() },
	"deref": func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	},
}

// HTML writes rep as one printable page (A4 or US Letter, no JavaScript).
func HTML(w io.Writer, rep *report.BriefReport) error {
	return page().Execute(w, rep)
}
