package refdata

import (
	"strings"
	"testing"

	"coalition"
)

// TestForceRecord: the bundled record of the reassurance force parses into
// six lines and nine offers, every row with a dated source that links to
// its publisher (no wiki), and no number the public record lacks: the one
// headquarters of the force (its line and its Paris host) is the only
// quantity, and no personnel figure is given anywhere.
func TestForceRecord(t *testing.T) {
	lines, offers, err := ForceRecord()
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 6 || len(offers) != 9 {
		t.Fatalf("%d lines, %d offers; want 6 and 9", len(lines), len(offers))
	}
	sourced := func(ref, src, asOf string) {
		if !strings.Contains(src, "https://") && !strings.Contains(src, "http://") || strings.Contains(strings.ToLower(src), "wiki") {
			t.Errorf("%s: source %q does not link to its publisher", ref, src)
		}
		if _, err := coalition.ParseDate(asOf); err != nil {
			t.Errorf("%s: as_of %q: %v", ref, asOf, err)
		}
	}
	quantities := map[string]int64{}
	for _, l := range lines {
		sourced(l.Line.SourceRef, l.Line.Source, l.Line.AsOf)
		if l.Coalition != "COW2025" || l.Line.Visibility != coalition.Public {
			t.Errorf("%s: coalition %s, visibility %s", l.Line.SourceRef, l.Coalition, l.Line.Visibility)
		}
		if l.Line.Quantity != nil {
			quantities[l.Line.SourceRef] = *l.Line.Quantity
		}
		if l.Line.Personnel != nil {
			t.Errorf("%s: personnel %d, but no personnel figure is public", l.Line.SourceRef, *l.Line.Personnel)
		}
	}
	for _, o := range offers {
		sourced(o.Offer.SourceRef, o.Offer.Source, o.Offer.AsOf)
		if o.Offer.Quantity != nil {
			quantities[o.Offer.SourceRef] = *o.Offer.Quantity
		}
		if o.Offer.Personnel != nil {
			t.Errorf("%s: personnel %d, but no personnel figure is public", o.Offer.SourceRef, *o.Offer.Personnel)
		}
	}
	if len(quantities) != 2 || quantities["mnfu-hq"] != 1 || quantities["fra-hq"] != 1 {
		t.Errorf("quantities %v, want only the one headquarters (line mnfu-hq, host fra-hq)", quantities)
	}
}
