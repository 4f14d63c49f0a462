package http

import (
	"strings"
	"testing"
)

// TestBriefPage: /brief is a printable page without scripts, Markdown on
// ?format=md; bad parameters are 400s naming them; the coalition and
// country pages link to it.
func TestBriefPage(t *testing.T) {
	h, _ := newUIServer(t)
	t.Run("html", func(t *testing.T) {
		w := get(t, h, "/brief?coalition=COW2025&as_of=2026-12-06&since=2026-11-01")
		if w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		body := w.Body.String()
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("content type %q", ct)
		}
		for _, want := range []string{"Headline: 2026-12..2027-11", "Computed for: anonymous reader; public records only", "@page"} {
			if !strings.Contains(body, want) {
				t.Errorf("brief lacks %q", want)
			}
		}
		if strings.Contains(body, "<script") {
			t.Errorf("the brief carries a script")
		}
	})
	t.Run("markdown", func(t *testing.T) {
		w := get(t, h, "/brief?country=GBR&as_of=2026-12-06&format=md")
		if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "# Brief: United Kingdom") {
			t.Fatalf("%d %.200s", w.Code, w.Body)
		}
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/markdown") {
			t.Errorf("content type %q", ct)
		}
	})
	t.Run("pdf", func(t *testing.T) {
		w := get(t, h, "/brief?coalition=COW2025&as_of=2026-12-06&format=pdf&paper=Letter")
		if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "%PDF-") {
			t.Fatalf("%d %.40q", w.Code, w.Body)
		}
		if ct := w.Header().Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("content type %q", ct)
		}
	})
	for _, tc := range []struct{ query, field string }{
		{"coalition=NOPE", "coalition"},
		{"country=ZZZ", "country"},
		{"coalition=COW2025&as_of=2026-11-01&since=2026-12-01", "since"},
		{"coalition=COW2025&since=yesterday", "since"},
		{"coalition=COW2025&format=docx", "format"},
		{"coalition=COW2025&format=pdf&paper=A5", "paper"},
		{"", "coalition"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			w := get(t, h, "/brief?"+tc.query)
			if w.Code != 400 || !strings.Contains(w.Body.String(), `"field":"`+tc.field+`"`) {
				t.Errorf("%d %s, want 400 naming %s", w.Code, w.Body, tc.field)
			}
		})
	}
	for _, page := range []string{"/coalitions/COW2025", "/countries/AUS"} {
		if body := get(t, h, page).Body.String(); !strings.Contains(body, `href="/brief?`) {
			t.Errorf("%s has no Brief link", page)
		}
	}
}
