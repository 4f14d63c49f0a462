package brief

import (
	"fmt"
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

// signed formats a change in euros with its sign: "+€1.20 bn", "−€300.0 m",
// "±€0".
func signed(v float64) string {
	switch {
	case v > 0:
		return "+" + eur(v)
	case v < 0:
		return "−" + eur(-v)
	}
	return "±€0"
}

// ChangeLine says how the headline changed since the last meeting: now −
// then, for the same period, from the records as they stood the day before
// the since date.
func ChangeLine(h *report.BriefHeadline) string {
	t := h.Then
	return fmt.Sprintf("Change since %s (the records as they stood at the end of %s: need %s, covered %s, net gap %s): need %s, covered %s, net gap %s",
		t.AsOf.Time().AddDate(0, 0, 1).Format("2006-01-02"), t.AsOf, eur(t.NeedEUR), eur(t.CoveredEUR), eur(t.NetGapEUR),
		signed(h.NeedEUR-t.NeedEUR), signed(h.CoveredEUR-t.CoveredEUR), signed(h.NetGapEUR-t.NetGapEUR))
}

// AsksLine introduces the fair-share asks: what the plan shares and how.
func AsksLine(a *report.BriefAsks) string {
	return fmt.Sprintf("Fair-share asks: the scenario engine's plan for the %s of monthly shortfalls (no withdrawal; by GDP among %d joined members, each capped at %.1f%% of GDP a year): asked %s, left open by the caps %s.",
		eur(a.GapEUR), a.Members, a.CapPctGDP, eur(a.AskedEUR), eur(a.UnfilledEUR))
}
