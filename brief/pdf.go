package brief

import (
	"bufio"
	"bytes"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"coalition"
	"coalition/report"
)

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
	if err := Markdown(&md, rep); err != nil {
		return err
	}
	p := &pdfDoc{f: fpdf.New("P", "mm", paper, "")}
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
	f     *fpdf.Fpdf
	table [][]string
	annex bool // in the assumptions and sources: smaller type
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
	case strings.HasPrefix(s, "# "):
		p.f.SetFont("go", "B", 14)
		p.f.MultiCell(0, 6.5, plain(s[2:]), "", "L", false)
	case strings.HasPrefix(s, "## "):
		p.annex = s == "## Assumptions" || s == "## Sources"
		p.f.Ln(1.5)
		p.f.SetFont("go", "B", 10.5)
		p.f.MultiCell(0, 5.5, plain(s[3:]), "B", "L", false)
		p.f.Ln(0.8)
	case s == "":
		p.f.Ln(1.2)
	case p.annex:
		p.f.SetFont("go", "", 6.5)
		p.f.MultiCell(0, 2.9, plain(s), "", "L", false)
	default:
		p.f.SetFont("go", "", 8.5)
		p.f.MultiCell(0, 3.8, plain(s), "", "L", false)
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
	p.f.SetFont("go", "", 7.5)
	left, _, right, bottom := p.f.GetMargins()
	pageW, pageH := p.f.GetPageSize()
	widths := columnWidths(p.f, rows, pageW-left-right)
	const lh = 3.4
	for i, row := range rows {
		style := ""
		if i == 0 {
			style = "B"
		}
		p.f.SetFont("go", style, 7.5)
		lines := 1
		for j, c := range row {
			if j < len(widths) {
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
	for _, row := range rows {
		for j, c := range row {
			if j < n {
				need[j] = max(need[j], f.GetStringWidth(c)+2)
			}
		}
	}
	total := 0.0
	for _, v := range need {
		total += v
	}
	out := make([]float64, n)
	for j := range need {
		out[j] = need[j]
		if total > width {
			out[j] = max(width/float64(n)/10, need[j]*width/total)
		}
	}
	return out
}
