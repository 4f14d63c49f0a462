package brief_test

import (
	"strings"
	"testing"

	"coalition"
	"coalition/brief"
	"coalition/report"
)

// An engagement whose source is graded unverified is marked on its line of
// the brief, even when the title is cut to fit (issue 15 §4); a verified
// one is not.
func TestEngagementLineMarksUnverified(t *testing.T) {
	d, _ := coalition.ParseDate("2025-08-17")
	long := strings.Repeat("Virtual coalition-of-the-willing meeting after the Alaska summit ", 3)
	g := report.BriefEngagement{Date: d, Kind: "meeting", Title: long,
		Source: "UNVERIFIED (only a content farm found) ; https://example.org/a", SourceUnverified: true}
	line := brief.EngagementLine(g)
	if !strings.Contains(line, "(source unverified) — source: ") {
		t.Errorf("unverified engagement line lacks its mark: %q", line)
	}
	g.SourceUnverified = false
	g.Source = "https://kyivindependent.com/x"
	if line := brief.EngagementLine(g); strings.Contains(line, "unverified") {
		t.Errorf("verified engagement line is marked: %q", line)
	}
}
