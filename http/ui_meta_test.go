package http

import (
	"regexp"
	"strings"
	"testing"
)

// TestMetaDescriptions: every main page says in a meta description what a
// reader finds there; a country's or coalition's page names it.
func TestMetaDescriptions(t *testing.T) {
	h, _ := newUIServer(t)
	meta := regexp.MustCompile(`<meta name="description" content="([^"]+)">`)
	seen := map[string]string{}
	for _, c := range []struct{ path, want string }{
		{"/", "per donor and month"},
		{"/donors", "share of GDP"},
		{"/countries/DEU", "Germany:"},
		{"/coalitions", "Coalitions of the willing"},
		{"/coalitions/1", "Coalition of the willing (2025):"},
		{"/engagements", "timeline"},
		{"/scenarios", "withdraws"},
		{"/targets", "3.5% core defence"},
		{"/equipment", "system per donor"},
		{"/login", "Coalition:"},
	} {
		w := get(t, h, c.path)
		m := meta.FindStringSubmatch(w.Body.String())
		if w.Code != 200 || m == nil {
			t.Errorf("%s: status %d, meta description %v", c.path, w.Code, m)
			continue
		}
		if !strings.Contains(m[1], c.want) {
			t.Errorf("%s: description %q lacks %q", c.path, m[1], c.want)
		}
		if prev, dup := seen[m[1]]; dup && c.path != "/login" {
			t.Errorf("%s has the description of %s", c.path, prev)
		}
		seen[m[1]] = c.path
	}
}

// TestWideTablesAreLabelledRegions: a table that may scroll sideways sits
// in a region that the keyboard can reach (tabindex 0) and that its
// caption names (axe scrollable-region-focusable, WCAG 2.1.1).
func TestWideTablesAreLabelledRegions(t *testing.T) {
	h, _ := newUIServer(t)
	wrap := regexp.MustCompile(`<div class="table-wrap"[^>]*>`)
	labelled := regexp.MustCompile(`^<div class="table-wrap" role="region" tabindex="0" aria-labelledby="([^"]+)">$`)
	n := 0
	for _, path := range []string{"/", "/donors", "/countries/DEU", "/countries/UKR", "/coalitions/1", "/engagements", "/pledges/1", "/targets"} {
		body := get(t, h, path).Body.String()
		for _, tag := range wrap.FindAllString(body, -1) {
			n++
			m := labelled.FindStringSubmatch(tag)
			if m == nil {
				t.Errorf("%s: %s is not a labelled, focusable region", path, tag)
				continue
			}
			if !strings.Contains(body, `<caption id="`+m[1]+`">`) {
				t.Errorf("%s: no caption %s names the region", path, m[1])
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d wide tables found", n)
	}
}
