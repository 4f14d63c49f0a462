package brief_test

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"coalition/brief"
)

var (
	streamRE = regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`)
	showRE   = regexp.MustCompile(`(?s)\(((?:\\.|[^\\)])*)\)Tj`)
)

// pdfText is the text a PDF shows, read back from its content streams:
// each stream inflated, each string shown with Tj unescaped and decoded
// from UTF-16BE (as fpdf writes text in an embedded UTF-8 font).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	var out strings.Builder
	for _, m := range streamRE.FindAllSubmatch(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // a font or image stream that is not text
		}
		content, err := io.ReadAll(zr)
		if err != nil {
			continue
		}
		for _, s := range showRE.FindAllSubmatch(content, -1) {
			out.WriteString(utf16BE(unescapePDF(s[1])))
			out.WriteString("\n")
		}
	}
	return out.String()
}

func unescapePDF(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			i++
		}
		out = append(out, b[i])
	}
	return out
}

func utf16BE(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(u))
}

// pdfPages counts a PDF's page objects.
func pdfPages(pdf []byte) int {
	return len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(pdf, -1))
}

// TestPDF: the PDF is a PDF, of one or two pages on both papers, with its
// fonts embedded and the headline figures in its text.
func TestPDF(t *testing.T) {
	for _, paper := range []string{brief.PaperA4, brief.PaperLetter} {
		t.Run(paper, func(t *testing.T) {
			var buf bytes.Buffer
			if err := brief.Render(&buf, brief.FormatPDF, paper, fixture()); err != nil {
				t.Fatal(err)
			}
			pdf := buf.Bytes()
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
				t.Fatalf("not a PDF: %.20q … %.20q", pdf, pdf[max(0, len(pdf)-20):])
			}
			if n := pdfPages(pdf); n < 1 || n > 2 {
				t.Errorf("%d pages, want 1 or 2", n)
			}
			if !bytes.Contains(pdf, []byte("/FontFile2")) {
				t.Errorf("no embedded font")
			}
			text := pdfText(t, pdf)
			for _, want := range []string{"Brief: Coalition of the willing (2025) (COW2025)", "Net gap: €60.00 bn", "Need: €90.00 bn",
				"Computed for: anonymous reader; public records only", "Assumptions", "Sources"} {
				if !strings.Contains(text, want) {
					t.Errorf("PDF text lacks %q:\n%s", want, text)
				}
			}
		})
	}
	t.Run("text beyond the BMP", func(t *testing.T) {
		rep := fixture()
		rep.Engagements.Past[0].Title = "Leaders' call 🇺🇦"
		rep.Changes.Items[0].What = "air-defence 🇺🇦"
		var buf bytes.Buffer
		if err := brief.PDF(&buf, rep, brief.PaperA4); err != nil {
			t.Fatal(err)
		}
		if text := pdfText(t, buf.Bytes()); !strings.Contains(text, "Leaders' call ??") {
			t.Errorf("the flag is not written as ??:\n%s", text)
		}
	})
	t.Run("country", func(t *testing.T) {
		var buf bytes.Buffer
		if err := brief.PDF(&buf, countryFixture(), brief.PaperA4); err != nil {
			t.Fatal(err)
		}
		if text := pdfText(t, buf.Bytes()); !strings.Contains(text, "Total: €1.20 bn") {
			t.Errorf("country PDF lacks its total:\n%s", text)
		}
	})
}
