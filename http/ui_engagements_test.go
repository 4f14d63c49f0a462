package http

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"coalition"
)

func TestTitleOnce(t *testing.T) {
	for _, c := range []struct{ title, summary, head, rest string }{
		// cut at 100 characters: the heading is the first clause in full
		{"White House meeting of Trump and Zelensky with Starmer…", "White House meeting of Trump and Zelensky with Starmer, Macron and Rutte; next steps.",
			"White House meeting of Trump and Zelensky with Starmer, Macron and Rutte", "Next steps."},
		// cut at the first colon: the rest follows
		{"NATO summit in Washington", "NATO summit in Washington: allies pledge EUR 40bn.", "NATO summit in Washington", "Allies pledge EUR 40bn."},
		// a cut inside brackets: the whole summary is the heading
		{"Denmark funds a package (reported split", "Denmark funds a package (reported split: Norway ~USD 146m).", "Denmark funds a package (reported split: Norway ~USD 146m).", ""},
		// a cut title with no clause after it
		{"A long sentence…", "A long sentence without any colon at all.", "A long sentence without any colon at all.", ""},
		// a title of its own stays, with the summary under it
		{"Call about AUKUS", "A call about the coalition.", "Call about AUKUS", "A call about the coalition."},
		{"", "Only a summary.", "Only a summary.", ""},
		{"Same", "Same", "Same", ""},
	} {
		head, rest := titleOnce(c.title, c.summary)
		if head != c.head || rest != c.rest {
			t.Errorf("titleOnce(%q, %q) = %q, %q; want %q, %q", c.title, c.summary, head, rest, c.head, c.rest)
		}
	}
}

// TestEngagementsTitlesOnce: on /engagements no heading is cut with "…"
// and no heading is repeated in the text under it (issue 21).
func TestEngagementsTitlesOnce(t *testing.T) {
	h, _ := newUIServer(t)
	page := get(t, h, "/engagements").Body.String()
	items := regexp.MustCompile(`(?s)<li class="event.*?</li>`).FindAllString(page, -1)
	if len(items) < 20 {
		t.Fatalf("%d engagements on the page, want the bundled timeline", len(items))
	}
	for _, it := range items {
		head := regexp.MustCompile(`<h3>(.*?)</h3>`).FindStringSubmatch(it)[1]
		if strings.HasSuffix(head, "…") {
			t.Errorf("heading cut: %q", head)
		}
		if m := regexp.MustCompile(`</h3><p>(.*?)</p>`).FindStringSubmatch(it); m != nil && strings.Contains(m[1], head) {
			t.Errorf("heading %q repeated under it: %q", head, m[1])
		}
	}
}

// TestEngagementUnverifiedMarked (issue 15 §4): an engagement whose source
// says UNVERIFIED is marked "(source unverified)" on /engagements (list,
// table and CSV), on the coalition and country pages and in the brief, and
// the API answers its source with the mark; a verified one is not marked.
func TestEngagementUnverifiedMarked(t *testing.T) {
	w := newAuthWorld(t)
	pages := []string{"/engagements", "/engagements?country=GBR", "/countries/GBR", "/coalitions/COW2025"}
	// The bundled rows are graded above unverified: nothing is marked yet.
	for _, path := range pages {
		if _, body, _ := w.do(t, "", "GET", path, ""); strings.Contains(string(body), "(source unverified)") {
			t.Errorf("%s: a bundled engagement is marked unverified", path)
		}
	}
	const title = "Call on air defence with an unsourced outcome"
	const src = "UNVERIFIED (only a blog found) ; https://example.org/post"
	status, resp, _ := w.do(t, "delegate-GBR", "POST", "/api/v1/engagements",
		`{"date":"2026-01-20","kind":"call","title":"`+title+`","participants":[{"iso3":"GBR"},{"iso3":"UKR"}],"source":"`+src+`"}`)
	if status != http.StatusCreated {
		t.Fatalf("POST: %d %s", status, resp)
	}
	id := idOf(t, resp)
	var e coalition.Engagement
	_, body, _ := w.do(t, "", "GET", "/api/v1/engagements/"+itoa(id), "")
	if err := json.Unmarshal(body, &e); err != nil || e.Source != src || !e.SourceUnverified() {
		t.Errorf("GET the engagement: source %q (%v), want %q with its mark", e.Source, err, src)
	}
	var list struct {
		Items []coalition.Engagement `json:"items"`
	}
	_, body, _ = w.do(t, "", "GET", "/api/v1/engagements?country=GBR&from=2026-01-01", "")
	if err := json.Unmarshal(body, &list); err != nil || len(list.Items) != 1 || !strings.Contains(list.Items[0].Source, "UNVERIFIED") {
		t.Errorf("GET the list: %v %s, want the engagement with UNVERIFIED in its source", err, body)
	}
	marked := title + ` <span class="unverified">(source unverified)</span></h3>`
	for _, path := range pages {
		status, body, _ := w.do(t, "", "GET", path, "")
		if status != 200 || !strings.Contains(string(body), marked) {
			t.Errorf("%s: %d, the engagement is not marked unverified", path, status)
		}
	}
	_, body, _ = w.do(t, "", "GET", "/csv/engagements?country=GBR", "")
	if !strings.Contains(string(body), title+" (source unverified)") {
		t.Errorf("CSV: the engagement is not marked unverified:\n%s", body)
	}
	_, body, _ = w.do(t, "", "GET", "/brief?coalition=COW2025&as_of=2026-01-31&since=2026-01-01&format=md", "")
	if !strings.Contains(string(body), "(source unverified) — source: ") {
		t.Errorf("brief: the engagement is not marked unverified:\n%s", body)
	}
}
