package http

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserBriefPrint: /brief printed to PDF by headless Chromium on A4
// and on US Letter (the print stylesheet's @page, margins and the annex's
// page break) takes one or two pages for a coalition, and a country
// profile; the page has no script.
func TestBrowserBriefPrint(t *testing.T) {
	ctx := browser(t)
	h, _ := newUIServer(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	dir := artifactDir(t)
	pageRE := regexp.MustCompile(`/Type\s*/Page[^s]`)
	for _, tc := range []struct {
		name, path    string
		width, height float64 // inches
	}{
		{"coalition-A4", "/brief?coalition=COW2025&as_of=2026-12-06&since=2026-11-01", 8.27, 11.69},
		{"coalition-Letter", "/brief?coalition=COW2025&as_of=2026-12-06&since=2026-11-01", 8.5, 11},
		// The week after the Paris meeting: changes, engagements and risks.
		{"coalition-2025-A4", "/brief?coalition=COW2025&as_of=2025-09-10&since=2025-08-01", 8.27, 11.69},
		{"coalition-2025-Letter", "/brief?coalition=COW2025&as_of=2025-09-10&since=2025-08-01", 8.5, 11},
		{"country-A4", "/brief?country=GBR&as_of=2026-12-06", 8.27, 11.69},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pdf, shot []byte
			var scripts int
			err := chromedp.Run(ctx,
				chromedp.Navigate(srv.URL+tc.path),
				chromedp.WaitVisible("h1", chromedp.ByQuery),
				chromedp.Evaluate(`document.scripts.length`, &scripts),
				chromedp.FullScreenshot(&shot, 100),
				chromedp.ActionFunc(func(ctx context.Context) error {
					var err error
					pdf, _, err = cdppage.PrintToPDF().WithPaperWidth(tc.width).WithPaperHeight(tc.height).WithPrintBackground(false).Do(ctx)
					return err
				}))
			if err != nil {
				t.Fatal(err)
			}
			if scripts != 0 {
				t.Errorf("%d scripts in the brief", scripts)
			}
			if err := os.WriteFile(filepath.Join(dir, "brief-"+tc.name+".pdf"), pdf, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "brief-"+tc.name+".png"), shot, 0o644); err != nil {
				t.Fatal(err)
			}
			if n := len(pageRE.FindAll(pdf, -1)); n < 1 || n > 2 {
				t.Errorf("printed to %d pages, want 1 or 2", n)
			}
		})
	}
}
