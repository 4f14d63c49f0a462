package http

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"coalition"
	"coalition/internal/check"
	"coalition/report"
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

// TestBriefOneAnswer: the brief's headline and its change since are what
// GET /api/v1/coverage answers with records_as_of (the as-of day, and the
// day before the since date) for the same period, for the same reader.
func TestBriefOneAnswer(t *testing.T) {
	h, st := newUIServer(t)
	rep, err := report.Brief(context.Background(), st, report.BriefOptions{Coalition: "COW2025",
		AsOf: coalition.Date{Y: 2025, M: time.September, D: 10}, Since: coalition.Date{Y: 2025, M: time.August, D: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		day  string
		want float64
	}{{"2025-09-10", rep.Headline.NetGapEUR}, {"2025-07-31", rep.Headline.Then.NetGapEUR}} {
		w := get(t, h, "/api/v1/coverage?coalition=COW2025&from=2025-09&to=2026-08&records_as_of="+tc.day)
		if w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		var cov struct {
			NetGapEUR float64 `json:"net_gap_eur"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &cov); err != nil {
			t.Fatal(err)
		}
		check.Facts(t, check.Eq("net gap with the records of "+tc.day, cov.NetGapEUR, tc.want))
	}
	if w := get(t, h, "/api/v1/coverage?records_as_of=yesterday"); w.Code != 400 || !strings.Contains(w.Body.String(), `"field":"records_as_of"`) {
		t.Errorf("bad records_as_of: %d %s", w.Code, w.Body)
	}
}
