package http

import (
	"regexp"
	"strings"
	"testing"
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
