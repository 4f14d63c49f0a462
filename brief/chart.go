package brief

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"coalition/report"
)

// A chart of the brief is drawn once, as shapes in millimetres, and then
// written as SVG (the HTML) or onto the PDF page, so that the two cannot
// differ. Colours are docs/palette.md's: covered bluish green, gap
// vermillion, attribution blue, noise black.
const (
	colCovered = "#009E73"
	colGap     = "#D55E00"
	colAttrib  = "#0072B2"
	colInk     = "#222222"
	colGrid    = "#999999"

	chartW    = 180.0 // mm: the text width of A4 with 15 mm margins
	chartRow  = 4.6   // mm per bar
	chartBar  = 3.2   // mm bar thickness
	chartFont = 2.5   // mm text height (about 7 pt)
	labelW    = 26.0  // mm for the row labels
	valueW    = 64.0  // mm for the value text after the bars
)

// shape is one element of a chart: a filled rectangle, a line or a text.
type shape struct {
	kind       string // "rect", "line", "text"
	x, y, w, h float64
	x2, y2     float64
	text       string
	anchor     string // text: "start", "middle", "end"
	color      string
}

// chart is a titled drawing of width W and height H (mm) and the
// description a screen reader gets.
type chart struct {
	Title  string
	Desc   string
	W, H   float64
	shapes []shape
}

func (c *chart) rect(x, y, w, h float64, color string) {
	if w < 0 {
		x, w = x+w, -w
	}
	c.shapes = append(c.shapes, shape{kind: "rect", x: x, y: y, w: w, h: h, color: color})
}

func (c *chart) line(x, y, x2, y2 float64, color string) {
	c.shapes = append(c.shapes, shape{kind: "line", x: x, y: y, x2: x2, y2: y2, color: color})
}

func (c *chart) text(x, y float64, s, anchor string) {
	c.shapes = append(c.shapes, shape{kind: "text", x: x, y: y, text: s, anchor: anchor, color: colInk})
}

// coverageChart draws each category's need as a bar split into what is
// covered (pledged, up to the need) and the net gap; nil without gaps.
func coverageChart(gaps []report.BriefGap) *chart {
	if len(gaps) == 0 {
		return nil
	}
	top := 0.0
	for _, g := range gaps {
		top = max(top, g.NeedEUR, g.PledgedEUR)
	}
	if top <= 0 {
		return nil
	}
	barW := chartW - labelW - valueW
	c := &chart{Title: "Need by category: covered and net gap", W: chartW, H: float64(len(gaps))*chartRow + 1}
	var desc []string
	for i, g := range gaps {
		y := float64(i)*chartRow + (chartRow-chartBar)/2
		covered := min(g.PledgedEUR, g.NeedEUR)
		c.text(labelW-1.5, y+chartBar*0.8, g.Category, "end")
		c.rect(labelW, y, barW*covered/top, chartBar, colCovered)
		c.rect(labelW+barW*covered/top, y, barW*g.NetGapEUR/top, chartBar, colGap)
		share := 0.0
		if g.NeedEUR > 0 {
			share = covered / g.NeedEUR
		}
		v := fmt.Sprintf("need %s · covered %s · gap %s", eur(g.NeedEUR), pct(share), eur(g.NetGapEUR))
		c.text(labelW+barW+1.5, y+chartBar*0.8, v, "start")
		desc = append(desc, g.Category+" "+v)
	}
	c.line(labelW, 0, labelW, c.H-1, colGrid)
	c.Desc = strings.Join(desc, "; ")
	return c
}

// riskChart draws each member's attribution (the expected shortfall its
// events add) as a bar from zero, with a whisker of ± its noise; nil when
// no member has one.
func riskChart(rows []report.BriefRiskRow) *chart {
	top := 0.0
	for _, r := range rows {
		if r.Attribution != nil {
			top = max(top, math.Abs(*r.Attribution)+r.NoiseEUR)
		}
	}
	if top <= 0 {
		return nil
	}
	barW := chartW - labelW - valueW
	zero := labelW + barW/2
	scale := barW / 2 / top
	c := &chart{Title: "Attribution of the expected shortfall to each member's events, with ± the simulation's noise", W: chartW, H: float64(len(rows))*chartRow + 1}
	var desc []string
	for i, r := range rows {
		if r.Attribution == nil {
			continue
		}
		a := *r.Attribution
		y := float64(i)*chartRow + (chartRow-chartBar)/2
		c.text(labelW-1.5, y+chartBar*0.8, r.ISO3, "end")
		c.rect(zero, y, a*scale, chartBar, colAttrib)
		mid := y + chartBar/2
		c.line(zero+(a-r.NoiseEUR)*scale, mid, zero+(a+r.NoiseEUR)*scale, mid, colInk)
		c.line(zero+(a-r.NoiseEUR)*scale, mid-1, zero+(a-r.NoiseEUR)*scale, mid+1, colInk)
		c.line(zero+(a+r.NoiseEUR)*scale, mid-1, zero+(a+r.NoiseEUR)*scale, mid+1, colInk)
		v := fmt.Sprintf("%s ± %s%s", signed(a), eur(r.NoiseEUR), Noise(r))
		c.text(labelW+barW+1.5, y+chartBar*0.8, v, "start")
		desc = append(desc, r.ISO3+" "+v)
	}
	c.line(zero, 0, zero, c.H-1, colGrid)
	c.Desc = strings.Join(desc, "; ")
	return c
}

// SVG writes the chart as an inline SVG element in millimetres, with its
// title and description for screen readers; no script, no style attribute
// (the brief's Content Security Policy allows neither).
func (c *chart) SVG() template.HTML {
	if c == nil {
		return ""
	}
	esc := template.HTMLEscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.1f %.1f" width="%.1fmm" height="%.1fmm"><title>%s</title><desc>%s</desc>`,
		c.W, c.H, c.W, c.H, esc(c.Title), esc(c.Desc))
	for _, s := range c.shapes {
		switch s.kind {
		case "rect":
			fmt.Fprintf(&b, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s"/>`, s.x, s.y, s.w, s.h, s.color)
		case "line":
			fmt.Fprintf(&b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="%s" stroke-width="0.25"/>`, s.x, s.y, s.x2, s.y2, s.color)
		case "text":
			fmt.Fprintf(&b, `<text x="%.2f" y="%.2f" font-size="%.2f" font-family="sans-serif" text-anchor="%s" fill="%s">%s</text>`,
				s.x, s.y, chartFont, s.anchor, s.color, esc(s.text))
		}
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}
