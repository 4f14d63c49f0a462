package brief

import (
	"io"
	"math"
	"path/filepath"
	"strings"

	"coalition"
	"coalition/report"
)

// The formats a brief is written in.
const (
	FormatMarkdown = "md"
	FormatHTML     = "html"
)

// FormatOf is the format a file name asks for by its extension; Markdown
// when it names none the brief is written in.
func FormatOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm":
		return FormatHTML
	case ".pdf":
		return FormatPDF
	}
	return FormatMarkdown
}

// CheckFormat checks a format's name before anything is computed.
func CheckFormat(format string) error {
	switch format {
	case FormatMarkdown, FormatHTML, FormatPDF:
		return nil
	}
	return coalition.FieldError("format", "%q is not one of md, html, pdf", format)
}

// Render writes rep in format (md, html or pdf; paper matters only to the
// PDF); another format is Invalid.
func Render(w io.Writer, format, paper string, rep *report.BriefReport) error {
	switch format {
	case FormatMarkdown:
		return Markdown(w, rep)
	case FormatHTML:
		return HTML(w, rep)
	case FormatPDF:
		return PDF(w, rep, paper)
	}
	return CheckFormat(format)
}

// LargestCategory names the category with the largest ask, with its
// amount ("military €1.2 bn"); "–" for none.
func LargestCategory(by map[string]float64) string {
	best, v := "", 0.0
	for c, x := range by {
		if x > v || (x == v && c < best) {
			best, v = c, x
		}
	}
	if best == "" {
		return "–"
	}
	return best + " " + eur(v)
}

// Noise says when an attribution is within the simulation's noise.
func Noise(r report.BriefRiskRow) string {
	if r.Attribution != nil && math.Abs(*r.Attribution) < r.NoiseEUR {
		return ": within the noise"
	}
	return ""
}
