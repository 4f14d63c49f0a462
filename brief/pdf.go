package brief

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"coalition"
	"coalition/report"
)

// tableFont is the size of the PDF's tables, in points.
const tableFont = 7

// The paper sizes of a PDF brief.
const (
	PaperA4     = "A4"
	PaperLetter = "Letter"
)

// FormatPDF is the PDF format of Render (A4).
const FormatPDF = "pdf"

// PDF writes rep as a PDF on paper (PaperA4 or PaperLetter) with the Go
// fonts embedded, so that it looks the same everywhere. It lays out the
// Markdown brief: the same text, headings and tables, so that the two can
// never say different things.
func PDF(w io.Writer, rep *report.BriefReport, paper string) error {
	if paper != PaperA4 && paper != PaperLetter {
		return coalition.FieldError("paper", "%q is not one of A4, Letter", paper)
	}
	var md bytes.Buffer
	if err := markdown(&md, rep, true); err != nil {
		return err
	}
	p := &pdfDoc{f: fpdf.New("P", "mm", paper, ""), charts: map[string]*chart{}}
	if rep.Gaps != nil {
		p.charts["coverage"] = coverageChart(rep.Gaps)
	}
	if rep.Risk != nil {
		p.charts["risk"] = riskChart(rep.Risk.Members)
	}
	p.f.SetCreator("coalition brief", true)
	p.f.SetTitle("Brief: "+rep.Title+" ("+rep.Code+")", true)
	p.f.AddUTF8FontFromBytes("go", "", goregular.TTF)
	p.f.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	p.f.SetMargins(14, 14, 14)
	p.f.SetAutoPageBreak(true, 14)
	p.f.AddPage()
	sc := bufio.NewScanner(&md)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		p.line(sc.Text())
	}
	p.flushTable()
	if err := p.f.Error(); err != nil {
		return err
	}
	return p.f.Output(w)
}

// pdfDoc lays Markdown lines out on pages; a table's rows are gathered
// and drawn when it ends, so that column widths fit their text.
type pdfDoc struct {
	f      *fpdf.Fpdf
	table  [][]string
	annex  bool // in the assumptions and sources: smaller type
	charts map[string]*chart
}

// plain drops the Markdown marks that the PDF shows as type instead, and
// writes a character beyond the Basic Multilingual Plane (an emoji flag in
// a record's text), which fpdf's fonts cannot hold, as "?".
func plain(s string) string {
	s = strings.NewReplacer("**", "", "`", "", `\|`, "|").Replace(s)
	return strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return '?'
		}
		return r
	}, s)
}

func (p *pdfDoc) line(s string) {
	if strings.HasPrefix(s, "|") {
		if !strings.HasPrefix(s, "| ---") {
			p.table = append(p.table, splitRow(s))
		}
		return
	}
	p.flushTable()
	switch {
	case strings.HasPrefix(s, chartMark):
		p.drawChart(p.charts[strings.TrimPrefix(s, chartMark)])
	case s == "## Assumptions":
		// The annexes start the second page: the first holds the essentials.
		p.annex = true
		p.f.AddPage()
		p.f.SetFont("go", "B", 10)
		p.f.MultiCell(0, 4.8, plain(s[3:]), "B", "L", false)
		p.f.Ln(0.6)
	case strings.HasPrefix(s, "# "):
		p.f.SetFont("go", "B", 14)
		p.f.MultiCell(0, 6.5, plain(s[2:]), "", "L", false)
	case strings.HasPrefix(s, "## "):
		p.annex = s == "## Assumptions" || s == "## Sources"
		p.f.Ln(1)
		p.f.SetFont("go", "B", 10)
		p.f.MultiCell(0, 4.8, plain(s[3:]), "B", "L", false)
		p.f.Ln(0.6)
	case s == "":
		p.f.Ln(0.8)
	case p.annex:
		p.f.SetFont("go", "", 6.2)
		p.f.MultiCell(0, 2.7, plain(s), "", "L", false)
	default:
		p.f.SetFont("go", "", 8)
		p.f.MultiCell(0, 3.4, plain(s), "", "L", false)
	}
}

// splitRow splits a Markdown table row into its cells.
func splitRow(s string) []string {
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "| "), " |")
	cells := strings.Split(strings.ReplaceAll(s, `\|`, "\x00"), " | ")
	for i := range cells {
		cells[i] = plain(strings.ReplaceAll(cells[i], "\x00", `\|`))
	}
	return cells
}

// flushTable draws the gathered table: columns as wide as their longest
// text allows, cells wrapped, a row moved whole to the next page.
func (p *pdfDoc) flushTable() {
	if len(p.table) == 0 {
		return
	}
	rows := p.table
	p.table = nil
	p.f.SetFont("go", "", tableFont)
	left, _, right, bottom := p.f.GetMargins()
	pageW, pageH := p.f.GetPageSize()
	widths := columnWidths(p.f, rows, pageW-left-right)
	const lh = 3.1
	for i, row := range rows {
		style := ""
		if i == 0 {
			style = "B"
		}
		p.f.SetFont("go", style, tableFont)
		lines := 1
		for j, c := range row {
			// SplitText miscounts some lines that fit (with "€"): ask it
			// only of a text wider than its column.
			if j < len(widths) && p.f.GetStringWidth(c) > widths[j]-1 {
				lines = max(lines, len(p.f.SplitText(c, widths[j]-1)))
			}
		}
		h := float64(lines) * lh
		if p.f.GetY()+h > pageH-bottom {
			p.f.AddPage()
		}
		x, y := left, p.f.GetY()
		for j, c := range row {
			if j >= len(widths) {
				break
			}
			p.f.SetXY(x, y)
			p.f.MultiCell(widths[j], lh, c, "T", "L", false)
			x += widths[j]
		}
		p.f.SetXY(left, y+h)
	}
}

// columnWidths shares width among the columns by the length of their
// longest text, each at least a tenth of an even share.
func columnWidths(f *fpdf.Fpdf, rows [][]string, width float64) []float64 {
	n := len(rows[0])
	need := make([]float64, n)
	for i, row := range rows {
		style := ""
		if i == 0 {
			style = "B" // the header is bold, and wider
		}
		f.SetFont("go", style, tableFont)
		for j, c := range row {
			if j < n {
				need[j] = max(need[j], f.GetStringWidth(c)+2)
			}
		}
	}
	f.SetFont("go", "", tableFont)
	total := 0.0
	for _, v := range need {
		total += v
	}
	out := make([]float64, n)
	widest := 0
	for j := range need {
		out[j] = need[j]
		if need[j] > need[widest] {
			widest = j
		}
	}
	if rest := width - (total - need[widest]); total > width && rest >= 0.3*width {
		// The widest column (a text) wraps; the others keep their width.
		out[widest] = rest
		return out
	}
	for j := range need {
		if total > width {
			out[j] = max(width/float64(n)/10, need[j]*width/total)
		}
	}
	if total < width { // the last column takes the slack: no text is cut
		out[n-1] += width - total
	}
	return out
}

// drawChart draws c at the left margin below the text, on the next page
// when it does not fit on this one.
func (p *pdfDoc) drawChart(c *chart) {
	if c == nil {
		return
	}
	f := p.f
	left, _, _, bottom := f.GetMargins()
	_, pageH := f.GetPageSize()
	if f.GetY()+c.H > pageH-bottom {
		f.AddPage()
	}
	x0, y0 := left, f.GetY()
	f.SetLineWidth(0.25)
	for _, s := range c.shapes {
		r, g, b := hexColor(s.color)
		switch s.kind {
		case "rect":
			f.SetFillColor(r, g, b)
			f.Rect(x0+s.x, y0+s.y, s.w, s.h, "F")
		case "line":
			f.SetDrawColor(r, g, b)
			f.Line(x0+s.x, y0+s.y, x0+s.x2, y0+s.y2)
		case "text":
			f.SetFont("go", "", chartFont/0.3528)
			f.SetTextColor(r, g, b)
			x := x0 + s.x
			switch s.anchor {
			case "end":
				x -= f.GetStringWidth(plain(s.text))
			case "middle":
				x -= f.GetStringWidth(plain(s.text)) / 2
			}
			f.Text(x, y0+s.y, plain(s.text))
		}
	}
	f.SetTextColor(0, 0, 0)
	f.SetDrawColor(0, 0, 0)
	f.SetXY(left, y0+c.H+1)
}

// hexColor reads "#RRGGBB".
func hexColor(h string) (r, g, b int) {
	fmt.Sscanf(strings.TrimPrefix(h, "#"), "%02x%02x%02x", &r, &g, &b)
	return r, g, b
}
