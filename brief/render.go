package brief

import (
	"fmt"
	"io"
	"math"
	"net/url"
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

// ChangeSources numbers the distinct sources of the changes in order
// ("S1", "S2", …): refs[i] is item i's, list the sources in number order,
// so that a source shared by many rows is written once.
func ChangeSources(items []report.BriefChange) (refs, list []string) {
	num := map[string]int{}
	for _, it := range items {
		if _, ok := num[it.Source]; !ok {
			list = append(list, it.Source)
			num[it.Source] = len(list)
		}
		refs = append(refs, fmt.Sprintf("S%d", num[it.Source]))
	}
	return refs, list
}

// thenDay is the day of the headline's "then" (empty without one).
func thenDay(h *report.BriefHeadline) string {
	if h.Then == nil {
		return ""
	}
	return h.Then.AsOf.String()
}

// cut shortens s to n characters with an ellipsis.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// EngagementLine is an engagement on one line of the brief: its date,
// kind, title and follow-up cut to fit, "(source unverified)" when its
// source is graded unverified (never cut off), and the start of its source
// (the whole source is in the brief's sources).
func EngagementLine(g report.BriefEngagement) string {
	s := fmt.Sprintf("%s %s: %s", g.Date, g.Kind, g.Title)
	if g.FollowUp != "" {
		s += " (" + g.FollowUp + ")"
	}
	mark := ""
	if g.SourceUnverified {
		mark = " (source unverified)"
	}
	return cut(s, 88) + mark + " — source: " + SourceHosts(strings.TrimSuffix(g.Source, "… (full source in the sources)"))
}

// SourceHosts cites a source on one line: the host of its first address
// and how many more it names ("pravda.com.ua +2"), or its first 40
// characters when it names none. The whole source is in the sources.
func SourceHosts(src string) string {
	var hosts []string
	for _, f := range strings.Fields(src) {
		u, err := url.Parse(strings.Trim(f, ";,()"))
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			hosts = append(hosts, strings.TrimPrefix(u.Host, "www."))
		}
	}
	if len(hosts) == 0 {
		return cut(src, 40)
	}
	if len(hosts) == 1 {
		return hosts[0]
	}
	return fmt.Sprintf("%s +%d", hosts[0], len(hosts)-1)
}

// peers says the peers' median share of GDP ("" without one).
func peers(c *report.BriefCountry) string {
	if c.PeerMedianPctGDP == nil {
		return ""
	}
	return fmt.Sprintf(" (their median %.3f%%)", *c.PeerMedianPctGDP)
}

// StageLine lists a country's support by stage.
func StageLine(st []report.BriefStage) string {
	parts := make([]string, 0, len(st))
	for _, s := range st {
		parts = append(parts, s.Stage+" "+eur(s.EUR))
	}
	return strings.Join(parts, ", ") + " (stages of the same support, not added)"
}

// SystemsLine names the largest systems with their units pledged and
// delivered.
func SystemsLine(rows []report.EquipmentRow) string {
	parts := make([]string, 0, len(rows))
	for _, r := range rows {
		parts = append(parts, fmt.Sprintf("%s %s pledged, %s delivered", r.System, units(float64(r.Pledged)), units(float64(r.Delivered))))
	}
	return strings.Join(parts, "; ")
}
